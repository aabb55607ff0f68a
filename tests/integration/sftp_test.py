"""SFTP processors against a real openssh sshd, driven through the real `sluice` binary:
- PutSFTP delivers every file intact, verified with the OpenSSH `sftp` client;
- a wrong host key sends everything to failure with a clear reason, and nothing reaches the server;
- ListSFTP -> FetchSFTP fetch each remote file exactly once across a restart in the middle of the run."""
import hashlib
import os
import signal
import subprocess
import sys
import time

import harness
import servers

FILES = 200


def sha(data):
    return hashlib.sha256(data).hexdigest()


def write_inputs(directory, count, prefix="m"):
    digests = {}
    os.makedirs(directory, exist_ok=True)
    for i in range(count):
        data = (f"{prefix}{i:05d}," * (1 + i % 50)).encode()
        name = f"{prefix}{i:05d}.csv"
        with open(os.path.join(directory, name), "wb") as f:
            f.write(data)
        digests[name] = sha(data)
    return digests


def connection(sshd, known_hosts=None):
    return (f"host: 127.0.0.1, port: {sshd.port}, username: {sshd.user}, private_key_file: \"{sshd.key}\", "
            f"known_hosts_file: \"{known_hosts or sshd.known_hosts}\"")


def put_flow(tmp, sshd, src, remote, known_hosts=None):
    flow = os.path.join(tmp, "put.yaml")
    with open(flow, "w") as f:
        f.write(f"""flow: put-sftp
processors:
  get:
    type: GetFile
    properties: {{ directory: "{src}", batch_size: 50 }}
  put:
    type: PutSFTP
    properties: {{ {connection(sshd, known_hosts)}, remote_directory: "{remote}" }}
    schedule: {{ batch: 25 }}
    terminate: [success]
    retry: {{ relationships: [retry], policy: yield, backoff: 100 ms, max_backoff: 1 s }}
  failed:
    type: PutFile
    properties: {{ directory: "{tmp}/failed" }}
    terminate: [success, failure]
connections:
  - {{ from: get, relationship: success, to: put }}
  - {{ from: put, relationship: failure, to: failed }}
""")
    return flow


def test_put_delivers_everything(tmp, sshd):
    src = os.path.join(tmp, "in")
    digests = write_inputs(src, FILES)
    remote = os.path.join(sshd.root, "delivered")
    flow = put_flow(tmp, sshd, src, remote)
    start = time.monotonic()
    harness.run("run", flow, "--data-dir", os.path.join(tmp, "data-put"), "--until-idle", "--log-level", "warn")
    print(f"PutSFTP: {FILES} files in {time.monotonic() - start:.2f} s (including start-up and idle wait)")
    # Independent check: the OpenSSH sftp client lists and downloads what the server has.
    listing = sshd.sftp_batch(f"ls -1 {remote}\n").split()
    names = sorted(os.path.basename(n) for n in listing if n.endswith(".csv"))
    harness.check(names == sorted(digests), f"server has {len(names)} files, expected {FILES}")
    harness.check(not any(os.path.basename(n).startswith(".") for n in listing), f"temporary files left: {listing}")
    fetched = os.path.join(tmp, "fetched")
    os.makedirs(fetched)
    sshd.sftp_batch(f"lcd {fetched}\nget {remote}/*.csv\n")
    for name, digest in digests.items():
        with open(os.path.join(fetched, name), "rb") as f:
            harness.check(sha(f.read()) == digest, f"{name} differs on the server")
    harness.check(not os.path.exists(os.path.join(tmp, "failed")), "files went to failure")


def test_wrong_host_key_is_refused(tmp, sshd):
    src = os.path.join(tmp, "in-wrong")
    write_inputs(src, 10)
    remote = os.path.join(sshd.root, "never")
    flow = put_flow(tmp, sshd, src, remote, known_hosts=sshd.wrong_known_hosts)
    proc = harness.run("run", flow, "--data-dir", os.path.join(tmp, "data-wrong"), "--until-idle")
    failed = os.listdir(os.path.join(tmp, "failed"))
    harness.check(len(failed) == 10, f"expected 10 files in failure, got {len(failed)}")
    harness.check("host key verification failed" in proc.stderr, f"no clear reason in the log:\n{proc.stderr}")
    harness.check(not os.path.exists(remote), "something reached a server whose key did not match")


def list_fetch_flow(tmp, sshd, remote, out, dups):
    flow = os.path.join(tmp, "list-fetch.yaml")
    with open(flow, "w") as f:
        f.write(f"""flow: list-fetch
processors:
  list:
    type: ListSFTP
    properties: {{ {connection(sshd)}, remote_directory: "{remote}", file_filter: '.*\\.csv' }}
    schedule: {{ strategy: timer, period: 50 ms, batch: 7 }}
  fetch:
    type: FetchSFTP
    properties: {{ {connection(sshd)} }}
    schedule: {{ batch: 5 }}
    retry: {{ relationships: [retry], policy: yield, backoff: 100 ms, max_backoff: 1 s }}
  out:
    type: PutFile
    properties: {{ directory: "{out}", conflict: fail }}
    terminate: [success]
  dups:
    type: PutFile
    properties: {{ directory: "{dups}", conflict: replace }}
    terminate: [success, failure]
connections:
  - {{ from: list, relationship: success, to: fetch }}
  - {{ from: fetch, relationship: success, to: out }}
  - {{ from: fetch, relationship: not_found, to: dups }}
  - {{ from: fetch, relationship: permission_denied, to: dups }}
  - {{ from: fetch, relationship: failure, to: dups }}
  - {{ from: out, relationship: failure, to: dups }}
""")
    return flow


def test_list_fetch_exactly_once_across_restart(tmp, sshd):
    remote = os.path.join(sshd.root, "outgoing")
    digests = write_inputs(remote, 60)
    sshd.own(remote)
    # Many files share a modification time (whole seconds on SFTP), the case a listing must get right.
    for i, name in enumerate(sorted(digests)):
        os.utime(os.path.join(remote, name), (1_700_000_000 + i // 10, 1_700_000_000 + i // 10))
    out, dups, data = (os.path.join(tmp, d) for d in ("lf-out", "lf-dups", "data-lf"))
    flow = list_fetch_flow(tmp, sshd, remote, out, dups)
    log = open(os.path.join(tmp, "lf-run1.log"), "w")
    proc = subprocess.Popen(harness.sluice_args("run", flow, "--data-dir", data, "--log-level", "warn"),
                            stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while (not os.path.isdir(out) or len(os.listdir(out)) < 10) and time.monotonic() < deadline:
            harness.check(proc.poll() is None, "the engine exited early")
            time.sleep(0.01)
        proc.send_signal(signal.SIGTERM)  # a restart in the middle of the run
        harness.check(proc.wait(timeout=60) == 0, "the engine did not stop cleanly")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log.close()
    after_first = len(os.listdir(out))
    harness.check(after_first < 60, "the first run fetched everything before the restart")
    harness.run("run", flow, "--data-dir", data, "--until-idle", "--log-level", "warn")
    # New files after the restart are listed too, and only they.
    more = write_inputs(remote, 5, prefix="late")
    digests.update(more)
    harness.run("run", flow, "--data-dir", data, "--until-idle", "--log-level", "warn")
    got = sorted(os.listdir(out))
    harness.check(got == sorted(digests), f"fetched {len(got)} files, expected {len(digests)}")
    for name in got:
        with open(os.path.join(out, name), "rb") as f:
            harness.check(sha(f.read()) == digests[name], f"{name} differs")
    dup = os.listdir(dups) if os.path.isdir(dups) else []
    harness.check(not dup, f"fetched more than once or failed: {dup}")
    print(f"ListSFTP/FetchSFTP: 65 files exactly once ({after_first} before the restart)")


def main():
    with harness.TempDir("sluice-sftp-") as tmp, servers.Sshd() as sshd:
        os.chmod(tmp, 0o755)
        test_put_delivers_everything(tmp, sshd)
        test_wrong_host_key_is_refused(tmp, sshd)
        test_list_fetch_exactly_once_across_restart(tmp, sshd)
    print("sftp integration test passed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"FAILED: {e}", file=sys.stderr)
        sys.exit(1)
