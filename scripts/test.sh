#!/usr/bin/env bash
# Builds sluice and runs every test (unit + integration) with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
# Release: the tests need no debug info, and without it the build takes a good part less time (CI's budget).
BUILD_TYPE=${BUILD_TYPE:-Release} scripts/build.sh "$@"
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j "$(nproc)" --timeout 900
