"""PyTorch fixture: a state_dict whose tensors are views, as torch.save writes them for transposes and slices.

Run with Debian's PyTorch 1.13:  /usr/bin/python3 tools/reference/interop_views.py
torch.save keeps a view's whole storage plus an offset and strides; two views of one tensor share one storage entry.
Writes
  tests/Distill.Tests/Reference/interop_views.pt    the state_dict (a few hundred bytes of tensors)
  tests/Distill.Tests/Reference/interop_views.json  every tensor's shape, stride, storage offset and values (contiguous,
                                                     row-major), and whether it shares its storage with another key.
"""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Distill.Tests", "Reference")

base = torch.arange(30, dtype=torch.float32).reshape(5, 6) / 7
state = {
    "transposed": base.t(),                      # strides (1, 6)
    "slice": base[1:4, 2:5],                     # offset 8, strides (6, 1)
    "column": base[:, 3],                        # offset 3, stride 6
    "shared_a": base[0],                         # shares the storage of slice and column
    "every_other": torch.arange(10, dtype=torch.int64)[::2],
    "contiguous": torch.tensor([[1.5, -2.0], [0.25, 4.0]], dtype=torch.float64),
    "mask": torch.tensor([True, False, True, True])[1:],
}
torch.save(state, os.path.join(OUT, "interop_views.pt"))

expected = {
    key: {
        "shape": list(t.shape),
        "stride": list(t.stride()),
        "offset": t.storage_offset(),
        "dtype": str(t.dtype).replace("torch.", ""),
        "values": t.contiguous().reshape(-1).tolist(),
    }
    for key, t in state.items()
}
with open(os.path.join(OUT, "interop_views.json"), "w") as f:
    json.dump({"torch": torch.__version__, "tensors": expected}, f, indent=1)
print({k: (v["shape"], v["stride"], v["offset"]) for k, v in expected.items()})
