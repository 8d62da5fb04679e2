#!/usr/bin/env python3
"""`render -f k8s/` (8 files: every document parsed, the Secret filled, the rest passed through)
against the one-template `render`, on the same vault, interleaved in one run.

Each figure is a whole process (fork, exec, exit); runs alternate between the two commands so
load on a shared machine falls on both alike. Writes bench/RESULTS-stream.md."""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get("SECRETCTL_BIN", os.path.join(REPO, ".build/release/secretctl"))
RUNS = 15 if "--quick" in sys.argv else 101
GOAL = 1.3


def once(argv, env, cwd):
    start = time.perf_counter()
    subprocess.run(argv, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    work = tempfile.mkdtemp(prefix="secretctl-stream-bench-")
    try:
        project = os.path.join(work, "project")
        os.makedirs(os.path.join(project, "secrets"))
        shutil.copytree(os.path.join(REPO, "k8s"), os.path.join(project, "k8s"))
        env = {k: v for k, v in os.environ.items() if not k.startswith("SECRETCTL_")}
        env["XDG_CONFIG_HOME"] = os.path.join(work, "config")
        subprocess.run([BIN, "init"], env=env, cwd=project, check=True, stderr=subprocess.DEVNULL)
        for name, value in (("DATABASE_URL", "postgresql://todo:bench-pw@ep-bench.neon.tech/todo?sslmode=require"),
                            ("OPENAI_API_KEY", "sk-proj-bench-0123456789abcdef0123456789abcdef")):
            subprocess.run([BIN, "set", name], env=env, cwd=project, input=value.encode(), check=True, stderr=subprocess.DEVNULL)
        subprocess.run([BIN, "generate", "BETTER_AUTH_SECRET"], env=env, cwd=project, check=True, stderr=subprocess.DEVNULL)

        commands = {
            "render (k8s/secret.yaml)": [BIN, "render"],
            "render -f k8s/ (8 files)": [BIN, "render", "-f", "k8s/"],
        }
        for argv in commands.values():  # warm the page cache
            once(argv, env, project)
        times = {name: [] for name in commands}
        for _ in range(RUNS):
            for name, argv in commands.items():
                times[name].append(once(argv, env, project))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    single, stream = (times[name] for name in commands)
    ratio = statistics.median(stream) / statistics.median(single)
    ms = lambda t: f"{t * 1000:.2f}"
    lines = [
        "## Manifest streams: render -f k8s/ against render",
        "",
        f"`bash bench/stream/run`: {RUNS} runs of each, interleaved, whole processes; the app's vault (3 secrets).",
        "",
        "| command | min ms | median ms | max ms | vs render |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name in commands:
        t = times[name]
        lines.append(f"| `{name}` | {ms(min(t))} | {ms(statistics.median(t))} | {ms(max(t))} | "
                     f"{statistics.median(t) / statistics.median(single):.2f}x |")
    lines += ["", f"Goal: render -f k8s/ at most {GOAL}x render; measured {ratio:.2f}x ({'met' if ratio <= GOAL else 'missed'}).", ""]
    with open(os.path.join(os.path.dirname(HERE), "RESULTS-stream.md"), "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
