#!/usr/bin/env python3
"""Measures `declutr clean --input-format jsonl` on one large stream (`make bench-stream`):
peak memory (resident set size), wall time and throughput, reading the file by name, then
reading it on stdin through a pipe (`cat FILE | declutr clean - …`).

    python3 contrib/bench_stream.py target/release/declutr target/stream.jsonl
"""

import os
import subprocess
import sys
import time


def count_lines(path):
    with open(path, "rb") as f:
        return sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 20), b""))


def run(command, stdin):
    """Runs `command`, output discarded; its exit code, peak RSS in bytes, wall time and CPU
    time (the wall time depends on what else the machine runs; the CPU time much less)."""
    started = time.monotonic()
    child = subprocess.Popen(command, stdin=stdin, stdout=subprocess.DEVNULL)
    # wait4 gives this child's own resource use, not the total of all children so far.
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.monotonic() - started
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    cpu = usage.ru_utime + usage.ru_stime
    return os.waitstatus_to_exitcode(status), rss, seconds, cpu


def main():
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} DECLUTR FILE.jsonl")
    declutr, path = sys.argv[1:]
    size, records = os.path.getsize(path), count_lines(path)
    print(f"{path}: {size / 1e6:.1f} MB, {records} records")
    clean = [declutr, "clean", "--input-format", "jsonl", "--quiet"]
    failed = False
    for how in ["file", "stdin"]:
        if how == "file":
            code, rss, seconds, cpu = run(clean + [path], subprocess.DEVNULL)
        else:
            cat = subprocess.Popen(["cat", path], stdout=subprocess.PIPE)
            code, rss, seconds, cpu = run(clean + ["-"], cat.stdout)
            cat.stdout.close()
            cat.wait()
        failed |= code != 0
        print(f"{how:<5}  peak RSS {rss / 1e6:5.1f} MB  {seconds:6.1f} s  "
              f"{size / 1e6 / seconds:5.1f} MB/s  {records / seconds:5.0f} records/s  "
              f"CPU {cpu:6.1f} s" + ("" if code == 0 else f"  (exit code {code})"))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
