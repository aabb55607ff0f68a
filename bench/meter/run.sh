#!/usr/bin/env bash
# The smart-meter benchmark: the same job (CSV -> one JSON object per row -> 4 outputs by the MD5 of
# meter_id -> JSON lines) done by sluice (bench/meter/meter.yaml through `sluice run --until-idle`, durable
# repositories and in memory), Node-RED, a hand-written Node.js script and a hand-written C++ pass, run
# alternately (A B C … A B C …) on one generated input. Every tool's output is checked against the input
# by bench/meter/check_outputs.py. Prints a table (rows/s and MB/s median/min/max, CPU seconds, peak RSS,
# ratios sluice/peer taken rep by rep) and, when gnuplot is installed, plots rows/s per tool.
#
#   bench/meter/run.sh [--rows N] [--reps K] [--tools LIST] [--provenance] [--results DIR] [--keep]
#
#   --rows N        rows of input (default 200000; rows are 850-950 bytes)
#   --reps K        rounds of every tool (default 3)
#   --tools LIST    comma-separated subset of: sluice,sluice-memory,node-red,node,cpp (default all)
#   --provenance    also run sluice durable with provenance on (needs the provenance repository)
#   --results DIR   where results.tsv, table.txt and meter.png go (default: the work directory)
#   --keep          keep the work directory (input, outputs, sluice data) for inspection
#
# Environment: BUILD_DIR (default build), SLUICE_BENCH_CACHE (where npm installs Node-RED, default
# ~/.cache/sluice-bench), SLUICE_BENCH_TMP (where the work directory goes, default /tmp).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
here=$repo/bench/meter
rows=200000 reps=3 tools=sluice,sluice-memory,node-red,node,cpp provenance=0 results="" keep=0
while (($#)); do
  case $1 in
    --rows) rows=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --tools) tools=$2; shift 2 ;;
    --provenance) provenance=1; shift ;;
    --results) results=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
build=${BUILD_DIR:-build}
[[ $build == /* ]] || build=$repo/$build
cache=${SLUICE_BENCH_CACHE:-$HOME/.cache/sluice-bench}
for binary in bin/sluice bench/meter_gen bench/meter_pass; do
  [[ -x $build/$binary ]] || { echo "run.sh: $build/$binary is missing: build first (scripts/build.sh)" >&2; exit 1; }
done
[[ -x /usr/bin/time ]] || { echo "run.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

work=$(mktemp -d "${SLUICE_BENCH_TMP:-/tmp}/sluice-meter-bench.XXXXXX")
peer_pid=""  # a Node-RED still running when the script stops early
cleanup() {
  if [[ -n $peer_pid ]]; then kill -9 -- "-$peer_pid" 2>/dev/null || true; fi
  if ((!keep)); then rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if ((keep)); then echo "work directory: $work"; fi
results=${results:-$work}
mkdir -p "$results"

IFS=, read -r -a selected <<<"$tools"
runs=()  # the tools in the order they run each round
for t in "${selected[@]}"; do
  case $t in
    sluice)
      if ((provenance)); then runs+=(sluice-prov); fi
      runs+=(sluice) ;;
    sluice-memory | node-red | node | cpp) runs+=("$t") ;;
    *) echo "run.sh: unknown tool '$t'" >&2; exit 2 ;;
  esac
done

# --- the input ---------------------------------------------------------------------------------------
"$build/bench/meter_gen" --rows "$rows" --files 1 --seed 42 --out "$work/input" >/dev/null
input=$work/input/meters-00000.csv
bytes=$(stat -c %s "$input")
echo "input: $rows rows, $(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}') MB ($input)"

# --- Node-RED, installed from npm into the cache on first use -----------------------------------------
node_red=$cache/node-red/node_modules/node-red/red.js
if [[ " ${runs[*]} " == *" node-red "* && ! -f $node_red ]]; then
  echo "installing Node-RED into $cache/node-red (npm)"
  mkdir -p "$cache/node-red"
  npm install --prefix "$cache/node-red" --no-audit --no-fund --omit=dev node-red@4 >"$work/npm.log" 2>&1 ||
    { cat "$work/npm.log" >&2; exit 1; }
fi

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }

# Each run_* prepares a fresh directory $dir (input linked in, outputs under $dir/out/<bucket>/), runs the
# tool under /usr/bin/time and sets wall (seconds of the job) for record().
idle=0.05  # sluice's --until-idle quiet period, subtracted from its wall time

run_sluice() {  # run_sluice EXTRA_ARGS...
  mkdir -p "$dir/in"
  # A copy, synced before the clock starts, as a producer would have left it: GetFile takes a file over by
  # hard link only when no other name can change it (one link), and a linked input (two names) made it copy
  # and fsync 180 MB inside the timed run, work the other tools, reading the input in place, never do.
  cp "$input" "$dir/in/"
  sync
  local t0 t1
  t0=$(now)
  (cd "$dir" && /usr/bin/time -f '%U %S %M' -o "$dir/time" "$build/bin/sluice" run "$here/meter.yaml" \
    --data-dir "$dir/data" --until-idle=${idle}s --log-level warn --summary-json "$dir/summary.json" "$@" \
    >"$dir/log" 2>&1) || { cat "$dir/log" >&2; return 1; }
  t1=$(now)
  wall=$(awk -v a="$t0" -v b="$t1" -v i="$idle" 'BEGIN {print b - a - i}')
  if [[ -d $dir/rejected ]]; then echo "sluice rejected input: see $dir/rejected" >&2; return 1; fi
}

run_cpp() {
  local t0 t1
  t0=$(now)
  /usr/bin/time -f '%U %S %M' -o "$dir/time" "$build/bench/meter_pass" "$input" "$dir/out" >"$dir/log"
  t1=$(now)
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')
}

run_node() {
  local t0 t1
  t0=$(now)
  /usr/bin/time -f '%U %S %M' -o "$dir/time" node "$here/meter_node.js" "$input" "$dir/out" >"$dir/log"
  t1=$(now)
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')
}

# Node-RED runs headless (no editor, loopback only) with bench/meter/node-red-flow.json; the flow's last
# node writes $dir/done when the 4 file nodes have written every row, which is when the job ends.
run_node_red() {
  local port t0 t1 pid deadline
  port=$(free_port)
  mkdir -p "$dir/user"
  sed -e "s#@INPUT@#$input#g" -e "s#@OUT@#$dir/out#g" -e "s#@DONE@#$dir/done#g" "$here/node-red-flow.json" \
    >"$dir/user/flow.json"
  t0=$(now)
  # Its own process group (setsid), so that stopping it reaches Node-RED itself and not only /usr/bin/time.
  METER_PORT=$port setsid /usr/bin/time -f '%U %S %M' -o "$dir/time" node "$node_red" --settings \
    "$here/node-red-settings.js" --userDir "$dir/user" "$dir/user/flow.json" >"$dir/log" 2>&1 &
  pid=$!
  peer_pid=$pid
  deadline=$(($(date +%s) + 7200))
  until [[ -f $dir/done ]]; do
    if ! kill -0 "$pid" 2>/dev/null; then cat "$dir/log" >&2; echo "Node-RED exited early" >&2; return 1; fi
    if (($(date +%s) > deadline)); then echo "Node-RED did not finish in 2 h" >&2; return 1; fi
    sleep 0.05
  done
  t1=$(now)
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')
  kill -INT -- "-$pid" 2>/dev/null || true  # Node-RED stops; /usr/bin/time reports when it exits
  wait "$pid" || true
  peer_pid=""
  local want got
  want=$(cat "$dir/done")
  got=$((rows))
  [[ $want == "$got" ]] || { echo "Node-RED counted $want rows, expected $got" >&2; return 1; }
}

record() {  # record TOOL REP: appends a line to results.tsv from $wall and $dir/time
  local user sys rss
  read -r user sys rss < <(tail -1 "$dir/time")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" \
    "$rss" "$rows" >>"$results/results.tsv"
  printf '  %-14s %8.2f s  %10.0f rows/s  CPU %6.2f s  RSS %6.0f MB\n' "$1" "$wall" \
    "$(awk -v w="$wall" -v r="$rows" 'BEGIN {print r / w}')" "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" \
    "$(awk -v k="$rss" 'BEGIN {print k / 1024}')"
}

# Until the provenance repository is merged there is no provenance setting to pass.
provenance_off=()
if ((provenance)); then provenance_off=(--set provenance.enabled=false); fi
printf 'tool\trep\twall_s\tcpu_s\tmax_rss_kb\trows\n' >"$results/results.tsv"
uptime_before=$(uptime)
echo "load before: $uptime_before"
checked=()
for ((rep = 1; rep <= reps; rep++)); do
  echo "round $rep of $reps"
  for tool in "${runs[@]}"; do
    dir=$work/run/$tool
    rm -rf "$dir"
    mkdir -p "$dir/out"
    sync
    case $tool in
      sluice) run_sluice "${provenance_off[@]}" ;;
      sluice-prov) run_sluice --set provenance.enabled=true ;;
      sluice-memory) run_sluice --set repositories=memory "${provenance_off[@]}" ;;
      cpp) run_cpp ;;
      node) run_node ;;
      node-red) run_node_red ;;
    esac
    record "$tool" "$rep"
    if ((rep == 1)); then  # the first round's outputs are checked, all tools at once, after the round
      mkdir -p "$work/check"
      rm -rf "${work:?}/check/$tool"
      mv "$dir/out" "$work/check/$tool"
      checked+=("$work/check/$tool")
    fi
    rm -rf "$dir"
  done
  if ((rep == 1)); then
    echo "checking every tool's output against the input"
    python3 "$here/check_outputs.py" "$input" "${checked[@]}" | sed "s#$work/check/#  #"
    test "${PIPESTATUS[0]}" -eq 0
    rm -rf "$work/check"
  fi
done
uptime_after=$(uptime)
echo "load after: $uptime_after"

# --- the table ------------------------------------------------------------------------------------------
python3 "$here/summarize.py" "$results/results.tsv" "$bytes" "$(nproc)" "$uptime_before" "$uptime_after" \
  | tee "$results/table.txt"
if command -v gnuplot >/dev/null; then
  python3 "$here/summarize.py" --plot-data "$results/results.tsv" "$bytes" >"$results/plot.dat"
  gnuplot -e "data='$results/plot.dat'; out='$results/meter.png'; rows='$rows'" "$here/plot.gp"
  echo "plot: $results/meter.png"
else
  echo "plot: skipped (gnuplot is not installed: apt-get install gnuplot-nox)"
fi
