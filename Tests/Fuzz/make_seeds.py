#!/usr/bin/env python3
"""Writes the seed corpora of the vault fuzz targets from the format vectors.

    python3 Tests/Fuzz/make_seeds.py

vault-file:    the vault bytes of every Tests/SecretctlCoreTests/FormatVectors/*.vector
vault-payload: the decrypted payload of every vector that has a key line and whose payload
               decrypts (valid vaults, and the "damaged payload plaintext" rules, whose
               payloads are authentic but malformed), decrypted following docs/vault-format.md.
dotenv, manifest, template, scan: small hand-written files below (the app's k8s/secret.yaml,
               dotenv forms, kubectl JSON, needle/haystack records).
Seeds are named after their vector. A target whose corpus folder already exists is left alone
(the committed corpora are already merged); pass --all to write every seed again. `bash Tests/Fuzz/run merge TARGET` minimises afterwards.
"""
import base64
import glob
import os
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, "..", "SecretctlCoreTests", "FormatVectors")
FORCE = "--all" in sys.argv


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
    if not FORCE and os.path.isdir(out_file) and os.path.isdir(out_payload):
        return
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


HAND_WRITTEN = {
    "dotenv": {
        "basic": b"DATABASE_URL=postgres://u:p@h/db\nOPENAI_API_KEY=sk-abc # comment\n",
        "quotes": b"A='single $x \\n'\nB=\"double \\\"q\\\" \\n\\t\\\\ \\$HOME\"\nexport C = spaced  \n# c\n\n",
        "multiline": b"KEY=\"line1\nline2\"\r\nK2='a\r\nb'\rK3=x\n",
        "python": b"BETTER_AUTH_SECRET=abc\\\nURL=http://x/#frag\nEMPTY=\nE2=''\n",
    },
    "manifest": {
        "secret-yaml": b"apiVersion: v1\nkind: Secret\nmetadata:\n  name: todo-secrets\n  namespace: todo-app\ntype: Opaque\ndata:\n  DATABASE_URL: cG9zdGdyZXM6Ly91OnBAaC9kYg==\nstringData:\n  OPENAI_API_KEY: sk-abc\n",
        "list": b"apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: a}\n  data: {K: dg==}\n- kind: ConfigMap\n  metadata: {name: c}\n  data: {X: y}\n",
        "multi-doc": b"---\nkind: Secret\nmetadata:\n  name: a\nstringData:\n  A: \"1\"\n---\nkind: Deployment\n...\n",
        "kubectl-json": b'{"apiVersion":"v1","kind":"Secret","metadata":{"name":"todo-secrets","namespace":"todo-app","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"}},"data":{"A":"dg==","B":""},"type":"Opaque"}',
        "dotenv": b"A=1\nB=\"two\"\n",
    },
    "template": {
        "optional": b"apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  labels: {a: b}\n  annotations:\n    secretctl/optional-keys: B, C\ntype: Opaque\nimmutable: true\ndata:\n  A: \"\"\n  B: \"\"\nstringData:\n  D: ''\n",
        "two": b"kind: Secret\nmetadata: {name: one, namespace: ns}\ndata: {X: \"\"}\n---\nkind: ConfigMap\nmetadata: {name: cm}\n---\nkind: Secret\nmetadata: {name: two}\nstringData: {Y: \"\"}\n",
    },
    "scan": {
        # count-1, then (length-1, bytes) per needle, then the split byte, then the haystack.
        "hello": bytes([1, 4]) + b"hello" + bytes([2, 3]) + b"abc" + bytes([7]) + b"say hello\nabc he\r\nllo abcabc",
        "overlap": bytes([2, 1]) + b"aa" + bytes([2]) + b"aaa" + bytes([0]) + b"aab" + bytes([200]) + b"aaaaaab\naaa",
    },
}


def hand_written():
    template = os.path.join(HERE, "..", "..", "k8s", "secret.yaml")
    for target, files in HAND_WRITTEN.items():
        folder = os.path.join(HERE, "corpus", target)
        if not FORCE and os.path.isdir(folder):
            continue
        os.makedirs(folder, exist_ok=True)
        for name, data in files.items():
            open(os.path.join(folder, "seed-" + name), "wb").write(data)
        if target in ("template", "manifest") and os.path.exists(template):
            open(os.path.join(folder, "seed-k8s-secret-yaml"), "wb").write(open(template, "rb").read())

if __name__ == "__main__":
    main()
    hand_written()
