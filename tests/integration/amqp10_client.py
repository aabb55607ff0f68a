"""An independent AMQP 1.0 client (Debian's python3-qpid-proton) for the JMS tests over AMQP 1.0: sends
JMS-style messages and reads messages back with every field the JMS mapping uses.

    amqp10_client.py --port P send ADDRESS COUNT [--prefix P] [--property k=v ...]
        durable TextMessages (AmqpValue strings) "P0".."P{COUNT-1}", correlation-id corr-I, subject
        "reading", application properties seq=I and the given ones; waits for each to be accepted
    amqp10_client.py --port P receive ADDRESS [--idle-ms MS]
        one JSON line per message (accepted), until MS pass without one
"""
import argparse
import base64
import json
import sys

try:
    from proton import Message
    from proton.utils import BlockingConnection
except ImportError:  # an interpreter other than Debian's (pyenv): python3-qpid-proton lives here
    sys.path.append("/usr/lib/python3/dist-packages")
    from proton import Message
    from proton.utils import BlockingConnection
from proton import Terminus, Timeout
from proton.reactor import LinkOption


class DurableQueue(LinkOption):
    """A /queue/ terminus with durability `configuration`: RabbitMQ declares the queue durable (as a JMS queue
    is) and refuses a link whose durability differs from the existing queue's."""

    def apply(self, link):
        terminus = link.source if link.is_receiver else link.target
        if not str(terminus.address or "").startswith("/topic/"):
            terminus.durability = Terminus.CONFIGURATION


def message_json(m):
    if isinstance(m.body, str):
        kind, body = "text", m.body
    elif isinstance(m.body, (bytes, memoryview)):
        kind, body = "bytes", base64.b64encode(bytes(m.body)).decode()
    else:
        kind, body = "other", repr(m.body)
    annotations = {str(k): v for k, v in (m.annotations or {}).items()}
    return {"kind": kind, "body": body, "inferred": m.inferred, "durable": m.durable, "to": m.address,
            "correlation_id": m.correlation_id, "subject": m.subject, "reply_to": m.reply_to,
            "content_type": m.content_type, "annotations": annotations,
            "properties": {str(k): v for k, v in (m.properties or {}).items()}}


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("send")
    p.add_argument("address")
    p.add_argument("count", type=int)
    p.add_argument("--prefix", default="m")
    p.add_argument("--property", action="append", default=[])
    p = sub.add_parser("receive")
    p.add_argument("address")
    p.add_argument("--idle-ms", type=int, default=1000)
    args = parser.parse_args(argv[1:])

    connection = BlockingConnection(f"amqp://guest:guest@127.0.0.1:{args.port}", timeout=30)
    if args.command == "send":
        sender = connection.create_sender(args.address, options=DurableQueue())
        extra = dict(p.split("=", 1) for p in args.property)
        for i in range(args.count):
            sender.send(Message(body=f"{args.prefix}{i}", durable=True, correlation_id=f"corr-{i}",
                                subject="reading", properties={"seq": str(i), **extra}))  # waits for accepted
    else:
        receiver = connection.create_receiver(args.address, credit=100, options=DurableQueue())
        while True:
            try:
                m = receiver.receive(timeout=args.idle_ms / 1000.0)
            except Timeout:
                break
            print(json.dumps(message_json(m)), flush=True)
            receiver.accept()
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
