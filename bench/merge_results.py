#!/usr/bin/env python3
"""Joins the per-area results into bench/RESULTS.md, with the machine noted."""
import os
import platform
import subprocess
import time

here = os.path.dirname(os.path.abspath(__file__))
cpu = "unknown"
try:
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
except OSError:
    pass
swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[:1]
parts = [
    "# Benchmark results",
    "",
    "Written by `bash bench/run` (or one of its parts). Each section comes from one run of its own",
    "script, with every peer measured side by side on the same data in that same run.",
    "",
    f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
    f"- Machine: {os.cpu_count()} cores, {cpu}, {platform.system()} {platform.release()}",
    f"- Load average when merged: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (this machine is shared; wall times are noisy)",
    f"- Toolchain: {swift[0] if swift else 'unknown'}; secretctl built `-c release --static-swift-stdlib -Xswiftc -static-executable` (one static executable, as the README installs it)",
    "",
]
for name in ("RESULTS-vault.md", "RESULTS-scale.md", "RESULTS-crypto.md", "RESULTS-scan.md", "RESULTS-stream.md"):
    path = os.path.join(here, name)
    if os.path.exists(path):
        parts.append(open(path).read().rstrip() + "\n")
with open(os.path.join(here, "RESULTS.md"), "w") as f:
    f.write("\n".join(parts))
print(f"bench: wrote {os.path.join(here, 'RESULTS.md')}")
