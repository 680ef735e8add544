#!/usr/bin/env python3
"""Writes a generated scrape directory for measuring site learning at scale.

SITES sites, each in its own host-named directory, with plain-text pages of about 5 KB: a
provenance header, the site's menu, a related list picked from the site's pool, invented
article prose, a newsletter box and a footer. The text is made up from random syllables;
nothing is copied from real pages.

usage: gen_site_corpus.py OUT_DIR TOTAL_MB [SITES]
       gen_site_corpus.py OUT_DIR --sites SITES --pages PAGES

The first form writes pages round-robin over the sites until TOTAL_MB megabytes are
written; the second writes PAGES pages for each of SITES sites (a crawl of many small
sites: `--sites 20000 --pages 4`).
"""

import argparse
import os
import random


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
    ap = argparse.ArgumentParser(description="Writes a generated scrape directory.")
    ap.add_argument("out")
    ap.add_argument("total_mb", nargs="?", type=float, help="megabytes to write")
    ap.add_argument("sites_pos", nargs="?", type=int, metavar="SITES", help="sites (50)")
    ap.add_argument("--sites", type=int, help="sites")
    ap.add_argument("--pages", type=int, help="pages per site, instead of TOTAL_MB")
    args = ap.parse_args()
    if (args.total_mb is None) == (args.pages is None):
        ap.error("give TOTAL_MB or --pages, not both")
    out = args.out
    sites_n = args.sites or args.sites_pos or 50
    rng = random.Random(42)
    sites = [site_furniture(rng, i) for i in range(sites_n)]
    pool = [sentence(rng, rng.randint(6, 14)) for _ in range(50_000)]
    budget = int(args.total_mb * 1_000_000) if args.total_mb is not None else None
    total_pages = sites_n * args.pages if args.pages is not None else None
    written = 0
    n = 0
    while written < budget if budget is not None else n < total_pages:
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
