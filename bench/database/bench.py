"""See run.sh. Each run times one `sluice run` (GetFile -> PutDatabaseRecord with a CSV reader, one
transaction per file) from its start until the table holds every row (counted with psql), then stops it; the
time includes start-up. The reference is psql's `\\copy` of the same files, the fastest way into PostgreSQL.
The engine's data directory (durability fsync) is on disk; the CSV source files on tmpfs when there is one."""
import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import servers  # noqa: E402

SLUICE = os.environ.get("SLUICE", os.path.join(ROOT, "build", "bin", "sluice"))
SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") else None
TABLE = "CREATE TABLE readings (meter_id TEXT, read_at TIMESTAMPTZ, kwh DOUBLE PRECISION, status TEXT)"


def write_csv(directory, files, rows):
    """`files` CSV files of `rows` meter readings each; returns the bytes written."""
    os.makedirs(directory, exist_ok=True)
    total = 0
    for f in range(files):
        lines = ["meter_id,read_at,kwh,status"]
        for r in range(rows):
            n = f * rows + r
            lines.append(f"M{n % 100000:07d},2024-03-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00Z,{(n % 997) / 8:.3f},ok")
        text = "\n".join(lines) + "\n"
        with open(os.path.join(directory, f"r{f:05d}.csv"), "w") as out:
            out.write(text)
        total += len(text)
    return total


def count_rows(pg):
    return int(pg.psql("SELECT count(*) FROM readings").strip() or 0)


def bench_put(pg, work, disk, files, rows):
    src, data = os.path.join(work, "src"), os.path.join(disk, "data")
    size = write_csv(src, files, rows)
    flow = os.path.join(work, "put.yaml")
    with open(flow, "w") as f:
        f.write(f"""flow: bench-put-database-record
settings: {{ durability: fsync }}
services:
  csv: {{ type: CSVReader }}
  db:
    type: DatabaseConnection
    properties: {{ host: 127.0.0.1, port: {pg.port}, database: {pg.database}, user: {pg.user}, sslmode: disable }}
processors:
  get:
    type: GetFile
    properties: {{ directory: "{src}", batch_size: 100 }}
  put:
    type: PutDatabaseRecord
    properties: {{ connection: db, reader: csv, table: readings }}
    schedule: {{ batch: 10 }}
    terminate: [success, failure]
    retry: {{ relationships: [retry], policy: yield }}
connections:
  - {{ from: get, relationship: success, to: put }}
""")
    expected = files * rows
    start = time.monotonic()
    proc = subprocess.Popen([SLUICE, "run", flow, "--data-dir", data, "--log-level", "error"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while count_rows(pg) < expected:
            if proc.poll() is not None:
                raise RuntimeError(f"sluice exited {proc.returncode}: {proc.stderr.read().decode()}")
            if time.monotonic() - start > 900:
                raise RuntimeError("timed out")
            time.sleep(0.05)
        seconds = time.monotonic() - start
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait()
    return seconds, size


def bench_copy(pg, work, files, rows):
    src = os.path.join(work, "src")
    size = write_csv(src, files, rows)
    script = os.path.join(work, "copy.sql")
    with open(script, "w") as f:
        for name in sorted(os.listdir(src)):
            f.write(f"\\copy readings FROM '{os.path.join(src, name)}' WITH (FORMAT csv, HEADER true)\n")
    start = time.monotonic()  # one psql session copying every file
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(pg.port), "-U", pg.user,
                    "-d", pg.database, "-f", script], check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - start, size


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    if not os.path.exists(SLUICE):
        sys.exit(f"{SLUICE} not built")
    results = {"reference: psql \\copy (COPY FROM STDIN)": [], "PutDatabaseRecord INSERT (one transaction per file)": []}
    with servers.Postgres() as pg:
        for _ in range(args.reps):
            for name in results:
                pg.psql("DROP TABLE IF EXISTS readings")
                pg.psql(TABLE)
                work = tempfile.mkdtemp(prefix="sluice-bench-db-", dir=SCRATCH)
                disk = tempfile.mkdtemp(prefix="sluice-bench-db-data-")
                try:
                    if name.startswith("reference"):
                        seconds, size = bench_copy(pg, work, args.files, args.rows)
                    else:
                        seconds, size = bench_put(pg, work, disk, args.files, args.rows)
                    if count_rows(pg) != args.files * args.rows:
                        raise RuntimeError(f"{name}: {count_rows(pg)} rows, expected {args.files * args.rows}")
                    results[name].append((seconds, size))
                finally:
                    shutil.rmtree(work, ignore_errors=True)
                    shutil.rmtree(disk, ignore_errors=True)
    rows = args.files * args.rows
    print("| scenario | rows | rows/s | MB/s | median time (each run) |")
    print("| --- | --- | --- | --- | --- |")
    for name, runs in results.items():
        times = [t for t, _ in runs]
        median = statistics.median(times)
        size = runs[0][1]
        print(f"| {name} | {args.files} x {args.rows} | {rows / median:,.0f} rows/s | {size / median / 1e6:.1f} MB/s | "
              f"{median:.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)}) |")


if __name__ == "__main__":
    main()
