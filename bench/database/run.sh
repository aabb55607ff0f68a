#!/usr/bin/env bash
# End-to-end benchmark of PutDatabaseRecord inserting CSV records into a local PostgreSQL (started by
# tests/integration/servers.py on 127.0.0.1), against psql's COPY of the same files as the reference.
# Prints rows/s and MB/s, medians over --reps runs.
#   bench/database/run.sh [--reps K] [--files N] [--rows R]
set -euo pipefail
cd "$(dirname "$0")/../.."
exec python3 bench/database/bench.py "$@"
