"""Crash test: GetFile -> PutFile over 10,000 files of varied sizes with a slowed sink. The engine is
SIGKILLed at several random moments (each once some new files have arrived, so every kill lands mid-run),
restarted on the same data dir each time, and finally run with --until-idle. Every file must arrive with
identical bytes; nothing may be lost."""
import hashlib
import os
import random
import sys

import harness

FILES = int(os.environ.get("CRASH_TEST_FILES", "10000"))
KILLS = int(os.environ.get("CRASH_TEST_KILLS", "5"))


def write_inputs(src, rng):
    digests = {}
    for i in range(FILES):
        # Mostly small, some large: 0 B .. 256 KiB on a log scale, and one in 200 of 1–1.5 MiB (PutFile
        # hands those over by a hard link after sealing them).
        size = int(2 ** rng.uniform(0, 18)) - 1
        if rng.random() < 0.005:
            size = rng.randint(1 << 20, 3 << 19)
        data = rng.randbytes(size)
        name = f"f{i:05d}.bin"
        with open(os.path.join(src, name), "wb") as f:
            f.write(data)
        digests[name] = hashlib.sha256(data).hexdigest()
    return digests


def main():
    seed = int(os.environ.get("CRASH_TEST_SEED", str(random.randrange(1 << 30))))
    rng = random.Random(seed)
    print(f"seed {seed}", flush=True)
    with harness.TempDir("sluice-crash-") as tmp:
        src, out, data = (os.path.join(tmp, d) for d in ("in", "out", "data"))
        os.makedirs(src)
        digests = write_inputs(src, rng)
        flow = os.path.join(tmp, "crash.yaml")
        with open(flow, "w") as f:
            f.write(f"""flow: crash
settings: {{ durability: fsync }}
processors:
  get:
    type: GetFile
    properties: {{ directory: "{src}", batch_size: 20 }}
    schedule: {{ strategy: timer, period: 0ms }}
  put:
    type: PutFile
    properties: {{ directory: "{out}", conflict: replace }}
    schedule: {{ strategy: timer, period: 2ms, batch: 10 }}
    terminate: [success, failure]
connections:
  - {{ from: get, relationship: success, to: put, back_pressure: {{ objects: 500 }} }}
""")
        for kill in range(KILLS):
            before = len(harness.delivered(out))
            target = before + rng.randint(50, max(51, FILES // (KILLS + 2)))
            harness.run_and_kill(flow, data, out, target, os.path.join(tmp, f"run{kill}.log"))
            print(f"kill {kill + 1}: SIGKILL after {len(harness.delivered(out))} files delivered "
                  f"(+{len(harness.delivered(out)) - before})", flush=True)

        final = harness.run("run", flow, "--data-dir", data, "--until-idle", "--log-level", "warn",
                            "--summary-json", os.path.join(tmp, "summary.json"))
        names = set(harness.delivered(out))
        missing = sorted(set(digests) - names)
        extra = sorted(names - set(digests))
        corrupt = []
        for name in sorted(names & set(digests)):
            with open(os.path.join(out, name), "rb") as f:
                if hashlib.sha256(f.read()).hexdigest() != digests[name]:
                    corrupt.append(name)
        leftovers = [n for n in os.listdir(src)]
        temp_files = [n for n in os.listdir(out) if n.startswith(".")]
        print(f"delivered {len(names)}/{FILES}; missing {len(missing)}; corrupt {len(corrupt)}; "
              f"extra {len(extra)}; sources left {len(leftovers)}; stale temp files {len(temp_files)}; "
              f"duplicates absorbed by conflict=replace (not observable in the output)")
        harness.check(not missing, f"lost files: {missing[:10]}\n{final.stderr}")
        harness.check(not corrupt, f"corrupt files: {corrupt[:10]}")
        harness.check(not extra, f"unexpected files: {extra[:10]}")
        harness.check(not leftovers, f"source files not consumed: {leftovers[:10]}")
        harness.check(not temp_files, f"stale temporary files: {temp_files[:10]}")
    print("crash test passed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"FAILED: {e}", file=sys.stderr)
        sys.exit(1)
