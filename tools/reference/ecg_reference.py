"""Reference values for Distill.Data.Ecg: record 100 decoded and segmented independently with NumPy and SciPy.

Writes tests/Distill.Tests/Reference/ecg_record100.json. Run: /usr/bin/python3 tools/reference/ecg_reference.py
The .dat and .atr decoders here are written from the WFDB format documentation (signal(5), annot(5)), not from the
C# code. The filter is BioSPPy's ecg.ecg band-pass as BeatGAN uses it: firwin(109, [3, 45] Hz, pass_zero=False)
with a Hamming window, applied with filtfilt (defaults: odd padding of 3 * 109 samples).
"""
import json
import os

import numpy as np
import scipy.signal as ss

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
DATA = os.path.join(ROOT, "data", "mitdb")
OUT = os.path.join(ROOT, "tests", "Distill.Tests", "Reference", "ecg_record100.json")
FS, LEFT, RIGHT = 360.0, 140, 180
CLASSES = {"N": "NLR", "S": "aJASje", "V": "VE", "F": "F", "Q": "/fQ"}
SYMBOLS = {1: "N", 2: "L", 3: "R", 4: "a", 5: "V", 6: "F", 7: "J", 8: "A", 9: "S", 10: "E", 11: "j", 12: "/",
           13: "Q", 28: "+", 34: "e", 38: "f"}


def read_212(path, nsig):
    raw = np.fromfile(path, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
    first = raw[:, 0] | ((raw[:, 1] & 0x0F) << 8)
    second = raw[:, 2] | ((raw[:, 1] & 0xF0) << 4)
    flat = np.empty(2 * len(raw), dtype=np.int32)
    flat[0::2], flat[1::2] = first, second
    flat[flat > 2047] -= 4096
    return flat.reshape(-1, nsig).T


def read_atr(path):
    b = np.fromfile(path, dtype=np.uint8)
    out, t, i = [], 0, 0
    while True:
        word = int(b[i]) | int(b[i + 1]) << 8
        i += 2
        code, val = word >> 10, word & 0x3FF
        if code == 0 and val == 0:
            return out
        if code == 59:
            hi = int(b[i]) | int(b[i + 1]) << 8
            lo = int(b[i + 2]) | int(b[i + 3]) << 8
            t += np.int32(np.uint32(hi << 16 | lo))
            i += 4
        elif code == 63:
            i += val + (val & 1)
        elif code in (60, 61, 62):
            pass
        else:
            t += val
            out.append((t, SYMBOLS.get(code, "?")))


def aami(symbol):
    for name, members in CLASSES.items():
        if symbol in members:
            return name
    return None


def scale(x):
    return 2 * (x - x.min()) / (x.max() - x.min()) - 1


def segment(leads, annotations):
    beats, dropped = [], 0
    for sample, symbol in annotations:
        cls = aami(symbol)
        if cls is None:
            continue
        if sample - LEFT < 0 or sample + RIGHT >= leads.shape[1]:  # the BeatGAN authors keep R + 180 < length
            dropped += 1
            continue
        beats.append((sample, symbol, cls, np.stack([scale(l[sample - LEFT:sample + RIGHT]) for l in leads])))
    return beats, dropped


def main():
    digital = read_212(os.path.join(DATA, "100.dat"), 2)
    # The C# record holds millivolts as float32; filter and scale from the same values.
    mv = ((digital - 1024) / 200.0).astype(np.float32).astype(np.float64)
    annotations = read_atr(os.path.join(DATA, "100.atr"))
    taps = ss.firwin(109, [3 / (FS / 2), 45 / (FS / 2)], pass_zero=False)
    filtered = np.stack([ss.filtfilt(taps, [1.0], lead) for lead in mv]).astype(np.float32).astype(np.float64)

    raw_beats, dropped = segment(mv, annotations)
    filtered_beats, _ = segment(filtered, annotations)
    counts = {c: sum(1 for b in raw_beats if b[2] == c) for c in CLASSES}
    pick = lambda beats, symbol: next(b for b in beats if b[1] == symbol)
    result = {
        "beats": len(raw_beats),
        "dropped_at_edges": dropped,
        "counts": counts,
        "first_beat_sample": int(raw_beats[0][0]),
        "last_beat_sample": int(raw_beats[-1][0]),
        "taps": taps.tolist(),
        "raw_V": {"sample": int(pick(raw_beats, "V")[0]), "leads": np.round(pick(raw_beats, "V")[3], 9).tolist()},
        "raw_A": {"sample": int(pick(raw_beats, "A")[0]), "leads": np.round(pick(raw_beats, "A")[3], 9).tolist()},
        "filtered_V": {"sample": int(pick(filtered_beats, "V")[0]), "leads": np.round(pick(filtered_beats, "V")[3], 9).tolist()},
        "filtered_mv_10000": np.round(filtered[:, 10000:10400], 9).tolist(),
    }
    with open(OUT, "w") as f:
        json.dump(result, f)
    print(OUT, os.path.getsize(OUT), "bytes;", {k: v for k, v in result.items() if isinstance(v, (int, dict)) and k not in ("raw_V", "raw_A", "filtered_V")})


if __name__ == "__main__":
    main()
