#!/usr/bin/env python3
"""Times secretctl against its peers on the same data, in one run.

Every figure is the median wall time of whole processes (fork+exec+exit), measured
the same way for every tool, next to /bin/true as the floor. Peak memory is the
peak RSS from GNU time. The values are fake benchmark data made here; they are
written to a throwaway folder for the peers, which need plaintext input files.
"""
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile

import benchlib

BIN = os.environ.get("SECRETCTL_BIN", ".build/release/secretctl")
QUICK = "--quick" in sys.argv
RUNS = 7 if QUICK else 31
HERE = os.path.dirname(os.path.abspath(__file__))


def measure(argv, env=None, cwd=None, stdin_bytes=None, runs=RUNS):
    """Median seconds and peak RSS (KiB, from GNU time) of `argv`: bench/benchlib.py."""
    try:
        timing = benchlib.measure(argv, env=env, cwd=cwd, stdin_bytes=stdin_bytes, runs=runs)
    except RuntimeError as failure:
        raise SystemExit(f"bench: {failure}")
    return timing.wall, timing.rss


def run(argv, env=None, cwd=None, stdin_bytes=None):
    subprocess.run(argv, env=env, cwd=cwd, input=stdin_bytes, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_dataset(name, values, root):
    """A secretctl project plus age, sops and kubectl inputs holding the same data."""
    d = os.path.join(root, name)
    os.makedirs(os.path.join(d, "secrets"))
    os.makedirs(os.path.join(d, "k8s"))
    env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(d, "config"))
    for k in ("SECRETCTL_KEY", "SECRETCTL_KEY_FILE", "SECRETCTL_PASSPHRASE", "SECRETCTL_VAULT", "SECRETCTL_ENV"):
        env.pop(k, None)
    run([BIN, "init"], env=env, cwd=d)
    dotenv = "".join(f"{k}={v}\n" for k, v in values.items())
    imported = subprocess.run([BIN, "import", "-"], env=env, cwd=d, input=dotenv.encode(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
    if not imported:
        for k, v in values.items():
            run([BIN, "set", k], env=env, cwd=d, stdin_bytes=v.encode())
    # Template listing exactly these keys.
    with open(os.path.join(d, "k8s", "secret.yaml"), "w") as f:
        f.write("apiVersion: v1\nkind: Secret\nmetadata:\n  name: todo-app-secrets\n  namespace: todo-app\ntype: Opaque\ndata:\n")
        for k in values:
            f.write(f"  {k}: \"\"\n")
    # Peers' inputs.
    plain = os.path.join(d, "plain.env")
    with open(plain, "w") as f:
        f.write(dotenv)
    files = os.path.join(d, "files")
    os.makedirs(files)
    for k, v in values.items():
        with open(os.path.join(files, k), "w") as f:
            f.write(v)
    keygen = subprocess.run(["age-keygen", "-o", os.path.join(d, "age.key")], capture_output=True, text=True, check=True)
    recipient = [l for l in (keygen.stderr + keygen.stdout).splitlines() if "age1" in l][0].split()[-1]
    run(["age", "-r", recipient, "-o", os.path.join(d, "data.age"), plain])
    sops_env = dict(os.environ, SOPS_AGE_KEY_FILE=os.path.join(d, "age.key"))
    with open(os.path.join(d, "data.sops.env"), "wb") as out:
        subprocess.run(["sops", "encrypt", "--age", recipient, "--input-type", "dotenv", "--output-type", "dotenv", plain],
                       env=sops_env, stdout=out, check=True)
    return d, env, sops_env


def fmt_ms(s):
    return f"{s * 1000:.2f}"


def main():
    if not os.access(BIN, os.X_OK):
        raise SystemExit(f"bench: {BIN} is not built")
    root = tempfile.mkdtemp(prefix="secretctl-bench-")
    try:
        datasets = {
            "3 secrets": {"DATABASE_URL": "postgresql://todo:" + secrets.token_hex(12) + "@ep-x.neon.tech/todo?sslmode=require",
                          "OPENAI_API_KEY": "sk-proj-" + secrets.token_urlsafe(36),
                          "BETTER_AUTH_SECRET": secrets.token_urlsafe(32)},
            "1,000 secrets": {f"KEY_{i:04d}": secrets.token_urlsafe(32) for i in range(1000)},
            # 1 MiB less a little, so the whole Secret (keys and values) stays under the 1 MiB limit.
            "1 MiB value": {"BIG_VALUE": secrets.token_hex(512 * 1024 - 512)},
        }
        floor, floor_rss = measure(["/bin/true"])
        rows = []
        for label, values in datasets.items():
            d, env, sops_env = make_dataset(label.replace(" ", "_").replace(",", ""), values, root)
            first = next(iter(values))
            k8s_args = ["kubectl", "create", "secret", "generic", "todo-app-secrets", "-n", "todo-app", "--dry-run=client", "-o", "yaml"]
            if label == "1 MiB value":
                # --from-env-file silently drops lines of 64 KiB or more: use --from-file.
                k8s_args += [f"--from-file={first}={os.path.join(d, 'files', first)}"]
            else:
                k8s_args += [f"--from-env-file={os.path.join(d, 'plain.env')}"]
            cases = [
                ("secretctl get", [BIN, "get", first], env),
                ("secretctl list", [BIN, "list"], env),
                ("secretctl render", [BIN, "render"], env),
                ("age -d", ["age", "-d", "-i", os.path.join(d, "age.key"), os.path.join(d, "data.age")], None),
                ("sops decrypt", ["sops", "decrypt", "--input-type", "dotenv", "--output-type", "dotenv", os.path.join(d, "data.sops.env")], sops_env),
                ("kubectl create secret --dry-run=client", k8s_args, None),
            ]
            results = {}
            for name, argv, e in cases:
                try:
                    results[name] = measure(argv, env=e, cwd=d)
                except SystemExit as failure:
                    print(failure, file=sys.stderr)
                    results[name] = None
                print(f"bench: {label}: {name}: {results[name]}", file=sys.stderr)
            rows.append((label, results))

        age_key = "age -d"
        lines = ["## Vault: get, list, render against age, sops and kubectl", "",
                 f"Median of {RUNS} runs of the whole process; peak RSS from GNU time (one more run). Floor: `/bin/true` {fmt_ms(floor)} ms, {floor_rss} KiB.",
                 "Ratios are against `age -d` on the same data (below 1.00 = faster than age).", ""]
        lines += ["| data | command | median ms | peak RSS KiB | vs `age -d` |", "| --- | --- | ---: | ---: | ---: |"]
        for label, results in rows:
            base = results.get(age_key)
            for name, value in results.items():
                if value is None:
                    lines.append(f"| {label} | {name} | failed | | |")
                    continue
                ratio = f"{value[0] / base[0]:.2f}x" if base else ""
                lines.append(f"| {label} | {name} | {fmt_ms(value[0])} | {value[1]} | {ratio} |")
        summary = []
        for label, results in rows:
            r, a, k = results.get("secretctl render"), results.get("age -d"), results.get("kubectl create secret --dry-run=client")
            g = results.get("secretctl get")
            if g and a:
                summary.append(f"- {label}: `get` {fmt_ms(g[0])} ms vs `age -d` {fmt_ms(a[0])} ms ({g[0] / a[0]:.2f}x)")
            if r and k:
                summary.append(f"- {label}: `render` {fmt_ms(r[0])} ms vs `kubectl create secret` {fmt_ms(k[0])} ms ({k[0] / r[0]:.1f}x faster)")
        lines += ["", "Summary:", ""] + summary
        with open(os.path.join(HERE, "RESULTS-vault.md"), "w") as f:
            f.write("\n".join(lines) + "\n")
        print("\n".join(lines))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
