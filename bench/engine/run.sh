#!/usr/bin/env bash
# End-to-end engine benchmarks (issue: engine core). Prints a table of medians over --reps runs.
#   bench/engine/run.sh [--reps K] [--flowfiles N] [--large-files N] [--large-size MiB] [--recovery N]
#                       [--only chain|copy|recovery|provenance]
# 1. GenerateFlowFile -> LogAttribute -> LogAttribute(terminate): small FlowFiles/s, durability fsync|batch|none
# 2. GetFile -> PutFile over large files: MB/s, next to `cp` of the same files in the same run (alternating)
# 3. Recovery time of N queued FlowFiles
# 4. The chain of 1. with provenance on and off (alternating in one run): FlowFiles/s both ways and their ratio
set -euo pipefail
cd "$(dirname "$0")/../.."
reps=5 flowfiles=2000000 large_files=20 large_size=64 recovery=1000000 only=
while (($#)); do
  case $1 in
    --reps) reps=$2; shift 2 ;;
    --flowfiles) flowfiles=$2; shift 2 ;;
    --large-files) large_files=$2; shift 2 ;;
    --large-size) large_size=$2; shift 2 ;;
    --recovery) recovery=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;  # chain|copy|recovery|provenance
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
sluice=${SLUICE:-build/bin/sluice}
work=$(mktemp -d /tmp/sluice-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
elapsed_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["elapsed_s"])' "$1"; }

wanted() { [[ -z $only || $only == "$1" ]]; }

# The chain flow: durability $1, provenance on|off $2.
chain_yaml() {
  cat > "$work/chain.yaml" <<YAML
flow: bench-chain
settings: { durability: $1, threads: 2, provenance: { enabled: $([[ $2 == on ]] && echo true || echo false) } }
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
}

# Runs the chain flow once; prints FlowFiles/s.
chain_rate() {
  rm -rf "$work/data"
  "$sluice" run "$work/chain.yaml" --data-dir "$work/data" --until-idle=200ms --log-level warn \
    --summary-json "$work/s.json" >/dev/null
  python3 -c "print(round($flowfiles / ($(elapsed_of "$work/s.json") - 0.2)))"
}

if wanted chain; then
echo "## chain: GenerateFlowFile -> LogAttribute -> LogAttribute (terminate), $flowfiles FlowFiles of 0 B, provenance off"
for durability in fsync batch none; do
  chain_yaml "$durability" off
  rates=()
  for ((r = 0; r < reps; r++)); do rates+=("$(chain_rate)"); done
  printf '%-6s FlowFiles/s median %s (runs: %s)\n' "$durability" \
    "$(printf '%s\n' "${rates[@]}" | median)" "${rates[*]}"
done
echo
fi

if wanted copy; then
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
# SLUICE_SET=provenance.enabled=false runs the flow without provenance: PutFile then hands files over by
# hard link (with provenance on it copies, so that the archive keeps what provenance shows).
# Two baselines: `cp` then one global `sync` (flushes every dirty page on the machine, other writers' too),
# and `cp` then `sync FILES` (fsync of each copied file: PutFile's own guarantee, unaffected by other writers).
sl=() cp_=() cpf=() ratio=() ratiof=()
for ((r = 0; r < reps; r++)); do
  rm -rf "$work/in" "$work/out" "$work/cpout" "$work/data"; cp -r "$work/large" "$work/in"; sync
  t0=$(date +%s.%N); cp -r "$work/in" "$work/cpout"; sync; t1=$(date +%s.%N)
  c=$(python3 -c "print(round($total_mb / ($t1 - $t0), 1))")
  rm -rf "$work/cpout"; sync
  t0=$(date +%s.%N); cp -r "$work/in" "$work/cpout"; sync "$work/cpout"/* "$work/cpout"; t1=$(date +%s.%N)
  cf=$(python3 -c "print(round($total_mb / ($t1 - $t0), 1))")
  t0=$(date +%s.%N)
  "$sluice" run "$work/copy.yaml" --data-dir "$work/data" --until-idle=300ms --log-level warn ${SLUICE_SET:+--set $SLUICE_SET} >/dev/null 2>&1 || true
  t1=$(date +%s.%N)
  s=$(python3 -c "print(round($total_mb / ($t1 - $t0 - 0.3), 1))")
  sl+=("$s"); cp_+=("$c"); cpf+=("$cf")
  ratio+=("$(python3 -c "print(round($c / $s, 2))")"); ratiof+=("$(python3 -c "print(round($cf / $s, 2))")")
done
printf 'sluice          MB/s median %s (runs %s)\ncp + sync       MB/s median %s (runs %s)\n' \
  "$(printf '%s\n' "${sl[@]}" | median)" "${sl[*]}" "$(printf '%s\n' "${cp_[@]}" | median)" "${cp_[*]}"
printf 'cp + sync FILES MB/s median %s (runs %s)\n' "$(printf '%s\n' "${cpf[@]}" | median)" "${cpf[*]}"
printf 'sluice time / cp time, median of pairs: %s against cp + sync, %s against cp + sync FILES\n' \
  "$(printf '%s\n' "${ratio[@]}" | median)" "$(printf '%s\n' "${ratiof[@]}" | median)"

echo
fi

if wanted recovery; then
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
echo
fi

if wanted provenance; then
echo "## provenance: the chain of 1. (durability batch), provenance on and off alternating, $flowfiles FlowFiles"
on=() off=() ratio=()
for ((r = 0; r < reps; r++)); do
  chain_yaml batch on
  a=$(chain_rate)
  events=$("$sluice" provenance sql --data-dir "$work/data" --csv "SELECT count(*) FROM events" | tail -1)
  chain_yaml batch off
  b=$(chain_rate)
  on+=("$a") off+=("$b") ratio+=("$(python3 -c "print(round($a / $b, 3))")")
done
printf 'on  FlowFiles/s median %s (runs %s; %s events per run)\noff FlowFiles/s median %s (runs %s)\n' \
  "$(printf '%s\n' "${on[@]}" | median)" "${on[*]}" "$events" "$(printf '%s\n' "${off[@]}" | median)" "${off[*]}"
printf 'on / off, median of pairs %s (pairs %s)\n' "$(printf '%s\n' "${ratio[@]}" | median)" "${ratio[*]}"
fi
