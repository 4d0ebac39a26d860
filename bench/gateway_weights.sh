#!/usr/bin/env bash
# 100 concurrent `PUT /api/v1/identity/sn1/subnet/1/weights` for one identity against
# `pylon serve` on a local devnet (1 s blocks): the wall time until all 100 are answered, and how
# many extrinsics the identity's hotkey submitted (its nonce) a few blocks later. Release build.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin pylon
bin="${CARGO_TARGET_DIR:-target}/release/pylon"
work=$(mktemp -d)
devport=19961
port=18061
"$bin" devnet --port "$devport" --block-time 1s --wallet-dir "$work/wallets" >/dev/null 2>&1 &
devnet=$!
trap 'kill $devnet $server 2>/dev/null; rm -rf "$work"' EXIT
sleep 3
url="ws://127.0.0.1:$devport"
uid=$("$bin" --network "$url" validators --netuid 1 -o json | jq -r '.validators[0].uid')
hotkey=$("$bin" --network "$url" validators --netuid 1 -o json | jq -r '.validators[0].hotkey')
(cd "$work" && PYLON_HOST=127.0.0.1 PYLON_PORT=$port PYLON_BITTENSOR_NETWORK=$url \
  PYLON_BITTENSOR_WALLET_PATH="$work/wallets" PYLON_IDENTITIES='["sn1"]' \
  PYLON_ID_SN1_WALLET_NAME=devnet PYLON_ID_SN1_HOTKEY_NAME="sn1-uid$uid" PYLON_ID_SN1_NETUID=1 \
  PYLON_ID_SN1_TOKEN=bench "$bin" serve >"$work/serve.log" 2>&1) &
server=$!
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.1; done
body=$("$bin" --network "$url" neurons --netuid 1 -o json | jq -c '{weights: (.neurons | to_entries | map({key: .key, value: (.value.uid % 9 + 1)}) | from_entries)}')
echo "$body" >"$work/body.json"
start=$EPOCHREALTIME
seq 100 | xargs -P 100 -I{} curl -s -o /dev/null -w '%{http_code}\n' -X PUT \
  -H 'Authorization: Bearer bench' -H 'content-type: application/json' --data @"$work/body.json" \
  "http://127.0.0.1:$port/api/v1/identity/sn1/subnet/1/weights" >"$work/codes"
elapsed=$(echo "$EPOCHREALTIME - $start" | bc)
ok=$(grep -c '^200$' "$work/codes" || true)
sleep 8
nonce=$(curl -s -X POST -H 'content-type: application/json' \
  -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"system_accountNextIndex\",\"params\":[\"$hotkey\"]}" \
  "http://127.0.0.1:$devport" | jq .result)
printf '100 concurrent PUTs of 256 weights: %d answered 200 in %.3f s; submissions by the hotkey after 8 blocks: %s\n' \
  "$ok" "$elapsed" "$nonce"
