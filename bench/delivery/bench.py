"""See run.sh. Each scenario times one `sluice run` from its start until its last file is at the other side
(observed on the destination's file system), then stops it with SIGTERM; the time includes start-up.

The engines' data directories (their durable repositories, fsync'd) are on disk, as in production; the local
files a scenario starts from or ends in (GetFile's source, PutFile's destination: the harness, not what is
measured) are on tmpfs when there is one, so that PutFile's per-file fsyncs do not hide the figures."""
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


def write_files(directory, count, size, prefix="f"):
    os.makedirs(directory, exist_ok=True)
    block = os.urandom(size)
    for i in range(count):
        with open(os.path.join(directory, f"{prefix}{i:06d}.bin"), "wb") as f:
            f.write(block)


def count_files(directory):
    try:
        return sum(1 for n in os.listdir(directory) if not n.startswith("."))
    except FileNotFoundError:
        return 0


SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") else None


def timed_run(flow, data, done, timeout=600):
    """Seconds from start until done() holds; the engine is then stopped."""
    start = time.monotonic()
    proc = subprocess.Popen([SLUICE, "run", flow, "--data-dir", data, "--log-level", "error"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not done():
            if proc.poll() is not None:
                raise RuntimeError(f"sluice exited {proc.returncode}")
            if time.monotonic() - start > timeout:
                raise RuntimeError("timed out")
            time.sleep(0.005)
        return time.monotonic() - start
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait()


def connection(sshd):
    return (f"host: 127.0.0.1, port: {sshd.port}, username: {sshd.user}, private_key_file: \"{sshd.key}\", "
            f"known_hosts_file: \"{sshd.known_hosts}\"")


def bench_put_sftp(work, disk, sshd, count, size, sync):
    src, remote, data = os.path.join(work, "src"), os.path.join(sshd.root, "put"), os.path.join(disk, "data")
    write_files(src, count, size)
    flow = os.path.join(work, "put.yaml")
    with open(flow, "w") as f:
        f.write(f"""flow: bench-put-sftp
settings: {{ durability: fsync }}
processors:
  get:
    type: GetFile
    properties: {{ directory: "{src}", batch_size: 500 }}
  put:
    type: PutSFTP
    properties: {{ {connection(sshd)}, remote_directory: "{remote}", sync: {str(sync).lower()} }}
    schedule: {{ batch: 100 }}
    terminate: [success, failure]
    retry: {{ relationships: [retry], policy: yield }}
connections:
  - {{ from: get, relationship: success, to: put }}
""")
    seconds = timed_run(flow, data, lambda: count_files(remote) >= count)
    shutil.rmtree(remote)
    return seconds


def bench_sftp_client(work, disk, sshd, count, size):
    """The reference: OpenSSH's own sftp client putting the same files over one session, one at a time."""
    del disk
    src, remote = os.path.join(work, "src"), os.path.join(sshd.root, "cli")
    write_files(src, count, size)
    os.makedirs(remote)
    sshd.own(remote)
    batch = os.path.join(work, "batch")
    with open(batch, "w") as f:
        for name in sorted(os.listdir(src)):
            f.write(f"put {os.path.join(src, name)} {remote}/{name}\n")
    start = time.monotonic()
    subprocess.run(["sftp", "-q", "-b", batch, "-i", sshd.key, "-P", str(sshd.port), "-o",
                    f"UserKnownHostsFile={sshd.known_hosts}", f"{sshd.user}@127.0.0.1"],
                   check=True, stdout=subprocess.DEVNULL)
    seconds = time.monotonic() - start
    shutil.rmtree(remote)
    return seconds


def bench_fetch_sftp(work, disk, sshd, count, size):
    remote, out, data = os.path.join(sshd.root, "fetch"), os.path.join(work, "out"), os.path.join(disk, "data")
    write_files(remote, count, size)
    sshd.own(remote)
    flow = os.path.join(work, "fetch.yaml")
    with open(flow, "w") as f:
        f.write(f"""flow: bench-fetch-sftp
settings: {{ durability: fsync }}
processors:
  list:
    type: ListSFTP
    properties: {{ {connection(sshd)}, remote_directory: "{remote}" }}
    schedule: {{ strategy: timer, period: 1 s, batch: 100000 }}
  fetch:
    type: FetchSFTP
    properties: {{ {connection(sshd)} }}
    schedule: {{ batch: 100 }}
    terminate: [retry, not_found, permission_denied, failure]
  out:
    type: PutFile
    properties: {{ directory: "{out}", conflict: replace }}
    schedule: {{ batch: 500 }}
    terminate: [success, failure]
connections:
  - {{ from: list, relationship: success, to: fetch, back_pressure: {{ objects: 200000 }} }}
  - {{ from: fetch, relationship: success, to: out }}
""")
    seconds = timed_run(flow, data, lambda: count_files(out) >= count)
    shutil.rmtree(remote)
    return seconds


def bench_http(work, disk, count, size):
    src, out = os.path.join(work, "src"), os.path.join(work, "out")
    write_files(src, count, size)
    port = servers.free_port()
    receiver = os.path.join(work, "receiver.yaml")
    with open(receiver, "w") as f:
        f.write(f"""flow: bench-receiver
settings: {{ durability: fsync }}
processors:
  listen:
    type: ListenHTTP
    properties: {{ port: {port}, base_path: /in, max_body_size: 64 MiB }}
    schedule: {{ strategy: timer, period: 0 ms, yield: 1 ms }}
  out:
    type: PutFile
    properties: {{ directory: "{out}", conflict: replace }}
    schedule: {{ batch: 500 }}
    terminate: [success, failure]
connections:
  - {{ from: listen, relationship: success, to: out }}
""")
    sender = os.path.join(work, "sender.yaml")
    with open(sender, "w") as f:
        f.write(f"""flow: bench-sender
settings: {{ durability: fsync }}
processors:
  get:
    type: GetFile
    properties: {{ directory: "{src}", batch_size: 500 }}
  post:
    type: InvokeHTTP
    properties: {{ method: POST, url: "http://127.0.0.1:{port}/in" }}
    schedule: {{ batch: 100, concurrency: 4 }}
    terminate: [original, response, no_retry, failure]
    retry: {{ relationships: [retry], policy: yield, backoff: 10 ms }}
connections:
  - {{ from: get, relationship: success, to: post }}
""")
    rx = subprocess.Popen([SLUICE, "run", receiver, "--data-dir", os.path.join(disk, "data-rx"), "--log-level",
                           "error"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        servers.wait_for_port(port)
        return timed_run(sender, os.path.join(disk, "data-tx"), lambda: count_files(out) >= count)
    finally:
        rx.send_signal(signal.SIGTERM)
        rx.wait()


def report(name, count, size, runs):
    median = statistics.median(runs)
    print(f"| {name} | {count} x {size / 1024:.0f} KiB | {count / median:,.0f} msg/s | "
          f"{count * size / median / 1e6:,.1f} MB/s | {median:.2f} s (runs: {', '.join(f'{r:.2f}' for r in runs)}) |",
          flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--small", type=int, default=5000)
    p.add_argument("--large", type=int, default=20)
    p.add_argument("--large-size", type=int, default=16, help="MiB")
    p.add_argument("--only", choices=["sftp", "http"])
    a = p.parse_args()
    small, large = 4 * 1024, a.large_size * 1024 * 1024
    print("| scenario | files | messages/s | MB/s | median time (each run) |")
    print("| --- | --- | --- | --- | --- |")

    def repeat(fn, *args):
        runs = []
        for _ in range(a.reps):
            work = tempfile.mkdtemp(prefix="sluice-bench-delivery-", dir=SCRATCH)
            disk = tempfile.mkdtemp(prefix="sluice-bench-delivery-data-")
            try:
                runs.append(fn(work, disk, *args))
            finally:
                shutil.rmtree(work, ignore_errors=True)
                shutil.rmtree(disk, ignore_errors=True)
        return runs

    if a.only in (None, "sftp"):
        with servers.Sshd() as sshd:
            report("reference: OpenSSH sftp client, put", a.small, small,
                   repeat(bench_sftp_client, sshd, a.small, small))
            report("PutSFTP (sync on)", a.small, small, repeat(bench_put_sftp, sshd, a.small, small, True))
            report("PutSFTP (sync off)", a.small, small, repeat(bench_put_sftp, sshd, a.small, small, False))
            report("PutSFTP (sync on)", a.large, large, repeat(bench_put_sftp, sshd, a.large, large, True))
            report("ListSFTP -> FetchSFTP", a.small, small, repeat(bench_fetch_sftp, sshd, a.small, small))
            report("ListSFTP -> FetchSFTP", a.large, large, repeat(bench_fetch_sftp, sshd, a.large, large))
    if a.only in (None, "http"):
        report("InvokeHTTP -> ListenHTTP", a.small, small, repeat(bench_http, a.small, small))
        report("InvokeHTTP -> ListenHTTP", a.large, large, repeat(bench_http, a.large, large))


if __name__ == "__main__":
    main()
