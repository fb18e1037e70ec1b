#!/usr/bin/env bash
# Runs every test (unit tests and the headless notebook runs) from a fresh clone.
set -euo pipefail
cd "$(dirname "$0")"
dotnet tool restore
dotnet test Distill.slnx --logger "console;verbosity=normal"
