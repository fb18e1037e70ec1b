"""PyTorch 1.13 timing of the BeatGAN training step that bench/ BeatGanBenchmark times in C#.

Run:  /usr/bin/python3 tools/reference/beatgan_bench.py [--steps 1000] [--warmup 20] [--threads N] [--batch 64] [--width 32]
Same networks (nz 50, ngf = ndf = 32, one lead of 320 samples), same step: D update with BCE on logits of real
beats and of reconstructions made without gradient; G update with reconstruction MSE + feature-matching MSE on D's
last block, D's weights frozen; Adam lr 1e-4, betas (0.5, 0.999). Prints steps/s and RSS (after warm-up, a tenth in, end).
"""
import argparse
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--steps", type=int, default=1000)
parser.add_argument("--warmup", type=int, default=20)
parser.add_argument("--threads", type=int, default=0)
parser.add_argument("--batch", type=int, default=64)
parser.add_argument("--width", type=int, default=32, help="ngf = ndf")
args = parser.parse_args()
if args.threads > 0:
    torch.set_num_threads(args.threads)
torch.manual_seed(0)
NC, NZ, NGF, NDF, L = 1, 50, args.width, args.width, 320


def encoder_layers(width, outputs):
    layers, cin = [], NC
    for k in range(5):
        cout = width << k
        layers.append(nn.Conv1d(cin, cout, 4, 2, 1, bias=False))
        if k > 0:
            layers.append(nn.BatchNorm1d(cout))
        layers.append(nn.LeakyReLU(0.2))
        cin = cout
    layers.append(nn.Conv1d(cin, outputs, L // 32, 1, 0, bias=False))
    return layers


def decoder_layers():
    layers, cin = [], NZ
    for k in range(5):
        cout = NGF << (4 - k)
        stride_args = (L // 32, 1, 0) if k == 0 else (4, 2, 1)
        layers += [nn.ConvTranspose1d(cin, cout, *stride_args, bias=False), nn.BatchNorm1d(cout), nn.ReLU()]
        cin = cout
    return layers + [nn.ConvTranspose1d(cin, NC, 4, 2, 1, bias=False), nn.Tanh()]


g = nn.Sequential(nn.Sequential(*encoder_layers(NGF, NZ)), nn.Sequential(*decoder_layers()))
d_layers = encoder_layers(NDF, 1)
d_features, d_classifier = nn.Sequential(*d_layers[:-1]), d_layers[-1]
d = nn.Sequential(d_features, d_classifier)
opt_g = torch.optim.Adam(g.parameters(), lr=1e-4, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(d.parameters(), lr=1e-4, betas=(0.5, 0.999))
x = torch.rand(args.batch, NC, L) * 2 - 1


def step():
    g.train(), d.train()
    opt_d.zero_grad()
    real_logits = d(x).view(-1)
    with torch.no_grad():
        fake = g(x)
    fake_logits = d(fake).view(-1)
    err_d = F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits)) + \
        F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    err_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    for p in d.parameters():
        p.requires_grad_(False)
    fake = g(x)
    feat_fake = d_features(fake)
    with torch.no_grad():
        feat_real = d_features(x)
    err_g = F.mse_loss(fake, x) + F.mse_loss(feat_fake, feat_real)
    err_g.backward()
    for p in d.parameters():
        p.requires_grad_(True)
    opt_g.step()
    return err_d.item(), err_g.item()


def rss_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024.0


print(f"ngf = ndf = {NGF}, nz {NZ}; torch {torch.__version__}, threads {torch.get_num_threads()}, load average {open('/proc/loadavg').read().strip()}")
print("BLAS/LAPACK:", [line.strip() for line in torch.__config__.show().splitlines() if "BLAS" in line or "MKL" in line])
for _ in range(args.warmup):
    step()
after_warmup = rss_mib()
settle = max(1, args.steps // 10)
settled = after_warmup
start = time.perf_counter()
for i in range(args.steps):
    last = step()
    if i == settle:
        settled = rss_mib()
elapsed = time.perf_counter() - start
end = rss_mib()
print(f"steps {args.steps} (after {args.warmup} warm-up), batch {args.batch}: {args.steps / elapsed:.2f} steps/s, {1000 * elapsed / args.steps:.2f} ms/step")
print(f"RSS after warm-up {after_warmup:.1f} MiB, after step {settle} {settled:.1f} MiB, after step {args.steps} {end:.1f} MiB "
      f"(steady-state change {end - settled:+.1f} MiB)")
print(f"last step: D {last[0]:.4g}, G {last[1]:.4g}")
print(f"RESULT pytorch-beatgan-step {args.steps / elapsed:.6g} steps/s")
print(f"RESULT pytorch-beatgan-rss-change {end - settled:.6g} MiB")
print(f"load average after {open('/proc/loadavg').read().strip()}")
