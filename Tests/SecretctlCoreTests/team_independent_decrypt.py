#!/usr/bin/env python3
"""Decrypt a secretctl vault with an X25519 identity, following only docs/vault-format.md
("Recipients" and the sections it builds on) and Python's `cryptography` package.

usage: team_independent_decrypt.py VAULT IDENTITY-FILE
prints one JSON object: {"recipient": "secretctl1...", "entries": {NAME: {"version": N,
"created": T, "value_hex": HEX}}} with the current version of each entry; exits 2 when the
identity is not a recipient of the vault or does not open it.
"""
import base64
import binascii
import json
import struct
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def fail(message, code=1):
    sys.stderr.write("team_independent_decrypt: " + message + "\n")
    sys.exit(code)


# --- Bech32 (BIP 173), written from the BIP's reference description -------------------------

def polymod(values):
    generator = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            check ^= generator[i] if (top >> i) & 1 else 0
    return check


def hrp_expand(hrp):
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def bech32_decode(text, hrp):
    if text.lower() != text and text.upper() != text:
        fail("mixed case bech32")
    text = text.lower()
    position = text.rfind("1")
    if text[:position] != hrp:
        fail("wrong bech32 prefix")
    data = [CHARSET.index(c) for c in text[position + 1:]]
    if polymod(hrp_expand(hrp) + data) != 1:
        fail("bad bech32 checksum")
    accumulator, bits, output = 0, 0, []
    for value in data[:-6]:
        accumulator = (accumulator << 5) | value
        bits += 5
        while bits >= 8:
            bits -= 8
            output.append((accumulator >> bits) & 0xFF)
    if bits >= 5 or (accumulator << (8 - bits)) & 0xFF:
        fail("bad bech32 padding")
    return bytes(output)


def bech32_encode(hrp, data):
    accumulator, bits, groups = 0, 0, []
    for byte in data:
        accumulator = (accumulator << 8) | byte
        bits += 8
        while bits >= 5:
            bits -= 5
            groups.append((accumulator >> bits) & 31)
    if bits:
        groups.append((accumulator << (5 - bits)) & 31)
    value = polymod(hrp_expand(hrp) + groups + [0] * 6) ^ 1
    checksum = [(value >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(CHARSET[g] for g in groups + checksum)


# --- The spec ---------------------------------------------------------------------------------

def b64(text, length=None):
    raw = base64.b64decode(text, validate=True)
    if base64.b64encode(raw).decode() != text:
        fail("non-canonical base64")
    if length is not None and len(raw) != length:
        fail("wrong field length")
    return raw


def read_identity(path):
    lines = [line.strip() for line in open(path, encoding="ascii").read().split("\n")]
    keys = [line for line in lines if line and not line.startswith("#")]
    if len(keys) != 1:
        fail("an identity file holds exactly one key line")
    private = bech32_decode(keys[0], "secretctl-secret-key-")
    if len(private) != 32:
        fail("an identity is 32 bytes")
    return X25519PrivateKey.from_private_bytes(private)


def main():
    vault_path, identity_path = sys.argv[1], sys.argv[2]
    identity = read_identity(identity_path)
    own_public = identity.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    data = open(vault_path, "rb").read()
    text = data.decode("ascii")
    lines = text.split("\n")
    if lines[-1] != "" or lines[0] != "secretctl-vault/v1":
        fail("not a v1 vault")
    lines = lines[:-1]
    kind, vault_id = lines[1].split(" ")
    if kind != "id":
        fail("no id line")
    separator = lines[-2]
    if not separator.startswith("--- "):
        fail("no payload separator")

    wrap_aad = b"secretctl-vault/v1 wrap " + vault_id.encode("ascii")
    data_key = None
    for line in lines[2:-2]:
        fields = line.split(" ")
        if fields[0] != "recipient":
            continue
        if len(fields) != 6:
            fail("a recipient line has 6 fields")
        _, name, recipient_key, ephemeral_key, nonce, wrapped = fields
        recipient_key = b64(recipient_key, 32)
        if recipient_key != own_public:
            continue
        ephemeral_key = b64(ephemeral_key, 32)
        shared = identity.exchange(X25519PublicKey.from_public_bytes(ephemeral_key))
        if shared == bytes(32):
            fail("all-zero shared secret", 2)
        kek = HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral_key + recipient_key,
                   info=b"secretctl-vault/v1 recipient").derive(shared)
        data_key = AESGCM(kek).decrypt(b64(nonce, 12), b64(wrapped, 48), wrap_aad)
    if data_key is None:
        fail("this identity is not a recipient of the vault", 2)

    header = data[: text.index("\n--- ") + 1]
    payload = AESGCM(data_key).decrypt(b64(separator[4:], 12), b64(lines[-1]), header)

    offset = 0

    def take(fmt):
        nonlocal offset
        values = struct.unpack_from(fmt, payload, offset)
        offset += struct.calcsize(fmt)
        return values

    (payload_version,) = take(">B")
    if payload_version != 1:
        fail("unknown payload version")
    (count,) = take(">I")
    entries = {}
    for _ in range(count):
        (name_length,) = take(">H")
        name = payload[offset:offset + name_length].decode("ascii")
        offset += name_length
        (recipe_kind,) = take(">B")
        if recipe_kind == 1:
            take(">IB")
        take(">B")  # history limit
        (version_count,) = take(">H")
        for index in range(version_count):
            version, created, value_length = take(">IqI")
            value = payload[offset:offset + value_length]
            offset += value_length
            if index == 0:
                entries[name] = {"version": version, "created": created, "value_hex": binascii.hexlify(value).decode()}
    if offset != len(payload):
        fail("trailing payload bytes")
    print(json.dumps({"recipient": bech32_encode("secretctl", own_public), "entries": entries}, sort_keys=True))


if __name__ == "__main__":
    main()
