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
  # hygiene: formatting, static analysis, sanitizer runtimes
  clang-format clang-tidy
  # test tools: graphviz renders `sluice provenance lineage --dot` in the provenance integration test
  graphviz
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
