#!/usr/bin/env python3
"""Checks the smart-meter job's outputs against the input, independently of every tool.

    check_outputs.py IN.csv OUT_DIR [OUT_DIR ...]

From IN.csv (Python's csv module) it computes what each of the 4 outputs must hold: each row as a JSON
object (kwh, voltage, current as numbers) in bucket int(md5(meter_id).hexdigest()[0], 16) % 4. Each
OUT_DIR/<bucket>/ may hold any number of JSON-lines files; their lines are parsed, normalized (keys sorted,
numbers as floats) and compared with the expected rows of that bucket as multisets (count and an
order-independent sum of 128-bit hashes). Prints one line per OUT_DIR; exits 1 if any differs.
"""
import csv
import hashlib
import json
import os
import sys

BUCKETS = 4
NUMERIC = ("kwh", "voltage", "current")
MASK = (1 << 128) - 1


def normalized(record):
    for key in NUMERIC:
        if key in record and not isinstance(record[key], str):
            record[key] = float(record[key])
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(text):
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=16).digest(), "little")


def bucket_of(meter_id):
    return int(hashlib.md5(meter_id.encode()).hexdigest()[0], 16) % BUCKETS


def expected(path):
    counts = [0] * BUCKETS
    sums = [0] * BUCKETS
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            record = {k: (float(v) if k in NUMERIC else v) for k, v in row.items()}
            b = bucket_of(record["meter_id"])
            counts[b] += 1
            sums[b] = (sums[b] + digest(normalized(record))) & MASK
    return counts, sums


def actual(out_dir):
    counts = [0] * BUCKETS
    sums = [0] * BUCKETS
    problems = []
    for b in range(BUCKETS):
        d = os.path.join(out_dir, str(b))
        if not os.path.isdir(d):
            problems.append(f"no directory {d}")
            continue
        for name in sorted(os.listdir(d)):
            if name.startswith("."):
                continue  # a writer's temporary file
            with open(os.path.join(d, name), encoding="utf-8") as f:
                for number, line in enumerate(f, 1):
                    if not line.strip():
                        continue
                    try:
                        record = json.loads(line)
                    except json.JSONDecodeError as e:
                        problems.append(f"{d}/{name}:{number}: not JSON: {e}")
                        continue
                    if bucket_of(record.get("meter_id", "")) != b:
                        problems.append(f"{d}/{name}:{number}: meter {record.get('meter_id')} in bucket {b}")
                    counts[b] += 1
                    sums[b] = (sums[b] + digest(normalized(record))) & MASK
    return counts, sums, problems


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    want_counts, want_sums = expected(sys.argv[1])
    failed = False
    for out_dir in sys.argv[2:]:
        counts, sums, problems = actual(out_dir)
        for b in range(BUCKETS):
            if counts[b] != want_counts[b]:
                problems.append(f"bucket {b}: {counts[b]} rows, expected {want_counts[b]}")
            elif sums[b] != want_sums[b]:
                problems.append(f"bucket {b}: {counts[b]} rows but not the expected ones")
        if problems:
            failed = True
            print(f"{out_dir}: MISMATCH")
            for p in problems[:10]:
                print(f"  {p}")
        else:
            print(f"{out_dir}: ok, rows per bucket {counts}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
