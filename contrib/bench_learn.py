#!/usr/bin/env python3
"""Measures site learning over a scrape directory (`make bench-learn`): peak memory
(resident set size), CPU time (user + system) and wall time of

  - `declutr learn CORPUS -o OUT`,
  - `declutr clean CORPUS -o OUT` (learning in the batch),
  - `declutr clean CORPUS -o OUT --no-learn`,

each run REPEAT times back to back (the least CPU time and the largest peak memory are
reported), and the CPU time of cleaning with learning over that without.

    python3 contrib/bench_learn.py target/release/declutr target/learn-corpus OUT_DIR [--repeat 3]

CPU time, not wall time, is the figure to compare on a machine other jobs share.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time


def run(cmd, out):
    """Runs `cmd` once (`out` removed first); its peak RSS in bytes, CPU and wall seconds."""
    shutil.rmtree(out, ignore_errors=True)
    started = time.monotonic()
    child = subprocess.Popen(cmd)
    # wait4 gives this child's own resource use.
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.monotonic() - started
    rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{' '.join(cmd)}: exit code {code}")
    return rss, usage.ru_utime + usage.ru_stime, wall


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("declutr")
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each command (3)")
    args = ap.parse_args()
    size = pages = 0
    sites = set()
    for root, _, files in os.walk(args.corpus):
        for name in files:
            if name.endswith(".txt"):
                pages += 1
                sites.add(root)
                size += os.path.getsize(os.path.join(root, name))
    print(f"{args.corpus}: {size / 1e6:.0f} MB, {pages} pages, {len(sites)} sites")
    commands = [
        ("learn", ["learn", args.corpus, "-o", args.out, "--quiet"]),
        ("clean", ["clean", args.corpus, "-o", args.out, "--quiet"]),
        ("clean --no-learn", ["clean", args.corpus, "-o", args.out, "--quiet", "--no-learn"]),
    ]
    cpu_of = {}
    for name, cmd in commands:
        runs = [run([args.declutr, *cmd], args.out) for _ in range(args.repeat)]
        rss = max(r[0] for r in runs)
        cpu = min(r[1] for r in runs)
        wall = min(r[2] for r in runs)
        cpu_of[name] = cpu
        extra = ""
        if name == "learn" and os.path.isdir(args.out):
            files = len([f for f in os.listdir(args.out) if f.endswith(".toml")])
            extra = f"  {files} site files"
        print(f"{name:<17} peak RSS {rss / 1e6:7.1f} MB  CPU {cpu:7.2f} s  "
              f"wall {wall:7.2f} s  {size / 1e6 / wall:6.1f} MB/s{extra}")
        shutil.rmtree(args.out, ignore_errors=True)
    if cpu_of["clean --no-learn"] > 0:
        print(f"CPU of clean with learning / without: "
              f"{cpu_of['clean'] / cpu_of['clean --no-learn']:.2f}x")


if __name__ == "__main__":
    main()
