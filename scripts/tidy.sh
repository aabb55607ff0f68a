#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy) over sluice's own sources using build/compile_commands.json.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
# clang-tidy 14 cannot parse libstdc++ 12's C++20 <compare> (string_view ordering); 16 can.
tidy=${CLANG_TIDY:-$(command -v clang-tidy-16 || command -v clang-tidy)}
[[ -f $build_dir/compile_commands.json ]] || scripts/build.sh
mapfile -t files < <(git ls-files 'engine/*.cpp' 'processors/*.cpp')
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# xargs exits non-zero when any clang-tidy run reported an error (WarningsAsErrors: '*').
printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -n 4 "$tidy" -p "$build_dir" --quiet \
  --extra-arg=-Wno-unknown-warning-option >"$log" 2>&1 || status=$?
grep -v -e "warnings generated" -e "^Suppressed" -e "^Use -header-filter" "$log" || true
if ((status)); then
  echo "clang-tidy found problems (above)" >&2
  exit 1
fi
echo "clang-tidy: ${#files[@]} files clean"
