#!/usr/bin/env bash
# End-to-end record benchmarks over smart-meter CSV (~900-byte rows): ConvertRecord CSV→JSON (convert) and
# CSV→Parquet (parquet, zstd), ValidateRecord and PartitionRecord by meter, each through `sluice run
# --until-idle` with durable repositories (durability fsync), next to the hand-written single-pass converter
# in the same run, alternating; medians. SLUICE_SET=key=value passes one --set to every sluice run
# (SLUICE_SET=provenance.enabled=false: PutFile hands outputs over by hard link instead of copying).
#   bench/records/run.sh [--reps K] [--rows N] [--files N] [--meters N] [--only "convert parquet ..."]
set -euo pipefail
cd "$(dirname "$0")/../.."
reps=5 rows=1000000 files=100 meters=1000 jobs="convert parquet validate partition"
while (($#)); do
  case $1 in
    --reps) reps=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --files) files=$2; shift 2 ;;
    --meters) meters=$2; shift 2 ;;
    --only) jobs=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
sluice=${SLUICE:-build/bin/sluice}
work=$(mktemp -d /tmp/sluice-records-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
idle=0.3

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

build/bench/meter_gen --rows "$rows" --files "$files" --meters "$meters" --seed 42 --out "$work/gen"
bytes=$(du -cb "$work/gen"/*.csv | tail -1 | cut -f1)
mb=$(python3 -c "print($bytes / 1e6)")
echo "input: $rows rows, $mb MB in $files files"

flow() {  # flow NAME PROCESSOR_YAML DOWNSTREAM_CONNECTIONS
  cat > "$work/$1.yaml" <<YAML
flow: bench-$1
settings: { durability: fsync, threads: 2 }
services:
  csv: { type: CSVReader, properties: { schema: infer } }
  json: { type: JSONWriter, properties: { format: array } }
  parquet: { type: ParquetWriter, properties: { compression: zstd } }
processors:
  get:
    type: GetFile
    properties: { directory: "$work/in", batch_size: 10 }
$2
  put:
    type: PutFile
    properties: { directory: "$work/out", conflict: replace }
    terminate: [success, failure]
connections:
  - { from: get, relationship: success, to: work }
$3
YAML
}

flow convert "  work:
    type: ConvertRecord
    properties: { reader: csv, writer: json }
    schedule: { batch: 10 }
    terminate: [failure]" "  - { from: work, relationship: success, to: put }"

flow parquet "  work:
    type: ConvertRecord
    properties: { reader: csv, writer: parquet }
    schedule: { batch: 10 }
    terminate: [failure]" "  - { from: work, relationship: success, to: put }"

flow validate "  work:
    type: ValidateRecord
    properties:
      reader: csv
      writer: json
      /kwh: 'min=0; max=100'
      /meter_id: 'not_null; regex=^M[0-9]{7}\$'
      /status: 'allowed=OK,WARN,ALARM'
    schedule: { batch: 10 }
    terminate: [invalid, failure]" "  - { from: work, relationship: valid, to: put }"

# Partitions stay in the content repository (success auto-terminated): 1,000 meters × 100 files would
# otherwise time PutFile's 100,000 fsyncs rather than partitioning.
flow partition "  work:
    type: PartitionRecord
    properties: { reader: csv, writer: json, meter: /meter_id }
    schedule: { batch: 10 }
    terminate: [success, original, failure]" ""
sed -i '/^  put:$/,/terminate: \[success, failure\]$/d' "$work/partition.yaml"

run_sluice() {  # run_sluice FLOW -> MB/s
  rm -rf "$work/in" "$work/out" "$work/data"; cp -r "$work/gen" "$work/in"; sync
  local t0 t1
  t0=$(date +%s.%N)
  "$sluice" run "$work/$1.yaml" --data-dir "$work/data" --until-idle=${idle}s --log-level warn \
    ${SLUICE_SET:+--set $SLUICE_SET} >/dev/null
  t1=$(date +%s.%N)
  python3 -c "print(round($mb / ($t1 - $t0 - $idle), 1))"
}

run_baseline() {
  rm -rf "$work/in" "$work/out"; cp -r "$work/gen" "$work/in"; sync
  local t0 t1
  t0=$(date +%s.%N)
  build/bench/baseline_csv_to_json "$work/in" "$work/out" >/dev/null
  t1=$(date +%s.%N)
  python3 -c "print(round($mb / ($t1 - $t0), 1))"
}

declare -A results
for ((r = 0; r < reps; r++)); do
  b=$(run_baseline); results[baseline]+="$b "
  line="rep $((r + 1)): baseline $b MB/s"
  for job in $jobs; do
    s=$(run_sluice $job); results[$job]+="$s "; line+="; $job $s"
  done
  echo "$line"
done
echo
for job in baseline $jobs; do
  m=$(printf '%s\n' ${results[$job]} | median)
  printf '%-10s MB/s median %-8s rows/s %-9s (runs: %s)\n' "$job" "$m" \
    "$(python3 -c "print(round($m * 1e6 / ($bytes / $rows)))")" "${results[$job]}"
done
