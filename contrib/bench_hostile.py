#!/usr/bin/env python3
"""Time and peak memory of `declutr clean` on inputs that grow in one direction
(`make bench-hostile`): many short lines, many blank lines, sentences between menus, many
`<p>a</p>` paragraphs, one element with many attributes, and one big table. Each kind is generated at each size into
DIR (once), cleaned by the binary one file at a time, and measured: wall and CPU time, peak
resident set size, and what each input line (or paragraph, attribute, row) adds to the CPU
time and the peak over those of an empty file. When time and memory grow linearly, the
per-unit columns stay flat as the size grows tenfold.

    python3 contrib/bench_hostile.py target/release/declutr target/hostile [SIZES...]

SIZES default to 10000 100000 1000000; `--kinds lines,blank` picks kinds.
"""

import argparse
import os
import subprocess
import sys
import time


def short_lines(n):
    return b"a\n" * n


def blank_lines(n):
    # Inside the body: blank lines before the first text are not part of it.
    return b"a\n" + b"\n" * n + b"a\n"


def paragraphs(n):
    return b"<!doctype html><html><body>\n" + b"<p>a</p>\n" * n + b"</body></html>\n"


def attributes(n):
    attrs = b"".join(b' a%d="%d"' % (i, i) for i in range(n))
    return (
        b"<!doctype html><html><body><article><p" + attrs + b">"
        + b"The one paragraph of the page stays whatever its opening tag carries. " * 4
        + b"</p></article></body></html>\n"
    )


def prose_and_menus(n):
    # A sentence, then a menu of seven short entries, again and again: as many article runs
    # as sentences for the classifier to find (n lines in all).
    words = [b"Alpha", b"Bravo", b"Cedar", b"Delta", b"Ember", b"Fjord", b"Grove", b"Harbor",
             b"Iris", b"Juniper", b"Kestrel", b"Lumen", b"Maple"]
    out = []
    for i in range(0, n, 8):
        out.append(b"The bridge closed on Tuesday for the summer, %d days after the floods.\n" % i)
        out.extend(words[(i + j) % 13] + b" " + words[(i // 8 + 3 * j) % 13] + b"\n"
                   for j in range(7))
    return b"".join(out)


def table_rows(n):
    row = b"<tr><td>a</td><td>b</td><td>c</td></tr>\n"
    return b"<!doctype html><html><body><table>\n" + row * n + b"</table></body></html>\n"


KINDS = {
    "lines": ("short lines", "txt", short_lines),
    "blank": ("blank lines", "txt", blank_lines),
    "runs": ("prose, menu", "txt", prose_and_menus),
    "paragraphs": ("<p>a</p>", "html", paragraphs),
    "attributes": ("attributes", "html", attributes),
    "table": ("table rows", "html", table_rows),
}


def run(command):
    """Runs `command`, output discarded: exit code, peak RSS in bytes, wall and CPU seconds
    (the wall time depends on what else the machine runs; the CPU time much less)."""
    started = time.monotonic()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # wait4 gives this child's own resource use, not the total of all children so far.
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.monotonic() - started
    rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return os.waitstatus_to_exitcode(status), rss, seconds, usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("declutr")
    parser.add_argument("dir")
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--kinds", default=",".join(KINDS))
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    print(f"{'input':<12} {'n':>9} {'size':>9} {'wall s':>8} {'CPU s':>8} {'peak RSS':>10}"
          f" {'CPU µs/n':>9} {'RSS B/n':>8}")
    # What cleaning costs before any input: loading the rules, starting up.
    empty = os.path.join(args.dir, "empty.txt")
    open(empty, "wb").close()
    _, base_rss, _, base_cpu = run([args.declutr, "clean", empty])
    print(f"{'empty file':<12} {0:>9} {0:>7.1f}MB {'':>8} {base_cpu:>8.2f} {base_rss / 1e6:>8.1f}MB")
    failed = False
    for kind in args.kinds.split(","):
        label, ext, generate = KINDS[kind]
        for n in args.sizes:
            path = os.path.join(args.dir, f"{kind}-{n}.{ext}")
            if not os.path.exists(path):
                with open(path + ".part", "wb") as f:
                    f.write(generate(n))
                os.replace(path + ".part", path)
            size = os.path.getsize(path)
            code, rss, wall, cpu = run([args.declutr, "clean", path, "--max-bytes", "1G"])
            failed |= code != 0
            print(f"{label:<12} {n:>9} {size / 1e6:>7.1f}MB {wall:>8.2f} {cpu:>8.2f}"
                  f" {rss / 1e6:>8.1f}MB {(cpu - base_cpu) * 1e6 / n:>9.2f}"
                  f" {(rss - base_rss) / n:>8.0f}"
                  + ("" if code == 0 else f"  (exit code {code})"), flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
