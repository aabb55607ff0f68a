#!/usr/bin/env bash
# Installs everything sluice needs to build and test on Debian 12 (run as root). Idempotent.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

packages=(
  # toolchain
  build-essential g++ cmake ninja-build pkg-config git python3 procps
  # libraries (found with find_package / pkg-config)
  libboost1.74-dev libboost-filesystem1.74-dev libboost-graph1.74-dev
  libyaml-cpp-dev libspdlog-dev libfmt-dev libcli11-dev nlohmann-json3-dev libsqlite3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # expression language: hash() (libcrypto), time zones (the tz database through Howard Hinnant's date)
  libssl-dev libhowardhinnant-date-dev tzdata
  # standard processors: hashes, MIME types, regexes, compression; Parquet page codecs
  libmagic-dev libpcre2-dev libzstd-dev liblz4-dev libsnappy-dev zlib1g-dev
  # records: JSON parsing, Avro; avro-c is also the independent Avro reader in tests
  libsimdjson-dev libavro-dev
  # independent readers/writers the processor tests check against
  gzip zstd lz4 tar
  # delivery plugins: SFTP (libssh), HTTP client (libcurl) and server (Beast, in libboost; TLS via OpenSSL),
  # databases (libpq for PostgreSQL; SQLite is above)
  libssh-dev libcurl4-openssl-dev libpq-dev
  # real servers and independent clients for their tests (tests/integration/servers.py)
  openssh-server openssh-client curl openssl
  # PostgreSQL server and psql, and the sqlite3 shell: the database tests' servers and independent clients
  postgresql postgresql-client sqlite3
  # delivery plugins: AMQP 0-9-1 (librabbitmq); the JMS plugin's AMQP 1.0 transport (qpid-proton C++)
  librabbitmq-dev libqpid-proton-cpp12-dev
  # RabbitMQ (with its AMQP 1.0 plugin), with amqp-tools, pika (python3-pika) and python3-qpid-proton as
  # independent AMQP 0-9-1 and 1.0 clients
  rabbitmq-server amqp-tools python3-pika python3-qpid-proton
  # ActiveMQ (JMS over STOMP), and Java for it and for the independent JMS client: the JDK, because the
  # tests launch tests/integration/JmsClient.java as source (java's source launcher needs jdk.compiler)
  activemq default-jdk-headless
  # hygiene: formatting, static analysis, sanitizer runtimes
  clang-format clang-tidy-16
  # test tools: graphviz renders `sluice provenance lineage --dot` in the provenance integration test
  graphviz
  # benchmarks (bench/meter/run.sh and its smoke test): CPU seconds and peak RSS of each run
  time
)

# Node.js runs the independent Parquet readers (DuckDB, hyparquet); the cpp image ships Node 20.
command -v node >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The Parquet readers' npm packages, pinned by the committed lockfile; reinstalled only when it changed.
readers=tests/processors/records/parquet/js
cd "$(dirname "$0")/.."
if [[ ! -f $readers/node_modules/.package-lock.json || $readers/package-lock.json -nt $readers/node_modules/.package-lock.json ]]; then
  npm ci --prefix "$readers" --no-audit --no-fund
fi
