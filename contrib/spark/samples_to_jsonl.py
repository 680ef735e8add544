#!/usr/bin/env python3
"""Turns the bundled samples into a JSON Lines dataset for `make spark-demo`: one record per
`samples/*/input.*`, in folder order, on stdout.

Each record is {"id": folder name, "url": the page's URL when it names one, "text": the
file's content, "sample": {"file": its path, "bytes": its size}}. The "sample" field is there
to be carried through unchanged. An HTML file is decoded from the charset its markup
declares (UTF-8 when none), since a JSON string holds text, not bytes.

    python3 contrib/spark/samples_to_jsonl.py samples > samples.jsonl
"""

import json
import re
import sys
from pathlib import Path

HEADER_URL = re.compile(r"^(?:url|source):\s*(https?://\S+)", re.IGNORECASE | re.MULTILINE)
CANONICAL = re.compile(r'<link\s+rel="canonical"\s+href="([^"]+)"', re.IGNORECASE)
CHARSET = re.compile(rb"""<meta[^>]*charset=["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)


def record(path):
    raw = path.read_bytes()
    if path.suffix == ".html":
        declared = CHARSET.search(raw[:2048])
        text = raw.decode(declared.group(1).decode() if declared else "utf-8")
        url = CANONICAL.search(text)
    else:
        text = raw.decode("utf-8")
        # Only the header, the lines before the first blank one, names the page.
        url = HEADER_URL.search(text.split("\n\n", 1)[0])
    rec = {"id": path.parent.name}
    if url:
        rec["url"] = url.group(1)
    rec["text"] = text
    rec["sample"] = {"file": path.as_posix(), "bytes": len(raw)}
    return rec


def main():
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} SAMPLES_DIR > OUT.jsonl")
    inputs = sorted(Path(sys.argv[1]).glob("*/input.*"))
    if not inputs:
        sys.exit(f"{sys.argv[1]}: no */input.* files")
    for path in inputs:
        sys.stdout.write(json.dumps(record(path), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
