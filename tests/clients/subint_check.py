"""Runs an unmodified py-substrate-interface client (substrate-interface 1.8.1) against `pylon devnet`:
connection, storage queries and maps, runtime calls, fee estimation, signed extrinsics and their
receipts (success, module errors, events, fees), transaction-pool answers and subscriptions.

Usage: python subint_check.py WS_URL WALLET_DIR [--timeout SECONDS] [--hard-timeout SECONDS]

Start a fresh devnet for each run (CI uses 250 ms blocks):
    pylon devnet --port 0 --wallet-dir WALLET_DIR --block-time 250ms
WALLET_DIR is that devnet's --wallet-dir (the `devnet` wallet: validator hotkeys `snN-uidU`, whose key
files hold the sr25519 mini-secret as `secretSeed`, and coldkeypub.txt).

Output: one "PASS name (s): detail" or "FAIL name (s): Error: message [file:line]" line per check, then
"N passed, M failed". Lines starting with "NOTE" are for information and are not counted. Exit codes:
0 if all passed, 1 if any check failed, 2 for a usage error, 3 if the hard timeout fired (the message
names the running check).

Oracles from outside the devnet: the README's genesis table, sr25519 derivation of //snN-uidU and
//devnet-coldkey done by the client, hashes computed on the client (blake2-256 of storage values and
extrinsics), two different calls that must agree (runtime call and RPC, metadata by RPC and by runtime
call, fee parts and the fee), and values read back after writing them. Pool error codes and messages
are substrate's (sc-rpc-api author errors): 1010 Invalid Transaction with "Custom error: N" from
subtensor's CustomTransactionError (6 rate limit, 11 invalid IP, 12 serving rate limit), 1013
"Transaction Already Imported", and 1014 "Priority is too low: (1 vs 1)" (subtensor's flat priority).

Not devnet gaps (finney behaves the same; see the NOTE lines):
  * get_payment_info with the default type registry fails to decode, because substrate-interface
    assumes Balance = u128 and subtensor's is u64. The checks register Balance = u64.
  * get_account_nonce() goes through AccountNonceApi_account_nonce, which reads state and does not
    count transactions still in the pool. Only system_accountNextIndex counts them.
"""
import argparse
import hashlib
import json
import os
import re
import signal
import sys
import threading
import time
import traceback

from substrateinterface import Keypair, SubstrateInterface
from substrateinterface.exceptions import SubstrateRequestException

HASH = re.compile(r"^0x[0-9a-f]{64}$")
# The README's genesis table.
GENESIS = {
    1: {"neurons": 256, "tempo": 360, "commit_reveal": False, "permits": 64, "WeightsSetRateLimit": 100, "MinAllowedWeights": 8},
    2: {"neurons": 64, "tempo": 100, "commit_reveal": True, "permits": 16, "WeightsVersionKey": 2001000},
    3: {"neurons": 16, "tempo": 10, "commit_reveal": False, "permits": 8},
}
WEIGHTS_NETUID = 3  # direct weights with a 5-block rate limit
ARGS = None
RESULTS = []
CURRENT = ["startup"]


class Failed(AssertionError):
    pass


class Timeout(Exception):
    pass


def expect(what, got, expected):
    if got != expected:
        raise Failed(f"{what}: got {got!r}, expected {expected!r}")


def expect_true(what, cond, detail=""):
    if not cond:
        raise Failed(f"{what} {detail}".strip())


def blake2_256(data: bytes) -> str:
    return "0x" + hashlib.blake2b(data, digest_size=32).hexdigest()


def wallet_hotkeys(netuid):
    """uid -> (Keypair from the key file's secretSeed, ss58 in the key file) of the wallet's validators on `netuid`."""
    folder = os.path.join(ARGS.wallet_dir, "devnet", "hotkeys")
    out = {}
    for name in os.listdir(folder):
        m = re.fullmatch(rf"sn{netuid}-uid(\d+)", name)
        if m:
            with open(os.path.join(folder, name)) as f:
                key = json.load(f)
            out[int(m.group(1))] = (Keypair.create_from_seed(key["secretSeed"], ss58_format=42), key["ss58Address"])
    return dict(sorted(out.items()))


def connect(**kwargs):
    return SubstrateInterface(url=ARGS.url, **kwargs)


def rpc(s, method, params):
    """A raw JSON-RPC call; returns the result or raises with the node's error object."""
    response = s.rpc_request(method, params)
    if "error" in response:
        raise Failed(f"{method}: {response['error']}")
    return response["result"]


def number(value):
    """A JSON NumberOrHex (number, decimal string or 0x-hex string) as an int."""
    if isinstance(value, str):
        return int(value, 16) if value.startswith("0x") else int(value)
    return int(value)


def check(name):
    def wrap(fn):
        def run():
            CURRENT[0] = name
            started = time.monotonic()

            def on_alarm(*_):
                raise Timeout(f"no result within {ARGS.timeout:.0f}s (per-check timeout)")

            signal.signal(signal.SIGALRM, on_alarm)
            signal.alarm(int(ARGS.timeout))
            try:
                detail = fn()
                RESULTS.append((name, True))
                print(f"PASS {name} ({time.monotonic() - started:.1f}s){': ' + detail if detail else ''}", flush=True)
            except Exception as e:  # noqa: BLE001 - every failure is reported, none stops the run
                RESULTS.append((name, False))
                frames = traceback.extract_tb(e.__traceback__)
                mine = [f for f in frames if f.filename == __file__ and f.name not in ("expect", "expect_true")][-1:]
                where = " <- ".join(f"{os.path.basename(f.filename)}:{f.lineno}" for f in frames[-1:] + mine)
                print(f"FAIL {name} ({time.monotonic() - started:.1f}s): {type(e).__name__}: {e} [{where}]", flush=True)
            finally:
                signal.alarm(0)
        return run
    return wrap


def events_of(receipt):
    return [(e.value["module_id"], e.value["event_id"], e.value["attributes"]) for e in receipt.triggered_events]


def wait_for_weights_window(s, netuid, uid):
    """Waits until `uid` may set weights (subtensor's check_rate_limit at best + 1: LastUpdate 0, or the
    rate limit has passed). Returns the LastUpdate it saw."""
    rate = s.query("SubtensorModule", "WeightsSetRateLimit", [netuid]).value
    while True:
        head = s.get_block_number(s.get_chain_head())
        last = s.query("SubtensorModule", "LastUpdate", [netuid]).value[uid]
        if last == 0 or head + 1 - last >= rate:
            return last
        time.sleep(0.1)


def set_weights_call(s, netuid, dests, weights, version_key=0):
    return s.compose_call("SubtensorModule", "set_weights",
                          {"netuid": netuid, "dests": dests, "weights": weights, "version_key": version_key})


def serve_axon_call(s, netuid, ip, port):
    return s.compose_call("SubtensorModule", "serve_axon",
                          {"netuid": netuid, "version": 1, "ip": ip, "port": port, "ip_type": 4,
                           "protocol": 4, "placeholder1": 0, "placeholder2": 0})


def expect_refused(s, xt, what, custom_code, module_error):
    """`xt` must be refused: by the pool with 1010 "Custom error: N", or in the block with `module_error`."""
    try:
        receipt = s.submit_extrinsic(xt, wait_for_inclusion=True)
    except SubstrateRequestException as e:
        err = e.args[0]
        expect(f"{what}: pool answer", (err.get("code"), err.get("data")), (1010, f"Custom error: {custom_code}"))
        return f"pool: {err}"
    expect(f"{what}: accepted into block {receipt.block_hash}, is_success", receipt.is_success, False)
    expect(f"{what}: module error", (receipt.error_message or {}).get("name"), module_error)
    return f"in block: {receipt.error_message['name']}"


# ---- connection and reads ----------------------------------------------------------------------------
@check("connect: properties; runtime version from state_getRuntimeVersion = Core_version runtime call")
def connection():
    s = connect()
    expect("ss58 format", s.ss58_format, 42)
    expect("token symbol", s.token_symbol, "TAO")
    expect("token decimals", s.token_decimals, 9)
    s.init_runtime()
    rv = rpc(s, "state_getRuntimeVersion", [])
    core = s.runtime_call("Core", "version").value
    expect("Core.version spec_version = state_getRuntimeVersion", core["spec_version"], rv["specVersion"])
    expect("client runtime_version", s.runtime_version, rv["specVersion"])
    expect("spec name", core["spec_name"], "node-subtensor")
    expect("transaction version", s.transaction_version, 1)
    head = s.get_chain_head()
    expect_true("chain head is a hash", HASH.match(head), repr(head))
    expect_true("finalized head is not ahead of best", s.get_block_number(s.get_chain_finalised_head()) <= s.get_block_number(head))
    return f"{s.chain} / {s.name} {s.version}, spec {s.runtime_version}, head #{s.get_block_number(head)}"


@check("genesis facts from the README: tempo, SubnetworkN, commit-reveal, permits, rate limit, version key")
def genesis_facts():
    s = connect()
    for netuid, g in GENESIS.items():
        expect(f"Tempo({netuid})", s.query("SubtensorModule", "Tempo", [netuid]).value, g["tempo"])
        expect(f"SubnetworkN({netuid})", s.query("SubtensorModule", "SubnetworkN", [netuid]).value, g["neurons"])
        expect(f"CommitRevealWeightsEnabled({netuid})", s.query("SubtensorModule", "CommitRevealWeightsEnabled", [netuid]).value, g["commit_reveal"])
        expect(f"permits on {netuid}", sum(s.query("SubtensorModule", "ValidatorPermit", [netuid]).value), g["permits"])
        for item in ("WeightsSetRateLimit", "MinAllowedWeights", "WeightsVersionKey"):
            if item in g:
                expect(f"{item}({netuid})", s.query("SubtensorModule", item, [netuid]).value, g[item])
    return "subnets 1, 2, 3 as documented"


@check("keys: //snN-uidU = key file = Keys(N, U) = Uids(N, hotkey); Owner and coldkeypub.txt = //devnet-coldkey")
def keys():
    s = connect()
    coldkey = Keypair.create_from_uri("//devnet-coldkey", ss58_format=42).ss58_address
    with open(os.path.join(ARGS.wallet_dir, "devnet", "coldkeypub.txt")) as f:
        expect("coldkeypub.txt", json.load(f)["ss58Address"], coldkey)
    count = 0
    for netuid in GENESIS:
        for uid, (kp, ss58) in wallet_hotkeys(netuid).items():
            derived = Keypair.create_from_uri(f"//sn{netuid}-uid{uid}", ss58_format=42).ss58_address
            expect(f"key file sn{netuid}-uid{uid} (secretSeed and ss58Address)", (kp.ss58_address, ss58), (derived, derived))
            expect(f"Keys({netuid}, {uid})", s.query("SubtensorModule", "Keys", [netuid, uid]).value, derived)
            expect(f"Uids({netuid}, hotkey of {uid})", s.query("SubtensorModule", "Uids", [netuid, derived]).value, uid)
            expect(f"Owner(hotkey of sn{netuid} uid {uid})", s.query("SubtensorModule", "Owner", [derived]).value, coldkey)
            count += 1
    return f"{count} validator hotkeys"


@check("query_map: paged maps (state_getKeysPaged) = state_getKeys; values at a past block")
def query_maps():
    s = connect()
    keys3 = sorted(k.value for k, _ in s.query_map("SubtensorModule", "Keys", [3], page_size=5))
    expect("uids of subnet 3, paged by 5", keys3, list(range(16)))
    uids1 = list(s.query_map("SubtensorModule", "Uids", [1], page_size=100))
    expect("Uids(1) values over 3 pages", sorted(v.value for _, v in uids1), list(range(256)))
    prefix = s.create_storage_key("SubtensorModule", "Keys", [3]).to_hex()
    expect("state_getKeys(Keys(3)) entries", len(rpc(s, "state_getKeys", [prefix])), 16)
    commitments = list(s.query_map("Commitments", "CommitmentOf", [1], page_size=100))
    expect_true("some commitments on subnet 1", len(commitments) > 0)
    field = commitments[0][1].value["info"]["fields"][0]
    expect_true("commitment field is RawN", next(iter(field)).startswith("Raw"), repr(field))
    one = s.get_block_hash(1)
    expect("Keys(3) at block 1", len(list(s.query_map("SubtensorModule", "Keys", [3], block_hash=one, page_size=100))), 16)
    expect("System.Number at block 1", s.query("System", "Number", block_hash=one).value, 1)
    n1, n2 = (s.query("Timestamp", "Now", block_hash=s.get_block_hash(n)).value for n in (1, 2))
    expect_true("Timestamp.Now increases", 0 < n1 < n2, f"{n1} vs {n2}")
    return f"{len(commitments)} commitments on subnet 1, block time {n2 - n1} ms"


@check("runtime calls: Metadata.metadata = state_getMetadata; AccountNonceApi = system_accountNextIndex")
def runtime_calls():
    s = connect()
    metadata = s.runtime_call("Metadata", "metadata").value
    expect_true("Metadata.metadata is the 'meta' blob", bytes.fromhex(metadata[2:10]) == b"meta", metadata[:12])
    expect("Metadata.metadata (runtime call) vs state_getMetadata (RPC)", metadata, rpc(s, "state_getMetadata", []))
    for uid, (kp, ss58) in list(wallet_hotkeys(1).items())[:3]:
        expect(f"account_nonce of uid {uid}", s.runtime_call("AccountNonceApi", "account_nonce", [ss58]).value, rpc(s, "system_accountNextIndex", [ss58]))
    return f"metadata {len(metadata) // 2 - 1} bytes"


@check("storage RPCs: state_getStorageHash = blake2-256(state_getStorage), state_getStorageSize")
def storage_rpcs():
    s = connect()
    key = s.create_storage_key("SubtensorModule", "Tempo", [3]).to_hex()
    value = bytes.fromhex(rpc(s, "state_getStorage", [key])[2:])
    expect("state_getStorageHash", rpc(s, "state_getStorageHash", [key]), blake2_256(value))
    expect("state_getStorageSize", rpc(s, "state_getStorageSize", [key]), len(value))
    return f"Tempo(3) = 0x{value.hex()}"


@check("get_payment_info (Balance = u64) = payment_queryInfo RPC; fee parts add up")
def payment_info():
    # subtensor's Balance is u64; substrate-interface's built-in registry says u128 (see the NOTE).
    s = connect(type_registry={"types": {"Balance": "u64"}})
    kp, _ = next(iter(wallet_hotkeys(WEIGHTS_NETUID).values()))
    call = set_weights_call(s, WEIGHTS_NETUID, list(range(8)), [1] * 8)
    info = s.get_payment_info(call, kp)
    expect("set_weights partialFee (Pays::No)", info["partialFee"], 0)
    expect("set_weights class", info["class"], "Normal")
    expect_true("weight.ref_time > 0", info["weight"]["ref_time"] > 0, repr(info))
    xt = s.create_signed_extrinsic(call, kp)
    via_rpc = rpc(s, "payment_queryInfo", [str(xt.data)])
    expect("payment_queryInfo weight", via_rpc["weight"], info["weight"])
    expect("payment_queryInfo class / partialFee", (via_rpc["class"], number(via_rpc["partialFee"])), ("normal", 0))
    remark = s.create_signed_extrinsic(s.compose_call("System", "remark", {"remark": "0x0102030405"}), kp)
    rinfo = rpc(s, "payment_queryInfo", [str(remark.data)])
    details = rpc(s, "payment_queryFeeDetails", [str(remark.data)])["inclusionFee"]
    expect_true("remark has an inclusion fee", details is not None)
    parts = sum(number(details[k]) for k in ("baseFee", "lenFee", "adjustedWeightFee"))
    expect("remark partialFee = baseFee + lenFee + adjustedWeightFee", number(rinfo["partialFee"]), parts)
    # substrate-interface's registry has no query_length_to_fee; call it raw (u32 in, u64 out).
    raw = rpc(s, "state_call", ["TransactionPaymentApi_query_length_to_fee", "0x" + len(remark.data).to_bytes(4, "little").hex()])
    expect("remark lenFee = TransactionPaymentApi_query_length_to_fee", number(details["lenFee"]), int.from_bytes(bytes.fromhex(raw[2:]), "little"))
    return f"set_weights {info}; remark {rinfo['partialFee']}"


def note_default_registry_payment_info():
    try:
        s = connect()
        kp, _ = next(iter(wallet_hotkeys(WEIGHTS_NETUID).values()))
        info = s.get_payment_info(set_weights_call(s, WEIGHTS_NETUID, list(range(8)), [1] * 8), kp)
        print(f"NOTE get_payment_info with the default registry (Balance = u128): {info!r}")
    except Exception as e:  # noqa: BLE001
        print(f"NOTE get_payment_info with the default registry (Balance = u128) fails as against finney: {type(e).__name__}: {e}")


# ---- signed extrinsics ---------------------------------------------------------------------------------
@check(f"signed set_weights that fails in the block (subnet {WEIGHTS_NETUID}): receipt reports DuplicateUids, Pays::No")
def set_weights_failing():
    s = connect()
    uid, (kp, _) = next(iter(wallet_hotkeys(WEIGHTS_NETUID).items()))
    wait_for_weights_window(s, WEIGHTS_NETUID, uid)
    receipt = s.submit_extrinsic(s.create_signed_extrinsic(set_weights_call(s, WEIGHTS_NETUID, [0, 0, 1], [1, 1, 1]), kp), wait_for_inclusion=True)
    expect("is_success", receipt.is_success, False)
    expect("error name", (receipt.error_message or {}).get("name"), "DuplicateUids")
    failed = [a for m, e, a in events_of(receipt) if (m, e) == ("System", "ExtrinsicFailed")]
    expect("one ExtrinsicFailed", len(failed), 1)
    expect("ExtrinsicFailed dispatch_info class/pays_fee", (failed[0]["dispatch_info"]["class"], failed[0]["dispatch_info"]["pays_fee"]), ("Normal", "No"))
    return f"{receipt.error_message}"


SENT = {}


@check(f"signed set_weights with wait_for_inclusion (subnet {WEIGHTS_NETUID}): receipt, events, Pays::No, storage")
def set_weights_ok():
    s = connect()
    uid, (kp, ss58) = next(iter(wallet_hotkeys(WEIGHTS_NETUID).items()))
    wait_for_weights_window(s, WEIGHTS_NETUID, uid)
    dests, weights = list(range(16)), [d + 1 for d in range(16)]
    xt = s.create_signed_extrinsic(set_weights_call(s, WEIGHTS_NETUID, dests, weights), kp)
    receipt = s.submit_extrinsic(xt, wait_for_inclusion=True)
    expect_true("block hash in receipt", HASH.match(receipt.block_hash or ""), repr(receipt.block_hash))
    expect("is_success", receipt.is_success, True)
    expect("receipt extrinsic hash = blake2-256 of the extrinsic", receipt.extrinsic_hash, blake2_256(bytes(xt.data.data)))
    expect_true("the block holds the extrinsic (found by hash)", receipt.extrinsic_idx is not None)
    events = events_of(receipt)
    SENT["events"], SENT["signer"] = events, ss58
    expect_true(f"WeightsSet({WEIGHTS_NETUID}, {uid}) emitted", ("SubtensorModule", "WeightsSet", (WEIGHTS_NETUID, uid)) in events, repr(events))
    success = [a for m, e, a in events if (m, e) == ("System", "ExtrinsicSuccess")]
    expect("one ExtrinsicSuccess", len(success), 1)
    info = success[0]["dispatch_info"]
    expect("ExtrinsicSuccess class / pays_fee", (info["class"], info["pays_fee"]), ("Normal", "No"))
    expect("receipt.weight = ExtrinsicSuccess weight", receipt.weight, info["weight"])
    expect("receipt.total_fee_amount", receipt.total_fee_amount, 0)
    stored = s.query("SubtensorModule", "Weights", [WEIGHTS_NETUID, uid], block_hash=receipt.block_hash).value
    expect("stored destinations", [d for d, _ in stored], dests)
    expect_true("stored weights max-upscaled to 65535", all(abs(v - w * 65535 // max(weights)) <= 1 for (_, v), w in zip(stored, weights)), repr(stored))
    block_number = s.get_block_number(receipt.block_hash)
    expect("LastUpdate[uid] = including block", s.query("SubtensorModule", "LastUpdate", [WEIGHTS_NETUID], block_hash=receipt.block_hash).value[uid], block_number)
    return f"uid {uid} in block #{block_number}, weight {info['weight']}"


@check("TransactionPayment.TransactionFeePaid in every signed extrinsic's receipt")
def fee_paid_event():
    expect_true("a receipt from the previous check", "events" in SENT)
    paid = [a for m, e, a in SENT["events"] if (m, e) == ("TransactionPayment", "TransactionFeePaid")]
    expect("TransactionFeePaid events (finney: who, actual_fee 0, tip 0)", len(paid), 1)
    expect("TransactionFeePaid", (paid[0]["who"], paid[0]["actual_fee"], paid[0]["tip"]), (SENT["signer"], 0, 0))


@check("weights rate limit: a second set_weights inside WeightsSetRateLimit is refused by the pool (1010 Custom error: 6)")
def weights_rate_limit():
    s = connect()
    last = s.query("SubtensorModule", "LastUpdate", [1]).value
    never = [u for u in wallet_hotkeys(1) if last[u] == 0]
    uid = never[0] if never else min(wallet_hotkeys(1), key=lambda u: last[u])
    kp, _ = wallet_hotkeys(1)[uid]
    wait_for_weights_window(s, 1, uid)
    call = set_weights_call(s, 1, list(range(8)), [1] * 8)
    expect("first set_weights", s.submit_extrinsic(s.create_signed_extrinsic(call, kp), wait_for_inclusion=True).is_success, True)
    try:
        s.submit_extrinsic(s.create_signed_extrinsic(set_weights_call(s, 1, list(range(9)), [1] * 9), kp), wait_for_inclusion=False)
        raise Failed("a second set_weights inside the 100-block rate limit was accepted")
    except SubstrateRequestException as e:
        err = e.args[0]
        expect("pool answer", (err.get("code"), err.get("message"), err.get("data")), (1010, "Invalid Transaction", "Custom error: 6"))
    return f"uid {uid} on subnet 1"


@check("pool and nonces: accountNextIndex counts pending, same nonce 1014, back-to-back with explicit nonces")
def pool_nonces():
    s = connect()
    uid, (kp, ss58) = list(wallet_hotkeys(3).items())[1]
    info = {"fields": [[{"Raw4": "0x01020304"}]]}
    call = s.compose_call("Commitments", "set_commitment", {"netuid": 3, "info": info})
    other = s.compose_call("Commitments", "set_commitment", {"netuid": 3, "info": {"fields": [[{"Raw2": "0x0506"}]]}})
    # A block may land between the two submissions (a loaded machine): the first one is then
    # included and the second is stale (1010 outdated), as on a real node. Try again then.
    for _ in range(5):
        before = rpc(s, "system_accountNextIndex", [ss58])
        expect("AccountNonceApi = accountNextIndex before", s.get_account_nonce(ss58), before)
        s.submit_extrinsic(s.create_signed_extrinsic(call, kp, nonce=before), wait_for_inclusion=False)
        expect("system_accountNextIndex with one pending", rpc(s, "system_accountNextIndex", [ss58]), before + 1)
        try:
            # A tip does not raise a subtensor transaction's priority (Normal-class calls are all
            # priority 1, docs/transaction-priority.md in opentensor/subtensor): no replacement.
            s.submit_extrinsic(s.create_signed_extrinsic(other, kp, nonce=before, tip=1_000_000), wait_for_inclusion=False)
            raise Failed("a second transaction with a pending nonce and a higher tip was accepted")
        except SubstrateRequestException as e:
            err = e.args[0]
            if err.get("code") == 1010 and "outdated" in str(err.get("data", "")):
                continue
            expect("same nonce, equal priority: code", err.get("code"), 1014)
            expect("same nonce, equal priority: message", err.get("message"), "Priority is too low: (1 vs 1)")
            break
    else:
        raise Failed("a block landed between the two submissions five times")
    receipt = s.submit_extrinsic(s.create_signed_extrinsic(call, kp, nonce=before + 1), wait_for_inclusion=True)
    expect("back-to-back transaction with the next nonce", receipt.is_success, True)
    final = rpc(s, "system_accountNextIndex", [ss58])
    expect("accountNextIndex after both", final, before + 2)
    expect("AccountNonceApi after both", s.get_account_nonce(ss58), before + 2)
    return f"nonce {before} -> {final}"


@check("pool: resubmitting an identical extrinsic is 1013 Transaction Already Imported")
def pool_already_imported():
    s = connect()
    uid, (kp, ss58) = list(wallet_hotkeys(3).items())[2]
    call = s.compose_call("Commitments", "set_commitment", {"netuid": 3, "info": {"fields": [[{"Raw1": "0x07"}]]}})
    xt = s.create_signed_extrinsic(call, kp, nonce=rpc(s, "system_accountNextIndex", [ss58]))
    first = s.submit_extrinsic(xt, wait_for_inclusion=False)
    try:
        s.submit_extrinsic(xt, wait_for_inclusion=False)
        raise Failed("the identical extrinsic was accepted twice")
    except SubstrateRequestException as e:
        err = e.args[0]
        expect("identical resubmission", (err.get("code"), err.get("message")), (1013, "Transaction Already Imported"))
        expect("data is the extrinsic hash", err.get("data"), first.extrinsic_hash)
    return "1013"


@check("serve_axon to 127.0.0.1 is refused (InvalidIpAddress / Custom error: 11)")
def serve_localhost():
    s = connect()
    uid, (kp, ss58) = list(wallet_hotkeys(3).items())[3]
    before = s.query("SubtensorModule", "Axons", [3, ss58]).value
    detail = expect_refused(s, s.create_signed_extrinsic(serve_axon_call(s, 3, 0x7F000001, 8091), kp), "serve_axon 127.0.0.1", 11, "InvalidIpAddress")
    expect("Axons unchanged", s.query("SubtensorModule", "Axons", [3, ss58]).value, before)
    return detail


@check("serve_axon twice within ServingRateLimit is refused (ServingRateLimitExceeded / Custom error: 12)")
def serve_rate_limit():
    s = connect()
    uid, (kp, ss58) = list(wallet_hotkeys(3).items())[4]
    limit = s.query("SubtensorModule", "ServingRateLimit", [3]).value
    expect_true("ServingRateLimit(3) > 5", limit > 5, repr(limit))
    ip = (8 << 24) | (8 << 16) | (4 << 8) | 4  # 8.8.4.4, a public address
    first = s.submit_extrinsic(s.create_signed_extrinsic(serve_axon_call(s, 3, ip, 9001), kp), wait_for_inclusion=True)
    expect("first serve_axon", (first.is_success, first.error_message), (True, None))
    axon = s.query("SubtensorModule", "Axons", [3, ss58]).value
    expect("stored axon", (axon["ip"], axon["port"], axon["block"]), (ip, 9001, s.get_block_number(first.block_hash)))
    detail = expect_refused(s, s.create_signed_extrinsic(serve_axon_call(s, 3, ip, 9002), kp), "second serve_axon", 12, "ServingRateLimitExceeded")
    expect("Axons port unchanged", s.query("SubtensorModule", "Axons", [3, ss58]).value["port"], 9001)
    return detail


@check("set_commitment with wait_for_finalization: Commitment event, read back at the finalized block")
def commitment_finalized():
    s = connect()
    uid, (kp, ss58) = list(wallet_hotkeys(3).items())[5]
    payload = f'{{"subint_check":"{ss58[:8]}"}}'.encode()
    call = s.compose_call("Commitments", "set_commitment", {"netuid": 3, "info": {"fields": [[{f"Raw{len(payload)}": "0x" + payload.hex()}]]}})
    receipt = s.submit_extrinsic(s.create_signed_extrinsic(call, kp), wait_for_finalization=True)
    expect("is_success", receipt.is_success, True)
    expect_true("Commitment(3, who) emitted", ("Commitments", "Commitment", {"netuid": 3, "who": ss58}) in events_of(receipt), repr(events_of(receipt)))
    expect_true("finalized head reached the block", s.get_block_number(s.get_chain_finalised_head()) >= s.get_block_number(receipt.block_hash))
    stored = s.query("Commitments", "CommitmentOf", [3, ss58], block_hash=receipt.block_hash).value
    expect("stored field", stored["info"]["fields"][0], {f"Raw{len(payload)}": "0x" + payload.hex()})
    expect("stored block", stored["block"], s.get_block_number(receipt.block_hash))
    return f"uid {uid} at #{stored['block']}"


@check("subscribe_block_headers (new and finalized) and a storage subscription on Timestamp.Now")
def subscriptions():
    s = connect()
    for finalized in (False, True):
        seen = []

        def handler(header, update_nr, subscription_id):
            seen.append(header["header"]["number"])
            if len(seen) >= 3:
                return seen

        numbers = s.subscribe_block_headers(handler, finalized_only=finalized)
        expect_true(f"{'finalized' if finalized else 'new'} heads increase", numbers == sorted(set(numbers)), repr(numbers))
        for n in numbers:
            expect_true(f"header #{n} hash", HASH.match(s.get_block_hash(n) or ""))
    values = []

    def on_now(obj, update_nr, subscription_id):
        values.append(obj.value)
        if len(values) >= 3:
            return values

    got = s.query("Timestamp", "Now", subscription_handler=on_now)
    expect_true("Timestamp.Now updates increase", got == sorted(set(got)), repr(got))
    return f"finalized {numbers}; Now {got}"


CHECKS = [connection, genesis_facts, keys, query_maps, runtime_calls, storage_rpcs, payment_info,
          set_weights_failing, set_weights_ok, fee_paid_event, weights_rate_limit, pool_nonces,
          pool_already_imported, serve_localhost, serve_rate_limit, commitment_finalized, subscriptions]


def summary():
    passed = sum(ok for _, ok in RESULTS)
    print(f"{passed} passed, {len(RESULTS) - passed} failed", flush=True)
    return passed


def preflight():
    """Fails fast, with the reason, when nothing answers JSON-RPC at the URL."""
    try:
        connect().rpc_request("system_chain", [])
        return True
    except Exception as e:  # noqa: BLE001
        print(f"FAIL connect: no JSON-RPC answer from {ARGS.url}: {type(e).__name__}: {e}", flush=True)
        RESULTS.append(("connect", False))
        return False


def main():
    if not preflight():
        summary()
        return 1
    for run in CHECKS:
        run()
    note_default_registry_payment_info()
    return 0 if summary() == len(RESULTS) else 1


def watchdog():
    print(f"FAIL timeout: no result after {ARGS.hard_timeout:.0f}s, stuck in check \"{CURRENT[0]}\"", flush=True)
    summary()
    os._exit(3)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("wallet_dir")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per check")
    parser.add_argument("--hard-timeout", type=float, default=180.0, help="seconds for the whole run")
    ARGS = parser.parse_args()
    if not os.path.isdir(os.path.join(ARGS.wallet_dir, "devnet", "hotkeys")):
        print(f"usage: {ARGS.wallet_dir}/devnet/hotkeys does not exist (pass the devnet's --wallet-dir)")
        sys.exit(2)
    timer = threading.Timer(ARGS.hard_timeout, watchdog)
    timer.daemon = True
    timer.start()
    sys.exit(main())
