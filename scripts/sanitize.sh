#!/usr/bin/env bash
# Sanitizer runs for CI (see README, Contributing). A finding fails the run (halt_on_error / exitcode).
#  - AddressSanitizer + UndefinedBehaviorSanitizer + LeakSanitizer: the engine and processor unit tests.
#  - ThreadSanitizer: the concurrency tests (scheduler and controller, connections, repositories with
#    concurrent commits and checkpoints, the content repository's concurrent writers, session state).
# Only the unit test binaries (and what they load: the CLI, the standard plugin, fixture plugins) are built,
# not every plugin: the sanitizer builds must fit in CI's budget next to the release build.
#   scripts/sanitize.sh [asan|tsan|all]      (CI runs all)
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}
# -O0: compiles in half the time of -O1 (the build is CI's cost; the instrumented tests run in seconds), and
# every access stays where the source put it. -g1 (line tables): stack traces keep file:line, and the builds
# compile much faster than with full -g.
common=(-DCMAKE_BUILD_TYPE=Debug -DSLUICE_BUILD_BENCH=OFF -DCMAKE_CXX_FLAGS=-O0 -DCMAKE_CXX_FLAGS_DEBUG=-g1)
unit_binaries=(engine_tests processor_tests)
# Plugins the unit tests load from the build's plugin directory (the flow fixtures' diagnostics name the
# service types it offers, as `sluice validate` does in the release build).
loaded_plugins=(records)
tsan_filter='FlowController*:Connection*:FlowFileRepository*:ContentRepository*:Scheduler*:RetryPolicy*'

configure_and_build() {  # build dir, sanitizer, targets...
  local dir=$1 sanitizer=$2
  shift 2
  # Quiet when it works; the build's own output (the compiler's errors) when it does not.
  if ! BUILD_DIR=$dir BUILD_TARGETS="$*" scripts/build.sh "${common[@]}" -DSLUICE_SANITIZE="$sanitizer" \
    >"$dir.log" 2>&1; then
    tail -n 200 "$dir.log"
    echo "sanitize: the $sanitizer build failed (full log: $dir.log)" >&2
    return 1
  fi
}

if [[ $which == all || $which == asan ]]; then
  configure_and_build build-asan address,undefined "${unit_binaries[@]}" "${loaded_plugins[@]}"
  for t in "${unit_binaries[@]}"; do
    echo "== ASan+UBSan+LSan: $t"
    ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=1 \
      UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      "build-asan/bin/$t" --gtest_brief=1
  done
fi
if [[ $which == all || $which == tsan ]]; then
  configure_and_build build-tsan thread engine_tests
  echo "== TSan: $tsan_filter"
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 build-tsan/bin/engine_tests --gtest_brief=1 \
    --gtest_filter="$tsan_filter"
fi
