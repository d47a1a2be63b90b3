"""A KAN layer written the way efficient-kan writes it (github
Blealtan/efficient-kan, src/efficient_kan/kan.py), for the PyTorch peer of
the KAN training step: B-spline bases by the Cox-de Boor recursion on a
uniform grid extended by k knots on each side, a SiLU base branch and a
per-edge scale of the spline branch, both branches as dense products.

Written by us (efficient-kan is not a Debian package). Initialisation is
simplified (noise coefficients instead of efficient-kan's least-squares fit
of noise): it does not change the cost of a step.
"""
import math

import torch
import torch.nn.functional as F


class KANLinear(torch.nn.Module):
    def __init__(self, in_features, out_features, grid_size=10, spline_order=3,
                 grid_range=(-1.0, 1.0), dtype=torch.float64):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.spline_order = spline_order
        h = (grid_range[1] - grid_range[0]) / grid_size
        knots = torch.arange(-spline_order, grid_size + spline_order + 1, dtype=dtype) * h + grid_range[0]
        self.register_buffer("grid", knots.expand(in_features, -1).contiguous())
        bases = grid_size + spline_order
        self.base_weight = torch.nn.Parameter(torch.empty(out_features, in_features, dtype=dtype))
        self.spline_weight = torch.nn.Parameter(
            (torch.rand(out_features, in_features, bases, dtype=dtype) - 0.5) * 0.1 / grid_size)
        self.spline_scaler = torch.nn.Parameter(torch.empty(out_features, in_features, dtype=dtype))
        torch.nn.init.kaiming_uniform_(self.base_weight, a=math.sqrt(5))
        torch.nn.init.kaiming_uniform_(self.spline_scaler, a=math.sqrt(5))

    def b_splines(self, x):
        """(N, in) -> (N, in, G + k): Cox-de Boor from degree 0 up to k."""
        grid = self.grid
        x = x.unsqueeze(-1)
        bases = ((x >= grid[:, :-1]) & (x < grid[:, 1:])).to(x.dtype)
        for k in range(1, self.spline_order + 1):
            bases = ((x - grid[:, :-(k + 1)]) / (grid[:, k:-1] - grid[:, :-(k + 1)]) * bases[:, :, :-1]
                     + (grid[:, k + 1:] - x) / (grid[:, k + 1:] - grid[:, 1:(-k)]) * bases[:, :, 1:])
        return bases

    def forward(self, x):
        base = F.linear(F.silu(x), self.base_weight)
        scaled = self.spline_weight * self.spline_scaler.unsqueeze(-1)
        spline = F.linear(self.b_splines(x).reshape(x.size(0), -1),
                          scaled.reshape(self.out_features, -1))
        return base + spline


class KAN(torch.nn.Module):
    def __init__(self, widths, grid_size=10, spline_order=3, dtype=torch.float64):
        super().__init__()
        self.layers = torch.nn.ModuleList(
            KANLinear(a, b, grid_size, spline_order, dtype=dtype) for a, b in zip(widths[:-1], widths[1:]))

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x
