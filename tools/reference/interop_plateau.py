"""Reference learning rates of PyTorch's ReduceLROnPlateau, for Distill's PlateauScheduler (which replaced TorchSharp's so
that its counters can be checkpointed).

Run with Debian's PyTorch 1.13:  /usr/bin/python3 tools/reference/interop_plateau.py
Writes tests/Distill.Tests/Reference/interop_plateau.json: for each case, the settings, the metric fed to step() after
each epoch, and the learning rate in force after that step (mode "max", threshold_mode "abs", as the seed trains).
"""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Distill.Tests", "Reference", "interop_plateau.json")
torch.manual_seed(20261125)

CASES = [
    # The seed's settings; metrics that improve, stall, improve by less than the threshold, then stall long.
    dict(lr=1e-3, factor=0.5, patience=1, threshold=1e-4, min_lr=1e-6,
         metrics=[0.5, 0.6, 0.6, 0.6, 0.60005, 0.7, 0.7, 0.7, 0.71, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7]),
    # A floor reached quickly, patience 0 and a larger threshold; random metrics.
    dict(lr=1e-2, factor=0.1, patience=0, threshold=0.05, min_lr=5e-5,
         metrics=torch.rand(20, generator=torch.Generator().manual_seed(1)).tolist()),
    dict(lr=0.05, factor=0.5, patience=3, threshold=0.0, min_lr=0.0,
         metrics=torch.rand(30, generator=torch.Generator().manual_seed(2)).tolist()),
]

results = []
for case in CASES:
    parameter = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.Adam([parameter], lr=case["lr"])
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(
        optimizer, mode="max", factor=case["factor"], patience=case["patience"], threshold=case["threshold"],
        threshold_mode="abs", min_lr=case["min_lr"])
    rates = []
    for metric in case["metrics"]:
        scheduler.step(metric)
        rates.append(optimizer.param_groups[0]["lr"])
    results.append(dict(case, rates=rates))

with open(OUT, "w") as f:
    json.dump(results, f, indent=1)
print(f"wrote {OUT}: {len(results)} cases")
