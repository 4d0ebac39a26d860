#!/usr/bin/env bash
# Why nginx's sendfile is not the bar it looks like on this machine: the same answer bytes
# (FILE, e.g. a 566 KB neurons answer saved by bench/gateway.sh's curl) served by a minimal
# server two ways, writev from memory (what pylon does) and sendfile from a memfd (nginx's
# path), with wrk -c64 -d8s -t2; prints throughput and the server's CPU per request.
#   bench/send_paths.sh FILE
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:?usage: bench/send_paths.sh FILE}
command -v wrk >/dev/null || { echo "wrk is required (apt-get install -y wrk)" >&2; exit 2; }
port=18090
ticks() { cut -d' ' -f14,15 "/proc/$1/stat"; }
for mode in writev sendfile; do
  python3 bench/send_paths.py "$mode" "$port" "$file" & server=$!
  sleep 0.5
  read -r u0 k0 < <(ticks "$server")
  out=$(wrk -c64 -d8s -t2 "http://127.0.0.1:$port/")
  read -r u1 k1 < <(ticks "$server")
  kill "$server"; wait "$server" 2>/dev/null || true
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  awk -v m="$mode" -v n="$n" -v u=$((u1 - u0)) -v k=$((k1 - k0)) -v hz="$(getconf CLK_TCK)" \
    -v rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    'BEGIN {s = 1e6 / hz / n; printf "%-8s %8.0f req/s, server CPU %.1f us/request (user %.1f, system %.1f)\n", m, rps, (u + k) * s, u * s, k * s}'
done
