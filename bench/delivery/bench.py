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
import socket
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import amqp_client  # noqa: E402
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


class AmqpQueueWatch:
    """done() conditions on a queue's ready count over one pika connection, asked at most every 50 ms (so
    that watching does not load the broker it measures)."""

    def __init__(self, broker, queue):
        self.conn = amqp_client.connect(broker.port)
        self.channel = self.conn.channel()
        self.queue = queue
        self.last_check = 0.0
        self.last_count = None

    def ready(self):
        now = time.monotonic()
        if self.last_count is None or now - self.last_check >= 0.05:
            self.last_count = self.channel.queue_declare(self.queue, durable=True).method.message_count
            self.last_check = now
        return self.last_count

    def close(self):
        self.conn.close()


def amqp_purge(broker, queue):
    conn = amqp_client.connect(broker.port)
    try:
        ch = conn.channel()
        ch.queue_declare(queue, durable=True)
        ch.queue_purge(queue)
    finally:
        conn.close()


def amqp_connection(broker):
    return f"host: 127.0.0.1, port: {broker.port}, username: guest, password: guest"


def generated_to(work, name, count, size, publisher_type, publisher_properties):
    """A flow file: GenerateFlowFile (`count` FlowFiles of `size` random bytes) -> a publisher, in batches of
    1000, fsync durability, retry on `retry`."""
    flow = os.path.join(work, f"{name}.yaml")
    with open(flow, "w") as f:
        f.write(f"""flow: {name}
settings: {{ durability: fsync }}
processors:
  gen:
    type: GenerateFlowFile
    properties: {{ count: {count}, size: {size} B, batch_size: 1000 }}
    schedule: {{ strategy: timer, period: 1ms }}
  publish:
    type: {publisher_type}
    properties: {{ {publisher_properties} }}
    schedule: {{ batch: 1000 }}
    terminate: [success, failure]
    retry: {{ relationships: [retry], policy: yield }}
connections:
  - {{ from: gen, relationship: success, to: publish }}
""")
    return flow


def bench_publish_amqp(work, disk, broker, count, size):
    """GenerateFlowFile -> PublishAMQP (persistent, confirms) into a durable queue, until the broker holds all."""
    queue = "bench-publish"
    return publish_until_queued(work, disk, broker, queue, count, size, "PublishAMQP",
                                f"{amqp_connection(broker)}, routing_key: {queue}")


def publish_until_queued(work, disk, broker, queue, count, size, publisher_type, publisher_properties):
    """Seconds for GenerateFlowFile -> `publisher_type` until RabbitMQ's durable `queue` holds `count`
    messages (emptied before and after)."""
    amqp_purge(broker, queue)
    flow = generated_to(work, f"bench-{queue}", count, size, publisher_type, publisher_properties)
    watch = AmqpQueueWatch(broker, queue)
    try:
        seconds = timed_run(flow, os.path.join(disk, "data"), lambda: watch.ready() >= count)
    finally:
        watch.close()
    amqp_purge(broker, queue)
    return seconds


def bench_consume_amqp(work, disk, broker, count, size):
    """ConsumeAMQP (prefetch 2000, batches of 1000, ack after the fsync'd commit) of a queue pre-filled by
    pika, until the queue has no ready message left (at most one prefetch window is then unacknowledged)."""
    queue, data = "bench-consume", os.path.join(disk, "data")
    amqp_purge(broker, queue)
    conn = amqp_client.connect(broker.port)
    ch = conn.channel()
    body = os.urandom(size)
    for _ in range(count):
        ch.basic_publish("", queue, body, amqp_client.pika.BasicProperties(delivery_mode=2))
    conn.close()
    flow = os.path.join(work, "consume.yaml")
    with open(flow, "w") as f:
        f.write(f"""flow: bench-consume-amqp
settings: {{ durability: fsync }}
processors:
  consume:
    type: ConsumeAMQP
    properties: {{ {amqp_connection(broker)}, queue: {queue}, prefetch: 2000 }}
    schedule: {{ strategy: timer, period: 1ms, batch: 1000 }}
    terminate: [success]
""")
    watch = AmqpQueueWatch(broker, queue)
    try:
        seconds = timed_run(flow, data, lambda: watch.ready() == 0)
    finally:
        watch.close()
    amqp_purge(broker, queue)
    return seconds


class StompCounter(threading.Thread):
    """Drains a queue over STOMP (auto ack) and counts the messages: the other side of PublishJMS."""

    def __init__(self, port, destination):
        super().__init__(daemon=True)
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(b"CONNECT\naccept-version:1.2\nhost:localhost\n\n\x00")
        self.sock.sendall(f"SUBSCRIBE\nid:1\ndestination:{destination}\nack:auto\n"
                          f"activemq.prefetchSize:5000\n\n\x00".encode())
        self.count = 0

    def run(self):
        pending = b""
        while True:
            try:
                chunk = self.sock.recv(1 << 16)
            except OSError:
                return
            if not chunk:
                return
            pending += chunk
            # Bodies here are binary with content-length; count MESSAGE frames by their headers' start.
            while True:
                head = pending.find(b"\n\n")
                if head < 0:
                    break
                headers = pending[:head].split(b"\n")
                length = next((int(h[15:]) for h in headers if h.startswith(b"content-length:")), None)
                end = head + 2 + length if length is not None else pending.find(b"\x00", head + 2)
                if end < 0 or len(pending) <= end:
                    break
                if headers[0].lstrip(b"\r\n") == b"MESSAGE":
                    self.count += 1
                pending = pending[end + 1:].lstrip(b"\r\n")

    def close(self):
        self.sock.close()


def bench_publish_jms(work, disk, amq, count, size):
    """GenerateFlowFile -> PublishJMS (persistent BytesMessages, a receipt per message awaited per batch) to an
    ActiveMQ queue, until an independent STOMP consumer has received them all."""
    destination, data = f"/queue/bench-{os.path.basename(work)}", os.path.join(disk, "data")
    counter = StompCounter(amq.stomp_port, destination)
    counter.start()
    flow = generated_to(work, "bench-publish-jms", count, size, "PublishJMS",
                        f"host: 127.0.0.1, port: {amq.stomp_port}, destination: \"{destination}\"")

    try:
        return timed_run(flow, data, lambda: counter.count >= count)
    finally:
        counter.close()


def bench_publish_jms_amqp10(work, disk, broker, count, size):
    """GenerateFlowFile -> PublishJMS over AMQP 1.0 (persistent BytesMessages, each awaited for the broker's
    `accepted` per batch) to RabbitMQ's AMQP 1.0 plugin, until the durable queue holds them all (pika)."""
    queue = "bench-jms-amqp10"
    return publish_until_queued(work, disk, broker, queue, count, size, "PublishJMS",
                                f"transport: amqp10, {amqp_connection(broker)}, destination: \"/queue/{queue}\"")


def report(name, count, size, runs):
    median = statistics.median(runs)
    unit = f"{size} B" if size < 1024 else f"{size / 1024:.0f} KiB"
    print(f"| {name} | {count} x {unit} | {count / median:,.0f} msg/s | "
          f"{count * size / median / 1e6:,.1f} MB/s | {median:.2f} s (runs: {', '.join(f'{r:.2f}' for r in runs)}) |",
          flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--small", type=int, default=5000)
    p.add_argument("--large", type=int, default=20)
    p.add_argument("--large-size", type=int, default=16, help="MiB")
    p.add_argument("--only", choices=["sftp", "http", "amqp", "jms", "jms-amqp10"])
    p.add_argument("--messages", type=int, default=50_000, help="AMQP messages of 100 B")
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
    if a.only in (None, "amqp"):
        with servers.RabbitMq() as broker:
            for count, size in ((a.messages, 100), (a.messages // 5, 10 * 1024)):
                report("PublishAMQP (persistent, confirms)", count, size,
                       repeat(bench_publish_amqp, broker, count, size))
                report("ConsumeAMQP (ack after fsync'd commit)", count, size,
                       repeat(bench_consume_amqp, broker, count, size))
    if a.only in (None, "jms"):
        with servers.ActiveMq() as amq:
            for count, size in ((a.messages, 100), (a.messages // 5, 10 * 1024)):
                report("PublishJMS (STOMP, persistent, receipts)", count, size,
                       repeat(bench_publish_jms, amq, count, size))
    if a.only in (None, "jms-amqp10"):
        with servers.RabbitMq(plugins=["rabbitmq_amqp1_0"]) as broker:
            for count, size in ((a.messages, 100), (a.messages // 5, 10 * 1024)):
                report("PublishJMS (AMQP 1.0 to RabbitMQ, persistent, accepted)", count, size,
                       repeat(bench_publish_jms_amqp10, broker, count, size))


if __name__ == "__main__":
    main()
