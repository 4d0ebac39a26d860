#!/usr/bin/env python3
"""Time from a new finalized head to the first byte of the gateway's next answer at that head:
`head_to_first_byte.py NODE_HTTP_URL GATEWAY_URL PATH HEADS`. Polls the node's
`chain_getFinalizedHead` (JSON-RPC over HTTP) every millisecond; on a new head, asks the gateway
for PATH until the answer's block hash is the new head, and records the time to that answer's
first byte. Prints p50, p90, p99 and max over HEADS heads. Standard library only."""
import http.client
import json
import sys
import time
import urllib.parse


def connection(url):
    u = urllib.parse.urlparse(url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=10)


def finalized(node):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "chain_getFinalizedHead"})
    node.request("POST", "/", body, {"Content-Type": "application/json"})
    return json.loads(node.getresponse().read())["result"]


def main(node_url, gateway_url, path, heads):
    node, gateway = connection(node_url), connection(gateway_url)
    last = finalized(node)
    times = []
    while len(times) < heads:
        head = finalized(node)
        if head == last:
            time.sleep(0.001)
            continue
        seen, last = time.perf_counter(), head
        while True:
            gateway.request("GET", path)
            response = gateway.getresponse()
            first = response.read(1)
            first_byte = time.perf_counter()
            answer = json.loads(first + response.read())
            if response.status != 200:
                sys.exit(f"{path} answered {response.status}: {answer}")
            if answer["block"]["hash"] == head:
                times.append((first_byte - seen) * 1000)
                break
            if time.perf_counter() - seen > 10:
                sys.exit(f"no answer at head {head} within 10 s")
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    print(
        f"head to first byte of the next latest answer over {heads} heads: "
        f"p50 {pick(0.5):.1f} ms, p90 {pick(0.9):.1f} ms, p99 {pick(0.99):.1f} ms, max {times[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
