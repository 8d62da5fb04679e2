"""Shared timing helper for the bench scripts (bench/vault_bench.py, bench/scale/scale_bench.py).

Import it from a script in a subfolder with:

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    import benchlib
"""
import os
import statistics
import subprocess
import tempfile
import time
from typing import NamedTuple


class Measurement(NamedTuple):
    wall: float  # median wall seconds
    rss: int  # peak RSS KiB of one extra run under GNU time (0 without /usr/bin/time)
    code: int  # exit code of the last run
    cpu: float  # median CPU seconds (user + system, from wait4)


def measure(argv, env=None, cwd=None, stdin_bytes=None, runs=5, ok=(0,)):
    """Runs `argv` `runs` times as a whole process and returns a `Measurement`.

    Wall time is measured around fork, exec and exit; CPU time is the child's user + system
    time from wait4, the figure other load on a shared machine cannot inflate. Raises
    RuntimeError (with the start of stderr) when an exit code is not in `ok`."""
    times, cpus, code = [], [], 0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.PIPE if stdin_bytes is not None else subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if stdin_bytes is not None:
            proc.stdin.write(stdin_bytes)
            proc.stdin.close()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        err = proc.stderr.read()
        proc.stderr.close()
        code = os.waitstatus_to_exitcode(status)
        proc.returncode = code
        if code not in ok:
            raise RuntimeError(f"{argv[0]} {argv[1] if len(argv) > 1 else ''} failed ({code}): {err.decode(errors='replace')[:300]}")
        times.append(elapsed)
        cpus.append(usage.ru_utime + usage.ru_stime)
    return Measurement(statistics.median(times), peak_rss(argv, env, cwd, stdin_bytes), code, statistics.median(cpus))


def peak_rss(argv, env=None, cwd=None, stdin_bytes=None):
    """Peak RSS (KiB) of one run, measured by GNU time around the command.

    wait4's ru_maxrss in Python would count the forked Python image before exec
    (about 15 MB even for /bin/true), so a small exec'd helper measures instead."""
    if not os.access("/usr/bin/time", os.X_OK):
        return 0
    with tempfile.NamedTemporaryFile(mode="r") as report:
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name] + list(argv), env=env, cwd=cwd,
                       input=stdin_bytes if stdin_bytes is not None else b"",
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            return int(report.read().strip().splitlines()[-1])
        except (ValueError, IndexError):
            return 0
