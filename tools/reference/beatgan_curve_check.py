"""Checks of tools/reference/beatgan_curve.py (PyTorch 1.13), run by hand:  /usr/bin/python3 tools/reference/beatgan_curve_check.py

1. best_f1 against a brute-force F1 over every threshold (predict abnormal when score >= t), with ties in the scores;
2. resuming: 2 epochs run as 1 + 1 (a second process continuing from checkpoint.pt) give exactly the rows and the
   weights of 2 uninterrupted epochs;
3. a checkpoint written with other settings is refused.
The fold is synthetic (a few hundred sine-like beats written in Distill's export layout), so this runs in about a minute.
Prints one line per check and exits 1 when one fails.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import beatgan_curve  # noqa: E402

SCRIPT = os.path.join(HERE, "beatgan_curve.py")


def brute_force_best_f1(labels, scores):
    best = (0.0, None)
    for t in sorted(set(scores.tolist()), reverse=True):
        p = scores >= t
        tp, fp, fn = (p & (labels == 1)).sum(), (p & (labels == 0)).sum(), (~p & (labels == 1)).sum()
        f1 = 2 * tp / (2 * tp + fp + fn)
        if f1 > best[0]:
            best = (f1, t)
    return best


def write_fold(folder, rng):
    t = np.linspace(0, 1, 320)
    counts = {"train": (320, 0), "validation": (40, 24), "test": (60, 36)}
    for split, (normal, abnormal) in counts.items():
        beats, classes = [], []
        for i in range(normal + abnormal):
            freq = 3 if i < normal else 7
            beats.append(np.stack([np.sin(2 * np.pi * freq * t + rng.uniform(0, 6)) * 0.8 + 0.05 * rng.standard_normal(320)] * 2))
            classes.append(0 if i < normal else int(rng.integers(1, 5)))
        classes = np.array(classes, dtype=np.uint8)
        np.save(os.path.join(folder, f"{split}_x.npy"), np.clip(beats, -1, 1).astype(np.float32))
        np.save(os.path.join(folder, f"{split}_y.npy"), (classes > 0).astype(np.int64))
        np.save(os.path.join(folder, f"{split}_class.npy"), classes)
    json.dump({"fold": 0, "folds": 5, "fold_seed": 0, "source": "synthetic check fold", "counts": {}},
              open(os.path.join(folder, "fold.json"), "w"))


def run(fold, out, epochs, extra=()):
    command = [sys.executable, SCRIPT, "--fold", fold, "--out", out, "--epochs", str(epochs), "--seed", "3",
               "--threads", "1", "--batch-size", "16", "--ngf", "8", "--ndf", "8", "--nz", "10", "--print-every", "1000", *extra]
    return subprocess.run(command, capture_output=True, text=True)


def main():
    failures = 0

    def check(name, ok, detail=""):
        nonlocal failures
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}", flush=True)

    rng = np.random.default_rng(5)
    for trial in range(20):
        labels = rng.integers(0, 2, 60)
        labels[0], labels[1] = 0, 1
        scores = np.round(rng.random(60), 1)  # many ties
        f1, threshold = beatgan_curve.best_f1(labels, scores)
        expected = brute_force_best_f1(labels, scores)
        if not (abs(f1 - expected[0]) < 1e-12 and threshold == expected[1]):
            check("best F1 equals brute force", False, f"trial {trial}: {f1, threshold} vs {expected}")
            break
    else:
        check("best F1 equals brute force (20 draws with ties)", True)

    with tempfile.TemporaryDirectory() as tmp:
        fold, whole, parts = (os.path.join(tmp, n) for n in ("fold", "whole", "parts"))
        os.makedirs(fold)
        write_fold(fold, rng)
        r = run(fold, whole, 2)
        check("2 uninterrupted epochs run", r.returncode == 0, r.stderr[-2000:])
        r1 = run(fold, parts, 1)
        r2 = run(fold, parts, 2)
        check("1 + 1 resumed epochs run", r1.returncode == 0 and r2.returncode == 0 and "resuming after epoch 1" in r2.stdout,
              (r1.stderr + r2.stderr)[-2000:])
        if failures == 0:
            rows = [[json.loads(line) for line in open(os.path.join(o, "curve.jsonl"))] for o in (whole, parts)]
            # the 1-epoch run also tested its best model after its last epoch; the rest must be the uninterrupted rows
            resumed = [r for r in rows[1] if (r["epoch"], r["model"]) != (1, "best")]
            strip = lambda rs: [{k: v for k, v in row.items() if k != "wall_seconds"} for row in rs]  # noqa: E731
            check("resumed rows equal uninterrupted rows", len(rows[1]) == 4 and strip(rows[0]) == strip(resumed),
                  f"{len(rows[0])} vs {len(resumed)} rows")
            check("one current row per epoch and one best row at the end",
                  [(r["epoch"], r["model"]) for r in rows[0]] == [(1, "current"), (2, "current"), (2, "best")])
            a, b = (torch.load(os.path.join(o, "checkpoint.pt")) for o in (whole, parts))
            same = all(torch.equal(a[k][n], b[k][n]) for k in ("g", "d") for n in a[k])
            check("resumed weights equal uninterrupted weights", same)
            r = run(fold, parts, 3, ["--lr", "2e-4"])
            check("a checkpoint of other settings is refused", r.returncode != 0 and "other settings" in r.stderr, r.stderr[-500:])
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
