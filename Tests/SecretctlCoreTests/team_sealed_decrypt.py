#!/usr/bin/env python3
"""Unseal SealedSecrets written by `secretctl render --sealed`, the way the sealed-secrets
controller does, following only the scheme recorded in ../shared/design/reference-facts.md
(and the controller's documentation) with Python's `cryptography` and PyYAML.

usage: team_sealed_decrypt.py MANIFEST PRIVATE-KEY-PEM [LABEL-OVERRIDE]
prints one JSON list: per SealedSecret its name, namespace, scope, template and
{key: value-hex}; exits 2 when a value does not unseal (wrong key or wrong label).
"""
import base64
import binascii
import json
import sys

import yaml
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def label_for(metadata):
    annotations = metadata.get("annotations") or {}
    if annotations.get("sealedsecrets.bitnami.com/cluster-wide") == "true":
        return "cluster-wide", b""
    if annotations.get("sealedsecrets.bitnami.com/namespace-wide") == "true":
        return "namespace-wide", metadata["namespace"].encode()
    return "strict", (metadata["namespace"] + "/" + metadata["name"]).encode()


def unseal(text, key, label):
    data = base64.b64decode(text, validate=True)
    length = int.from_bytes(data[:2], "big")
    rsa_part, aes_part = data[2:2 + length], data[2 + length:]
    session = key.decrypt(rsa_part, padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=label))
    if len(session) != 32:
        raise ValueError("session key is not 32 bytes")
    return AESGCM(session).decrypt(bytes(12), aes_part, None)


def main():
    manifest_path, key_path = sys.argv[1], sys.argv[2]
    override = sys.argv[3].encode() if len(sys.argv) > 3 else None
    key = serialization.load_pem_private_key(open(key_path, "rb").read(), password=None)
    output = []
    for document in yaml.safe_load_all(open(manifest_path, encoding="utf-8")):
        if document["apiVersion"] != "bitnami.com/v1alpha1" or document["kind"] != "SealedSecret":
            sys.exit("not a SealedSecret")
        metadata = document["metadata"]
        scope, label = label_for(metadata)
        if override is not None:
            label = override
        values = {}
        for name, sealed in (document["spec"].get("encryptedData") or {}).items():
            try:
                values[name] = binascii.hexlify(unseal(sealed, key, label)).decode()
            except (ValueError, InvalidTag) as error:
                sys.stderr.write(f"team_sealed_decrypt: {name} does not unseal: {type(error).__name__}\n")
                sys.exit(2)
        output.append({"name": metadata["name"], "namespace": metadata.get("namespace"), "scope": scope,
                       "template": document["spec"]["template"], "values": values})
    print(json.dumps(output, sort_keys=True))


if __name__ == "__main__":
    main()
