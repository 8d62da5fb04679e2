#!/usr/bin/env python3
"""Writes the vault format vectors: one file per rule of docs/vault-format.md.

An independent writer: it uses Python's `cryptography` (AESGCM, Scrypt) and follows only
the spec, sharing no code with secretctl. Every vector is then read back with
../independent_decrypt.py (a second independent reader) and the generator stops if that
reader's outcome differs from the one the vector states.

The output is deterministic (a seeded PRNG stands in for the CSPRNG; these are test
vectors, not secrets), so running this again rewrites the same bytes:

    python3 Tests/SecretctlCoreTests/FormatVectors/generate.py           # rewrite the files
    python3 Tests/SecretctlCoreTests/FormatVectors/generate.py --check   # compare, write nothing

See README.md in this folder for the file format.
"""

import base64
import os
import random
import struct
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import independent_decrypt  # noqa: E402  (the reader beside this folder)

VERSION = "secretctl-vault/v1"
rng = random.Random(0x5EC12E7C7)


def rand(count):
    return bytes(rng.getrandbits(8) for _ in range(count))


def hexrand(count):
    return rand(count).hex()


def b64(data):
    return base64.b64encode(data).decode("ascii")


def u8(v):
    return struct.pack(">B", v)


def u16(v):
    return struct.pack(">H", v)


def u32(v):
    return struct.pack(">I", v)


def i64(v):
    return struct.pack(">q", v)


# MARK: - Payload


class Entry:
    """One entry of an ok vector: what a reader must return."""

    def __init__(self, name, versions, limit=5, recipe=None):
        self.name = name
        self.versions = versions  # [(version, created, value bytes)], newest first
        self.limit = limit
        self.recipe = recipe  # None or (random-bytes, encoding code)

    def encode(self):
        return entry_bytes(self.name.encode("ascii"), self.versions, self.limit, self.recipe)

    def header_line(self):
        recipe = "-" if self.recipe is None else f"{self.recipe[0]}:{self.recipe[1]}"
        versions = " ".join(f"{n}@{created}={b64(value)}" for n, created, value in self.versions)
        return f"entry: {self.name} limit={self.limit} recipe={recipe} {versions}"

    def as_reader_output(self):
        encodings = {0: "base64", 1: "base64url", 2: "hex"}
        return {
            "name": self.name,
            "history_limit": self.limit,
            "recipe": None if self.recipe is None else {"bytes": self.recipe[0], "encoding": encodings[self.recipe[1]]},
            "versions": [{"version": n, "created": c, "value": b64(v)} for n, c, v in self.versions],
        }


def entry_bytes(name, versions, limit=5, recipe=None, version_count=None):
    out = u16(len(name)) + name
    out += u8(0) if recipe is None else u8(1) + u32(recipe[0]) + u8(recipe[1])
    out += u8(limit) + u16(len(versions) if version_count is None else version_count)
    for number, created, value in versions:
        out += u32(number) + i64(created) + u32(len(value)) + value
    return out


def payload(entries, version=1, count=None, trailing=b""):
    """entries: Entry objects or raw entry bytes, in the order given."""
    body = b"".join(e.encode() if isinstance(e, Entry) else e for e in entries)
    return u8(version) + u32(len(entries) if count is None else count) + body + trailing


T0 = 1_700_000_000
STANDARD = [
    Entry("BETTER_AUTH_SECRET", [(2, T0 + 3600, b"p6Qk1Yv3TzX0m2F8s9nH4rJ7cW5bL0aE1dG3hK6jM8o="),
                                 (1, T0, b"Zm9yLXRlc3RzLW9ubHktbm90LWEtcmVhbC1zZWNyZXQ=")], recipe=(32, 0)),
    Entry("DATABASE_URL", [(1, T0 + 60, b"postgres://todo:todo-pw@db:5432/todo")]),
    Entry("tls.key", [(1, T0 + 120, bytes(range(256)))], limit=0),
]


# MARK: - Header


def wrap_aad(vault_id):
    return b"secretctl-vault/v1 wrap " + vault_id.encode("ascii")


def scrypt(passphrase, salt, log2n, r, p):
    return Scrypt(salt=salt, length=32, n=2**log2n, r=r, p=p).derive(passphrase)


def key_line(vault_id, data_key, key, key_id=None, nonce=None, aad=None):
    nonce = rand(12) if nonce is None else nonce
    wrapped = AESGCM(key).encrypt(nonce, data_key, wrap_aad(vault_id) if aad is None else aad)
    return f"key {hexrand(8) if key_id is None else key_id} {b64(nonce)} {b64(wrapped)}"


def passphrase_line(vault_id, data_key, passphrase, log2n=10, r=8, p=1, salt=None, nonce=None, fields=None):
    """fields overrides the text of log2-n, r and p (for leading zeros and the like)."""
    salt = rand(16) if salt is None else salt
    nonce = rand(12) if nonce is None else nonce
    wrapped = AESGCM(scrypt(passphrase, salt, log2n, r, p)).encrypt(nonce, data_key, wrap_aad(vault_id))
    numbers = fields or (str(log2n), str(r), str(p))
    return f"passphrase {' '.join(numbers)} {b64(salt)} {b64(nonce)} {b64(wrapped)}"


def public_key(private):
    return X25519PrivateKey.from_private_bytes(private).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


RECIPIENT_INFO = b"secretctl-vault/v1 recipient"


def recipient_line(vault_id, data_key, recipient_key, name, ephemeral=None, shared=None, salt=None, info=RECIPIENT_INFO,
                   wrap_to=None):
    """A recipient line wrapping data_key to recipient_key (the public key it lists).

    ephemeral: the ephemeral private key, or ("public", bytes) to list a chosen public key;
    shared overrides the X25519 result (for low-order points); wrap_to derives the KEK for
    another public key than the one listed."""
    if isinstance(ephemeral, tuple):
        ephemeral_public = ephemeral[1]
    else:
        private = X25519PrivateKey.from_private_bytes(rand(32) if ephemeral is None else ephemeral)
        ephemeral_public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        if shared is None:
            shared = private.exchange(X25519PublicKey.from_public_bytes(wrap_to or recipient_key))
    kek = HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral_public + recipient_key if salt is None else salt,
               info=info).derive(shared)
    nonce = rand(12)
    wrapped = AESGCM(kek).encrypt(nonce, data_key, wrap_aad(vault_id))
    return f"recipient {name} {b64(recipient_key)} {b64(ephemeral_public)} {b64(nonce)} {b64(wrapped)}"


def random_passphrase_line(log2n_text, r_text, p_text):
    """A passphrase line whose parameters cannot (or must not) be run: random salt and wrapped key."""
    return f"passphrase {log2n_text} {r_text} {p_text} {b64(rand(16))} {b64(rand(12))} {b64(rand(48))}"


KEY = rand(32)
OTHER_KEY = rand(32)
PASSPHRASE = "correct horse battery staple".encode("utf-8")
# Identities come from their own PRNG so adding them left the other vectors' bytes unchanged.
_identities = random.Random(0x1DE47)
ALICE, BOB, CAROL = (bytes(_identities.getrandbits(8) for _ in range(32)) for _ in range(3))
ALICE_CREDENTIAL = ("identity", ALICE)
KEY_CREDENTIAL = ("key", KEY)
PASSPHRASE_CREDENTIAL = ("passphrase", PASSPHRASE)


class Vault:
    """A vault under construction: header lines, payload plaintext and the data key."""

    def __init__(self, unlockers="k", entries=None, plaintext=None):
        self.vault_id = hexrand(16)
        self.data_key = rand(32)
        self.lines = [VERSION, f"id {self.vault_id}"]
        for kind in unlockers:
            self.lines.append(self.unlocker(kind))
        self.entries = STANDARD if entries is None else entries
        self.plaintext = payload(self.entries) if plaintext is None else plaintext

    def unlocker(self, kind):
        if kind == "k":
            return key_line(self.vault_id, self.data_key, KEY)
        if kind == "o":
            return key_line(self.vault_id, self.data_key, OTHER_KEY)
        if kind == "p":
            return passphrase_line(self.vault_id, self.data_key, PASSPHRASE)
        if kind == "a":
            return recipient_line(self.vault_id, self.data_key, public_key(ALICE), "alice@example.com")
        if kind == "b":
            return recipient_line(self.vault_id, self.data_key, public_key(BOB), "bob")
        raise ValueError(kind)

    def file(self, lines=None, plaintext=None, nonce=None, aad=None, data_key=None):
        """The vault bytes, the payload sealed over the header made of `lines` (the spec's AAD)."""
        lines = self.lines if lines is None else lines
        header = ("\n".join(lines) + "\n").encode("ascii") if isinstance(lines[0], str) else b"".join(lines)
        nonce = rand(12) if nonce is None else nonce
        sealed = AESGCM(data_key or self.data_key).encrypt(
            nonce, self.plaintext if plaintext is None else plaintext, header if aad is None else aad)
        return header + f"--- {b64(nonce)}\n{b64(sealed)}\n".encode("ascii")

    def with_lines(self, index, *replacement):
        lines = list(self.lines)
        lines[index:index + 1] = list(replacement)
        return lines


def split(data):
    """(header text up to the separator, separator line, payload line) of a canonical vault."""
    text = data.decode("ascii")
    head, separator, payload_line, _ = text.rsplit("\n", 3)
    return head + "\n", separator, payload_line


# MARK: - Vectors

VECTORS = []


def vector(name, rule, expect, data, credentials=(KEY_CREDENTIAL,), stage=None, entries=None, spec=None):
    assert expect in ("ok", "damaged", "unsupported", "wrong-key")
    if expect == "ok":
        assert stage is None and entries is not None
    if expect in ("damaged", "unsupported"):
        assert stage in ("parse", "unwrap", "open")
    if expect == "wrong-key":
        stage = "unwrap"
    VECTORS.append(dict(name=name, rule=rule, expect=expect, stage=stage, data=data,
                        credentials=list(credentials), entries=entries, spec=spec))


def ok_vectors():
    row = "(a valid vault)"
    v = Vault("k")
    vector("ok-key-file", "a key-file unlocker", "ok", v.file(), entries=v.entries, spec=row)

    v = Vault("p")
    vector("ok-passphrase", "a passphrase unlocker, scrypt log2-n 10", "ok", v.file(),
           credentials=[PASSPHRASE_CREDENTIAL], entries=v.entries, spec=row)

    v = Vault("kp")
    vector("ok-key-and-passphrase", "a key file and a passphrase; each opens the vault on its own", "ok", v.file(),
           credentials=[KEY_CREDENTIAL, PASSPHRASE_CREDENTIAL], entries=v.entries, spec=row)

    v = Vault("pok")
    vector("ok-unlocker-order", "unlockers in any order: passphrase, then two key files", "ok", v.file(),
           credentials=[PASSPHRASE_CREDENTIAL, ("key", OTHER_KEY), KEY_CREDENTIAL], entries=v.entries, spec=row)

    v = Vault("o" * 15 + "k")
    vector("ok-sixteen-unlockers", "16 unlockers, the most allowed; the key in hand opens the last", "ok", v.file(),
           entries=v.entries, spec=row)

    utf8_passphrase = "pässwörd 🔑 ∑".encode("utf-8")
    v = Vault("")
    v.lines.append(passphrase_line(v.vault_id, v.data_key, utf8_passphrase, log2n=10, r=1, p=16))
    vector("ok-passphrase-utf8-r1-p16", "a non-ASCII passphrase (its UTF-8 bytes, not normalized); r = 1, p = 16",
           "ok", v.file(), credentials=[("passphrase", utf8_passphrase)], entries=v.entries, spec=row)

    v = Vault("")
    v.lines.append(passphrase_line(v.vault_id, v.data_key, PASSPHRASE, log2n=11, r=32, p=1))
    vector("ok-passphrase-r32", "scrypt r = 32 (the largest r), log2-n 11", "ok", v.file(),
           credentials=[PASSPHRASE_CREDENTIAL], entries=v.entries, spec=row)

    binary = [
        Entry("EMPTY", [(1, T0, b"")]),
        Entry("NUL_AND_FF", [(1, T0, b"\x00\xff\x00\xfe\x80")]),
        Entry("NEWLINES", [(1, T0, b"line one\nline two\r\n\n")]),
        Entry("UTF8", [(1, T0, "café ☕ 🔑".encode("utf-8"))]),
        Entry("all-bytes", [(1, T0, bytes(range(256)) * 3)]),
    ]
    binary.sort(key=lambda e: e.name.encode())
    v = Vault("k", entries=binary)
    vector("ok-binary-values", "values are any bytes: empty, NUL, 0xFF, line breaks, UTF-8", "ok", v.file(),
           entries=v.entries, spec=row)

    v = Vault("kp", entries=[])
    vector("ok-empty-vault", "no entries (entry-count 0)", "ok", v.file(),
           credentials=[KEY_CREDENTIAL, PASSPHRASE_CREDENTIAL], entries=[], spec=row)

    history = [
        Entry("GAPS", [(9, T0 + 900, b"nine"), (4, T0 + 400, b"four"), (1, T0 + 100, b"one")], limit=2),
        Entry("LIMIT_0", [(7, T0, b"only")], limit=0),
        Entry("LIMIT_100", [(3, T0 + 3, b"c"), (2, T0 + 2, b"b"), (1, T0 + 1, b"a")], limit=100),
        Entry("RECIPE_BASE64URL", [(1, T0, b"AAECAwQFBgcICQoLDA0ODw")], recipe=(16, 1)),
        Entry("RECIPE_HEX_MAX", [(1, T0, b"00ff")], recipe=(1048576, 2)),
        Entry("RECIPE_ONE_BYTE", [(1, T0, b"qg==")], recipe=(1, 0)),
        Entry("TIMES", [(4294967295, 2**63 - 1, b"max"), (2, -1, b"before 1970"), (1, -(2**63), b"min")], limit=5),
    ]
    v = Vault("k", entries=history)
    vector("ok-history", "history: gaps in version numbers, limits 0 and 100, recipes, signed times, version 2^32-1",
           "ok", v.file(), entries=v.entries, spec=row)

    names = ["-x", ".env", "0", "A", "Z", "_", "a", "a-b", "a.b", "a..b", "a_b", "z", "x" * 253]
    named = sorted((Entry(n, [(1, T0, n.encode())]) for n in names), key=lambda e: e.name.encode())
    v = Vault("k", entries=named)
    vector("ok-names-byte-order", "names sorted by bytes ('-' < '.' < digits < upper case < '_' < lower case), "
           "253-byte name", "ok", v.file(), entries=v.entries, spec=row)


def unsupported_vectors():
    row = "first line not `secretctl-vault/v1`"
    v = Vault("k")
    data = v.file()
    rest = data[len(VERSION) + 1:]
    vector("unsupported-version-2", "first line secretctl-vault/v2", "unsupported",
           b"secretctl-vault/v2\n" + rest, stage="parse", spec=row)
    vector("unsupported-version-10", "first line secretctl-vault/v10", "unsupported",
           b"secretctl-vault/v10\n" + rest, stage="parse", spec=row)
    vector("unsupported-version-trailing-space", "first line secretctl-vault/v1 followed by a space", "unsupported",
           b"secretctl-vault/v1 \n" + rest, stage="parse", spec=row)
    vector("unsupported-not-a-vault", "an age file", "unsupported",
           b"age-encryption.org/v1\n-> X25519 abc\n--- xyz\n", stage="parse", spec=row)
    vector("unsupported-upper-case", "SECRETCTL-VAULT/V1", "unsupported",
           b"SECRETCTL-VAULT/V1\n" + rest, stage="parse", spec=row)
    vector("unsupported-byte-order-mark", "a UTF-8 byte order mark before the version line", "unsupported",
           b"\xef\xbb\xbf" + data, stage="parse", spec=row)
    vector("unsupported-empty-file", "an empty file", "unsupported", b"", stage="parse", spec=row)


def line_vectors():
    row = "CR, missing final LF, bytes after the payload line, an empty line"
    v = Vault("k")
    data = v.file()

    crlf = [line + "\r" for line in v.lines]
    header = "\n".join(crlf) + "\n"
    nonce = rand(12)
    sealed = AESGCM(v.data_key).encrypt(nonce, v.plaintext, header.encode())
    vector("damaged-crlf-line-ends", "every line ends in CR LF (a checkout that converted line ends)", "damaged",
           (header + f"--- {b64(nonce)}\r\n{b64(sealed)}\r\n").encode(), stage="parse", spec=row)
    vector("damaged-cr-in-id-line", "CR before the LF of the id line (payload sealed over that header)", "damaged",
           v.file(lines=v.with_lines(1, v.lines[1] + "\r")), stage="parse", spec=row)
    vector("damaged-cr-after-payload", "CR LF after the payload", "damaged",
           data[:-1] + b"\r\n", stage="parse", spec=row)
    vector("damaged-missing-final-lf", "the payload line has no LF", "damaged", data[:-1], stage="parse", spec=row)
    vector("damaged-truncated-in-payload", "the file is cut inside the payload line", "damaged",
           data[:len(data) - 20], stage="parse", spec=row)
    head, separator, _ = split(data)
    vector("damaged-truncated-after-header", "the file ends after the unlocker lines", "damaged",
           head.encode(), stage="parse", spec=row)
    vector("damaged-truncated-after-separator", "the file ends after the '---' line", "damaged",
           (head + separator + "\n").encode(), stage="parse", spec=row)
    vector("damaged-truncated-in-version-line", "the file is cut inside the version line", "damaged",
           b"secretctl-vault/v", stage="parse", spec=row)
    vector("damaged-version-line-only", "the version line and nothing else", "damaged",
           b"secretctl-vault/v1\n", stage="parse", spec=row)
    vector("damaged-trailing-line", "a line after the payload line", "damaged",
           data + b"extra\n", stage="parse", spec=row)
    vector("damaged-trailing-lf", "an empty line after the payload line", "damaged",
           data + b"\n", stage="parse", spec=row)
    vector("damaged-trailing-byte", "one byte after the payload line's LF", "damaged",
           data + b"x", stage="parse", spec=row)
    vector("damaged-trailing-nul", "a NUL after the payload line's LF", "damaged",
           data + b"\x00", stage="parse", spec=row)
    vector("damaged-trailing-payload-copy", "the payload line twice", "damaged",
           data + data.rsplit(b"\n", 2)[1] + b"\n", stage="parse", spec=row)
    vector("damaged-empty-line-after-version", "an empty line after the version line", "damaged",
           v.file(lines=v.with_lines(0, VERSION, "")), stage="parse", spec=row)
    vector("damaged-empty-line-after-unlocker", "an empty line between the unlockers and '---'", "damaged",
           v.file(lines=v.lines + [""]), stage="parse", spec=row)
    vector("damaged-empty-line-before-payload", "an empty line between '---' and the payload", "damaged",
           data.replace(b"\n" + data.rsplit(b"\n", 2)[1] + b"\n", b"\n\n" + data.rsplit(b"\n", 2)[1] + b"\n"),
           stage="parse", spec=row)

    row = "fields not separated by exactly one space, a byte outside printable ASCII"
    vector("damaged-trailing-space", "a space at the end of the key line", "damaged",
           v.file(lines=v.with_lines(2, v.lines[2] + " ")), stage="parse", spec=row)
    vector("damaged-leading-space", "a space at the start of the key line", "damaged",
           v.file(lines=v.with_lines(2, " " + v.lines[2])), stage="parse", spec=row)
    vector("damaged-double-space", "two spaces between fields of the key line", "damaged",
           v.file(lines=v.with_lines(2, v.lines[2].replace(" ", "  ", 1))), stage="parse", spec=row)
    vector("damaged-tab-separator", "a tab between fields of the key line", "damaged",
           v.file(lines=v.with_lines(2, v.lines[2].replace(" ", "\t", 1))), stage="parse", spec=row)
    vector("damaged-separator-double-space", "two spaces after '---'", "damaged",
           data.replace(b"\n--- ", b"\n---  "), stage="parse", spec=row)
    vector("damaged-payload-trailing-space", "a space after the payload", "damaged",
           data[:-1] + b" \n", stage="parse", spec=row)
    lines = v.with_lines(2, v.lines[2] + " \u00e9")
    header = ("\n".join(lines) + "\n").encode("utf-8")
    nonce = rand(12)
    sealed = AESGCM(v.data_key).encrypt(nonce, v.plaintext, header)
    vector("damaged-non-ascii", "a UTF-8 character in the header", "damaged",
           header + f"--- {b64(nonce)}\n{b64(sealed)}\n".encode(), stage="parse", spec=row)
    vector("damaged-nul-in-header", "a NUL byte in the id line", "damaged",
           data.replace(b"\nid ", b"\nid\x00", 1), stage="parse", spec=row)


def base64_vectors():
    row = "non-canonical base64 anywhere"
    # Nonces whose encodings contain '+' and '/', so the URL-safe alphabet can be swapped in.
    plus_slash_nonce = b"\xfb\xef\xbe\xff\xff\xff" + rand(6)
    v = Vault("k")
    data = v.file(nonce=plus_slash_nonce)
    vector("damaged-b64-payload-nonce-url-safe", "the payload nonce in the URL-safe alphabet ('-' and '_')",
           "damaged", data.replace(b"--- ++++////", b"--- ----____"), stage="parse", spec=row)

    for pad, name in ((1, "one"), (2, "two")):
        # A last value whose length makes the payload's base64 end in exactly `pad` '='.
        for length in range(1, 10):
            w = Vault("k", entries=STANDARD + [Entry("zz", [(1, T0, b"x" * length)])])
            canonical = w.file()
            _, _, payload_line = split(canonical)
            if payload_line.endswith("=" * pad) and not payload_line.endswith("=" * (pad + 1)):
                break
        body = payload_line.rstrip("=")
        vector(f"damaged-b64-payload-missing-{name}-pad", f"the payload without its {name} '=' of padding",
               "damaged", canonical.replace(payload_line.encode(), body.encode()), stage="parse", spec=row)
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        last = alphabet.index(body[-1])
        unused = 0b1111 if pad == 2 else 0b11
        assert last & unused == 0
        changed = body[:-1] + alphabet[last | 1] + "=" * pad
        vector(f"damaged-b64-payload-unused-bits-{name}-pad",
               f"the payload's base64 with non-zero unused bits before {name} '=' (decodes to the same bytes)",
               "damaged", canonical.replace(payload_line.encode(), changed.encode()), stage="parse", spec=row)

    v = Vault("k")
    data = v.file()
    _, _, payload_line = split(data)
    middle = (len(payload_line) // 8) * 4
    vector("damaged-b64-payload-line-break", "the payload's base64 broken over two lines", "damaged",
           data.replace(payload_line.encode(), (payload_line[:middle] + "\n" + payload_line[middle:]).encode()),
           stage="parse", spec=row)
    vector("damaged-b64-payload-inner-padding", "'=' inside the payload's base64", "damaged",
           data.replace(payload_line.encode(), (payload_line[:middle - 1] + "=" + payload_line[middle:]).encode()),
           stage="parse", spec=row)
    vector("damaged-b64-payload-extra-quantum", "'====' after the payload's base64", "damaged",
           data.replace(payload_line.encode(), (payload_line + "====").encode()), stage="parse", spec=row)
    vector("damaged-b64-payload-invalid-character", "a '*' in the payload's base64", "damaged",
           data.replace(payload_line.encode(), ("*" + payload_line[1:]).encode()), stage="parse", spec=row)

    # The salt is 16 bytes: 24 characters ending in '==' with 4 unused bits.
    v = Vault("")
    salt = rand(16)
    line = passphrase_line(v.vault_id, v.data_key, PASSPHRASE, salt=salt)
    encoded = b64(salt)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    assert encoded.endswith("==") and alphabet.index(encoded[-3]) & 0b1111 == 0
    changed = encoded[:-3] + alphabet[alphabet.index(encoded[-3]) | 0b0001] + "=="
    vector("damaged-b64-salt-unused-bits", "the salt's base64 with non-zero unused bits (decodes to the same salt)",
           "damaged", v.file(lines=v.lines + [line.replace(encoded, changed)]),
           credentials=[PASSPHRASE_CREDENTIAL], stage="parse", spec=row)
    vector("damaged-b64-salt-unpadded", "the salt's base64 without '=='", "damaged",
           v.file(lines=v.lines + [line.replace(encoded, encoded[:-2])]),
           credentials=[PASSPHRASE_CREDENTIAL], stage="parse", spec=row)

    v = Vault("")
    v.lines.append(key_line(v.vault_id, v.data_key, KEY, nonce=plus_slash_nonce))
    vector("damaged-b64-wrap-nonce-url-safe", "the wrap nonce in the URL-safe alphabet", "damaged",
           v.file(lines=[line.replace(" ++++////", " ----____") for line in v.lines]), stage="parse", spec=row)
    fields = v.lines[2].split(" ")
    vector("damaged-b64-wrapped-key-padded", "'====' after the wrapped key's base64", "damaged",
           v.file(lines=v.with_lines(2, " ".join(fields[:3] + [fields[3] + "===="]))), stage="parse", spec=row)
    vector("damaged-b64-wrapped-key-invalid-character", "a '.' in the wrapped key's base64", "damaged",
           v.file(lines=v.with_lines(2, " ".join(fields[:3] + ["." + fields[3][1:]]))), stage="parse", spec=row)


def field_vectors():
    row = ("wrong field count, wrong field length (nonce, salt, wrapped key, id, key-id, recipient and ephemeral "
           "keys)")
    v = Vault("k")
    key_fields = v.lines[2].split(" ")

    def with_id(vault_id):
        w = Vault("")
        w.vault_id = vault_id
        w.lines = [VERSION, f"id {vault_id}", key_line(vault_id, w.data_key, KEY)]
        return w.file()

    base_id = hexrand(16)
    vector("damaged-id-31-hex", "an id of 31 hex digits", "damaged", with_id(base_id[:31]), stage="parse", spec=row)
    vector("damaged-id-30-hex", "an id of 30 hex digits", "damaged", with_id(base_id[:30]), stage="parse", spec=row)
    vector("damaged-id-34-hex", "an id of 34 hex digits", "damaged", with_id(base_id + "ab"), stage="parse", spec=row)
    vector("damaged-id-upper-case", "an id in upper-case hex", "damaged",
           with_id("ABCDEF" + base_id[6:]), stage="parse", spec=row)
    vector("damaged-id-not-hex", "an id with a 'g'", "damaged", with_id("g" + base_id[1:]), stage="parse", spec=row)

    def key_id_line(key_id):
        return v.file(lines=v.with_lines(2, key_line(v.vault_id, v.data_key, KEY, key_id=key_id)))

    vector("damaged-key-id-14-hex", "a key-id of 14 hex digits", "damaged", key_id_line(hexrand(7)),
           stage="parse", spec=row)
    vector("damaged-key-id-18-hex", "a key-id of 18 hex digits", "damaged", key_id_line(hexrand(9)),
           stage="parse", spec=row)
    vector("damaged-key-id-upper-case", "a key-id in upper-case hex", "damaged", key_id_line("ABCDEF0123456789"),
           stage="parse", spec=row)

    for size in (8, 16):
        vector(f"damaged-wrap-nonce-{size}-bytes", f"a {size}-byte wrap nonce (the key really wraps under it)",
               "damaged", v.file(lines=v.with_lines(2, key_line(v.vault_id, v.data_key, KEY, nonce=rand(size)))),
               stage="parse", spec=row)
        vector(f"damaged-payload-nonce-{size}-bytes", f"a {size}-byte payload nonce (the payload really seals under it)",
               "damaged", v.file(nonce=rand(size)), stage="parse", spec=row)
    for size in (8, 32):
        vector(f"damaged-salt-{size}-bytes", f"a {size}-byte salt (the key really derives from it)", "damaged",
               v.file(lines=v.with_lines(2, passphrase_line(v.vault_id, v.data_key, PASSPHRASE, salt=rand(size)))),
               credentials=[PASSPHRASE_CREDENTIAL], stage="parse", spec=row)
    vector("damaged-wrapped-key-47-bytes", "a 47-byte wrapped key", "damaged",
           v.file(lines=v.with_lines(2, " ".join(key_fields[:3] + [b64(rand(47))]))), stage="parse", spec=row)
    vector("damaged-wrapped-key-64-bytes", "a 64-byte wrapped key (a 48-byte key sealed)", "damaged",
           v.file(lines=v.with_lines(2, " ".join(
               key_fields[:3] + [b64(AESGCM(KEY).encrypt(b"\x00" * 12, v.data_key + rand(16), wrap_aad(v.vault_id)))]))),
           stage="parse", spec=row)
    data = v.file()
    _, _, payload_line = split(data)
    vector("damaged-payload-shorter-than-tag", "a payload of 15 bytes", "damaged",
           data.replace(payload_line.encode(), b64(rand(15)).encode()), stage="parse", spec=row)
    vector("damaged-payload-empty", "an empty payload line", "damaged",
           data.replace(payload_line.encode(), b""), stage="parse", spec=row)

    vector("damaged-key-missing-field", "a key line of 3 fields", "damaged",
           v.file(lines=v.with_lines(2, " ".join(key_fields[:3]))), stage="parse", spec=row)
    vector("damaged-key-extra-field", "a key line of 5 fields", "damaged",
           v.file(lines=v.with_lines(2, " ".join(key_fields + ["extra"]))), stage="parse", spec=row)
    pass_fields = passphrase_line(v.vault_id, v.data_key, PASSPHRASE).split(" ")
    vector("damaged-passphrase-missing-field", "a passphrase line without p", "damaged",
           v.file(lines=v.lines + [" ".join(pass_fields[:3] + pass_fields[4:])]), stage="parse", spec=row)
    vector("damaged-passphrase-extra-field", "a passphrase line with an extra field", "damaged",
           v.file(lines=v.lines + [" ".join(pass_fields + ["1"])]), stage="parse", spec=row)
    vector("damaged-id-extra-field", "an id line with a second value", "damaged",
           v.file(lines=v.with_lines(1, v.lines[1] + " " + hexrand(16))), stage="parse", spec=row)
    vector("damaged-id-missing-value", "an id line without the id", "damaged",
           v.file(lines=v.with_lines(1, "id")), stage="parse", spec=row)
    vector("damaged-id-line-missing", "no id line", "damaged",
           v.file(lines=[v.lines[0]] + v.lines[2:]), stage="parse", spec=row)
    vector("damaged-id-line-after-unlocker", "the id line after the key line", "damaged",
           v.file(lines=[v.lines[0], v.lines[2], v.lines[1]]), stage="parse", spec=row)
    head, separator, payload_line = split(data)
    vector("damaged-separator-without-nonce", "'---' without the payload nonce", "damaged",
           (head + "---\n" + payload_line + "\n").encode(), stage="parse", spec=row)
    vector("damaged-separator-extra-field", "'--- <nonce> <extra>'", "damaged",
           (head + separator + " " + b64(rand(12)) + "\n" + payload_line + "\n").encode(), stage="parse", spec=row)
    vector("damaged-separator-missing", "no '---' line: the payload follows the unlockers", "damaged",
           (head + payload_line + "\n").encode(), stage="parse", spec=row)
    vector("damaged-separator-twice", "the '---' line twice", "damaged",
           (head + separator + "\n" + separator + "\n" + payload_line + "\n").encode(), stage="parse", spec=row)


def unlocker_vectors():
    row = "unknown unlocker type, duplicate `id`, duplicate `passphrase`, duplicate key-id"
    v = Vault("k")
    fields = v.lines[2].split(" ")
    vector("damaged-unknown-unlocker", "an 'x25519' unlocker line", "damaged",
           v.file(lines=v.with_lines(2, "x25519 " + " ".join(fields[1:]))), stage="parse", spec=row)
    vector("damaged-unknown-unlocker-capitalized", "'Key' instead of 'key'", "damaged",
           v.file(lines=v.with_lines(2, "Key " + " ".join(fields[1:]))), stage="parse", spec=row)
    vector("damaged-unknown-unlocker-after-valid", "a valid key line, then an unknown 'recipient' line", "damaged",
           v.file(lines=v.lines + ["recipient " + b64(rand(32))]), stage="parse", spec=row)
    vector("damaged-duplicate-id-line", "a second id line", "damaged",
           v.file(lines=v.with_lines(1, v.lines[1], v.lines[1])), stage="parse", spec=row)
    vector("damaged-duplicate-id-line-other-id", "a second id line with another id", "damaged",
           v.file(lines=v.lines + [f"id {hexrand(16)}"]), stage="parse", spec=row)

    w = Vault("pp")
    vector("damaged-duplicate-passphrase", "two passphrase lines (each a real wrap)", "damaged", w.file(),
           credentials=[PASSPHRASE_CREDENTIAL], stage="parse", spec=row)

    w = Vault("")
    key_id = hexrand(8)
    w.lines += [key_line(w.vault_id, w.data_key, KEY, key_id=key_id), key_line(w.vault_id, w.data_key, OTHER_KEY, key_id=key_id)]
    vector("damaged-duplicate-key-id", "two key lines with the same key-id (different keys)", "damaged", w.file(),
           credentials=[KEY_CREDENTIAL, ("key", OTHER_KEY)], stage="parse", spec=row)
    vector("damaged-duplicate-key-line", "the same key line twice", "damaged",
           v.file(lines=v.lines + [v.lines[2]]), stage="parse", spec=row)

    row = "no unlocker, more than 16"
    vector("damaged-no-unlocker", "no unlocker line", "damaged", v.file(lines=v.lines[:2]), stage="parse", spec=row)
    w = Vault("o" * 16 + "k")
    vector("damaged-seventeen-unlockers", "17 key lines (the key in hand opens the last)", "damaged", w.file(),
           stage="parse", spec=row)


def scrypt_cap_vectors():
    """The work cap (log2-n at most 20, N*r*p at most 2^23). Generated last, so the vectors
    before them keep their bytes."""
    row = "scrypt parameters out of range"
    v = Vault("k")
    for name, rule, (log2n, r, p) in (
        ("log2n-22", "log2-n 22 with r 8 (4 GiB, 34 s of CPU)", (22, 8, 1)),
        ("log2n-21-r1", "log2-n 21 with r 1: cheap, but log2-n over 20", (21, 1, 1)),
        ("cost-20-8-2", "20 8 2: N*r*p is 2^24, over 2^23", (20, 8, 2)),
        ("cost-19-32-1", "19 32 1: N*r*p is 2^24, over 2^23", (19, 32, 1)),
    ):
        line = random_passphrase_line(str(log2n), str(r), str(p))
        vector(f"damaged-scrypt-{name}", f"scrypt {rule}; refused before scrypt runs", "damaged",
               v.file(lines=v.lines + [line]), credentials=[KEY_CREDENTIAL, PASSPHRASE_CREDENTIAL],
               stage="parse", spec=row)


def binding_vectors():
    """The optional env and key-change lines. Generated after every other vector, so those keep
    their bytes."""
    row = "(a valid vault)"
    v = Vault("ka")
    proof = b64(rand(32))
    bound = v.lines[:2] + ["env prod"] + v.lines[2:]
    vector("ok-env-line", "an env line after the id (the vault belongs to environment prod)", "ok", v.file(lines=bound),
           credentials=[KEY_CREDENTIAL, ALICE_CREDENTIAL], entries=v.entries, spec=row)
    both = v.lines[:2] + ["env dev_eu-1", f"key-change {proof}"] + v.lines[2:]
    vector("ok-env-and-key-change", "env and key-change lines (a reader of values needs neither)", "ok", v.file(lines=both),
           credentials=[KEY_CREDENTIAL, ALICE_CREDENTIAL], entries=v.entries, spec=row)
    only_proof = v.lines[:2] + [f"key-change {proof}"] + v.lines[2:]
    vector("ok-key-change-without-env", "a key-change line without an env line", "ok", v.file(lines=only_proof),
           entries=v.entries, spec=row)

    row = "`env` or `key-change` line: out of place, repeated, an invalid name, a wrong length"
    for name, rule, lines in (
        ("env-after-unlocker", "the env line after an unlocker", v.lines + ["env prod"]),
        ("env-before-id", "the env line before the id line", [v.lines[0], "env prod"] + v.lines[1:]),
        ("env-twice", "two env lines", v.lines[:2] + ["env prod", "env prod"] + v.lines[2:]),
        ("env-upper-case", "an environment name with upper case", v.lines[:2] + ["env Prod"] + v.lines[2:]),
        ("env-leading-dash", "an environment name starting with '-'", v.lines[:2] + ["env -prod"] + v.lines[2:]),
        ("env-64-characters", "an environment name of 64 characters", v.lines[:2] + ["env " + "e" * 64] + v.lines[2:]),
        ("env-no-name", "an env line without a name", v.lines[:2] + ["env"] + v.lines[2:]),
        ("env-two-names", "an env line with two names", v.lines[:2] + ["env dev prod"] + v.lines[2:]),
        ("key-change-before-env", "key-change before env", v.lines[:2] + [f"key-change {proof}", "env prod"] + v.lines[2:]),
        ("key-change-twice", "two key-change lines", v.lines[:2] + [f"key-change {proof}"] * 2 + v.lines[2:]),
        ("key-change-31-bytes", "a key-change proof of 31 bytes", v.lines[:2] + [f"key-change {b64(rand(31))}"] + v.lines[2:]),
        ("key-change-after-unlocker", "key-change after an unlocker", v.lines + [f"key-change {proof}"]),
    ):
        vector(f"damaged-{name}", rule, "damaged", v.file(lines=lines), stage="parse", spec=row)


def scrypt_vectors():
    row = "scrypt parameters out of range"
    v = Vault("k")
    cases = [
        ("log2n-9", "log2-n 9", (9, 8, 1)),
        ("log2n-23", "log2-n 23 (8 GiB with r = 8)", (23, 8, 1)),
        ("log2n-0", "log2-n 0", (0, 8, 1)),
        ("log2n-64", "log2-n 64", (64, 8, 1)),
        ("r-0", "r 0", (10, 0, 1)),
        ("r-33", "r 33", (10, 33, 1)),
        ("p-0", "p 0", (10, 8, 0)),
        ("p-17", "p 17", (10, 8, 17)),
        ("memory-22-9", "log2-n 22 with r 9: 4.5 GiB, over the 4 GiB limit", (22, 9, 1)),
        ("memory-21-17", "log2-n 21 with r 17: 4.25 GiB", (21, 17, 1)),
    ]
    for name, rule, (log2n, r, p) in cases:
        cheap = 2**log2n * r * max(p, 1) <= 2**20 and log2n >= 1 and r >= 1 and p >= 1
        if cheap:
            # The key really wraps under these parameters: only the range check refuses it.
            line = passphrase_line(v.vault_id, v.data_key, PASSPHRASE, log2n=log2n, r=r, p=p)
        else:
            line = random_passphrase_line(str(log2n), str(r), str(p))
        vector(f"damaged-scrypt-{name}", f"scrypt {rule}; refused before scrypt runs", "damaged",
               v.file(lines=v.lines + [line]), credentials=[KEY_CREDENTIAL, PASSPHRASE_CREDENTIAL],
               stage="parse", spec=row)

    row = "a decimal with a sign, leading zeros or other characters"
    for name, texts, real in (
        ("leading-zero", ("010", "8", "1"), (10, 8, 1)),
        ("plus-sign", ("+10", "8", "1"), (10, 8, 1)),
        ("leading-zero-p", ("10", "8", "01"), (10, 8, 1)),
        ("negative", ("10", "-8", "1"), None),
        ("huge-number", ("99999999999999999999", "8", "1"), None),
        ("hex-number", ("0xa", "8", "1"), None),
    ):
        if real:
            # The key really wraps under the numbers the text means: only the notation is wrong.
            line = passphrase_line(v.vault_id, v.data_key, PASSPHRASE, log2n=real[0], r=real[1], p=real[2], fields=texts)
        else:
            line = random_passphrase_line(*texts)
        vector(f"damaged-scrypt-{name}", f"scrypt parameters written as {' '.join(texts)!r}", "damaged",
               v.file(lines=v.lines + [line]), credentials=[KEY_CREDENTIAL, PASSPHRASE_CREDENTIAL],
               stage="parse", spec=row)


def wrong_key_vectors():
    row = "wrapped key fails its tag under every key in hand, or a recipient's shared secret is all zero"
    v = Vault("k")
    vector("wrong-key-key-file", "a key file that is not the vault's", "wrong-key", v.file(),
           credentials=[("key", OTHER_KEY)], spec=row)
    w = Vault("p")
    vector("wrong-key-passphrase", "a wrong passphrase", "wrong-key", w.file(),
           credentials=[("passphrase", b"correct horse battery stapler")], spec=row)
    vector("wrong-key-key-for-passphrase-vault", "a key file for a vault with only a passphrase", "wrong-key",
           w.file(), credentials=[KEY_CREDENTIAL], spec=row)
    vector("wrong-key-passphrase-for-key-vault", "a passphrase for a vault with only a key file", "wrong-key",
           v.file(), credentials=[PASSPHRASE_CREDENTIAL], spec=row)

    fields = v.lines[2].split(" ")
    wrapped = bytearray(base64.b64decode(fields[3]))
    wrapped[5] ^= 0x01
    vector("wrong-key-wrapped-key-bit-flip", "one bit of the wrapped key flipped (payload sealed over the new header)",
           "wrong-key", v.file(lines=v.with_lines(2, " ".join(fields[:3] + [b64(bytes(wrapped))]))), spec=row)
    vector("wrong-key-wrap-nonce-changed", "the wrap nonce changed", "wrong-key",
           v.file(lines=v.with_lines(2, " ".join(fields[:2] + [b64(rand(12))] + fields[3:]))), spec=row)
    vector("wrong-key-wrap-aad-other-vault-id", "the key wrapped under another vault's id (a copied unlocker line)",
           "wrong-key", v.file(lines=v.with_lines(2, key_line(v.vault_id, v.data_key, KEY, aad=wrap_aad(hexrand(16))))),
           spec=row)
    vector("wrong-key-wrap-aad-empty", "the key wrapped without associated data", "wrong-key",
           v.file(lines=v.with_lines(2, key_line(v.vault_id, v.data_key, KEY, aad=b""))), spec=row)
    vector("wrong-key-wrap-aad-no-space", "wrap associated data without the space before the id", "wrong-key",
           v.file(lines=v.with_lines(2, key_line(v.vault_id, v.data_key, KEY,
                                                 aad=b"secretctl-vault/v1 wrap" + v.vault_id.encode()))), spec=row)
    vector("wrong-key-vault-id-changed", "the id line changed (the wraps are bound to the old id)", "wrong-key",
           v.file(lines=v.with_lines(1, f"id {hexrand(16)}")), spec=row)
    pass_fields = w.lines[2].split(" ")
    vector("wrong-key-scrypt-r-changed", "the passphrase line's r changed from 8 to 9", "wrong-key",
           w.file(lines=w.with_lines(2, " ".join(pass_fields[:2] + ["9"] + pass_fields[3:]))),
           credentials=[PASSPHRASE_CREDENTIAL], spec=row)
    vector("wrong-key-salt-changed", "the passphrase line's salt changed", "wrong-key",
           w.file(lines=w.with_lines(2, " ".join(pass_fields[:4] + [b64(rand(16))] + pass_fields[5:]))),
           credentials=[PASSPHRASE_CREDENTIAL], spec=row)


def tamper_vectors():
    row = "payload fails its tag"
    v = Vault("ko")
    data = v.file()
    fields = v.lines[2].split(" ")
    vector("damaged-tampered-key-id", "a key-id digit changed after saving (the header is the payload's AAD)",
           "damaged", data.replace(fields[1].encode(), (("0" if fields[1][0] != "0" else "1") + fields[1][1:]).encode()),
           stage="open", spec=row)
    vector("damaged-added-unlocker", "a key line added after saving", "damaged",
           data.replace(v.lines[3].encode() + b"\n", v.lines[3].encode() + b"\n" +
                        key_line(v.vault_id, v.data_key, rand(32)).encode() + b"\n"),
           stage="open", spec=row)
    vector("damaged-removed-unlocker", "the other key line removed after saving", "damaged",
           data.replace(v.lines[3].encode() + b"\n", b""), stage="open", spec=row)
    vector("damaged-reordered-unlockers", "the two key lines swapped after saving", "damaged",
           data.replace(v.lines[2].encode() + b"\n" + v.lines[3].encode(), v.lines[3].encode() + b"\n" + v.lines[2].encode()),
           stage="open", credentials=[KEY_CREDENTIAL, ("key", OTHER_KEY)], spec=row)
    w = Vault("kp")
    wdata = w.file()
    pass_fields = w.lines[3].split(" ")
    vector("damaged-tampered-other-unlocker", "the passphrase line's salt changed; the key file still unwraps",
           "damaged", wdata.replace(pass_fields[4].encode(), b64(rand(16)).encode()), stage="open", spec=row)

    head, separator, payload_line = split(data)
    sealed = bytearray(base64.b64decode(payload_line))
    for index, label in ((0, "first ciphertext byte"), (len(sealed) - 1, "last tag byte"), (len(sealed) - 16, "first tag byte")):
        changed = bytearray(sealed)
        changed[index] ^= 0x80
        vector(f"damaged-payload-flip-{label.replace(' ', '-')}", f"one bit of the payload's {label} flipped", "damaged",
               (head + separator + "\n" + b64(bytes(changed)) + "\n").encode(), stage="open", spec=row)
    vector("damaged-payload-truncated", "the payload's last 3 bytes removed", "damaged",
           (head + separator + "\n" + b64(bytes(sealed[:-3])) + "\n").encode(), stage="open", spec=row)
    vector("damaged-payload-extended", "3 bytes appended to the payload", "damaged",
           (head + separator + "\n" + b64(bytes(sealed) + b"\x00\x00\x00") + "\n").encode(), stage="open", spec=row)
    vector("damaged-payload-nonce-changed", "the payload nonce changed", "damaged",
           (head + "--- " + b64(rand(12)) + "\n" + payload_line + "\n").encode(), stage="open", spec=row)
    vector("damaged-payload-aad-empty", "the payload sealed without associated data", "damaged",
           v.file(aad=b""), stage="open", spec=row)
    vector("damaged-payload-aad-without-final-lf", "the payload's AAD lacks the LF ending the last unlocker line",
           "damaged", v.file(aad=("\n".join(v.lines)).encode()), stage="open", spec=row)
    nonce = rand(12)
    with_separator = ("\n".join(v.lines) + "\n" + f"--- {b64(nonce)}\n").encode()
    vector("damaged-payload-aad-with-separator", "the payload's AAD includes the '---' line", "damaged",
           v.file(nonce=nonce, aad=with_separator), stage="open", spec=row)
    vector("damaged-payload-other-data-key", "the payload sealed under a key other than the wrapped data key",
           "damaged", v.file(data_key=rand(32)), stage="open", spec=row)


def recipient_vectors():
    v = Vault("kab")
    vector("ok-recipients", "a key file and two recipients; each opens the vault on its own", "ok", v.file(),
           credentials=[KEY_CREDENTIAL, ALICE_CREDENTIAL, ("identity", BOB)], entries=v.entries, spec="(a valid vault)")
    v = Vault("")
    v.lines.append(recipient_line(v.vault_id, v.data_key, public_key(ALICE), "a" * 60 + "@-._"))
    vector("ok-recipient-only", "one recipient, with a 64-byte name using every allowed punctuation", "ok", v.file(),
           credentials=[ALICE_CREDENTIAL], entries=v.entries, spec="(a valid vault)")

    row = "wrapped key fails its tag under every key in hand, or a recipient's shared secret is all zero"
    v = Vault("ab")
    vector("wrong-key-identity-not-a-recipient", "an identity the vault does not list", "wrong-key", v.file(),
           credentials=[("identity", CAROL)], spec=row)
    v = Vault("")
    for label, point in (("zero", bytes(32)), ("one", b"\x01" + bytes(31))):
        lines = v.lines + [recipient_line(v.vault_id, v.data_key, public_key(ALICE), "alice",
                                          ephemeral=("public", point), shared=bytes(32))]
        vector(f"wrong-key-recipient-low-order-{label}",
               f"the ephemeral key is the low-order point u = {0 if label == 'zero' else 1}; the key really wraps under "
               "HKDF of the all-zero shared secret", "wrong-key", v.file(lines=lines), credentials=[ALICE_CREDENTIAL],
               spec=row)
    lines = v.lines + [recipient_line(v.vault_id, v.data_key, public_key(ALICE), "alice", wrap_to=public_key(CAROL))]
    vector("wrong-key-recipient-wrapped-to-other-key", "the line lists alice's key but wraps to carol's", "wrong-key",
           v.file(lines=lines), credentials=[ALICE_CREDENTIAL, ("identity", CAROL)], spec=row)
    eph = rand(32)
    eph_public = public_key(eph)
    lines = v.lines + [recipient_line(v.vault_id, v.data_key, public_key(ALICE), "alice", ephemeral=eph,
                                      salt=public_key(ALICE) + eph_public)]
    vector("wrong-key-recipient-hkdf-salt-order", "HKDF salt recipient-key || ephemeral-key (the wrong order)",
           "wrong-key", v.file(lines=lines), credentials=[ALICE_CREDENTIAL], spec=row)
    lines = v.lines + [recipient_line(v.vault_id, v.data_key, public_key(ALICE), "alice",
                                      info=b"secretctl-vault/v1 recipients")]
    vector("wrong-key-recipient-hkdf-info", "HKDF info 'secretctl-vault/v1 recipients' (one byte too many)",
           "wrong-key", v.file(lines=lines), credentials=[ALICE_CREDENTIAL], spec=row)

    row = "recipient line: invalid name, duplicate name or recipient-key"
    v = Vault("k")
    same_name = [recipient_line(v.vault_id, v.data_key, public_key(ALICE), "dev"),
                 recipient_line(v.vault_id, v.data_key, public_key(BOB), "dev")]
    vector("damaged-recipient-duplicate-name", "two recipients named 'dev' (each a real wrap)", "damaged",
           v.file(lines=v.lines + same_name), credentials=[ALICE_CREDENTIAL, ("identity", BOB)], stage="parse", spec=row)
    same_key = [recipient_line(v.vault_id, v.data_key, public_key(ALICE), "alice"),
                recipient_line(v.vault_id, v.data_key, public_key(ALICE), "alice2")]
    vector("damaged-recipient-duplicate-key", "two recipient lines for the same public key", "damaged",
           v.file(lines=v.lines + same_key), credentials=[ALICE_CREDENTIAL], stage="parse", spec=row)
    for label, name in (("bang", "alice!"), ("65-bytes", "a" * 65), ("plus", "alice+ci"), ("slash", "ci/prod")):
        lines = v.lines + [recipient_line(v.vault_id, v.data_key, public_key(ALICE), name)]
        vector(f"damaged-recipient-name-{label}", f"the recipient name {name[:20]!r}{'...' if len(name) > 20 else ''}",
               "damaged", v.file(lines=lines), credentials=[ALICE_CREDENTIAL], stage="parse", spec=row)

    row = ("wrong field count, wrong field length (nonce, salt, wrapped key, id, key-id, recipient and ephemeral "
           "keys)")
    fields = recipient_line(v.vault_id, v.data_key, public_key(ALICE), "alice").split(" ")
    for label, changed in (
        ("recipient-key-31-bytes", fields[:2] + [b64(public_key(ALICE)[:31])] + fields[3:]),
        ("recipient-key-33-bytes", fields[:2] + [b64(public_key(ALICE) + b"\x00")] + fields[3:]),
        ("ephemeral-key-31-bytes", fields[:3] + [b64(rand(31))] + fields[4:]),
        ("missing-field", fields[:5]),
        ("extra-field", fields + ["extra"]),
    ):
        vector(f"damaged-recipient-{label}", f"a recipient line with {label.replace('-', ' ')}", "damaged",
               v.file(lines=v.lines + [" ".join(changed)]), credentials=[ALICE_CREDENTIAL], stage="parse", spec=row)

    row = "no unlocker, more than 16"
    w = Vault("o" * 15 + "k")
    vector("damaged-seventeen-unlockers-with-recipient", "16 key lines and a recipient line: recipients count too",
           "damaged", w.file(lines=w.lines + [w.unlocker("a")]), credentials=[KEY_CREDENTIAL, ALICE_CREDENTIAL],
           stage="parse", spec=row)

    row = "payload fails its tag"
    w = Vault("ab")
    data = w.file()
    vector("damaged-tampered-recipient-name", "bob's name changed after saving; alice still unwraps", "damaged",
           data.replace(b" bob ", b" rob "), credentials=[ALICE_CREDENTIAL, ("identity", BOB)], stage="open", spec=row)


def payload_vectors():
    row = ("payload plaintext: unknown payload-version, counts out of range, unsorted or duplicate names, "
           "invalid name, versions not strictly decreasing, trailing bytes")
    other_row = ("payload plaintext: unknown recipe-kind or encoding, any other field outside its range, "
                 "the plaintext ends early")
    one = [(1, T0, b"value")]

    def case(name, rule, plaintext, spec=row):
        v = Vault("k", plaintext=plaintext)
        vector(f"damaged-payload-{name}", rule, "damaged", v.file(), stage="open", spec=spec)

    good = payload(STANDARD)
    case("payload-version-0", "payload-version 0", payload(STANDARD, version=0))
    case("payload-version-2", "payload-version 2", payload(STANDARD, version=2))
    case("empty-plaintext", "an empty plaintext", b"", spec=other_row)
    case("only-version", "the payload-version and nothing else", b"\x01", spec=other_row)
    case("count-too-high", "entry-count 4 with 3 entries", payload(STANDARD, count=4), spec=other_row)
    case("count-100001", "entry-count 100001", payload([], count=100001))
    case("count-max-u32", "entry-count 2^32-1", payload([], count=2**32 - 1))
    case("trailing-byte", "one byte after the last entry", good + b"\x00")
    case("trailing-entry", "entry-count 2 with 3 entries", payload(STANDARD, count=2))
    case("empty-vault-trailing-byte", "entry-count 0 and a byte", payload([], trailing=b"\x01"))

    def named(name_bytes, length=None):
        raw = entry_bytes(name_bytes, one)
        if length is not None:
            raw = u16(length) + raw[2:]
        return payload([raw])

    case("name-length-0", "name-length 0", named(b""))
    case("name-length-254", "a 254-byte name", named(b"x" * 254))
    case("name-length-past-end", "name-length past the end of the payload", payload([u16(200) + b"abc"]), spec=other_row)
    for label, name in (("space", b"A B"), ("slash", b"a/b"), ("colon", b"a:b"), ("equals", b"A=B"),
                        ("utf8", "caf\u00e9".encode()), ("nul", b"A\x00"), ("newline", b"A\n"),
                        ("dot", b"."), ("dot-dot", b".."), ("dot-dot-prefix", b"..data")):
        case(f"name-{label}", f"an invalid name ({name!r})", named(name))

    def entries_named(*names):
        return payload([entry_bytes(n, one) for n in names])

    case("names-unsorted", "names 'b' then 'a'", entries_named(b"b", b"a"))
    case("names-case-order", "names 'a' then 'Z' (sorted ignoring case, not by bytes)", entries_named(b"a", b"Z"))
    case("names-prefix-order", "names 'ab' then 'a'", entries_named(b"ab", b"a"))
    case("names-duplicate", "the name 'A' twice", entries_named(b"A", b"A"))

    case("recipe-kind-2", "recipe-kind 2", payload([u16(1) + b"A" + u8(2) + u8(5) + u16(1) + u32(1) + i64(T0) + u32(0)]), spec=other_row)
    case("recipe-bytes-0", "a random recipe of 0 bytes", payload([entry_bytes(b"A", one, recipe=(0, 0))]), spec=other_row)
    case("recipe-bytes-1048577", "a random recipe of 1048577 bytes",
         payload([entry_bytes(b"A", one, recipe=(1048577, 0))]), spec=other_row)
    case("recipe-encoding-3", "recipe encoding 3", payload([entry_bytes(b"A", one, recipe=(32, 3))]), spec=other_row)
    case("history-limit-101", "history-limit 101", payload([entry_bytes(b"A", one, limit=101)]), spec=other_row)
    case("version-count-0", "version-count 0", payload([entry_bytes(b"A", [], limit=5)]))
    case("version-count-over-limit", "3 versions with history-limit 1 (more than history-limit + 1)",
         payload([entry_bytes(b"A", [(3, T0, b"c"), (2, T0, b"b"), (1, T0, b"a")], limit=1)]))
    case("version-count-over-limit-0", "2 versions with history-limit 0",
         payload([entry_bytes(b"A", [(2, T0, b"b"), (1, T0, b"a")], limit=0)]))
    case("version-count-past-end", "version-count 2 with one version present",
         payload([entry_bytes(b"A", one, limit=5, version_count=2)]), spec=other_row)
    case("entry-version-0", "a version numbered 0", payload([entry_bytes(b"A", [(0, T0, b"v")])]))
    case("versions-equal", "versions 5 then 5", payload([entry_bytes(b"A", [(5, T0, b"b"), (5, T0, b"a")])]))
    case("versions-increasing", "versions 1 then 2", payload([entry_bytes(b"A", [(1, T0, b"a"), (2, T0, b"b")])]))
    case("versions-last-zero", "versions 2 then 0", payload([entry_bytes(b"A", [(2, T0, b"b"), (0, T0, b"a")])]))
    case("value-length-1048577", "value-length 1048577 (more than 1 MiB)",
         payload([u16(1) + b"A" + u8(0) + u8(5) + u16(1) + u32(1) + i64(T0) + u32(1048577) + b"x" * 16]), spec=other_row)
    case("value-past-end", "value-length past the end of the payload",
         payload([u16(1) + b"A" + u8(0) + u8(5) + u16(1) + u32(1) + i64(T0) + u32(100) + b"short"]), spec=other_row)
    case("created-cut", "the payload ends inside a version's created time",
         payload([u16(1) + b"A" + u8(0) + u8(5) + u16(1) + u32(1) + b"\x00\x00\x00"]), spec=other_row)


# MARK: - Output


def credential_lines(credentials):
    out = []
    for kind, secret in credentials:
        if kind == "key":
            out.append(f"key: {b64(secret)}")
        elif kind == "identity":
            out.append(f"identity: {b64(secret)}")
        else:
            out.append(f"passphrase: {b64(secret)}")
    return out


def render(v):
    lines = ["# secretctl vault format vector; see README.md. Generated by generate.py: do not edit by hand.",
             f"rule: {v['rule']}"]
    if v["spec"]:
        lines.append(f"spec: {v['spec']}")
    lines.append(f"expect: {v['expect']}")
    if v["stage"]:
        lines.append(f"stage: {v['stage']}")
    lines += credential_lines(v["credentials"])
    if v["expect"] == "ok":
        lines.append(f"entries: {len(v['entries'])}")
        lines += [e.header_line() for e in v["entries"]]
    lines.append("--- vault ---")
    return ("\n".join(lines) + "\n").encode("ascii") + v["data"]


def self_check(v):
    """The independent reader must reach the stated outcome, at the stated stage, with every credential."""
    for credential in v["credentials"]:
        try:
            result = independent_decrypt.read_vault(v["data"], credential)
        except independent_decrypt.VaultError as error:
            got = (error.outcome, error.stage, error.reason)
        else:
            got = ("ok", None, result["entries"])
        expected_entries = [e.as_reader_output() for e in v["entries"]] if v["expect"] == "ok" else None
        if got[0] != v["expect"] or got[1] != v["stage"] or (v["expect"] == "ok" and got[2] != expected_entries):
            raise SystemExit(f"{v['name']}: the independent reader says {got[0]} at {got[1]} ({got[2]!r:.200}), "
                             f"the vector says {v['expect']} at {v['stage']}")


def main(argv):
    check = "--check" in argv
    ok_vectors()
    unsupported_vectors()
    line_vectors()
    base64_vectors()
    field_vectors()
    unlocker_vectors()
    scrypt_vectors()
    wrong_key_vectors()
    tamper_vectors()
    payload_vectors()
    recipient_vectors()
    scrypt_cap_vectors()
    binding_vectors()

    names = [v["name"] for v in VECTORS]
    assert len(names) == len(set(names)), "duplicate vector names"
    stale = []
    for v in VECTORS:
        self_check(v)
        path = os.path.join(HERE, v["name"] + ".vector")
        content = render(v)
        if check:
            try:
                with open(path, "rb") as handle:
                    if handle.read() != content:
                        stale.append(v["name"])
            except FileNotFoundError:
                stale.append(v["name"])
        else:
            with open(path, "wb") as handle:
                handle.write(content)
    existing = {f[:-len(".vector")] for f in os.listdir(HERE) if f.endswith(".vector")}
    extra = sorted(existing - set(names))
    if check:
        if stale or extra:
            print(f"out of date: {stale}; not generated any more: {extra}", file=sys.stderr)
            return 1
        print(f"{len(VECTORS)} vectors up to date")
        return 0
    for name in extra:
        os.remove(os.path.join(HERE, name + ".vector"))
    print(f"wrote {len(VECTORS)} vectors to {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
