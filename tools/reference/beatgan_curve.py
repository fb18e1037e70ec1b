"""BeatGAN's learning curve in PyTorch 1.13, the authors' algorithm on the beats Distill exported.

Zhou B. et al., "BeatGAN: Anomalous Rhythm Detection using Adversarially Generated Time Series", IJCAI 2019. Written from
the paper and the layer layout of the authors' code (github.com/Vniex/BeatGAN, experiments/ecg/model.py, network.py,
data.py), not copied from it. Run with Debian's interpreter (PyTorch 1.13, NumPy, scikit-learn):

    dotnet run -c Release --project cli/Distill.Cli -- data mitbih --export-fold 0 --max-train-beats 16000 --out fold0 \
        --cache $DISTILL_MITDB
    /usr/bin/python3 tools/reference/beatgan_curve.py --fold fold0 --out curve0 --epochs 12 --seed 0 --threads 1

The export's --max-train-beats N writes the very training subset that 'distill reproduce beatgan --data mitbih
--max-train-beats N' trains on (one C# function picks it for both), so the two trainers see the same beats.

Quick check on the embedded record 100 (a pipeline check, not a result):

    dotnet run --project cli/Distill.Cli -- data mitbih --records 100 --export-fold 0 --out fold100
    /usr/bin/python3 tools/reference/beatgan_curve.py --fold fold100 --out curve100 --epochs 2

Outputs in --out: curve.csv and curve.jsonl, one row per evaluation (epoch, steps, which model, validation AUC, test AUC,
AP, best F1 on test, F1 and per-class recall at the threshold chosen on validation, wall time, settings), rewritten
atomically after every evaluation. The current model is tested after every epoch (or only after --curve-epochs), so
the curve has a point per epoch; the kept best-validation model is tested once, after the last epoch (model "best");
history.json holds every epoch's losses, validation AUC and time; checkpoint.pt, written atomically after every epoch (G, D, both Adams, every random
generator, the history, the best epoch's G and D, the rows). Rerunning the same command continues after the last
finished epoch and gives the same numbers as an uninterrupted run on the CPU (same thread count); a checkpoint written
with other settings is refused. Progress: a line every --print-every steps (losses, steps/s, ETA) and one per epoch.

What this reproduces of the authors' code:
- networks: encoder Conv1d(nc, 32, 4, 2, 1) -> 64 -> 128 -> 256 -> 512 (each 4, 2, 1, no bias; BatchNorm from the second;
  LeakyReLU 0.2), then Conv1d(512, nz=50, 10); decoder ConvTranspose1d(50, 512, 10) then 4, 2, 1 steps 512 -> 256 -> 128
  -> 64 -> 32 (BatchNorm, ReLU) and ConvTranspose1d(32, nc, 4, 2, 1) with Tanh; D is the encoder with one output, its last
  convolution + Sigmoid the classifier and everything before it the features; state_dict names as theirs
  (encoder1.main.N, decoder.main.N, features.N, classifier.0);
- initialisation: Xavier normal for every (transposed) convolution, BatchNorm weight N(1, 0.02) and bias 0;
- one step (their optimize): D's BCE on real (target 1) and G(x) (target 0); then G's MSE(G(x), x) + w_adv MSE of D's
  features of G(x) and of x, with a second forward of G; D re-initialised (weights only, Adam's state kept) when its
  loss is below 5e-6; both Adam(lr 1e-4, betas (0.5, 0.999)); batch 64, shuffled, the incomplete last batch dropped;
- validation after every epoch (their validate): G in *training* mode, so BatchNorm uses batch statistics and updates
  its running statistics, on shuffled batches of 64 (the last one partial); score = mean squared reconstruction error per
  beat, min-max scaled; ROC AUC; the epoch is kept when its AUC is strictly greater than the best so far;
- test (their test_type): G in evaluation mode, scores of all test beats min-max scaled together, ROC AUC, average
  precision, best F1 over the ROC thresholds (chosen on the test set), lead 0 (MLII) only (nc = 1).

What differs, and why:
- the beats: Distill's export of the authors' protocol (same counts as their fold 0, other membership: their shuffle is
  unseeded);
- data order: a seeded torch.Generator of its own (theirs: DataLoader on the unseeded global RNG), so runs repeat and
  resume; test beats are scored in order (their test loaders shuffle, which changes nothing in evaluation mode);
- compute that never reaches an update is skipped: D's step uses G(x) without a graph into G, and G's step computes D's
  features of x without gradient and with D's weights frozen. Their code backpropagates these into gradients that are
  zeroed before use, so the updates are the same;
- added: evaluations of the current model after every epoch (they test only the best model, once, at the end); F1 at the threshold that maximises F1 on the validation beats, and recall per AAMI class at it (validation
  scored in evaluation mode for this, so both sides use the same BatchNorm statistics); --validation-mode eval to score
  validation in evaluation mode instead; no plots.
"""
import argparse
import copy
import csv
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
from sklearn.metrics import average_precision_score, roc_auc_score

CLASSES = ["N", "S", "V", "F", "Q"]
NC, LENGTH = 1, 320


def encoder(width, outputs):
    layers, cin = [], NC
    for k in range(5):
        cout = width << k
        layers.append(nn.Conv1d(cin, cout, 4, 2, 1, bias=False))
        if k > 0:
            layers.append(nn.BatchNorm1d(cout))
        layers.append(nn.LeakyReLU(0.2, inplace=True))
        cin = cout
    layers.append(nn.Conv1d(cin, outputs, LENGTH // 32, 1, 0, bias=False))
    return layers


def decoder(width, latent):
    layers, cin = [], latent
    for k in range(5):
        cout = width << (4 - k)
        layers.append(nn.ConvTranspose1d(cin, cout, LENGTH // 32, 1, 0, bias=False) if k == 0
                      else nn.ConvTranspose1d(cin, cout, 4, 2, 1, bias=False))
        layers += [nn.BatchNorm1d(cout), nn.ReLU(True)]
        cin = cout
    layers += [nn.ConvTranspose1d(cin, NC, 4, 2, 1, bias=False), nn.Tanh()]
    return layers


class Main(nn.Module):
    def __init__(self, layers):
        super().__init__()
        self.main = nn.Sequential(*layers)

    def forward(self, x):
        return self.main(x)


class Generator(nn.Module):
    def __init__(self, nz, ngf):
        super().__init__()
        self.encoder1 = Main(encoder(ngf, nz))
        self.decoder = Main(decoder(ngf, nz))

    def forward(self, x):
        return self.decoder(self.encoder1(x))


class Discriminator(nn.Module):
    def __init__(self, ndf):
        super().__init__()
        layers = encoder(ndf, 1)
        self.features = nn.Sequential(*layers[:-1])
        self.classifier = nn.Sequential(layers[-1], nn.Sigmoid())

    def forward(self, x):
        features = self.features(x)
        return self.classifier(features).view(-1), features


def initialise(module):
    for m in module.modules():
        if isinstance(m, (nn.Conv1d, nn.ConvTranspose1d)):
            nn.init.xavier_normal_(m.weight.data)
        elif isinstance(m, nn.BatchNorm1d):
            m.weight.data.normal_(1.0, 0.02)
            m.bias.data.fill_(0)


def load_fold(folder):
    path = os.path.join(folder, "fold.json")
    if not os.path.exists(path):
        sys.exit(f"{folder} holds no complete export (fold.json is missing); write one with "
                 "'distill data mitbih --export-fold K --out {folder}'.")
    meta = json.load(open(path))
    data = {}
    for split in ("train", "validation", "test"):
        x = np.load(os.path.join(folder, f"{split}_x.npy"))
        if x.ndim != 3 or x.shape[2] != LENGTH:
            sys.exit(f"{split}_x.npy has shape {x.shape}; expected [n, leads, {LENGTH}] from Distill's export.")
        data[split] = {
            "x": torch.from_numpy(np.ascontiguousarray(x[:, :NC, :], dtype=np.float32)),
            "y": np.load(os.path.join(folder, f"{split}_y.npy")).astype(np.int64),
            "class": np.load(os.path.join(folder, f"{split}_class.npy")).astype(np.int64),
        }
    if data["validation"]["y"].min() == data["validation"]["y"].max() or data["test"]["y"].min() == data["test"]["y"].max():
        sys.exit("The validation or test beats are all of one kind, so AUC is undefined; export records with abnormal beats.")
    return meta, data


def scores(g, x, batch, order=None):
    """Mean squared reconstruction error per beat, in the order of x (batches taken in `order` when given)."""
    index = torch.arange(len(x)) if order is None else order
    out = torch.empty(len(x))
    with torch.no_grad():
        for start in range(0, len(x), batch):
            rows = index[start:start + batch]
            beats = x[rows]
            out[rows] = ((beats - g(beats)) ** 2).view(len(rows), -1).mean(dim=1)
    return out.numpy().astype(np.float64)


def min_max(s):
    return (s - s.min()) / (s.max() - s.min())


def f1_curve(labels, s):
    """F1 at every distinct threshold t (predict abnormal when score >= t), thresholds descending."""
    order = np.argsort(-s, kind="mergesort")
    s, labels = s[order], labels[order]
    last = np.r_[np.nonzero(np.diff(s))[0], len(s) - 1]  # last index of each run of equal scores
    tp = np.cumsum(labels)[last]
    fp = (last + 1) - tp
    fn = labels.sum() - tp
    return s[last], 2 * tp / np.maximum(2 * tp + fp + fn, 1)


def best_f1(labels, s):
    thresholds, f1 = f1_curve(labels, s)
    i = int(np.argmax(f1))  # the first (highest) threshold reaching the best F1, as the authors' strict '>' loop
    return float(f1[i]), float(thresholds[i])


def evaluate(g, data, batch):
    """The authors' test in evaluation mode, plus F1 and per-class recall at the validation-chosen threshold."""
    was_training = g.training
    g.eval()
    test = scores(g, data["test"]["x"], batch)
    validation = scores(g, data["validation"]["x"], batch)
    g.train(was_training)
    labels = data["test"]["y"]
    scaled = min_max(test)
    f1_test, _ = best_f1(labels, scaled)
    _, threshold = best_f1(data["validation"]["y"], validation)
    predicted = test >= threshold
    tp = int((predicted & (labels == 1)).sum())
    fp = int((predicted & (labels == 0)).sum())
    fn = int((~predicted & (labels == 1)).sum())
    row = {
        "test_auc": roc_auc_score(labels, scaled),
        "test_ap": average_precision_score(labels, scaled),
        "test_best_f1": f1_test,
        "validation_threshold": threshold,
        "f1_at_validation_threshold": 2 * tp / max(2 * tp + fp + fn, 1),
    }
    for c, name in enumerate(CLASSES):
        members = data["test"]["class"] == c
        # recall of an abnormal class: share flagged; for N: share not flagged (specificity)
        flagged = predicted[members].mean() if members.any() else float("nan")
        row[f"recall_{name}"] = float(1 - flagged if c == 0 else flagged)
    return row


def validate(g, data, batch, mode, generator):
    """The authors' validation: shuffled batches, G in training mode unless --validation-mode eval."""
    was_training = g.training
    g.train(mode == "train")
    order = torch.randperm(len(data["validation"]["x"]), generator=generator)
    s = scores(g, data["validation"]["x"], batch, order)
    g.train(was_training)
    return roc_auc_score(data["validation"]["y"], min_max(s))


def atomic_save(obj, path):
    torch.save(obj, path + ".partial")
    os.replace(path + ".partial", path)


def write_rows(rows, folder):
    for name, writer in (("curve.jsonl", None), ("curve.csv", csv.DictWriter)):
        path = os.path.join(folder, name)
        with open(path + ".partial", "w", newline="") as f:
            if writer is None:
                for row in rows:
                    f.write(json.dumps(row) + "\n")
            else:
                w = writer(f, fieldnames=list(rows[0].keys()))
                w.writeheader()
                w.writerows(rows)
        os.replace(path + ".partial", path)


def settings(args, meta):
    keys = ("seed", "batch_size", "lr", "beta1", "w_adv", "nz", "ngf", "ndf", "validation_mode", "threads")
    s = {k: getattr(args, k) for k in keys}
    s["fold"] = {k: meta.get(k) for k in ("fold", "folds", "fold_seed", "max_train_beats", "train_available", "source",
                                          "segmentation", "counts")}
    return s


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fold", required=True, help="a folder written by 'distill data mitbih --export-fold K --out DIR'")
    parser.add_argument("--out", required=True, help="folder for curve.csv, curve.jsonl and checkpoint.pt")
    parser.add_argument("--epochs", type=int, default=20, help="epochs to train (the authors: 100)")
    parser.add_argument("--curve-epochs", type=int, nargs="+", default=None,
                        help="epochs after which the current model is tested (default: every epoch); the best model is "
                             "tested after the last epoch")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--beta1", type=float, default=0.5)
    parser.add_argument("--w-adv", type=float, default=1.0)
    parser.add_argument("--nz", type=int, default=50)
    parser.add_argument("--ngf", type=int, default=32)
    parser.add_argument("--ndf", type=int, default=32)
    parser.add_argument("--validation-mode", choices=["train", "eval"], default="train",
                        help="BatchNorm mode while scoring validation beats (the authors': train)")
    parser.add_argument("--print-every", type=int, default=100, help="progress line every N steps")
    args = parser.parse_args()
    if args.epochs < 1 or args.batch_size < 2 or args.threads < 1:
        sys.exit("--epochs and --threads must be at least 1 and --batch-size at least 2.")

    torch.set_num_threads(args.threads)
    meta, data = load_fold(args.fold)
    os.makedirs(args.out, exist_ok=True)
    checkpoint_path = os.path.join(args.out, "checkpoint.pt")
    run_settings = settings(args, meta)

    torch.manual_seed(args.seed)
    g, d = Generator(args.nz, args.ngf), Discriminator(args.ndf)
    initialise(g)
    initialise(d)
    opt_g = torch.optim.Adam(g.parameters(), lr=args.lr, betas=(args.beta1, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=args.lr, betas=(args.beta1, 0.999))
    order = torch.Generator().manual_seed(args.seed + 1)
    state = {"epoch": 0, "steps": 0, "best_auc": 0.0, "best_epoch": 0, "best_g": None, "best_d": None,
             "history": [], "rows": [], "reinitialisations": 0, "seconds": 0.0}
    if os.path.exists(checkpoint_path):
        saved = torch.load(checkpoint_path)
        if saved["settings"] != run_settings:
            sys.exit(f"{checkpoint_path} was written with other settings:\n  {saved['settings']}\nnow:\n  {run_settings}\n"
                     "Use another --out folder or delete the checkpoint.")
        g.load_state_dict(saved["g"]); d.load_state_dict(saved["d"])
        opt_g.load_state_dict(saved["opt_g"]); opt_d.load_state_dict(saved["opt_d"])
        torch.set_rng_state(saved["torch_rng"]); order.set_state(saved["order_rng"])
        state = saved["state"]
        print(f"resuming after epoch {state['epoch']} ({state['steps']} steps) from {checkpoint_path}", flush=True)

    bce, mse = nn.BCELoss(), nn.MSELoss()
    x_train = data["train"]["x"]
    steps_per_epoch = len(x_train) // args.batch_size
    if steps_per_epoch == 0:
        sys.exit(f"{len(x_train)} training beats do not fill one batch of {args.batch_size}.")
    print(f"{meta['source']} fold {meta['fold']}: train {len(x_train)}, validation {len(data['validation']['x'])}, "
          f"test {len(data['test']['x'])}; {steps_per_epoch} steps per epoch, {args.epochs} epochs, {args.threads} thread(s)", flush=True)
    ones, zeros = torch.ones(args.batch_size), torch.zeros(args.batch_size)
    for epoch in range(state["epoch"] + 1, args.epochs + 1):
        clock = time.time()
        g.train(); d.train()
        permutation = torch.randperm(len(x_train), generator=order)
        sums = np.zeros(4)
        for step in range(steps_per_epoch):
            x = x_train[permutation[step * args.batch_size:(step + 1) * args.batch_size]]
            # D: BCE on real beats (1) and reconstructions (0)
            opt_d.zero_grad()
            out_real, _ = d(x)
            with torch.no_grad():
                fake = g(x)
            out_fake, _ = d(fake)
            err_d_real, err_d_fake = bce(out_real, ones), bce(out_fake, zeros)
            err_d = err_d_real + err_d_fake
            err_d.backward()
            opt_d.step()
            # G: reconstruction + w_adv * feature matching, with a second forward of G
            opt_g.zero_grad()
            for p in d.parameters():
                p.requires_grad_(False)
            fake = g(x)
            _, feat_fake = d(fake)
            with torch.no_grad():
                _, feat_real = d(x)
            err_rec, err_adv = mse(fake, x), mse(feat_fake, feat_real)
            err_g = err_rec + err_adv * args.w_adv
            err_g.backward()
            opt_g.step()
            for p in d.parameters():
                p.requires_grad_(True)
            if err_d.item() < 5e-6:
                initialise(d)
                state["reinitialisations"] += 1
            state["steps"] += 1
            sums += [err_d_real.item(), err_d_fake.item(), err_rec.item(), err_adv.item()]
            if (step + 1) % args.print_every == 0:
                rate = (step + 1) / (time.time() - clock)
                left = (steps_per_epoch - step - 1 + (args.epochs - epoch) * steps_per_epoch) / rate
                m = sums / (step + 1)
                print(f"epoch {epoch} step {step + 1}/{steps_per_epoch}: D real {m[0]:.4f} fake {m[1]:.4f}, G rec {m[2]:.5f} "
                      f"adv {m[3]:.5f}; {rate:.2f} steps/s, ETA {left / 60:.0f} min", flush=True)
        auc = validate(g, data, args.batch_size, args.validation_mode, order)
        if auc > state["best_auc"]:
            state.update(best_auc=auc, best_epoch=epoch, best_g=copy.deepcopy(g.state_dict()), best_d=copy.deepcopy(d.state_dict()))
        m = sums / steps_per_epoch
        train_seconds = time.time() - clock
        print(f"epoch {epoch}/{args.epochs}: validation AUC {auc:.4f} (best {state['best_auc']:.4f} at epoch {state['best_epoch']}), "
              f"D {m[0] + m[1]:.4f}, G rec {m[2]:.5f}, {steps_per_epoch / train_seconds:.2f} steps/s", flush=True)
        tests = []
        if args.curve_epochs is None or epoch in args.curve_epochs:
            tests.append(("current", g, epoch, auc))
        if epoch == args.epochs:
            best = Generator(args.nz, args.ngf)
            if state["best_g"] is None:  # no epoch reached a validation AUC above 0: their code would have saved nothing
                sys.exit("No epoch reached a validation AUC above 0, so there is no best model to test.")
            best.load_state_dict(state["best_g"])
            tests.append(("best", best, state["best_epoch"], state["best_auc"]))
        for model, net, model_epoch, val_auc in tests:
            row = {"epoch": epoch, "steps": state["steps"], "model": model, "model_epoch": model_epoch,
                   "best_epoch": state["best_epoch"], "validation_auc": val_auc, **evaluate(net, data, args.batch_size),
                   "reinitialisations": state["reinitialisations"], "wall_seconds": state["seconds"] + time.time() - clock,
                   "seed": args.seed, "threads": args.threads, "validation_mode": args.validation_mode,
                   "train_beats": len(x_train), "fold": meta["fold"], "torch": torch.__version__}
            state["rows"].append(row)
            print(f"  {model} model (epoch {model_epoch}): test AUC {row['test_auc']:.4f}, AP {row['test_ap']:.4f}, "
                  f"best F1 {row['test_best_f1']:.4f}, F1 at validation threshold {row['f1_at_validation_threshold']:.4f}", flush=True)
        seconds = time.time() - clock
        state["seconds"] += seconds
        state["history"].append({"epoch": epoch, "steps": state["steps"], "d_real": m[0], "d_fake": m[1], "g_rec": m[2],
                                 "g_adv": m[3], "validation_auc": auc, "train_seconds": train_seconds, "seconds": seconds})
        print(f"epoch {epoch} done in {seconds / 60:.1f} min (training {train_seconds / 60:.1f}); "
              f"ETA {(args.epochs - epoch) * seconds / 60:.0f} min", flush=True)
        state["epoch"] = epoch
        atomic_save({"settings": run_settings, "g": g.state_dict(), "d": d.state_dict(), "opt_g": opt_g.state_dict(),
                     "opt_d": opt_d.state_dict(), "torch_rng": torch.get_rng_state(), "order_rng": order.get_state(),
                     "state": state}, checkpoint_path)
        if state["rows"]:
            write_rows(state["rows"], args.out)
        with open(os.path.join(args.out, "history.json.partial"), "w") as f:
            json.dump({"settings": run_settings, "history": state["history"]}, f, indent=1)
        os.replace(os.path.join(args.out, "history.json.partial"), os.path.join(args.out, "history.json"))
    print(f"done: {state['epoch']} epochs, {state['steps']} steps, best validation AUC {state['best_auc']:.4f} at epoch "
          f"{state['best_epoch']}; rows in {os.path.join(args.out, 'curve.csv')}", flush=True)


if __name__ == "__main__":
    main()
