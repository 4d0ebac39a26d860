"""Runs the unmodified Bittensor SDK 10.2.0 (async-substrate-interface 1.6.4, scalecodec 1.2.12,
bt-decode 0.8.0) against `pylon devnet`: construction and metadata, neurons, hyperparameters,
weights and bonds, metagraphs (sync and async), commitments, certificates, reads at early blocks,
and the SDK's own writes (set_weights, set_commitment) read back.

Usage: python sdk10_check.py WS_URL WALLET_DIR [--timeout SECONDS] [--hard-timeout SECONDS]

Start a fresh devnet for each run (CI uses 250 ms blocks):
    pylon devnet --port 0 --wallet-dir WALLET_DIR --block-time 250ms
WALLET_DIR is that devnet's --wallet-dir (the `devnet` wallet: validator hotkeys `snN-uidU`).

Output: one "PASS name (s): detail" or "FAIL name (s): Error: message [file:line <- sdk10_check.py:line]"
line per check, then "N passed, M failed". Every check runs even when an earlier one failed (checks
that need an earlier result say so). VERBOSE=1 adds the full traceback of each failure. Exit codes:
0 all passed, 1 a check failed, 2 usage/setup error, 3 the hard timeout fired (the message names the
running check). Each check is also bounded by --timeout (default 30 s), so a node that never answers
fails that check instead of waiting out the SDK's own retries (5 x 60 s).

No monkeypatching: every call is the SDK's own, with its defaults, except `mev_protection=False`
passed explicitly to the writes so that a BT_MEV_PROTECTION variable in the environment cannot turn
them into MEV-shield submissions (the devnet has no MevShield pallet; the SDK default is False).

Deterministic: fixed weight vectors and commitment payloads, validators chosen by rule (lowest uid
whose weights window is open), no wall-clock or random input. A write is proven to be this run's by
the block it landed in (LastUpdate / CommitmentOf.block = the inclusion block), not by a unique value.

Oracles from outside the devnet:
  README  the devnet's documented genesis (subnet table: neurons, tempo, permits, commit-reveal,
          rate limit 100 and min weights 8 on subnet 1, version key 2001000 on subnet 2)
  KEYS    sr25519 keys derived here from the documented URIs //snN-uidU, //devnet-coldkey, //coldK
  WALLET  the key files the devnet wrote into WALLET_DIR
  X-CALL  two different SDK calls answered by different node paths at the same block (runtime API vs
          storage map vs single storage read vs RPC)
  WRITE   the values this script wrote, read back
  NODE    behaviour of a real substrate/subtensor node that the SDK relies on
"""
import argparse
import asyncio
import json
import os
import signal
import sys
import threading
import time
import traceback
from fractions import Fraction

# ---- genesis as the README documents it (oracle README) ----------------------------------------------
GENESIS = {
    1: dict(n=256, tempo=360, permits=64, commit_reveal=False, rate_limit=100, min_weights=8),
    2: dict(n=64, tempo=100, permits=16, commit_reveal=True, weights_version=2001000),
    3: dict(n=16, tempo=10, permits=8, commit_reveal=False),
}
WRITE_NETUID = 3  # direct weights, tempo 10, WeightsSetRateLimit 5: a window opens within ~6 blocks
U16_MAX = 65535
# Fixed weights for the write; max 7, so no value of round(w / 7 * 65535) is a .5 tie.
WRITE_WEIGHTS = [7, 3, 5, 1, 6, 2, 4]
COMMITMENT = "sdk10-ci:commitment"
NONCE_COMMITMENT = b"sdk10-n"

ARGS = None
RESULTS = []
CURRENT = ["startup"]
CTX = {}  # shared results between checks


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


def need(key, what):
    """A result of an earlier check; fails this one, naming the missing prerequisite."""
    if key not in CTX:
        raise Failed(f"needs {what}, which an earlier check could not provide")
    return CTX[key]


def check(name):
    def wrap(fn):
        def run():
            CURRENT[0] = name
            started = time.monotonic()

            def on_alarm(*_):
                raise Timeout(f"no result within {ARGS.timeout:.0f}s (per-check --timeout)")

            signal.signal(signal.SIGALRM, on_alarm)
            signal.setitimer(signal.ITIMER_REAL, ARGS.timeout)
            try:
                detail = fn()
                signal.setitimer(signal.ITIMER_REAL, 0)
                RESULTS.append((name, True))
                print(f"PASS {name} ({time.monotonic() - started:.1f}s){': ' + detail if detail else ''}", flush=True)
                return True
            except Exception as e:  # noqa: BLE001 - every failure is reported, none stops the run
                signal.setitimer(signal.ITIMER_REAL, 0)
                RESULTS.append((name, False))
                frames = [f for f in traceback.extract_tb(e.__traceback__) if f.name != "on_alarm"]
                mine = [f for f in frames if f.filename == __file__ and f.name not in ("expect", "expect_true", "need")][-1:]
                # innermost frame, innermost SDK frame (bittensor / async_substrate_interface), this script's line
                sdk = [f for f in frames if "site-packages" in f.filename
                       and ("/bittensor/" in f.filename or "/async_substrate_interface/" in f.filename)][-1:]
                chain = frames[-1:] + [f for f in sdk + mine if f not in frames[-1:]]
                where = " <- ".join(f"{os.path.relpath(f.filename, f.filename.split('site-packages/')[0] + 'site-packages') if 'site-packages/' in f.filename else os.path.basename(f.filename)}:{f.lineno}" for f in chain)
                print(f"FAIL {name} ({time.monotonic() - started:.1f}s): {type(e).__name__}: {str(e)[:800]} [{where}]", flush=True)
                if os.environ.get("VERBOSE"):
                    traceback.print_exc()
                if isinstance(e, Timeout):
                    CTX.pop("st", None)  # the connection may be mid-request: the next check opens a new one
                return False
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        return run
    return wrap


# ---- helpers ------------------------------------------------------------------------------------------
def subtensor():
    if "st" not in CTX:
        CTX["st"] = bt.Subtensor(network=ARGS.url)
    return CTX["st"]


def ss58(uri):
    return Keypair.create_from_uri(uri).ss58_address


def wallet_hotkeys():
    """{netuid: {uid: hotkey file name}} from the key files the devnet wrote (oracle WALLET)."""
    out = {}
    folder = os.path.join(ARGS.wallet_dir, "devnet", "hotkeys")
    for f in sorted(os.listdir(folder)):
        if f.endswith("pub.txt") or not f.startswith("sn") or "-uid" not in f:
            continue
        net, uid = f[2:].split("-uid")
        out.setdefault(int(net), {})[int(uid)] = f
    return out


def wallet(hotkey_file):
    return bt.Wallet(name="devnet", hotkey=hotkey_file, path=ARGS.wallet_dir)


def expected_u16(weights):
    """The SDK's max-upscaling to u16 (bittensor.utils.weight_utils.convert_weights_and_uids_for_emit:
    round(w / max(w) * 65535), zeros dropped), computed exactly."""
    m = max(weights)
    return [round(Fraction(w, m) * U16_MAX) for w in weights]


def events(receipt):
    return [(e["event"]["module_id"], e["event"]["event_id"], e["event"]["attributes"]) for e in receipt.triggered_events]


def event_names(receipt):
    return [(m, e) for m, e, _ in events(receipt)]


def wait_blocks(st, until):
    """Waits for block `until`, bounded by the check's timeout."""
    while st.get_current_block() < until:
        time.sleep(0.1)
    return until


# ---- connection and metadata --------------------------------------------------------------------------
@check("construct: Subtensor(network=url) loads V14 (state_getMetadata) and V15 (Metadata_metadata_at_version) metadata")
def c_construct():
    st = subtensor()
    rt = st.substrate.init_runtime()
    expect_true("V14 metadata loaded", rt.metadata is not None)
    expect_true("V15 metadata loaded", rt.metadata_v15 is not None)
    expect("ss58 format (system_properties)", st.substrate.ss58_format, 42)
    return f"spec {rt.runtime_version}"


@check("metadata: V14 and V15 share type ids, AccountId32 is type 0 (NODE: one registry, as finney; the SDK decodes storage with V15 ids)")
def c_metadata_ids():
    rt = subtensor().substrate.init_runtime()
    v14 = {t["id"]: t["type"] for t in rt.metadata.value[1]["V14"]["types"]["types"]}
    v15 = {t["id"]: t["type"] for t in rt.metadata_v15.value()["types"]["types"]}
    acc = ["sp_core", "crypto", "AccountId32"]
    expect("V14 type 0 path", v14[0].get("path"), acc)
    expect("V15 type 0 path", v15[0].get("path"), acc)
    differing = [i for i in v14 if (v14[i].get("path") or []) != (v15.get(i, {}).get("path") or [])
                 or list(v14[i]["def"]) != list(v15.get(i, {}).get("def", {"?": 0}))]
    expect_true("V14 type ids mean the same in V15", not differing, f"{len(differing)} differ, first {differing[:8]}")
    wrong = []
    for p in rt.metadata.value[1]["V14"]["pallets"]:
        for e in (p.get("storage") or {}).get("entries", []):
            ty = e["type"]
            v14_id = ty["Plain"] if "Plain" in ty else ty["Map"]["value"]
            if rt.get_v15_storage_type_id(p["name"], e["name"]) != v14_id:
                wrong.append(f"{p['name']}.{e['name']}")
    expect_true("storage value type ids equal in V14 and V15", not wrong, repr(wrong[:6]))
    return f"{len(v14)} types"


@check("rpc_methods lists account_nextIndex (NODE: alias of system_accountNextIndex; the SDK's signed writes need it)")
def c_rpc_methods():
    expect_true("account_nextIndex in rpc_methods", subtensor().substrate.supports_rpc_method("account_nextIndex"))


@check("get_current_block advances and matches the head header (X-CALL chain_getHeader)")
def c_block():
    st = subtensor()
    b1 = st.get_current_block()
    expect_true("block number > 0", isinstance(b1, int) and b1 > 0, repr(b1))
    hdr = st.substrate.get_block_header()["header"]["number"]
    expect_true("head header within 2 blocks of get_current_block", abs(hdr - b1) <= 2, f"{hdr} vs {b1}")
    wait_blocks(st, b1 + 1)
    CTX["block"] = st.get_current_block()
    return f"block {b1} -> {CTX['block']}"


# ---- neurons and hyperparameters at one block ---------------------------------------------------------
def neurons_lite_check(netuid):
    @check(f"neurons_lite({netuid}): count, uids, hotkeys and coldkeys, permits (README, KEYS, WALLET)")
    def c():
        block = need("block", "the pinned block")
        g = GENESIS[netuid]
        ns = subtensor().neurons_lite(netuid=netuid, block=block)
        expect("neuron count (README)", len(ns), g["n"])
        expect("uids", [n.uid for n in ns], list(range(g["n"])))
        for n in ns:
            expect(f"uid {n.uid} hotkey (KEYS //sn{netuid}-uid{n.uid})", n.hotkey, ss58(f"//sn{netuid}-uid{n.uid}"))
            expect(f"uid {n.uid} netuid field", n.netuid, netuid)
        devnet_cold = ss58("//devnet-coldkey")
        colds = {ss58(f"//cold{k}") for k in range(24)} | {devnet_cold}
        stray = [n.uid for n in ns if n.coldkey not in colds]
        expect_true("coldkeys derive from //devnet-coldkey or //cold0..23 (KEYS)", not stray, f"uids {stray[:8]}")
        permits = sorted(n.uid for n in ns if n.validator_permit)
        expect("validator permits (README)", len(permits), g["permits"])
        expect_true("permit holders' coldkey is //devnet-coldkey (KEYS)", all(ns[u].coldkey == devnet_cold for u in permits))
        expect("permit holders vs hotkey files in WALLET_DIR (WALLET)", permits, sorted(wallet_hotkeys().get(netuid, {})))
        for u, fname in wallet_hotkeys().get(netuid, {}).items():
            expect(f"wallet file {fname} vs chain hotkey (WALLET)", wallet(fname).hotkey.ss58_address, ns[u].hotkey)
        CTX[("lite", netuid)] = ns
        return f"{len(ns)} neurons, {len(permits)} permits"
    return c


@check("neurons(1) agrees with neurons_lite(1) (X-CALL get_neurons vs get_neurons_lite); validators have weights (README)")
def c_neurons():
    block = need("block", "the pinned block")
    ns = subtensor().neurons(netuid=1, block=block)
    expect("neuron count (README)", len(ns), 256)
    lite = need(("lite", 1), "neurons_lite(1)")
    for a, b in zip(ns, lite):
        expect(f"uid {a.uid} (uid, hotkey, coldkey, permit, last_update)",
               (a.uid, a.hotkey, a.coldkey, a.validator_permit, a.last_update),
               (b.uid, b.hotkey, b.coldkey, b.validator_permit, b.last_update))
        expect(f"uid {a.uid} stake", a.stake.rao, b.stake.rao)
    no_weights = [n.uid for n in ns if n.validator_permit and not n.weights]
    expect_true("every permit holder has weights (README)", not no_weights, f"uids {no_weights[:8]}")
    CTX["full1"] = ns
    return f"{sum(1 for n in ns if n.weights)} neurons with weights"


def hyper_check(netuid):
    @check(f"get_subnet_hyperparameters({netuid}) vs README and storage (README, X-CALL Tempo/WeightsSetRateLimit/CommitRevealWeightsEnabled)")
    def c():
        block = need("block", "the pinned block")
        st = subtensor()
        g = GENESIS[netuid]
        h = st.get_subnet_hyperparameters(netuid, block=block)
        expect_true("hyperparameters returned", h is not None)
        expect("tempo (README)", h.tempo, g["tempo"])
        expect("commit_reveal_weights_enabled (README)", h.commit_reveal_weights_enabled, g["commit_reveal"])
        if "rate_limit" in g:
            expect("weights_rate_limit (README)", h.weights_rate_limit, g["rate_limit"])
        if "min_weights" in g:
            expect("min_allowed_weights (README)", h.min_allowed_weights, g["min_weights"])
        if "weights_version" in g:
            expect("weights_version (README)", h.weights_version, g["weights_version"])
        expect("Tempo storage vs runtime API (X-CALL)", st.tempo(netuid, block=block), h.tempo)
        expect("WeightsSetRateLimit storage vs runtime API (X-CALL)", st.weights_rate_limit(netuid, block=block), h.weights_rate_limit)
        expect("CommitRevealWeightsEnabled storage vs runtime API (X-CALL)", st.commit_reveal_enabled(netuid, block=block), h.commit_reveal_weights_enabled)
        CTX[("hyper", netuid)] = h
        return f"tempo {h.tempo}, rate limit {h.weights_rate_limit}"
    return c


@check("weights(1) storage map agrees with get_neurons weights (X-CALL Weights map vs runtime API)")
def c_weights():
    block = need("block", "the pinned block")
    rows = dict(subtensor().weights(1, block=block))
    expect_true("some weights rows (README: weights from every validator)", rows)
    for uid, pairs in rows.items():
        expect_true(f"uid {uid} in range", 0 <= uid < 256)
        dests = [d for d, _ in pairs]
        expect(f"uid {uid} dests sorted and unique", dests, sorted(set(dests)))
        expect_true(f"uid {uid} pairs in range", all(0 <= d < 256 and 0 < v <= U16_MAX for d, v in pairs), repr(pairs[:4]))
    full = need("full1", "neurons(1)")
    from_api = {n.uid: [tuple(p) for p in n.weights] for n in full if n.weights}
    expect("Weights rows vs get_neurons", {u: [tuple(p) for p in v] for u, v in rows.items()}, from_api)
    CTX["w_rows"] = rows
    return f"{len(rows)} rows"


@check("bonds(1) storage map agrees with get_neurons bonds (X-CALL Bonds map vs runtime API)")
def c_bonds():
    block = need("block", "the pinned block")
    rows = dict(subtensor().bonds(1, block=block))
    expect_true("some bonds rows (README: bonds from every validator)", rows)
    full = need("full1", "neurons(1)")
    from_api = {n.uid: [tuple(p) for p in n.bonds] for n in full if n.bonds}
    expect("Bonds rows vs get_neurons", {u: [tuple(p) for p in v] for u, v in rows.items()}, from_api)
    return f"{len(rows)} rows"


# ---- early blocks ------------------------------------------------------------------------------------
@check("early blocks answer: block 1 (before any epoch) via get_metagraph_info, neurons_lite, hyperparameters, metagraph (README, KEYS, X-CALL)")
def c_early_blocks():
    st = subtensor()
    info = st.get_metagraph_info(1, block=1)
    expect_true("get_metagraph_info(1, block=1) returned", info is not None)
    expect("metagraph info block", info.block, 1)
    expect("metagraph info tempo (README)", info.tempo, 360)
    expect("metagraph info num_uids (README)", info.num_uids, 256)
    expect_true("last_step not after block 1", info.last_step <= 1, repr(info.last_step))
    expect("metagraph info hotkeys (KEYS)", list(info.hotkeys), [ss58(f"//sn1-uid{u}") for u in range(256)])
    ns = st.neurons_lite(netuid=3, block=1)
    expect("neurons_lite(3, block=1) hotkeys (KEYS)", [n.hotkey for n in ns], [ss58(f"//sn3-uid{u}") for u in range(16)])
    expect("permits at block 1 (README)", sum(n.validator_permit for n in ns), 8)
    expect("get_subnet_hyperparameters(3, block=1).tempo (README)", st.get_subnet_hyperparameters(3, block=1).tempo, 10)
    mg = st.metagraph(3, lite=True, block=1)
    expect("metagraph(3, block=1).n (README)", int(mg.n), 16)
    expect("metagraph(3, block=1).block", int(mg.block), 1)
    expect("metagraph(3, block=1) hotkeys vs neurons_lite (X-CALL)", list(mg.hotkeys), [n.hotkey for n in ns])
    return f"subnet 1 last_step {info.last_step}"


# ---- metagraphs ---------------------------------------------------------------------------------------
@check("metagraph(1, lite=True) agrees with neurons_lite and README (X-CALL selective metagraph vs get_neurons_lite)")
def c_mg_lite():
    block = need("block", "the pinned block")
    mg = subtensor().metagraph(1, lite=True, block=block)
    expect("n (README)", int(mg.n), 256)
    expect("block", int(mg.block), block)
    expect("netuid", mg.netuid, 1)
    expect("permits (README)", int(mg.validator_permit.sum()), 64)
    expect("tempo (README)", mg.tempo, 360)
    expect("num_uids", mg.num_uids, 256)
    lite = need(("lite", 1), "neurons_lite(1)")
    expect("hotkeys (X-CALL neurons_lite)", list(mg.hotkeys), [n.hotkey for n in lite])
    expect("coldkeys (X-CALL neurons_lite)", list(mg.coldkeys), [n.coldkey for n in lite])
    expect("last_update (X-CALL neurons_lite)", [int(x) for x in mg.last_update], [n.last_update for n in lite])
    for i, n in enumerate(lite):
        expect_true(f"uid {i} alpha_stake vs neurons_lite stake (X-CALL)",
                    abs(float(mg.alpha_stake[i]) - n.stake.tao) <= 1e-3 * max(1.0, n.stake.tao),
                    f"{mg.alpha_stake[i]} vs {n.stake.tao}")
    expect_true("subnet name", isinstance(mg.name, str) and mg.name, repr(mg.name))
    return f"name {mg.name!r}"


@check("metagraph(1, lite=False): W rows proportional to weights(1) (X-CALL)")
def c_mg_full():
    block = need("block", "the pinned block")
    mg = subtensor().metagraph(1, lite=False, block=block)
    expect("W shape", tuple(mg.W.shape), (256, 256))
    expect("B shape", tuple(mg.B.shape), (256, 256))
    rows = need("w_rows", "weights(1)")
    for uid, pairs in rows.items():
        top = max(v for _, v in pairs)
        wmax = float(max(mg.W[uid]))
        expect_true(f"W row {uid} not empty", wmax > 0)
        for d, v in pairs:
            expect_true(f"W[{uid}][{d}] proportional to {v}", abs(float(mg.W[uid][d]) / wmax - v / top) < 1e-3)
        expect(f"W row {uid} support", {i for i, x in enumerate(mg.W[uid]) if x}, {d for d, _ in pairs})
    return f"{len(rows)} rows"


# ---- commitments and certificates ---------------------------------------------------------------------
@check("get_all_commitments(1): JSON Raw fields of subnet-1 hotkeys; get_commitment agrees (README, KEYS, X-CALL)")
def c_commitments():
    block = need("block", "the pinned block")
    st = subtensor()
    got = st.get_all_commitments(1, block=block)
    expect_true("some commitments (README: commitments on each subnet)", got)
    hotkeys = {ss58(f"//sn1-uid{u}"): u for u in range(256)}
    for hk, text in got.items():
        expect_true(f"{hk} is a subnet-1 hotkey (KEYS)", hk in hotkeys)
        if not text.startswith("sdk10-"):  # writes of earlier runs on a reused devnet
            try:
                json.loads(text)
            except ValueError:
                raise Failed(f"commitment of {hk} is not JSON (README): {text[:60]!r}")
    hk, text = sorted(got.items())[0]
    expect(f"get_commitment(1, uid {hotkeys[hk]}) (X-CALL single storage read)", st.get_commitment(1, hotkeys[hk], block=block), text)
    CTX["commitments1"] = got
    return f"{len(got)} commitments"


@check("get_all_neuron_certificates(1): Ed25519 certificates of subnet-1 hotkeys; get_neuron_certificate agrees (README, KEYS, X-CALL)")
def c_certs():
    block = need("block", "the pinned block")
    st = subtensor()
    got = st.get_all_neuron_certificates(1, block=block)
    expect_true("some certificates (README: Ed25519 certificates)", got)
    hotkeys = {ss58(f"//sn1-uid{u}") for u in range(256)}
    for hk, cert in got.items():
        expect_true(f"{hk} is a subnet-1 hotkey (KEYS)", hk in hotkeys)
        expect(f"{hk} certificate length (algorithm byte + 32-byte key)", len(cert), 33)
        expect(f"{hk} certificate algorithm (1 = ed25519)", ord(cert[0]), 1)
    hk = sorted(got)[0]
    expect("get_neuron_certificate (single storage read)", st.get_neuron_certificate(hk, 1, block=block), got[hk])
    without = sorted(hotkeys - set(got))
    if without:
        expect("get_neuron_certificate of a hotkey without one", st.get_neuron_certificate(without[0], 1, block=block), None)
    return f"{len(got)} certificates"


# ---- async client -------------------------------------------------------------------------------------
@check("AsyncSubtensor: same answers as the sync client at the same block (X-CALL)")
def c_async():
    block = need("block", "the pinned block")
    lite = need(("lite", 1), "neurons_lite(1)")

    async def go():
        async with bt.AsyncSubtensor(network=ARGS.url) as a:
            ns = await a.neurons_lite(netuid=1, block=block)
            expect("neurons_lite hotkeys", [n.hotkey for n in ns], [n.hotkey for n in lite])
            h = await a.get_subnet_hyperparameters(1, block=block)
            expect("hyperparameters tempo (README)", h.tempo, 360)
            if "commitments1" in CTX:
                expect("get_all_commitments", await a.get_all_commitments(1, block=block), CTX["commitments1"])
            if "w_rows" in CTX:
                expect("weights", dict(await a.weights(1, block=block)), CTX["w_rows"])
            mg = await a.metagraph(1, lite=True, block=block)
            expect("metagraph n", int(mg.n), 256)
            expect("metagraph hotkeys", list(mg.hotkeys), [n.hotkey for n in lite])
            expect_true("certificates", await a.get_all_neuron_certificates(1, block=block))

    # bounded inside the loop, so a stuck request ends the coroutine cleanly before the check's alarm
    asyncio.run(asyncio.wait_for(go(), max(1.0, ARGS.timeout - 2)))


# ---- writes -------------------------------------------------------------------------------------------
def pick_writer():
    """The lowest-uid validator on WRITE_NETUID with the smallest LastUpdate (deterministic)."""
    if "writer" not in CTX:
        st = subtensor()
        files = wallet_hotkeys().get(WRITE_NETUID, {})
        expect_true(f"hotkey files for subnet {WRITE_NETUID} in WALLET_DIR", files)
        last = st.get_hyperparameter("LastUpdate", WRITE_NETUID)
        uid = min(files, key=lambda u: (int(last[u]), u))
        CTX["writer"] = (uid, files[uid])
    return CTX["writer"]


@check(f"set_weights on subnet {WRITE_NETUID}: SDK reports success, WeightsSet event, read back from Weights, get_neurons, metagraph W and LastUpdate (WRITE, X-CALL)")
def c_set_weights():
    st = subtensor()
    uid, fname = pick_writer()
    w = wallet(fname)
    expect("get_uid_for_hotkey_on_subnet (WALLET)", st.get_uid_for_hotkey_on_subnet(w.hotkey.ss58_address, WRITE_NETUID), uid)
    n = GENESIS[WRITE_NETUID]["n"]
    dests = [d for d in range(n) if d != uid][:len(WRITE_WEIGHTS)]
    want = list(zip(dests, expected_u16(WRITE_WEIGHTS)))
    # The SDK only submits while blocks_since_last_update > weights_rate_limit (its own pre-check;
    # otherwise it returns success=False without submitting). Wait for that window.
    rate = st.weights_rate_limit(WRITE_NETUID)
    expect_true(f"weights rate limit on subnet {WRITE_NETUID} is short", rate is not None and rate <= 20, repr(rate))
    while st.blocks_since_last_update(WRITE_NETUID, uid) <= rate:
        time.sleep(0.1)
    r = st.set_weights(wallet=w, netuid=WRITE_NETUID, uids=dests, weights=WRITE_WEIGHTS,
                       wait_for_inclusion=True, wait_for_finalization=True, mev_protection=False)
    expect_true("set_weights success", r.success, f"message {r.message!r}, error {r.error!r}")
    expect("set_weights message", r.message, "Success")
    receipt = r.extrinsic_receipt
    evs = events(receipt)
    expect_true("WeightsSet event", any((m, e) == ("SubtensorModule", "WeightsSet") for m, e, _ in evs), repr(event_names(receipt)))
    expect_true("ExtrinsicSuccess event", ("System", "ExtrinsicSuccess") in event_names(receipt), repr(event_names(receipt)))
    included = st.substrate.get_block_number(receipt.block_hash)
    expect("Weights storage at the inclusion block", [tuple(p) for p in dict(st.weights(WRITE_NETUID, block=included)).get(uid, [])], want)
    at = st.neurons(WRITE_NETUID, block=included)[uid]
    expect("get_neurons weights at the inclusion block (X-CALL)", [tuple(p) for p in at.weights], want)
    expect("LastUpdate = inclusion block (proves this run's write)", at.last_update, included)
    expect("blocks_since_last_update at the inclusion block", st.blocks_since_last_update(WRITE_NETUID, uid, block=included), 0)
    mg = st.metagraph(WRITE_NETUID, lite=False, block=included)
    row = [float(x) for x in mg.W[uid]]
    expect("metagraph W row support (X-CALL)", {i for i, x in enumerate(row) if x}, set(dests))
    for d, v in want:
        expect_true(f"metagraph W[{uid}][{d}] proportional to {v} (X-CALL)", abs(row[d] / max(row) - v / U16_MAX) < 1e-3)
    return f"{fname} (uid {uid}) in block {included}: {want}"


@check(f"set_commitment on subnet {WRITE_NETUID}: SDK reports success, Commitment event, read back by get_commitment, get_all_commitments and CommitmentOf (WRITE)")
def c_set_commitment():
    st = subtensor()
    uid, fname = pick_writer()
    w = wallet(fname)
    hk = w.hotkey.ss58_address
    r = st.set_commitment(wallet=w, netuid=WRITE_NETUID, data=COMMITMENT, mev_protection=False)
    expect_true("set_commitment success", r.success, f"message {r.message!r}, error {r.error!r}")
    expect_true("Commitment event", ("Commitments", "Commitment") in event_names(r.extrinsic_receipt), repr(event_names(r.extrinsic_receipt)))
    included = st.substrate.get_block_number(r.extrinsic_receipt.block_hash)
    expect("get_commitment (uid via metagraph, then CommitmentOf)", st.get_commitment(WRITE_NETUID, uid), COMMITMENT)
    expect("get_all_commitments[hotkey] (query_map)", st.get_all_commitments(WRITE_NETUID).get(hk), COMMITMENT)
    meta = st.get_commitment_metadata(WRITE_NETUID, hk, block=included)
    expect("CommitmentOf.block = inclusion block (proves this run's write)", meta["block"], included)
    expect("CommitmentOf field variant", list(meta["info"]["fields"][0][0]), [f"Raw{len(COMMITMENT)}"])
    return f"{fname} in block {included}: {COMMITMENT!r}"


NONCE_ROUNDS = 8


@check("account_nextIndex counts a pending transaction and never goes back while it is included (NODE: substrate's ready pool)")
def c_pending_nonce():
    # A node answers system_accountNextIndex from the best block's nonce plus the ready pool, and a
    # transaction leaves the pool only once the block holding it is the best block, so the answer
    # never drops below n+1 after a transaction with nonce n was accepted. The SDK signs with it
    # (Subtensor.sign_and_send_extrinsic(use_nonce=True)). Polled through each inclusion, over up
    # to NONCE_ROUNDS blocks (a devnet that answered n for a moment while building a block was caught in ~75% of
    # blocks, so 8 rounds miss it with probability ~1e-5).
    st = subtensor()
    writer = pick_writer()[0]
    files = wallet_hotkeys().get(WRITE_NETUID, {})
    others = [u for u in sorted(files) if u != writer]
    expect_true("a second validator hotkey file", others)
    kp = wallet(files[others[0]]).hotkey
    s = st.substrate
    polls = 0
    for k in range(NONCE_ROUNDS):
        payload = NONCE_COMMITMENT + bytes([k])
        call = s.compose_call("Commitments", "set_commitment",
                              {"netuid": WRITE_NETUID, "info": {"fields": [[{f"Raw{len(payload)}": "0x" + payload.hex()}]]}})
        n0 = s.get_account_next_index(kp.ss58_address)
        s.submit_extrinsic(s.create_signed_extrinsic(call=call, keypair=kp, nonce=n0), wait_for_inclusion=False, wait_for_finalization=False)
        expect(f"round {k}: next index right after submitting nonce {n0}", s.get_account_next_index(kp.ss58_address), n0 + 1)
        submitted_at = st.get_current_block()
        while True:
            got = s.get_account_next_index(kp.ss58_address)
            polls += 1
            expect(f"round {k}: next index while the transaction with nonce {n0} is being included (poll {polls})", got, n0 + 1)
            if polls % 25 == 0 and st.get_current_block() >= submitted_at + 2:
                break
    expect("state nonce (AccountNonceApi) after the last inclusion", s.get_account_nonce(kp.ss58_address), n0 + 1)
    return f"{NONCE_ROUNDS} transactions, {polls} polls, nonce -> {n0 + 1}"


@check("get_extrinsic_fee (TransactionPaymentApi.query_info) = payment_queryInfo partialFee (X-CALL)")
def c_fee():
    st = subtensor()
    kp = wallet(pick_writer()[1]).hotkey
    call = st.substrate.compose_call("Commitments", "set_commitment",
                                     {"netuid": WRITE_NETUID, "info": {"fields": [[{"Raw7": "0x" + b"sdk10-f".hex()}]]}})
    fee = st.get_extrinsic_fee(call=call, keypair=kp)
    expect_true("a Balance >= 0", isinstance(fee, Balance) and fee.rao >= 0, repr(fee))
    xt = st.substrate.create_signed_extrinsic(call=call, keypair=kp)
    answer = st.substrate.rpc_request("payment_queryInfo", [str(xt.data)])
    expect_true("payment_queryInfo answered", "result" in answer, repr(answer)[:200])
    partial = answer["result"]["partialFee"]
    partial = int(partial, 16) if isinstance(partial, str) and partial.startswith("0x") else int(partial)
    expect("fee vs payment_queryInfo partialFee (X-CALL RPC vs runtime API)", fee.rao, partial)
    return f"{fee}"


CHECKS = ([c_construct, c_metadata_ids, c_rpc_methods, c_block]
          + [neurons_lite_check(n) for n in (1, 2, 3)]
          + [c_neurons] + [hyper_check(n) for n in (1, 2, 3)]
          + [c_weights, c_bonds, c_early_blocks, c_mg_lite, c_mg_full, c_commitments, c_certs, c_async,
             c_set_weights, c_set_commitment, c_pending_nonce, c_fee])


def summary():
    """The failed checks, the run time, then the closing line "N passed, M failed" alone."""
    passed = sum(ok for _, ok in RESULTS)
    for name, ok in RESULTS:
        if not ok:
            print(f"  failed: {name}", flush=True)
    print(f"run time {time.monotonic() - STARTED:.1f}s against {ARGS.url}", flush=True)
    print(f"{passed} passed, {len(RESULTS) - passed} failed", flush=True)
    return passed


def main():
    if not c_construct():
        summary()
        return 1
    for run in CHECKS[1:]:
        run()
    return 0 if summary() == len(RESULTS) else 1


def watchdog():
    print(f"FAIL timeout: no result after {ARGS.hard_timeout:.0f}s (--hard-timeout), stuck in check \"{CURRENT[0]}\"", flush=True)
    RESULTS.append(("hard timeout", False))
    summary()
    os._exit(3)


STARTED = time.monotonic()

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("wallet_dir")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per check")
    parser.add_argument("--hard-timeout", type=float, default=180.0, help="seconds for the whole run")
    ARGS = parser.parse_args()
    if not os.path.isdir(os.path.join(ARGS.wallet_dir, "devnet", "hotkeys")):
        print(f"usage: {ARGS.wallet_dir}/devnet/hotkeys does not exist (pass the devnet's --wallet-dir)", flush=True)
        sys.exit(2)
    timer = threading.Timer(ARGS.hard_timeout, watchdog)
    timer.daemon = True
    timer.start()
    CURRENT[0] = "import bittensor"
    try:
        import bittensor as bt
        from bittensor.utils.balance import Balance
        from bittensor_wallet import Keypair
    except ImportError as e:
        print(f"usage: cannot import the SDK ({e}); install requirements-sdk10.txt", flush=True)
        sys.exit(2)
    if bt.__version__ != "10.2.0":
        print(f"NOTE bittensor {bt.__version__} is installed; these checks were written for 10.2.0", flush=True)
    sys.exit(main())
