#!/usr/bin/env bash
# Wall time of `pylon neurons --netuid 1 -o json` (1024 neurons), process start to exit, measured
# with hyperfine (apt-get install hyperfine), release build: against a local devnet, and through
# a proxy adding 50 ms each way (bench/delay_proxy.py) with the on-disk metadata cache cold
# (emptied before every run) and warm.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is required (apt-get install -y hyperfine)" >&2; exit 2; }
cargo build --release --quiet --bin pylon
bin="${CARGO_TARGET_DIR:-target}/release/pylon"
port=19944 proxy_port=19946
cache=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$cache"' EXIT
"$bin" devnet --port "$port" --block-time 1s --neurons 1024 >/dev/null 2>&1 & pids+=($!)
python3 bench/delay_proxy.py "$proxy_port" "$port" 50 & pids+=($!)
sleep 3
run() { XDG_CACHE_HOME="$cache" "$bin" --network "ws://127.0.0.1:$1" neurons --netuid 1 -o json; }
export -f run; export bin cache
n=$(run "$port" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["neurons"]))')
echo "neurons answered: $n"
hyperfine --shell bash --warmup 3 --runs 30 --style basic -n "local, warm metadata cache" "run $port >/dev/null"
hyperfine --shell bash --runs 10 --style basic -n "50 ms proxy, cold metadata cache" \
  --prepare "rm -rf $cache/pylon" "run $proxy_port >/dev/null"
hyperfine --shell bash --warmup 1 --runs 10 --style basic -n "50 ms proxy, warm metadata cache" "run $proxy_port >/dev/null"
