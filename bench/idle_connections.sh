#!/usr/bin/env bash
# 10,000 idle keep-alive connections against `pylon serve` (PYLON_IDLE_TIMEOUT_SECONDS=IDLE, 20 s
# here; 60 s by default): each sends one request and then nothing. The script prints the
# gateway's RSS before, with all connections open, and after the idle timeout closed them, and
# fails unless every connection was closed by the server and RSS less the response cache (which
# keeps growing by each new block's warm answers, up to its bound) came back within 20% of its
# value before. Needs python3 and curl. Release build. Override with CONNECTIONS=N IDLE=S.
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${CONNECTIONS:-10000} idle=${IDLE:-20}
cargo build --release --quiet --bin pylon
bin="$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/pylon"
work=$(mktemp -d)
devnet_port=19948 port=18088
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
"$bin" devnet --port $devnet_port --block-time 1s >/dev/null 2>"$work/devnet.log" & pids+=($!)
sleep 1
PYLON_BITTENSOR_NETWORK=ws://127.0.0.1:$devnet_port PYLON_HOST=127.0.0.1 PYLON_PORT=$port \
  PYLON_IDLE_TIMEOUT_SECONDS=$idle PYLON_METRICS_TOKEN=bench PYLON_DATABASE_PATH="$work/pylon.db" PYLON_LOG=warn \
  "$bin" serve 2>"$work/serve.log" & gateway=$!
pids+=($gateway)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
rss_mb() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$gateway/status"; }
cache_mb() {
  curl -sf -H 'Authorization: Bearer bench' "http://127.0.0.1:$port/metrics" |
    awk '/^pylon_cache_bytes / {printf "%.1f", $2 / 1048576}'
}
# Warm: a few requests so the idle value includes the server's working set.
for _ in $(seq 20); do curl -sf "http://127.0.0.1:$port/api/v1/subnet/1/block/latest/neurons" >/dev/null; done
sleep 2
before=$(rss_mb) cache_before=$(cache_mb)
echo "RSS idle: ${before} MB (response cache ${cache_before} MB); opening $connections connections (idle timeout ${idle} s)"
python3 bench/idle_connections.py 127.0.0.1 $port "$connections" >"$work/client.out" &
client=$!
pids+=($client)
until grep -q '"event": "open"' "$work/client.out" 2>/dev/null; do sleep 0.2; done
sleep 1
held=$(rss_mb)
echo "$(head -1 "$work/client.out")"
echo "RSS with $connections idle connections: ${held} MB"
wait $client
cat "$work/client.out" | tail -1
sleep 2
after=$(rss_mb) cache_after=$(cache_mb)
echo "RSS after the idle timeout closed them: ${after} MB, response cache ${cache_after} MB (before: ${before} MB, cache ${cache_before} MB)"
closed=$(tail -1 "$work/client.out" | sed -n 's/.*"connections": \([0-9]*\).*/\1/p')
fail=0
[ "$closed" = "$connections" ] || { echo "FAIL: the server closed $closed of $connections" >&2; fail=1; }
awk -v a="$after" -v b="$before" -v ca="$cache_after" -v cb="$cache_before" 'BEGIN { exit !(a - ca <= (b - cb) * 1.2) }' ||
  { echo "FAIL: RSS less the cache, $after - $cache_after MB, is over 120% of $before - $cache_before MB" >&2; fail=1; }
[ $fail -eq 0 ] && echo "idle connections passed"
exit $fail
