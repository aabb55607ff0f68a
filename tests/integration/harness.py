"""Shared helpers for integration tests that run the real `sluice` binary."""
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

BINARY = os.environ.get("SLUICE_BINARY", "sluice")
PLUGINS = os.environ.get("SLUICE_PLUGIN_DIR", "")
FLOW_FIXTURE_PLUGINS = os.environ.get("SLUICE_FLOW_FIXTURE_PLUGINS", "")
TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def sluice_args(*args):
    cmd = [BINARY]
    cmd.extend(args)
    return cmd


def run(*args, check=True, timeout=600, **kwargs):
    proc = subprocess.run(sluice_args(*args), capture_output=True, text=True, timeout=timeout, **kwargs)
    if check and proc.returncode != 0:
        raise AssertionError(f"sluice {' '.join(args)} exited {proc.returncode}\n"
                             f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def peak_rss_of_children_mib():
    # ru_maxrss is in KiB on Linux, the largest of all waited-for children so far.
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0


class TempDir:
    def __init__(self, prefix):
        self.path = tempfile.mkdtemp(prefix=prefix)

    def __enter__(self):
        return self.path

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def run_test(test):
    """Runs `test()` as a script's main: an AssertionError prints FAILED: and exits 1."""
    try:
        test()
    except AssertionError as e:
        print(f"FAILED: {e}", file=sys.stderr)
        sys.exit(1)


def wait_for(condition, what, timeout=60):
    """Polls `condition` (an outcome of a real process, not a clock) until true or `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def delivered(out):
    """The files a flow has written into directory `out` (not its dot-prefixed temporaries)."""
    return [n for n in os.listdir(out) if not n.startswith(".")] if os.path.isdir(out) else []


def run_and_kill(flow, data, out, target, log_path, timeout=300):
    """Runs `sluice run flow` on `data` until `out` holds `target` delivered files, then SIGKILLs it.
    Watches the output directory (not a clock), so the kill lands while this run is delivering."""
    with open(log_path, "w") as log:
        proc = subprocess.Popen(sluice_args("run", flow, "--data-dir", data, "--log-level", "warn"),
                                stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + timeout
        while len(delivered(out)) < target and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        if proc.poll() is not None:
            with open(log_path) as f:
                raise AssertionError(f"engine exited early ({proc.returncode}): {f.read()}")
        check(len(delivered(out)) >= target, "no progress before the kill deadline")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
