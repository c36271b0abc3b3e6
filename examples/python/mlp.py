# ===- mlp.py - An MLP trained through gelu-jit's PyTorch modules -----------===#
#
# Part of gelu-jit.
#
# ===-----------------------------------------------------------------------===#
"""Trains a 256 -> 1024 -> 256 MLP for a few SGD steps twice, from the same
initial weights and data: with gelu_jit.torch.GELU and with torch.nn.GELU,
and prints both losses, their largest relative difference and the time of
each run.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/mlp.py [steps]
"""

import sys
import time

import torch

from gelu_jit.torch import GELU


def train(activation, steps):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(256, 1024), activation,
                                torch.nn.Linear(1024, 256))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    generator = torch.Generator().manual_seed(1)
    losses = []
    start = time.perf_counter()
    for _ in range(steps):
        x = torch.randn(64, 256, generator=generator)
        target = torch.tanh(x)  # something to learn
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), target)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses, time.perf_counter() - start


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    torch.set_num_threads(1)
    ours, ours_time = train(GELU(), steps)
    theirs, theirs_time = train(torch.nn.GELU(), steps)
    worst = max(abs(a - b) / abs(b) for a, b in zip(ours, theirs))
    print("step  gelu_jit.torch.GELU  torch.nn.GELU")
    for step in range(0, steps, max(1, steps // 5)):
        print(f"{step:4d}  {ours[step]:19.9f}  {theirs[step]:13.9f}")
    print(f"final {ours[-1]:19.9f}  {theirs[-1]:13.9f}")
    print(f"largest relative difference of the losses: {worst:.2e}")
    print(f"time: {ours_time:.3f} s with gelu_jit, {theirs_time:.3f} s with "
          "torch.nn.GELU (one thread; the matmuls dominate)")
    return 0 if worst < 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main())
