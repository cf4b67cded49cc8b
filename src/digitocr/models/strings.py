"""The string reader: reads a run of touching digits whole, with CTC (Graves et al., 2006).

Input [N, 1, 28, W] strips (`preprocess.to_strip`), W a multiple of 4. A stack of 3x3 convolutions pooled twice
(to 7 x W/2: the second pooling keeps the width) and a 7x1 convolution over the height give one feature column per
2 pixels of width (a frame); two wide 1-D convolutions along the frames (the second dilated) give each the context
of its neighbours. A narrow digit is 4 frames wide: room for the blank that CTC needs between two equal digits
(with 4-pixel frames, 66 written narrow came out as one 6). Output: logits [N, 11, W/2], the ten digits and
CTC's blank (last).
"""

from torch import nn

from digitocr.models.cnn import conv

BLANK = 10


class StringCNN(nn.Module):
    def __init__(self, width: int = 32, dropout: float = 0.2):
        super().__init__()
        w = width
        self.features = nn.Sequential(
            *conv(1, w, 3, 1, 1), nn.MaxPool2d(2),  # 28 x W -> 14 x W/2
            *conv(w, w, 3, 1, 1), *conv(w, 2 * w, 3, 1, 1), nn.MaxPool2d((2, 1)),  # -> 7 x W/2
            *conv(2 * w, 2 * w, 3, 1, 1), *conv(2 * w, 4 * w, 3, 1, 1),
            *conv(4 * w, 4 * w, (7, 1)),  # -> 1 x W/2
        )
        c = 4 * w
        self.frames = nn.Sequential(
            nn.Dropout(dropout),
            nn.Conv1d(c, c, 5, padding=2, bias=False), nn.BatchNorm1d(c), nn.ReLU(inplace=True),
            nn.Conv1d(c, c, 5, padding=4, dilation=2, bias=False), nn.BatchNorm1d(c), nn.ReLU(inplace=True),
            nn.Dropout(dropout), nn.Conv1d(c, BLANK + 1, 1),
        )

    def forward(self, x):
        return self.frames(self.features(x).squeeze(2))
