#!/usr/bin/env bash
# End-to-end benchmark of the standard processors: GetFile -> UpdateAttribute -> RouteOnAttribute ->
# MergeContent -> PutFile over N small files, run with `sluice run --until-idle`. Prints FlowFiles/s and MB/s
# (input files and bytes over the run's elapsed time less the idle wait), medians of --reps runs.
#   bench/standard/run.sh [--reps K] [--files N] [--size BYTES] [--durability fsync|batch|none]
set -euo pipefail
cd "$(dirname "$0")/../.."
reps=5 files=20000 size=1024 durability=batch
while (($#)); do
  case $1 in
    --reps) reps=$2; shift 2 ;;
    --files) files=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --durability) durability=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
sluice=${SLUICE:-build/bin/sluice}
work=$(mktemp -d /tmp/sluice-bench-standard.XXXXXX)
trap 'rm -rf "$work"' EXIT
idle_ms=300

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
elapsed_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["elapsed_s"])' "$1"; }

# Input: N files named by meter and sequence, each `size` bytes of CSV-like text.
mkdir -p "$work/source"
python3 - "$work/source" "$files" "$size" <<'PY'
import os, sys
out, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(n):
    status = "ALARM" if i % 10 == 0 else "OK"
    line = f"M{i % 50:03d},2024-01-01T00:00:{i % 60:02d},{i % 200}.5,{status}\n"
    body = (line * (size // len(line) + 1))[:size]
    with open(os.path.join(out, f"m{i % 50:03d}-{i:07d}-{status}.csv"), "w") as f:
        f.write(body)
PY
total_mb=$(python3 -c "print($files * $size / 1e6)")

cat > "$work/flow.yaml" <<YAML
flow: bench-standard
settings: { durability: $durability, threads: 2 }
processors:
  get:
    type: GetFile
    properties: { directory: "$work/in", batch_size: 1000 }
  tag:
    type: UpdateAttribute
    properties:
      meter_id: "\${filename:substringBefore('-')}"
      status: "\${filename:substringAfterLast('-'):substringBefore('.')}"
    terminate: [failure]
  route:
    type: RouteOnAttribute
    properties:
      alarm: "\${status:equals('ALARM')}"
      normal: "\${status:equals('OK')}"
    terminate: [unmatched, failure]
  merge:
    type: MergeContent
    properties: { correlation_attribute: meter_id, max_entries: 500, max_bins: 100, max_bin_age: 1 s }
    schedule: { yield: 50ms }
    terminate: [original, failure]
  put:
    type: PutFile
    properties: { directory: "$work/out/\${meter_id}", conflict: replace }
    terminate: [success, failure]
connections:
  - { from: get, relationship: success, to: tag }
  - { from: tag, relationship: success, to: route }
  - { from: route, relationship: [alarm, normal], to: merge }
  - { from: merge, relationship: merged, to: put }
YAML

echo "## GetFile -> UpdateAttribute -> RouteOnAttribute -> MergeContent -> PutFile"
echo "## $files files of $size B, durability $durability, $reps runs"
rates=() mbs=()
for ((r = 0; r < reps; r++)); do
  rm -rf "$work/in" "$work/out" "$work/data"
  cp -r "$work/source" "$work/in"
  "$sluice" run "$work/flow.yaml" --data-dir "$work/data" --until-idle=${idle_ms}ms --log-level warn \
    --summary-json "$work/s.json" >/dev/null
  e=$(elapsed_of "$work/s.json")
  merged_in=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["processors"]["merge"]["in"])' "$work/s.json")
  if [[ "$merged_in" != "$files" ]]; then echo "run $r: MergeContent took $merged_in of $files FlowFiles" >&2; exit 1; fi
  rates+=("$(python3 -c "print(round($files / ($e - $idle_ms / 1000)))")")
  mbs+=("$(python3 -c "print(round($total_mb / ($e - $idle_ms / 1000), 1))")")
done
printf 'FlowFiles/s median %s (runs: %s)\n' "$(printf '%s\n' "${rates[@]}" | median)" "${rates[*]}"
printf 'MB/s        median %s (runs: %s)\n' "$(printf '%s\n' "${mbs[@]}" | median)" "${mbs[*]}"
