#!/usr/bin/python3
"""Reference values for the feature losses NST, CC, VID, FT, AB and FSP (PyTorch 1.13).

Run with Debian's interpreter (the one that has torch):
    /usr/bin/python3 tools/reference/feature_losses_b.py
It writes tests/Distill.Tests/Reference/feature_losses_b.json, which the C# tests read.

Inputs are drawn in float32 (so the JSON holds them exactly) and every loss is evaluated in float64, each written
here from the papers' equations, independently of the C# code. Learned parts (VID regressor and variance, AB
connector, CC embeddings, FT paraphraser and translator) get fixed random weights that are exported under the
parameter names the C# modules use, so the tests can load them. For each case the file holds the loss, its gradient
with respect to the student feature and the gradient of one loss-owned parameter.
"""
import json
import math
import os
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(20241125)
B = 6


def features(*shape):
    """float32 draw, promoted to float64 so both sides start from identical values."""
    return torch.randn(*shape, dtype=torch.float32).double()


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def tensor_entry(t):
    return {"shape": list(t.shape), "values": flat(t)}


def module_parameters(module):
    """Weights rounded to float32 (as the C# side stores them before promoting), keyed by C# parameter name."""
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(p.float().double())
    return {name: tensor_entry(p) for name, p in module.named_parameters()}


def case(name, student, teacher, loss, extra=None):
    loss.backward()
    entry = {
        "name": name,
        "student": tensor_entry(student),
        "teacher": tensor_entry(teacher),
        "loss": float(loss.item()),
        "gradStudent": flat(student.grad),
    }
    if extra:
        entry.update(extra)
    return entry


def leaf(t):
    return t.clone().requires_grad_(True)


# ---------------------------------------------------------------- NST: MMD², polynomial kernel (x·y)², c = 0
def nst(fs, ft):
    ls, lt = fs.shape[2], ft.shape[2]
    if ls > lt:
        fs = F.adaptive_avg_pool1d(fs, lt)
    elif lt > ls:
        ft = F.adaptive_avg_pool1d(ft, ls)
    fs = F.normalize(fs, dim=2)
    ft = F.normalize(ft, dim=2)

    def k(a, b):  # every channel of a against every channel of b, by broadcasting
        return (a.unsqueeze(2) * b.unsqueeze(1)).sum(-1).pow(2)

    return k(ft, ft).mean() + k(fs, fs).mean() - 2 * k(fs, ft).mean()


def nst_cases():
    out = []
    for name, s_shape, t_shape in [("sequence_widths_differ", (B, 5, 8), (B, 7, 8)),
                                   ("sequence_lengths_differ", (B, 5, 8), (B, 7, 6))]:
        s, t = leaf(features(*s_shape)), features(*t_shape)
        out.append(case(name, s, t, nst(s, t)))
    return out


# ---------------------------------------------------------------- FSP: G = f1ᵀ f2 / L, Σ‖Gs − Gt‖²_F, mean over batch
def fsp_matrix(a, b):
    if a.dim() == 2:
        a, b = a.unsqueeze(-1), b.unsqueeze(-1)
    L = a.shape[2]
    return torch.einsum("bil,bjl->bij", a, b) / L


def fsp(student_layers, teacher_layers):
    total = 0
    for i in range(len(student_layers) - 1):
        gs = fsp_matrix(student_layers[i], student_layers[i + 1])
        gt = fsp_matrix(teacher_layers[i], teacher_layers[i + 1])
        total = total + ((gs - gt) ** 2).sum(dim=(1, 2)).mean()
    return total


def fsp_cases():
    out = []
    for name, shapes, t_len in [("vector", [(B, 4), (B, 6), (B, 5)], None),
                                ("sequence", [(B, 4, 7), (B, 6, 7), (B, 5, 7)], 9)]:
        s_layers = [leaf(features(*sh)) for sh in shapes]
        t_layers = [features(*((sh[0], sh[1], t_len) if t_len else sh)) for sh in shapes]
        loss = fsp(s_layers, t_layers)
        loss.backward()
        out.append({
            "name": name,
            "students": [tensor_entry(s) for s in s_layers],
            "teachers": [tensor_entry(t) for t in t_layers],
            "loss": float(loss.item()),
            "gradStudents": [flat(s.grad) for s in s_layers],
        })
    return out


# ---------------------------------------------------------------- VID: heteroscedastic Gaussian NLL, σ² = softplus(α) + ε
class Vid(nn.Module):
    def __init__(self, cs, ct, init_var=5.0, eps=1e-5):
        super().__init__()
        self.regressor = nn.Sequential(OrderedDict([
            ("conv1", nn.Conv1d(cs, ct, 1, bias=False)), ("relu1", nn.ReLU()),
            ("conv2", nn.Conv1d(ct, ct, 1, bias=False)), ("relu2", nn.ReLU()),
            ("conv3", nn.Conv1d(ct, ct, 1, bias=False))]))
        self.alpha = nn.Parameter(torch.full((ct,), math.log(math.exp(init_var - eps) - 1.0)))
        self.eps = eps

    def forward(self, s, t):
        if s.dim() == 2:
            s, t = s.unsqueeze(-1), t.unsqueeze(-1)
        if s.shape[2] > t.shape[2]:
            s = F.adaptive_avg_pool1d(s, t.shape[2])
        elif t.shape[2] > s.shape[2]:
            t = F.adaptive_avg_pool1d(t, s.shape[2])
        mu = self.regressor(s)
        var = torch.log1p(torch.exp(self.alpha)).view(1, -1, 1) + self.eps
        return (0.5 * ((mu - t) ** 2 / var + torch.log(var))).mean()


def vid_cases():
    out = []
    for name, s_shape, t_shape, perturb_alpha in [("vector", (B, 5), (B, 7), False),
                                                  ("sequence_lengths_differ", (B, 5, 8), (B, 7, 6), True)]:
        module = Vid(s_shape[1], t_shape[1]).double()
        if perturb_alpha:  # exercise per-channel variances, not only the initial constant
            with torch.no_grad():
                module.alpha.add_(torch.linspace(-1.0, 1.0, t_shape[1], dtype=torch.float64))
        params = module_parameters(module)
        s, t = leaf(features(*s_shape)), features(*t_shape)
        loss = module(s, t)
        out.append(case(name, s, t, loss, {"parameters": params, "gradParameter": "alpha"}))
        out[-1]["gradParameterValues"] = flat(module.alpha.grad)
    return out


# ---------------------------------------------------------------- AB: squared hinge with margin on pre-activations (Eq. 6)
class Ab(nn.Module):
    def __init__(self, cs, ct, margin=1.0):
        super().__init__()
        self.connector = nn.Sequential(OrderedDict([
            ("conv", nn.Conv1d(cs, ct, 1, bias=False)), ("bn", nn.BatchNorm1d(ct))]))
        self.margin = margin

    def forward(self, s, t):
        if s.dim() == 2:
            s, t = s.unsqueeze(-1), t.unsqueeze(-1)
        r = self.connector(s)
        m = self.margin
        # the authors' form: (r + m)² where the teacher is off and r > −m, (r − m)² where it is on and r ≤ m
        loss = ((r + m) ** 2 * ((r > -m) & (t <= 0)).double() +
                (r - m) ** 2 * ((r <= m) & (t > 0)).double())
        return loss.sum() / s.shape[0]


def ab_cases():
    out = []
    for name, s_shape, t_shape in [("vector", (B, 5), (B, 7)), ("sequence", (B, 5, 4), (B, 7, 4))]:
        module = Ab(s_shape[1], t_shape[1]).double()
        with torch.no_grad():  # non-trivial affine part so the batch-norm parameters matter
            module.connector.bn.weight.uniform_(0.5, 1.5)
            module.connector.bn.bias.uniform_(-0.3, 0.3)
        params = module_parameters(module)
        s, t = leaf(features(*s_shape)), features(*t_shape)
        module.train()
        loss = module(s, t)
        out.append(case(name, s, t, loss, {"parameters": params, "gradParameter": "connector.conv.weight"}))
        out[-1]["gradParameterValues"] = flat(module.connector.conv.weight.grad)
    return out


# ---------------------------------------------------------------- CC: Taylor-expanded Gaussian RBF correlation
class Cc(nn.Module):
    def __init__(self, ds, dt, dim, gamma=0.4, order=2):
        super().__init__()
        self.embedStudent = nn.Linear(ds, dim)
        self.embedTeacher = nn.Linear(dt, dim)
        self.gamma, self.order = gamma, order

    def correlation(self, e):
        e = e / e.norm(dim=1, keepdim=True)
        sim = e @ e.t()
        return sum(math.exp(-2 * self.gamma) * (2 * self.gamma) ** p / math.factorial(p) * sim ** p
                   for p in range(self.order + 1))

    def forward(self, s, t):
        cs = self.correlation(self.embedStudent(s.reshape(s.shape[0], -1)))
        ct = self.correlation(self.embedTeacher(t.reshape(t.shape[0], -1)))
        n = s.shape[0]
        return ((ct - cs) ** 2).sum() / (n * n)


def cc_cases():
    out = []
    for name, s_shape, t_shape in [("vector", (B, 5), (B, 7)), ("sequence", (B, 3, 4), (B, 4, 5))]:
        ds = s_shape[1] * (s_shape[2] if len(s_shape) == 3 else 1)
        dt = t_shape[1] * (t_shape[2] if len(t_shape) == 3 else 1)
        module = Cc(ds, dt, 8).double()
        params = module_parameters(module)
        s, t = leaf(features(*s_shape)), features(*t_shape)
        loss = module(s, t)
        out.append(case(name, s, t, loss, {"parameters": params, "embeddingDim": 8,
                                            "studentDim": ds, "teacherDim": dt, "gradParameter": "embedStudent.weight"}))
        out[-1]["gradParameterValues"] = flat(module.embedStudent.weight.grad)
    return out


# ---------------------------------------------------------------- FT: L1 between L2-normalised factors (Eq. 3)
def layer(kind, i, o, transposed=False):
    if kind == "vector":
        return nn.Linear(i, o)
    return nn.ConvTranspose1d(i, o, 3, 1, 1) if transposed else nn.Conv1d(i, o, 3, 1, 1)


class Paraphraser(nn.Module):
    def __init__(self, kind, c, rate=0.5):
        super().__init__()
        k = int(c * rate)
        act = lambda: nn.LeakyReLU(0.1)
        self.encoder = nn.Sequential(OrderedDict([
            ("layer1", layer(kind, c, c)), ("act1", act()), ("layer2", layer(kind, c, k)), ("act2", act()),
            ("layer3", layer(kind, k, k)), ("act3", act())]))
        self.decoder = nn.Sequential(OrderedDict([
            ("layer1", layer(kind, k, k, True)), ("act1", act()), ("layer2", layer(kind, k, c, True)), ("act2", act()),
            ("layer3", layer(kind, c, c, True)), ("act3", act())]))


class Translator(nn.Module):
    def __init__(self, kind, cs, k):
        super().__init__()
        act = lambda: nn.LeakyReLU(0.1)
        self.encoder = nn.Sequential(OrderedDict([
            ("layer1", layer(kind, cs, cs)), ("bn1", nn.BatchNorm1d(cs)), ("act1", act()),
            ("layer2", layer(kind, cs, k)), ("bn2", nn.BatchNorm1d(k)), ("act2", act()),
            ("layer3", layer(kind, k, k)), ("bn3", nn.BatchNorm1d(k)), ("act3", act())]))


def ft_loss(factor_s, factor_t):
    if factor_s.dim() == 3:
        if factor_s.shape[2] > factor_t.shape[2]:
            factor_s = F.adaptive_avg_pool1d(factor_s, factor_t.shape[2])
        elif factor_t.shape[2] > factor_s.shape[2]:
            factor_t = F.adaptive_avg_pool1d(factor_t, factor_s.shape[2])
    ns = factor_s.flatten(1)
    nt = factor_t.flatten(1)
    ns = ns / ns.norm(dim=1, keepdim=True)
    nt = nt / nt.norm(dim=1, keepdim=True)
    return (ns - nt).abs().mean()


def ft_cases():
    out = []
    for kind, s_shape, t_shape in [("vector", (B, 5), (B, 8)), ("sequence", (B, 5, 6), (B, 8, 6))]:
        paraphraser = Paraphraser(kind, t_shape[1]).double()
        translator = Translator(kind, s_shape[1], int(t_shape[1] * 0.5)).double()
        p_params = module_parameters(paraphraser)
        t_params = module_parameters(translator)
        s, t = leaf(features(*s_shape)), features(*t_shape)
        translator.train()
        with torch.no_grad():
            factor_t = paraphraser.encoder(t)
        loss = ft_loss(translator.encoder(s), factor_t)
        out.append(case(kind, s, t, loss, {"paraphraser": p_params, "translator": t_params,
                                            "gradParameter": "encoder.layer1.weight"}))
        out[-1]["gradParameterValues"] = flat(translator.encoder.layer1.weight.grad)
    return out


def main():
    data = {
        "generator": "tools/reference/feature_losses_b.py, torch " + torch.__version__,
        "nst": nst_cases(),
        "fsp": fsp_cases(),
        "vid": vid_cases(),
        "ab": ab_cases(),
        "cc": cc_cases(),
        "ft": ft_cases(),
    }
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    path = os.path.join(root, "tests", "Distill.Tests", "Reference", "feature_losses_b.json")
    with open(path, "w") as f:
        json.dump(data, f, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
