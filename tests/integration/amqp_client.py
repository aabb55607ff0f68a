"""An independent AMQP 0-9-1 client (pika) for the AMQP tests: declares queues, publishes, and reads messages
back with their properties and headers.

    amqp_client.py --port P declare QUEUE [--max-length N]   (with N: further publishes are rejected)
    amqp_client.py --port P get QUEUE [--max N] [--idle-ms MS]     one JSON line per message (acked)
    amqp_client.py --port P publish QUEUE COUNT [--prefix P] [--header k=v ...]   persistent, with confirms
    amqp_client.py --port P count QUEUE                            messages ready in the queue
"""
import argparse
import base64
import json
import sys

try:
    import pika
except ImportError:  # an interpreter other than Debian's (pyenv): Debian's python3-pika is pure Python
    sys.path.append("/usr/lib/python3/dist-packages")
    import pika


def connect(port):
    params = pika.ConnectionParameters(host="127.0.0.1", port=port,
                                       credentials=pika.PlainCredentials("guest", "guest"),
                                       blocked_connection_timeout=30, socket_timeout=10)
    return pika.BlockingConnection(params)


def message_json(method, props, body):
    return {"body": base64.b64encode(body).decode(), "routing_key": method.routing_key,
            "exchange": method.exchange, "redelivered": method.redelivered,
            "message_id": props.message_id, "delivery_mode": props.delivery_mode,
            "content_type": props.content_type, "correlation_id": props.correlation_id,
            "headers": {k: (v.decode() if isinstance(v, bytes) else v) for k, v in (props.headers or {}).items()}}


def get(channel, queue, max_count, idle_ms, out):
    """Consumes until max_count messages or idle_ms without one; acks in batches."""
    channel.basic_qos(prefetch_count=1000)
    n = 0
    last_tag = None
    for method, props, body in channel.consume(queue, inactivity_timeout=idle_ms / 1000.0):
        if method is None:
            break
        out.write(json.dumps(message_json(method, props, body)) + "\n")
        n += 1
        last_tag = method.delivery_tag
        if n % 500 == 0:
            channel.basic_ack(last_tag, multiple=True)
        if max_count and n >= max_count:
            break
    if last_tag is not None:
        channel.basic_ack(last_tag, multiple=True)
    channel.cancel()
    return n


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("declare")
    p.add_argument("queue")
    p.add_argument("--max-length", type=int, default=None)
    p = sub.add_parser("get")
    p.add_argument("queue")
    p.add_argument("--max", type=int, default=0)
    p.add_argument("--idle-ms", type=int, default=1000)
    p = sub.add_parser("publish")
    p.add_argument("queue")
    p.add_argument("count", type=int)
    p.add_argument("--prefix", default="m")
    p.add_argument("--header", action="append", default=[])
    p = sub.add_parser("count")
    p.add_argument("queue")
    args = parser.parse_args(argv[1:])

    connection = connect(args.port)
    channel = connection.channel()
    if args.command == "declare":
        arguments = None
        if args.max_length is not None:
            arguments = {"x-max-length": args.max_length, "x-overflow": "reject-publish"}
        channel.queue_declare(args.queue, durable=True, arguments=arguments)
    elif args.command == "get":
        get(channel, args.queue, args.max, args.idle_ms, sys.stdout)
    elif args.command == "publish":
        channel.confirm_delivery()
        headers = dict(h.split("=", 1) for h in args.header)
        for i in range(args.count):
            props = pika.BasicProperties(delivery_mode=2, message_id=f"{args.prefix}{i}", headers=headers or None,
                                         correlation_id=f"corr-{i}", content_type="text/plain")
            channel.basic_publish("", args.queue, f"{args.prefix}{i}".encode(), props, mandatory=True)
    elif args.command == "count":
        print(channel.queue_declare(args.queue, passive=True).method.message_count)
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
