#!/usr/bin/env bash
# Soak: `pylon serve` on a local devnet with 1 s blocks under wrk -c64 for DURATION (10 min) with
# a mixed load (bench/soak_mix.lua: latest and random past-block reads, random netuids that 404,
# the latest block). The gateway's RSS is sampled every 10 s; at the end the script prints the
# status counts, the RSS samples and peak, and the size of /metrics, and fails when any answer
# was neither 2xx nor an expected 404, when RSS passed 100 MB or /metrics 1 MB. Needs wrk and
# curl (apt-get install -y wrk curl). Release build. Override with DURATION=5m CONNECTIONS=N.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "$tool is required (apt-get install -y wrk curl)" >&2; exit 2; }
done
duration=${DURATION:-10m} connections=${CONNECTIONS:-64}
cargo build --release --quiet --bin pylon
bin="$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/pylon"
work=$(mktemp -d)
devnet_port=19947 port=18087
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
"$bin" devnet --port $devnet_port --block-time 1s >/dev/null 2>"$work/devnet.log" & pids+=($!)
sleep 1
PYLON_BITTENSOR_NETWORK=ws://127.0.0.1:$devnet_port PYLON_BITTENSOR_ARCHIVE_NETWORK=ws://127.0.0.1:$devnet_port \
  PYLON_HOST=127.0.0.1 PYLON_PORT=$port PYLON_METRICS_TOKEN=soak PYLON_DATABASE_PATH="$work/pylon.db" \
  PYLON_LOG=warn "$bin" serve 2>"$work/serve.log" & gateway=$!
pids+=($gateway)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
# Some history for the past-block reads.
sleep 20
head=$(curl -sf "http://127.0.0.1:$port/api/v1/block/latest" | sed -n 's/.*"number":\([0-9]*\).*/\1/p')
rss_mb() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$gateway/status"; }
echo "pylon serve on a devnet (1 s blocks), wrk -c$connections -d$duration, past blocks 1..$head and growing"
echo "idle RSS: $(rss_mb) MB"
wrk -c"$connections" -d"$duration" -t2 --timeout 30s -s bench/soak_mix.lua \
  "http://127.0.0.1:$port" -- "$head" >"$work/wrk.out" 2>&1 & load=$!
pids+=($load)
samples=() peak=0 start=$(date +%s)
while kill -0 $load 2>/dev/null; do
  sleep 10
  kill -0 $load 2>/dev/null || break
  rss=$(rss_mb)
  samples+=("$rss")
  peak=$(awk -v a="$peak" -v b="$rss" 'BEGIN { print (b > a) ? b : a }')
  cached=$(curl -sf -H 'Authorization: Bearer soak' "http://127.0.0.1:$port/metrics" \
    | awk '/^pylon_cache_bytes / { printf "%.1f", $2 / 1048576 }')
  echo "t=$(( $(date +%s) - start ))s rss=${rss}MB cache=${cached}MB"
done
wait $load || true
cat "$work/wrk.out"
metrics=$(curl -sf -H 'Authorization: Bearer soak' "http://127.0.0.1:$port/metrics" | wc -c)
bad=$(awk '/^status / { split($2, s, ":"); if (s[1] !~ /^2/ && s[1] != "404") n += $3 } END { print n + 0 }' "$work/wrk.out")
errors=$(grep -cE "Socket errors|Non-2xx" "$work/wrk.out" || true)
echo "RSS every 10 s (MB): ${samples[*]}"
echo "peak RSS ${peak} MB (limit 100); /metrics ${metrics} bytes (limit 1 MB); answers neither 2xx nor 404: ${bad}"
grep -E "Socket errors" "$work/wrk.out" || true
fail=0
grep -q "^status 200:" "$work/wrk.out" || { echo "FAIL: no status counts from the wrk script" >&2; fail=1; }
[ "$bad" -eq 0 ] || { echo "FAIL: unexpected statuses" >&2; fail=1; }
awk -v p="$peak" 'BEGIN { exit !(p < 100) }' || { echo "FAIL: RSS reached ${peak} MB" >&2; fail=1; }
[ "$metrics" -lt 1048576 ] || { echo "FAIL: /metrics is ${metrics} bytes" >&2; fail=1; }
grep -q "Socket errors" "$work/wrk.out" && { echo "FAIL: socket errors" >&2; fail=1; }
[ $fail -eq 0 ] && echo "soak passed"
exit $fail
