"""Reference values for the BeatGAN generator, discriminator and one training step (PyTorch 1.13).

Run with Debian's interpreter (the one with torch):  /usr/bin/python3 tools/reference/beatgan.py
Writes tests/Distill.Tests/Reference/beatgan.json.

The networks are written here from the paper's description and the authors' layer layout (Zhou et al.,
"BeatGAN: Anomalous Rhythm Detection using Adversarially Generated Time Series", IJCAI 2019), with the same
Sequential indices, so state_dict names are those of the authors' model (encoder1.main.N, decoder.main.N,
features.N, classifier.0). Widths are small to keep the JSON under 300 KB; features and pre-activations are
stored for the second beat of the batch only (eval mode treats beats independently), and post-activation
features are left to the C# invariant test (feature = activation(pre-activation)). Weights, batch-norm statistics and inputs are rounded to 4 decimals before use, so the C# side, which
parses the same decimals, computes with bit-identical float32 parameters.
"""
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

NC, NZ, NGF, NDF, L = 1, 6, 2, 2, 320
BOTTLENECK = L // 32
torch.manual_seed(8)
np.random.seed(8)


def encoder_layers(width, outputs):
    layers, cin = [], NC
    for k in range(5):
        cout = width << k
        layers.append(nn.Conv1d(cin, cout, 4, 2, 1, bias=False))
        if k > 0:
            layers.append(nn.BatchNorm1d(cout))
        layers.append(nn.LeakyReLU(0.2))
        cin = cout
    layers.append(nn.Conv1d(cin, outputs, BOTTLENECK, 1, 0, bias=False))
    return layers


def decoder_layers():
    layers, cin = [], NZ
    for k in range(5):
        cout = NGF << (4 - k)
        if k == 0:
            layers.append(nn.ConvTranspose1d(cin, cout, BOTTLENECK, 1, 0, bias=False))
        else:
            layers.append(nn.ConvTranspose1d(cin, cout, 4, 2, 1, bias=False))
        layers += [nn.BatchNorm1d(cout), nn.ReLU()]
        cin = cout
    layers += [nn.ConvTranspose1d(cin, NC, 4, 2, 1, bias=False), nn.Tanh()]
    return layers


class Seq(nn.Module):
    def __init__(self, layers):
        super().__init__()
        self.main = nn.Sequential(*layers)


class G(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder1 = Seq(encoder_layers(NGF, NZ))
        self.decoder = Seq(decoder_layers())


class D(nn.Module):
    def __init__(self):
        super().__init__()
        layers = encoder_layers(NDF, 1)
        self.features = nn.Sequential(*layers[:-1])
        self.classifier = nn.Sequential(layers[-1])


def run(seq, x):
    """Runs a Sequential once, recording (pre-activation, feature) at every activation."""
    pre, feats = [], []
    for layer in seq:
        if isinstance(layer, (nn.LeakyReLU, nn.ReLU)):
            pre.append(x)
            x = layer(x)
            feats.append(x)
        else:
            x = layer(x)
    return x, pre, feats


def g_forward(g, x):
    z, pre_e, f_e = run(g.encoder1.main, x)
    out, pre_d, f_d = run(g.decoder.main, z)
    return out, z, f_e + [z] + f_d, pre_e + [z] + pre_d


def d_forward(d, x):
    last, pre, feats = run(d.features, x)
    return d.classifier(last).view(-1), feats, pre


def init_and_round(module):
    for m in module.modules():
        if isinstance(m, (nn.Conv1d, nn.ConvTranspose1d)):
            nn.init.xavier_normal_(m.weight)
        elif isinstance(m, nn.BatchNorm1d):
            m.weight.data.normal_(1.0, 0.02)
            m.bias.data.normal_(0.0, 0.05)  # non-zero shifts and statistics make the eval-mode check meaningful
            m.running_mean.normal_(0.0, 0.1)
            m.running_var.uniform_(0.5, 1.5)
    with torch.no_grad():
        for t in module.state_dict().values():
            if t.is_floating_point():
                t.copy_(torch.tensor(np.round(t.double().numpy(), 4), dtype=torch.float32))


def flat(t, digits=9):
    return [float("%.*g" % (digits, v)) for v in t.detach().double().reshape(-1).tolist()]


def state(module):
    return {k: flat(v) for k, v in module.state_dict().items()}


def rounded_input(batch):
    t = np.linspace(0, 1, L)
    rows = [np.sin(2 * np.pi * (3 + i) * t + i) * 0.8 + 0.1 * np.random.randn(L) for i in range(batch)]
    return torch.tensor(np.round(np.clip(rows, -1, 1), 4), dtype=torch.float32).reshape(batch, NC, L)


g, d = G(), D()
init_and_round(g)
init_and_round(d)
g_state, d_state = state(g), state(d)
g_initial = {k: v.clone() for k, v in g.state_dict().items()}
d_initial = {k: v.clone() for k, v in d.state_dict().items()}

x = rounded_input(2)
g.eval(), d.eval()
with torch.no_grad():
    out, z, _, g_pre = g_forward(g, x)
    logits, _, d_pre = d_forward(d, x)
    g.train()
    out_train = g_forward(g, x)[0]  # batch statistics; also updates running statistics
    bn_after = {"mean": flat(g.encoder1.main[3].running_mean), "var": flat(g.encoder1.main[3].running_var)}

# One BeatGAN training step (Zhou et al., Section 3.3) as the authors' model.py runs it, from the initial weights: the
# generator runs twice on the batch (in D's step and in its own), so its BatchNorm running statistics are updated twice.
g.load_state_dict(g_initial)
d.load_state_dict(d_initial)
g.train(), d.train()
xs = rounded_input(4)
opt_d = torch.optim.Adam(d.parameters(), lr=1e-4, betas=(0.5, 0.999))
opt_g = torch.optim.Adam(g.parameters(), lr=1e-4, betas=(0.5, 0.999))
opt_d.zero_grad()
real_logits = d_forward(d, xs)[0]
with torch.no_grad():
    fake = g_forward(g, xs)[0]
fake_logits = d_forward(d, fake)[0]
err_d_real = F.binary_cross_entropy_with_logits(real_logits, torch.ones(4))
err_d_fake = F.binary_cross_entropy_with_logits(fake_logits, torch.zeros(4))
(err_d_real + err_d_fake).backward()
opt_d.step()
opt_g.zero_grad()
fake = g_forward(g, xs)[0]
feat_fake = d_forward(d, fake)[1][-1]
with torch.no_grad():
    feat_real = d_forward(d, xs)[1][-1]
err_g_rec = F.mse_loss(fake, xs)
err_g_adv = F.mse_loss(feat_fake, feat_real)
(err_g_rec + 1.0 * err_g_adv).backward()
opt_g.step()
g_running_after_step = {"mean": flat(g.encoder1.main[3].running_mean), "var": flat(g.encoder1.main[3].running_var),
                        "decoder_mean": flat(g.decoder.main[1].running_mean), "decoder_var": flat(g.decoder.main[1].running_var)}

data = {
    "config": {"nc": NC, "nz": NZ, "ngf": NGF, "ndf": NDF, "length": L, "torch": torch.__version__},
    "generator_state": g_state,
    "discriminator_state": d_state,
    "input": flat(x),
    "eval": {
        "reconstruction": flat(out),
        "latent": flat(z),
        "generator_pre_activations_beat1": [flat(f[1], 8) for f in g_pre],
        "discriminator_logits": flat(logits),
        "discriminator_pre_activations_beat1": [flat(f[1], 8) for f in d_pre],
    },
    "train_mode": {"reconstruction": flat(out_train), "encoder_main_3_running": bn_after},
    "step": {
        "input": flat(xs),
        "learning_rate": 1e-4, "beta1": 0.5, "adversarial_weight": 1.0,
        "err_d_real": err_d_real.item(), "err_d_fake": err_d_fake.item(),
        "err_g_rec": err_g_rec.item(), "err_g_adv": err_g_adv.item(),
        "generator_running_after_step": g_running_after_step,
    },
}
path = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Distill.Tests", "Reference", "beatgan.json")
with open(path, "w") as f:
    json.dump(data, f, separators=(",", ":"))
print(f"wrote {os.path.normpath(path)} ({os.path.getsize(path) // 1024} KB)")
