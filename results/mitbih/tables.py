"""Prints the Markdown tables of results/mitbih/README.md from the published CSV files (standard library only).

    python3 results/mitbih/tables.py > /tmp/tables.md

Reads teacher-seed*/beatgan-runs.csv and beatgan-history.csv, students*/beatgan-runs.csv and pytorch/*/curve.csv
next to this file; the README's tables are this script's output, pasted, so that no figure is typed by hand.
"""
import csv
import glob
import os
import statistics

HERE = os.path.dirname(os.path.abspath(__file__))


def rows(pattern):
    out = []
    for path in sorted(glob.glob(os.path.join(HERE, pattern))):
        with open(path, newline="") as f:
            out.extend(csv.DictReader(f))
    return out


def number(text):
    return float(text) if text not in ("", None) else float("nan")


def table(header, lines):
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for line in lines:
        print("| " + " | ".join(line) + " |")
    print()


history = rows("teacher-seed*/beatgan-history.csv")
reference = [r for r in rows("pytorch/*/curve.csv") if r["model"] == "current"]
print("Teacher test figures of each epoch's weights (the kept epoch, chosen on validation, marked *):\n")
steps = sorted({int(h["steps"]) for h in history} | {int(r["steps"]) for r in reference})
seeds = sorted({h["seed"] for h in history})
header = ["steps"] + [f"Distill seed {s} AUC / AP" for s in seeds] + [f"PyTorch seed {s} AUC / AP" for s in sorted({r["seed"] for r in reference})]
lines = []
for step in steps:
    line = [f"{step:,}"]
    for s in seeds:
        h = [x for x in history if x["seed"] == s and int(x["steps"]) == step]
        line.append(f"{number(h[0]['test_auc']):.4f} / {number(h[0]['test_ap']):.4f}{' *' if h[0]['is_best'] == 'true' else ''}" if h else "")
    for s in sorted({r["seed"] for r in reference}):
        r = [x for x in reference if x["seed"] == s and int(x["steps"]) == step]
        line.append(f"{number(r[0]['test_auc']):.4f} / {number(r[0]['test_ap']):.4f}" if r else "")
    lines.append(line)
table(header, lines)

teachers = rows("teacher-seed*/beatgan-runs.csv")
print("Kept teachers (F1 best: threshold chosen on the test labels; F1 val: threshold chosen on validation):\n")
table(["seed", "steps", "train beats", "AUC", "AP", "F1 best", "F1 val", "spec. N", "recall S", "recall V", "recall F", "wall s", "commit"],
      [[t["seed"], f"{int(t['steps']):,}", f"{int(t['train_beats']):,}"] +
       [f"{number(t[m]):.4f}" for m in ("auc", "ap", "f1_best", "f1_at_val_threshold", "specificity_N", "recall_S", "recall_V", "recall_F")] +
       [f"{number(t['wall_seconds']):.0f}", t["commit"]] for t in teachers])

students = {}
for s in rows("students*/beatgan-runs.csv"):
    if s["method"] != "teacher":
        students.setdefault((s["method"], s["seed"]), s)  # the plain student appears in every student invocation
if students:
    print("Students (mean ± std over seeds):\n")
    methods = list(dict.fromkeys(m for m, _ in students))
    lines = []
    for m in methods:
        runs = [r for (k, _), r in students.items() if k == m]
        cells = []
        for metric in ("auc", "ap", "f1_best", "f1_at_val_threshold"):
            v = [number(r[metric]) for r in runs]
            cells.append(f"{statistics.mean(v):.4f} ± {statistics.stdev(v) if len(v) > 1 else 0:.4f}")
        lines.append([m, str(len(runs)), runs[0]["terms"] or "-", f"{int(runs[0]['steps']):,}"] + cells)
    table(["method", "seeds", "terms", "steps", "AUC", "AP", "F1 best", "F1 val"], lines)
