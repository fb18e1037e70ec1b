"""Reference outputs of BioSPPy's ECG pipeline, as the BeatGAN authors' preprocessing runs it, for Distill.Data.Ecg.

Usage (Debian's interpreter, which has NumPy and SciPy; BioSPPy needs nothing else for these functions):

    git clone https://github.com/PIA-Group/BioSPPy /tmp/biosppy && git -C /tmp/biosppy checkout v0.6.1
    /usr/bin/python3 tools/reference/biosppy_reference.py --biosppy /tmp/biosppy
        writes tests/Distill.Tests/Reference/biosppy_record100.json (record 100, shipped in data/mitdb)
    /usr/bin/python3 tools/reference/biosppy_reference.py --biosppy /tmp/biosppy --mitdb /path/to/mitdb-1.0.0
        also writes tests/Distill.Tests/Reference/biosppy_mitdb_counts.json (44 records, about 5 minutes)

The commit used is tag v0.6.1 (212c3dcbdb1ec43b70ba7199deb5eb22bcb78fd0, 2018), the release pip installed when BeatGAN
was written; the functions used here (ecg.ecg, hamilton_segmenter, correct_rpeaks, tools.filter_signal, smoother,
find_extrema) are unchanged, apart from formatting, at the 2022 HEAD 7755022. BioSPPy is imported from the checkout by
putting it first on sys.path and importing biosppy.signals.ecg; its package __init__ imports only its own modules,
NumPy, SciPy, six and matplotlib (set MPLBACKEND=Agg on a machine without a display; nothing is plotted).

What is computed, independently of the C# port:
- BioSPPy's pipeline on lead MLII (lead 0; record 114 stores it second): ecg.ecg(signal, 360, show=False) gives the
  3-45 Hz FIR-filtered lead and the final R peaks; hamilton_segmenter and correct_rpeaks are also called on their own
  so the C# stages can be checked one by one. The input is the record in mV rounded to float32, as the C# record holds
  it (the authors read float64 mV from MATLAB files; on all 44 records the R peaks are identical either way).
- SciPy's butter(4, 25 Hz low-pass / 3 Hz high-pass at 360 Hz) and lfilter_zi, which Hamilton's detector uses.
- The authors' beat selection (their preprocess.py, rewritten here): a beat annotation of an AAMI class at sample s is
  used at s' = s + 1 (they read annotations with MATLAB's WFDB toolbox, which numbers samples from 1, and index NumPy
  arrays with those numbers), kept when s' - 140 >= 0 and s' + 180 < len; an N beat (N, L, R) is kept only when the
  nearest final R peak is closer than 10 samples to s'. With s' = s the N count is 86,897 instead of the 86,717 that
  the authors' fold 0 implies (test 17,343 = 86,717 // 5), which is how the shift was found.
"""
import argparse
import json
import os
import sys

import numpy as np
import scipy.signal as ss

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
REFERENCE = os.path.join(ROOT, "tests", "Distill.Tests", "Reference")
sys.path.insert(0, HERE)
from ecg_reference import aami, read_212, read_atr  # noqa: E402  (WFDB readers written from the format documentation)

FS = 360.0
LEFT, RIGHT, TOLERANCE, OFFSET = 140, 180, 10, 1
PACED = {"102", "104", "107", "217"}


def load(folder, record):
    """Lead MLII first, then the other, in mV rounded to float32 and widened again."""
    lines = [line.split() for line in open(os.path.join(folder, record + ".hea")).read().splitlines()]
    specs = [line for line in lines if line and not line[0].startswith("#")][1:3]  # after the record line
    digital = read_212(os.path.join(folder, record + ".dat"), 2)
    leads = [((digital[i] - int(s[4])) / float(s[2].split("(")[0].split("/")[0])).astype(np.float32).astype(np.float64)
             for i, s in enumerate(specs)]
    if specs[1][-1] == "MLII":
        leads.reverse()
    return leads, read_atr(os.path.join(folder, record + ".atr"))


def nearest_distance(peaks, s):
    i = np.searchsorted(peaks, s)
    candidates = [abs(int(peaks[j]) - s) for j in (i - 1, i) if 0 <= j < len(peaks)]
    return min(candidates) if candidates else None


def select(annotations, peaks, length, offset=OFFSET):
    """The authors' rule; returns per-class kept counts, unconfirmed N samples and edge drops."""
    kept = {c: 0 for c in "NSVFQ"}
    unconfirmed, edges = [], 0
    for sample, symbol in annotations:
        cls = aami(symbol)
        if cls is None:
            continue
        s = sample + offset
        if not (s - LEFT >= 0 and s + RIGHT < length):
            edges += 1
            continue
        if cls == "N":
            d = nearest_distance(peaks, s)
            if d is None or d >= TOLERANCE:
                unconfirmed.append(int(sample))
                continue
        kept[cls] += 1
    return kept, unconfirmed, edges


def digest(peaks):
    """Count, sum and a position-weighted sum mod 2^31 - 1 of the peak list: equal digests mean equal lists in practice."""
    p = [int(v) for v in peaks]
    return {"count": len(p), "sum": sum(p), "hash": sum((i + 1) * v for i, v in enumerate(p)) % 2147483647}


def stressed(mlii):
    """The first 360 s of record 100's MLII, altered in 30 s blocks so that every rule of the detector is exercised.

    Only +, -, *, / and integer arithmetic, then rounding to float32, so the C# test builds the same samples.
    Blocks: as recorded; inverted (negative R waves); gain 0.15 (search-back); uniform noise +-0.3 mV from an LCG;
    a 3 mV one-sample spike every 0.7 s; a gain ramp 1 -> 3; a 1 mV triangular baseline wander of period 2 s;
    alternate 2 s stretches at gain 0.3. Then three sweeps, each moving one rule's ratio across its constant: every other
    second at a gain rising from 0.3 to 0.8 (the detection threshold, 0.475 of the QRS level); an inverted echo 20 samples
    after each sample, growing from 0 to 1.5 (the choice of a negative R wave, 0.85); an echo 90 samples (250 ms) later,
    growing from 0 to 1.2 (the T-wave rule, half the previous slope). The last block is as recorded.
    """
    b = 30 * 360
    original = mlii[:12 * b].copy()
    x = original.copy()
    i = np.arange(12 * b)
    x[b:2 * b] = -x[b:2 * b]
    x[2 * b:3 * b] = 0.15 * x[2 * b:3 * b]
    state, noise = 12345, np.empty(b)
    for k in range(b):
        state = (state * 1103515245 + 12345) % 2147483648
        noise[k] = (state / 2147483648.0 - 0.5) * 0.6
    x[3 * b:4 * b] = x[3 * b:4 * b] + noise
    x[4 * b:5 * b] = x[4 * b:5 * b] + np.where((i[4 * b:5 * b] - 4 * b) % 252 == 0, 3.0, 0.0)
    x[5 * b:6 * b] = x[5 * b:6 * b] * (1 + 2 * (i[5 * b:6 * b] - 5 * b) / b)
    phase = (i[6 * b:7 * b] % 720) / 720.0
    x[6 * b:7 * b] = x[6 * b:7 * b] + np.where(phase < 0.5, 4 * phase - 1, 3 - 4 * phase)
    x[7 * b:8 * b] = np.where((i[7 * b:8 * b] // 720) % 2 == 1, 0.3 * x[7 * b:8 * b], x[7 * b:8 * b])
    k = i[8 * b:9 * b]
    x[8 * b:9 * b] = np.where((k // 360) % 2 == 1, (0.3 + 0.5 * (k - 8 * b) / b) * x[8 * b:9 * b], x[8 * b:9 * b])
    k = i[9 * b:10 * b]
    x[9 * b:10 * b] = x[9 * b:10 * b] - (1.5 * (k - 9 * b) / b) * original[9 * b - 20:10 * b - 20]
    k = i[10 * b:11 * b]
    x[10 * b:11 * b] = x[10 * b:11 * b] + (1.2 * (k - 10 * b) / b) * original[10 * b - 90:11 * b - 90]
    return x.astype(np.float32).astype(np.float64)


def stages(ecg, signal):
    out = ecg.ecg(signal=signal, sampling_rate=FS, show=False)
    detected = ecg.hamilton_segmenter(signal=out["filtered"], sampling_rate=FS)["rpeaks"]
    corrected = ecg.correct_rpeaks(signal=out["filtered"], rpeaks=detected, sampling_rate=FS, tol=0.05)["rpeaks"]
    return out, detected, corrected


def record100(ecg):
    folder = os.path.join(ROOT, "data", "mitdb")
    (mlii, _), annotations = load(folder, "100")
    out, detected, corrected = stages(ecg, mlii)
    filtered = out["filtered"]
    stress = stressed(mlii)
    stress_out, stress_detected, stress_corrected = stages(ecg, stress)
    stress_kept, stress_unconfirmed, _ = select([a for a in annotations if a[0] < len(stress)], stress_out["rpeaks"], len(stress))
    kept, unconfirmed, edges = select(annotations, out["rpeaks"], len(mlii))
    kept0, unconfirmed0, _ = select(annotations, out["rpeaks"], len(mlii), offset=0)
    low = ss.butter(4, 25 / (FS / 2), "lowpass")
    high = ss.butter(4, 3 / (FS / 2), "highpass")
    n = len(filtered)
    return {
        "butter_lowpass_25": {"b": low[0].tolist(), "a": low[1].tolist(), "zi": ss.lfilter_zi(*low).tolist()},
        "butter_highpass_3": {"b": high[0].tolist(), "a": high[1].tolist(), "zi": ss.lfilter_zi(*high).tolist()},
        "butter_filtfilt_2000": {"input": filtered[:2000].tolist(), "output": ss.filtfilt(*low, filtered[:2000]).tolist()},
        "filtered_mlii": {str(start): filtered[start:start + 1080].tolist() for start in (0, 325000, n - 1080)},
        "hamilton_rpeaks": [int(v) for v in detected],
        "corrected_rpeaks": [int(v) for v in corrected],
        "ecg_rpeaks": [int(v) for v in out["rpeaks"]],
        "authors_selection": {"kept": kept, "unconfirmed_n_samples": unconfirmed, "dropped_at_edges": edges},
        "without_offset": {"kept": kept0, "unconfirmed_n": len(unconfirmed0)},
        "stressed": {
            "hamilton_rpeaks": [int(v) for v in stress_detected],
            "corrected_rpeaks": [int(v) for v in stress_corrected],
            "ecg_rpeaks": [int(v) for v in stress_out["rpeaks"]],
            "authors_selection": {"kept": stress_kept, "unconfirmed_n_samples": stress_unconfirmed},
        },
    }


def all_records(ecg, folder):
    records = [r for r in open(os.path.join(folder, "RECORDS")).read().split() if r not in PACED]
    rows = {}
    for r in records:
        (mlii, _), annotations = load(folder, r)
        peaks = ecg.ecg(signal=mlii, sampling_rate=FS, show=False)["rpeaks"]
        kept, unconfirmed, edges = select(annotations, peaks, len(mlii))
        rows[r] = {"rpeaks": digest(peaks), "kept": kept, "unconfirmed_n": len(unconfirmed), "dropped_at_edges": edges}
        print(r, rows[r], flush=True)
    total = {c: sum(v["kept"][c] for v in rows.values()) for c in "NSVFQ"}
    return {"records": rows, "total_kept": total}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--biosppy", required=True, help="a BioSPPy checkout (the folder holding biosppy/)")
    parser.add_argument("--mitdb", help="the 48-record MIT-BIH folder; also writes biosppy_mitdb_counts.json")
    args = parser.parse_args()
    os.environ.setdefault("MPLBACKEND", "Agg")
    sys.path.insert(0, os.path.abspath(args.biosppy))
    from biosppy.signals import ecg

    path = os.path.join(REFERENCE, "biosppy_record100.json")
    with open(path, "w") as f:
        json.dump(record100(ecg), f)
    print(path, os.path.getsize(path), "bytes")
    if args.mitdb:
        path = os.path.join(REFERENCE, "biosppy_mitdb_counts.json")
        with open(path, "w") as f:
            json.dump(all_records(ecg, args.mitdb), f, indent=1)
        print(path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
