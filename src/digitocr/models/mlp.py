"""A plain multi-layer perceptron: the classic dense baseline."""

from torch import nn


class MLP(nn.Module):
    def __init__(self, hidden: int = 512, layers: int = 2, dropout: float = 0.2, classes: int = 10):
        super().__init__()
        parts: list[nn.Module] = [nn.Flatten()]
        width = 28 * 28
        for _ in range(layers):
            parts += [nn.Linear(width, hidden), nn.ReLU(), nn.Dropout(dropout)]
            width = hidden
        parts.append(nn.Linear(width, classes))
        self.net = nn.Sequential(*parts)

    def forward(self, x):
        return self.net(x)
