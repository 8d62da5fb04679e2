#!/usr/bin/env python3
"""Decrypts a secretctl vault using only docs/vault-format.md and Python's `cryptography`.

This file shares no code with secretctl. It is a second, independent reader of the
format: if it and secretctl disagree about a vault, the spec is ambiguous or one of the
two is wrong.

Usage:
    SECRETCTL_KEY=<base64 key>       independent_decrypt.py VAULT
    SECRETCTL_KEY_FILE=<path>        independent_decrypt.py VAULT
    SECRETCTL_PASSPHRASE=<text>      independent_decrypt.py VAULT
    SECRETCTL_IDENTITY_KEY=<base64 of the raw X25519 private key> independent_decrypt.py VAULT

Prints the vault as JSON on stdout:
    {"vault_id": "...", "unlockers": ["key <key-id>", "passphrase 10 8 1", ...],
     "entries": [{"name": ..., "history_limit": ..., "recipe": null | {"bytes": N, "encoding": "base64"},
                  "versions": [{"version": N, "created": T, "value": "<base64>"}, ...]}, ...]}
Exit status: 0 ok; 2 usage; 3 unsupported version or not a vault; 4 damaged; 5 wrong key.
On failure one line `<outcome>: <reason>` goes to stderr, where outcome is
unsupported, damaged or wrong-key.

The credentials come from the environment, never from argv (argv is visible in /proc).
"""

import base64
import binascii
import json
import os
import re
import struct
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

VERSION_LINE = b"secretctl-vault/v1"
VERSION_PREFIX = b"secretctl-vault/"
MAX_UNLOCKERS = 16
ENVIRONMENT_NAME = re.compile(r"[a-z0-9_][a-z0-9_-]{0,62}")
HEX32 = re.compile(r"[0-9a-f]{32}")
HEX16 = re.compile(r"[0-9a-f]{16}")
DECIMAL = re.compile(r"0|[1-9][0-9]*")
NAME = re.compile(rb"[-._a-zA-Z0-9]+")
RECIPIENT_NAME = re.compile(r"[-._@a-zA-Z0-9]{1,64}")
RECIPIENT_INFO = b"secretctl-vault/v1 recipient"
ENCODINGS = {0: "base64", 1: "base64url", 2: "hex"}


class VaultError(Exception):
    """outcome is "unsupported", "damaged" or "wrong-key"; stage is "parse", "unwrap" or "open"."""

    def __init__(self, outcome, stage, reason):
        super().__init__(reason)
        self.outcome = outcome
        self.stage = stage
        self.reason = reason


def damaged(stage, reason):
    return VaultError("damaged", stage, reason)


# MARK: - Encoding rules


def b64(text, size=None, what="base64 field"):
    """Canonical standard base64 (RFC 4648 section 4, padded), optionally of `size` bytes."""
    if not re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", text) or len(text) % 4 != 0:
        raise damaged("parse", f"{what} is not canonical base64")
    try:
        decoded = base64.b64decode(text, validate=True)
    except binascii.Error:
        raise damaged("parse", f"{what} is not canonical base64") from None
    if base64.b64encode(decoded).decode("ascii") != text:
        raise damaged("parse", f"{what} is not canonical base64")
    if size is not None and len(decoded) != size:
        raise damaged("parse", f"{what} must be {size} bytes, got {len(decoded)}")
    return decoded


def decimal(text, what):
    if not DECIMAL.fullmatch(text) or len(text) > 10:
        raise damaged("parse", f"{what} is not a decimal number without sign or leading zeros")
    return int(text)


# MARK: - Header


def parse(data):
    """The vault's parts: vault id, unlockers, header bytes, payload nonce, sealed payload."""
    if not data.startswith(VERSION_LINE + b"\n"):
        if data.startswith(VERSION_LINE + b"\r"):
            raise damaged("parse", "CR after the version line (CRLF line ends)")
        if data.startswith(VERSION_PREFIX):
            if b"\n" not in data:
                raise damaged("parse", "the file ends inside its first line")
            raise VaultError("unsupported", "parse", "unsupported vault version")
        raise VaultError("unsupported", "parse", "not a secretctl vault")
    if b"\r" in data:
        raise damaged("parse", "CR in the file")
    if not data.endswith(b"\n"):
        raise damaged("parse", "the file does not end with LF")
    for byte in data:
        if byte != 0x0A and not 0x20 <= byte <= 0x7E:
            raise damaged("parse", "byte outside printable ASCII")
    text = data.decode("ascii")
    lines = text[:-1].split("\n")
    for line in lines:
        if line == "":
            raise damaged("parse", "empty line")
        if any(field == "" for field in line.split(" ")):
            raise damaged("parse", "fields must be separated by exactly one space")

    id_fields = lines[1].split(" ") if len(lines) > 1 else []
    if len(id_fields) != 2 or id_fields[0] != "id" or not HEX32.fullmatch(id_fields[1]):
        raise damaged("parse", "line 2 must be 'id' and 32 lowercase hex digits")
    vault_id = id_fields[1]

    # Optional lines between the id and the unlockers, in this order ("Environment binding"
    # and "Key changes" in the spec). A reader of values needs neither: they are part of the
    # header, which is the payload's associated data.
    index = 2
    environment = None
    if index < len(lines) and lines[index].split(" ")[0] == "env":
        fields = lines[index].split(" ")
        if len(fields) != 2 or not ENVIRONMENT_NAME.fullmatch(fields[1]):
            raise damaged("parse", "'env' takes one environment name")
        environment = fields[1]
        index += 1
    if index < len(lines) and lines[index].split(" ")[0] == "key-change":
        fields = lines[index].split(" ")
        if len(fields) != 2:
            raise damaged("parse", "'key-change' takes 1 field")
        b64(fields[1], 32, "key-change proof")
        index += 1

    unlockers = []
    while index < len(lines) and not lines[index].startswith("--- ") and lines[index] != "---":
        unlockers.append(parse_unlocker(lines[index].split(" "), unlockers))
        index += 1
    if not unlockers:
        raise damaged("parse", "no unlocker")
    if len(unlockers) > MAX_UNLOCKERS:
        raise damaged("parse", f"more than {MAX_UNLOCKERS} unlockers")
    if index != len(lines) - 2:
        raise damaged("parse", "expected exactly '--- <nonce>' and the payload after the unlockers")
    separator = lines[index].split(" ")
    if len(separator) != 2 or separator[0] != "---":
        raise damaged("parse", "the separator line must be '--- <payload-nonce>'")
    nonce = b64(separator[1], 12, "payload nonce")
    sealed = b64(lines[index + 1], None, "payload")
    if len(sealed) < 16:
        raise damaged("parse", "the payload is shorter than its tag")
    header = ("\n".join(lines[:index]) + "\n").encode("ascii")
    return vault_id, unlockers, header, nonce, sealed


def parse_unlocker(fields, previous):
    kind = fields[0]
    if kind == "key":
        if len(fields) != 4:
            raise damaged("parse", "'key' takes 3 fields")
        key_id = fields[1]
        if not HEX16.fullmatch(key_id):
            raise damaged("parse", "key-id must be 16 lowercase hex digits")
        if any(u["type"] == "key" and u["key_id"] == key_id for u in previous):
            raise damaged("parse", "duplicate key-id")
        return {"type": "key", "key_id": key_id,
                "nonce": b64(fields[2], 12, "wrap nonce"), "wrapped": b64(fields[3], 48, "wrapped key")}
    if kind == "passphrase":
        if len(fields) != 7:
            raise damaged("parse", "'passphrase' takes 6 fields")
        if any(u["type"] == "passphrase" for u in previous):
            raise damaged("parse", "more than one passphrase unlocker")
        log2n = decimal(fields[1], "log2-n")
        r = decimal(fields[2], "r")
        p = decimal(fields[3], "p")
        if not 10 <= log2n <= 20 or not 1 <= r <= 32 or not 1 <= p <= 16 or 2**log2n * r * p > 2**23:
            raise damaged("parse", "scrypt parameters out of range")
        return {"type": "passphrase", "log2n": log2n, "r": r, "p": p,
                "salt": b64(fields[4], 16, "salt"),
                "nonce": b64(fields[5], 12, "wrap nonce"), "wrapped": b64(fields[6], 48, "wrapped key")}
    if kind == "recipient":
        if len(fields) != 6:
            raise damaged("parse", "'recipient' takes 5 fields")
        name = fields[1]
        if not RECIPIENT_NAME.fullmatch(name):
            raise damaged("parse", "invalid recipient name")
        recipient_key = b64(fields[2], 32, "recipient key")
        if any(u["type"] == "recipient" and (u["name"] == name or u["recipient_key"] == recipient_key) for u in previous):
            raise damaged("parse", "duplicate recipient name or recipient key")
        return {"type": "recipient", "name": name, "recipient_key": recipient_key,
                "ephemeral_key": b64(fields[3], 32, "ephemeral key"),
                "nonce": b64(fields[4], 12, "wrap nonce"), "wrapped": b64(fields[5], 48, "wrapped key")}
    raise damaged("parse", f"unknown unlocker type {kind[:20]!r}")


# MARK: - Keys


def unwrap(vault_id, unlockers, credential):
    """The data key from the first unlocker the credential opens.

    credential is ("key", 32 bytes), ("passphrase", UTF-8 bytes) or ("identity", the 32-byte
    X25519 private key)."""
    aad = b"secretctl-vault/v1 wrap " + vault_id.encode("ascii")
    kind, secret = credential
    kinds = {"key": "key", "passphrase": "passphrase", "identity": "recipient"}
    for unlocker in unlockers:
        if unlocker["type"] != kinds[kind]:
            continue
        if kind == "key":
            if len(secret) != 32:
                continue
            kek = secret
        elif kind == "identity":
            identity = X25519PrivateKey.from_private_bytes(secret)
            if identity.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw) != unlocker["recipient_key"]:
                continue  # only the line that lists this identity's public key is tried
            try:
                shared = identity.exchange(X25519PublicKey.from_public_bytes(unlocker["ephemeral_key"]))
            except ValueError:
                continue  # an all-zero shared secret (low-order point): a wrong key
            if shared == bytes(32):
                continue
            kek = HKDF(algorithm=hashes.SHA256(), length=32, salt=unlocker["ephemeral_key"] + unlocker["recipient_key"],
                       info=RECIPIENT_INFO).derive(shared)
        else:
            n = 2 ** unlocker["log2n"]
            kek = Scrypt(salt=unlocker["salt"], length=32, n=n, r=unlocker["r"], p=unlocker["p"]).derive(secret)
        try:
            return AESGCM(kek).decrypt(unlocker["nonce"], unlocker["wrapped"], aad)
        except InvalidTag:
            continue
    raise VaultError("wrong-key", "unwrap", "no unlocker opens with the key in hand")


# MARK: - Payload


class Reader:
    def __init__(self, data):
        self.data = data
        self.offset = 0

    def take(self, count):
        if count > len(self.data) - self.offset:
            raise damaged("open", "payload ends early")
        chunk = self.data[self.offset:self.offset + count]
        self.offset += count
        return chunk

    def u8(self):
        return self.take(1)[0]

    def u16(self):
        return struct.unpack(">H", self.take(2))[0]

    def u32(self):
        return struct.unpack(">I", self.take(4))[0]

    def i64(self):
        return struct.unpack(">q", self.take(8))[0]


def decode_payload(plaintext):
    reader = Reader(plaintext)
    if reader.u8() != 1:
        raise damaged("open", "unknown payload version")
    count = reader.u32()
    if count > 100000:
        raise damaged("open", "entry count out of range")
    entries = []
    previous = None
    for _ in range(count):
        name_length = reader.u16()
        if not 1 <= name_length <= 253:
            raise damaged("open", "name length out of range")
        name = reader.take(name_length)
        if not NAME.fullmatch(name) or name in (b".", b"..") or name.startswith(b".."):
            raise damaged("open", "invalid entry name")
        if previous is not None and not previous < name:
            raise damaged("open", "names not sorted by bytes or not unique")
        previous = name
        kind = reader.u8()
        if kind == 0:
            recipe = None
        elif kind == 1:
            size = reader.u32()
            if not 1 <= size <= 1048576:
                raise damaged("open", "random-bytes out of range")
            encoding = reader.u8()
            if encoding not in ENCODINGS:
                raise damaged("open", "unknown encoding")
            recipe = {"bytes": size, "encoding": ENCODINGS[encoding]}
        else:
            raise damaged("open", "unknown recipe kind")
        limit = reader.u8()
        if limit > 100:
            raise damaged("open", "history-limit out of range")
        version_count = reader.u16()
        if not 1 <= version_count <= limit + 1:
            raise damaged("open", "version-count out of range")
        versions = []
        for _ in range(version_count):
            number = reader.u32()
            if number < 1 or (versions and number >= versions[-1]["version"]):
                raise damaged("open", "versions not >= 1 and strictly decreasing")
            created = reader.i64()
            length = reader.u32()
            if length > 1048576:
                raise damaged("open", "value-length out of range")
            value = reader.take(length)
            versions.append({"version": number, "created": created,
                             "value": base64.b64encode(value).decode("ascii")})
        entries.append({"name": name.decode("ascii"), "history_limit": limit, "recipe": recipe, "versions": versions})
    if reader.offset != len(plaintext):
        raise damaged("open", "trailing bytes after the last entry")
    return entries


def read_vault(data, credential):
    """Everything the spec asks of a reader, in order; raises VaultError."""
    vault_id, unlockers, header, nonce, sealed = parse(data)
    data_key = unwrap(vault_id, unlockers, credential)
    try:
        plaintext = AESGCM(data_key).decrypt(nonce, sealed, header)
    except InvalidTag:
        raise damaged("open", "the payload fails its tag (damaged or tampered)") from None
    labels = [f"key {u['key_id']}" if u["type"] == "key" else
              f"recipient {u['name']}" if u["type"] == "recipient" else f"passphrase {u['log2n']} {u['r']} {u['p']}"
              for u in unlockers]
    return {"vault_id": vault_id, "unlockers": labels, "entries": decode_payload(plaintext)}


def credential_from_environment():
    if os.environ.get("SECRETCTL_KEY"):
        return ("key", base64.b64decode(os.environ["SECRETCTL_KEY"].strip(), validate=True))
    if os.environ.get("SECRETCTL_KEY_FILE"):
        with open(os.environ["SECRETCTL_KEY_FILE"], "rb") as handle:
            return ("key", base64.b64decode(handle.read().strip(), validate=True))
    if os.environ.get("SECRETCTL_IDENTITY_KEY"):
        # The raw 32-byte X25519 private key in base64 (not the Bech32 identity string).
        return ("identity", base64.b64decode(os.environ["SECRETCTL_IDENTITY_KEY"].strip(), validate=True))
    if "SECRETCTL_PASSPHRASE" in os.environ:
        return ("passphrase", os.environ["SECRETCTL_PASSPHRASE"].encode("utf-8"))
    return None


def main(argv):
    if len(argv) != 2:
        print("usage: independent_decrypt.py VAULT (key from SECRETCTL_KEY, SECRETCTL_KEY_FILE or SECRETCTL_PASSPHRASE)",
              file=sys.stderr)
        return 2
    credential = credential_from_environment()
    if credential is None:
        print("usage: set SECRETCTL_KEY, SECRETCTL_KEY_FILE or SECRETCTL_PASSPHRASE", file=sys.stderr)
        return 2
    with open(argv[1], "rb") as handle:
        data = handle.read()
    try:
        result = read_vault(data, credential)
    except VaultError as error:
        print(f"{error.outcome}: {error.reason}", file=sys.stderr)
        return {"unsupported": 3, "damaged": 4, "wrong-key": 5}[error.outcome]
    json.dump(result, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
