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

def mean_std(values):
    return f"{statistics.mean(values):.4f} ± {statistics.stdev(values) if len(values) > 1 else 0:.4f}"


# Each student invocation trains its own plain student, with the same seeds, beside its distilled ones: a term is
# compared with the plain student of the same invocation, seed by seed (paired), never with another invocation's.
for folder in sorted(glob.glob(os.path.join(HERE, "students*"))):
    runs = [r for r in rows(os.path.join(os.path.basename(folder), "beatgan-runs.csv")) if r["method"] != "teacher"]
    if not runs:
        continue
    plain = {r["seed"]: number(r["auc"]) for r in runs if r["method"] == "student"}
    commits = sorted({r["commit"][:7] for r in runs})
    print(f"Students of `{os.path.basename(folder)}` (commit {', '.join(commits)}; mean ± std over seeds; "
          "ΔAUC: minus the plain student of the same seed in this invocation):\n")
    lines = []
    for m in dict.fromkeys(r["method"] for r in runs):
        group = [r for r in runs if r["method"] == m]
        cells = [mean_std([number(r[metric]) for r in group]) for metric in ("auc", "ap", "f1_best", "f1_at_val_threshold")]
        deltas = [number(r["auc"]) - plain[r["seed"]] for r in group if r["seed"] in plain]
        paired = "-" if m == "student" else f"{mean_std(deltas)} (higher on {sum(d > 0 for d in deltas)} of {len(deltas)})"
        lines.append([m, str(len(group)), group[0]["terms"] or "-", f"{int(group[0]['steps']):,}"] + cells + [paired])
    table(["method", "seeds", "terms", "steps", "AUC", "AP", "F1 best", "F1 val", "ΔAUC"], lines)
