"""The README's demo flow runs to completion and writes its 1,000 files of 1 KiB."""
import json
import os
import sys

import harness


def main():
    flow = os.path.join(os.path.dirname(harness.TESTS_DIR), "flows", "demo.yaml")
    with harness.TempDir("sluice-demo-") as tmp:
        summary = os.path.join(tmp, "summary.json")
        harness.run("run", flow, "--data-dir", os.path.join(tmp, "data"), "--until-idle", "--summary-json",
                    summary, cwd=tmp)
        out = os.path.join(tmp, "out", "demo")
        files = os.listdir(out)
        harness.check(len(files) == 1000, f"expected 1000 files, found {len(files)}")
        sizes = {os.path.getsize(os.path.join(out, f)) for f in files}
        harness.check(sizes == {1024}, f"unexpected sizes {sizes}")
        with open(summary) as f:
            s = json.load(f)
        harness.check(s["processors"]["out"]["in"] == 1000, f"summary: {s}")
        harness.check(s["queued"] == 0, f"summary: {s}")
    print("demo test passed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"FAILED: {e}", file=sys.stderr)
        sys.exit(1)
