"""flows/standard.yaml runs to completion: every reading that passed DetectDuplicate ends up, exactly once
per route it matched (RouteOnAttribute sends a reading that is both an alarm and high to both), in a gzip
file of its meter that Python's gzip reads back."""
import collections
import gzip
import json
import os
import sys

import harness


def main():
    flow = os.path.join(os.path.dirname(harness.TESTS_DIR), "flows", "standard.yaml")
    with harness.TempDir("sluice-standard-") as tmp:
        summary = os.path.join(tmp, "summary.json")
        harness.run("run", flow, "--data-dir", os.path.join(tmp, "data"), "--until-idle=3s", "--summary-json",
                    summary, cwd=tmp)
        with open(summary) as f:
            s = json.load(f)
        procs = s["processors"]
        harness.check(s["queued"] == 0, f"summary: {s}")
        harness.check(procs["readings"]["out"] == 500, f"generated {procs['readings']['out']}")
        harness.check(procs["extract"]["out"] == 500, f"extract matched {procs['extract']['out']} of 500")
        unique = procs["route"]["in"]
        harness.check(0 < unique <= 500, f"dedup passed {unique}")
        out = os.path.join(tmp, "out", "standard")
        meters = sorted(os.listdir(out))
        harness.check(set(meters) <= {f"M{i}" for i in range(5)} and meters, f"meter directories {meters}")
        lines = []
        for meter in meters:
            for name in os.listdir(os.path.join(out, meter)):
                harness.check(name.endswith(".txt.gz"), f"unexpected file {name}")
                text = gzip.decompress(open(os.path.join(out, meter, name), "rb").read()).decode()
                harness.check(text.startswith("readings:\n"), f"{name} starts {text[:20]!r}")
                body = [l for l in text[len("readings:\n"):].split("\n") if l]
                harness.check(all(l.startswith(f"meter={meter} ") for l in body), f"{name} mixes meters")
                lines.extend(body)
        routed = procs["route"]["out"]
        harness.check(routed >= unique, f"route sent {routed} of {unique}")
        harness.check(len(lines) == routed, f"{len(lines)} lines written, {routed} readings routed")
        # A reading is written once, or twice when it is both an alarm and high.
        for line, n in collections.Counter(lines).items():
            both = "status=ALARM" in line and int(line.split("kwh=")[1].split()[0]) > 200
            harness.check(n == (2 if both else 1), f"{line!r} written {n} times")
        harness.check(len(set(lines)) == unique, f"{len(set(lines))} distinct readings of {unique} written")
    print("standard flow test passed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"FAILED: {e}", file=sys.stderr)
        sys.exit(1)
