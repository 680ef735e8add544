#!/usr/bin/env python3
"""Checks that declutr on Spark wrote what one declutr run writes, for `make spark-demo`.

    python3 contrib/spark/compare.py INPUT.jsonl SINGLE.jsonl SPARK_OUT/

INPUT.jsonl is the dataset (one record per line, each with a unique "id"), SINGLE.jsonl the
output of `declutr clean INPUT.jsonl --input-format jsonl`, SPARK_OUT the directory of part
files the Spark job wrote. The two outputs must hold the same records, as parsed JSON keyed by
id, one per input record, and every field of the input but the text must come back as it
was. Spark's part files, read in order, must also keep the input's order and be, end to end,
the same bytes as the single run's output. Prints what it found, and exits with 1 on any
difference.
"""

import json
import sys
from pathlib import Path


def records(lines, what, problems):
    """The records of `lines` keyed by id, and the ids in order."""
    by_id, order = {}, []
    for n, line in enumerate(lines, 1):
        try:
            record = json.loads(line)
            key = record["id"]
        except (ValueError, KeyError, TypeError) as e:
            problems.append(f"{what}:{n}: not a record with an id ({e})")
            continue
        if key in by_id:
            problems.append(f"{what}:{n}: id {key!r} appears twice")
        by_id[key] = record
        order.append(key)
    return by_id, order


def main():
    if len(sys.argv) != 4:
        sys.exit(f"usage: {sys.argv[0]} INPUT.jsonl SINGLE.jsonl SPARK_OUT/")
    input_path, single_path, spark_dir = map(Path, sys.argv[1:])
    parts = sorted(spark_dir.glob("part-*"))
    if not (spark_dir / "_SUCCESS").exists() or not parts:
        sys.exit(f"{spark_dir}: no finished Spark output (_SUCCESS and part-* files)")
    single_bytes = single_path.read_bytes()
    spark_bytes = b"".join(p.read_bytes() for p in parts)

    problems = []
    given, given_order = records(input_path.read_text("utf-8").splitlines(), "input", problems)
    single, _ = records(single_bytes.decode("utf-8").splitlines(), "single", problems)
    spark, spark_order = records(spark_bytes.decode("utf-8").splitlines(), "spark", problems)

    print(f"records: {len(given)} in the input, {len(single)} from the single run, "
          f"{len(spark)} from spark ({len(parts)} part files)")
    equal = 0
    for key, want in given.items():
        a, b = single.get(key), spark.get(key)
        if a is None or b is None:
            problems.append(f"{key}: missing from the {'single run' if a is None else 'spark'}"
                            " output")
        elif a != b:
            fields = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
            problems.append(f"{key}: the outputs differ in {', '.join(fields)}")
        elif any(b.get(k) != v for k, v in want.items() if k != "text"):
            problems.append(f"{key}: a field other than the text was changed")
        else:
            equal += 1
    for key in (single.keys() | spark.keys()) - given.keys():
        problems.append(f"{key}: in an output, not in the input")
    if spark_order != given_order:
        problems.append("spark's part files, in order, do not keep the input's order")
    if spark_bytes != single_bytes:
        problems.append("spark's part files, end to end, are not the single run's bytes")

    for p in problems:
        print(p, file=sys.stderr)
    print(f"equal: {equal}/{len(given)} records"
          + ("" if problems else "; order kept; the same bytes end to end"))
    sys.exit(1 if problems or equal == 0 else 0)


if __name__ == "__main__":
    main()
