"""Prints the sources (of those given) whose compilation reads a file changed since a commit: the source
itself, or any header it includes, as Ninja recorded them (ninja -t deps). Used by scripts/tidy.sh --since."""
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

    def flush():
        # The first input of an object is its source.
        if inputs and any(i in changed for i in inputs):
            affected.add(inputs[0])

    for line in deps.splitlines():
        if not line.startswith(" "):
            flush()
            inputs = []
        elif line.strip():
            inputs.append(os.path.normpath(os.path.join(build, line.strip())))
    flush()
    # New checks or new compile flags concern every source.
    everything = any(os.path.basename(c) in (".clang-tidy", "CMakeLists.txt") or c.endswith(".cmake")
                     for c in changed)
    for s in sources:
        full = os.path.normpath(os.path.join(root, s))
        # A new source is among the changed files itself.
        if everything or full in affected or full in changed:
            print(s)


if __name__ == "__main__":
    main()
