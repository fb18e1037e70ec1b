"""Reference values for the logit distillation losses (KD, binary KD, negative soft-target CE, DKD).

Run with Debian's PyTorch 1.13:  /usr/bin/python3 tools/reference/logit_losses.py
Writes tests/Distill.Tests/Reference/logit_losses.json: for fixed random float64 inputs, each loss value
and its gradient with respect to the student logits. The formulas are written from the papers
(and, for DKD, as the mdistiller reference code computes it), independently of the C# code.
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(20261125)
DTYPE = torch.float64
BATCH, CLASSES, BINARY_BATCH = 8, 10, 16


def kl_batchmean(log_p_s, p_t):
    # PyTorch's kl_div(input=log q, target=p) is sum p (log p - log q); 'sum' / B is batchmean.
    return F.kl_div(log_p_s, p_t, reduction="sum") / log_p_s.shape[0]


def kd(s, t, T):
    # Hinton et al. 2015: KL(p_t^T || p_s^T) * T^2, summed over classes, mean over the batch.
    return kl_batchmean(F.log_softmax(s / T, dim=1), F.softmax(t / T, dim=1)) * T * T


def two_class(z):
    # A single logit z is the two-class softmax of [0, z]: p(1) = sigmoid(z), the library's BinaryLogit.
    z = z.reshape(-1, 1)
    return torch.cat([torch.zeros_like(z), z], dim=1)


def bkd(s, t, T):
    p_t = torch.sigmoid(t.reshape(-1) / T)
    p_s = torch.sigmoid(s.reshape(-1) / T)
    kl = p_t * (torch.log(p_t) - torch.log(p_s)) + (1 - p_t) * (torch.log(1 - p_t) - torch.log(1 - p_s))
    return kl.mean() * T * T


def nce(s, t, T):
    # Li & Hoiem, Learning without Forgetting: -sum_c p_t log p_s (mean over batch), times T^2 as in KD.
    return -(F.softmax(t / T, dim=1) * F.log_softmax(s / T, dim=1)).sum(dim=1).mean() * T * T


def dkd(s, t, y, alpha, beta, T):
    # Zhao et al. CVPR 2022, Eq. 7, computed as mdistiller's dkd_loss does.
    gt = torch.zeros_like(s).scatter_(1, y.unsqueeze(1), 1).bool()
    other = ~gt
    p_s = F.softmax(s / T, dim=1)
    p_t = F.softmax(t / T, dim=1)
    b_s = torch.cat([(p_s * gt).sum(1, keepdim=True), (p_s * other).sum(1, keepdim=True)], dim=1)
    b_t = torch.cat([(p_t * gt).sum(1, keepdim=True), (p_t * other).sum(1, keepdim=True)], dim=1)
    tckd = kl_batchmean(torch.log(b_s), b_t) * T * T
    nckd = kl_batchmean(F.log_softmax(s / T - 1000.0 * gt, dim=1), F.softmax(t / T - 1000.0 * gt, dim=1)) * T * T
    return alpha * tckd + beta * nckd, tckd, nckd


def value_and_grad(fn, s, *rest):
    s = s.clone().requires_grad_(True)
    out = fn(s, *rest)
    loss = out[0] if isinstance(out, tuple) else out
    loss.backward()
    return out, s.grad


def lst(x):
    return x.detach().reshape(-1).tolist()


def multiclass_inputs(scale):
    return torch.randn(BATCH, CLASSES, dtype=DTYPE) * scale, torch.randn(BATCH, CLASSES, dtype=DTYPE) * scale


cases = {"kd": [], "bkd": [], "nce": [], "nce_binary": [], "dkd": []}

for T in [1.0, 2.0, 4.0, 10.0]:
    s, t = multiclass_inputs(3.0)
    loss, grad = value_and_grad(kd, s, t, T)
    cases["kd"].append({"T": T, "student": lst(s), "teacher": lst(t), "loss": loss.item(), "grad": lst(grad)})

for T in [1.0, 4.0]:
    s = torch.randn(BINARY_BATCH, dtype=DTYPE) * 3.0
    t = torch.randn(BINARY_BATCH, dtype=DTYPE) * 3.0
    loss, grad = value_and_grad(bkd, s, t, T)
    # The same value from the two-class softmax of [0, z/T]: two independent formulas must agree.
    assert abs(kd(two_class(s), two_class(t), T).item() - loss.item()) < 1e-12
    cases["bkd"].append({"T": T, "student": lst(s), "teacher": lst(t), "loss": loss.item(), "grad": lst(grad)})

for T in [2.0, 4.0]:
    s, t = multiclass_inputs(3.0)
    loss, grad = value_and_grad(nce, s, t, T)
    cases["nce"].append({"T": T, "student": lst(s), "teacher": lst(t), "loss": loss.item(), "grad": lst(grad)})

for T in [2.0]:
    s = torch.randn(BINARY_BATCH, dtype=DTYPE) * 3.0
    t = torch.randn(BINARY_BATCH, dtype=DTYPE) * 3.0
    loss, grad = value_and_grad(lambda a, b, T: nce(two_class(a), two_class(b), T), s, t, T)
    cases["nce_binary"].append({"T": T, "student": lst(s), "teacher": lst(t), "loss": loss.item(), "grad": lst(grad)})

for alpha, beta, T in [(1.0, 8.0, 4.0), (0.5, 2.0, 1.0), (2.0, 1.0, 2.0)]:
    s, t = multiclass_inputs(3.0)
    y = torch.randint(0, CLASSES, (BATCH,))
    (loss, tckd, nckd), grad = value_and_grad(dkd, s, t, y, alpha, beta, T)
    cases["dkd"].append({"alpha": alpha, "beta": beta, "T": T, "student": lst(s), "teacher": lst(t),
                         "targets": y.tolist(), "loss": loss.item(), "tckd": tckd.item(), "nckd": nckd.item(),
                         "grad": lst(grad)})

out = {"generator": "tools/reference/logit_losses.py", "torch": torch.__version__, "dtype": "float64",
       "batch": BATCH, "classes": CLASSES, "binary_batch": BINARY_BATCH, **cases}
path = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Distill.Tests", "Reference", "logit_losses.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", os.path.normpath(path))
