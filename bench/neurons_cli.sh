#!/usr/bin/env bash
# Wall time of `pylon neurons --netuid 1 -o json` (256 neurons), process start to exit, against a
# local devnet, measured with hyperfine (apt-get install hyperfine). Release build.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is required (apt-get install -y hyperfine)" >&2; exit 2; }
cargo build --release --quiet --bin pylon
bin="${CARGO_TARGET_DIR:-target}/release/pylon"
port=19944
"$bin" devnet --port "$port" --block-time 1s >/dev/null 2>&1 &
devnet=$!
trap 'kill $devnet 2>/dev/null' EXIT
sleep 2
hyperfine --warmup 3 --runs 30 --style basic \
  "$bin --network ws://127.0.0.1:$port neurons --netuid 1 -o json"
