"""Times PyTorch 1.13 running the reference CRD step (tools/reference/crd.py, RepDistiller's logic) at the sizes of
bench/Distill.Bench/Benchmarks/CrdBenchmark.cs: forward + backward + memory update, float32, contrast indices drawn
(RepDistiller-style, class-aware, without replacement) before the clock starts.

    /usr/bin/python3 tools/reference/crd_bench.py [--steps 10] [--warmup 2] [--batch 64] [--k 16384] [--n-data 50000] [--threads N]

Peak memory is the process's peak resident set (VmHWM), reset through /proc/self/clear_refs before the run.
"""
import argparse
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(__file__))
from crd import CRDLoss  # noqa: E402


def status_kb(field):
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    return -1


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--steps', type=int, default=10)
    p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--batch', type=int, default=64)
    p.add_argument('--k', type=int, default=16384)
    p.add_argument('--n-data', type=int, default=50000)
    p.add_argument('--feat-dim', type=int, default=128)
    p.add_argument('--dim', type=int, default=256)
    p.add_argument('--threads', type=int, default=0)
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    blas = [line.strip() for line in torch.__config__.show().splitlines() if 'BLAS_INFO' in line]
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, {blas[0].split(',')[0] if blas else 'BLAS ?'}, "
          f"B {a.batch}, K {a.k}, n_data {a.n_data}, feat_dim {a.feat_dim}, s_dim = t_dim = {a.dim}, "
          f"{a.warmup} warm-up + {a.steps} timed steps, load average {' '.join(open('/proc/loadavg').read().split()[:3])}")
    try:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')
    except OSError:
        pass
    rss_before = status_kb('VmRSS')
    crd = CRDLoss(a.dim, a.dim, a.feat_dim, a.n_data, a.k, 0.07, 0.5)
    labels = torch.arange(a.n_data) % 100
    f_s = torch.randn(a.batch, a.dim, requires_grad=True)
    f_t = torch.randn(a.batch, a.dim)
    batches = []
    t0 = time.perf_counter()
    for _ in range(a.warmup + a.steps):
        idx = torch.randperm(a.n_data)[:a.batch]
        keys = torch.rand(a.batch, a.n_data)
        keys.masked_fill_(labels.view(1, -1) == labels[idx].view(-1, 1), -1.0)
        negatives = keys.topk(a.k, dim=1, sorted=False).indices
        batches.append((idx, torch.cat([idx.view(-1, 1), negatives], dim=1)))
    sample_ms = (time.perf_counter() - t0) * 1000 / (a.warmup + a.steps)
    for i, (idx, cidx) in enumerate(batches):
        if i == a.warmup:
            t0, cpu0 = time.perf_counter(), time.process_time()
        crd.zero_grad()
        f_s.grad = None
        loss = crd(f_s, f_t, idx, cidx)
        loss.backward()
        loss.item()
    elapsed = time.perf_counter() - t0
    cpu_ms = (time.process_time() - cpu0) * 1000 / a.steps
    sps = a.steps / elapsed
    print(f"reference (per-row): {sps:7.2f} steps/s ({1000 / sps:8.1f} ms/step, CPU {cpu_ms:8.1f} ms/step); sampler {sample_ms:7.1f} ms/batch (not in the step); "
          f"peak RSS {status_kb('VmHWM') / 1024:7.0f} MiB, RSS before {rss_before / 1024:.0f} MiB")
    print(f"RESULT pytorch-crd-step {sps:.4f} steps/s")
    print(f"RESULT pytorch-crd-step-cpu {cpu_ms:.4f} ms/step")


if __name__ == '__main__':
    main()
