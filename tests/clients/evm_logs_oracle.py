"""Pylon's EVM logs against web3's, from the same node.

Usage: python evm_logs_oracle.py PYLON_URL EVM_URL CONTRACT FROM TO ABI_FILE [OPEN_ACCESS_TOKEN]

Pylon side: bittensor-pylon-client's `unstable.open_access.get_evm_logs` against the gateway at
PYLON_URL (which reads EVM_URL). web3 side: web3.py reads the same logs from EVM_URL itself and
decodes them as the Python Pylon service does (web3's `get_event_data` for each log whose topic 0
is an ABI event, bytes as 0x hex). The two lists must be equal. Exit 0 when they are, 1 naming
the first difference, 2 for a usage error.
"""
import asyncio
import json
import sys

from hexbytes import HexBytes
from pylon_client.artanis import PylonClient, Config
from web3 import AsyncWeb3
from web3._utils.events import get_event_data
from web3.providers import AsyncHTTPProvider
from web3.utils import event_abi_to_log_topic


def serialize(value):
    if isinstance(value, (bytes, HexBytes)):
        return "0x" + bytes(value).hex()
    if isinstance(value, (list, tuple)):
        return [serialize(v) for v in value]
    if isinstance(value, dict):
        return {k: serialize(v) for k, v in value.items()}
    return value


async def web3_logs(url, contract, first, last, abi):
    w3 = AsyncWeb3(AsyncHTTPProvider(url, request_kwargs={"timeout": 30}))
    events = {event_abi_to_log_topic(e): e for e in abi if e.get("type") == "event"}
    raw = await w3.eth.get_logs({"address": AsyncWeb3.to_checksum_address(contract), "fromBlock": first, "toBlock": last})
    out = []
    for log in raw:
        if not log["topics"] or log["topics"][0] not in events:
            continue
        try:
            d = get_event_data(w3.codec, events[log["topics"][0]], log)
        except Exception:
            continue
        out.append({
            "event": d["event"],
            "args": {k: serialize(v) for k, v in d["args"].items()},
            "address": d["address"],
            "block_number": d["blockNumber"],
            "transaction_hash": serialize(d["transactionHash"]),
            "transaction_index": d["transactionIndex"],
            "log_index": d["logIndex"],
        }) 
    return out


def main():
    if len(sys.argv) not in (7, 8):
        print(__doc__)
        return 2
    pylon_url, evm_url, contract, first, last, abi_file = sys.argv[1:7]
    token = sys.argv[7] if len(sys.argv) == 8 else None
    first, last = int(first), int(last)
    abi = json.load(open(abi_file))
    expected = asyncio.run(web3_logs(evm_url, contract, first, last, abi))
    with PylonClient(Config(address=pylon_url, open_access_token=token)) as client:
        answer = client.unstable.open_access.get_evm_logs(contract, first, last, abi)
    got = [log.model_dump(mode="json") for log in answer.logs]
    if (answer.from_block, answer.to_block) != (first, last):
        print(f"FAIL range echoed as {answer.from_block}..{answer.to_block}, asked {first}..{last}")
        return 1
    if len(got) != len(expected):
        print(f"FAIL {len(got)} logs from Pylon, {len(expected)} from web3")
        return 1
    for i, (g, e) in enumerate(zip(got, expected)):
        if g != e:
            print(f"FAIL log {i}: pylon {json.dumps(g)}\n          web3  {json.dumps(e)}")
            return 1
    events = sorted({e["event"] for e in expected})
    print(f"{len(got)} logs agree with web3 ({', '.join(events)}), blocks {first}..{last}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
