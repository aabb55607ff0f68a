#!/usr/bin/env bash
# End-to-end benchmarks of the delivery processors against local servers (started by
# tests/integration/servers.py on 127.0.0.1): PutSFTP, ListSFTP -> FetchSFTP, InvokeHTTP -> ListenHTTP
# (two sluice processes),
# PublishAMQP (confirms) and ConsumeAMQP against rabbitmq-server, PublishJMS (STOMP receipts) against ActiveMQ,
# PublishJMS over AMQP 1.0 (accepted outcomes) against RabbitMQ's AMQP 1.0 plugin. Prints messages/s and MB/s,
# medians over --reps runs.
#   bench/delivery/run.sh [--reps K] [--small N] [--large N] [--large-size MiB]
#                         [--only sftp|http|amqp|jms|jms-amqp10] [--messages N]
set -euo pipefail
cd "$(dirname "$0")/../.."
exec python3 bench/delivery/bench.py "$@"
