#!/usr/bin/env python3
"""Cleans a JSON Lines dataset with declutr on Spark.

Each partition of the input is piped through one `declutr clean - --input-format jsonl`
process (`rdd.pipe`), and the cleaned records are written as JSON Lines part files under
OUTPUT, partition by partition, in input order. The recipe, and why it is safe, is in
docs/spark.md.

    spark-submit --files target/release/declutr contrib/spark/declutr_pipe.py IN.jsonl OUT/

The declutr binary and rule directories are named as shipped with the job: a name is a file
given to `spark-submit --files` (or a directory given to `--archives DIR.zip#NAME`); an
absolute path is used as it is, and must then exist on every node.
"""

import argparse
import os
import re
import shlex
import sys
import time

from pyspark import SparkFiles
from pyspark.sql import SparkSession


def not_blank(line):
    """1 for a line declutr answers with one line, 0 for a blank line (ASCII whitespace
    only), which it leaves out."""
    return int(bool(line.strip(" \t\n\x0c\r")))


def on_executors(master, name):
    """The path under which executors find `name`.

    An absolute path is taken as it is. Otherwise `name` was shipped with the job: Spark puts
    shipped files in SparkFiles' directory, which in local mode is a directory of the driver
    (the one process that runs the tasks) and on a cluster is each executor's working
    directory, the directory `rdd.pipe` starts its processes in.
    """
    if os.path.isabs(name):
        return name
    if re.fullmatch(r"local(\[.*\])?", master):
        return SparkFiles.get(name)
    return os.path.join(".", name)


def pipe_command(args, master):
    """The command each partition is piped through, as one string for `rdd.pipe`."""
    declutr = [on_executors(master, args.declutr), "clean", "-", "--input-format", "jsonl",
               "--quiet", "--on-bad-line", args.on_bad_line]
    for rules in args.rules:
        declutr += ["--rules", on_executors(master, rules)]
    if args.text_field:
        declutr += ["--text-field", args.text_field]
    if args.url_field:
        declutr += ["--url-field", args.url_field]
    if args.on_bad_line == "fail":
        # Any exit code but 0 fails the task.
        return shlex.join(declutr)
    # Bad lines passed through or skipped are reported on the executor's stderr and make
    # declutr exit with 1; they are data, not a failure, so only other exit codes (2: a
    # usage or rule-file error, or a signal) fail the task.
    tolerate_bad_lines = '"$0" "$@"; code=$?; [ "$code" -le 1 ] || exit "$code"'
    return shlex.join(["/bin/sh", "-c", tolerate_bad_lines] + declutr)


def counted(accumulator, count=lambda item: 1):
    """A partition function passing items through and adding their count to `accumulator`."""
    def count_partition(items):
        n = 0
        for item in items:
            n += count(item)
            yield item
        accumulator.add(n)
    return count_partition


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", help="JSON Lines: a file, a directory or a glob Spark can read")
    ap.add_argument("output", help="the directory to write the part files to (must not exist)")
    ap.add_argument("--partitions", type=int, default=None,
                    help="read the input in at least this many partitions")
    ap.add_argument("--declutr", default="declutr",
                    help="the declutr binary: a name shipped with --files, or an absolute path "
                    "(default: declutr)")
    ap.add_argument("--rules", action="append", default=[], metavar="DIR",
                    help="a rule directory: a name shipped with --archives DIR.zip#NAME, or an "
                    "absolute path (repeatable)")
    ap.add_argument("--on-bad-line", choices=["pass", "skip", "fail"], default="pass",
                    help="declutr's --on-bad-line; with fail, a bad line fails the job "
                    "(default: pass)")
    ap.add_argument("--text-field", help="declutr's --text-field")
    ap.add_argument("--url-field", help="declutr's --url-field")
    ap.add_argument("--threads", type=int, default=None,
                    help="threads per declutr process (default: spark.task.cpus, 1 unless set)")
    args = ap.parse_args()

    spark = SparkSession.builder.appName("declutr").getOrCreate()
    sc = spark.sparkContext
    threads = args.threads or int(sc.getConf().get("spark.task.cpus", "1"))
    command = pipe_command(args, sc.master)
    # rdd.pipe starts the process with this environment and nothing else.
    env = {"RAYON_NUM_THREADS": str(threads)}

    lines_in, records_out = sc.accumulator(0), sc.accumulator(0)
    lines = sc.textFile(args.input, minPartitions=args.partitions)
    cleaned = (
        lines.mapPartitions(counted(lines_in, not_blank))
        .pipe(command, env=env, checkCode=True)
        .mapPartitions(counted(records_out))
    )
    started = time.monotonic()
    cleaned.saveAsTextFile(args.output)
    seconds = time.monotonic() - started

    master, partitions = sc.master, lines.getNumPartitions()
    spark.stop()
    # Blank lines are not counted in: declutr leaves them out.
    print(f"declutr on spark ({master}): {partitions} partitions, {lines_in.value} lines in, "
          f"{records_out.value} out, {seconds:.1f} s")
    # Both counts are taken in the same tasks, so a task run twice adds to both.
    if args.on_bad_line == "pass" and lines_in.value != records_out.value:
        sys.exit("declutr wrote fewer or more lines than it was given")


if __name__ == "__main__":
    main()
