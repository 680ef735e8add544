#!/usr/bin/env python3
"""Measures `declutr learn` over a large scrape directory (`make bench-learn`): peak memory
(resident set size), wall and CPU time, pages and sites learned.

    python3 contrib/bench_learn.py target/release/declutr target/learn-corpus OUT_DIR
"""

import os
import subprocess
import sys
import time


def main():
    if len(sys.argv) != 4:
        sys.exit(f"usage: {sys.argv[0]} DECLUTR CORPUS_DIR OUT_DIR")
    declutr, corpus, out = sys.argv[1:]
    size = pages = 0
    for root, _, files in os.walk(corpus):
        for name in files:
            if name.endswith(".txt"):
                pages += 1
                size += os.path.getsize(os.path.join(root, name))
    print(f"{corpus}: {size / 1e6:.0f} MB, {pages} pages")
    started = time.monotonic()
    child = subprocess.Popen([declutr, "learn", corpus, "-o", out, "--quiet"])
    # wait4 gives this child's own resource use.
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.monotonic() - started
    rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    code = os.waitstatus_to_exitcode(status)
    files = len([f for f in os.listdir(out) if f.endswith(".toml")]) if os.path.isdir(out) else 0
    print(f"learn  peak RSS {rss / 1e6:.1f} MB  {seconds:.1f} s  "
          f"{size / 1e6 / seconds:.1f} MB/s  CPU {usage.ru_utime + usage.ru_stime:.1f} s  "
          f"{files} site files" + ("" if code == 0 else f"  (exit code {code})"))
    sys.exit(code)


if __name__ == "__main__":
    main()
