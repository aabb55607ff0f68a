#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy) over sluice's own sources using build/compile_commands.json.
#   scripts/tidy.sh                 every engine and processor source
#   scripts/tidy.sh --since REV     the sources changed since REV, and one includer of each changed header
#                                   (scripts/tidy_affected.py says why not every includer)
# CI uses --since with the commit in .ci/tidy-baseline, the last one whose changes were checked clean: a full
# run takes longer than CI's budget on 2 cores. Whoever checks the changes since it clean moves it forward.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
since=
if [[ ${1:-} == --since ]]; then since=$2; fi
# clang-tidy 14 cannot parse libstdc++ 12's C++20 <compare> (string_view ordering); 16 can.
tidy=${CLANG_TIDY:-$(command -v clang-tidy-16 || command -v clang-tidy)}
[[ -f $build_dir/compile_commands.json ]] || scripts/build.sh
mapfile -t files < <(git ls-files 'engine/*.cpp' 'processors/*.cpp')
if [[ -n $since ]]; then
  if ! git cat-file -e "$since^{commit}" 2>/dev/null; then
    echo "tidy: baseline $since is not in this clone's history: checking every source" >&2
  else
    mapfile -t files < <(python3 scripts/tidy_affected.py "$build_dir" "$since" "${files[@]}")
  fi
fi
if ((${#files[@]} == 0)); then
  echo "clang-tidy: no source changed since $since"
  exit 0
fi
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
