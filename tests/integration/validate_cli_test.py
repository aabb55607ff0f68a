"""`sluice validate` on the broken flows in tests/flows/invalid gives exactly the errors each file
declares in its `# expect: LINE:COL: message` lines, as FILE:LINE:COL: message, with exit code 2;
valid flows (tests/flows/valid and flows/) exit 0 and print nothing."""
import glob
import os
import sys

import harness


def expected_lines(path):
    with open(path) as f:
        return [f"{path}:{line.split('# expect:', 1)[1].strip()}" for line in f if line.startswith("# expect:")]


def main():
    failures = []
    invalid = sorted(glob.glob(os.path.join(harness.TESTS_DIR, "flows", "invalid", "*.yaml")))
    harness.check(len(invalid) >= 10, f"expected the broken-flow fixtures, found {len(invalid)}")
    for path in invalid:
        proc = harness.run("validate", "--plugins", harness.FLOW_FIXTURE_PLUGINS, path, check=False)
        got = [line for line in proc.stdout.splitlines() if line]
        want = expected_lines(path)
        if proc.returncode != 2 or got != want:
            failures.append(f"{path}: exit {proc.returncode}\n  want: {want}\n  got:  {got}\n  stderr: {proc.stderr}")
    valid = sorted(glob.glob(os.path.join(harness.TESTS_DIR, "flows", "valid", "*.yaml")) +
                   glob.glob(os.path.join(os.path.dirname(harness.TESTS_DIR), "flows", "*.yaml")))
    # What the example flows read from the environment (`${env:…}`), as an operator would set it.
    env = dict(os.environ, METER_DB_URL="postgresql://sluice@127.0.0.1:5432/meters", METER_DB_SSLMODE="verify-full",
               METER_API_PORT="8080")
    for path in valid:
        proc = harness.run("validate", "--plugins", harness.FLOW_FIXTURE_PLUGINS, path, check=False, env=env)
        if proc.returncode != 0 or proc.stdout.strip():
            failures.append(f"{path}: exit {proc.returncode}: {proc.stdout}{proc.stderr}")
    print(f"{len(invalid)} invalid and {len(valid)} valid flows checked; {len(failures)} failures")
    harness.check(not failures, "\n".join(failures))
    print("validate CLI test passed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"FAILED: {e}", file=sys.stderr)
        sys.exit(1)
