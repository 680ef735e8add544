#!/usr/bin/env python3
"""Writes a generated scrape directory for measuring site learning at scale.

SITES sites, each in its own host-named directory, with plain-text pages of about 5 KB: a
provenance header, the site's menu, a related list picked from the site's pool, invented
article prose, a newsletter box and a footer. The text is made up from random syllables;
nothing is copied from real pages.

usage: gen_site_corpus.py OUT_DIR TOTAL_MB [SITES]
"""

import os
import random
import sys


def word(rng):
    syllables = ["ka", "lo", "mi", "ren", "sto", "va", "dun", "pel", "ar", "tis", "gor", "ne"]
    return "".join(rng.choice(syllables) for _ in range(rng.randint(1, 3)))


def sentence(rng, words):
    ws = [word(rng) for _ in range(words)]
    return (" ".join(ws)).capitalize() + "."


def site_furniture(rng, n):
    host = f"site{n:02d}-{word(rng)}.example"
    name = f"The {word(rng).capitalize()} {word(rng).capitalize()}"
    return {
        "host": host,
        "menu": [word(rng).capitalize() for _ in range(10)],
        "related": [sentence(rng, 6)[:-1] for _ in range(12)],
        "newsletter": [
            f"Sign up for the {name} daily letter",
            sentence(rng, 16),
            "Subscribe",
        ],
        "footer": [f"© 2025 {name}", "About us", "Contact", "Privacy", "Terms of use"],
    }


def page(rng, site, n, pool):
    lines = [f"url: https://{site['host']}/news/{n}", ""]
    lines += site["menu"]
    lines.append(f"{rng.choice(pool)[:-1]} ({n})")
    # A paragraph is three sentences of the pool: no two pages share one.
    for _ in range(rng.randint(18, 30)):
        lines.append(" ".join(rng.choice(pool) for _ in range(3)))
    lines.append("More from the site")
    lines += rng.sample(site["related"], 5)
    lines += site["newsletter"]
    lines += site["footer"]
    return "\n".join(lines) + "\n"


def main():
    out, total_mb = sys.argv[1], float(sys.argv[2])
    sites_n = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    rng = random.Random(42)
    sites = [site_furniture(rng, i) for i in range(sites_n)]
    pool = [sentence(rng, rng.randint(6, 14)) for _ in range(50_000)]
    budget = int(total_mb * 1_000_000)
    written = 0
    n = 0
    while written < budget:
        site = sites[n % sites_n]
        d = os.path.join(out, site["host"])
        os.makedirs(d, exist_ok=True)
        text = page(rng, site, n, pool)
        with open(os.path.join(d, f"page-{n:07d}.txt"), "w", encoding="utf-8") as f:
            f.write(text)
        written += len(text.encode("utf-8"))
        n += 1
    print(f"{n} pages, {written / 1e6:.0f} MB, {sites_n} sites in {out}")


if __name__ == "__main__":
    main()
