"""Reference values for Distill.Losses.Crd (CRD: Tian, Krishnan & Isola, ICLR 2020).

Re-implements, op for op, the logic of RepDistiller's crd/memory.py (ContrastMemory) and
crd/criterion.py (Embed, Normalize, ContrastLoss, CRDLoss), with small sizes, fixed embed weights,
fixed initial memory banks and fixed row/contrast indices, then runs two consecutive steps so that
the normalisation constants Z fixed in step 1 are reused in step 2. Inputs are drawn in float32 (so the
C# side can load them exactly in either precision); the reference then runs in float64, and every number is
written with 10 significant digits. Writes tests/Distill.Tests/Reference/crd.json. Run with Debian's PyTorch 1.13:

    /usr/bin/python3 tools/reference/crd.py
"""
import json
import math
import os

import torch

EPS = 1e-7
N_DATA, FEAT_DIM, K, B, S_DIM, T_DIM = 50, 16, 8, 6, 12, 20
TEMPERATURE, MOMENTUM, Z_MOMENTUM = 0.07, 0.5, 0.99


class Normalize(torch.nn.Module):
    """L_p normalisation over dim 1 written as the reference writes it (x / (sum x^p)^(1/p))."""

    def __init__(self, power=2):
        super().__init__()
        self.power = power

    def forward(self, x):
        return x.div(x.pow(self.power).sum(1, keepdim=True).pow(1.0 / self.power))


class Embed(torch.nn.Module):
    """Flatten, linear projection, L2 normalisation."""

    def __init__(self, dim_in, dim_out):
        super().__init__()
        self.linear = torch.nn.Linear(dim_in, dim_out)
        self.l2norm = Normalize(2)

    def forward(self, x):
        return self.l2norm(self.linear(x.view(x.shape[0], -1)))


class ContrastMemory(torch.nn.Module):
    """Two memory banks; each view is scored against the other view's bank; Z fixed at the first call."""

    def __init__(self, feat_dim, n_data, k, t, momentum):
        super().__init__()
        self.k, self.t, self.momentum = k, t, momentum
        self.z_v1, self.z_v2 = -1.0, -1.0
        self.last_batch_z = None  # this batch's estimate mean(scores) * n_data, kept for the running-Z check
        stdv = 1.0 / math.sqrt(feat_dim / 3)
        self.register_buffer('memory_v1', torch.rand(n_data, feat_dim).mul_(2 * stdv).add_(-stdv))
        self.register_buffer('memory_v2', torch.rand(n_data, feat_dim).mul_(2 * stdv).add_(-stdv))

    def scores(self, bank, view, idx):
        batch, dim = view.shape
        rows = torch.index_select(bank, 0, idx.view(-1)).detach().view(batch, self.k + 1, dim)
        return torch.exp(torch.div(torch.bmm(rows, view.view(batch, dim, 1)), self.t))

    def forward(self, v1, v2, y, idx):
        n_data = self.memory_v1.size(0)
        out_v2 = self.scores(self.memory_v1, v2, idx)
        out_v1 = self.scores(self.memory_v2, v1, idx)
        self.last_batch_z = ((out_v1.mean() * n_data).item(), (out_v2.mean() * n_data).item())
        if self.z_v1 < 0:
            self.z_v1 = self.last_batch_z[0]
        if self.z_v2 < 0:
            self.z_v2 = self.last_batch_z[1]
        out_v1 = torch.div(out_v1, self.z_v1).contiguous()
        out_v2 = torch.div(out_v2, self.z_v2).contiguous()
        with torch.no_grad():
            for bank, view in ((self.memory_v1, v1), (self.memory_v2, v2)):
                pos = torch.index_select(bank, 0, y.view(-1))
                pos.mul_(self.momentum).add_(torch.mul(view, 1 - self.momentum))
                bank.index_copy_(0, y, pos.div(pos.pow(2).sum(1, keepdim=True).pow(0.5)))
        return out_v1, out_v2


class ContrastLoss(torch.nn.Module):
    """NCE loss of Eq. (18) with the uniform noise distribution Pn = 1 / n_data."""

    def __init__(self, n_data):
        super().__init__()
        self.n_data = n_data

    def forward(self, x):
        bsz, m = x.shape[0], x.size(1) - 1
        pn = 1 / float(self.n_data)
        p_pos = x.select(1, 0)
        log_d1 = torch.div(p_pos, p_pos.add(m * pn + EPS)).log_()
        p_neg = x.narrow(1, 1, m)
        log_d0 = torch.div(p_neg.clone().fill_(m * pn), p_neg.add(m * pn + EPS)).log_()
        return -(log_d1.sum(0) + log_d0.view(-1, 1).sum(0)) / bsz


class CRDLoss(torch.nn.Module):
    """Both sides: student as anchor against the teacher bank and the teacher against the student bank."""

    def __init__(self, s_dim, t_dim, feat_dim, n_data, k, t, momentum):
        super().__init__()
        self.embed_s = Embed(s_dim, feat_dim)
        self.embed_t = Embed(t_dim, feat_dim)
        self.contrast = ContrastMemory(feat_dim, n_data, k, t, momentum)
        self.criterion_s = ContrastLoss(n_data)
        self.criterion_t = ContrastLoss(n_data)

    def forward(self, f_s, f_t, idx, contrast_idx):
        out_s, out_t = self.contrast(self.embed_s(f_s), self.embed_t(f_t), idx, contrast_idx)
        return self.criterion_s(out_s) + self.criterion_t(out_t)


def as_list(t):
    return t.detach().double().tolist()


def rounded(value):
    """Ten significant digits: float32 inputs survive exactly, float64 results keep far more than 1e-5."""
    if isinstance(value, float):
        return float('%.10g' % value)
    if isinstance(value, list):
        return [rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    return value


def contrast_indices(gen, idx, labels):
    """[positive = the row itself, K negatives of other classes] per row, without replacement (RepDistiller's 'exact')."""
    out = []
    for row in idx.tolist():
        pool = torch.tensor([j for j in range(N_DATA) if labels[j] != labels[row]])
        out.append([row] + pool[torch.randperm(len(pool), generator=gen)[:K]].tolist())
    return torch.tensor(out, dtype=torch.long)


def main():
    torch.manual_seed(7)
    gen = torch.Generator().manual_seed(11)
    crd = CRDLoss(S_DIM, T_DIM, FEAT_DIM, N_DATA, K, TEMPERATURE, MOMENTUM).double()
    labels = torch.arange(N_DATA) % 5
    initial = {
        'embed_s_weight': as_list(crd.embed_s.linear.weight), 'embed_s_bias': as_list(crd.embed_s.linear.bias),
        'embed_t_weight': as_list(crd.embed_t.linear.weight), 'embed_t_bias': as_list(crd.embed_t.linear.bias),
        'memory_student': as_list(crd.contrast.memory_v1), 'memory_teacher': as_list(crd.contrast.memory_v2),
    }
    # Step 2 revisits rows updated in step 1 (3, 17) and reads them as negatives, so a broken update shows.
    idx_steps = [torch.tensor([3, 17, 29, 41, 8, 44]), torch.tensor([17, 5, 3, 22, 36, 10])]
    steps = []
    for step, idx in enumerate(idx_steps):
        cidx = contrast_indices(gen, idx, labels)
        if step == 1:
            cidx[0, 1], cidx[1, 2] = 8, 29  # rows updated in step 1, of other classes than the anchors
        f_s = torch.randn(B, S_DIM, generator=gen).double().requires_grad_(True)
        f_t = torch.randn(B, T_DIM, generator=gen).double()
        crd.zero_grad()
        loss = crd(f_s, f_t, idx, cidx)
        loss.backward()
        steps.append({
            'idx': idx.tolist(), 'contrast_idx': cidx.tolist(),
            'f_s': as_list(f_s), 'f_t': as_list(f_t),
            'loss': loss.item(),
            'z_student': crd.contrast.z_v1, 'z_teacher': crd.contrast.z_v2,
            'batch_z_student': crd.contrast.last_batch_z[0], 'batch_z_teacher': crd.contrast.last_batch_z[1],
            'grad_f_s': as_list(f_s.grad),
            'grad_embed_s_weight': as_list(crd.embed_s.linear.weight.grad),
            'grad_embed_s_bias': as_list(crd.embed_s.linear.bias.grad),
            'grad_embed_t_weight': as_list(crd.embed_t.linear.weight.grad),
            'grad_embed_t_bias': as_list(crd.embed_t.linear.bias.grad),
            'memory_student': as_list(crd.contrast.memory_v1),
            'memory_teacher': as_list(crd.contrast.memory_v2),
        })

    # Shared negatives are the per-row reference with every row given the same K negatives.
    shared = CRDLoss(S_DIM, T_DIM, FEAT_DIM, N_DATA, K, TEMPERATURE, MOMENTUM).double()
    shared.load_state_dict(crd.state_dict())
    with torch.no_grad():
        shared.contrast.memory_v1.copy_(torch.tensor(initial['memory_student'], dtype=torch.float64))
        shared.contrast.memory_v2.copy_(torch.tensor(initial['memory_teacher'], dtype=torch.float64))
    negatives = torch.tensor([30, 1, 12, 48, 7, 25, 39, 14])
    idx = idx_steps[0]
    cidx = torch.cat([idx.view(-1, 1), negatives.view(1, -1).expand(B, K)], dim=1)
    f_s = torch.tensor(steps[0]['f_s'], dtype=torch.float64).requires_grad_(True)
    f_t = torch.tensor(steps[0]['f_t'], dtype=torch.float64)
    loss = shared(f_s, f_t, idx, cidx)
    loss.backward()
    shared_case = {'idx': idx.tolist(), 'negatives': negatives.tolist(), 'loss': loss.item(),
                   'z_student': shared.contrast.z_v1, 'z_teacher': shared.contrast.z_v2,
                   'grad_f_s': as_list(f_s.grad),
                   'memory_student': as_list(shared.contrast.memory_v1),
                   'memory_teacher': as_list(shared.contrast.memory_v2)}

    out = {
        'generator': 'tools/reference/crd.py', 'torch': torch.__version__, 'dtype': 'float32 inputs, float64 computation',
        'sizes': {'n_data': N_DATA, 'feat_dim': FEAT_DIM, 'k': K, 'batch': B, 's_dim': S_DIM, 't_dim': T_DIM},
        'temperature': TEMPERATURE, 'momentum': MOMENTUM, 'z_momentum': Z_MOMENTUM,
        'labels': labels.tolist(), 'initial': initial, 'steps': steps, 'shared': shared_case,
    }
    path = os.path.join(os.path.dirname(__file__), '..', '..', 'tests', 'Distill.Tests', 'Reference', 'crd.json')
    with open(path, 'w') as f:
        json.dump(rounded(out), f, separators=(',', ':'))
    print(f"wrote {os.path.normpath(path)}: losses {[s['loss'] for s in steps]}, shared {shared_case['loss']}, "
          f"Z {steps[0]['z_student']:.4f}/{steps[0]['z_teacher']:.4f}")


if __name__ == '__main__':
    main()
