"""The Python Pylon service's extrinsic JSON, made by the decoder it uses, compared with Pylon's.

Usage: python scalecodec_oracle.py METADATA_V15 CASES_JSONL

The service reads a block with turbobt, which decodes each extrinsic with scalecodec's
`Extrinsic` type (core type registry, V15 metadata, no SS58 format), and then moves
`extrinsic_hash`, `extrinsic_length`, `address` and `call` (`call_module`, `call_function`,
`call_args`) to the front, adding `block_number` and `extrinsic_index`. This script does the same
for every case ({"hex": extrinsic with its length prefix, "pylon": Pylon's JSON}) and compares the
two as JSON. Exit 0 when all agree, 1 listing the first differences.

One difference is known and checked instead of compared: scalecodec hashes a *nested* call (the
call inside Sudo.sudo, Utility.batch, Proxy.proxy, ...) from its first byte to the end of the
whole extrinsic (it hashes before it knows where the call ends), so its `call_hash` is wrong
whenever more arguments follow. Where the two differ, scalecodec's hash locates the nested call's
first byte; Pylon's must be the hash of the bytes from there that scalecodec decodes as exactly
one call.

Run it with turbobt's interpreter (PYLON_SDK11_PYTHON): scalecodec is turbobt's.
"""
import hashlib
import json
import sys

import scalecodec
from scalecodec.base import RuntimeConfigurationObject, ScaleBytes
from scalecodec.type_registry import load_type_registry_preset
from turbobt.substrate._scalecodec import load_type_registry_v15_types

BLOCK_NUMBER = 4500123


def runtime(metadata_bytes):
    """The runtime configuration turbobt builds (substrate/client.py, _init_runtime)."""
    config = RuntimeConfigurationObject()
    config.update_type_registry(load_type_registry_preset(name="core"))
    config.update_type_registry_types(load_type_registry_v15_types())
    config.type_registry["types"]["metadataall"].type_mapping.append(["V15", "MetadataV15"])
    metadata = config.create_scale_object("MetadataVersioned", data=ScaleBytes(metadata_bytes))
    metadata.decode()
    config.add_portable_registry(metadata)
    return config, metadata


def as_service(raw, index):
    """The service's _translate_extrinsic, then JSON."""
    call = raw.get("call", {})
    out = {
        "block_number": BLOCK_NUMBER,
        "extrinsic_index": index,
        "extrinsic_hash": raw.get("extrinsic_hash", ""),
        "extrinsic_length": raw.get("extrinsic_length", 0),
        "address": raw.get("address"),
        "call": {
            "call_module": call.get("call_module", ""),
            "call_function": call.get("call_function", ""),
            "call_args": call.get("call_args", []),
            **{k: v for k, v in call.items() if k not in ("call_module", "call_function", "call_args")},
        },
        **{k: v for k, v in raw.items() if k not in ("extrinsic_hash", "extrinsic_length", "address", "call")},
    }
    return json.loads(json.dumps(out))


def blake2(data):
    return "0x" + hashlib.blake2b(data, digest_size=32).hexdigest()


class Oracle:
    """Checks a nested call hash that differs from scalecodec's: scalecodec's hash pins where the
    nested call starts (it covers the bytes from there to the end of the extrinsic); Pylon's must
    cover the bytes from there to some end, and exactly those bytes must decode as one call."""

    def __init__(self, config, metadata):
        self.config, self.metadata = config, metadata
        self.data = b""
        self.nested_hashes = 0

    def nested_hash_ok(self, path, scalecodec_hash, pylon_hash):
        if path == "$.call.call_hash":
            return False
        data = self.data
        start = next((i for i in range(len(data)) if blake2(data[i:]) == scalecodec_hash), None)
        if start is None:
            return False
        end = next((j for j in range(start + 2, len(data)) if blake2(data[start:j]) == pylon_hash), None)
        if end is None:
            return False
        call = self.config.create_scale_object("Call", data=ScaleBytes(data[start:end]), metadata=self.metadata)
        call.decode(check_remaining=True)
        self.nested_hashes += 1
        return True


def first_difference(a, b, oracle, path="$"):
    if type(a) is not type(b):
        return f"{path}: scalecodec {a!r} / pylon {b!r}"
    if isinstance(a, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k not in a or k not in b:
                return f"{path}.{k}: only in {'scalecodec' if k in a else 'pylon'}"
            if k == "call_hash" and a[k] != b[k] and oracle.nested_hash_ok(f"{path}.{k}", a[k], b[k]):
                continue
            d = first_difference(a[k], b[k], oracle, f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items (scalecodec) / {len(b)} (pylon)"
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, oracle, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if a == b else f"{path}: scalecodec {a!r} / pylon {b!r}"


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    config, metadata = runtime(open(sys.argv[1], "rb").read())
    extrinsic_cls = config.get_decoder_class("Extrinsic")
    cases = [json.loads(line) for line in open(sys.argv[2])]
    oracle = Oracle(config, metadata)
    failures = []
    for index, case in enumerate(cases):
        pylon = case["pylon"]
        name = f"#{index} {pylon['call']['call_module']}.{pylon['call']['call_function']}"
        try:
            oracle.data = bytes.fromhex(case["hex"])
            raw = extrinsic_cls(data=ScaleBytes(oracle.data), metadata=metadata).decode()
        except Exception as e:  # the service would answer 500; Pylon must not claim a shape
            failures.append(f"{name}: scalecodec cannot decode it ({type(e).__name__}: {e})")
            continue
        difference = first_difference(as_service(raw, index), pylon, oracle)
        if difference:
            failures.append(f"{name}: {difference}")
    for line in failures[:25]:
        print("FAIL", line)
    print(
        f"{len(cases) - len(failures)} of {len(cases)} extrinsics agree with scalecodec "
        f"({oracle.nested_hashes} nested call hashes checked against the nested calls' bytes instead)"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
