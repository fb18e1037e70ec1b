"""Reference bytes of numpy.save for Distill.Data.Npy.NpyWriter: the writer must produce these files byte for byte.

Run: /usr/bin/python3 tools/reference/npy_reference.py   (writes tests/Distill.Tests/Reference/npy_writer.json)
Each case is an array built from simple formulas (so the C# test rebuilds it) and the base64 of numpy.save's output.
"""
import base64
import io
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Distill.Tests", "Reference", "npy_writer.json")


def saved(a):
    buffer = io.BytesIO()
    np.save(buffer, a)
    return base64.b64encode(buffer.getvalue()).decode()


cases = {
    # values i / 8 - 1 (exact in binary), shape (2, 1, 3)
    "float32_2x1x3": np.array([i / 8 - 1 for i in range(6)], dtype=np.float32).reshape(2, 1, 3),
    "float64_4": np.array([i / 8 - 1 for i in range(4)], dtype=np.float64),
    # values i * 1_000_000_007 - 3, int64 and int32 (the latter mod 2^31)
    "int64_3": np.array([i * 1_000_000_007 - 3 for i in range(3)], dtype=np.int64),
    "int32_5": np.array([(i * 1_000_000_007 - 3) % 2147483647 for i in range(5)], dtype=np.int32),
    "uint8_7": np.array([(i * 37) % 256 for i in range(7)], dtype=np.uint8),
    # empty arrays: a long first dimension, and a shape whose header is 64-aligned before padding (NumPy adds 64 spaces)
    "float32_1234567x0": np.zeros((1234567, 0), dtype=np.float32),
    "uint8_aligned": np.zeros((0, 1, 1, 1, 10, 10, 10, 10, 10, 10, 10, 10), dtype=np.uint8),
}
result = {name: {"shape": list(a.shape), "bytes": saved(a)} for name, a in cases.items()}
result["numpy"] = np.__version__
with open(OUT, "w") as f:
    json.dump(result, f, indent=1)
print(OUT, {k: len(base64.b64decode(v["bytes"])) for k, v in result.items() if k != "numpy"})
