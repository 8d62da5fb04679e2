#!/usr/bin/env python3
"""Writes the seed corpora of the vault fuzz targets from the format vectors.

    python3 Tests/Fuzz/make_seeds.py

vault-file:    the vault bytes of every Tests/SecretctlCoreTests/FormatVectors/*.vector
vault-payload: the decrypted payload of every vector that has a key line and whose payload
               decrypts (valid vaults, and the "damaged payload plaintext" rules, whose
               payloads are authentic but malformed), decrypted following docs/vault-format.md.
Seeds are named after their vector. `bash Tests/Fuzz/run merge TARGET` minimises afterwards.
"""
import base64
import glob
import os
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, "..", "SecretctlCoreTests", "FormatVectors")


def split(path):
    data = open(path, "rb").read()
    head, marker, vault = data.partition(b"--- vault ---\n")
    if not marker:
        return None, None
    fields = {}
    for line in head.decode().splitlines():
        if ":" in line and not line.startswith("#"):
            key, value = line.split(":", 1)
            fields[key.strip()] = value.strip()
    return fields, vault


def payload(fields, vault):
    """The payload plaintext, or None when this vector's payload cannot be opened with its key."""
    if "key" not in fields:
        return None
    try:
        lines = vault.split(b"\n")
        vault_id = lines[1].split(b" ")[1]
        separator = next(i for i, line in enumerate(lines) if line.startswith(b"--- "))
        header = b"\n".join(lines[:separator]) + b"\n"
        key = base64.b64decode(fields["key"])
        data_key = None
        for line in lines[2:separator]:
            parts = line.split(b" ")
            if parts[0] == b"key" and len(parts) == 4:
                try:
                    data_key = AESGCM(key).decrypt(
                        base64.b64decode(parts[2]), base64.b64decode(parts[3]), b"secretctl-vault/v1 wrap " + vault_id)
                    break
                except (InvalidTag, ValueError):
                    continue
        if data_key is None:
            return None
        nonce = base64.b64decode(lines[separator].split(b" ")[1])
        return AESGCM(data_key).decrypt(nonce, base64.b64decode(lines[separator + 1]), header)
    except (InvalidTag, ValueError, IndexError, StopIteration):
        return None


def main():
    out_file = os.path.join(HERE, "corpus", "vault-file")
    out_payload = os.path.join(HERE, "corpus", "vault-payload")
    os.makedirs(out_file, exist_ok=True)
    os.makedirs(out_payload, exist_ok=True)
    counts = [0, 0]
    for path in sorted(glob.glob(os.path.join(VECTORS, "*.vector"))):
        fields, vault = split(path)
        if vault is None:
            continue
        name = os.path.basename(path)[: -len(".vector")]
        open(os.path.join(out_file, "vector-" + name), "wb").write(vault)
        counts[0] += 1
        plain = payload(fields, vault)
        if plain is not None:
            open(os.path.join(out_payload, "vector-" + name), "wb").write(plain)
            counts[1] += 1
    print(f"make_seeds: {counts[0]} vault-file seeds, {counts[1]} vault-payload seeds", file=sys.stderr)


if __name__ == "__main__":
    main()
