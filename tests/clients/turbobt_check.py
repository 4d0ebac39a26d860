"""Runs an unmodified turbobt client (1.3.2) against `pylon devnet`, the way the Python Bittensor Pylon
service uses it: block reads, neurons, subnet state, hyperparameters, commitments, certificates, set
weights, commit weights, set a commitment and generate a certificate keypair.

Usage: python turbobt_check.py WS_URL WALLET_DIR [--timeout SECONDS] [--hard-timeout SECONDS]

Start a fresh devnet for each run (CI uses 250 ms blocks):
    pylon devnet --port 0 --wallet-dir WALLET_DIR --block-time 250ms
WALLET_DIR is that devnet's --wallet-dir. It holds the `devnet` wallet with validator hotkeys `snN-uidU`.

Output: one "PASS name (s): detail" or "FAIL name (s): Error: message [file:line]" line per check, then
"N passed, M failed". Exit codes: 0 if all passed, 1 if any check failed, 2 for a usage error, 3 if the
hard timeout fired (the message names the running check). Each check runs on a fresh client, because
a failed first call leaves turbobt's runtime half-initialised and would hide the real cause of later
failures.

Oracles from outside the devnet: the README's genesis table, sr25519 derivation of //snN-uidU and
//devnet-coldkey (bittensor's Keypair.create_from_uri), two client paths that must agree (a runtime
call against storage, a bulk fetch against a single get), and values read back after writing them.

Not a devnet gap: turbobt's weights.commit() encrypts to drand quicknet, whose key the devnet does not
have, so the commit is stored but never revealed. Only the commit is checked here.
"""
import argparse
import asyncio
import datetime
import ipaddress
import json
import os
import re
import sys
import threading
import time
import traceback

import turbobt
from bittensor.wallet import Wallet
from bittensor_core import Keypair

HASH = re.compile(r"^0x[0-9a-f]{64}$")
SS58 = re.compile(r"^5[1-9A-HJ-NP-Za-km-z]{47}$")
# The README's genesis table.
GENESIS = {
    1: {"neurons": 256, "tempo": 360, "commit_reveal": False, "permits": 64, "weights_rate_limit": 100, "min_allowed_weights": 8},
    2: {"neurons": 64, "tempo": 100, "commit_reveal": True, "permits": 16, "weights_version": 2001000},
    3: {"neurons": 16, "tempo": 10, "commit_reveal": False, "permits": 8},
}
WEIGHTS_NETUID = 3  # direct weights with a 5-block rate limit

ARGS = None
RESULTS = []
CURRENT = ["startup"]


class Failed(AssertionError):
    pass


def expect(what, got, expected):
    if got != expected:
        raise Failed(f"{what}: got {got!r}, expected {expected!r}")


def expect_true(what, cond, detail=""):
    if not cond:
        raise Failed(f"{what} {detail}".strip())


def keypair_from_uri(uri):
    """sr25519 keypair of a derivation path, computed on the client."""
    return Keypair.create_from_uri(uri)


def public_key_hex(ss58):
    """The 0x-hex public key of a wallet hotkey (turbobt's getBlock shows signers this way)."""
    for netuid in GENESIS:
        for name, address in wallet_hotkeys(netuid).values():
            if address == ss58:
                with open(os.path.join(ARGS.wallet_dir, "devnet", "hotkeys", name)) as f:
                    return json.load(f)["publicKey"].lower()
    raise Failed(f"{ss58} is not a wallet hotkey")


def wallet_hotkeys(netuid):
    """uid -> (hotkey name, ss58 in the key file) of the devnet wallet's validator hotkeys on `netuid`."""
    folder = os.path.join(ARGS.wallet_dir, "devnet", "hotkeys")
    out = {}
    for name in os.listdir(folder):
        m = re.fullmatch(rf"sn{netuid}-uid(\d+)", name)
        if m:
            with open(os.path.join(folder, name)) as f:
                out[int(m.group(1))] = (name, json.load(f)["ss58Address"])
    return dict(sorted(out.items()))


def client(hotkey_name=None):
    wallet = Wallet("devnet", hotkey_name, path=ARGS.wallet_dir) if hotkey_name else None
    return turbobt.Bittensor(ARGS.url, wallet=wallet)


def check(name):
    def wrap(fn):
        async def run():
            CURRENT[0] = name
            started = time.monotonic()
            try:
                detail = await asyncio.wait_for(fn(), ARGS.timeout)
                RESULTS.append((name, True))
                print(f"PASS {name} ({time.monotonic() - started:.1f}s){': ' + detail if detail else ''}", flush=True)
            except Exception as e:  # noqa: BLE001 - every failure is reported, none stops the run
                RESULTS.append((name, False))
                if isinstance(e, (asyncio.TimeoutError, TimeoutError)) and not str(e):
                    e = Failed(f"no result within {ARGS.timeout:.0f}s (per-check timeout)")
                frames = traceback.extract_tb(e.__traceback__)
                mine = [f for f in frames if f.filename == __file__ and f.name not in ("expect", "expect_true")][-1:]
                where = " <- ".join(f"{os.path.basename(f.filename)}:{f.lineno}" for f in frames[-1:] + mine)
                print(f"FAIL {name} ({time.monotonic() - started:.1f}s): {type(e).__name__}: {e} [{where}]", flush=True)
        return run
    return wrap


async def latest(bt):
    return await bt.block(-1).get()


async def wait_for_weights_window(bt, netuid, uid):
    """Waits until `uid` may set weights (subtensor's check_rate_limit at best + 1: LastUpdate 0, or the
    rate limit has passed). Returns the LastUpdate it saw."""
    while True:
        head = await latest(bt)
        me = await bt.subnet(netuid).neuron(uid=uid).get(block_hash=head.hash)
        hp = await bt.subnet(netuid).get_hyperparameters(block_hash=head.hash)
        if me.last_update == 0 or head.number + 1 - me.last_update >= hp["weights_rate_limit"]:
            return me.last_update
        await asyncio.sleep(0.1)


async def including_block(bt, call_function, signer, since):
    """Number of the first block after `since` holding a `call_function` extrinsic signed by `signer`."""
    head = await latest(bt)
    signers = {signer, public_key_hex(signer)}
    for n in range(since + 1, head.number + 1):
        block = await bt.subtensor.chain.getBlock(await bt.subtensor.chain.getBlockHash(n))
        for x in block["block"]["extrinsics"]:
            if x.get("call", {}).get("call_function") == call_function and str(x.get("address")).lower() in signers:
                return n
    raise Failed(f"no {call_function} by {signer} in blocks {since + 1}..{head.number}")


# ---- reads ----------------------------------------------------------------------------------------
@check("latest block: number, hash, timestamp; block(n) and blocks[hash] agree")
async def latest_block():
    async with client() as bt:
        head = await latest(bt)
        expect_true("latest number > 0", isinstance(head.number, int) and head.number > 0, repr(head.number))
        expect_true("latest hash is 0x + 64 hex", isinstance(head.hash, str) and HASH.match(head.hash), repr(head.hash))
        again = await bt.block(head.number).get()
        expect("hash of block(latest number)", again.hash, head.hash)
        by_hash = await bt.blocks[head.hash].get()
        expect("number of blocks[latest hash]", by_hash.number, head.number)
        ts = await head.get_timestamp()
        now = datetime.datetime.now(datetime.UTC)
        expect_true("timestamp is recent", abs((now - ts).total_seconds()) < 120, f"{ts} vs now {now}")
        return f"#{head.number} {head.hash[:10]}… {ts.isoformat()}"


@check("blocks 1..3: parent links, constant block time")
async def block_links():
    async with client() as bt:
        while (await latest(bt)).number < 3:
            await asyncio.sleep(0.1)
        hashes = [(await bt.block(n).get()).hash for n in range(4)]
        stamps = []
        for n in (1, 2, 3):
            header = await bt.subtensor.chain.getHeader(hashes[n])
            expect(f"header number of block {n}", header["number"], n)
            expect(f"parentHash of block {n}", header["parentHash"], hashes[n - 1])
            stamps.append(await (await bt.block(n).get()).get_timestamp())
        expect("block time constant", stamps[2] - stamps[1], stamps[1] - stamps[0])
        return f"block time {(stamps[1] - stamps[0]).total_seconds()} s"


@check("genesis facts from the README: hyperparameters, neuron and permit counts of subnets 1, 2, 3")
async def genesis_facts():
    async with client() as bt:
        head = await latest(bt)
        for netuid, g in GENESIS.items():
            hp = await bt.subnet(netuid).get_hyperparameters(block_hash=head.hash)
            expect(f"sn{netuid} tempo", hp["tempo"], g["tempo"])
            expect(f"sn{netuid} commit_reveal_weights_enabled", hp["commit_reveal_weights_enabled"], g["commit_reveal"])
            for field in ("weights_rate_limit", "min_allowed_weights", "weights_version"):
                if field in g:
                    expect(f"sn{netuid} {field}", hp[field], g[field])
            ns = await bt.subnet(netuid).list_neurons(block_hash=head.hash)
            expect(f"sn{netuid} neurons", len(ns), g["neurons"])
            expect(f"sn{netuid} validator permits", sum(n.validator_permit for n in ns), g["permits"])
            expect(f"sn{netuid} wallet hotkeys = permits", sorted(wallet_hotkeys(netuid)), sorted(n.uid for n in ns if n.validator_permit))
        return "as documented"


@check("neurons of subnet 1 (get_neurons_lite): validators are //sn1-uidU with coldkey //devnet-coldkey; Uids storage agrees")
async def neurons():
    async with client() as bt:
        head = await latest(bt)
        ns = await bt.subnet(1).list_neurons(block_hash=head.hash)
        expect("uids in order", [n.uid for n in ns], list(range(len(ns))))
        expect_true("hotkeys are unique SS58", len({n.hotkey for n in ns}) == len(ns) and all(SS58.match(n.hotkey) for n in ns))
        coldkey = keypair_from_uri("//devnet-coldkey").ss58_address
        for uid, (_, ss58) in wallet_hotkeys(1).items():
            derived = keypair_from_uri(f"//sn1-uid{uid}").ss58_address
            expect(f"key file of uid {uid} vs //sn1-uid{uid}", ss58, derived)
            expect(f"hotkey of uid {uid}", ns[uid].hotkey, derived)
            expect(f"coldkey of validator uid {uid}", ns[uid].coldkey, coldkey)
            expect(f"validator_permit of uid {uid}", ns[uid].validator_permit, True)
        for n in ns[:: max(1, len(ns) // 16)]:
            expect(f"Uids(1, {n.hotkey})", await bt.subtensor.subtensor_module.Uids.get(1, n.hotkey, block_hash=head.hash), n.uid)
        one = await bt.subnet(1).neuron(uid=5).get(block_hash=head.hash)
        expect("neuron(uid=5).get() = list_neurons()[5]", (one.hotkey, one.coldkey, one.stake, one.last_update), (ns[5].hotkey, ns[5].coldkey, ns[5].stake, ns[5].last_update))
        expect_true("stakes are non-negative, some positive", all(n.stake >= 0 for n in ns) and any(n.stake > 0 for n in ns))
        expect_true("axon ips parse", all(isinstance(n.axon_info.ip, (ipaddress.IPv4Address, ipaddress.IPv6Address)) for n in ns))
        return f"{len(ns)} neurons, {sum(n.validator_permit for n in ns)} permits"


@check("subnet 1 state (get_subnet_state) agrees with the neurons")
async def subnet_state():
    async with client() as bt:
        head = await latest(bt)
        ns = await bt.subnet(1).list_neurons(block_hash=head.hash)
        st = await bt.subnet(1).get_state(head.hash)
        expect_true("state returned", st is not None)
        expect("state netuid", st["netuid"], 1)
        expect("state hotkeys = neuron hotkeys", st["hotkeys"], [n.hotkey for n in ns])
        expect("state coldkeys = neuron coldkeys", st["coldkeys"], [n.coldkey for n in ns])
        for field in ("alpha_stake", "tao_stake", "total_stake", "emission", "last_update", "validator_permit"):
            expect(f"len({field})", len(st[field]), len(ns))
        expect("validator_permit = neurons", st["validator_permit"], [n.validator_permit for n in ns])
        expect("last_update = neurons", st["last_update"], [n.last_update for n in ns])
        expect_true("total_stake >= alpha_stake", all(t >= a for t, a in zip(st["total_stake"], st["alpha_stake"])))
        return f"sum alpha {sum(st['alpha_stake']) / 1e9:.1f}"


@check("commitments of subnet 1: fetch all (state_getKeys + state_queryStorageAt) = get one")
async def commitments():
    async with client() as bt:
        head = await latest(bt)
        uids = {n.hotkey: n.uid for n in await bt.subnet(1).list_neurons(block_hash=head.hash)}
        allc = await bt.subnet(1).commitments.fetch(block_hash=head.hash)
        expect_true("some commitments", len(allc) > 0)
        expect_true("commitment hotkeys are registered", set(allc) <= set(uids))
        sealed = [hk for hk in allc if uids[hk] % 64 == 13]
        # README: every 64th neuron (uid 13, 77, ...) holds a commitment timelocked to round 28800.
        expect("timelocked commitments of uids 13, 77, 141, 205", sorted(uids[hk] for hk in sealed), [13, 77, 141, 205])
        for hotkey in sealed:
            c = allc[hotkey]
            expect_true("kind timelock_encrypted, round 28800", c["kind"] == "timelock_encrypted" and c["reveal_round"] == 28800, repr(c)[:200])
        plain = [hk for hk in allc if hk not in sealed]
        for hotkey in plain[:3] + sealed[:1]:
            c = allc[hotkey]
            if hotkey in plain:
                expect_true("kind hex_data with bytes", c["kind"] == "hex_data" and isinstance(c["data"], bytes), repr(c))
            expect(f"get({hotkey[:8]}…) = fetched", await bt.subnet(1).commitments.get(hotkey, block_hash=head.hash), c)
        return f"{len(plain)} data and {len(sealed)} timelocked commitments"


@check("certificates of subnet 1: fetch all = get one, Ed25519 public keys")
async def certificates():
    async with client() as bt:
        head = await latest(bt)
        certs = await bt.subnet(1).neurons.get_certificates(block_hash=head.hash)
        expect_true("some certificates", len(certs) > 0)
        for hotkey, cert in list(certs.items())[:4]:
            expect("algorithm (Ed25519)", cert["algorithm"], 1)
            expect_true("public key is 32 bytes of hex", re.fullmatch(r"[0-9a-f]{64}", cert["public_key"]), repr(cert))
            expect(f"get_certificate({hotkey[:8]}…)", await bt.subnet(1).neuron(hotkey=hotkey).get_certificate(block_hash=head.hash), cert)
        return f"{len(certs)} certificates"


@check("revealed commitments carry bittensor_drand's SCALE length prefix")
async def revealed_commitments():
    async with client() as bt:
        head = await latest(bt)
        raw = await bt.subtensor.commitments.RevealedCommitments.fetch(1, block_hash=head.hash)
        expect_true("some revealed commitments", len(raw) > 0)
        (_, hotkey), entries = raw[0]
        data, reveal_block = entries[0]
        blob = bytes.fromhex(data[2:]) if data.startswith("0x") else data.encode()
        offset = {0: 1, 1: 2, 2: 4}.get(blob[0] & 3, 0)  # mode 3 (big integer) never prefixes a short string
        length = int.from_bytes(blob[:offset], "little") >> 2 if offset else None
        expect(f"SCALE compact length at the start of {blob[:24]!r}", length, len(blob) - offset)
        expect_true("revealed at or before the head", 0 <= reveal_block <= head.number, repr(reveal_block))
        decoded = await bt.subnet(1).commitments.fetch_revealed(block_hash=head.hash)
        text = decoded[hotkey][0]["data"]
        expect_true("turbobt strips the prefix: the devnet's genesis text", text.startswith("revealed by sn1-uid"), repr(text))
        return f"{len(raw)} hotkeys; turbobt decodes {text!r}"


@check("subnet(1).get() (SubnetInfoRuntimeApi.get_dynamic_info)")
async def dynamic_info():
    async with client() as bt:
        info = await bt.subnet(1).get()
        expect_true("dynamic info returned", info is not None)
        return repr(info)[:120]


@check("subscriptions: chain_subscribeFinalizedHeads and state_subscribeStorage(Timestamp.Now)")
async def subscriptions():
    async with client() as bt:
        sid = await bt.subtensor.chain.subscribeFinalizedHeads()
        sub = await bt.subtensor.subscribe(sid)
        numbers = []
        while len(numbers) < 2:
            header = await asyncio.wait_for(sub.__anext__(), 15)
            numbers.append(int(header["number"], 16))
        expect_true("finalized numbers increase", numbers[1] > numbers[0], repr(numbers))
        expect("unsubscribe", await bt.subtensor.chain.unsubscribeFinalizedHeads(sid), True)
        ssub = await bt.subtensor.timestamp.Now.subscribe()
        first = await asyncio.wait_for(ssub.__anext__(), 15)
        second = await asyncio.wait_for(ssub.__anext__(), 15)
        expect_true("change sets carry a block hash", HASH.match(first["block"]) and HASH.match(second["block"]))
        expect_true("Timestamp.Now grows", second["changes"][0][1] > first["changes"][0][1], repr((first, second)))
        return f"heads {numbers}; Now {first['changes'][0][1]} -> {second['changes'][0][1]}"


# ---- writes ----------------------------------------------------------------------------------------
def weights_validator():
    uid, (name, ss58) = next(iter(wallet_hotkeys(WEIGHTS_NETUID).items()))
    return uid, name, ss58


@check(f"set weights to an unknown uid on subnet {WEIGHTS_NETUID}: the failure is raised by name")
async def set_weights_invalid():
    uid, name, _ = weights_validator()
    async with client(name) as bt:
        await wait_for_weights_window(bt, WEIGHTS_NETUID, uid)
        try:
            await bt.subnet(WEIGHTS_NETUID).weights.set({0: 1.0, 999: 1.0})
        except Exception as e:  # noqa: BLE001 - the error type is what is checked
            expect_true("error names UidVecContainInvalidOne", "UidVecContainInvalidOne" in f"{type(e).__name__} {e}", f"{type(e).__name__}: {e}")
            return f"{type(e).__name__}: {e}"[:120]
        raise Failed("weights to uid 999 were accepted")


@check(f"set weights (set_mechanism_weights, to finalization) on subnet {WEIGHTS_NETUID}, read back two ways")
async def set_weights():
    uid, name, ss58 = weights_validator()
    async with client(name) as bt:
        before = await wait_for_weights_window(bt, WEIGHTS_NETUID, uid)
        start = (await latest(bt)).number
        wanted = {d: float(d + 1) for d in range(GENESIS[WEIGHTS_NETUID]["neurons"])}
        await bt.subnet(WEIGHTS_NETUID).weights.set(wanted)
        block = await including_block(bt, "set_mechanism_weights", ss58, start)
        block_hash = (await bt.block(block).get()).hash
        got = await bt.subnet(WEIGHTS_NETUID).weights.get(uid, block_hash=block_hash)
        top = max(wanted.values())
        expect("weighted uids", sorted(got), sorted(wanted))
        for d, w in wanted.items():
            expect_true(f"weight of uid {d}", abs(got[d] - w / top) < 1e-3, f"{got[d]} vs {w / top}")
        expect("weights.fetch()[uid] = weights.get(uid)", (await bt.subnet(WEIGHTS_NETUID).weights.fetch(block_hash=block_hash))[uid], got)
        after = await bt.subnet(WEIGHTS_NETUID).neuron(uid=uid).get(block_hash=block_hash)
        expect("last_update = including block", after.last_update, block)
        return f"{name} in block {block} (LastUpdate was {before})"


@check("commit weights (commit_timelocked_mechanism_weights) on subnet 2, pending commit stored")
async def commit_weights():
    uid, (name, ss58) = next(iter(wallet_hotkeys(2).items()))
    async with client(name) as bt:
        start = (await latest(bt)).number
        reveal_round = await bt.subnet(2).weights.commit({d: float(d + 1) for d in range(8)})
        block = await including_block(bt, "commit_timelocked_mechanism_weights", ss58, start)
        pending = await bt.subnet(2).weights.fetch_pending(block_hash=(await bt.block(block).get()).hash)
        mine = [c for by_hotkey in pending.values() for hk, c in by_hotkey.items() if hk == ss58]
        expect_true("our commit is pending", len(mine) == 1, repr(pending)[:200])
        expect("reveal_round", mine[0].reveal_round, reveal_round)
        expect("commit block", mine[0].block, block)
        return f"{name} in block {block}, reveal round {reveal_round}"


@check("commitment: set (Commitments.set_commitment, to finalization) and read back with get and fetch")
async def set_commitment():
    uid, (name, ss58) = list(wallet_hotkeys(3).items())[1]
    payload = f'{{"turbobt_check":"{ss58[:8]}"}}'.encode()
    async with client(name) as bt:
        start = (await latest(bt)).number
        await bt.subnet(3).commitments.set(payload)
        block = await including_block(bt, "set_commitment", ss58, start)
        block_hash = (await bt.block(block).get()).hash
        got = await bt.subnet(3).commitments.get(ss58, block_hash=block_hash)
        expect("commitment", got, {"kind": "hex_data", "data": payload, "block": block})
        expect("fetch()[hotkey] = get()", (await bt.subnet(3).commitments.fetch(block_hash=block_hash)).get(ss58), got)
        return f"{name} at block {block}"


@check("certificate keypair: generate (serve_axon_tls, to finalization), read back, axon unchanged")
async def generate_certificate():
    served = None
    async with client() as bt:
        ns = await bt.subnet(3).list_neurons()
        for uid, (name, ss58) in list(wallet_hotkeys(3).items())[2:]:
            a = ns[uid].axon_info
            if a.port and int(a.ip) != 0:
                served = (uid, name, ss58, a)
                break
    expect_true("a wallet hotkey on subnet 3 with a served axon", served is not None)
    uid, name, ss58, axon = served
    async with client(name) as bt:
        start = (await latest(bt)).number
        kp = await bt.subnet(3).neurons.generate_certificate_keypair()
        expect_true("keypair returned", kp is not None)
        block = await including_block(bt, "serve_axon_tls", ss58, start)
        block_hash = (await bt.block(block).get()).hash
        cert = await bt.subnet(3).neuron(hotkey=ss58).get_certificate(block_hash=block_hash)
        expect("stored certificate", cert, {"algorithm": kp["algorithm"], "public_key": kp["public_key"]})
        expect("get_certificates()[hotkey]", (await bt.subnet(3).neurons.get_certificates(block_hash=block_hash)).get(ss58), cert)
        after = (await bt.subnet(3).neuron(uid=uid).get(block_hash=block_hash)).axon_info
        expect("axon ip/port after serve_axon_tls", (after.ip, after.port), (axon.ip, axon.port))
        return f"{name} in block {block}"


CHECKS = [latest_block, block_links, genesis_facts, neurons, subnet_state, commitments, certificates,
          revealed_commitments, dynamic_info, subscriptions, set_weights_invalid, set_weights, commit_weights,
          set_commitment, generate_certificate]


def summary():
    passed = sum(ok for _, ok in RESULTS)
    print(f"{passed} passed, {len(RESULTS) - passed} failed", flush=True)
    return passed


async def preflight():
    """Fails fast, with the reason, when nothing answers JSON-RPC at the URL (turbobt itself would only
    report "'NoneType' object has no attribute 'send'" for every check)."""
    import websockets

    try:
        async with asyncio.timeout(10):
            async with websockets.connect(ARGS.url, max_size=2**26) as ws:
                await ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "system_chain", "params": []}))
                reply = json.loads(await ws.recv())
                return reply["result"]
    except Exception as e:  # noqa: BLE001
        print(f"FAIL connect: no JSON-RPC answer from {ARGS.url}: {type(e).__name__}: {e}", flush=True)
        RESULTS.append(("connect", False))
        return None


async def main():
    if await preflight() is None:
        summary()
        return 1
    for run in CHECKS:
        await run()
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
    sys.exit(asyncio.run(main()))
