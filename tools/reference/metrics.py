#!/usr/bin/python3
"""Reference values for lib/Metrics from scikit-learn 1.2.1 (run with /usr/bin/python3).

Writes tests/Distill.Tests/Reference/metrics.json: for each fixed case, the scores, the 0/1 labels and
roc_curve (drop_intermediate=True), roc_auc_score, precision_recall_curve, average_precision_score, and the
best F1 with its threshold computed exactly as BeatGAN's experiments/ecg/metric.py evaluate() does
(every roc_curve threshold from the highest down, f1_score on score >= threshold, first strictly better wins).
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.metrics import (average_precision_score, f1_score, precision_recall_curve, roc_auc_score,
                             roc_curve)

assert sklearn.__version__ == "1.2.1", f"reference values are for scikit-learn 1.2.1, found {sklearn.__version__}"

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Distill.Tests", "Reference", "metrics.json")


def beatgan_best_f1(labels, scores):
    """BeatGAN's search (rewritten, same semantics): strict improvement over roc_curve thresholds."""
    _, _, thresholds = roc_curve(labels, scores)
    best_f1, best_threshold = 0.0, 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the highest threshold predicts nothing positive: F1 0 with a warning
        for threshold in thresholds:
            f1 = f1_score(labels, (scores >= threshold).astype(int))
            if f1 > best_f1:
                best_f1, best_threshold = f1, threshold
    return float(best_f1), float(best_threshold)


def cases():
    rng = np.random.default_rng(20190810)
    yield "hand", np.array([0.1, 0.4, 0.35, 0.8]), np.array([0, 0, 1, 1])

    labels = rng.integers(0, 2, 60)
    yield "random", rng.random(60), labels

    labels = rng.integers(0, 2, 80)
    yield "many_ties", rng.integers(0, 5, 80).astype(float) + 0.5 * labels * rng.integers(0, 2, 80), labels

    yield "all_tied", np.full(10, 0.25), np.array([0, 1, 1, 0, 0, 1, 0, 0, 0, 1])

    labels = rng.integers(0, 2, 100)
    yield "rounded", np.round(rng.standard_normal(100) + 0.8 * labels, 1), labels

    labels = np.array([0] * 12 + [1] * 8)
    yield "separable", np.concatenate([rng.random(12), 2.0 + rng.random(8)]), labels

    yield "inverted", np.concatenate([2.0 + rng.random(12), rng.random(8)]), labels

    # Anomaly-detection shape: ~10 % positives, reconstruction-error-like scores, some ties from rounding.
    labels = (rng.random(500) < 0.1).astype(int)
    # F1 = 2/3 both at threshold 4 (P = R = 2/3) and at 1 (P = 1/2, R = 1): BeatGAN keeps the higher one.
    yield "best_f1_tie", np.array([6.0, 5.0, 4.0, 3.0, 2.0, 1.0]), np.array([1, 0, 1, 0, 0, 1])

    yield "large", np.round(np.exp(rng.standard_normal(500) * 0.5 + 1.2 * labels), 3), labels


def main():
    out = []
    for name, scores, labels in cases():
        fpr, tpr, roc_thresholds = roc_curve(labels, scores)
        precision, recall, pr_thresholds = precision_recall_curve(labels, scores)
        best_f1, best_threshold = beatgan_best_f1(labels, scores)
        out.append({
            "name": name,
            "scores": scores.tolist(),
            "labels": labels.tolist(),
            "roc_fpr": fpr.tolist(),
            "roc_tpr": tpr.tolist(),
            "roc_thresholds": roc_thresholds.tolist(),
            "roc_auc": float(roc_auc_score(labels, scores)),
            "pr_precision": precision.tolist(),
            "pr_recall": recall.tolist(),
            "pr_thresholds": pr_thresholds.tolist(),
            "average_precision": float(average_precision_score(labels, scores)),
            "best_f1": best_f1,
            "best_f1_threshold": best_threshold,
        })
    with open(OUT, "w") as f:
        json.dump({"sklearn": sklearn.__version__, "numpy": np.__version__, "cases": out}, f)
    print(f"wrote {len(out)} cases to {os.path.normpath(OUT)} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
