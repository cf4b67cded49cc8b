"""The seeds' baseline, as the Keras tutorials write it: Conv 32 5x5, MaxPool 2, Dropout 0.2, Dense 128."""

from torch import nn


class Baseline(nn.Module):
    def __init__(self, dropout: float = 0.2, classes: int = 10):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(dropout),
            nn.Flatten(), nn.Linear(32 * 12 * 12, 128), nn.ReLU(), nn.Linear(128, classes),
        )

    def forward(self, x):
        return self.net(x)
