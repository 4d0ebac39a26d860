"""Runs the unmodified async-substrate-interface 2.2.1 (`AsyncSubstrateInterface`, cyscale 0.8.0) against
`pylon devnet`: initialize/init_runtime, storage query and query_map, runtime calls, constants, blocks
and events, a head subscription, a signed set_weights write applied and read back, a second one
the block drops as invalid (inside the rate limit), and a runtime upgrade (the library's per-block
runtime and a write signed after it).

Usage: python asi2_check.py WS_URL WALLET_DIR [--block-time SECONDS] [--timeout SECONDS]
                            [--hard-timeout SECONDS]

Start a fresh devnet for each run (CI uses 250 ms blocks):
    pylon devnet --port 0 --wallet-dir WALLET_DIR --block-time 250ms
WALLET_DIR is that devnet's --wallet-dir (the `devnet` wallet: validator hotkeys `snN-uidU`);
--block-time is the devnet's --block-time in seconds (default 0.25).

Output: one "PASS name (s): detail" or "FAIL name (s): Error: message [file:line <- asi2_check.py:line]"
line per check, then "N passed, M failed". Every check runs even when an earlier one failed (a check
that needs an earlier result says so). VERBOSE=1 adds the full traceback of each failure.
Exit codes: 0 all passed, 1 a check failed, 2 usage/setup error, 3 the hard timeout fired (the
message names the running check and prints every thread's stack and the pending asyncio tasks).
Each check is bounded by --timeout (default 30 s) without waiting for the library to honour the
cancellation, so a node that never answers fails that check instead of hanging the run.

No monkeypatching, no proxy. async-substrate-interface ships no keypair: the signer is
bittensor-core's sr25519 Keypair behind a 10-line adapter, because async-substrate-interface hands
Keypair.sign() a bytearray (async_substrate.py:3368, `signature_payload.data`) and
bittensor_core.Keypair.sign accepts only str or bytes ("message must be str or bytes"). The
library's disk cache (DiskCachedAsyncSubstrateInterface, not used here) is pointed at a temporary
CACHE_LOCATION anyway, so runs share nothing.

After a check times out, the next check that needs the same cached request (the chain head, a
runtime) can fail at once with CancelledError from async_substrate_interface/utils/cache.py: the
library shares one in-flight future between callers, and the timed-out caller's was cancelled.

The pending-nonce check guards a devnet property: a transaction stays in the pool until its block
is the best block, so account_nextIndex never answers a nonce already taken (an earlier devnet
answered the state nonce for the few ms it built each block).

Deterministic: fixed weights and commitment payloads, validators chosen by rule (highest uid with
the smallest LastUpdate on subnet 3, so it does not collide with sdk11_check.py's writer), no
wall-clock or random input. A write is proven to be this run's by its inclusion block.

Oracles from outside the devnet:
  README  the devnet's documented genesis and behaviour (subnet table; spec version 400;
          system_properties ss58Format 42 / tokenDecimals 9 / tokenSymbol TAO; metadata versions
          [14, 15, 16]; Aura.SlotDuration and AuraApi_slot_duration = block time; Timestamp.Now(n) =
          genesis + n block times, 0 at block 0; every executed call Pays::No, fee 0, with
          TransactionFeePaid; account_nextIndex counts the account's ready transactions in the
          pool)
  KEYS    sr25519 keys derived here from the documented URIs //snN-uidU
  WALLET  the key files the devnet wrote into WALLET_DIR
  FINNEY  finney's constants (Balances.ExistentialDeposit 500, System.SS58Prefix 42)
  RULE    substrate/subtensor rules: Timestamp.MinimumPeriod = slot duration / 2 (pallet_aura);
          subtensor max-upscales a weights row to u16 with rounding (vec_u16_max_upscale_to_u16);
          its transaction extension checks the weights rate limit again when a block applies a
          transaction (SubtensorTransactionExtension), and the pool then drops it as invalid
  X-CALL  two different library calls answered by different node paths (runtime API vs storage vs
          RPC vs subscription vs block body)
  WRITE   the values this script wrote, read back
"""
import argparse
import asyncio
import contextlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
from fractions import Fraction

GENESIS = {
    1: dict(n=256, tempo=360, permits=64, commit_reveal=False, rate_limit=100, min_weights=8, version=0),
    2: dict(n=64, tempo=100, permits=16, commit_reveal=True, version=2001000),
    3: dict(n=16, tempo=10, permits=8, commit_reveal=False, rate_limit=5, version=0),
}
SPEC_VERSION = 400
PROPERTIES = {"ss58Format": 42, "tokenDecimals": 9, "tokenSymbol": "TAO"}
METADATA_VERSIONS = [14, 15, 16]
EXISTENTIAL_DEPOSIT = 500
WRITE_NETUID = 3
U16_MAX = 65535
# Raw u16 weights the chain max-upscales; max 2500, so no w * 65535 / 2500 is a .5 tie.
WRITE_WEIGHTS = [1000, 1300, 2500, 1700, 1100, 2200]
# A devnet that answered account_nextIndex from the state alone while building a block was seen by
# asi2's ~20 ms requests in ~10% of rounds: 12 rounds catch such a regression in about 70% of runs.
NONCE_ROUNDS = 12
NONCE_PAYLOAD = b"asi2-n"

ARGS = None
RESULTS = []
CURRENT = ["startup"]
CTX = {}
STARTED = time.monotonic()
LOOP = None


class Failed(AssertionError):
    pass


def expect(what, got, expected):
    if got != expected:
        raise Failed(f"{what}: got {got!r}, expected {expected!r}")


def expect_true(what, cond, detail=""):
    if not cond:
        raise Failed(f"{what} {detail}".strip())


def need(key, what):
    if key not in CTX:
        raise Failed(f"needs {what}, which an earlier check could not provide")
    return CTX[key]


def val(x):
    return getattr(x, "value", x)


def where(e):
    frames = traceback.extract_tb(e.__traceback__)
    mine = [f for f in frames if f.filename == __file__ and f.name not in ("expect", "expect_true", "need")][-1:]
    lib = [f for f in frames if "site-packages" in f.filename and "/async_substrate_interface/" in f.filename][-1:]
    chain = frames[-1:] + [f for f in lib + mine if f not in frames[-1:]]

    def short(f):
        if "site-packages/" in f.filename:
            return f"{f.filename.split('site-packages/')[1]}:{f.lineno}"
        return f"{os.path.basename(f.filename)}:{f.lineno}"
    return " <- ".join(short(f) for f in chain)


def describe_task(task):
    coro, out = task.get_coro(), []
    while coro is not None:
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "ag_frame", None) or getattr(coro, "gi_frame", None)
        if frame is not None:
            fn = frame.f_code.co_filename
            fn = fn.split("site-packages/")[1] if "site-packages/" in fn else os.path.basename(fn)
            out.append(f"{fn}:{frame.f_lineno}")
        coro = getattr(coro, "cr_await", None) or getattr(coro, "ag_await", None) or getattr(coro, "gi_yieldfrom", None)
    return " -> ".join(out[-3:]) or repr(task)


def check(name):
    def wrap(fn):
        async def run():
            CURRENT[0] = name
            started = time.monotonic()
            task = asyncio.ensure_future(fn())
            done, _ = await asyncio.wait({task}, timeout=ARGS.timeout)
            try:
                if not done:
                    task.cancel()
                    raise TimeoutError(f"no result within {ARGS.timeout:.0f}s (per-check --timeout); "
                                       f"pending: {describe_task(task)}")
                detail = task.result()
                RESULTS.append((name, True))
                print(f"PASS {name} ({time.monotonic() - started:.1f}s){': ' + str(detail)[:300] if detail else ''}", flush=True)
                return True
            except BaseException as e:  # noqa: BLE001
                if isinstance(e, (KeyboardInterrupt, SystemExit)):
                    raise
                RESULTS.append((name, False))
                msg = str(e) or repr(e)
                print(f"FAIL {name} ({time.monotonic() - started:.1f}s): {type(e).__name__}: {msg[:800]} [{where(e)}]", flush=True)
                if os.environ.get("VERBOSE"):
                    traceback.print_exception(e)
                return False
        return run
    return wrap


class KeypairAdapter:
    """bittensor_core.Keypair behind async-substrate-interface's Keypair protocol (protocols.py):
    the library passes sign() a bytearray, bittensor_core wants bytes."""

    def __init__(self, kp):
        self._kp = kp
        self.crypto_type = kp.crypto_type
        self.public_key = kp.public_key
        self.ss58_address = kp.ss58_address
        self.ss58_format = 42

    def sign(self, data):
        return self._kp.sign(bytes(data) if isinstance(data, (bytearray, memoryview)) else data)


def ss58(uri):
    return Keypair.create_from_uri(uri).ss58_address


def wallet_keypair(fname):
    with open(os.path.join(ARGS.wallet_dir, "devnet", "hotkeys", fname)) as f:
        data = json.load(f)
    kp = Keypair.create_from_seed(bytes.fromhex(data["secretSeed"].removeprefix("0x")))
    expect(f"{fname}: key file seed gives the key file's address (WALLET)", kp.ss58_address, data["ss58Address"])
    net, uid = fname[2:].split("-uid")
    expect(f"{fname}: address = //sn{net}-uid{uid} (KEYS)", kp.ss58_address, ss58(f"//{fname}"))
    return KeypairAdapter(kp)


def wallet_hotkeys(netuid):
    folder = os.path.join(ARGS.wallet_dir, "devnet", "hotkeys")
    out = {}
    for f in os.listdir(folder):
        if f.startswith(f"sn{netuid}-uid") and not f.endswith("pub.txt"):
            out[int(f.split("-uid")[1])] = f
    return dict(sorted(out.items()))


def upscaled(weights):
    """RULE: subtensor's max-upscale of a row to u16 (value * 65535 / max, rounded), exactly."""
    m = max(weights)
    return [int(Fraction(w * U16_MAX, m) + Fraction(1, 2)) for w in weights]


def sub():
    return CTX["s"]


async def head_number():
    return val(await sub().query("System", "Number", block_hash=await sub().get_chain_head()))


# ---- runtime ---------------------------------------------------------------------------------------------
@check("initialize + init_runtime: V15 metadata, spec 400, system_properties, Metadata_metadata_versions (README)")
async def c_init():
    s = AsyncSubstrateInterface(ARGS.url, ss58_format=42)
    CTX["s"] = s
    try:
        await s.initialize()
        rt = await s.init_runtime()
    except BaseException:
        # initialize() runs init_runtime in a background task and shows only a CancelledError when
        # it fails: report that task's own exception (the real cause) instead.
        task = getattr(s, "startup_runtime_task", None)
        if task is not None and task.done() and not task.cancelled() and task.exception() is not None:
            raise task.exception()
        raise
    expect_true("V15 metadata loaded (Metadata_metadata_at_version(15))", rt.metadata_v15 is not None)
    expect("runtime spec version (README)", rt.runtime_version, SPEC_VERSION)
    props = await s.properties
    expect("system_properties (README)", {k: props.get(k) for k in PROPERTIES}, PROPERTIES)
    versions = val(await s.runtime_call("Metadata", "metadata_versions", []))
    expect("Metadata_metadata_versions (README)", list(versions), METADATA_VERSIONS)
    CTX["rt"] = rt
    return f"spec {rt.runtime_version}, transaction version {rt.transaction_version}, metadata versions {list(versions)}"


@check("get_constant: System.SS58Prefix 42, Balances.ExistentialDeposit 500 (FINNEY), Aura.SlotDuration = --block-time (README), Timestamp.MinimumPeriod = half (RULE)")
async def c_constants():
    s = sub()
    got = {f"{m}.{c}": val(await s.get_constant(m, c)) for m, c in
           [("System", "SS58Prefix"), ("Balances", "ExistentialDeposit"), ("Aura", "SlotDuration"), ("Timestamp", "MinimumPeriod")]}
    slot = round(ARGS.block_time * 1000)
    expect("constants", got, {"System.SS58Prefix": 42, "Balances.ExistentialDeposit": EXISTENTIAL_DEPOSIT,
                              "Aura.SlotDuration": slot, "Timestamp.MinimumPeriod": slot // 2})
    expect("AuraApi_slot_duration runtime call vs Aura.SlotDuration constant (X-CALL)", val(await s.runtime_call("AuraApi", "slot_duration", [])), slot)
    return ", ".join(f"{k} {v}" for k, v in got.items())


# ---- storage -----------------------------------------------------------------------------------------------
@check("query: Tempo, WeightsSetRateLimit, WeightsVersionKey, CommitRevealWeightsEnabled (README); System.Number = header (X-CALL); Timestamp.Now = n block times (README)")
async def c_query():
    s = sub()
    for netuid, g in GENESIS.items():
        expect(f"Tempo[{netuid}]", val(await s.query("SubtensorModule", "Tempo", [netuid])), g["tempo"])
        expect(f"CommitRevealWeightsEnabled[{netuid}]", val(await s.query("SubtensorModule", "CommitRevealWeightsEnabled", [netuid])), g["commit_reveal"])
        expect(f"WeightsVersionKey[{netuid}]", val(await s.query("SubtensorModule", "WeightsVersionKey", [netuid])), g["version"])
        if "rate_limit" in g:
            expect(f"WeightsSetRateLimit[{netuid}]", val(await s.query("SubtensorModule", "WeightsSetRateLimit", [netuid])), g["rate_limit"])
        if "min_weights" in g:
            expect(f"MinAllowedWeights[{netuid}]", val(await s.query("SubtensorModule", "MinAllowedWeights", [netuid])), g["min_weights"])
    while await head_number() < 5:  # n - 4 >= 1: block 0 has no timestamp
        await asyncio.sleep(ARGS.block_time / 2)
    head = await s.get_chain_head()
    number = val(await s.query("System", "Number", block_hash=head))
    header = await s.get_block_header(head)
    expect("System.Number vs chain_getHeader number (X-CALL)", number, header["header"]["number"])
    now = val(await s.query("Timestamp", "Now", block_hash=head))
    earlier = val(await s.query("Timestamp", "Now", block_hash=await s.get_block_hash(number - 4)))
    expect("Timestamp.Now(n) - Timestamp.Now(n-4) in ms (README)", now - earlier, 4 * round(ARGS.block_time * 1000))
    expect("Timestamp.Now at block 0 (README: 0 at genesis)", val(await s.query("Timestamp", "Now", block_hash=await s.get_block_hash(0))), 0)
    return f"block {number}, Timestamp.Now {now}"


@check("query_map: Tempo map (README); Uids[1] in 3 pages = //sn1-uidU (KEYS); Keys[1] inverse (X-CALL); ValidatorPermit counts (README)")
async def c_query_map():
    s = sub()
    head = await s.get_chain_head()
    res = await s.query_map("SubtensorModule", "Tempo", page_size=100, block_hash=head)
    tempos = {val(k): val(v) async for k, v in res}
    expect("Tempo map", tempos, {n: g["tempo"] for n, g in GENESIS.items()})
    res = await s.query_map("SubtensorModule", "Uids", [1], page_size=100, block_hash=head)
    uids = {val(k): val(v) async for k, v in res}
    expect("Uids[1] entries (README, 3 pages of 100)", len(uids), GENESIS[1]["n"])
    expect("Uids[1] hotkeys that are not //sn1-uidU (KEYS)", sorted(u for hk, u in uids.items() if hk != ss58(f"//sn1-uid{u}")), [])
    res = await s.query_map("SubtensorModule", "Keys", [1], page_size=100, block_hash=head)
    keys = {val(k): val(v) async for k, v in res}
    expect("Keys[1] = inverse of Uids[1] (X-CALL)", keys, {u: hk for hk, u in uids.items()})
    for netuid, g in GENESIS.items():
        permits = val(await s.query("SubtensorModule", "ValidatorPermit", [netuid], block_hash=head))
        expect(f"ValidatorPermit[{netuid}] count (README)", sum(map(bool, permits)), g["permits"])
        expect(f"ValidatorPermit[{netuid}] uids = hotkey files (WALLET)", [u for u, p in enumerate(permits) if p], list(wallet_hotkeys(netuid)))
    CTX["uids"] = uids
    return f"{len(uids)} uids on subnet 1"


# ---- runtime calls -------------------------------------------------------------------------------------------
@check("runtime_call: get_neurons_lite(1) = Uids map; get_metagraph(1) hotkeys; get_subnet_hyperparams_v3 tempo; get_neurons(3) weights = Weights map (X-CALL, README)")
async def c_runtime_call():
    s = sub()
    uids = need("uids", "query_map Uids[1]")
    lite = val(await s.runtime_call("NeuronInfoRuntimeApi", "get_neurons_lite", [1]))
    expect("neurons", len(lite), GENESIS[1]["n"])
    expect("get_neurons_lite hotkey -> uid vs Uids storage (X-CALL)", {n["hotkey"]: n["uid"] for n in lite}, uids)
    expect("validator permits (README)", sum(bool(n["validator_permit"]) for n in lite), GENESIS[1]["permits"])
    mg = val(await s.runtime_call("SubnetInfoRuntimeApi", "get_metagraph", [1]))
    expect("get_metagraph hotkeys vs get_neurons_lite (X-CALL)", list(mg["hotkeys"]), [n["hotkey"] for n in sorted(lite, key=lambda n: n["uid"])])
    hp = val(await s.runtime_call("SubnetInfoRuntimeApi", "get_subnet_hyperparams_v3", [1]))
    tempo = next(e["value"] for e in hp if e["name"] == "tempo")
    expect("get_subnet_hyperparams_v3 tempo (README)", tempo if isinstance(tempo, int) else next(iter(tempo.values())), GENESIS[1]["tempo"])
    head = await s.get_chain_head()
    full = val(await s.runtime_call("NeuronInfoRuntimeApi", "get_neurons", [3], block_hash=head))
    res = await s.query_map("SubtensorModule", "Weights", [3], page_size=100, block_hash=head)
    rows = {val(k): [tuple(x) for x in val(v)] async for k, v in res}
    expect("get_neurons(3) weights vs Weights[3] map (X-CALL)", {n["uid"]: [tuple(x) for x in n["weights"]] for n in full if n["weights"]}, {u: r for u, r in rows.items() if r})
    return f"{len(lite)} neurons, {len(rows)} weight rows on subnet 3"


# ---- blocks -----------------------------------------------------------------------------------------------------
@check("get_block + get_events: Timestamp.set inherent = Timestamp.Now (X-CALL); ExtrinsicSuccess")
async def c_block_events():
    s = sub()
    block = await s.get_block()
    calls = [val(x)["call"]["call_module"] + "." + val(x)["call"]["call_function"] for x in block["extrinsics"]]
    expect("first extrinsic", calls[:1], ["Timestamp.set"])
    arg = val(block["extrinsics"][0])["call"]["call_args"][0]["value"]
    now = val(await s.query("Timestamp", "Now", block_hash=block["header"]["hash"]))
    expect("Timestamp.set argument vs Timestamp.Now storage (X-CALL)", arg, now)
    events = await s.get_events(block["header"]["hash"])
    expect_true("System.ExtrinsicSuccess event", any(e["event"]["event_id"] == "ExtrinsicSuccess" for e in events), repr(events)[:200])
    return f"block {block['header']['number']}: {calls}"


@check("subscribe_block_headers: 3 consecutive new heads linked by parentHash (X-CALL get_block_hash); finalized heads trail by 2 (README)")
async def c_heads():
    s = sub()
    seen = []

    async def handler(obj):
        seen.append(obj["header"])
        if len(seen) >= 3:
            return [h["number"] for h in seen]
    numbers = await s.subscribe_block_headers(handler)
    expect("consecutive numbers", numbers, list(range(numbers[0], numbers[0] + 3)))
    for prev, h in zip(numbers, seen[1:]):
        expect(f"parentHash of #{prev + 1} vs get_block_hash({prev}) (X-CALL)", h["parentHash"], await s.get_block_hash(prev))
    fin = []

    async def fin_handler(obj):
        fin.append(obj["header"]["number"])
        return fin[-1]
    f = await s.subscribe_block_headers(fin_handler, finalized_only=True)
    best = await head_number()
    expect_true("finalized head from the subscription trails the best head by 2 (+-1) (README)", 1 <= best - f <= 3, f"best {best}, finalized {f}")
    return f"new heads {numbers}, finalized #{f}"


# ---- writes -------------------------------------------------------------------------------------------------------
async def pick_writer():
    """The highest-uid wallet validator on subnet 3 with the smallest LastUpdate (deterministic)."""
    if "writer" not in CTX:
        files = wallet_hotkeys(WRITE_NETUID)
        expect_true("hotkey files for subnet 3", files)
        last = val(await sub().query("SubtensorModule", "LastUpdate", [WRITE_NETUID]))
        uid = min(files, key=lambda u: (int(last[u]), -u))
        CTX["writer"] = (uid, files[uid], wallet_keypair(files[uid]))
    return CTX["writer"]


@check("get_account_next_index (account_nextIndex) = AccountNonceApi_account_nonce (X-CALL)")
async def c_nonce():
    s = sub()
    uid, fname, kp = await pick_writer()
    n = await s.get_account_next_index(kp.ss58_address, use_cache=False)
    state = val(await s.runtime_call("AccountNonceApi", "account_nonce", [kp.ss58_address]))
    expect("account_nextIndex vs AccountNonceApi (no transaction pending)", n, state)
    return f"{fname}: nonce {n}"


@check("compose_call set_weights + get_payment_info: partial_fee 0, class Normal (README: Pays::No) = payment_queryInfo (X-CALL)")
async def c_payment():
    s = sub()
    uid, fname, kp = await pick_writer()
    dests = [d for d in range(GENESIS[WRITE_NETUID]["n"]) if d != uid][:len(WRITE_WEIGHTS)]
    call = await s.compose_call("SubtensorModule", "set_weights", {"netuid": WRITE_NETUID, "dests": dests, "weights": WRITE_WEIGHTS, "version_key": 0})
    CTX["call"] = (call, dests)
    info = await s.get_payment_info(call, kp)
    expect("partial_fee (README)", int(info["partial_fee"]), 0)
    expect("class", info.get("class"), "Normal")
    # signed but never submitted: only for the node's payment_queryInfo RPC
    xt = await s.create_signed_extrinsic(call, kp, nonce=await s.get_account_next_index(kp.ss58_address, use_cache=False))
    rpc = (await s.rpc_request("payment_queryInfo", [str(xt.data)]))["result"]
    partial = rpc["partialFee"]
    partial = int(partial, 16) if isinstance(partial, str) and partial.startswith("0x") else int(partial)
    expect("payment_queryInfo partialFee (X-CALL RPC vs runtime API)", partial, int(info["partial_fee"]))
    expect("payment_queryInfo weight.ref_time vs query_info (X-CALL)", int(rpc["weight"]["ref_time"] if isinstance(rpc["weight"], dict) else rpc["weight"]), int(info["weight"]["ref_time"]))
    return f"{info}"


@check("sign + submit_extrinsic(set_weights, wait_for_inclusion): success, WeightsSet + TransactionFeePaid(0), Weights = RULE, LastUpdate = block, nonce + 1 (WRITE, README, X-CALL)")
async def c_submit():
    s = sub()
    uid, fname, kp = await pick_writer()
    call, dests = need("call", "compose_call set_weights")
    while True:  # subtensor's rate limit: never set (0), or 5 blocks since
        last = int(val(await s.query("SubtensorModule", "LastUpdate", [WRITE_NETUID]))[uid])
        if last == 0 or await head_number() - last >= GENESIS[WRITE_NETUID]["rate_limit"]:
            break
        await asyncio.sleep(ARGS.block_time / 2)
    n = await s.get_account_next_index(kp.ss58_address, use_cache=False)
    xt = await s.create_signed_extrinsic(call, kp, nonce=n)
    receipt = await s.submit_extrinsic(xt, wait_for_inclusion=True)
    expect_true("receipt.is_success", await receipt.is_success, f"error {await receipt.error_message}")
    events = [e["event"] for e in await receipt.triggered_events]
    names = [(e["module_id"], e["event_id"]) for e in events]
    for ev in [("SubtensorModule", "WeightsSet"), ("TransactionPayment", "TransactionFeePaid"), ("System", "ExtrinsicSuccess")]:
        expect_true(f"{ev[0]}.{ev[1]} event (README)", ev in names, repr(names))
    ws = next(e for e in events if e["event_id"] == "WeightsSet")["attributes"]
    expect("WeightsSet (netuid, uid)", tuple(ws.values()) if isinstance(ws, dict) else tuple(ws), (WRITE_NETUID, uid))
    paid = next(e for e in events if e["event_id"] == "TransactionFeePaid")["attributes"]
    expect("TransactionFeePaid (who, actual_fee, tip) (README)", (paid["who"], int(paid["actual_fee"]), int(paid["tip"])), (kp.ss58_address, 0, 0))
    block = await s.get_block_number(receipt.block_hash)
    want = list(zip(dests, upscaled(WRITE_WEIGHTS)))
    row = val(await s.query("SubtensorModule", "Weights", [WRITE_NETUID, uid], block_hash=receipt.block_hash))
    expect("Weights[3][uid] at the inclusion block (RULE)", [tuple(x) for x in row], want)
    last = val(await s.query("SubtensorModule", "LastUpdate", [WRITE_NETUID], block_hash=receipt.block_hash))[uid]
    expect("LastUpdate at the inclusion block (proves this run's write)", last, block)
    neuron = val(await s.runtime_call("NeuronInfoRuntimeApi", "get_neuron", [WRITE_NETUID, uid], block_hash=receipt.block_hash))
    expect("get_neuron weights (X-CALL)", [tuple(x) for x in neuron["weights"]], want)
    expect("account_nextIndex after inclusion", await s.get_account_next_index(kp.ss58_address, use_cache=False), n + 1)
    return f"{fname} (uid {uid}) in block {block}: {want}"


@check("a set_weights admitted beside another inside the rate limit: the block applies the first, submit_extrinsic of the second raises 'invalid' (RULE: subtensor's extension checks again in the block; WRITE)")
async def c_dropped_in_block():
    s = sub()
    uid, fname, kp = await pick_writer()
    while True:  # a fresh rate-limit window, as in c_submit
        last = int(val(await s.query("SubtensorModule", "LastUpdate", [WRITE_NETUID]))[uid])
        if last == 0 or await head_number() - last >= GENESIS[WRITE_NETUID]["rate_limit"]:
            break
        await asyncio.sleep(ARGS.block_time / 2)
    n = await s.get_account_next_index(kp.ss58_address, use_cache=False)
    dests = [d for d in range(GENESIS[WRITE_NETUID]["n"]) if d != uid][:len(WRITE_WEIGHTS)]
    compose = lambda weights: s.compose_call("SubtensorModule", "set_weights", {"netuid": WRITE_NETUID, "dests": dests, "weights": weights, "version_key": 0})
    # The later nonce first: it waits in the future queue, so no block can land between the two.
    later = await s.create_signed_extrinsic(await compose(list(reversed(WRITE_WEIGHTS))), kp, nonce=n + 1)
    second = asyncio.ensure_future(s.submit_extrinsic(later, wait_for_inclusion=True))
    await asyncio.sleep(ARGS.block_time)
    expect_true("the later nonce is still waiting", not second.done(), repr(second))
    first = await s.submit_extrinsic(await s.create_signed_extrinsic(await compose(WRITE_WEIGHTS), kp, nonce=n), wait_for_inclusion=True)
    expect_true("first: receipt.is_success", await first.is_success, f"error {await first.error_message}")
    try:
        await asyncio.wait_for(second, timeout=10)
        raise AssertionError("the second set_weights was included inside the rate limit")
    except SubstrateRequestException as e:
        expect_true("the second one's subscription ended 'invalid'", "invalid" in str(e), str(e))
    want = list(zip(dests, upscaled(WRITE_WEIGHTS)))
    row = val(await s.query("SubtensorModule", "Weights", [WRITE_NETUID, uid], block_hash=first.block_hash))
    expect("Weights at the block: the first one's (WRITE)", [tuple(x) for x in row], want)
    expect("account_nextIndex: the dropped one used no nonce", await s.get_account_next_index(kp.ss58_address, use_cache=False), n + 1)
    return f"{fname}: nonce {n} in {first.block_hash[:10]}, nonce {n + 1} invalid"


@check("account_nextIndex counts a pending transaction and never goes back while it is included (README: counts the pool)")
async def c_pending_nonce():
    s = sub()
    writer = (await pick_writer())[0]
    files = wallet_hotkeys(WRITE_NETUID)
    other = max(u for u in files if u != writer)
    kp = wallet_keypair(files[other])
    polls = 0
    for k in range(NONCE_ROUNDS):
        payload = NONCE_PAYLOAD + bytes([48 + k])
        call = await s.compose_call("Commitments", "set_commitment",
                                    {"netuid": WRITE_NETUID, "info": {"fields": [[{f"Raw{len(payload)}": "0x" + payload.hex()}]]}})
        n0 = await s.get_account_next_index(kp.ss58_address, use_cache=False)
        await s.submit_extrinsic(await s.create_signed_extrinsic(call, kp, nonce=n0))
        submitted_at = await head_number()
        while True:
            got = await s.get_account_next_index(kp.ss58_address, use_cache=False)
            polls += 1
            expect(f"round {k}: account_nextIndex while nonce {n0} is pending or being included (poll {polls})", got, n0 + 1)
            if polls % 10 == 0 and await head_number() >= submitted_at + 2:
                break
    expect("AccountNonceApi after the last inclusion", val(await s.runtime_call("AccountNonceApi", "account_nonce", [kp.ss58_address])), n0 + 1)
    got = await s.query("Commitments", "CommitmentOf", [WRITE_NETUID, kp.ss58_address])
    fields = val(got)["info"]["fields"]
    expect("CommitmentOf fields: the last payload (WRITE)", fields, [{f"Raw{len(payload)}": "0x" + payload.hex()}])
    return f"{NONCE_ROUNDS} transactions, {polls} polls, nonce -> {n0 + 1}"


@check("runtime upgrade (devnet_upgradeRuntime, README): init_runtime before/after = parent's version (RULE), state_getRuntimeVersion at the enacting block = new, a write signed after it succeeds (WRITE)")
async def c_upgrade():
    s = sub()
    before = (await s.rpc_request("state_getRuntimeVersion", []))["result"]["specVersion"]
    target = before + 1
    expect("devnet_upgradeRuntime", (await s.rpc_request("devnet_upgradeRuntime", [target]))["result"], {"specVersion": target})
    # Wait until the block after the enacting one is finalized, then find the enacting block.
    while True:
        final = await s.get_chain_finalised_head()
        if (await s.rpc_request("state_getRuntimeVersion", [final]))["result"]["specVersion"] == target:
            header = (await s.rpc_request("chain_getHeader", [final]))["result"]
            parent = header["parentHash"]
            if (await s.rpc_request("state_getRuntimeVersion", [parent]))["result"]["specVersion"] == target:
                break
        await asyncio.sleep(ARGS.block_time)
    enacting = parent
    while True:
        up = (await s.rpc_request("chain_getHeader", [enacting]))["result"]["parentHash"]
        if (await s.rpc_request("state_getRuntimeVersion", [up]))["result"]["specVersion"] != target:
            break
        enacting = up
    # substrate's rule: a block is executed by its parent's runtime, which is what the library uses.
    old = await s.init_runtime(block_hash=enacting)
    new = await s.init_runtime(block_hash=final)
    expect("init_runtime at the enacting block (its parent's runtime, RULE)", old.runtime_version, before)
    expect("init_runtime after it", new.runtime_version, target)
    uid, fname, kp = await pick_writer()
    payload = b"asi2-upgrade"
    call = await s.compose_call("Commitments", "set_commitment",
                                {"netuid": WRITE_NETUID, "info": {"fields": [[{f"Raw{len(payload)}": "0x" + payload.hex()}]]}})
    n = await s.get_account_next_index(kp.ss58_address, use_cache=False)
    receipt = await s.submit_extrinsic(await s.create_signed_extrinsic(call, kp, nonce=n), wait_for_inclusion=True)
    expect_true("receipt.is_success", await receipt.is_success, f"error {await receipt.error_message}")
    stored = val(await s.query("Commitments", "CommitmentOf", [WRITE_NETUID, kp.ss58_address], block_hash=receipt.block_hash))
    expect("CommitmentOf after the upgrade (WRITE)", stored["info"]["fields"], [{f"Raw{len(payload)}": "0x" + payload.hex()}])
    return f"spec {before} -> {target}; {fname} wrote a commitment signed for {target}"


@check("close")
async def c_close():
    await sub().close()
    CTX.pop("s", None)


CHECKS = [c_init, c_constants, c_query, c_query_map, c_runtime_call, c_block_events, c_heads,
          c_nonce, c_payment, c_submit, c_dropped_in_block, c_pending_nonce, c_upgrade, c_close]


def summary():
    passed = sum(ok for _, ok in RESULTS)
    for name, ok in RESULTS:
        if not ok:
            print(f"  failed: {name}", flush=True)
    print(f"run time {time.monotonic() - STARTED:.1f}s against {ARGS.url} (async-substrate-interface {asi_version})", flush=True)
    print(f"{passed} passed, {len(RESULTS) - passed} failed", flush=True)
    return passed


async def main():
    if not await c_init():
        return
    for run in CHECKS[1:]:
        await run()


def teardown(loop):
    CURRENT[0] = "teardown (cancelling leftover tasks)"
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for t in pending:
        t.cancel()
    if pending:
        done, still = loop.run_until_complete(asyncio.wait(pending, timeout=5))
        if still:
            RESULTS.append(("teardown", False))
            print(f"FAIL teardown: {len(still)} task(s) ignored cancellation for 5s: "
                  + "; ".join(f"{t.get_name()} at {describe_task(t)}" for t in still), flush=True)
    CURRENT[0] = "teardown (closing async generators)"
    with contextlib.suppress(Exception):
        loop.run_until_complete(asyncio.wait_for(loop.shutdown_asyncgens(), 5))


def watchdog():
    print(f"FAIL timeout: no result after {ARGS.hard_timeout:.0f}s (--hard-timeout), stuck in check \"{CURRENT[0]}\"", flush=True)
    frames = sys._current_frames()
    for th in threading.enumerate():
        if th is threading.current_thread() or th.ident not in frames:
            continue
        print(f"--- thread {th.name}:", flush=True)
        print("".join(traceback.format_stack(frames[th.ident])[-8:]), end="", flush=True)
    if LOOP is not None:
        with contextlib.suppress(Exception):
            for t in list(asyncio.all_tasks(LOOP)):
                print(f"--- task {t.get_name()}: {describe_task(t)}", flush=True)
    RESULTS.append(("hard timeout", False))
    summary()
    os._exit(3)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("wallet_dir")
    parser.add_argument("--block-time", type=float, default=0.25, help="the devnet's --block-time in seconds")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per check")
    parser.add_argument("--hard-timeout", type=float, default=120.0, help="seconds for the whole run")
    ARGS = parser.parse_args()
    if not os.path.isdir(os.path.join(ARGS.wallet_dir, "devnet", "hotkeys")):
        print(f"usage: {ARGS.wallet_dir}/devnet/hotkeys does not exist (pass the devnet's --wallet-dir)", flush=True)
        sys.exit(2)
    timer = threading.Timer(ARGS.hard_timeout, watchdog)
    timer.daemon = True
    timer.start()
    private = tempfile.mkdtemp(prefix="asi2-check-")
    os.environ["CACHE_LOCATION"] = os.path.join(private, "cache")
    CURRENT[0] = "import async_substrate_interface"
    try:
        from importlib.metadata import version
        from async_substrate_interface import AsyncSubstrateInterface
        from async_substrate_interface.errors import SubstrateRequestException
        from bittensor_core import Keypair
        asi_version = version("async-substrate-interface")
    except ImportError as e:
        print(f"setup: cannot import ({e}); install async-substrate-interface==2.2.1 bittensor-core==0.1.5", flush=True)
        sys.exit(2)
    LOOP = asyncio.new_event_loop()
    asyncio.set_event_loop(LOOP)
    try:
        LOOP.run_until_complete(main())
        teardown(LOOP)
    finally:
        LOOP.close()
        shutil.rmtree(private, ignore_errors=True)
    timer.cancel()
    code = 0 if summary() == len(RESULTS) else 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
