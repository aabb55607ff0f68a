"""AMQP processors against a real rabbitmq-server, driven through the real `sluice` binary and checked with an
independent client (pika, tests/integration/amqp_client.py):
- PublishAMQP publishes 100,000 FlowFiles while the broker is stopped for 10 s mid-run and restarted: every
  one arrives (at-least-once: duplicates allowed, counted by message_id), none goes to failure;
- ConsumeAMQP consumes 20,000 messages published by pika while the broker is stopped for 10 s mid-run and
  restarted: every message becomes a file (unacknowledged ones are redelivered after the restart)."""
import io
import json
import os
import subprocess
import sys
import time

import amqp_client
import harness
import servers

PUBLISHED = 100_000
CONSUMED = 20_000
OUTAGE_S = 10  # the outage being tested, not a synchronization: how long the broker stays down


def connection(broker):
    return f"host: 127.0.0.1, port: {broker.port}, username: guest, password: guest"


def start(flow, data, log_path):
    with open(log_path, "w") as log:
        return subprocess.Popen(harness.sluice_args("run", flow, "--data-dir", data, "--log-level", "warn"),
                                stdout=subprocess.DEVNULL, stderr=log)


def ready_count(broker, queue):
    """Messages ready in `queue`, or -1 while the broker cannot answer."""
    try:
        conn = amqp_client.connect(broker.port)
        try:
            return conn.channel().queue_declare(queue, passive=True).method.message_count
        finally:
            conn.close()
    except Exception:  # the broker is down or starting
        return -1


def outage(broker):
    broker.stop_broker()
    time.sleep(OUTAGE_S)
    broker.start_broker()


def read_all(broker, queue):
    conn = amqp_client.connect(broker.port)
    try:
        out = io.StringIO()
        amqp_client.get(conn.channel(), queue, 0, 2000, out)
    finally:
        conn.close()
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_publish_survives_an_outage(broker, tmp):
    queue = "published"
    conn = amqp_client.connect(broker.port)
    conn.channel().queue_declare(queue, durable=True)
    conn.close()
    flow = os.path.join(tmp, "publish.yaml")
    with open(flow, "w") as f:
        f.write(f"""flow: publish-amqp
processors:
  gen:
    type: GenerateFlowFile
    properties: {{ count: {PUBLISHED}, text: "${{uuid}}", batch_size: 1000 }}
    schedule: {{ strategy: timer, period: 1ms }}
  publish:
    type: PublishAMQP
    properties: {{ {connection(broker)}, routing_key: {queue}, headers: "seq.*" }}
    schedule: {{ batch: 500 }}
    terminate: [success]
    retry: {{ relationships: [retry], policy: yield, backoff: 100 ms, max_backoff: 1 s }}
  failed:
    type: PutFile
    properties: {{ directory: "{tmp}/failed" }}
    terminate: [success, failure]
connections:
  - {{ from: gen, relationship: success, to: publish }}
  - {{ from: publish, relationship: failure, to: failed }}
""")
    proc = start(flow, os.path.join(tmp, "publish-data"), os.path.join(tmp, "publish.log"))
    try:
        harness.wait_for(lambda: ready_count(broker, queue) >= PUBLISHED // 4 or proc.poll() is not None,
                         "a quarter of the messages", timeout=300)
        harness.check(proc.poll() is None, f"sluice exited early: {open(os.path.join(tmp, 'publish.log')).read()}")
        outage(broker)
        harness.wait_for(lambda: ready_count(broker, queue) >= PUBLISHED, "every message after the outage",
                         timeout=600)
    finally:
        servers.terminate(proc, timeout=60)
    messages = read_all(broker, queue)
    ids = {m["message_id"] for m in messages}
    harness.check(len(ids) == PUBLISHED, f"{len(ids)} distinct messages of {PUBLISHED}")
    harness.check(all(m["delivery_mode"] == 2 for m in messages), "a message was not persistent")
    harness.check(not os.path.isdir(os.path.join(tmp, "failed")) or not os.listdir(os.path.join(tmp, "failed")),
                  "FlowFiles went to failure")
    print(f"publish: {PUBLISHED} delivered across a {OUTAGE_S} s outage, {len(messages) - len(ids)} duplicates")


def test_consume_survives_an_outage(broker, tmp):
    queue = "consumed"
    subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "amqp_client.py"), "--port",
                    str(broker.port), "declare", queue], check=True)
    subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "amqp_client.py"), "--port",
                    str(broker.port), "publish", queue, str(CONSUMED), "--prefix", "msg"], check=True)
    out = os.path.join(tmp, "consumed")
    flow = os.path.join(tmp, "consume.yaml")
    with open(flow, "w") as f:
        f.write(f"""flow: consume-amqp
processors:
  consume:
    type: ConsumeAMQP
    properties: {{ {connection(broker)}, queue: {queue}, prefetch: 1000 }}
    schedule: {{ strategy: timer, period: 1ms, batch: 500, yield: 200 ms }}
  name:
    type: UpdateAttribute
    properties: {{ filename: "${{amqp.message.id}}" }}
    retry: {{ relationships: [failure] }}
  put:
    type: PutFile
    properties: {{ directory: "{out}", conflict: replace }}
    terminate: [success]
    retry: {{ relationships: [failure] }}
connections:
  - {{ from: consume, relationship: success, to: name }}
  - {{ from: name, relationship: success, to: put }}
""")
    proc = start(flow, os.path.join(tmp, "consume-data"), os.path.join(tmp, "consume.log"))
    try:
        harness.wait_for(lambda: len(harness.delivered(out)) >= CONSUMED // 4 or proc.poll() is not None,
                         "a quarter of the messages", timeout=300)
        harness.check(proc.poll() is None, f"sluice exited early: {open(os.path.join(tmp, 'consume.log')).read()}")
        outage(broker)
        harness.wait_for(lambda: len(harness.delivered(out)) >= CONSUMED, "every message after the outage",
                         timeout=600)
    finally:
        servers.terminate(proc, timeout=60)
    names = set(harness.delivered(out))
    harness.check(names == {f"msg{i}" for i in range(CONSUMED)}, "the files are not the messages sent")
    for name in ("msg0", f"msg{CONSUMED - 1}"):
        with open(os.path.join(out, name)) as f:
            harness.check(f.read() == name, f"{name} has the wrong content")
    harness.check(ready_count(broker, queue) == 0, "messages left in the queue after the run")
    print(f"consume: {CONSUMED} received across a {OUTAGE_S} s outage")


def main():
    with harness.TempDir("sluice-amqp-") as tmp, servers.RabbitMq() as broker:
        test_publish_survives_an_outage(broker, tmp)
        test_consume_survives_an_outage(broker, tmp)


if __name__ == "__main__":
    harness.run_test(main)
