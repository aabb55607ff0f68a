#!/usr/bin/env bash
# Requests/s of a HandleHttpRequest -> HandleHttpResponse echo flow (one `sluice run`), driven by a Python
# client with several keep-alive connections on 127.0.0.1. Medians over --reps runs.
#   bench/http/run.sh [--reps K] [--requests N] [--clients C] [--size BYTES] [--durability fsync|batch|none]
set -euo pipefail
cd "$(dirname "$0")/../.."
exec python3 bench/http/bench.py "$@"
