"""Every public method of bittensor-pylon-client 2.3.1 against `pylon serve`: the v1 and unstable
namespaces, open access and identity, with the sync and the async client, each answer asserted.

Usage: python pylon_client_contract.py FACTS_JSON

FACTS_JSON (written by tests/it/python_pylon_client.rs) names the gateway (`base`, with open-access
token `oa` and identity `sn1`; `open_base`, the same chain with no open-access token), the block to
read at, the identity's hotkey and facts of the devnet's genesis (README). The client validates
every 200/201 body with its own models; this script checks the values, that methods the contract
does not serve in v1 fail as they do against the Python service (the client's AttributeError for
endpoints v1 lacks, PylonNotFound for routes v1 lacks), that the sync and async clients read the
same, the writes (weights, commitments, a timelocked commitment pending then revealed) and the
client's certificate pinning (get_neuron_client) against Pylon's public_key. Every public method
must be in the table below: a new client method fails the run until it is covered.

Prints one JSON document with what the Rust side reads back from the chain; exits 1 on the first
failed check (naming it).
"""
import asyncio
import datetime
import inspect
import json
import re
import socket
import ssl
import sys
import tempfile
import threading
import time

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.x509.oid import NameOID
from pylon_client.artanis import (
    AsyncConfig,
    AsyncPylonClient,
    Config,
    MtlsVerificationError,
    PylonClient,
    PylonNotFound,
    PylonUnauthorized,
)

F = json.load(open(sys.argv[1]))
HEX64 = re.compile(r"^[0-9a-f]{64}$")
SS58 = re.compile(r"^5[1-9A-HJ-NP-Za-km-z]{47}$")
OUT = {}


class Failed(AssertionError):
    pass


def check(what, ok, detail=""):
    if not ok:
        raise Failed(f"{what}: {detail}"[:2000])


def same(what, got, expected):
    check(what, got == expected, f"got {got!r}, expected {expected!r}")


class Raised:
    """A call that raised instead of answering."""

    def __init__(self, exc):
        self.exc = exc

    def __repr__(self):
        return f"Raised({type(self.exc).__name__}: {self.exc})"


def raised(kind):
    def checker(r, *_):
        check(f"raises {kind.__name__}", isinstance(r, Raised) and isinstance(r.exc, kind), repr(r))
    return checker


def answer(r):
    if isinstance(r, Raised):
        raise Failed(f"unexpected {r!r}")
    return r


# --- checks of answers ------------------------------------------------------------------------


def neurons(expected_count, at_block=None):
    def checker(r, *_):
        r = answer(r)
        same("neuron count", len(r.neurons), expected_count)
        if at_block is not None:
            same("block", r.block.number, at_block)
        n = next(iter(r.neurons.values()))
        check("hotkey keys", all(SS58.match(k) for k in r.neurons), "")
        check("ratios in 0..1", 0 <= n.incentive <= 1 and 0 <= n.dividends <= 1, repr(n))
        return {"block": r.block.number, "count": len(r.neurons)}
    return checker


def validators(at_block=None):
    def checker(r, *_):
        r = answer(r)
        same("validator count", len(r.validators), F["validators"])
        totals = [v.stakes.total for v in r.validators]
        same("sorted by total stake", totals, sorted(totals, reverse=True))
        check("all have permits", all(v.validator_permit for v in r.validators))
        if at_block is not None:
            same("block", r.block.number, at_block)
        return [v.hotkey for v in r.validators]
    return checker


def v1_commitments(r, *_):
    r = answer(r)
    same("data commitments (timelocked ones left out)", len(r.commitments), F["data_commitments"])
    check("hex", all(c.startswith("0x") for c in r.commitments.values()))
    OUT["commitments"] = {k: str(v) for k, v in r.commitments.items()}
    return len(r.commitments)


def v1_commitment(r, *_):
    r = answer(r)
    same("the hotkey", r.hotkey, F["committed_hotkey"])
    same("its data", r.commitment, F["committed_data"])
    return r.commitment


def unstable_commitments(r, *_):
    r = answer(r)
    kinds = {}
    for hk, c in r.commitments.items():
        kinds.setdefault(c.kind.value, []).append(hk)
        if c.kind.value == "timelock_encrypted":
            same("genesis reveal round", c.reveal_round, F["genesis_reveal_round"])
    same("data commitments", len(kinds.get("hex_data", [])), F["data_commitments"])
    same("timelocked commitments (uids ≡ 13 mod 64)", sorted(kinds.get("timelock_encrypted", [])), sorted(F["timelocked_hotkeys"]))
    return {k: len(v) for k, v in kinds.items()}


def unstable_commitment(r, *_):
    r = answer(r)
    same("kind", r.commitment.kind.value, "hex_data")
    same("data", r.commitment.commitment, F["committed_data"])
    return r.commitment.commitment


def all_revealed(r, *_):
    r = answer(r)
    texts = sorted(x.commitment for xs in r.commitments.values() for x in xs)
    check("genesis revealed texts", all(t.startswith("revealed by sn1-uid") for t in texts), texts)
    same("revealed hotkeys", sorted(r.commitments), sorted(F["revealed_hotkeys"]))
    return len(texts)


def one_revealed(r, *_):
    r = answer(r)
    same("text", [x.commitment for x in r.commitments], [F["revealed_text"]])
    return r.commitments[0].commitment


def certificate(r, *_):
    r = answer(r)
    same("algorithm", int(r.algorithm), 1)
    check("public_key is bare lowercase hex", HEX64.match(r.public_key), r.public_key)
    return r.public_key


def block_info(r, *_):
    r = answer(r)
    check("a block at or after the facts' block", r.number >= F["block"], r.number)
    check("hash", re.match(r"^0x[0-9a-f]{64}$", r.hash), r.hash)
    check("timestamp in seconds", 1_000_000_000 < r.timestamp < 10_000_000_000, r.timestamp)
    return r.number


def extrinsic(r, *_):
    r = answer(r)
    same("block", r.block_number, F["block"])
    same("index", r.extrinsic_index, 0)
    same("call", (r.call.call_module, r.call.call_function), ("Timestamp", "set"))
    same("unsigned", r.address, None)
    check("hash", re.match(r"^0x[0-9a-f]{64}$", r.extrinsic_hash), r.extrinsic_hash)
    same("the argument", [a.name for a in r.call.call_args], ["now"])
    return r.model_dump(mode="json")


def prices(at_block=None):
    def checker(r, *_):
        r = answer(r)
        same("subnets", sorted(int(k) for k in r.prices), [1, 2, 3])
        check("integer rao", all(isinstance(p.value, int) and p.value > 0 for p in r.prices.values()))
        if at_block is not None:
            same("block", r.block.number, at_block)
        return {str(k): p.value for k, p in r.prices.items()}
    return checker


def price(netuid, at_block=None):
    def checker(r, *_):
        r = answer(r)
        same("netuid", r.netuid, netuid)
        check("integer rao", isinstance(r.price.value, int) and r.price.value > 0)
        if at_block is not None:
            same("block", r.block.number, at_block)
        return r.price.value
    return checker


def evm_associations(r, *_):
    r = answer(r)
    same("hotkeys (uids ≡ 7 mod 16)", sorted(r.evm_associations), sorted(F["evm_hotkeys"]))
    check("addresses", all(re.match(r"^0x[0-9a-f]{40}$", a.evm_address) for a in r.evm_associations.values()))
    return len(r.evm_associations)


def evm_logs(r, *_):
    r = answer(r)
    same("range echoed", (r.from_block, r.to_block), (F["evm_from"], F["evm_to"]))
    names = sorted({log.event for log in r.logs})
    same("events of the ABI", names, ["Memo", "Tagged", "Transfer"])
    same("log count", len(r.logs), F["evm_log_count"])
    return len(r.logs)


def unauthorized_drand(r, *_):
    # The client sends no Authorization header for this call (its bug, in the reference), so a
    # gateway with an open-access token answers 401, as the Python service does.
    raised(PylonUnauthorized)(r)
    return "401"


# --- the calls ---------------------------------------------------------------------------------

N = F["netuid"]
B = F["block"]
HK = F["committed_hotkey"]
CERT = F["certificate_hotkey"]
REV = F["revealed_hotkey"]
ABI = F["evm_abi"]
no_v1 = raised(AttributeError)  # the client has no v1 endpoint for it: it fails before any request
not_in_v1 = raised(PylonNotFound)  # the client sends it; v1 has no such route (404)

# (method, args, check) per namespace.
OPEN = {
    "v1": [
        ("get_neurons", (N, B), neurons(F["neurons"], B)),
        ("get_latest_neurons", (N,), neurons(F["neurons"])),
        ("get_recent_neurons", (N,), neurons(F["neurons"])),
        ("get_validators", (N, B), validators(B)),
        ("get_latest_validators", (N,), validators()),
        ("get_commitments", (N,), v1_commitments),
        ("get_commitment", (N, HK), v1_commitment),
        ("get_all_revealed_commitments", (N,), not_in_v1),
        ("get_revealed_commitments", (N, REV), not_in_v1),
        ("get_certificate", (N, CERT), certificate),
        ("get_latest_block_info", (), block_info),
        ("get_extrinsic", (B, 0), extrinsic),
        ("get_latest_prices", (), no_v1),
        ("get_prices", (B,), no_v1),
        ("get_latest_price", (N,), no_v1),
        ("get_price", (N, B), no_v1),
        ("get_drand_last_stored_round", (), no_v1),
        ("get_latest_evm_associations", (N,), not_in_v1),
        ("get_evm_logs", (F["evm_contract"], F["evm_from"], F["evm_to"], ABI), no_v1),
    ],
    "unstable": [
        ("get_neurons", (N, B), neurons(F["neurons"], B)),
        ("get_latest_neurons", (N,), neurons(F["neurons"])),
        ("get_recent_neurons", (N,), neurons(F["neurons"])),
        ("get_validators", (N, B), validators(B)),
        ("get_latest_validators", (N,), validators()),
        ("get_commitments", (N,), unstable_commitments),
        ("get_commitment", (N, HK), unstable_commitment),
        ("get_all_revealed_commitments", (N,), all_revealed),
        ("get_revealed_commitments", (N, REV), one_revealed),
        ("get_certificate", (N, CERT), certificate),
        ("get_latest_block_info", (), block_info),
        ("get_extrinsic", (B, 0), extrinsic),
        ("get_latest_prices", (), prices()),
        ("get_prices", (B,), prices(B)),
        ("get_latest_price", (N,), price(N)),
        ("get_price", (N, B), price(N, B)),
        ("get_drand_last_stored_round", (), unauthorized_drand),
        ("get_latest_evm_associations", (N,), evm_associations),
        ("get_evm_logs", (F["evm_contract"], F["evm_from"], F["evm_to"], ABI), evm_logs),
    ],
}
# Identity reads: the open-access ones without the netuid (the identity's own subnet); the
# client sends block-level ones to the open-access routes.
BLOCK_LEVEL = {"get_latest_block_info", "get_extrinsic", "get_latest_prices", "get_prices", "get_drand_last_stored_round"}
IDENTITY_READS = {
    version: [(m, args if m in BLOCK_LEVEL else args[1:], chk) for (m, args, chk) in calls if m != "get_evm_logs"]
    for version, calls in OPEN.items()
}


def own_commitment_check(r, *_):
    r = answer(r)
    if hasattr(r, "commitment") and isinstance(r.commitment, str):
        same("own data", r.commitment, F["own_data"])
        return r.commitment
    same("own data", r.commitment.commitment, F["own_data"])
    return r.commitment.commitment


IDENTITY_OWN = {
    "v1": [
        ("get_own_commitment", (), own_commitment_check),
        ("get_own_revealed_commitments", (), not_in_v1),
        ("get_weights_status", (B,), no_v1),
    ],
    "unstable": [
        ("get_own_commitment", (), own_commitment_check),
        ("get_own_revealed_commitments", (), raised(PylonNotFound)),
    ],
}
WRITES = {"put_weights", "set_commitment", "set_revealed_commitment", "get_weights_status"}


def coverage():
    """Every public method of each namespace must be driven here."""
    c = PylonClient(Config(address=F["base"], open_access_token="x", identity_name="sn1", identity_token="y"))
    for version in ("v1", "unstable"):
        for ns, table in (("open_access", OPEN[version]), ("identity", IDENTITY_READS[version] + IDENTITY_OWN[version])):
            cls = type(getattr(getattr(c, version), ns))
            public = {m for m, f in inspect.getmembers(cls) if not m.startswith("_") and callable(f)}
            driven = {m for m, _, _ in table} | (WRITES if ns == "identity" else set())
            same(f"{version}.{ns} methods driven", sorted(public - driven), [])
            OUT["methods"] = OUT.get("methods", 0) + len(public)
    return OUT["methods"]


async def call_async(ns, method, args):
    try:
        return await getattr(ns, method)(*args)
    except Exception as e:  # noqa: BLE001 - the checks decide
        return Raised(e)


def call_sync(ns, method, args):
    try:
        return getattr(ns, method)(*args)
    except Exception as e:  # noqa: BLE001
        return Raised(e)


def comparable(r):
    if isinstance(r, Raised):
        return type(r.exc).__name__
    return r.model_dump(mode="json")


def reads(sync_client, async_client, loop):
    """All reads, sync then async; answers at a fixed block must agree."""
    results = {}
    for version in ("v1", "unstable"):
        v_sync, v_async = getattr(sync_client, version), getattr(async_client, version)
        for ns_name, table in (("open_access", OPEN[version]), ("identity", IDENTITY_READS[version] + IDENTITY_OWN[version])):
            s_ns, a_ns = getattr(v_sync, ns_name), getattr(v_async, ns_name)
            for method, args, chk in table:
                name = f"{version}.{ns_name}.{method}"
                rs = call_sync(s_ns, method, args)
                ra = loop.run_until_complete(call_async(a_ns, method, args))
                try:
                    results[name] = chk(rs)
                    chk(ra)
                except Failed as e:
                    raise Failed(f"{name}: {e}") from None
                fixed = any(a == B for a in args) and not isinstance(rs, Raised)
                if fixed or isinstance(rs, Raised):
                    same(f"{name}: sync and async agree", comparable(ra), comparable(rs))
    return results


def writes(c, ac, loop):
    """Weights, commitments and a timelocked commitment, through both clients."""
    targets = OUT["validators"][:8]
    weights = {t: (1.0 if i == 0 else 0.5) for i, t in enumerate(targets)}
    OUT["weight_targets"] = targets
    for label, r in (
        ("v1 sync", call_sync(c.v1.identity, "put_weights", (weights,))),
        ("unstable async", loop.run_until_complete(call_async(ac.unstable.identity, "put_weights", (weights, 0)))),
        ("v1 async", loop.run_until_complete(call_async(ac.v1.identity, "put_weights", (weights,)))),
        ("unstable sync", call_sync(c.unstable.identity, "put_weights", (weights, 0))),
    ):
        answer(r)  # SetWeightsResponse is an empty model: no error is the answer
    head = c.v1.open_access.get_latest_block_info().number
    for r in (call_sync(c.unstable.identity, "get_weights_status", (head,)),
              loop.run_until_complete(call_async(ac.unstable.identity, "get_weights_status", (head, 0)))):
        same("a weights job runs in this epoch", answer(r).weights_submitted, True)
    OUT["weights_submitted"] = True

    answer(call_sync(c.v1.identity, "set_commitment", ("0xfeedbeef",)))
    same("own commitment (v1)", c.v1.identity.get_own_commitment().commitment, "0xfeedbeef")
    answer(loop.run_until_complete(call_async(ac.unstable.identity, "set_commitment", (b"\xca\xfe",))))
    own = c.unstable.identity.get_own_commitment().commitment
    same("own commitment (unstable, set from bytes)", (own.kind.value, own.commitment), ("hex_data", "0xcafe"))
    answer(loop.run_until_complete(call_async(ac.v1.identity, "set_commitment", ("c0ffee",))))
    answer(call_sync(c.unstable.identity, "set_commitment", ("0xfeedbeef",)))
    OUT["own_commitment_after"] = c.v1.identity.get_own_commitment().commitment

    not_in_v1(call_sync(c.v1.identity, "set_revealed_commitment", ("never", 3)))
    not_in_v1(loop.run_until_complete(call_async(ac.v1.identity, "set_revealed_commitment", ("never", 3))))
    first = answer(call_sync(c.unstable.identity, "set_revealed_commitment", ("sealed by the sync client", 3)))
    text = "sealed by the async client"
    second = answer(loop.run_until_complete(call_async(ac.unstable.identity, "set_revealed_commitment", (text, 3))))
    check("reveal rounds ahead", second.reveal_round >= first.reveal_round > 0, (first, second))
    pending = c.unstable.identity.get_own_commitment().commitment
    same("pending, timelocked", (pending.kind.value, pending.reveal_round), ("timelock_encrypted", second.reveal_round))
    raised(PylonNotFound)(call_sync(c.v1.identity, "get_own_commitment", ()))
    deadline = time.time() + 60
    while True:
        r = call_sync(c.unstable.identity, "get_own_revealed_commitments", ())
        if not isinstance(r, Raised) and text in [x.commitment for x in r.commitments]:
            break
        check("revealed within 60 s", time.time() < deadline, repr(r))
        time.sleep(0.5)
    r = loop.run_until_complete(call_async(ac.unstable.identity, "get_own_revealed_commitments", ()))
    check("the async client reads it too", text in [x.commitment for x in answer(r).commitments], repr(r))
    OUT["revealed_round"] = second.reveal_round


def self_signed(key, name):
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    return (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, None)
    )


def write_pair(d, stem, key, cert):
    open(f"{d}/{stem}.pem", "wb").write(cert.public_bytes(serialization.Encoding.PEM))
    open(f"{d}/{stem}.key", "wb").write(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return f"{d}/{stem}.pem", f"{d}/{stem}.key"


def pinning(c, loop):
    """POST certificates/self, serve TLS with that key as the identity's axon, and connect with the
    client's pinning helper: it must accept the key Pylon reports, and refuse it for a hotkey
    whose registered certificate is another key."""
    r = httpx.post(f"{F['base']}/api/v1/identity/sn1/subnet/{N}/certificates/self",
                   headers={"Authorization": "Bearer sn1-token"}, json={"algorithm": 1}, timeout=60)
    same("certificate generated", r.status_code, 201)
    pair = r.json()
    check("bare hex keys", HEX64.match(pair["public_key"]) and HEX64.match(pair["private_key"]), pair)
    key = ed25519.Ed25519PrivateKey.from_private_bytes(bytes.fromhex(pair["private_key"]))
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()
    same("the private key opens the public key", raw, pair["public_key"])
    d = tempfile.mkdtemp()
    server_cert, server_key = write_pair(d, "miner", key, self_signed(key, "miner"))
    client_key = ed25519.Ed25519PrivateKey.generate()
    client_cert, client_key_path = write_pair(d, "validator", client_key, self_signed(client_key, "validator"))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(server_cert, server_key)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]

    def serve():
        while True:
            conn, _ = listener.accept()
            try:
                ctx.wrap_socket(conn, server_side=True).close()
            except (ssl.SSLError, OSError):
                pass

    threading.Thread(target=serve, daemon=True).start()
    config = dict(address=F["base"], open_access_token="oa-token", identity_name="sn1", identity_token="sn1-token",
                  mtls_cert_path=client_cert, mtls_key_path=client_key_path)
    own = c.v1.identity.get_latest_neurons().neurons[F["own_hotkey"]]
    here = own.model_copy(update={"axon_info": own.axon_info.model_copy(update={"ip": "127.0.0.1", "port": port})})
    deadline = time.time() + 30
    while c.v1.identity.get_certificate(F["own_hotkey"]).public_key != pair["public_key"]:
        check("the new certificate is read within 30 s", time.time() < deadline)
        time.sleep(0.3)
    with PylonClient(Config(**config)) as pinned:
        with pinned.get_neuron_client(here) as nc:
            same("pinned client", str(nc.base_url), f"https://127.0.0.1:{port}")
    # A fresh client (the helper caches clients by address): the same miner claimed by a hotkey
    # whose registered certificate is another key must be refused.
    other = c.v1.open_access.get_latest_neurons(N).neurons[CERT]
    impostor = other.model_copy(update={"axon_info": here.axon_info})
    with PylonClient(Config(**config)) as fresh:
        try:
            with fresh.get_neuron_client(impostor):
                raise Failed("a certificate registered for another key was accepted")
        except MtlsVerificationError:
            pass

    async def with_async():
        async with AsyncPylonClient(AsyncConfig(**config)) as pinned:
            async with pinned.get_neuron_client(here) as nc:
                return str(nc.base_url)

    same("pinned async client", loop.run_until_complete(with_async()), f"https://127.0.0.1:{port}")
    OUT["pinned_public_key"] = pair["public_key"]


def open_gateway(loop):
    """With no open-access token on the gateway, the client's unauthenticated drand call works."""
    with PylonClient(Config(address=F["open_base"], open_access_token="any")) as c:
        r = answer(c.unstable.open_access.get_drand_last_stored_round())
        check("a round", r.last_stored_round > 0, r)

    async def a():
        async with AsyncPylonClient(AsyncConfig(address=F["open_base"], open_access_token="any")) as c:
            return await c.unstable.open_access.get_drand_last_stored_round()

    check("async too", answer(loop.run_until_complete(a())).last_stored_round > 0)


def main():
    steps = []
    loop = asyncio.new_event_loop()
    config = dict(address=F["base"], open_access_token="oa-token", identity_name="sn1", identity_token="sn1-token")
    try:
        steps.append(("coverage", coverage()))
        with PylonClient(Config(**config)) as c:
            ac = AsyncPylonClient(AsyncConfig(**config))
            loop.run_until_complete(ac.open())
            res = reads(c, ac, loop)
            OUT["validators"] = res["v1.open_access.get_latest_validators"]
            OUT["neurons_at_block"] = c.v1.open_access.get_neurons(N, B).model_dump(mode="json")
            OUT["read_calls"] = len(res)
            writes(c, ac, loop)
            pinning(c, loop)
            loop.run_until_complete(ac.close())
        open_gateway(loop)
    except Failed as e:
        print(json.dumps({"failed": str(e)}))
        return 1
    print(json.dumps(OUT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
