"""Write a draft fixture for an outlet, for a person to check before committing.

    python -m tests.outlets.draft URL_OR_FILE OUTLET [--url PAGE_URL]

Saves ``tests/outlets/OUTLET/page.html.gz``, ``meta.json`` (the page URL and when it was
saved) and ``expected.json`` (what the extractor finds now). Read expected.json against the
page in a browser and correct it by hand: the test then holds the profile to it.
"""

from __future__ import annotations

import argparse
import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

from crawler.extraction import extract_article
from crawler.fetch import fetch_page
from crawler.outlet import get_outlet

HERE = Path(__file__).resolve().parent


def expected_from(article) -> dict:
    paragraphs = [p for p in article.text.split("\n\n") if p.strip()]
    return {
        "title": article.title,
        "lede": article.lede,
        "section": article.section,
        "authors": article.authors,
        "published_at": article.published_at,
        "first_paragraph": paragraphs[0] if paragraphs else None,
        "last_paragraph": paragraphs[-1] if paragraphs else None,
        "paragraphs": len(paragraphs),
        "images": [image.url for image in article.images],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="an http(s) URL or a saved .html/.html.gz file")
    parser.add_argument("outlet", help="the outlet name (a file in spiders/)")
    parser.add_argument("--url", help="the page URL when SOURCE is a file")
    args = parser.parse_args()
    outlet = get_outlet(args.outlet)
    if args.source.startswith(("http://", "https://")):
        page = fetch_page(args.source)
        body, url = page.body, page.url
    else:
        raw = Path(args.source).read_bytes()
        body = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
        url = args.url or args.source
    article = extract_article(body, url, profile=outlet.profile)
    folder = HERE / outlet.name
    folder.mkdir(exist_ok=True)
    (folder / "page.html.gz").write_bytes(gzip.compress(body, mtime=0))
    meta = {"url": url, "saved_at": datetime.now(UTC).isoformat(timespec="seconds")}
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (folder / "expected.json").write_text(
        json.dumps(expected_from(article), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(f"wrote a draft fixture in {folder}: check expected.json against the page before committing")


if __name__ == "__main__":
    main()
