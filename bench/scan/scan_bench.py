#!/usr/bin/env python3
"""secretctl scan benchmarks; writes bench/RESULTS-scan.md.

  1. Recall, side by side with detect-secrets (PyPI): a planted corpus holding the app's three
     secrets in the forms people leak them (raw, base64, base64url, base64 inside a longer blob
     at each alignment, percent-encoded, hex, JSON-escaped) plus look-alike decoys. For each tool:
     how many planted files it flags and how many decoy files it flags (false alarms).
  2. Speed: `secretctl scan` over a ~200 MiB tree of mixed files against
     `git grep -F -f <needles>` on the same tree (same fixed strings), as a ratio.
  3. The hook: `secretctl scan --staged` and the whole installed pre-commit hook for an
     ordinary commit (a few changed files) in that 200 MiB repository.

THE THREE VALUES BELOW ARE FAKE, made up for this benchmark. Only because they are fake does
this script write them, and their encoded forms, to disk: into the planted corpus, and into the
needle file that `git grep -f` reads (git grep has no other way to take many fixed strings).
secretctl itself never writes a needle anywhere: it derives them in memory from the vault.

usage: scan_bench.py [--quick]     (SECRETCTL_BIN: the binary; default: a release build)
"""
import base64
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORK = os.path.join(ROOT, "bench", "work", "scan")
QUICK = "--quick" in sys.argv[1:]

# FAKE benchmark values (see the docstring).
SECRETS = {
    "BETTER_AUTH_SECRET": "Q7vX2mK9pL4sT8wZ1nB5cR3dF6gH0jA+eY3uI5oP7a/=",
    "OPENAI_API_KEY": "sk-proj-Fk3Bn9Qw2Ls7Xc4Vt8Rz1Mp6Hd5Gj0Ky7Ua2Ie9Oo4Wx3Tb",
    "DATABASE_URL": "postgresql://todo:Kx9v+Q2/mZ7pL4sT8w@db.internal:5432/todo?sslmode=require",
}


def run(args, cwd=None, env=None, stdin=None, check=True):
    result = subprocess.run(args, cwd=cwd, env=env, input=stdin, capture_output=True)
    if check and result.returncode != 0:
        sys.exit("bench/scan: %s failed (%d): %s" % (" ".join(args), result.returncode, result.stderr.decode()[-2000:]))
    return result


def secretctl_binary():
    binary = os.environ.get("SECRETCTL_BIN")
    if binary:
        return binary
    print("== swift build -c release --scratch-path .build-scan", file=sys.stderr)
    run(["swift", "build", "-c", "release", "--product", "secretctl", "--scratch-path", ".build-scan"], cwd=ROOT)
    return os.path.join(ROOT, ".build-scan", "release", "secretctl")


def machine():
    cpu = "unknown"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return "%d cores (nproc), %s, %s %s" % (os.cpu_count(), cpu, platform.system(), platform.release())


def load():
    return " ".join(open("/proc/loadavg").read().split()[:3])


# MARK: - The vault

def make_vault(binary):
    project = os.path.join(WORK, "project")
    shutil.rmtree(project, ignore_errors=True)
    os.makedirs(os.path.join(project, "secrets"))
    env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(WORK, "config"), HOME=os.path.join(WORK, "home"))
    shutil.rmtree(env["XDG_CONFIG_HOME"], ignore_errors=True)
    run([binary, "init"], cwd=project, env=env)
    for name, value in SECRETS.items():
        run([binary, "set", name, "--raw"], cwd=project, env=env, stdin=value.encode())
    return os.path.join(project, "secrets", "dev.vault"), env


# MARK: - Forms (for the corpus and for git grep's needle file)

def blob_middle(value, alignment, urlsafe=False):
    encode = base64.urlsafe_b64encode if urlsafe else base64.b64encode
    full = encode(b"\0" * alignment + value)
    first = (8 * alignment + 5) // 6
    end = (8 * (alignment + len(value))) // 6
    return full[first:end]


def needle_forms(value):
    """The same forms secretctl derives (see NeedleEncoder.swift), for git grep -F."""
    forms = {value}
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        encoded = encode(value)
        forms.update([encoded, encoded.rstrip(b"=")])
        for alignment in range(3):
            forms.add(blob_middle(value, alignment, urlsafe=encode is base64.urlsafe_b64encode))
    forms.add(urllib.parse.quote(value, safe="").encode())
    forms.add(urllib.parse.quote(value, safe="!'()*").encode())
    forms.add(urllib.parse.quote_plus(value, safe="*").encode())
    forms.add(urllib.parse.quote(value, safe="").lower().encode())
    forms.add("".join(c if c.isalnum() and c.isascii() else "%%%02X" % ord(c) for c in value.decode()).encode())
    forms.update([value.hex().encode(), value.hex().upper().encode()])
    escaped = json.dumps(value.decode())[1:-1]
    forms.update([escaped.encode(), escaped.replace("/", "\\/").encode()])
    return sorted(f for f in forms if f)


# MARK: - 1. Recall

def wrap76(data):
    text = base64.b64encode(data).decode()
    return "\n".join(text[i:i + 76] for i in range(0, len(text), 76)) + "\n"


def dotenv_blob(name, value, alignment):
    head = "# backup of .env.production\nNODE_ENV=production\n"
    while (len(head) + len(name) + 1) % 3 != alignment:
        head += "#"
    return wrap76((head + name + "=" + value + "\nLOG_LEVEL=info\n").encode())


def planted(name, value):
    """(form, file name, text) for one secret."""
    raw = value.encode()
    pct = urllib.parse.quote(value, safe="")
    php_json = json.dumps(value).replace("/", "\\/")
    key = name.lower()
    return [
        ("raw", "%s.raw.env" % key, "NODE_ENV=production\n%s=%s\n" % (name, value)),
        ("base64", "%s.secret.yaml" % key,
         "apiVersion: v1\nkind: Secret\nmetadata:\n  name: todo-secrets\ndata:\n  %s: %s\n" % (name, base64.b64encode(raw).decode())),
        ("base64url, unpadded", "%s.b64url.txt" % key, "token=%s\n" % base64.urlsafe_b64encode(raw).decode().rstrip("=")),
        ("base64 blob, alignment 0", "%s.blob0.b64" % key, dotenv_blob(name, value, 0)),
        ("base64 blob, alignment 1", "%s.blob1.b64" % key, dotenv_blob(name, value, 1)),
        ("base64 blob, alignment 2", "%s.blob2.b64" % key, dotenv_blob(name, value, 2)),
        ("percent-encoded", "%s.url.md" % key, "Connect: https://admin.example/setup?v=%s&next=1\n" % pct),
        ("hex", "%s.hex.txt" % key, "dump: %s\n" % raw.hex()),
        ("JSON-escaped (\\/)", "%s.config.json" % key, '{"app": "todo", "%s": %s}\n' % (key, php_json)),
        ("inside a YAML list", "%s.values.yaml" % key, "env:\n  - name: %s\n    value: \"%s\"\n" % (name, value.replace('"', '\\"'))),
    ]


def decoys(rng):
    """Files that look like secrets but hold none of the vault's values."""
    def b64(n):
        return base64.b64encode(rng.randbytes(n)).decode()

    def alnum(n):
        return "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))

    auth = SECRETS["BETTER_AUTH_SECRET"]
    openai = SECRETS["OPENAI_API_KEY"]
    items = [
        ("other auth secret", "decoy-auth.env", "BETTER_AUTH_SECRET=%s\n" % b64(32)),
        ("other auth secret, base64", "decoy-auth.secret.yaml", "data:\n  BETTER_AUTH_SECRET: %s\n" % base64.b64encode(b64(32).encode()).decode()),
        ("auth secret, last char changed", "decoy-auth-near.env", "AUTH_SECRET=%s\n" % (auth[:-2] + ("A" if auth[-2] != "A" else "B") + auth[-1])),
        ("auth secret, first char changed", "decoy-auth-near2.env", "AUTH_SECRET=%s\n" % (("Z" if auth[0] != "Z" else "Y") + auth[1:])),
        ("other OpenAI key", "decoy-openai.env", "OPENAI_API_KEY=sk-proj-%s\n" % alnum(48)),
        ("OpenAI key, truncated", "decoy-openai-short.env", "OPENAI_API_KEY=%s\n" % openai[:-3]),
        ("other database URL", "decoy-db.env", "DATABASE_URL=postgresql://todo:%s@db.internal:5432/todo\n" % alnum(18)),
        ("database URL, other host", "decoy-db2.env", "DATABASE_URL=postgresql://app:%s@10.0.0.7:5432/app\n" % alnum(16)),
        ("sha256 in a lock file", "decoy-lock.json", '{"integrity": "sha256-%s", "resolved": "https://registry.example/x.tgz"}\n' % b64(32)),
        ("git commit hash", "decoy-changelog.md", "Fixed in %s.\n" % rng.randbytes(20).hex()),
        ("UUIDs", "decoy-ids.csv", "\n".join("%08x-%04x-%04x-%04x-%012x" % tuple(rng.getrandbits(b) for b in (32, 16, 16, 16, 48)) for _ in range(5)) + "\n"),
        ("JWT-looking test token", "decoy-test-token.txt", "token = '%s.%s.%s'\n" % (
            base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').decode().rstrip("="),
            base64.urlsafe_b64encode(b'{"sub":"test-user","iat":1700000000}').decode().rstrip("="), alnum(43))),
        ("random base64 blob", "decoy-image.b64", wrap76(rng.randbytes(600))),
        ("high-entropy hex", "decoy-hex.txt", "checksum: %s\n" % rng.randbytes(32).hex()),
        ("password keyword, placeholder", "decoy-readme.md", "Set `password: <your password here>` and `api_key = changeme1234`.\n"),
    ]
    return items


def detect_secrets_findings(folder):
    result = run(["detect-secrets", "scan", "--all-files", "."], cwd=folder)
    report = json.loads(result.stdout)
    return {os.path.normpath(path): len(found) for path, found in report.get("results", {}).items()}


def secretctl_findings(binary, env, vault, folder):
    result = run([binary, "scan", "--vault", vault, "--json", "."], cwd=folder, env=env, check=False)
    if result.returncode not in (0, 1):
        sys.exit("bench/scan: secretctl scan failed: %s" % result.stderr.decode())
    counts = {}
    for finding in json.loads(result.stdout)["findings"]:
        path = os.path.normpath(finding["path"])
        counts[path] = counts.get(path, 0) + 1
    return counts


def recall(binary, env, vault):
    folder = os.path.join(WORK, "corpus")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    rng = random.Random(4)
    planted_files = []
    for name, value in SECRETS.items():
        for form, filename, text in planted(name, value):
            with open(os.path.join(folder, filename), "w") as f:
                f.write(text)
            planted_files.append((name, form, filename))
    decoy_files = []
    for label, filename, text in decoys(rng):
        with open(os.path.join(folder, filename), "w") as f:
            f.write(text)
        decoy_files.append((label, filename))

    started = time.perf_counter()
    ours = secretctl_findings(binary, env, vault, folder)
    ours_time = time.perf_counter() - started
    started = time.perf_counter()
    theirs = detect_secrets_findings(folder)
    theirs_time = time.perf_counter() - started

    forms = []
    for _, form, _ in planted_files:
        if form not in forms:
            forms.append(form)
    rows = []
    for form in forms:
        files = [f for _, g, f in planted_files if g == form]
        rows.append((form, len(files), sum(1 for f in files if ours.get(f)), sum(1 for f in files if theirs.get(f))))
    decoy_rows = [(label, bool(ours.get(f)), bool(theirs.get(f))) for label, f in decoy_files]
    return {
        "rows": rows, "decoys": decoy_rows,
        "planted": len(planted_files),
        "ours_found": sum(1 for _, _, f in planted_files if ours.get(f)),
        "theirs_found": sum(1 for _, _, f in planted_files if theirs.get(f)),
        "ours_false": sum(1 for _, f in decoy_files if ours.get(f)),
        "theirs_false": sum(1 for _, f in decoy_files if theirs.get(f)),
        "ours_time": ours_time, "theirs_time": theirs_time,
        "detect_secrets_version": run(["detect-secrets", "--version"]).stdout.decode().strip(),
    }


# MARK: - 2. Speed

def make_tree(mib):
    tree = os.path.join(WORK, "tree-%d" % mib)
    marker = os.path.join(tree, ".bench-complete")
    if os.path.exists(marker):
        return tree
    shutil.rmtree(tree, ignore_errors=True)
    plant = os.path.join(WORK, "plant-values.txt")  # fake values only, see the docstring
    with open(plant, "w") as f:
        f.write("\n".join(SECRETS.values()) + "\n")
    run([sys.executable, os.path.join(HERE, "make_tree.py"), tree, "--mib", str(mib), "--plant", plant])
    os.remove(plant)
    git_env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null")
    run(["git", "init", "-q", "-b", "main"], cwd=tree, env=git_env)
    run(["git", "config", "user.name", "bench"], cwd=tree, env=git_env)
    run(["git", "config", "user.email", "bench@example.com"], cwd=tree, env=git_env)
    run(["git", "add", "-A"], cwd=tree, env=git_env)
    run(["git", "commit", "-q", "-m", "tree"], cwd=tree, env=git_env)
    open(marker, "w").close()
    run(["git", "update-index", "--skip-worktree", "--", ".bench-complete"], cwd=tree, check=False)
    return tree


def hyperfine(commands, cwd, env, runs, warmup=2):
    out = os.path.join(WORK, "hyperfine.json")
    args = ["hyperfine", "-N", "-i", "--warmup", str(warmup), "--runs", str(runs), "--export-json", out, "--style", "none"]
    run(args + commands, cwd=cwd, env=env)
    with open(out) as f:
        results = json.load(f)["results"]
    os.remove(out)
    return results


def speed(binary, env, vault, tree, runs):
    needles = os.path.join(WORK, "needles.txt")  # fake values only, see the docstring
    forms = []
    for value in SECRETS.values():
        forms += needle_forms(value.encode())
    with open(needles, "wb") as f:
        f.write(b"\n".join(forms) + b"\n")
    try:
        ours = "%s scan --vault %s --quiet" % (binary, vault)
        theirs = "git grep -F -c -f %s" % needles
        results = hyperfine([ours, theirs], tree, env, runs)
        found_ours = run([binary, "scan", "--vault", vault, "--json"], cwd=tree, env=env, check=False)
        found_theirs = run(["git", "grep", "-F", "-n", "-f", needles], cwd=tree, check=False)
    finally:
        os.remove(needles)
    size = int(run(["du", "-sb", "--exclude=.git", tree]).stdout.split()[0])
    files = int(run(["git", "ls-files"], cwd=tree).stdout.count(b"\n"))
    return {
        "ours": results[0], "theirs": results[1], "needles": len(forms), "bytes": size, "files": files,
        "ours_places": len(json.loads(found_ours.stdout)["findings"]),
        "theirs_lines": found_theirs.stdout.count(b"\n"),
    }


def history(binary, env, vault, tree, runs):
    """`scan --history` against the floor: git producing the same object stream into /dev/null."""
    ours = "%s scan --vault %s --history --quiet" % (binary, vault)
    script = os.path.join(WORK, "history-floor.sh")
    with open(script, "w") as f:
        f.write("set -e\ngit rev-list --objects --all --filter=object:type=blob --filter-provided-objects"
                " | git cat-file '--batch=%(objectname) %(objecttype) %(objectsize) %(rest)' | wc -c > /dev/null\n")
    check = run(["sh", script], cwd=tree, check=False)
    if check.returncode != 0:
        sys.exit("bench/scan: the history floor failed: %s" % check.stderr.decode())
    results = hyperfine([ours, "sh %s" % script], tree, env, runs, warmup=1)
    os.remove(script)
    return {"ours": results[0], "floor": results[1]}


# MARK: - 3. The hook

def hook(binary, env, tree, runs):
    run([binary, "guard", "install", "--binary", binary], cwd=tree, env=env)
    changed = []
    try:
        files = run(["git", "ls-files", "*.js"], cwd=tree).stdout.decode().split("\n")[:3]
        for path in files:
            with open(os.path.join(tree, path), "a") as f:
                f.write("// an ordinary change\n")
            changed.append(path)
        with open(os.path.join(tree, "new-feature.js"), "w") as f:
            f.write("export function feature() {\n  return process.env.FEATURE_FLAG === 'on';\n}\n" * 40)
        run(["git", "add", "--"] + changed + ["new-feature.js"], cwd=tree)
        staged = run(["git", "diff", "--cached", "--shortstat"], cwd=tree).stdout.decode().strip()
        hook_path = os.path.join(tree, ".git", "hooks", "pre-commit")
        results = hyperfine(["%s scan --staged --quiet" % binary, "sh %s" % hook_path, "%s --version" % binary], tree, env, runs * 3)
    finally:
        run(["git", "reset", "-q", "--"] + changed + ["new-feature.js"], cwd=tree, check=False)
        run(["git", "checkout", "-q", "--"] + changed, cwd=tree, check=False)
        if os.path.exists(os.path.join(tree, "new-feature.js")):
            os.remove(os.path.join(tree, "new-feature.js"))
        run([binary, "guard", "uninstall"], cwd=tree, env=env, check=False)
    return {"staged": staged, "scan": results[0], "hook": results[1], "version": results[2]}


# MARK: - Report

def ms(value):
    return "%.1f" % (value * 1000)


def main():
    os.makedirs(WORK, exist_ok=True)
    binary = secretctl_binary()
    vault, env = make_vault(binary)
    load_before = load()
    print("== recall (secretctl vs detect-secrets)", file=sys.stderr)
    r = recall(binary, env, vault)
    mib = 40 if QUICK else 200
    runs = 3 if QUICK else 10
    print("== tree of %d MiB" % mib, file=sys.stderr)
    tree = make_tree(mib)
    print("== speed (secretctl scan vs git grep -F)", file=sys.stderr)
    s = speed(binary, env, vault, tree, runs)
    print("== history (scan --history vs git rev-list | git cat-file --batch)", file=sys.stderr)
    hist = history(binary, env, vault, tree, max(3, runs // 2))
    print("== hook (scan --staged)", file=sys.stderr)
    h = hook(binary, env, tree, runs)
    load_after = load()

    o, t = s["ours"], s["theirs"]
    cpu_o, cpu_t = o["user"] + o["system"], t["user"] + t["system"]
    lines = [
        "## Leak scan (`secretctl scan`, `guard`)",
        "",
        "Written by `bench/scan/run` (`bench/scan/scan_bench.py`). Machine: %s. Load average %s before, %s after "
        "(other jobs share this machine, so wall times are noisy; CPU times are steadier)." % (machine(), load_before, load_after),
        "",
        "### Recall against detect-secrets (%s) on a planted corpus" % r["detect_secrets_version"],
        "",
        "The app's three secrets (BETTER_AUTH_SECRET, OPENAI_API_KEY, DATABASE_URL; fake values) planted one file "
        "per form, and %d look-alike decoy files. A file counts when the tool flags anything in it." % len(r["decoys"]),
        "",
        "| form | planted files | secretctl found | detect-secrets found |",
        "| --- | ---: | ---: | ---: |",
    ]
    for form, count, ours, theirs in r["rows"]:
        lines.append("| %s | %d | %d | %d |" % (form, count, ours, theirs))
    lines += [
        "| **all forms** | **%d** | **%d** | **%d** |" % (r["planted"], r["ours_found"], r["theirs_found"]),
        "",
        "| decoy (holds no vault value) | secretctl flags | detect-secrets flags |",
        "| --- | :---: | :---: |",
    ]
    for label, ours, theirs in r["decoys"]:
        lines.append("| %s | %s | %s |" % (label, "yes" if ours else "no", "yes" if theirs else "no"))
    lines += [
        "| **false alarms** | **%d of %d** | **%d of %d** |" % (r["ours_false"], len(r["decoys"]), r["theirs_false"], len(r["decoys"])),
        "",
        "Time over the corpus, whole process: secretctl %s ms, detect-secrets %s ms." % (ms(r["ours_time"]), ms(r["theirs_time"])),
        "",
        "### Speed against `git grep -F`",
        "",
        "A %.0f MiB tree of %d mixed files (source-like text, JSON, logs, minified JS, base64 blobs wrapped at 76, "
        "binary), all tracked in git, page cache warm. `git grep -F -c -f FILE` gets the same %d fixed strings "
        "secretctl derives (raw and every encoded form); `secretctl scan` also unlocks the vault and derives them. "
        "hyperfine, %d runs after 2 warm-ups." % (s["bytes"] / 1048576.0, s["files"], s["needles"], runs),
        "",
        "| command | median wall (ms) | mean wall (ms) | CPU user+sys (ms) |",
        "| --- | ---: | ---: | ---: |",
        "| `secretctl scan` | %s | %s | %s |" % (ms(o["median"]), ms(o["mean"]), ms(cpu_o)),
        "| `git grep -F -f` | %s | %s | %s |" % (ms(t["median"]), ms(t["mean"]), ms(cpu_t)),
        "| **ratio** secretctl / git grep | **%.2fx** | %.2fx | **%.2fx** |" % (o["median"] / t["median"], o["mean"] / t["mean"], cpu_o / cpu_t),
        "",
        "Target: within 1.5x of git grep -F. Both found the planted values: secretctl reported %d places, "
        "git grep printed %d matching lines (git grep matches only what it is given, so wrapped base64 and "
        "other forms are found only because the needles were handed to it here)." % (s["ours_places"], s["theirs_lines"]),
        "",
        "### History",
        "",
        "`secretctl scan --history` over the same repository (one commit, %d blobs) against the floor: git alone "
        "producing the same blob stream, in the same `--batch=` format, into a pipe (`git rev-list --objects --all ... | git cat-file --batch=... | wc -c`). "
        "hyperfine, %d runs." % (s["files"], max(3, runs // 2)),
        "",
        "| command | median wall (ms) | CPU user+sys (ms) |",
        "| --- | ---: | ---: |",
        "| `secretctl scan --history` (git processes included) | %s | %s |" % (
            ms(hist["ours"]["median"]), ms(hist["ours"]["user"] + hist["ours"]["system"])),
        "| git rev-list \\| git cat-file --batch \\| wc -c | %s | %s |" % (
            ms(hist["floor"]["median"]), ms(hist["floor"]["user"] + hist["floor"]["system"])),
        "| **ratio** | **%.2fx** | %.2fx |" % (
            hist["ours"]["median"] / hist["floor"]["median"],
            (hist["ours"]["user"] + hist["ours"]["system"]) / (hist["floor"]["user"] + hist["floor"]["system"])),
        "",
        "Most of that time is git inflating objects (zlib) in its single cat-file process.",
        "",
        "### The pre-commit hook",
        "",
        "An ordinary commit in the %.0f MiB repository (%s), the guard installed. hyperfine, %d runs." % (
            s["bytes"] / 1048576.0, h["staged"], runs * 3),
        "",
        "| command | median (ms) | mean (ms) |",
        "| --- | ---: | ---: |",
        "| `secretctl scan --staged --quiet` | %s | %s |" % (ms(h["scan"]["median"]), ms(h["scan"]["mean"])),
        "| the installed hook (`sh .git/hooks/pre-commit`) | %s | %s |" % (ms(h["hook"]["median"]), ms(h["hook"]["mean"])),
        "| `secretctl --version` (process start) | %s | %s |" % (ms(h["version"]["median"]), ms(h["version"]["mean"])),
        "",
        "Target: `scan --staged` in the hook under 100 ms for an ordinary commit.",
        "",
    ]
    with open(os.path.join(ROOT, "bench", "RESULTS-scan.md"), "w") as f:
        f.write("\n".join(lines))
    print("bench/scan: wrote bench/RESULTS-scan.md", file=sys.stderr)


if __name__ == "__main__":
    main()
