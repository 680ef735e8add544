#!/usr/bin/env python3
"""Writes a large JSON Lines stream of generated scraped pages, for measuring
`declutr clean --input-format jsonl` on a stream bigger than memory (`make bench-stream`).

Each line is one record: {"id", "url", "fetched", "lang", "text"}, where "text" is a page
as a scraper saves it: a plain-text dump (a provenance header, a cookie banner, a menu, the
title, share and audio widgets, paragraphs with subheadings and photo captions, a
"Related" box, a "Most Read" list, a comment prompt, a copyright footer) or an HTML page
with the same clutter in its markup (nav, cookie banner, share bar, aside, footer, inline
scripts). Most pages are 3-40 KB; about one in fifty is a long live blog or a page with a
large inline script (100 KB to 1 MB), as real crawls have (--long-share). The text is
made up here from word lists, deterministically from --seed.

    python3 contrib/gen_jsonl.py OUT.jsonl --size 1G
"""

import argparse
import json
import random
import sys

SITES = [
    "www.harbour-gazette.example", "news.valleypost.example", "citydesk.example.com",
    "www.northern-echoes.example", "dailyledger.example.org", "www.riverside-times.example",
    "stadtbote.example", "www.coastwatch.example", "metro-herald.example.net",
]
SECTIONS = ["News", "Local", "Politics", "Business", "Sport", "Weather", "Culture",
            "Opinion", "Travel", "Science", "Health", "Transport", "Education"]
PLACES = ["the harbour", "the old town", "Millbrook", "the eastern ward", "the valley",
          "the river crossing", "Quarry Road", "the county", "the island", "the port",
          "the market square", "Northgate", "the coastal path", "the industrial estate"]
SUBJECTS = ["The council", "The harbour board", "Residents", "A spokeswoman for the operator",
            "Local traders", "The transport authority", "Engineers", "The head teacher",
            "Campaigners", "The regional health trust", "Volunteers", "The fire service",
            "Farmers", "The university", "Police", "The mayor", "Researchers",
            "A group of parents", "The club's chairman", "Shop owners"]
VERBS = ["said on Monday that", "confirmed that", "warned that", "agreed on Tuesday that",
         "announced that", "argued that", "told a public meeting that", "wrote to say that",
         "admitted that", "insisted that", "estimated that", "hoped that"]
CLAUSES = [
    "the work would take at least another three weeks",
    "the budget for the coming year had been cut by a fifth",
    "the late boats were often cancelled at short notice",
    "a second bridge would be needed before the end of the decade",
    "the new timetable would be published by Friday",
    "the playing fields had flooded twice since the autumn",
    "the number of visitors had doubled since the path reopened",
    "nobody had been told about the change until the day before",
    "the fault had first appeared in early October",
    "the project would create around forty jobs over two years",
    "the library would open on Saturdays again from next month",
    "the water in the bay was cleaner than at any time since records began",
    "the school would need two new classrooms by September",
    "a decision on the plans was expected in the spring",
    "the cost of the repairs had risen sharply since the first estimate",
    "the trial had gone better than anyone expected",
]
TAILS = [
    "", "", "", " after months of complaints from residents",
    " despite the objections raised at the last meeting",
    " according to figures published last week",
    ", although the details had still to be agreed",
    " in a letter seen by this newspaper", " if the weather allows",
    ", a claim that the opposition disputed",
]
QUOTES = [
    "\"We understand how frustrating this is, and we are sorry,\" said {who}.",
    "\"It is a step in the right direction, but it is not enough,\" {who} said.",
    "\"Nobody wants to see this happen again,\" {who} told reporters on {day}.",
    "\"We will keep listening to people,\" said {who}, \"and we will publish every figure.\"",
]
NAMES = ["Ruth Okonkwo-Banks", "Tomasz Wierzbicki", "Aileen MacRae", "Dev Raghunathan",
         "Odile Fenwick", "Marcus Hale", "Ingrid Solberg", "Kwame Asante", "Priya Natarajan",
         "Hamish Drummond", "Lucia Ferrante", "Sam Oduya"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
GERMAN = [
    "Der Gemeinderat hat am Dienstag beschlossen, das Freibad im kommenden Sommer zu sanieren.",
    "Nach Angaben der Stadtwerke werden die Arbeiten mindestens drei Monate dauern.",
    "Viele Anwohner hatten sich in den vergangenen Wochen über den Lärm beschwert.",
    "Die Kosten für das Projekt werden auf rund zwei Millionen Euro geschätzt.",
    "Ein Sprecher der Verwaltung sagte, man habe alle Einwände sorgfältig geprüft.",
    "Die Bürgerinitiative will ihre Unterschriften in der nächsten Sitzung übergeben.",
]
HEADLINES = [
    "Council approves new cycle lanes", "Five places to eat on the harbour",
    "Tram delays to last into December", "School roof repairs finished early",
    "Ferry fares to rise in the spring", "Otters return to the river after decades",
    "Market traders protest at rent rise", "New lifeboat named after volunteer",
    "Storm damages pier for second time", "Library extends opening hours",
    "Police appeal after bike thefts", "Choir wins national competition",
    "Housing plan goes back to the drawing board", "Bus station to close for a month",
]
COOKIE_BANNERS = [
    ["This website uses cookies to improve your experience and to show you personalised "
     "advertising. Learn more.", "Accept all cookies", "Reject all", "Cookie settings"],
    ["We use cookies to make our site work and to understand how you use it.",
     "Accept", "Manage preferences"],
    ["Wir verwenden Cookies, um unsere Website für Sie optimal zu gestalten.",
     "Alle akzeptieren", "Einstellungen"],
]
SHARE_BARS = [
    ["Share this article", "Share on Facebook", "Share on X", "Share via Email", "Copy link"],
    ["Share", "Copy link"], ["Share this", "Tweet", "Email", "Print"],
]
WIDGETS = ["Listen to this article", "Play", "Pause", "text size", "Save", "Follow",
           "Comments (14)", "Advertisement", "Sign up to our newsletter",
           "Most Read", "Related", "Related stories", "More on this story"]


def sentence_pool(rng, n):
    """Sentences of made-up news prose, varied enough that no two pages match."""
    pool = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.15:
            s = rng.choice(QUOTES).format(who=rng.choice(NAMES), day=rng.choice(DAYS))
        else:
            s = (f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(CLAUSES)} in "
                 f"{rng.choice(PLACES)}{rng.choice(TAILS)}.")
        pool.append(s)
    return pool


class Pages:
    """Generates pages from a seeded random source and a pool of sentences."""

    def __init__(self, seed, long_share):
        self.rng = random.Random(seed)
        self.long_share = long_share
        self.pool = sentence_pool(self.rng, 20000)

    def paragraph(self, lang):
        r = self.rng
        if lang == "de":
            return " ".join(r.choice(GERMAN) for _ in range(r.randint(2, 5)))
        return " ".join(r.choice(self.pool) for _ in range(r.randint(2, 6)))

    def headline(self):
        r = self.rng
        return f"{r.choice(HEADLINES)} in {r.choice(PLACES)}".capitalize()

    def body(self, lang, paragraphs):
        """The article: paragraphs, with a subheading, a caption or a quote now and then."""
        r = self.rng
        lines = []
        for i in range(paragraphs):
            if i and r.random() < 0.12:
                lines.append(("h2", f"{r.choice(HEADLINES)}?"))
            if r.random() < 0.08:
                lines.append(("caption", f"{r.choice(PLACES).capitalize()} at dawn "
                                         f"(Picture: {r.choice(NAMES)})"))
            lines.append(("p", self.paragraph(lang)))
        return lines

    def record(self, n):
        r = self.rng
        site = r.choice(SITES)
        lang = "de" if site.startswith("stadtbote") or r.random() < 0.05 else "en"
        date = f"2025-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
        title = self.headline()
        slug = "-".join(title.lower().split())[:60]
        url = f"https://{site}/{r.choice(SECTIONS).lower()}/{date.replace('-', '/')}/{slug}-{n}"
        big = r.random() < self.long_share
        paragraphs = r.randint(120, 900) if big else r.randint(4, 40)
        body = self.body(lang, paragraphs)
        if r.random() < 0.3:
            text = self.html(url, date, title, body, script_kb=r.randint(100, 600) if big else 2)
        else:
            text = self.text(url, date, title, body)
        return {"id": f"page-{n:07d}", "url": url, "fetched": f"{date}T{r.randint(0, 23):02d}:"
                f"{r.randint(0, 59):02d}:00Z", "lang": lang, "text": text}

    def text(self, url, date, title, body):
        r = self.rng
        out = []
        if r.random() < 0.7:
            out += [f"url: {url}", f"date: {date}", ""]
        if r.random() < 0.5:
            out += r.choice(COOKIE_BANNERS)
        out += ["Skip to main content", "Menu"] + r.sample(SECTIONS, r.randint(4, 9))
        out.append(title)
        if r.random() < 0.5:
            out += ["Listen to this article", "Play", "Pause"]
        out += r.choice(SHARE_BARS)
        half = len(body) // 2
        for i, (kind, line) in enumerate(body):
            if i == half and r.random() < 0.3:
                out += ["Related"] + [self.headline() for _ in range(r.randint(2, 4))]
            out.append(line)
        out += r.choice(SHARE_BARS)
        if r.random() < 0.6:
            out += ["Most Read"] + [self.headline() + " -" for _ in range(r.randint(3, 6))]
        if r.random() < 0.4:
            out += ["Leave a Reply",
                    "Your email address will not be published. Required fields are marked *"]
        out.append(f"© 2025 {url.split('/')[2]}. All rights reserved.")
        return "\n".join(out) + "\n"

    def html(self, url, date, title, body, script_kb):
        r = self.rng
        site = url.split("/")[2]
        nav = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>'
                      for s in r.sample(SECTIONS, r.randint(5, 10)))
        related = "".join(f'<li><a href="/news/{i}">{self.headline()}</a></li>'
                          for i in range(r.randint(3, 6)))
        share = "".join(f'<a class="share" href="#">{s}</a>' for s in r.choice(SHARE_BARS))
        cookie = "".join(f"<p>{c}</p>" if i == 0 else f"<button>{c}</button>"
                         for i, c in enumerate(r.choice(COOKIE_BANNERS)))
        # Real pages carry inline state (analytics, hydration data) that dwarfs the text.
        state = json.dumps({"items": [{"id": i, "headline": self.headline(), "score": r.random()}
                                      for i in range(script_kb * 1024 // 90)]})
        parts = [
            "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{title} | {site}</title>", f'<link rel="canonical" href="{url}">',
            f'<meta property="article:published_time" content="{date}T08:00:00Z">',
            f"<script>window.__STATE__ = {state};</script>",
            "</head><body>", f'<div class="cookie-banner">{cookie}</div>',
            f'<header><a class="logo" href="/">{site}</a><nav><ul>{nav}</ul></nav></header>',
            f'<main><article><h1>{title}</h1><div class="share-bar">{share}</div>',
        ]
        for kind, line in body:
            if kind == "caption":
                parts.append(f"<figure><img src=\"/img/{r.randint(1, 9999)}.jpg\">"
                             f"<figcaption>{line}</figcaption></figure>")
            else:
                parts.append(f"<{kind}>{line}</{kind}>")
        parts += [
            "</article>", f'<aside class="related"><h2>Related</h2><ul>{related}</ul></aside>',
            "</main>", f'<footer><p>© 2025 {site}</p><ul>{nav}</ul></footer>', "</body></html>",
        ]
        return "\n".join(parts) + "\n"


def parse_size(s):
    units = {"K": 1000, "M": 1000**2, "G": 1000**3}
    s = s.strip().upper()
    return int(float(s[:-1]) * units[s[-1]]) if s[-1:] in units else int(s)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="the file to write (- for stdout)")
    ap.add_argument("--size", default="1G", help="stop once this many bytes are written "
                    "(K, M, G in 1000s; default 1G)")
    ap.add_argument("--long-share", type=float, default=0.02,
                    help="the share of long pages, 100 KB to 1 MB (default 0.02)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    limit = parse_size(args.size)
    pages = Pages(args.seed, args.long_share)
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")
    written = records = 0
    with out:
        while written < limit:
            line = json.dumps(pages.record(records), ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            records += 1
    print(f"{args.out}: {records} records, {written / 1e6:.1f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
