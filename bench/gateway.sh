#!/usr/bin/env bash
# Gateway benchmark: wrk -c64 -d10s on GET /api/v1/subnet/1/block/latest/neurons (1024 neurons;
# NEURONS=256 bench/gateway.sh for another size)
# (ROUNDS rounds, default 5, alternating servers; ratios are the median of the rounds)
# against `pylon serve` on a local devnet, and the same response bytes served as a static file
# by nginx in the same run, with the Debian package's defaults (sendfile on, tcp_nopush on); then
# both again with `Accept-Encoding: gzip` (nginx: gzip_static of the gateway's own gzip bytes). Needs
# wrk and nginx (apt-get install -y wrk nginx). Release build. Both servers are checked to answer
# 200 with identical bytes first, and a run with non-2xx answers or socket errors fails the script.
# A third server is the floor: one bare axum route serving the same bytes from memory
# (bench/floor), what any server on the gateway's stack reaches on this machine.
# Also: node calls per new block (from the devnet's own log of every call it answered) and the
# time from a new finalized head to the first byte of the next `latest` answer at it.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "$tool is required (apt-get install -y wrk nginx curl)" >&2; exit 2; }
done
cargo build --release --quiet --bin pylon
cargo build --release --quiet -p pylon-bench-floor
bin="$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/pylon"
work=$(mktemp -d)
chmod 755 "$work" # nginx's workers run as www-data and must read the file
devnet_port=19945 gateway_port=18080 nginx_port=18081 floor_port=18082
path=/api/v1/subnet/1/block/latest/neurons
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; nginx -p "$work" -c nginx.conf -s stop 2>/dev/null || true; }
trap cleanup EXIT

# The devnet logs each call it answers, so the script counts what the node really saw.
PYLON_LOG=pylon::devnet::rpc=debug,pylon::devnet::calls=debug "$bin" devnet --port $devnet_port --block-time 1s --neurons "${NEURONS:-1024}" \
  >/dev/null 2>"$work/devnet.log" & pids+=($!)
sleep 1
PYLON_BITTENSOR_NETWORK=ws://127.0.0.1:$devnet_port PYLON_HOST=127.0.0.1 PYLON_PORT=$gateway_port \
  PYLON_METRICS_TOKEN=bench PYLON_LOG=warn "$bin" serve 2>"$work/serve.log" & gateway=$!
pids+=($gateway)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$gateway_port/health" >/dev/null && break; sleep 0.1; done
latest_number() { curl -sf "http://127.0.0.1:$gateway_port/api/v1/block/latest" | sed 's/.*"number":\([0-9]*\).*/\1/'; }
# A few finalized blocks first, so the runs cross block boundaries of a running chain.
for _ in $(seq 100); do [ "$(latest_number)" -ge 3 ] && break; sleep 0.1; done

mkdir -p "$work/root$(dirname $path)" "$work/logs"
curl -sf "http://127.0.0.1:$gateway_port$path" -o "$work/root$path"
# A new answer is served plain at once and compressed right after: wait for its variants.
fetch_encoded() { # ENCODING FILE
  for _ in $(seq 100); do
    curl -sf -D "$work/headers" -H "Accept-Encoding: $1" "http://127.0.0.1:$gateway_port$path" -o "$2"
    grep -qi "^content-encoding: $1" "$work/headers" && return 0
    sleep 0.05
  done
  echo "no $1 variant of $path" >&2; exit 1
}
fetch_encoded gzip "$work/root$path.gz"
fetch_encoded zstd "$work/answer.zst"
zstd_bytes=$(wc -c < "$work/answer.zst")
cat > "$work/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/root;
    default_type application/json;
    gzip_static on;
  }
}
CONF
nginx -p "$work" -c nginx.conf
sleep 0.3
if ! curl -sf "http://127.0.0.1:$nginx_port$path" | cmp -s - "$work/root$path"; then
  echo "nginx does not serve the response bytes (see $work/logs/error.log)" >&2; exit 1
fi
if ! curl -sf -H 'Accept-Encoding: gzip' "http://127.0.0.1:$nginx_port$path" | cmp -s - "$work/root$path.gz"; then
  echo "nginx does not serve the gzip bytes with gzip_static (see $work/logs/error.log)" >&2; exit 1
fi

"$(dirname "$bin")/pylon-bench-floor" "$work/root$path" $floor_port & floor=$!
pids+=($floor)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$floor_port/" -o "$work/floor.json" && break; sleep 0.1; done
cmp -s "$work/floor.json" "$work/root$path" || { echo "the floor server does not serve the response bytes" >&2; exit 1; }

run() {
  local out
  out=$(wrk -c64 -d10s -t2 --latency "$@" 2>&1)
  if grep -qE "Non-2xx|Socket errors" <<<"$out"; then
    echo "$out" >&2; echo "the run above had failed requests: not a valid measurement" >&2; exit 1
  fi
  echo "$out"
}
# CPU time (user and system clock ticks, from /proc) of a set of processes.
ticks() { local u=0 k=0 f; for p in "$@"; do f=($(cut -d' ' -f14,15 "/proc/$p/stat")); u=$((u + f[0])); k=$((k + f[1])); done; echo "$u $k"; }
# "user+system µs per request (user / system)" for ticks before, ticks after and a wrk output.
per_request() {
  local hz n; hz=$(getconf CLK_TCK); n=$(awk '/requests in/ {print $1}' <<<"$5")
  awk -v u=$(($3 - $1)) -v k=$(($4 - $2)) -v n="$n" -v hz="$hz" \
    'BEGIN {s = 1e6 / hz / n; printf "%.1f us (user %.1f, system %.1f)", (u + k) * s, u * s, k * s}'
}
nginx_workers=$(pgrep -P "$(cat "$work/nginx.pid")" | tr '\n' ' ')
echo "response: $(wc -c < "$work/root$path") bytes"
log_lines() { wc -l < "$work/devnet.log"; }
calls_before=$(log_lines)
start_block=$(latest_number)
echo "== pylon serve"
pylon_cpu0=$(ticks "$gateway")
pylon=$(run "http://127.0.0.1:$gateway_port$path"); echo "$pylon" | grep -E "Requests/sec|Transfer/sec|99%|Latency  "
end_block=$(latest_number)
calls_after=$(log_lines)
pylon_cpu1=$(ticks "$gateway")
echo "== floor (one bare axum route, same bytes from memory)"
floor_cpu0=$(ticks "$floor")
bare=$(run "http://127.0.0.1:$floor_port/"); echo "$bare" | grep -E "Requests/sec|Transfer/sec|99%|Latency  "
floor_cpu1=$(ticks "$floor")
echo "== nginx (static file, same bytes)"
# shellcheck disable=SC2086 # one argument per worker pid
nginx_cpu0=$(ticks $nginx_workers)
static=$(run "http://127.0.0.1:$nginx_port$path"); echo "$static" | grep -E "Requests/sec|Transfer/sec|99%|Latency  "
# shellcheck disable=SC2086
nginx_cpu1=$(ticks $nginx_workers)
echo "== pylon serve, Accept-Encoding: gzip"
pylon_gz=$(run -H 'Accept-Encoding: gzip' "http://127.0.0.1:$gateway_port$path"); echo "$pylon_gz" | grep -E "Requests/sec|Transfer/sec|99%|Latency  "
echo "== nginx gzip_static, Accept-Encoding: gzip"
static_gz=$(run -H 'Accept-Encoding: gzip' "http://127.0.0.1:$nginx_port$path"); echo "$static_gz" | grep -E "Requests/sec|Transfer/sec|99%|Latency  "
rps() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }
ratio() { awk -v a="$(rps "$1")" -v b="$(rps "$2")" 'BEGIN {printf "%.2f", a/b}'; }
# More rounds of the runs, alternating servers, so a ratio is a median of several draws rather
# than one on a noisy machine (nginx's own throughput varies by a fifth between runs here).
ratios=("$(ratio "$pylon" "$static")") gzip_ratios=("$(ratio "$pylon_gz" "$static_gz")")
floor_ratios=("$(ratio "$bare" "$static")") to_floor=("$(ratio "$pylon" "$bare")")
for round in $(seq 2 "${ROUNDS:-5}"); do
  echo "== round $round: pylon, floor, nginx, pylon gzip, nginx gzip_static (requests/s)"
  p=$(run "http://127.0.0.1:$gateway_port$path") f=$(run "http://127.0.0.1:$floor_port/")
  s=$(run "http://127.0.0.1:$nginx_port$path")
  pg=$(run -H 'Accept-Encoding: gzip' "http://127.0.0.1:$gateway_port$path")
  sg=$(run -H 'Accept-Encoding: gzip' "http://127.0.0.1:$nginx_port$path")
  echo "  $(rps "$p") $(rps "$f") $(rps "$s") $(rps "$pg") $(rps "$sg")"
  ratios+=("$(ratio "$p" "$s")") gzip_ratios+=("$(ratio "$pg" "$sg")")
  floor_ratios+=("$(ratio "$f" "$s")") to_floor+=("$(ratio "$p" "$f")")
done
# The middle value (the lower middle of an even count).
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }
echo "== summary"
echo "throughput ratio pylon/nginx: median $(median "${ratios[@]}") (rounds: ${ratios[*]})"
echo "floor/nginx (the most any server on this stack reached): median $(median "${floor_ratios[@]}") (rounds: ${floor_ratios[*]})"
echo "pylon/floor: median $(median "${to_floor[@]}") (rounds: ${to_floor[*]})"
echo "gzip throughput ratio pylon/nginx gzip_static: median $(median "${gzip_ratios[@]}") (rounds: ${gzip_ratios[*]})"
plain_bytes=$(wc -c < "$work/root$path") gzip_bytes=$(wc -c < "$work/root$path.gz")
echo "compressed sizes: gzip $gzip_bytes bytes ($(( 100 * gzip_bytes / plain_bytes ))% of $plain_bytes), zstd $zstd_bytes bytes ($(( 100 * zstd_bytes / plain_bytes ))%)"
# shellcheck disable=SC2086 # two numbers each
echo "server CPU per request: pylon $(per_request $pylon_cpu0 $pylon_cpu1 "$pylon"), floor $(per_request $floor_cpu0 $floor_cpu1 "$bare"), nginx $(per_request $nginx_cpu0 $nginx_cpu1 "$static")"
blocks=$((end_block - start_block))
window=$(sed -n "$((calls_before + 1)),${calls_after}p" "$work/devnet.log" | sed 's/\x1b\[[0-9;]*m//g; s/"//g')
n_calls=$(grep -c 'pylon::devnet::rpc' <<<"$window" || true)
echo "node calls during the pylon run: $n_calls over $blocks new blocks ($start_block..$end_block); by method:"
# The rpc lines name the JSON-RPC method, the calls lines the runtime API a state_call ran.
{ grep -oE 'method=[A-Za-z_]+' <<<"$window" || true; } | sort | uniq -c | sed 's/^/  /'
echo "== head to first byte (wrk stopped; warm latest)"
python3 bench/head_to_first_byte.py "http://127.0.0.1:$devnet_port" "http://127.0.0.1:$gateway_port" "$path" 20
echo "server RSS after the run: $(( $(ps -o rss= -p "$gateway") / 1024 )) MiB"
