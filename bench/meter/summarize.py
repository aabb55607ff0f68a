#!/usr/bin/env python3
"""The smart-meter benchmark's table, from the results.tsv bench/meter/run.sh writes.

    summarize.py RESULTS.tsv INPUT_BYTES NPROC UPTIME_BEFORE UPTIME_AFTER   -> the Markdown table
    summarize.py --plot-data RESULTS.tsv INPUT_BYTES                       -> gnuplot data (bench/meter/plot.gp)

Rates are rows (and input MB) over each run's wall time; ratios divide sluice's rate by a peer's rate in the
same round (pair by pair), then take the median, min and max of those ratios.
"""
import csv
import statistics
import sys

NAMES = {
    "sluice-prov": "sluice (durable, provenance on)",
    "sluice": "sluice (durable)",
    "sluice-memory": "sluice (in-memory repositories)",
    "cpp": "hand-written C++ (single pass)",
    "node": "hand-written Node.js",
    "node-red": "Node-RED",
}
ORDER = list(NAMES)


def load(path):
    runs = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            runs.setdefault(row["tool"], []).append(
                {
                    "rep": int(row["rep"]),
                    "wall": float(row["wall_s"]),
                    "cpu": float(row["cpu_s"]),
                    "rss_mb": float(row["max_rss_kb"]) / 1024,
                    "rows": int(row["rows"]),
                }
            )
    return {t: runs[t] for t in ORDER if t in runs}


def spread(values, fmt):
    return f"{fmt(statistics.median(values))} ({fmt(min(values))}–{fmt(max(values))})"


def whole(v):
    return f"{v:,.0f}"


def one(v):
    return f"{v:,.1f}"


def two(v):
    return f"{v:.2f}"


def table(runs, input_bytes):
    mb = input_bytes / 1e6
    lines = [
        "| tool | rows/s median (min–max) | MB/s median (min–max) | CPU s median | rows per CPU s | "
        "peak RSS MB max |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for tool, rs in runs.items():
        rates = [r["rows"] / r["wall"] for r in rs]
        mbs = [mb / r["wall"] for r in rs]
        lines.append(
            f"| {NAMES[tool]} | {spread(rates, whole)} | {spread(mbs, one)} | "
            f"{two(statistics.median(r['cpu'] for r in rs))} | "
            f"{whole(statistics.median(r['rows'] / r['cpu'] for r in rs))} | {whole(max(r['rss_mb'] for r in rs))} |"
        )
    return lines


def ratios(runs):
    lines = []
    for mine in ("sluice-prov", "sluice", "sluice-memory"):
        for peer in ("node-red", "cpp", "node"):
            if mine not in runs or peer not in runs:
                continue
            by_rep = {r["rep"]: r for r in runs[peer]}
            pairs = [
                (r["rows"] / r["wall"]) / (by_rep[r["rep"]]["rows"] / by_rep[r["rep"]]["wall"])
                for r in runs[mine]
                if r["rep"] in by_rep
            ]
            if pairs:
                lines.append(f"| {NAMES[mine]} / {NAMES[peer]} | {spread(pairs, two)} |")
    if lines:
        lines = ["| rows/s ratio, round by round | median (min–max) |", "| --- | --- |"] + lines
    return lines


def main(argv):
    if len(argv) >= 3 and argv[0] == "--plot-data":
        runs = load(argv[1])
        for i, (tool, rs) in enumerate(runs.items()):
            rates = [r["rows"] / r["wall"] for r in rs]
            label = NAMES[tool].replace(" (", "\\n(")
            print(f'{i} "{label}" {statistics.median(rates):.0f} {min(rates):.0f} {max(rates):.0f}')
        return 0
    if len(argv) != 5:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    runs = load(argv[0])
    input_bytes = int(argv[1])
    rows = next(iter(runs.values()))[0]["rows"]
    reps = max(len(rs) for rs in runs.values())
    print(f"rows: {rows:,}; input: {input_bytes / 1e6:,.1f} MB; rounds: {reps}; nproc: {argv[2]}")
    print(f"load before: {argv[3].strip()}")
    print(f"load after:  {argv[4].strip()}")
    if "sluice-prov" not in runs:
        print("provenance: not available (sluice ran without a provenance repository)")
    print()
    print("\n".join(table(runs, input_bytes)))
    r = ratios(runs)
    if r:
        print()
        print("\n".join(r))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
