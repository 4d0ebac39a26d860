"""Runs the unmodified Bittensor SDK 11.3.0 (`bittensor.Client`, `bittensor.Subtensor`) against
`pylon devnet`: connect, chain basics, neurons, metagraph, hyperparameters, commitments, epochs, a
head subscription, and the SDK's own writes (set_weights, set_commitment, a commit-reveal commit)
applied and read back -- the operations of issue #10.

Usage: python sdk11_check.py WS_URL WALLET_DIR [--block-time SECONDS] [--timeout SECONDS]
                             [--hard-timeout SECONDS]

Start a fresh devnet for each run (CI uses 250 ms blocks):
    pylon devnet --port 0 --wallet-dir WALLET_DIR --block-time 250ms
WALLET_DIR is that devnet's --wallet-dir (the `devnet` wallet: validator hotkeys `snN-uidU`);
--block-time is the devnet's --block-time in seconds (default 0.25).

Output: one "PASS name (s): detail" or "FAIL name (s): Error: message [file:line <- sdk11_check.py:line]"
line per check, then "N passed, M failed". Every check runs even when an earlier one failed (a check
that needs an earlier result says so). VERBOSE=1 adds the full traceback of each failure.
Exit codes: 0 all passed, 1 a check failed, 2 usage/setup error, 3 the hard timeout fired (the
message names the running check and prints every thread's stack and the pending asyncio tasks).
Each check is bounded by --timeout (default 30 s) without waiting for the SDK to honour the
cancellation (its close() swallows CancelledError), so a node that never answers fails that check
instead of waiting out the SDK's own retries (5 x 60 s).

No monkeypatching, no proxy: every call is the SDK's own with its defaults. The SDK keeps a disk
cache of runtime metadata keyed by (genesis hash, spec version) in ~/.bittensor/runtime-cache; this
script points BITTENSOR_RUNTIME_CACHE_DIR (and BTCLI_TOKEN_SYMBOLS_CACHE) at a fresh temporary
directory, so runs are independent of each other and of the user's cache, and checks that the SDK
wrote its cache there.

Deterministic: fixed weight vectors and commitment payloads, validators chosen by rule (lowest uid
with the smallest LastUpdate), no wall-clock or random input. A write is proven to be this run's by
the block it landed in (LastUpdate / CommitmentOf.block / commit block = the inclusion block).

Not a devnet gap: SDK 11 encrypts commit-reveal commits to drand quicknet, whose key the devnet does
not have, so such a commit is stored but never revealed (README). Only the stored commit is checked.

Oracles from outside the devnet:
  README  the devnet's documented genesis and behaviour (subnet table: neurons, tempo, permits,
          commit-reveal, rate limits 100/5, min weights 8, version key 2001000; spec version 400;
          Aura.SlotDuration = block time; Timestamp.Now(n) = genesis + n block times, 0 at block 0;
          finality lag 2; an epoch every `tempo` blocks after LastEpochBlock; LastUpdate moves only
          when a validator sets or commits weights; every executed call is Pays::No (fee 0) and
          emits TransactionFeePaid; commitments are Raw fields holding JSON)
  KEYS    sr25519 keys derived here from the documented URIs //snN-uidU, //devnet-coldkey, //coldK
  WALLET  the key files the devnet wrote into WALLET_DIR
  FINNEY  finney's constant values (Balances.ExistentialDeposit = 500 rao)
  RULE    subtensor's documented weight handling: the SDK's round(w / max * 65535), then the chain's
          max-upscale (a no-op when the max is already 65535), computed exactly here
  X-CALL  two different SDK calls answered by different node paths (runtime API vs storage map vs
          single storage read vs subscription vs RPC)
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

# ---- genesis as the README documents it (oracle README) ----------------------------------------------
GENESIS = {
    1: dict(n=256, tempo=360, permits=64, commit_reveal=False, rate_limit=100, min_weights=8),
    2: dict(n=64, tempo=100, permits=16, commit_reveal=True, weights_version=2001000),
    3: dict(n=16, tempo=10, permits=8, commit_reveal=False, rate_limit=5),
}
SPEC_VERSION = 400          # README: the default runtime reports spec version 400
FINALITY_LAG = 2            # README: --finality-lag default
EXISTENTIAL_DEPOSIT = 500   # FINNEY: Balances.ExistentialDeposit (the devnet serves finney's constants)
WRITE_NETUID = 3            # direct weights, tempo 10, WeightsSetRateLimit 5
CR_NETUID = 2               # commit-reveal on, version key 2001000
U16_MAX = 65535
# Fixed weights for the write: max 7, so no round(w / 7 * 65535) is a .5 tie.
WRITE_WEIGHTS = [7, 3, 5, 1, 6, 2, 4]
CR_WEIGHTS = [4, 1, 3, 2]
COMMITMENT = "sdk11-ci:commitment"

ARGS = None
RESULTS = []
CURRENT = ["startup"]
CTX = {}  # results shared between checks
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
    """A result of an earlier check; fails this one, naming the missing prerequisite."""
    if key not in CTX:
        raise Failed(f"needs {what}, which an earlier check could not provide")
    return CTX[key]


def where(e):
    """innermost frame, innermost SDK frame, this script's line"""
    frames = traceback.extract_tb(e.__traceback__)
    mine = [f for f in frames if f.filename == __file__ and f.name not in ("expect", "expect_true", "need")][-1:]
    sdk = [f for f in frames if "site-packages" in f.filename and "/bittensor/" in f.filename][-1:]
    chain = frames[-1:] + [f for f in sdk + mine if f not in frames[-1:]]

    def short(f):
        if "site-packages/" in f.filename:
            return f"{f.filename.split('site-packages/')[1]}:{f.lineno}"
        return f"{os.path.basename(f.filename)}:{f.lineno}"
    return " <- ".join(short(f) for f in chain)


def check(name):
    def wrap(fn):
        async def run():
            CURRENT[0] = name
            started = time.monotonic()
            task = asyncio.ensure_future(fn())
            # Not asyncio.wait_for: it waits for the cancelled task to finish, and SDK code that
            # swallows CancelledError would then hang the whole run.
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
            except BaseException as e:  # noqa: BLE001 - every failure is reported, none stops the run
                if isinstance(e, (KeyboardInterrupt, SystemExit)):
                    raise
                RESULTS.append((name, False))
                msg = str(e) or repr(e)
                print(f"FAIL {name} ({time.monotonic() - started:.1f}s): {type(e).__name__}: {msg[:800]} [{where(e)}]", flush=True)
                if os.environ.get("VERBOSE"):
                    traceback.print_exception(e)
                return False
        run.check_name = name
        return run
    return wrap


def describe_task(task):
    """Where a pending task is suspended (innermost frames of its coroutine chain)."""
    coro, out = task.get_coro(), []
    while coro is not None:
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "ag_frame", None) or getattr(coro, "gi_frame", None)
        if frame is not None:
            fn = frame.f_code.co_filename
            fn = fn.split("site-packages/")[1] if "site-packages/" in fn else os.path.basename(fn)
            out.append(f"{fn}:{frame.f_lineno}")
        coro = getattr(coro, "cr_await", None) or getattr(coro, "ag_await", None) or getattr(coro, "gi_yieldfrom", None)
    return " -> ".join(out[-3:]) or repr(task)


# ---- helpers --------------------------------------------------------------------------------------------
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
    return Wallet(name="devnet", hotkey=hotkey_file, path=ARGS.wallet_dir)


def expected_u16(weights):
    """RULE: the SDK's round(w / max * 65535) (bittensor/intents/weights.py normalize), then the
    chain's max-upscale, which keeps a row whose max is 65535 unchanged; computed exactly."""
    m = max(weights)
    return [round(Fraction(w, m) * U16_MAX) for w in weights]


def client():
    return CTX["client"]


def event_names(res):
    return [(e.get("module_id"), e.get("event_id")) for e in res.events]


def inclusion_block(res):
    expect_true("extrinsic_id 'block-index' in the result", res.extrinsic_id and "-" in res.extrinsic_id, repr(res.extrinsic_id))
    return int(res.extrinsic_id.split("-")[0])


async def pick_writer(netuid):
    """The lowest-uid wallet validator on `netuid` with the smallest LastUpdate (deterministic)."""
    key = f"writer{netuid}"
    if key not in CTX:
        files = wallet_hotkeys().get(netuid, {})
        expect_true(f"hotkey files for subnet {netuid} in WALLET_DIR", files)
        last = await client().query(st.LastUpdate, [netuid])
        uid = min(files, key=lambda u: (int(last[u]), u))
        CTX[key] = (uid, files[uid])
    return CTX[key]


async def wait_weights_window(netuid, uid, rate):
    """Waits until subtensor's rate limit lets `uid` set weights: LastUpdate 0 (never set) or
    head - LastUpdate >= rate (the SDK's pre-check at the head; the chain checks the next block)."""
    c = client()
    while True:
        head = await c.block()
        last = int((await c.query(st.LastUpdate, [netuid]))[uid])
        if last == 0 or head - last >= rate:
            return last
        await asyncio.sleep(ARGS.block_time / 2)


# ---- connection -----------------------------------------------------------------------------------------
@check("connect: Client.connect (V15 metadata, TokenSymbol scan); spec 400 (README); metadata cached in the private dir")
async def c_connect():
    c = bt.Client(ARGS.url, fallback_endpoints=[], archive_endpoints=[])
    await c.connect()
    CTX["client"] = c
    spec = await c.spec_version()
    expect("spec_version (README)", spec, SPEC_VERSION)
    syms = c.token_symbols
    expect("netuids with a TokenSymbol", sorted(k for k in syms if k in GENESIS), [1, 2, 3])
    cached = sorted(os.listdir(CTX["cache_dir"])) if os.path.isdir(CTX["cache_dir"]) else []
    expect_true(f"metadata cache file md1-*-{SPEC_VERSION}.bin in the private BITTENSOR_RUNTIME_CACHE_DIR",
                any(f.startswith("md1-") and f.endswith(f"-{SPEC_VERSION}.bin") for f in cached), repr(cached))
    return f"spec {spec}, token symbols {dict(sorted(syms.items()))}"


@check("chain: block/finalized (lag 2), Timestamp.Now = n block times (0 at block 0), block_info agrees, Aura.SlotDuration = --block-time (README, X-CALL)")
async def c_chain():
    c = client()
    await c.wait_for_block(FINALITY_LAG + 4, timeout=ARGS.timeout / 2)  # a fresh devnet: enough blocks
    b, f = await c.block(), await c.finalized_block()
    expect_true(f"best - finalized = {FINALITY_LAG} +- 1 (README --finality-lag)", FINALITY_LAG - 1 <= b - f <= FINALITY_LAG + 1, f"best {b} finalized {f}")
    expect("Timestamp.Now at block 0 (README: 0 at genesis)", int(await c.query(bt.storage.Timestamp.Now, block=0)), 0)
    t_b, t_a = await c.timestamp(b), await c.timestamp(b - 4)
    expect("Timestamp.Now(b) - Timestamp.Now(b-4) (README: n block times)", round((t_b - t_a).total_seconds() * 1000), round(4 * ARGS.block_time * 1000))
    info = await c.block_info(b)
    expect("block_info number", info.number, b)
    expect("block_info timestamp (Timestamp.set inherent) vs Timestamp.Now storage (X-CALL)", info.timestamp, t_b)
    bt_s = await c.block_time()
    expect("block_time() (Aura.SlotDuration, README = --block-time)", bt_s, ARGS.block_time)
    return f"best {b}, finalized {f}, block time {bt_s}s"


@check("constants: Balances.ExistentialDeposit = 500 (FINNEY), SubtensorModule.InitialStartCallDelay is an int")
async def c_constants():
    c = client()
    ed = await c.constant(bt.constants.Balances.ExistentialDeposit)
    expect("Balances.ExistentialDeposit", ed, EXISTENTIAL_DEPOSIT)
    delay = await c.constant(bt.constants.SubtensorModule.InitialStartCallDelay)
    expect_true("SubtensorModule.InitialStartCallDelay is an int", isinstance(delay, int), repr(delay))
    return f"ED {ed}, InitialStartCallDelay {delay}"


# ---- neurons / metagraph ----------------------------------------------------------------------------------
def neurons_check(netuid):
    @check(f"neurons({netuid}) (get_neurons_lite): count, uids, hotkeys //sn{netuid}-uidU, coldkeys, permits = wallet files (README, KEYS, WALLET)")
    async def run():
        c, g = client(), GENESIS[netuid]
        ns = await c.neurons.neurons(netuid=netuid)
        expect("neuron count (README)", len(ns), g["n"])
        expect("uids", [n.uid for n in ns], list(range(g["n"])))
        bad = [n.uid for n in ns if n.hotkey != ss58(f"//sn{netuid}-uid{n.uid}")]
        expect("uids whose hotkey is not //snN-uidU (KEYS)", bad, [])
        permits = sorted(n.uid for n in ns if n.validator_permit)
        expect("validator permits (README)", len(permits), g["permits"])
        expect("permit uids = hotkey files snN-uidU in WALLET_DIR (README, WALLET)", permits, sorted(wallet_hotkeys().get(netuid, {})))
        cold = ss58("//devnet-coldkey")
        expect("validators whose coldkey is not //devnet-coldkey (KEYS)", [n.uid for n in ns if n.validator_permit and n.coldkey != cold], [])
        # Neurons run by the devnet wallet without a permit (not among the top stakers) keep its
        # coldkey; the others are miners.
        owners = {cold} | {ss58(f"//cold{k}") for k in range(24)}
        expect("neurons whose coldkey is neither //devnet-coldkey nor one of //cold0..//cold23 (KEYS)", [n.uid for n in ns if n.coldkey not in owners], [])
        CTX[f"lite{netuid}"] = ns
        return f"{len(ns)} neurons, {len(permits)} permits"
    return run


@check("neurons(1, lite=False) (get_neurons) agrees with lite; every validator has weights and bonds (X-CALL, README)")
async def c_neurons_full():
    lite = need("lite1", "neurons(1)")
    full = await client().neurons.neurons(netuid=1, lite=False)
    expect("hotkeys full vs lite", [n.hotkey for n in full], [n.hotkey for n in lite])
    expect("stakes full vs lite", [n.total_stake.rao for n in full], [n.total_stake.rao for n in lite])
    expect("permits full vs lite", [n.validator_permit for n in full], [n.validator_permit for n in lite])
    expect("validators without weights (README: weights and bonds from every validator)",
           [n.uid for n in full if n.validator_permit and not n.raw.get("weights")], [])
    expect("validators without bonds (README)", [n.uid for n in full if n.validator_permit and not n.raw.get("bonds")], [])
    return f"{len(full)} full neurons"


@check("weights(1)/bonds(1) storage maps agree with get_neurons rows (X-CALL Weights/Bonds maps vs runtime API)")
async def c_weights_read():
    c = client()
    b = await c.block()
    w = await c.weights.weights(1, block=b)
    full = {n.uid: n for n in await c.neurons.neurons(netuid=1, lite=False, block=b)}
    rows = 0
    for uid, row in w.items():
        raw = full[uid].raw.get("weights") or []
        total = sum(int(v) for _, v in raw)
        want = {int(d): int(v) / total for d, v in raw} if total else {}
        expect_true(f"weights row of uid {uid} (map vs get_neurons)", set(row) == set(want) and all(abs(row[d] - want[d]) < 1e-12 for d in row), f"{row} vs {want}")
        rows += 1
    expect("validators with a weights row", sorted(u for u, r in w.items() if r), sorted(u for u, n in full.items() if n.raw.get("weights")))
    bonds = await c.weights.bonds(1, block=b)
    expect("bond rows (map) vs get_neurons bonds", sorted(u for u, r in bonds.items() if r), sorted(u for u, n in full.items() if n.raw.get("bonds")))
    return f"{rows} weight rows, {len(bonds)} bond rows at block {b}"


@check("metagraph(1) (get_metagraph + Commitments maps) agrees with neurons, token_symbols and commitments (README, X-CALL)")
async def c_metagraph():
    c = client()
    lite = need("lite1", "neurons(1)")
    mg = await c.subnets.metagraph(1)
    expect_true("metagraph", mg is not None)
    expect("neurons", len(mg.neurons), GENESIS[1]["n"])
    expect("hotkeys vs neurons (X-CALL)", [n.hotkey for n in mg.neurons], [n.hotkey for n in lite])
    expect("permits vs neurons (X-CALL)", [n.validator_permit for n in mg.neurons], [n.validator_permit for n in lite])
    expect("coldkeys vs neurons (X-CALL)", [n.coldkey for n in mg.neurons], [n.coldkey for n in lite])
    expect("tempo (README)", mg.tempo, GENESIS[1]["tempo"])
    expect("symbol vs TokenSymbol map (X-CALL)", mg.symbol, (await c.subnets.token_symbols())[1])
    commits = await c.subnets.commitments(1, block=mg.block)
    want = {n.uid: commits[n.hotkey].data for n in mg.neurons if n.hotkey in commits}
    expect("metagraph commitments vs subnets.commitments (X-CALL)", {u: x.data for u, x in mg.commitments.items()}, want)
    return repr(mg)


# ---- hyperparameters ----------------------------------------------------------------------------------------
def hyper_check(netuid):
    @check(f"subnet_hyperparameters({netuid}) (get_subnet_hyperparams_v3) vs README and storage reads (X-CALL Tempo, WeightsSetRateLimit, ...)")
    async def run():
        c, g = client(), GENESIS[netuid]
        hp = await c.subnets.subnet_hyperparameters(netuid)
        expect_true("hyperparameters dict", isinstance(hp, dict) and hp, repr(hp)[:200])
        expect("tempo (README)", hp.get("tempo"), g["tempo"])
        expect("commit_reveal_weights_enabled (README)", bool(hp.get("commit_reveal_weights_enabled")), g["commit_reveal"])
        if "rate_limit" in g:
            expect("weights_rate_limit (README)", hp.get("weights_rate_limit"), g["rate_limit"])
        if "min_weights" in g:
            expect("min_allowed_weights (README)", hp.get("min_allowed_weights"), g["min_weights"])
        if "weights_version" in g:
            expect("weights_version (README)", hp.get("weights_version"), g["weights_version"])
        expect("Tempo storage (X-CALL)", int(await c.query(st.Tempo, [netuid])), hp["tempo"])
        expect("commit_reveal_enabled read (X-CALL)", await c.subnets.commit_reveal_enabled(netuid), g["commit_reveal"])
        for read, key in {"weights_rate_limit": "weights_rate_limit", "min_allowed_weights": "min_allowed_weights",
                          "max_weight_limit": "max_weights_limit", "immunity_period": "immunity_period",
                          "reveal_period": "commit_reveal_period"}.items():
            expect(f"read {read} vs v3 {key} (X-CALL)", int(await c.read(read, netuid=netuid)), int(hp[key]))
        expect("WeightsVersionKey storage vs v3 weights_version (X-CALL)", int(await c.query(st.WeightsVersionKey, [netuid])), int(hp["weights_version"]))
        diff = await c.read("difficulty", netuid=netuid)
        expect_true("difficulty (SubtensorModule.Difficulty) is a positive int", isinstance(diff, int) and diff > 0, repr(diff))
        return f"{len(hp)} hyperparameters, tempo {hp['tempo']}, rate limit {hp['weights_rate_limit']}"
    return run


@check("subnets.all() agrees with subnet(n) and README (Burn, Tempo, SubnetworkN)")
async def c_subnets():
    c = client()
    all_ = {s.netuid: s for s in await c.subnets.all() if s.netuid}
    expect("netuids", sorted(all_), [1, 2, 3])
    for netuid, s in all_.items():
        one = await c.subnets.subnet(netuid)
        expect(f"subnet({netuid}) vs subnets.all() (X-CALL)", (one.tempo, one.burn.rao, one.neuron_count), (s.tempo, s.burn.rao, s.neuron_count))
        expect(f"subnet({netuid}) tempo, neurons (README)", (one.tempo, one.neuron_count), (GENESIS[netuid]["tempo"], GENESIS[netuid]["n"]))
        expect_true(f"subnet({netuid}) burn > 0", one.burn.rao > 0, repr(one.burn))
    return ", ".join(str(s) for s in all_.values())


# ---- commitments -------------------------------------------------------------------------------------------
@check("commitments(1): genesis Raw JSON of //sn1-uidU hotkeys; identity.commitment and revealed_commitment agree (README, KEYS, X-CALL)")
async def c_commitments():
    c = client()
    b = await c.block()
    allc = await c.subnets.commitments(1, block=b)
    expect_true("commitments on subnet 1", len(allc) > 0)
    plain = {hk: x for hk, x in allc.items() if not x.encrypted}
    revealed = {hk: x for hk, x in allc.items() if x.revealed}
    expect_true("plain and revealed commitments", plain and revealed, f"{len(plain)} plain, {len(revealed)} revealed")
    for hk, x in allc.items():
        expect(f"hotkey of uid {x.uid} (KEYS)", hk, ss58(f"//sn1-uid{x.uid}"))
    for hk, x in plain.items():
        if x.block == 0:
            try:
                json.loads(x.data)
            except ValueError:
                raise Failed(f"genesis commitment of uid {x.uid} is not JSON (README): {x.data!r}")
        one = await c.identity.commitment(1, hk, block=b)
        expect(f"identity.commitment(uid {x.uid}) vs commitments map (X-CALL)", (one.data, one.block), (x.data, x.block))
    for hk, x in revealed.items():
        raw = await c.identity.revealed_commitment(1, hk, block=b)
        expect_true(f"revealed_commitment(uid {x.uid}) present (X-CALL)", raw, repr(raw))
        expect_true(f"revealed text of uid {x.uid} is printable (SCALE prefix stripped)", all(t and t.isprintable() for _, t in x.revealed), repr(x.revealed))
    return f"{len(plain)} plain, {len(revealed)} revealed at block {b}"


# ---- epochs --------------------------------------------------------------------------------------------------
@check("epochs(3): next start = LastEpochBlock + tempo; wait_for_epoch sees the next epoch 10 blocks later, SubnetEpochIndex + 1; no LastUpdate moves at it (README)")
async def c_epochs():
    c = client()
    s = await c.epochs.epoch_status(3)
    expect("tempo (README)", s["tempo"], GENESIS[3]["tempo"])
    if s["pending_epoch_at"] is None:
        expect("get_next_epoch_start_block = LastEpochBlock + tempo (README)", s["next_epoch_start_block"], s["last_epoch_block"] + s["tempo"])
    expect("BlocksSinceLastStep = block - LastEpochBlock", s["blocks_since_last_step"], s["block"] - s["last_epoch_block"])
    ev = await c.wait_for_epoch(3, timeout=ARGS.timeout * 0.8)
    after = await c.epochs.epoch_status(3, block=ev.block)
    expect("LastEpochBlock after the epoch", after["last_epoch_block"], ev.block)
    expect_true("epoch ran tempo (+1 if deferred by MaxEpochsPerBlock) blocks after the previous (README)",
                ev.block - ev.previous in (GENESIS[3]["tempo"], GENESIS[3]["tempo"] + 1), f"{ev.previous} -> {ev.block}")
    before_idx = int(await c.query(st.SubnetEpochIndex, [3], block=ev.block - 1))
    expect("SubnetEpochIndex at the epoch block", after["epoch_index"], before_idx + 1)
    lu_before = await c.query(st.LastUpdate, [3], block=ev.block - 1)
    lu_after = await c.query(st.LastUpdate, [3], block=ev.block)
    expect("LastUpdate entries changed by the epoch (README: moves only when a validator sets weights)",
           [u for u, (x, y) in enumerate(zip(lu_before, lu_after)) if x != y], [])
    return f"epoch {after['epoch_index']} at block {ev.block} (previous {ev.previous})"


# ---- head subscription -----------------------------------------------------------------------------------------
@check("blocks() (chain_subscribeNewHeads): 3 consecutive headers linked by parent hash; wait_for_block (X-CALL chain_getBlockHash)")
async def c_heads():
    c = client()
    seen = []
    async with contextlib.aclosing(c.blocks()) as heads:
        async for h in heads:
            seen.append(h)
            if len(seen) == 4:
                break
    numbers = [h.number for h in seen]
    expect("consecutive numbers (the current head first, then each new one)", numbers, list(range(numbers[0], numbers[0] + 4)))
    for prev, h in zip(seen, seen[1:]):
        expect(f"parentHash of #{h.number} vs block_info(#{prev.number}).hash (X-CALL)", h.parent_hash, (await c.block_info(prev.number)).hash)
    target = numbers[-1] + 2
    got = await c.wait_for_block(target, timeout=ARGS.timeout * 0.5)
    expect("wait_for_block number", got.number, target)
    return f"{numbers}, then #{got.number}"


# ---- writes --------------------------------------------------------------------------------------------------------
@check(f"plan SetWeights on subnet {WRITE_NETUID}: fee 0 (README: Pays::No) from TransactionPaymentApi.query_info")
async def c_plan():
    c = client()
    uid, fname = await pick_writer(WRITE_NETUID)
    dests = [d for d in range(GENESIS[WRITE_NETUID]["n"]) if d != uid][:len(WRITE_WEIGHTS)]
    p = await c.plan(bt.SetWeights(netuid=WRITE_NETUID, weights=dict(zip(dests, map(float, WRITE_WEIGHTS)))), wallet(fname))
    expect_true("plan ok", p.ok, f"violations {p.violations}")
    expect_true("plan has a fee estimate", p.fee is not None, f"warnings {p.warnings}")
    expect("estimated fee (rao)", p.fee.rao, 0)
    return f"{fname}: {p.summary}, fee {p.fee}"


@check(f"SetWeights on subnet {WRITE_NETUID} applied: success, WeightsSet + TransactionFeePaid(0) events, Weights read back, LastUpdate = inclusion block (WRITE, RULE, README, X-CALL)")
async def c_set_weights():
    c = client()
    uid, fname = await pick_writer(WRITE_NETUID)
    w = wallet(fname)
    expect("neurons.uid(hotkey) (WALLET)", await c.neurons.uid(w.hotkey.ss58_address, WRITE_NETUID), uid)
    expect("max_weight_limit (no clipping of the row)", int(await c.read("max_weight_limit", netuid=WRITE_NETUID)), U16_MAX)
    dests = [d for d in range(GENESIS[WRITE_NETUID]["n"]) if d != uid][:len(WRITE_WEIGHTS)]
    want = list(zip(dests, expected_u16(WRITE_WEIGHTS)))
    await wait_weights_window(WRITE_NETUID, uid, GENESIS[WRITE_NETUID]["rate_limit"])
    res = await c.execute(bt.SetWeights(netuid=WRITE_NETUID, weights=dict(zip(dests, map(float, WRITE_WEIGHTS)))), w)
    expect_true("execute success", res.success, f"message {res.message!r}, error {res.error!r}")
    names = event_names(res)
    for ev in [("SubtensorModule", "WeightsSet"), ("System", "ExtrinsicSuccess"), ("TransactionPayment", "TransactionFeePaid")]:
        expect_true(f"{ev[0]}.{ev[1]} event (README)", ev in names, repr(names))
    ws = next(e for e in res.events if (e.get("module_id"), e.get("event_id")) == ("SubtensorModule", "WeightsSet"))
    expect("WeightsSet attributes (netuid, uid)", tuple(ws["attributes"]), (WRITE_NETUID, uid))
    paid = next(e for e in res.events if e.get("event_id") == "TransactionFeePaid")["attributes"]
    expect("TransactionFeePaid (who, actual_fee, tip) (README: Pays::No)", (paid["who"], int(paid["actual_fee"]), int(paid["tip"])), (w.hotkey.ss58_address, 0, 0))
    block = inclusion_block(res)
    raw = await c.query(st.Weights, [WRITE_NETUID, uid], block=block)
    expect("Weights storage at the inclusion block (RULE)", [tuple(map(int, x)) for x in raw], want)
    row = (await c.weights.weights(WRITE_NETUID, block=block))[uid]
    total = sum(v for _, v in want)
    expect_true("weights() row = read-back values / sum (X-CALL)", set(row) == set(dests) and all(abs(row[d] - v / total) < 1e-12 for d, v in want), repr(row))
    expect("LastUpdate at the inclusion block (proves this run's write)", int((await c.query(st.LastUpdate, [WRITE_NETUID], block=block))[uid]), block)
    lite = (await c.neurons.neurons(netuid=WRITE_NETUID, block=block))[uid]
    expect("get_neurons_lite last_update (X-CALL)", lite.last_update, block)
    full = (await c.neurons.neurons(netuid=WRITE_NETUID, lite=False, block=block))[uid]
    expect("get_neurons weights (X-CALL)", [tuple(map(int, x)) for x in full.raw["weights"]], want)
    CTX["weights_block"] = block
    return f"{fname} (uid {uid}) in block {block}: {want}"


@check(f"set_commitment on subnet {WRITE_NETUID} (submit_call, hotkey signer): read back by identity.commitment, subnets.commitments and metagraph; CommitmentOf.block = inclusion block (WRITE, X-CALL)")
async def c_set_commitment():
    c = client()
    uid, fname = await pick_writer(WRITE_NETUID)
    w = wallet(fname)
    me = w.hotkey.ss58_address
    body = COMMITMENT.encode()
    call = bt.calls.Commitments.set_commitment(netuid=WRITE_NETUID, info={"fields": [[{f"Raw{len(body)}": "0x" + body.hex()}]]})
    res = await c.submit_call(call, w, signer="hotkey")
    expect_true("submit_call success", res.success, f"message {res.message!r}, error {res.error!r}")
    expect_true("Commitments.Commitment event", ("Commitments", "Commitment") in event_names(res), repr(event_names(res)))
    block = inclusion_block(res)
    got = await c.identity.commitment(WRITE_NETUID, me, block=block)
    expect("identity.commitment (data, block)", (got.data if got else None, got.block if got else None), (COMMITMENT, block))
    allc = await c.subnets.commitments(WRITE_NETUID, block=block)
    expect("subnets.commitments[hotkey] (query_map, X-CALL)", (allc[me].data, allc[me].uid) if me in allc else None, (COMMITMENT, uid))
    mg = await c.subnets.metagraph(WRITE_NETUID, block=block)
    expect("metagraph commitment of the uid (X-CALL)", mg.commitments[uid].data if uid in mg.commitments else None, COMMITMENT)
    return f"{fname} in block {block}: {COMMITMENT!r}"


@check(f"commit-reveal SetWeights on subnet {CR_NETUID}: TimelockedWeightsCommitted, stored in TimelockedWeightCommits at the inclusion block, LastUpdate moves (README, WRITE)")
async def c_commit_reveal():
    c = client()
    uid, fname = await pick_writer(CR_NETUID)
    w = wallet(fname)
    me = w.hotkey.ss58_address
    expect("neurons.uid(hotkey) (WALLET)", await c.neurons.uid(me, CR_NETUID), uid)
    await wait_weights_window(CR_NETUID, uid, int(await c.read("weights_rate_limit", netuid=CR_NETUID)))
    dests = [d for d in range(GENESIS[CR_NETUID]["n"]) if d != uid][:len(CR_WEIGHTS)]
    res = await c.execute(bt.SetWeights(netuid=CR_NETUID, weights=dict(zip(dests, map(float, CR_WEIGHTS))),
                                        version_key=GENESIS[CR_NETUID]["weights_version"]), w)
    expect_true("execute success", res.success, f"message {res.message!r}, error {res.error!r}")
    expect_true("TimelockedWeightsCommitted event", ("SubtensorModule", "TimelockedWeightsCommitted") in event_names(res), repr(event_names(res)))
    block = inclusion_block(res)
    rnd = res.data.get("reveal_round")
    commits = await c.weights.timelocked_weight_commits(CR_NETUID, block=block)
    mine = [(ep, x) for ep, xs in commits.items() for x in xs if x["hotkey"] == me and x["commit_block"] == block]
    expect_true(f"commit of {me} in block {block} in TimelockedWeightCommits", mine, repr(list(commits))[:200])
    ep, x = mine[0]
    expect("stored reveal_round vs the SDK's", x["reveal_round"], rnd)
    idx = int(await c.query(st.SubnetEpochIndex, [CR_NETUID], block=block))
    expect_true("stored under the epoch index of the commit block (README)", ep in (idx, idx + 1), f"epoch {ep}, SubnetEpochIndex {idx}")
    expect("LastUpdate at the inclusion block (README: moves when it commits)", int((await c.query(st.LastUpdate, [CR_NETUID], block=block))[uid]), block)
    return f"{fname} (uid {uid}) in block {block}, epoch {ep}, drand quicknet round {rnd} (never revealed on a devnet)"


# ---- other client modes -----------------------------------------------------------------------------------------
@check("bt.Subtensor async mode (async with): block and metagraph(3) agree with Client (X-CALL)")
async def c_async_subtensor():
    lite = need("lite3", "neurons(3)")
    async with bt.Subtensor(ARGS.url) as other:
        b = await other.block()
        mg = await other.subnets.metagraph(3, block=b)
        expect("metagraph(3) hotkeys vs neurons(3)", [n.hotkey for n in mg.neurons], [n.hotkey for n in lite])
    return f"block {b}"


@check("bt.Subtensor blocking mode (private loop thread): block, neurons(3) agree with Client (X-CALL)")
async def c_sync_subtensor():
    lite = need("lite3", "neurons(3)")
    box = {}

    def blocking():
        try:
            sub = bt.Subtensor(ARGS.url)
            try:
                box["block"] = sub.block
                box["hotkeys"] = [n.hotkey for n in sub.neurons.neurons(netuid=3)]
            finally:
                sub.close()
        except BaseException as e:  # noqa: BLE001
            box["error"] = e
    t = threading.Thread(target=blocking, name="sync-subtensor", daemon=True)
    t.start()
    while t.is_alive():
        await asyncio.sleep(0.05)
    if "error" in box:
        raise box["error"]
    expect_true("block > 0", box["block"] > 0, repr(box["block"]))
    expect("neurons(3) hotkeys vs async Client", box["hotkeys"], [n.hotkey for n in lite])
    return f"block {box['block']}"


@check("close: Client.close")
async def c_close():
    await client().close()
    CTX.pop("client", None)


CHECKS = ([c_connect, c_chain, c_constants] + [neurons_check(n) for n in (1, 2, 3)]
          + [c_neurons_full, c_weights_read, c_metagraph] + [hyper_check(n) for n in (1, 2, 3)]
          + [c_subnets, c_commitments, c_epochs, c_heads, c_plan, c_set_weights, c_set_commitment,
             c_commit_reveal, c_async_subtensor, c_sync_subtensor, c_close])


def summary():
    passed = sum(ok for _, ok in RESULTS)
    for name, ok in RESULTS:
        if not ok:
            print(f"  failed: {name}", flush=True)
    print(f"run time {time.monotonic() - STARTED:.1f}s against {ARGS.url} (bittensor {getattr(bt, '__version__', '?')})", flush=True)
    print(f"{passed} passed, {len(RESULTS) - passed} failed", flush=True)
    return passed


async def main():
    if not await c_connect():
        # Without a connection every other check fails the same way: stop here.
        return
    for run in CHECKS[1:]:
        if run is not c_close and "client" not in CTX:
            break
        await run()


def teardown(loop):
    """Cancels what the SDK left running and closes the loop, bounded (a task that ignores its
    cancellation is reported, not waited for)."""
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
    parser.add_argument("--hard-timeout", type=float, default=150.0, help="seconds for the whole run")
    ARGS = parser.parse_args()
    if not os.path.isdir(os.path.join(ARGS.wallet_dir, "devnet", "hotkeys")):
        print(f"usage: {ARGS.wallet_dir}/devnet/hotkeys does not exist (pass the devnet's --wallet-dir)", flush=True)
        sys.exit(2)
    timer = threading.Timer(ARGS.hard_timeout, watchdog)
    timer.daemon = True
    timer.start()
    # A private metadata cache, set before the SDK is imported (it reads the variables at use).
    private = tempfile.mkdtemp(prefix="sdk11-check-")
    CTX["cache_dir"] = os.path.join(private, "runtime-cache")
    os.environ["BITTENSOR_RUNTIME_CACHE_DIR"] = CTX["cache_dir"]
    os.environ["BTCLI_TOKEN_SYMBOLS_CACHE"] = os.path.join(private, "token-symbols.json")
    CURRENT[0] = "import bittensor"
    try:
        import bittensor as bt
        from bittensor.wallet import Wallet
        from bittensor_core import Keypair
    except ImportError as e:
        print(f"setup: cannot import the SDK ({e}); install bittensor==11.3.0", flush=True)
        sys.exit(2)
    st = bt.storage.SubtensorModule
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
    # os._exit: the SDK's blocking client leaves a daemon loop thread; nothing is left to flush.
    os._exit(code)
