#!/usr/bin/env bash
# Runs every test (unit tests and the headless notebook runs) from a fresh clone.
set -euo pipefail
cd "$(dirname "$0")"
dotnet tool restore
# The tests train many tiny models: one torch thread per process avoids OpenMP oversubscription on small machines
# (measured ~10x faster on a busy 2-core machine); results do not depend on it.
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
dotnet test Distill.slnx --logger "console;verbosity=normal"
