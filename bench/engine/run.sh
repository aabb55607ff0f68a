#!/usr/bin/env bash
# End-to-end engine benchmarks (issue: engine core). Prints a table of medians over --reps runs.
#   bench/engine/run.sh [--reps K] [--flowfiles N] [--large-files N] [--large-size MiB] [--recovery N]
# 1. GenerateFlowFile -> LogAttribute -> LogAttribute(terminate): small FlowFiles/s, durability fsync|batch|none
# 2. GetFile -> PutFile over large files: MB/s, next to `cp` of the same files in the same run (alternating)
# 3. Recovery time of N queued FlowFiles
set -euo pipefail
cd "$(dirname "$0")/../.."
reps=5 flowfiles=2000000 large_files=20 large_size=64 recovery=1000000
while (($#)); do
  case $1 in
    --reps) reps=$2; shift 2 ;;
    --flowfiles) flowfiles=$2; shift 2 ;;
    --large-files) large_files=$2; shift 2 ;;
    --large-size) large_size=$2; shift 2 ;;
    --recovery) recovery=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
sluice=${SLUICE:-build/bin/sluice}
work=$(mktemp -d /tmp/sluice-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
elapsed_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["elapsed_s"])' "$1"; }

echo "## chain: GenerateFlowFile -> LogAttribute -> LogAttribute (terminate), $flowfiles FlowFiles of 0 B"
for durability in fsync batch none; do
  cat > "$work/chain.yaml" <<YAML
flow: bench-chain
settings: { durability: $durability, threads: 2 }
processors:
  gen:
    type: GenerateFlowFile
    properties: { count: $flowfiles, batch_size: 1000 }
  pass:
    type: LogAttribute
    properties: { log_level: trace }
    schedule: { batch: 1000 }
  sink:
    type: LogAttribute
    properties: { log_level: trace }
    schedule: { batch: 1000 }
    terminate: [success]
connections:
  - { from: gen, relationship: success, to: pass }
  - { from: pass, relationship: success, to: sink }
YAML
  rates=()
  for ((r = 0; r < reps; r++)); do
    rm -rf "$work/data"
    "$sluice" run "$work/chain.yaml" --data-dir "$work/data" --until-idle=200ms --log-level warn \
      --summary-json "$work/s.json" >/dev/null
    e=$(elapsed_of "$work/s.json")
    rates+=("$(python3 -c "print(round($flowfiles / ($e - 0.2)))")")
  done
  printf '%-6s FlowFiles/s median %s (runs: %s)\n' "$durability" \
    "$(printf '%s\n' "${rates[@]}" | median)" "${rates[*]}"
done

echo
echo "## GetFile -> PutFile, $large_files files of $large_size MiB, alternating with cp"
mkdir -p "$work/large"
for ((i = 0; i < large_files; i++)); do head -c "$((large_size << 20))" /dev/urandom > "$work/large/f$i"; done
total_mb=$((large_files * large_size))
cat > "$work/copy.yaml" <<YAML
flow: bench-copy
settings: { durability: fsync }
processors:
  get:
    type: GetFile
    properties: { directory: "$work/in", batch_size: 4 }
  put:
    type: PutFile
    properties: { directory: "$work/out", conflict: replace }
    terminate: [success, failure]
connections:
  - { from: get, relationship: success, to: put }
YAML
sl=() cp_=() ratio=()
for ((r = 0; r < reps; r++)); do
  rm -rf "$work/in" "$work/out" "$work/cpout" "$work/data"; cp -r "$work/large" "$work/in"; sync
  t0=$(date +%s.%N); cp -r "$work/in" "$work/cpout"; sync; t1=$(date +%s.%N)
  c=$(python3 -c "print(round($total_mb / ($t1 - $t0), 1))")
  t0=$(date +%s.%N)
  "$sluice" run "$work/copy.yaml" --data-dir "$work/data" --until-idle=300ms --log-level warn >/dev/null 2>&1 || true
  t1=$(date +%s.%N)
  s=$(python3 -c "print(round($total_mb / ($t1 - $t0 - 0.3), 1))")
  sl+=("$s"); cp_+=("$c"); ratio+=("$(python3 -c "print(round($c / $s, 2))")")
done
printf 'sluice MB/s median %s (runs %s)\ncp     MB/s median %s (runs %s)\nsluice time / cp time, median of pairs %s\n' \
  "$(printf '%s\n' "${sl[@]}" | median)" "${sl[*]}" "$(printf '%s\n' "${cp_[@]}" | median)" "${cp_[*]}" \
  "$(printf '%s\n' "${ratio[@]}" | median)"

echo
echo "## recovery of $recovery queued FlowFiles (durability batch)"
cat > "$work/recover.yaml" <<YAML
flow: bench-recovery
settings: { durability: batch }
processors:
  gen:
    type: GenerateFlowFile
    properties: { count: $recovery, batch_size: 10000 }
  held:
    type: LogAttribute
    schedule: { strategy: cron, cron: "0 0 0 1 1 ?" }
    terminate: [success]
connections:
  - { from: gen, relationship: success, to: held, back_pressure: { objects: $((recovery * 2)) } }
YAML
rm -rf "$work/data"
# Fill the queue for 20 s, then SIGTERM (orderly stop with checkpoint); the sink only runs on January 1st.
# The recovery lines below print how many FlowFiles were actually queued.
timeout --signal=TERM 20 "$sluice" run "$work/recover.yaml" --data-dir "$work/data" --log-level warn \
  >/dev/null 2>&1 || true
times=()
for ((r = 0; r < reps; r++)); do
  cp -r "$work/data" "$work/data-r"
  timeout --signal=TERM 10 "$sluice" run "$work/recover.yaml" --data-dir "$work/data-r" \
    --log-level info 2> "$work/recover.log" >/dev/null || true
  t=$(grep -o 'recovered [0-9]* queued FlowFiles in [0-9]* ms' "$work/recover.log" | head -1)
  times+=("$(echo "$t" | awk '{print $6}')")
  echo "  $t"
  rm -rf "$work/data-r"
done
printf 'recovery ms median %s (runs %s)\n' "$(printf '%s\n' "${times[@]}" | median)" "${times[*]}"
