#!/usr/bin/env bash
# Sanitizer runs for CI (see README, Contributing):
#  - AddressSanitizer + UndefinedBehaviorSanitizer (+ LeakSanitizer): every unit test.
#  - ThreadSanitizer: the concurrency tests (scheduler/controller, connections, repositories with
#    concurrent commits and checkpoints, the content repository's concurrent writers).
# A finding fails the run (halt_on_error / exitcode).
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}
common=(-DCMAKE_BUILD_TYPE=Debug -DSLUICE_BUILD_BENCH=OFF -DCMAKE_CXX_FLAGS=-O1)
targets=(engine_tests processor_tests)

if [[ $which == all || $which == asan ]]; then
  BUILD_DIR=build-asan scripts/build.sh "${common[@]}" -DSLUICE_SANITIZE=address,undefined >/dev/null
  ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=1 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ctest --test-dir build-asan -L unit -j "$(nproc)" --output-on-failure --timeout 300
fi
if [[ $which == all || $which == tsan ]]; then
  BUILD_DIR=build-tsan scripts/build.sh "${common[@]}" -DSLUICE_SANITIZE=thread >/dev/null
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
    ctest --test-dir build-tsan -L unit -j "$(nproc)" --output-on-failure --timeout 300 \
      -R 'FlowController|Connection|FlowFileRepository|ContentRepository|Scheduler'
fi
