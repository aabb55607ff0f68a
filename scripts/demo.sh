#!/usr/bin/env bash
# Builds sluice and runs the demo flow on embedded defaults until it has nothing left to do.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
build/bin/sluice run flows/demo.yaml --data-dir sluice-data/demo --until-idle
echo "demo output: $(ls out/demo | wc -l) files in out/demo"
