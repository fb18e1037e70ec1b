"""PyTorch fixture for loading BeatGAN state_dicts written by the authors' model into Distill's BeatGAN networks.

Run with Debian's PyTorch 1.13:
  /usr/bin/python3 tools/reference/beatgan_interop.py             writes tests/Distill.Tests/Reference/beatgan_interop.json
  /usr/bin/python3 tools/reference/beatgan_interop.py --verify DIR
      checks that the files Distill's SavePyTorch wrote into DIR (generator.pt, discriminator.pt: run the interop tests
      with DISTILL_INTEROP_EXPORT=DIR) load into the authors' model with load_state_dict(strict=True), hold exactly the
      fixture's tensors and give the fixture's eval-mode outputs.

The networks below follow the authors' classes (Zhou et al., "BeatGAN: Anomalous Rhythm Detection using Adversarially
Generated Time Series", IJCAI 2019; repository hi-bingo/BeatGAN, experiments/ecg/network.py: Encoder and Decoder,
each one nn.Sequential named `main`; experiments/ecg/model.py: Generator(encoder1, decoder) and Discriminator, whose
`features` are the Encoder's layers but the last and whose `classifier` is Sequential(last Conv1d, Sigmoid)). As in the
authors' code the generator's encoder reads ndf, and the last kernel is the bottleneck length (10 for 320 samples).
The widths are small (nz 8, ngf = ndf = 3) to keep the JSON under 300 KB; weights get the authors' weights_init and
batch norms get non-trivial shifts, running statistics and counters, so eval mode depends on every buffer.

The JSON holds both state_dicts as the bytes torch.save wrote (base64; the test project copies only *.json), the
discriminator once more in PyTorch's legacy (pre-1.6) format, in which the authors released their trained weights,
every key with its shape, an input batch and the eval-mode outputs of both networks. Reruns reproduce the JSON
except the legacy file's bytes, whose storage keys are memory addresses (its tensors are the same).
"""
import base64
import io
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn

NC, NZ, NGF, NDF, L = 1, 8, 3, 3, 320
BATCH = 3
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Distill.Tests", "Reference", "beatgan_interop.json")


class Opt:
    nc, nz, ngf, ndf = NC, NZ, NGF, NDF


class Encoder(nn.Module):
    """The authors' Encoder: five strided Conv1d blocks (batch norm from the second on), then Conv1d to out_z."""

    def __init__(self, opt, out_z):
        super().__init__()
        w = opt.ndf
        self.main = nn.Sequential(
            nn.Conv1d(opt.nc, w, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv1d(w, w * 2, 4, 2, 1, bias=False), nn.BatchNorm1d(w * 2), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv1d(w * 2, w * 4, 4, 2, 1, bias=False), nn.BatchNorm1d(w * 4), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv1d(w * 4, w * 8, 4, 2, 1, bias=False), nn.BatchNorm1d(w * 8), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv1d(w * 8, w * 16, 4, 2, 1, bias=False), nn.BatchNorm1d(w * 16), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv1d(w * 16, out_z, L // 32, 1, 0, bias=False),
        )

    def forward(self, x):
        return self.main(x)


class Decoder(nn.Module):
    """The authors' Decoder: the Encoder mirrored with ConvTranspose1d, batch norm and ReLU, ending in Tanh."""

    def __init__(self, opt):
        super().__init__()
        w = opt.ngf
        self.main = nn.Sequential(
            nn.ConvTranspose1d(opt.nz, w * 16, L // 32, 1, 0, bias=False), nn.BatchNorm1d(w * 16), nn.ReLU(True),
            nn.ConvTranspose1d(w * 16, w * 8, 4, 2, 1, bias=False), nn.BatchNorm1d(w * 8), nn.ReLU(True),
            nn.ConvTranspose1d(w * 8, w * 4, 4, 2, 1, bias=False), nn.BatchNorm1d(w * 4), nn.ReLU(True),
            nn.ConvTranspose1d(w * 4, w * 2, 4, 2, 1, bias=False), nn.BatchNorm1d(w * 2), nn.ReLU(True),
            nn.ConvTranspose1d(w * 2, w, 4, 2, 1, bias=False), nn.BatchNorm1d(w), nn.ReLU(True),
            nn.ConvTranspose1d(w, opt.nc, 4, 2, 1, bias=False), nn.Tanh(),
        )

    def forward(self, z):
        return self.main(z)


class Generator(nn.Module):
    def __init__(self, opt):
        super().__init__()
        self.encoder1 = Encoder(opt, opt.nz)
        self.decoder = Decoder(opt)

    def forward(self, x):
        latent = self.encoder1(x)
        return self.decoder(latent), latent


class Discriminator(nn.Module):
    def __init__(self, opt):
        super().__init__()
        layers = list(Encoder(opt, 1).main.children())
        self.features = nn.Sequential(*layers[:-1])
        self.classifier = nn.Sequential(layers[-1])
        self.classifier.add_module("Sigmoid", nn.Sigmoid())

    def forward(self, x):
        features = self.features(x)
        return self.classifier(features).view(-1, 1).squeeze(1), features


def authors_init(module):
    """The authors' weights_init, then batch-norm shifts and statistics a trained model would have."""
    for m in module.modules():
        if isinstance(m, (nn.Conv1d, nn.ConvTranspose1d)):
            nn.init.xavier_normal_(m.weight)
        elif isinstance(m, nn.BatchNorm1d):
            m.weight.data.normal_(1.0, 0.02)
            m.bias.data.normal_(0.0, 0.1)
            m.running_mean.normal_(0.0, 0.3)
            m.running_var.uniform_(0.3, 2.0)
            m.num_batches_tracked.fill_(int(torch.randint(1, 1000, ())))


def saved_bytes(state, legacy=False):
    buffer = io.BytesIO()
    torch.save(state, buffer, _use_new_zipfile_serialization=not legacy)
    return buffer.getvalue()


def flat(t):
    return [float("%.9g" % v) for v in t.detach().double().reshape(-1).tolist()]  # 9 digits round-trip a float32


def keys_and_shapes(module):
    return [[k, list(v.shape)] for k, v in module.state_dict().items()]


def build():
    torch.manual_seed(20191)
    g, d = Generator(Opt), Discriminator(Opt)
    authors_init(g)
    authors_init(d)
    g.eval(), d.eval()
    t = torch.linspace(0, 1, L)
    x = torch.stack([0.8 * torch.sin(2 * np.pi * (3 + i) * t + i) + 0.1 * torch.randn(L) for i in range(BATCH)])
    x = x.clamp(-1, 1).reshape(BATCH, NC, L)
    return g, d, x


def outputs(g, d, x):
    with torch.no_grad():
        reconstruction, latent = g(x)
        probability, features = d(x)
    return reconstruction, latent, probability, features


def write():
    g, d, x = build()
    reconstruction, latent, probability, features = outputs(g, d, x)
    g_bytes, d_bytes = saved_bytes(g.state_dict()), saved_bytes(d.state_dict())

    # The files must load back into the authors' classes unchanged.
    for cls, raw, net in ((Generator, g_bytes, g), (Discriminator, d_bytes, d)):
        check = cls(Opt)
        check.load_state_dict(torch.load(io.BytesIO(raw)), strict=True)
        assert all(torch.equal(a, b) for a, b in zip(check.state_dict().values(), net.state_dict().values()))

    data = {
        "config": {"nc": NC, "nz": NZ, "ngf": NGF, "ndf": NDF, "length": L, "batch": BATCH, "torch": torch.__version__},
        "generator_keys": keys_and_shapes(g),
        "discriminator_keys": keys_and_shapes(d),
        "generator_pt_base64": base64.b64encode(g_bytes).decode("ascii"),
        "discriminator_pt_base64": base64.b64encode(d_bytes).decode("ascii"),
        "discriminator_legacy_base64": base64.b64encode(saved_bytes(d.state_dict(), legacy=True)).decode("ascii"),
        "input": flat(x),
        "eval": {
            "reconstruction": flat(reconstruction),
            "latent": flat(latent),
            "probability": flat(probability),
            "features": flat(features),
        },
    }
    with open(OUT, "w") as f:
        json.dump(data, f, separators=(",", ":"))
    print(f"wrote {os.path.normpath(OUT)} ({os.path.getsize(OUT) // 1024} KB; generator {len(g_bytes)} B, "
          f"discriminator {len(d_bytes)} B)")


def verify(folder):
    """Loads files written by Distill's SavePyTorch into the authors' classes and compares them with the fixture."""
    g, d, x = build()
    loaded = []
    for cls, name, net in ((Generator, "generator.pt", g), (Discriminator, "discriminator.pt", d)):
        model = cls(Opt)
        model.load_state_dict(torch.load(os.path.join(folder, name)), strict=True)
        for key, tensor in net.state_dict().items():
            theirs = model.state_dict()[key]
            assert tensor.dtype == theirs.dtype and torch.equal(tensor, theirs), f"{name}: {key} differs"
        print(f"{name}: {len(net.state_dict())} tensors load with strict=True and equal the fixture's bit for bit")
        loaded.append(model.eval())
    expected, actual = outputs(g, d, x), outputs(*loaded, x)
    assert all(torch.equal(a, b) for a, b in zip(expected, actual))
    print("eval-mode outputs of the loaded networks equal the fixture's")

if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--verify":
        verify(sys.argv[2])
    elif len(sys.argv) == 1:
        write()
    else:
        sys.exit(__doc__)
