#!/usr/bin/env bash
# Devnet memory under a long run: `pylon devnet --block-time 50ms --state-pruning 256` produces
# 20,000 blocks (about 17 minutes) while a client reads the head's neurons every second; the
# script samples the devnet's RSS every 10 s and prints the samples and the peak. Release build.
# Override with BLOCKS=N BLOCK_TIME=DUR PRUNING=N.
set -euo pipefail
cd "$(dirname "$0")/.."
blocks=${BLOCKS:-20000} block_time=${BLOCK_TIME:-50ms} pruning=${PRUNING:-256}
cargo build --release --quiet --bin pylon
bin="$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/pylon"
work=$(mktemp -d)
"$bin" devnet --port 0 --block-time "$block_time" --state-pruning "$pruning" >"$work/out" 2>"$work/err" &
devnet=$!
trap 'kill $devnet $reader 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q "devnet ready" "$work/out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^devnet ready at //p' "$work/out")
head_of() { "$bin" --network "$url" block -o json | sed -n 's/.*"number":\([0-9]*\).*/\1/p'; }
rss_mb() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$devnet/status"; }
# A client reading at the head (state reads and runtime calls build per-block caches).
( while true; do "$bin" --network "$url" neurons --netuid 1 -o json >/dev/null 2>&1 || true; sleep 1; done ) &
reader=$!
echo "devnet $url, block time $block_time, --state-pruning $pruning, until block $blocks"
peak=0 start=$(date +%s)
while true; do
  sleep 10
  number=$(head_of || echo "?")
  rss=$(rss_mb)
  peak=$(awk -v a="$peak" -v b="$rss" 'BEGIN { print (b > a) ? b : a }')
  echo "t=$(( $(date +%s) - start ))s block=$number rss=${rss}MB"
  [ "$number" != "?" ] && [ "$number" -ge "$blocks" ] && break
done
echo "peak RSS ${peak} MB over $number blocks (target: under 150 MB)"
