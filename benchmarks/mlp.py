"""MLP 784-256-128-10 (ReLU), Adam lr 1e-3, cross-entropy, batch 128, one epoch over
60000 synthetic samples, against PyTorch CPU with the same initial weights and data.

Goal: ratio <= 1.0 in float32; float64 reported as well.
"""

from __future__ import annotations

import numpy as np

from ._timing import Workload

N_SAMPLES, SIZES, BATCH, LR = 60_000, (784, 256, 128, 10), 128, 1e-3


def make_data(dtype, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N_SAMPLES, SIZES[0])).astype(dtype)
    y = rng.integers(0, SIZES[-1], size=N_SAMPLES)
    return X, y


def _ours_epoch(X, y, dtype):
    from mlfoundations import nn, optim
    from mlfoundations.autodiff import Tensor

    layers = []
    for i, (fan_in, fan_out) in enumerate(zip(SIZES[:-1], SIZES[1:])):
        layers.append(nn.Linear(fan_in, fan_out, rng=i, dtype=dtype))
        if i < len(SIZES) - 2:
            layers.append(nn.ReLU())
    model = nn.Sequential(*layers)
    initial = [p.data.copy() for p in model.parameters()]
    loss_fn = nn.CrossEntropyLoss()
    opt = optim.Adam(model.parameters(), lr=LR)

    def run():
        for p, w in zip(model.parameters(), initial):
            p.data[...] = w
        opt.__init__(model.parameters(), lr=LR)
        for start in range(0, N_SAMPLES, BATCH):
            xb = Tensor(X[start:start + BATCH])
            loss = loss_fn(model(xb), y[start:start + BATCH])
            opt.zero_grad()
            loss.backward()
            opt.step()
        return [p.data.copy() for p in model.parameters()]

    return run, initial


def _torch_epoch(X, y, dtype, initial):
    import torch

    torch_dtype = torch.float32 if dtype == np.float32 else torch.float64
    layers = []
    for i, (fan_in, fan_out) in enumerate(zip(SIZES[:-1], SIZES[1:])):
        layers.append(torch.nn.Linear(fan_in, fan_out, dtype=torch_dtype))
        if i < len(SIZES) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    loss_fn = torch.nn.CrossEntropyLoss()

    def run():
        with torch.no_grad():
            for p, w in zip(model.parameters(), initial):
                p.copy_(torch.from_numpy(w))
        opt = torch.optim.Adam(model.parameters(), lr=LR)
        for start in range(0, N_SAMPLES, BATCH):
            loss = loss_fn(model(Xt[start:start + BATCH]), yt[start:start + BATCH])
            opt.zero_grad()
            loss.backward()
            opt.step()
        return [p.detach().numpy().copy() for p in model.parameters()]

    return run


def workloads():
    for dtype in (np.float32, np.float64):
        X, y = make_data(dtype)
        ours, initial = _ours_epoch(X, y, dtype)
        peer = _torch_epoch(X, y, dtype, initial)

        def check(ours_params, peers):
            theirs = peers["torch CPU"]
            diff = max(float(np.max(np.abs(a - b))) for a, b in zip(ours_params, theirs))
            return f"params after 1 epoch: max abs diff {diff:.1e}"

        yield Workload(
            f"MLP epoch {np.dtype(dtype).name} {N_SAMPLES}x{SIZES[0]}",
            ours, {"torch CPU": peer}, check=check, repeat=5,
        )
