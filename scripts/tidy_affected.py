"""Prints the sources (of those given) to check for a change since a commit: every changed source, and for
each changed header one source that includes it (clang-tidy reports a header's findings through any source
that includes it), as Ninja recorded the includes (ninja -t deps). Used by scripts/tidy.sh --since.
A source's own findings change with the source; re-checking every includer of a changed SDK header would be
a whole-tree run per change, more than CI's budget on 2 cores. A change to .clang-tidy checks everything."""
import os
import subprocess
import sys


def main():
    build_dir, since, sources = sys.argv[1], sys.argv[2], sys.argv[3:]
    root = os.getcwd()
    changed = subprocess.run(["git", "diff", "--name-only", since, "--"], check=True, capture_output=True,
                             text=True).stdout.split()
    changed += subprocess.run(["git", "ls-files", "--others", "--exclude-standard"], check=True,
                              capture_output=True, text=True).stdout.split()
    changed = {os.path.normpath(os.path.join(root, c)) for c in changed}
    deps = subprocess.run(["ninja", "-C", build_dir, "-t", "deps"], check=True, capture_output=True,
                          text=True).stdout
    build = os.path.join(root, build_dir)
    affected, inputs = set(), []
    headers_seen = set()

    def flush():
        # The first input of an object is its source; the first includer found checks each changed header.
        if not inputs:
            return
        fresh = [i for i in inputs[1:] if i in changed and i not in headers_seen]
        if fresh:
            headers_seen.update(fresh)
            affected.add(inputs[0])

    for line in deps.splitlines():
        if not line.startswith(" "):
            flush()
            inputs = []
        elif line.strip():
            inputs.append(os.path.normpath(os.path.join(build, line.strip())))
    flush()
    # New checks concern every source.
    everything = any(os.path.basename(c) == ".clang-tidy" for c in changed)
    for s in sources:
        full = os.path.normpath(os.path.join(root, s))
        if everything or full in affected or full in changed:
            print(s)


if __name__ == "__main__":
    main()
