"""Reads a running devnet with the Python `substrate-interface` client and checks what it sees.

Usage: python substrate_interface_check.py WS_URL EXPECTED_SN1_UID5_SS58
Exits non-zero with a message on the first mismatch.
"""
import sys

from substrateinterface import SubstrateInterface


def check(what, got, expected):
    if got != expected:
        sys.exit(f"{what}: got {got!r}, expected {expected!r}")


url, uid5 = sys.argv[1], sys.argv[2]
s = SubstrateInterface(url=url)
check("ss58 format", s.ss58_format, 42)
check("token symbol", s.properties["tokenSymbol"], "TAO")
check("Keys(1, 5)", s.query("SubtensorModule", "Keys", [1, 5]).value, uid5)
check("Tempo(2)", s.query("SubtensorModule", "Tempo", [2]).value, 100)
check("Uids(1, uid5)", s.query("SubtensorModule", "Uids", [1, uid5]).value, 5)
axon = s.query("SubtensorModule", "Axons", [1, uid5]).value
if axon is not None:
    check("axon ip_type", axon["ip_type"] in (4, 6), True)
keys = [k.value for k, _ in s.query_map("SubtensorModule", "Keys", [3], page_size=5)]
check("uids of subnet 3 (paged by 5)", keys, list(range(16)))
commitments = list(s.query_map("Commitments", "CommitmentOf", [1], page_size=100))
check("some commitments on subnet 1", len(commitments) > 0, True)
field = commitments[0][1].value["info"]["fields"][0]
name, data = next(iter(field.items()))
check("commitment is a Raw field of its length", name, f"Raw{(len(data) - 2) // 2}")
number = s.query("System", "Number").value
check("System.Number is positive", number > 0, True)
block = s.get_block(block_number=1)
calls = [(e.value["call"]["call_module"], e.value["call"]["call_function"]) for e in block["extrinsics"]]
check("block 1 extrinsics", calls, [("Timestamp", "set")])
events = [(e.value["module_id"], e.value["event_id"]) for e in s.get_events(block["header"]["hash"])]
check("block 1 events", events, [("System", "ExtrinsicSuccess")])
print("substrate-interface read the devnet as a node")
