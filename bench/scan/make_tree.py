#!/usr/bin/env python3
"""Writes a deterministic ~200 MB tree of mixed files for the scan speed benchmark.

usage: make_tree.py DEST [--mib 200] [--plant NEEDLES_FILE_OF_VALUES]

The tree mixes source-like text, JSON, logs, minified one-line files, base64 blobs
wrapped at 76 columns, and binary files, in sizes from a few KiB to a few MiB.
With --plant, a few files get one of the (fake) benchmark values, raw or base64,
so both tools have something to find. Everything is made from a fixed seed.
"""
import base64
import os
import random
import sys


_VOCAB = []


def words(rng, count):
    if not _VOCAB:
        alphabet = "abcdefghijklmnopqrstuvwxyz"
        vocab_rng = random.Random(7)
        _VOCAB.extend("".join(vocab_rng.choice(alphabet) for _ in range(vocab_rng.randint(2, 10))) for _ in range(4000))
        _VOCAB.extend(["const", "let", "return", "if", "else", "func", "import", "class", "self", "true",
                       "false", "null", "string", "value", "config", "secret", "token", "password", "user"])
    return rng.choices(_VOCAB, k=count)


def source_text(rng, size):
    out, total = [], 0
    while total < size:
        indent = " " * (4 * rng.randint(0, 4))
        line = indent + " ".join(words(rng, rng.randint(2, 12)))
        line += rng.choice(["", ";", " {", " }", "()", " = 42", ' = "text"', "  # note"])
        out.append(line)
        total += len(line) + 1
    return ("\n".join(out) + "\n").encode()[:size]


def json_text(rng, size):
    out, total = ["["], 1
    while total < size:
        w = words(rng, 4)
        rec = '  {"id": %d, "name": "%s", "email": "%s@%s.test", "tags": ["%s", "%s"], "hash": "%032x"},' % (
            rng.randint(1, 10**9), w[0], w[1], w[2], w[3], w[0], rng.getrandbits(128))
        out.append(rec)
        total += len(rec) + 1
    out.append("]")
    return ("\n".join(out) + "\n").encode()[:size]


def log_text(rng, size):
    out, total = [], 0
    levels = ["INFO", "DEBUG", "WARN", "ERROR"]
    while total < size:
        line = "2026-%02d-%02dT%02d:%02d:%02dZ %s req=%016x %s" % (
            rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59),
            rng.choice(levels), rng.getrandbits(64), " ".join(words(rng, rng.randint(3, 15))))
        out.append(line)
        total += len(line) + 1
    return ("\n".join(out) + "\n").encode()[:size]


def minified(rng, size):
    parts, total = [], 0
    while total < size:
        w = words(rng, 3)
        piece = "function %s(a,b){return a.%s(b)||%s;}" % (w[0], w[1], w[2])
        parts.append(piece)
        total += len(piece)
    return "".join(parts).encode()[:size]


def base64_blob(rng, size):
    raw = rng.randbytes(size * 3 // 4)
    text = base64.b64encode(raw).decode()
    lines = [text[i:i + 76] for i in range(0, len(text), 76)]
    return ("\n".join(lines) + "\n").encode()[:size]


def binary(rng, size):
    return rng.randbytes(size)


KINDS = [  # (weight, extension, maker)
    (40, "js", source_text), (15, "json", json_text), (15, "log", log_text),
    (5, "min.js", minified), (10, "b64", base64_blob), (15, "bin", binary)]


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    dest = args[0]
    mib = int(args[args.index("--mib") + 1]) if "--mib" in args else 200
    planted = []
    if "--plant" in args:
        with open(args[args.index("--plant") + 1], "rb") as f:
            planted = [line.rstrip(b"\n") for line in f if line.strip()]
    rng = random.Random(20261126)
    target = mib * 1024 * 1024
    total, index = 0, 0
    weights = [k[0] for k in KINDS]
    while total < target:
        _, ext, maker = rng.choices(KINDS, weights=weights)[0]
        size = int(min(4 * 1024 * 1024, max(2048, rng.lognormvariate(10.5, 1.3))))
        size = min(size, target - total) if target - total > 2048 else size
        folder = os.path.join(dest, "dir%02d" % (index % 37), "sub%d" % (index % 5))
        os.makedirs(folder, exist_ok=True)
        data = maker(rng, size)
        if planted and index % 400 == 7:
            value = planted[(index // 400) % len(planted)]
            form = value if (index // 400) % 2 == 0 else base64.b64encode(value)
            cut = len(data) // 2
            data = data[:cut] + b"\n" + form + b"\n" + data[cut:]
        with open(os.path.join(folder, "f%05d.%s" % (index, ext)), "wb") as f:
            f.write(data)
        total += len(data)
        index += 1
    print("wrote %d files, %.1f MiB" % (index, total / 1048576.0))


if __name__ == "__main__":
    main()
