"""Drives `pylon serve` with the published Python client, bittensor-pylon-client 2.3.1.

Usage: python pylon_client_check.py BASE_URL OPEN_ACCESS_TOKEN IDENTITY_TOKEN BLOCK
Prints one JSON document with what the client read (the Rust test compares it with the CLI);
exits non-zero on the first unexpected answer.
"""
import json
import sys

from pylon_client.artanis import (
    BlockNumber,
    Config,
    NetUid,
    PylonClient,
    PylonForbidden,
    PylonNotFound,
    PylonUnauthorized,
)

base, oa_token, id_token, block = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])


def expect(error, call):
    try:
        call()
    except error:
        return
    sys.exit(f"expected {error.__name__}")


out = {}
config = Config(address=base, open_access_token=oa_token, identity_name="sn1", identity_token=id_token)
with PylonClient(config) as c:
    at = c.v1.open_access.get_neurons(netuid=NetUid(1), block_number=BlockNumber(block))
    out["neurons_at_block"] = at.model_dump(mode="json")
    latest = c.v1.open_access.get_latest_neurons(netuid=NetUid(1))
    out["latest_neurons"] = len(latest.neurons)
    validators = c.v1.open_access.get_latest_validators(netuid=NetUid(1))
    out["validators"] = [v.hotkey for v in validators.validators]
    out["block_info"] = c.v1.open_access.get_latest_block_info().model_dump(mode="json")
    commitments = c.v1.open_access.get_commitments(netuid=NetUid(1))
    out["commitments"] = {k: v for k, v in commitments.model_dump(mode="json")["commitments"].items()}
    hotkey = next(iter(commitments.commitments))
    out["one_commitment"] = c.v1.open_access.get_commitment(netuid=NetUid(1), hotkey=hotkey).commitment
    out["identity_neurons"] = len(c.v1.identity.get_latest_neurons().neurons)
    # A stale cached netuid (as after the identity moved to another subnet): the server answers
    # 308, the client refreshes the netuid from /identities and retries.
    c.v1.identity._netuid = NetUid(2)
    out["after_308"] = len(c.v1.identity.get_latest_neurons().neurons)
    out["netuid_after_308"] = c.v1.identity.netuid
    out["identity_validators"] = len(c.v1.identity.get_latest_validators().validators)
    out["identity_commitment"] = c.v1.identity.get_commitment(hotkey=hotkey).commitment
    try:
        out["own_commitment"] = c.v1.identity.get_own_commitment().commitment
    except PylonNotFound:
        out["own_commitment"] = None
    out["unstable_neurons"] = len(c.unstable.open_access.get_latest_neurons(netuid=NetUid(2)).neurons)
    unstable = c.unstable.open_access.get_commitments(netuid=NetUid(1))
    out["unstable_kinds"] = sorted({v.kind.value for v in unstable.commitments.values()})
    revealed = c.unstable.open_access.get_all_revealed_commitments(netuid=NetUid(1))
    out["revealed"] = sum(len(v) for v in revealed.commitments.values())
    out["unstable_identity_neurons"] = len(c.unstable.identity.get_latest_neurons().neurons)
    expect(PylonNotFound, lambda: c.v1.open_access.get_neurons(netuid=NetUid(1), block_number=BlockNumber(10**9)))
    # Writes: the Rust side reads their effect back from the chain.
    # Subnet 1 takes at least 8 weights.
    targets = out["validators"][:8]
    scheduled = c.v1.identity.put_weights(weights={t: (1.0 if i == 0 else 0.5) for i, t in enumerate(targets)})
    out["put_weights"] = scheduled.model_dump(mode="json")
    out["weight_targets"] = targets
    status = c.unstable.identity.get_weights_status(block_number=BlockNumber(block))
    out["weights_submitted"] = status.weights_submitted
    out["set_commitment"] = c.v1.identity.set_commitment("0xfeedbeef").model_dump(mode="json")
    out["own_commitment_after"] = c.v1.identity.get_own_commitment().commitment

with PylonClient(Config(address=base, open_access_token="two words")) as c:
    # "Bearer two words" is not "Bearer <token>": 401, which the client maps to PylonUnauthorized.
    expect(PylonUnauthorized, lambda: c.v1.open_access.get_latest_neurons(netuid=NetUid(1)))
with PylonClient(Config(address=base, open_access_token="wrong")) as c:
    expect(PylonForbidden, lambda: c.v1.open_access.get_latest_neurons(netuid=NetUid(1)))
with PylonClient(Config(address=base, open_access_token=oa_token, identity_name="sn1", identity_token="wrong")) as c:
    expect(PylonForbidden, lambda: c.v1.identity.get_latest_neurons())
with PylonClient(Config(address=base, open_access_token=oa_token, identity_name="nobody", identity_token="x")) as c:
    try:
        c.v1.identity.get_latest_neurons()
        sys.exit("an unknown identity should not be usable")
    except Exception:
        pass
print(json.dumps(out))
