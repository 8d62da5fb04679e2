#!/usr/bin/env python3
"""Times secretctl against its peers on the same data, in one run.

Every figure is the wall time of whole processes (fork+exec+exit) from `hyperfine -N`
(no shell in between), measured the same way for every tool, next to /bin/true as the
floor, with its minimum, median and maximum; the CPU column is hyperfine's mean user +
system time, which other load on a shared machine inflates less. Peak memory is the peak
RSS from GNU time. The values are fake benchmark data made here; they are written to a
throwaway folder for the peers, which need plaintext input files.
"""
import json
import os
import platform
import secrets
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from typing import NamedTuple

import benchlib

BIN = os.environ.get("SECRETCTL_BIN", ".build/release/secretctl")
QUICK = "--quick" in sys.argv
ROUNDS = 2 if QUICK else 5
RUNS = 10 if QUICK else 40  # per command, spread over ROUNDS rounds
HERE = os.path.dirname(os.path.abspath(__file__))


class Timing(NamedTuple):
    min: float  # seconds
    median: float
    max: float
    cpu: float  # mean user + system seconds
    rss: int  # peak RSS KiB (GNU time, one more run)


def hyperfine(argv, env, cwd, runs, warmup):
    """Wall times (seconds) of `runs` runs of `argv`, and their mean user + system seconds."""
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        command = " ".join(shlex.quote(a) for a in argv)
        done = subprocess.run(["hyperfine", "-N", "--warmup", str(warmup), "--runs", str(runs), "--style", "none",
                               "--export-json", report.name, command],
                              env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if done.returncode != 0:
            raise SystemExit(f"bench: {command} failed: {done.stderr.decode(errors='replace')[-300:]}")
        result = json.load(open(report.name))["results"][0]
    return result["times"], result["user"] + result["system"]


def measure_side_by_side(cases, cwd):
    """`hyperfine -N` over every case in ROUNDS rounds, each case in turn within a round, so a
    burst of load on this shared machine lands on every tool alike rather than on whichever
    one was running. Returns {name: Timing}, or None for a case that failed."""
    times = {name: [] for name, _, _ in cases}
    cpus = {name: [] for name, _, _ in cases}
    failed = set()
    for round_ in range(ROUNDS):
        for name, argv, env in cases:
            if name in failed:
                continue
            try:
                t, cpu = hyperfine(argv, env, cwd, RUNS // ROUNDS, 3 if round_ == 0 else 1)
            except SystemExit as failure:
                print(failure, file=sys.stderr)
                failed.add(name)
                continue
            times[name] += t
            cpus[name].append(cpu)
    results = {}
    for name, argv, env in cases:
        if name in failed:
            results[name] = None
            continue
        t = times[name]
        results[name] = Timing(min(t), statistics.median(t), max(t), statistics.mean(cpus[name]), benchlib.peak_rss(argv, env, cwd))
    return results


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
    if shutil.which("hyperfine") is None:
        raise SystemExit("bench: hyperfine is required (apt-get install hyperfine)")
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
        floor = measure_side_by_side([("true", ["/bin/true"], None)], root)["true"]
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
            if label == "3 secrets":
                # Process start alone: both print their version and exit.
                cases += [("secretctl --version", [BIN, "--version"], env), ("age --version", ["age", "--version"], None)]
            results = measure_side_by_side(cases, d)
            for name, value in results.items():
                print(f"bench: {label}: {name}: {value}", file=sys.stderr)
            rows.append((label, results))

        lines = ["## Vault: get, list, render against age, sops and kubectl", "",
                 f"`hyperfine -N` of the whole process, {RUNS} runs per command in {ROUNDS} rounds (every command in turn "
                 "within a round, so load on this shared machine falls on all of them alike), minimum / median / maximum "
                 "wall time; CPU is hyperfine's mean user + system time (other load inflates it less); peak RSS from GNU "
                 "time (one more run). "
                 f"Floor: `/bin/true` {fmt_ms(floor.median)} ms median, {floor.rss} KiB.",
                 "Ratios are medians against `age -d` on the same data (below 1.00x = faster than age); "
                 "`--version` is against `age --version`.", ""]
        lines += ["| data | command | min ms | median ms | max ms | CPU ms | peak RSS KiB | vs `age -d` |",
                  "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for label, results in rows:
            for name, value in results.items():
                if value is None:
                    lines.append(f"| {label} | {name} | failed | | | | | |")
                    continue
                base = results.get("age --version" if name.endswith("--version") else "age -d")
                ratio = f"{value.median / base.median:.2f}x" if base else ""
                lines.append(f"| {label} | {name} | {fmt_ms(value.min)} | {fmt_ms(value.median)} | {fmt_ms(value.max)} | "
                             f"{fmt_ms(value.cpu)} | {value.rss} | {ratio} |")

        def ratio(results, name, peer="age -d", field="median"):
            ours, theirs = results.get(name), results.get(peer)
            if not ours or not theirs:
                return None
            return getattr(ours, field) / getattr(theirs, field)

        def verdict(value, limit):
            return "failed to run" if value is None else ("met" if value <= limit else "NOT met")

        by_label = dict(rows)
        three, thousand = by_label["3 secrets"], by_label["1,000 secrets"]
        goals = []
        def cpu(results, name, peer="age -d"):
            r = ratio(results, name, peer, "cpu")
            return f"; CPU {r:.2f}x" if r is not None else ""

        for name in ("secretctl render", "secretctl get", "secretctl list"):
            r = ratio(three, name)
            goals.append(f"- 3 secrets: `{name.split()[1]}` {fmt_ms(three[name].median)} ms vs `age -d` {fmt_ms(three['age -d'].median)} ms: "
                         f"{r:.2f}x (goal <= 1.00x, aim 0.70x): {verdict(r, 1.0)}{cpu(three, name)}" if r is not None else f"- 3 secrets: `{name}`: failed")
        r = ratio(three, "secretctl --version", "age --version")
        if r is not None:
            goals.append(f"- `--version` {fmt_ms(three['secretctl --version'].median)} ms vs `age --version` "
                         f"{fmt_ms(three['age --version'].median)} ms: {r:.2f}x (goal <= 1.00x): {verdict(r, 1.0)}"
                         f"{cpu(three, 'secretctl --version', 'age --version')}")
        r = ratio(thousand, "secretctl get")
        if r is not None:
            goals.append(f"- 1,000 secrets: `get` {fmt_ms(thousand['secretctl get'].median)} ms vs `age -d` "
                         f"{fmt_ms(thousand['age -d'].median)} ms: {r:.2f}x (goal <= 1.00x): {verdict(r, 1.0)}{cpu(thousand, 'secretctl get')}")
        r = ratio(three, "secretctl render", field="rss")
        if r is not None:
            goals.append(f"- 3 secrets: peak RSS of `render` {three['secretctl render'].rss} KiB vs `age -d` "
                         f"{three['age -d'].rss} KiB: {r:.2f}x (goal <= 2.00x): {verdict(r, 2.0)}")
        summary = []
        for label, results in rows:
            r, k = results.get("secretctl render"), results.get("kubectl create secret --dry-run=client")
            s = results.get("sops decrypt")
            if r and k:
                summary.append(f"- {label}: `render` {fmt_ms(r.median)} ms vs `kubectl create secret` {fmt_ms(k.median)} ms "
                               f"({k.median / r.median:.1f}x faster); `sops decrypt` {fmt_ms(s.median) if s else 'failed'} ms")
        lines += ["", "Start-up goals (medians, this run):", ""] + goals + ["", "Against the other peers:", ""] + summary
        with open(os.path.join(HERE, "RESULTS-vault.md"), "w") as f:
            f.write("\n".join(lines) + "\n")
        print("\n".join(lines))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
