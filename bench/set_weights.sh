#!/usr/bin/env bash
# Wall time of `pylon set-weights` for 256 uids on subnet 1, process start to exit (submitted,
# finalized and read back), against a local devnet with 1 s blocks. Each run signs as a different
# validator (the subnet's rate limit allows one submission per 100 blocks per hotkey).
# Run twice: with --finality-lag 0 (finalized = included, the issue's "included" mark) and with
# the devnet's default lag of 2 blocks. Release build.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin pylon
bin="${CARGO_TARGET_DIR:-target}/release/pylon"
runs=${RUNS:-8}
weights=$(seq 0 255 | awk '{printf "%s%d=%d", (NR>1?",":""), $1, ($1 % 7) + 1}')

measure() {
  local lag=$1 port=$2 wallets
  wallets=$(mktemp -d)
  "$bin" devnet --port "$port" --block-time 1s --finality-lag "$lag" --wallet-dir "$wallets" >/dev/null 2>&1 &
  local devnet=$!
  sleep 3
  local url="ws://127.0.0.1:$port"
  mapfile -t uids < <("$bin" --network "$url" validators --netuid 1 -o json | jq -r '.validators[].uid' | head -n "$runs")
  local times=()
  for uid in "${uids[@]}"; do
    local start=$EPOCHREALTIME
    "$bin" --network "$url" set-weights --netuid 1 --wallet-path "$wallets" --wallet-name devnet \
      --hotkey-name "sn1-uid$uid" --weights "$weights" --yes >/dev/null
    times+=("$(echo "$EPOCHREALTIME - $start" | bc)")
  done
  kill "$devnet"
  wait "$devnet" 2>/dev/null || true
  rm -rf "$wallets"
  printf '%s\n' "${times[@]}" | sort -n | awk -v lag="$lag" '
    { t[NR] = $1 } END {
      printf "finality lag %d: %d runs, min %.2f s, median %.2f s, max %.2f s\n",
        lag, NR, t[1], t[int((NR + 1) / 2)], t[NR] }'
}

measure 0 19951
measure 2 19952
