"""PyTorch fixture for loading a PyTorch state_dict into Distill's Mlp (and checking the key mapping).

Run with Debian's PyTorch 1.13:  /usr/bin/python3 tools/reference/interop.py
Builds the CRD walkthrough's "ANN" (Layer_List of Linear, BatchNorm1d, LeakyReLU(0.2); classifier) with widths
[6, 8, 5] and one output, trains it for a few Adam steps so that weights and BatchNorm running statistics are no
longer their initial values, and writes
  tests/Distill.Tests/Reference/interop_mlp.pt    torch.save(model.state_dict()) in PyTorch's zip format
  tests/Distill.Tests/Reference/interop_mlp.json  the same file as base64 (the test project copies only *.json),
                                                   a fixed input and the eval-mode output.
The seed's classifier ends in nn.Sigmoid(); it has no parameters, and Distill's Mlp returns logits, so the fixture's
classifier is nn.Sequential(nn.Linear) only: the keys (classifier.0.weight/bias) are the seed's, the output is the logit.
"""
import base64
import json
import os

import torch
import torch.nn as nn

torch.manual_seed(20261125)
WIDTHS = [6, 8, 5]
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Distill.Tests", "Reference")


class Layer(nn.Module):
    def __init__(self, in_dim, h_dim):
        super().__init__()
        self.linear = nn.Sequential(nn.Linear(in_dim, h_dim), nn.BatchNorm1d(h_dim), nn.LeakyReLU(0.2))

    def forward(self, x):
        return self.linear(x)


class Ann(nn.Module):
    def __init__(self, widths):
        super().__init__()
        self.Layer_List = nn.ModuleList([Layer(widths[i], widths[i + 1]) for i in range(len(widths) - 1)])
        self.classifier = nn.Sequential(nn.Linear(widths[-1], 1))  # the seed's nn.Sigmoid() removed: logits

    def forward(self, x):
        for layer in self.Layer_List:
            x = layer(x)
        return self.classifier(x)


model = Ann(WIDTHS)
optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
x_train = torch.randn(64, WIDTHS[0]) * 2 + 0.5
y_train = (x_train[:, 0] + x_train[:, 1] > 1).float()
model.train()
for _ in range(5):
    optimizer.zero_grad()
    loss = nn.functional.binary_cross_entropy_with_logits(model(x_train).squeeze(1), y_train)
    loss.backward()
    optimizer.step()

model.eval()
x = torch.randn(4, WIDTHS[0])
with torch.no_grad():
    y = model(x)

pt_path = os.path.join(OUT, "interop_mlp.pt")
torch.save(model.state_dict(), pt_path)
with open(pt_path, "rb") as f:
    pt_bytes = f.read()

# The file must load back into the seed's architecture unchanged.
check = Ann(WIDTHS)
check.load_state_dict(torch.load(pt_path))
check.eval()
assert torch.equal(check(x), y)

result = {
    "widths": WIDTHS,
    "keys": list(model.state_dict().keys()),
    "state_dict_base64": base64.b64encode(pt_bytes).decode("ascii"),
    "input": x.tolist(),
    "output": y.tolist(),
}
with open(os.path.join(OUT, "interop_mlp.json"), "w") as f:
    json.dump(result, f, indent=1)
print(f"wrote {pt_path} ({len(pt_bytes)} bytes) and interop_mlp.json; keys: {result['keys']}")
