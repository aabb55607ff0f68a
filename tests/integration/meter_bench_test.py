"""The smart-meter benchmark (bench/meter/run.sh) runs end to end on 1,000 rows: sluice durable and in
memory, the hand-written Node.js and C++ programs (Node-RED is left out: npm and minutes); every tool's
output passes the independent check against the input, and the table names every tool."""
import csv
import os
import subprocess

import harness

TOOLS = {"sluice": "sluice (durable)", "sluice-memory": "sluice (in-memory repositories)",
         "node": "hand-written Node.js", "cpp": "hand-written C++ (single pass)"}
ROWS = 1000


def test():
    repo = os.path.dirname(harness.TESTS_DIR)
    with harness.TempDir("sluice-meter-bench-") as tmp:
        env = dict(os.environ, BUILD_DIR=os.environ["SLUICE_BUILD_DIR"], SLUICE_BENCH_TMP=tmp)
        proc = subprocess.run(
            [os.path.join(repo, "bench", "meter", "run.sh"), "--rows", str(ROWS), "--reps", "1", "--tools",
             ",".join(TOOLS), "--results", os.path.join(tmp, "results")],
            capture_output=True, text=True, timeout=100, env=env)
        harness.check(proc.returncode == 0, f"run.sh exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
        checked = [line for line in proc.stdout.splitlines() if ": ok, rows per bucket" in line]
        harness.check(len(checked) == len(TOOLS), f"expected {len(TOOLS)} checked outputs:\n{proc.stdout}")
        with open(os.path.join(tmp, "results", "results.tsv"), newline="") as f:
            runs = list(csv.DictReader(f, delimiter="\t"))
        harness.check(sorted(r["tool"] for r in runs) == sorted(TOOLS), f"results: {runs}")
        for r in runs:
            harness.check(int(r["rows"]) == ROWS and float(r["wall_s"]) > 0 and int(r["max_rss_kb"]) > 0,
                          f"implausible run: {r}")
        with open(os.path.join(tmp, "results", "table.txt")) as f:
            table = f.read()
        for name in TOOLS.values():
            harness.check(f"| {name} |" in table, f"table lacks {name}:\n{table}")
        harness.check("sluice (durable) / hand-written C++ (single pass)" in table, f"no ratio:\n{table}")
    print("meter bench smoke test passed")


if __name__ == "__main__":
    harness.run_test(test)
