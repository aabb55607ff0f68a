"""Every ```yaml block in docs/flow-reference.md is checked with `sluice validate`: a block marked
`<!-- valid -->` (the line before it) must exit 0 and print nothing; a block marked
`<!-- invalid: MESSAGE -->` (one such line per expected message) must exit 2 and print a line containing
each MESSAGE. A block without a marker
fails the test, so the reference cannot show a flow nobody checked."""
import os
import re

import harness

DOC = os.path.join(os.path.dirname(harness.TESTS_DIR), "docs", "flow-reference.md")
MARKER = re.compile(r"^<!--\s*(valid|invalid:\s*(.*?))\s*-->$")
# What the reference's `${env:…}` examples read, as an operator would set it.
ENV = {"SLUICE_DOCS_EXAMPLE_TOKEN": "example-token"}


def yaml_blocks(text):
    """(line number, marker lines, block text) for every ```yaml block."""
    lines = text.splitlines()
    blocks = []
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```yaml":
            i += 1
            continue
        start = i
        # The marker lines right above the block: one `valid`, or one or more `invalid: MESSAGE`.
        markers = []
        j = start - 1
        while j >= 0 and MARKER.match(lines[j].strip()):
            markers.insert(0, lines[j].strip())
            j -= 1
        i += 1
        body = []
        while i < len(lines) and lines[i].strip() != "```":
            body.append(lines[i])
            i += 1
        blocks.append((start + 1, markers, "\n".join(body) + "\n"))
        i += 1
    return blocks


def main():
    with open(DOC) as f:
        blocks = yaml_blocks(f.read())
    harness.check(len(blocks) >= 10, f"expected the reference's examples, found {len(blocks)} yaml blocks")
    env = dict(os.environ, **ENV)
    env.pop("SLUICE_DOCS_UNSET_VARIABLE", None)
    failures = []
    valid = {}  # path -> line of the block
    invalid = {}  # path -> (line, expected message)
    with harness.TempDir("sluice-docs-snippets-") as tmp:
        for line, markers, body in blocks:
            kinds = [MARKER.match(m) for m in markers]
            expected = [k.group(2) for k in kinds if k.group(1) != "valid"]
            if not (markers == ["<!-- valid -->"] or (markers and len(expected) == len(markers))):
                failures.append(f"line {line}: needs <!-- valid --> or <!-- invalid: message --> line(s) right above")
                continue
            path = os.path.join(tmp, f"line{line}.yaml")
            with open(path, "w") as f:
                f.write(body)
            if expected:
                invalid[path] = (line, expected)
            else:
                valid[path] = line
        # One run per kind (each run loads every plugin): validate prints FILE:LINE:COL: lines, so each
        # block's messages are told apart by their file.
        if valid:
            proc = harness.run("validate", *valid, check=False, env=env, timeout=60)
            if proc.returncode != 0 or (proc.stdout + proc.stderr).strip():
                failures.append(f"blocks marked valid (lines {sorted(valid.values())}) gave exit "
                                f"{proc.returncode}:\n{proc.stdout}{proc.stderr}")
        if invalid:
            proc = harness.run("validate", *invalid, check=False, env=env, timeout=60)
            if proc.returncode != 2:
                failures.append(f"blocks marked invalid gave exit {proc.returncode}:\n{proc.stdout}{proc.stderr}")
            lines = proc.stdout.splitlines()
            for path, (line, expected) in invalid.items():
                own = [text for text in lines if text.startswith(path + ":")]
                for message in expected:
                    if not any(message in text for text in own):
                        failures.append(f"line {line}: marked invalid with '{message}', got:\n" + "\n".join(own))
    print(f"{len(valid)} valid and {len(invalid)} invalid examples checked; {len(failures)} failures")
    harness.check(valid and invalid, "expected both valid and invalid examples")
    harness.check(not failures, "\n".join(failures))
    print("flow reference snippets test passed")


if __name__ == "__main__":
    harness.run_test(main)
