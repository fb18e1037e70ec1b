"""Reference values for FitNet, AT, OFD, SP, RKD and PKT (Distill.Losses.Feature), computed with PyTorch 1.13.

Each loss is re-implemented here from its paper (equation numbers in the comments) with the normalisations of
the RepDistiller / authors' code, on fixed random float32 inputs:
  flat: student [B, 5], teacher [B, 7]            (MLP features)
  seq:  student [B, 5, 4], teacher [B, 7, 4]      (1-D conv features)
  at_lengths: student [B, 5, 8], teacher [B, 7, 4] (AT with different lengths: the longer map is pooled)
Learned parts (FitNet regressor, OFD connector) get fixed weights that are written to the JSON so that the C#
test loads the very same parameters. For every case the loss value and its gradient with respect to the student
feature are written (and the gradient of the learned weight where there is one).

Run:  /usr/bin/python3 tools/reference/feature_losses_a.py
Writes tests/Distill.Tests/Reference/feature_losses_a.json
"""
import json
import math
import os

import torch
import torch.nn.functional as F
from scipy.stats import norm

torch.manual_seed(20191027)
B, CS, CT, L = 6, 5, 7, 4


def rows(t):
    return t.detach().double().tolist()


def student_teacher(shape_s, shape_t):
    s = torch.randn(*shape_s, dtype=torch.float32)
    t = torch.randn(*shape_t, dtype=torch.float32)
    return s, t


# ---------------------------------------------------------------- FitNet (Romero et al., ICLR 2015, Eq. 3)
def fitnet(student, teacher, weight, bias):
    """Regressor r(v) = ReLU(BN(W v + b)) (RepDistiller's ConvReg with a 1x1 kernel), hint = mean squared error."""
    s = student.clone().requires_grad_(True)
    w = weight.clone().requires_grad_(True)
    if student.dim() == 2:
        z = F.linear(s, w, bias)
    else:
        z = F.conv1d(s, w.unsqueeze(-1), bias)  # a kernel-1 Conv1d with the same weight
    bn = torch.nn.BatchNorm1d(teacher.shape[1])  # weight 1, bias 0, training mode: batch statistics
    r = F.relu(bn(z))
    loss = F.mse_loss(r, teacher)
    loss.backward()
    return {"loss": loss.item(), "grad_student": rows(s.grad), "grad_weight": rows(w.grad)}


# ---------------------------------------------------------------- AT (Zagoruyko & Komodakis, ICLR 2017, Eq. 2)
def attention_map(f, p):
    """Q = mean_c |f_c|^p over channels, flattened and L2-normalised; [B, C] is read as [B, 1, C]."""
    if f.dim() == 2:
        f = f.unsqueeze(1)
    q = f.abs().pow(p).mean(1).view(f.shape[0], -1)
    return F.normalize(q, p=2, dim=1)


def at_pair(fs, ft, p):
    if fs.dim() == 2:
        fs, ft = fs.unsqueeze(1), ft.unsqueeze(1)
    ls, lt = fs.shape[2], ft.shape[2]
    if ls > lt:
        fs = F.adaptive_avg_pool1d(fs, lt)
    elif lt > ls:
        ft = F.adaptive_avg_pool1d(ft, ls)
    return (attention_map(fs, p) - attention_map(ft, p)).pow(2).mean()


def at(students, teachers, p=2.0):
    ss = [s.clone().requires_grad_(True) for s in students]
    loss = sum(at_pair(s, t, p) for s, t in zip(ss, teachers))
    loss.backward()
    return {"loss": loss.item(), "grad_students": [rows(s.grad) for s in ss]}


# ---------------------------------------------------------------- OFD (Heo et al., ICCV 2019, Eq. 3-4)
def margins_from_bn(weight, bias):
    """Eq. 3: m = E[x | x < 0] for x ~ N(bias, |weight|^2); -3 sigma when P(x < 0) <= 0.001 (authors' code)."""
    out = []
    for s, m in zip(weight.tolist(), bias.tolist()):
        s = abs(s)
        if norm.cdf(-m / s) > 0.001:
            out.append(-s * math.exp(-(m / s) ** 2 / 2) / math.sqrt(2 * math.pi) / norm.cdf(-m / s) + m)
        else:
            out.append(-3 * s)
    return torch.tensor(out, dtype=torch.float32)


def ofd(student, teacher, weight, margins, scale=1e-3):
    s = student.clone().requires_grad_(True)
    w = weight.clone().requires_grad_(True)
    if student.dim() == 2:
        z = F.linear(s, w)
        m = margins.view(1, -1)
    else:
        z = F.conv1d(s, w.unsqueeze(-1))
        m = margins.view(1, -1, 1)
    bn = torch.nn.BatchNorm1d(teacher.shape[1])
    z = bn(z)
    target = torch.max(teacher, m)  # margin ReLU on the teacher
    d = (z - target).pow(2)
    d = d * ((z > target) | (target > 0)).float()  # partial L2, Eq. 4
    loss = d.sum() / student.shape[0] * scale
    loss.backward()
    return {"loss": loss.item(), "grad_student": rows(s.grad), "grad_weight": rows(w.grad)}


# ---------------------------------------------------------------- SP (Tung & Mori, ICCV 2019, Eq. 3-4)
def sp(students, teachers):
    ss = [s.clone().requires_grad_(True) for s in students]
    loss = 0
    for s, t in zip(ss, teachers):
        b = s.shape[0]
        qs, qt = s.reshape(b, -1), t.reshape(b, -1)
        gs = F.normalize(qs @ qs.t(), p=2, dim=1)  # Eq. 3: row-wise L2 normalisation of Q Q^T
        gt = F.normalize(qt @ qt.t(), p=2, dim=1)
        loss = loss + (gt - gs).pow(2).sum() / (b * b)  # Eq. 4
    loss.backward()
    return {"loss": loss.item(), "grad_students": [rows(s.grad) for s in ss]}


# ---------------------------------------------------------------- RKD (Park et al., CVPR 2019, Eq. 4-5)
def pairwise_distances(e, eps=1e-12):
    sq = e.pow(2).sum(1)
    d = (sq.unsqueeze(1) + sq.unsqueeze(0) - 2 * e @ e.t()).clamp(min=eps).sqrt()
    d = d.clone()
    d[range(len(e)), range(len(e))] = 0
    return d


def angles(e):
    diff = e.unsqueeze(0) - e.unsqueeze(1)  # [B, B, D]: diff[i, j] = e_j - e_i
    unit = F.normalize(diff, p=2, dim=2)
    return torch.bmm(unit, unit.transpose(1, 2)).view(-1)


def rkd(student, teacher, w_d=25.0, w_a=50.0):
    s = student.clone().requires_grad_(True)
    es, et = s.reshape(s.shape[0], -1), teacher.reshape(teacher.shape[0], -1)
    td = pairwise_distances(et)
    td = td / td[td > 0].mean()
    sd = pairwise_distances(es)
    sd = sd / sd[sd > 0].mean()
    loss_d = F.smooth_l1_loss(sd, td)  # Eq. 4 with the Huber loss, delta 1
    loss_a = F.smooth_l1_loss(angles(es), angles(et))  # Eq. 5
    loss = w_d * loss_d + w_a * loss_a
    loss.backward()
    return {"loss": loss.item(), "distance": loss_d.item(), "angle": loss_a.item(), "grad_student": rows(s.grad)}


# ---------------------------------------------------------------- PKT (Passalis & Tefas, ECCV 2018)
def pkt(student, teacher, eps=1e-7):
    s = student.clone().requires_grad_(True)

    def conditional(f):
        f = f.reshape(f.shape[0], -1)
        f = f / (f.pow(2).sum(1, keepdim=True).sqrt() + eps)
        k = (f @ f.t() + 1.0) / 2.0  # cosine kernel scaled to [0, 1]
        return k / k.sum(1, keepdim=True)  # conditional probabilities p_{j|i}

    ps, pt = conditional(s), conditional(teacher)
    loss = (pt * torch.log((pt + eps) / (ps + eps))).mean()
    loss.backward()
    return {"loss": loss.item(), "grad_student": rows(s.grad)}


def main():
    cases = {}
    for name, (shape_s, shape_t) in {
        "flat": ((B, CS), (B, CT)),
        "seq": ((B, CS, L), (B, CT, L)),
    }.items():
        s, t = student_teacher(shape_s, shape_t)
        s2, t2 = student_teacher(shape_s, shape_t)  # a second layer pair for the losses that sum over pairs
        t_relu = t.abs()  # FitNet hints are post-ReLU teacher features

        reg_w = torch.randn(CT, CS) * 0.5
        reg_b = torch.randn(CT) * 0.1
        con_w = torch.randn(CT, CS) * math.sqrt(2.0 / CT)  # the authors' init, fixed here
        bn_weight = torch.tensor([1.0, -0.5, 2.0, 0.8, 1.5, 0.3, 1.0])  # a negative std tests |weight|
        bn_bias = torch.tensor([0.0, 0.2, -1.0, 5.0, 0.5, -0.1, 4.0])  # 5 and 4 sigma take the -3 sigma branch
        margins = margins_from_bn(bn_weight, bn_bias)
        t_pre = t * 1.5  # teacher pre-activations, about half negative

        cases[name] = {
            "student": rows(s), "teacher": rows(t), "student2": rows(s2), "teacher2": rows(t2),
            "teacher_relu": rows(t_relu), "teacher_pre": rows(t_pre),
            "fitnet": {"weight": rows(reg_w), "bias": rows(reg_b), **fitnet(s, t_relu, reg_w, reg_b)},
            "at": at([s, s2], [t, t2]),
            "ofd": {"weight": rows(con_w), "bn_weight": rows(bn_weight), "bn_bias": rows(bn_bias),
                    "margins": rows(margins), **ofd(s, t_pre, con_w, margins)},
            "sp": sp([s, s2], [t, t2]),
            "rkd": rkd(s, t),
            "pkt": pkt(s, t),
        }

    s, t = student_teacher((B, CS, 2 * L), (B, CT, L))
    cases["at_lengths"] = {"student": rows(s), "teacher": rows(t), "at": at([s], [t])}

    path = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Distill.Tests", "Reference", "feature_losses_a.json")
    with open(path, "w") as f:
        json.dump({"generator": "tools/reference/feature_losses_a.py", "torch": torch.__version__, "cases": cases}, f)
    print("wrote", os.path.normpath(path), os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
