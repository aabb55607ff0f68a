"""HTTP processors through two real `sluice run` processes:
- InvokeHTTP (sender) -> ListenHTTP (receiver): the receiver starts only after the sender has been failing
  to reach it for a while; once it is up, every file arrives intact, nothing lost, nothing in failure;
- back pressure reaches the client: with the receiver's outgoing queue full, an independent client (Python's
  http.client) gets 503 with Retry-After instead of being buffered."""
import hashlib
import http.client
import os
import signal
import subprocess
import sys
import time

import harness
import servers

FILES = 300


def sha(data):
    return hashlib.sha256(data).hexdigest()


def start(flow, data, log_path):
    log = open(log_path, "w")
    proc = subprocess.Popen(harness.sluice_args("run", flow, "--data-dir", data, "--log-level", "warn"),
                            stdout=subprocess.DEVNULL, stderr=log)
    log.close()
    return proc


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def receiver_flow(tmp, port, out, back_pressure=None, consumer_period=None):
    flow = os.path.join(tmp, f"receiver-{port}.yaml")
    sink_schedule = f"schedule: {{ strategy: timer, period: {consumer_period} }}" if consumer_period else ""
    pressure = f", back_pressure: {{ objects: {back_pressure} }}" if back_pressure else ""
    with open(flow, "w") as f:
        f.write(f"""flow: receiver
processors:
  listen:
    type: ListenHTTP
    properties: {{ port: {port}, base_path: /meters, headers_as_attributes: 'x-.*' }}
    schedule: {{ strategy: timer, period: 0 ms, yield: 5 ms }}
  out:
    type: PutFile
    properties: {{ directory: "{out}", conflict: fail }}
    {sink_schedule}
    terminate: [success, failure]
connections:
  - {{ from: listen, relationship: success, to: out{pressure} }}
""")
    return flow


def sender_flow(tmp, src, port, failed):
    flow = os.path.join(tmp, "sender.yaml")
    with open(flow, "w") as f:
        f.write(f"""flow: sender
processors:
  get:
    type: GetFile
    properties: {{ directory: "{src}", batch_size: 100 }}
  post:
    type: InvokeHTTP
    properties: {{ method: POST, url: "http://127.0.0.1:{port}/meters", connect_timeout: 1 s, X-Origin: sender }}
    schedule: {{ batch: 50 }}
    retry: {{ relationships: [retry], policy: yield, backoff: 50 ms, max_backoff: 500 ms }}
    terminate: [original, response]
  failed:
    type: PutFile
    properties: {{ directory: "{failed}" }}
    terminate: [success, failure]
connections:
  - {{ from: get, relationship: success, to: post }}
  - {{ from: post, relationship: no_retry, to: failed }}
  - {{ from: post, relationship: failure, to: failed }}
""")
    return flow


def test_down_endpoint_then_recovery(tmp):
    src, out, failed = (os.path.join(tmp, d) for d in ("src", "received", "failed"))
    os.makedirs(src)
    digests = []
    for i in range(FILES):
        data = os.urandom(100 + (i * 37) % 4000)
        with open(os.path.join(src, f"f{i:04d}.bin"), "wb") as f:
            f.write(data)
        digests.append(sha(data))
    port = servers.free_port()
    sender = start(sender_flow(tmp, src, port, failed), os.path.join(tmp, "data-sender"),
                   os.path.join(tmp, "sender.log"))
    receiver = None
    try:
        # The endpoint is down: the sender takes everything in and keeps retrying.
        wait_for(lambda: not os.listdir(src), 60, "the sender to pick up its files")
        harness.check(sender.poll() is None, "the sender exited")
        receiver = start(receiver_flow(tmp, port, out), os.path.join(tmp, "data-receiver"),
                         os.path.join(tmp, "receiver.log"))
        servers.wait_for_port(port)
        wait_for(lambda: os.path.isdir(out) and len(os.listdir(out)) >= FILES, 120, "every file to arrive")
    finally:
        codes = (stop(sender), stop(receiver) if receiver else 0)
    harness.check(codes == (0, 0), f"exit codes {codes}")
    received = []
    for name in os.listdir(out):
        with open(os.path.join(out, name), "rb") as f:
            received.append(sha(f.read()))
    harness.check(sorted(received) == sorted(digests), f"received {len(received)} files, expected {FILES}")
    harness.check(not os.path.exists(failed), f"failures: {os.listdir(failed) if os.path.exists(failed) else []}")
    print(f"InvokeHTTP -> ListenHTTP: {FILES} files delivered after the endpoint came up")


def post(port, body):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", "/meters", body=body, headers={"Content-Type": "text/plain"})
        r = conn.getresponse()
        r.read()
        return r.status, r.getheader("Retry-After")
    finally:
        conn.close()


def test_back_pressure_answers_503(tmp):
    out = os.path.join(tmp, "bp-out")
    port = servers.free_port()
    # The consumer runs once an hour: after its first run the queue fills to 3 and stays full.
    flow = receiver_flow(tmp, port, out, back_pressure=3, consumer_period="1 h")
    receiver = start(flow, os.path.join(tmp, "data-bp"), os.path.join(tmp, "bp.log"))
    statuses = []
    try:
        servers.wait_for_port(port)
        for i in range(20):
            statuses.append(post(port, f"reading {i}".encode()))
            if statuses[-1][0] == 503:
                break
    finally:
        stop(receiver)
    codes = [s for s, _ in statuses]
    harness.check(codes[-1] == 503, f"never refused: {codes}")
    harness.check(statuses[-1][1] == "1", f"503 without Retry-After: {statuses}")
    accepted = codes.count(200)
    # 1 taken by the consumer's first run + 3 queued (+1 that may have been admitted as the queue filled).
    harness.check(3 <= accepted <= 5 and set(codes) <= {200, 503}, f"statuses {codes}")
    print(f"back pressure: {accepted} accepted, then 503 Retry-After: 1")


def main():
    with harness.TempDir("sluice-http-") as tmp:
        test_down_endpoint_then_recovery(tmp)
        test_back_pressure_answers_503(tmp)
    print("http integration test passed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"FAILED: {e}", file=sys.stderr)
        sys.exit(1)
