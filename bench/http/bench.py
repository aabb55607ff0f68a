"""See run.sh. Each run starts `sluice run` on an echo flow (the request body comes back as the response
body), waits until the endpoint answers, then times `--requests` POSTs spread over `--clients` threads, each
on its own keep-alive connection, every answer checked (status 200, body echoed). Start-up is not timed."""
import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import servers  # noqa: E402

SLUICE = os.environ.get("SLUICE", os.path.join(ROOT, "build", "bin", "sluice"))

FLOW = """flow: http-echo
settings: {{ durability: {durability} }}
services:
  requests: {{ type: HttpContextMap, properties: {{ max_outstanding: 1000 }} }}
processors:
  api:
    type: HandleHttpRequest
    properties: {{ port: {port}, http_context_map: requests }}
    schedule: {{ strategy: timer, period: 0 ms, yield: 1 ms, batch: 100 }}
  respond:
    type: HandleHttpResponse
    properties: {{ http_context_map: requests, status_code: "200", Content-Type: application/octet-stream }}
    schedule: {{ batch: 100 }}
    terminate: [success, failure]
connections:
  - {{ from: api, relationship: success, to: respond }}
"""


def wait_ready(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError("the echo flow did not start listening")


def client(port, count, body, errors):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        for _ in range(count):
            conn.request("POST", "/echo", body=body)
            r = conn.getresponse()
            got = r.read()
            if r.status != 200 or got != body:
                errors.append(f"{r.status} {got[:60]!r}")
                return
    except OSError as e:
        errors.append(str(e))
    finally:
        conn.close()


def one_run(args):
    with tempfile.TemporaryDirectory(prefix="sluice-http-bench-") as tmp:
        port = servers.free_port()
        flow = os.path.join(tmp, "echo.yaml")
        with open(flow, "w") as f:
            f.write(FLOW.format(port=port, durability=args.durability))
        proc = subprocess.Popen([SLUICE, "run", flow, "--data-dir", os.path.join(tmp, "data"), "--log-level",
                                 "error"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_ready(port)
            body = os.urandom(args.size)
            per_client = args.requests // args.clients
            errors = []
            threads = [threading.Thread(target=client, args=(port, per_client, body, errors))
                       for _ in range(args.clients)]
            start = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - start
            if errors:
                raise RuntimeError(f"{len(errors)} clients failed, first: {errors[0]}")
            return per_client * args.clients / elapsed, elapsed
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--requests", type=int, default=5000)
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--size", type=int, default=256)
    p.add_argument("--durability", default="fsync", choices=["fsync", "batch", "none"])
    args = p.parse_args()
    runs = [one_run(args) for _ in range(args.reps)]
    rates = [r for r, _ in runs]
    median = statistics.median(rates)
    print(f"HandleHttpRequest -> HandleHttpResponse echo, {args.requests} x {args.size} B, {args.clients} "
          f"clients, durability {args.durability}: {median:,.0f} requests/s, "
          f"{median * args.size / 1e6:.2f} MB/s (runs: {', '.join(f'{r:,.0f}' for r in rates)})")


if __name__ == "__main__":
    main()
