#!/usr/bin/env python3
"""How secretctl's cost grows with the number of entries and the size of values.

Grid: 3, 1,000 and 10,000 entries of 1 KiB, and 3 entries of 1 KiB, 64 KiB and 1 MiB (plus
1,000 x 64 KiB, a 64 MiB vault). For each vault: `set` (replacing one entry's value with one of
the same size: decrypt, re-encrypt, write, fsync, rename), `get`, `list`, `render --all`, and
as peers on the same plaintext in the same run: `age -d`, `sops decrypt` and `ansible-vault
decrypt` (PyPI ansible-core). Whole processes, median wall time, peak RSS from GNU time.
Writes bench/RESULTS-scale.md.
"""
import os
import secrets
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import benchlib  # noqa: E402

BIN = os.environ.get("SECRETCTL_BIN", ".build-bench/release/secretctl")
QUICK = "--quick" in sys.argv
RUNS = 5 if QUICK else 21
HERE = os.path.dirname(os.path.abspath(__file__))
KIB = 1024
# (entries, value bytes). 10,000 x 64 B is a large real vault (API keys, URLs); 10,000 x 1 KiB is 10 MiB.
GRID = [(3, KIB), (1000, KIB), (10000, 64), (10000, KIB), (3, 64 * KIB), (3, 1024 * KIB), (1000, 64 * KIB)]


def measure(argv, env=None, cwd=None, stdin_bytes=None, runs=RUNS, ok=(0,)):
    """(median wall seconds, peak RSS KiB, exit code, median CPU seconds): bench/benchlib.py."""
    return benchlib.measure(argv, env=env, cwd=cwd, stdin_bytes=stdin_bytes, runs=runs, ok=ok)


def value(size):
    return secrets.token_urlsafe(size)[:size]


def build(root, count, size):
    d = os.path.join(root, f"{count}x{size}")
    os.makedirs(os.path.join(d, "secrets"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SECRETCTL_")}
    env["XDG_CONFIG_HOME"] = os.path.join(d, "config")
    subprocess.run([BIN, "init"], env=env, cwd=d, check=True, capture_output=True)
    names = [f"KEY_{i:05d}" for i in range(count)]
    plain = "".join(f"{n}={value(size)}\n" for n in names)
    subprocess.run([BIN, "import", "-"], env=env, cwd=d, input=plain.encode(), check=True, capture_output=True)
    path = os.path.join(d, "plain.env")
    with open(path, "w") as f:
        f.write(plain)
    # Peers: the same plaintext under age, sops (dotenv) and ansible-vault.
    keygen = subprocess.run(["age-keygen", "-o", os.path.join(d, "age.key")], capture_output=True, text=True, check=True)
    recipient = [l for l in (keygen.stderr + keygen.stdout).splitlines() if "age1" in l][0].split()[-1]
    subprocess.run(["age", "-r", recipient, "-o", os.path.join(d, "data.age"), path], check=True)
    sops_env = dict(os.environ, SOPS_AGE_KEY_FILE=os.path.join(d, "age.key"))
    with open(os.path.join(d, "data.sops.env"), "wb") as out:
        subprocess.run(["sops", "encrypt", "--age", recipient, "--input-type", "dotenv", "--output-type", "dotenv", path],
                       env=sops_env, stdout=out, check=True)
    with open(os.path.join(d, "vault-pass"), "w") as f:
        f.write(secrets.token_urlsafe(24))
    shutil.copy(path, os.path.join(d, "data.ansible"))
    subprocess.run(["ansible-vault", "encrypt", "--vault-password-file", os.path.join(d, "vault-pass"), os.path.join(d, "data.ansible")],
                   check=True, capture_output=True)
    os.remove(path)
    return d, env, sops_env, names


def fmt(seconds):
    return f"{seconds * 1000:,.1f}"


def main():
    if not os.access(BIN, os.X_OK):
        raise SystemExit(f"bench/scale: {BIN} is not built")
    for tool in ("age", "sops", "ansible-vault"):
        if shutil.which(tool) is None:
            raise SystemExit(f"bench/scale: {tool} is not installed")
    root = tempfile.mkdtemp(prefix="secretctl-scale-")
    rows = []
    try:
        floor = measure(["/bin/true"])
        for count, size in GRID:
            d, env, sops_env, names = build(root, count, size)
            runs = max(3, RUNS // 3) if count * size > 8 << 20 else RUNS
            new = value(size).encode()
            # History is kept (5 previous values): warm the entry up so every timed set does the same work.
            for _ in range(6):
                subprocess.run([BIN, "set", names[0]], env=env, cwd=d, input=new, check=True, capture_output=True)
            vault_bytes = os.path.getsize(os.path.join(d, "secrets", "dev.vault"))
            over_limit = count * size > 1 << 20
            cases = [
                ("set", [BIN, "set", names[0]], env, new, (0,)),
                ("get", [BIN, "get", names[-1]], env, None, (0,)),
                ("list", [BIN, "list"], env, None, (0,)),
                ("render --all", [BIN, "render", "--all", "--name", "app"], env, None, (1,) if over_limit else (0,)),
                ("age -d", ["age", "-d", "-i", os.path.join(d, "age.key"), os.path.join(d, "data.age")], None, None, (0,)),
                ("sops decrypt", ["sops", "decrypt", "--input-type", "dotenv", "--output-type", "dotenv", os.path.join(d, "data.sops.env")], sops_env, None, (0,)),
                ("ansible-vault decrypt", ["ansible-vault", "decrypt", "--vault-password-file", os.path.join(d, "vault-pass"), "--output", "-",
                                           os.path.join(d, "data.ansible")], None, None, (0,)),
            ]
            results = {}
            for name, argv, e, stdin, ok in cases:
                try:
                    results[name] = measure(argv, env=e, cwd=d, stdin_bytes=stdin, runs=runs, ok=ok + (0,))
                except RuntimeError as failure:
                    print(f"bench/scale: {failure}", file=sys.stderr)
                    results[name] = None
                print(f"bench/scale: {count} x {size}: {name}: {results[name]}", file=sys.stderr)
            rows.append((count, size, vault_bytes, runs, results))
            shutil.rmtree(d, ignore_errors=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    base = {name: r[3] for name, r in rows[0][4].items() if r}

    def label(count, size):
        if size < KIB:
            return f"{count:,} x {size} B"
        return f"{count:,} x {size // KIB} KiB" if size < 1 << 20 else f"{count:,} x 1 MiB"

    lines = ["## Scale: entries and value sizes", "",
             f"Median wall time of whole processes ({RUNS} runs; fewer above 8 MiB of plaintext), with the median CPU",
             "time (user + system, from wait4) in brackets for secretctl: on a shared machine the CPU time is the",
             "figure other load cannot inflate. Peak RSS from GNU time (one extra run),",
             f"floor `/bin/true` {fmt(floor[0])} ms. Each vault is `secretctl import`ed; its peers hold the same dotenv",
             "plaintext in the same run: `age -d`, `sops decrypt` (dotenv) and `ansible-vault decrypt --output -`.",
             "`set` replaces one entry's value with one of the same size (its 5 kept previous versions included),",
             "so it decrypts, re-encrypts, writes, fsyncs and renames the whole vault. `render --all` above 1 MiB",
             "of values is refused (a Secret holds at most 1 MiB) and the refusal is what is timed.", "",
             "| vault | file | set ms | get ms | list ms | render --all ms | age -d ms | sops ms | ansible-vault ms | get vs age | peak RSS set / get KiB |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for count, size, vault_bytes, runs, results in rows:
        def cell(name):
            r = results.get(name)
            if r is None:
                return "failed"
            cpu = f" [{fmt(r[3])}]" if not name.startswith(("age", "sops", "ansible")) else ""
            return fmt(r[0]) + cpu + (" (refused, exit 1)" if r[2] == 1 else "")
        g, a = results.get("get"), results.get("age -d")
        ratio = f"{g[0] / a[0]:.2f}" if g and a else ""
        rss = f"{results['set'][1]:,} / {results['get'][1]:,}" if results.get("set") and results.get("get") else ""
        lines.append(f"| {label(count, size)} | {vault_bytes / (1 << 20):,.2f} MiB | {cell('set')} | {cell('get')} | {cell('list')} | {cell('render --all')} | "
                     f"{cell('age -d')} | {cell('sops decrypt')} | {cell('ansible-vault decrypt')} | {ratio} | {rss} |")
    lines += ["", "Growth against the 3 x 1 KiB vault (ratio of median CPU times):", "",
              "| vault | set | get | list | render --all | age -d | ansible-vault |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for count, size, _, _, results in rows:
        cells = []
        for name in ("set", "get", "list", "render --all", "age -d", "ansible-vault decrypt"):
            r = results.get(name)
            cells.append(f"{r[3] / base[name]:.1f}x" if r and name in base else "")
        lines.append(f"| {label(count, size)} | " + " | ".join(cells) + " |")
    lines.append("")
    for count, size, vault_bytes, _, results in rows:
        if count == 10000 and results.get("set"):
            wall, cpu = results["set"][0], results["set"][3]
            verdict = "met" if wall < 0.050 else ("met in CPU time, not in wall time" if cpu < 0.050 else "NOT met")
            lines.append(f"Target `set` on a 10,000-entry vault under 50 ms, {label(count, size)} ({vault_bytes / (1 << 20):.1f} MiB file): "
                         f"{fmt(wall)} ms wall, {fmt(cpu)} ms CPU: {verdict}.")
    with open(os.path.join(HERE, "..", "RESULTS-scale.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
