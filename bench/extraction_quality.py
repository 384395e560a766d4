"""Extraction quality: our extractor against plain trafilatura, measured in the same run.

Every open set is scored page by page with both extractors: the real-world pages of
../shared/eval/aeb (``NEWSCRAWL_EVAL_AEB``), each source of the open real-page set in
bench/data/realpages (its ``tune`` and ``check`` halves apart, then all), and every replica
outlet (the bankingnews replica and each CMS family ``crawler.replica.families`` offers). Per
set: body F1 (the shingle metric of ../shared/eval/README.md), must-have share, leaking pages,
titles, dates (day; minute where the truth has a time), image recall/precision and the collapse
count (pages where ours keeps under half of trafilatura's words). The older replica section
(lede, section, legacy-charset twins, the bankingnews profile against the generic one) comes
first. The last line is a JSON object with every figure (CI and the lead parse that line).

Run: ``python -m bench.extraction_quality [--quick] [--limit N] [--sets a,b] [--details]``
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import logging
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from html import unescape
from pathlib import Path
from types import ModuleType
from urllib.parse import urljoin, urlsplit

import trafilatura
from trafilatura.metadata import extract_metadata
from trafilatura.settings import set_date_params

from bench.data import realpages
from crawler.extraction import GENERIC_PROFILE, ExtractionError, Profile, extract_article
from crawler.extraction.textnorm import fold_words

REPO = Path(__file__).resolve().parent.parent
# the evaluation pages live beside the project (../shared), never in it; a clone elsewhere names them
AEB_DIR = Path(os.environ.get("NEWSCRAWL_EVAL_AEB") or REPO / ".." / "shared" / "eval" / "aeb")
FAKE_HOST = "http://127.0.0.1:8765"
_TOKEN = re.compile(r"\w+")
QUICK_STEP = {"aeb": 12, "realpages": 7, "replica": 4}  # --quick takes every Nth page of a set
LEAK_MARKERS = ("ροη ειδησεων", "σχολια αναγνωστων", "δειτε επισης", "www.bankingnews.gr")


# --- the shingle metric of ../shared/eval/README.md ------------------------------------------


def shingles(text: str | None) -> Counter:
    """Multiset of overlapping 4-token windows; a text under 4 tokens is one shingle."""
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < 4:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


def page_counts(extracted: str | None, truth: str | None) -> tuple[float, float, float]:
    """(TP, FP, FN) of one page, scaled so that they sum to 1 (all 0 when both are empty)."""
    ours, gold = shingles(extracted), shingles(truth)
    tp = sum((ours & gold).values())
    fp = sum(ours.values()) - tp
    fn = sum(gold.values()) - tp
    total = tp + fp + fn
    if total == 0:
        return 0.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


def prf(rows: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """(F1, precision, recall): means over pages, F1 as the harmonic mean of the two means."""
    precisions, recalls = [], []
    for tp, fp, fn in rows:
        if fp == 0 and fn == 0:
            precisions.append(1.0)
            recalls.append(1.0)
            continue
        if tp + fp > 0:
            precisions.append(tp / (tp + fp))
        if tp + fn > 0:
            recalls.append(tp / (tp + fn))
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return f1, p, r


def bootstrap_sd(rows: list[tuple[float, float, float]], rounds: int = 1000, seed: int = 0) -> float:
    """Standard deviation of F1 over ``rounds`` resamples of the pages with replacement."""
    if not rows:
        return 0.0
    rng = random.Random(seed)
    scores = []
    for _ in range(rounds):
        sample = [rows[rng.randrange(len(rows))] for _ in rows]
        scores.append(prf(sample)[0])
    mean = sum(scores) / len(scores)
    return (sum((s - mean) ** 2 for s in scores) / (len(scores) - 1)) ** 0.5


# --- runners --------------------------------------------------------------------------------


def plain_trafilatura(html: bytes, url: str | None = None) -> str:
    return trafilatura.extract(html, url=url, include_comments=False) or ""


# --- replica --------------------------------------------------------------------------------


def _same_instant(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return a == b
    return datetime.fromisoformat(a.replace("Z", "+00:00")) == datetime.fromisoformat(
        b.replace("Z", "+00:00")
    )


def _norm(value: str | None) -> str:
    return fold_words(value or "")


def _leaks(text: str, markers: Iterable[str], gold_text: str = "") -> int:
    """Markers found in the extracted text that the true body does not contain itself."""
    key, gold = fold_words(text), fold_words(gold_text)
    return sum(1 for marker in markers if marker and marker in key and marker not in gold)


def _image_pr(found: list[dict], gold: list[dict]) -> tuple[int, int, int]:
    """(matched in order, found, gold): a found image counts when URL, caption, alt, position agree."""
    want = [(g["url"], g.get("caption"), g.get("alt"), g.get("position")) for g in gold]
    got = [(f["url"], f.get("caption"), f.get("alt"), f.get("position")) for f in found]
    matched, j = 0, 0
    for item in got:
        while j < len(want) and want[j] != item:
            j += 1
        if j < len(want):
            matched += 1
            j += 1
    return matched, len(got), len(want)


def _fields(article) -> dict:
    """An article's fields except the charset it was decoded from (which the twin changes on purpose)."""
    return {k: v for k, v in article.to_dict().items() if k != "encoding"}


def fetch_replica(site, path: str):
    """GET a replica page in-process as the server would (Host header), retrying the 500/429-once faults."""
    response = site.handle("GET", path, {"Host": FAKE_HOST.removeprefix("http://")})
    for _ in range(2):
        if response.status == 200:
            break
        response = site.handle("GET", path, {"Host": FAKE_HOST.removeprefix("http://")})
    return response


def boilerplate_markers(body: bytes, headers: dict) -> list[str]:
    """Reader comments of the page, folded: any of them in the body text is a leak."""
    from lxml import html as lxml_html

    from crawler.extraction.decoding import decode_html

    text, _ = decode_html(body, headers)
    tree = lxml_html.fromstring(text)
    comments = [c.text_content() for c in tree.xpath('//*[@id="comments"]//*[contains(@class, "text")]')]
    return [fold_words(c)[:80] for c in comments if len(c.strip()) > 20]


def run_replica(profile: Profile | None, quick: bool = False, limit: int | None = None) -> dict:
    """Field-by-field scores of ours (with ``profile``) and plain trafilatura on the replica pages."""
    from crawler.replica import ReplicaSite

    site = ReplicaSite(size=72, seed=1)
    truth = site.ground_truth()
    if quick:
        truth = truth[:: QUICK_STEP["replica"]]
    truth = truth[:limit] if limit else truth
    stats: dict[str, dict] = {}
    for name in ("ours", "trafilatura"):
        stats[name] = {
            "rows": [],
            "title": 0,
            "lede": 0,
            "section": 0,
            "date": 0,
            "img": [0, 0, 0],
            "leaks": 0,
        }
    seconds = {"ours": 0.0, "trafilatura": 0.0}
    legacy_total = legacy_equal = 0
    other_titles = {fold_words(g["title"]) for g in site.ground_truth()}
    for gold in truth:
        response = fetch_replica(site, gold["path"])
        url = FAKE_HOST + gold["path"]
        headers = dict(response.headers)
        gold_text = "\n\n".join(gold["paragraphs"])
        gold_images = [dict(img, url=FAKE_HOST + img["url"]) for img in gold.get("images") or []]
        markers = list(LEAK_MARKERS) + boilerplate_markers(response.body, headers)
        markers += [fold_words(t) for t in other_titles if t != fold_words(gold["title"])]
        start = time.perf_counter()
        try:
            article = extract_article(response.body, url, profile, headers=headers)
        except ExtractionError:
            article = None
        seconds["ours"] += time.perf_counter() - start
        start = time.perf_counter()
        plain = trafilatura.extract(response.body, url=url, include_comments=False) or ""
        seconds["trafilatura"] += time.perf_counter() - start
        plain_meta = trafilatura.bare_extraction(response.body, url=url, with_metadata=True)
        ours_stats, tr_stats = stats["ours"], stats["trafilatura"]
        text = article.text if article else ""
        ours_stats["rows"].append(page_counts(text, gold_text))
        tr_stats["rows"].append(page_counts(plain, gold_text))
        ours_stats["leaks"] += _leaks(text, markers, gold_text)
        tr_stats["leaks"] += _leaks(plain, markers, gold_text)
        if article:
            ours_stats["title"] += _norm(article.title) == _norm(gold["title"])
            ours_stats["lede"] += _norm(article.lede) == _norm(gold.get("lede"))
            ours_stats["section"] += _norm(article.section) == _norm(gold.get("section"))
            ours_stats["date"] += _same_instant(article.published_at, gold.get("published_at"))
            found = [vars(img) for img in article.images]
            for k, v in enumerate(_image_pr(found, gold_images)):
                ours_stats["img"][k] += v
        if plain_meta is not None:
            tr_stats["title"] += _norm(plain_meta.title) == _norm(gold["title"])
            tr_stats["lede"] += _norm(plain_meta.description) == _norm(gold.get("lede"))
            tr_stats["section"] += _norm(", ".join(plain_meta.categories or [])) == _norm(gold.get("section"))
            tr_stats["date"] += (
                bool(plain_meta.date) and (plain_meta.date or "")[:10] == gold["published_at"][:10]
            )
        if gold.get("charset", "utf-8").lower() not in ("utf-8", "utf8"):
            legacy_total += 1
            twin = site.render_article(gold["id"], charset="utf-8", base_url=FAKE_HOST)
            try:
                twin_headers = {**headers, "Content-Type": "text/html; charset=utf-8"}
                twin_article = extract_article(twin, url, profile, headers=twin_headers)
                same = article is not None and _fields(twin_article) == _fields(article)
            except ExtractionError:
                same = False
            legacy_equal += same
    out: dict = {"pages": len(truth), "legacy_pages": legacy_total, "legacy_identical": legacy_equal}
    for name, s in stats.items():
        f1, p, r = prf(s["rows"])
        matched, found, want = s["img"]
        out[name] = {
            "f1": round(f1, 4),
            "title_exact": round(s["title"] / len(truth), 4),
            "lede_exact": round(s["lede"] / len(truth), 4),
            "section_exact": round(s["section"] / len(truth), 4),
            "date_exact": round(s["date"] / len(truth), 4),
            "image_precision": round(matched / found, 4) if found else (1.0 if not want else 0.0),
            "image_recall": round(matched / want, 4) if want else 1.0,
            "leaks": s["leaks"],
            "ms_per_page": round(seconds[name] / len(truth) * 1000, 2),
        }
    for key in ("image_precision", "image_recall"):
        out["trafilatura"].pop(key)  # plain trafilatura gives no image list to score
    out["trafilatura"]["note"] = (
        "title/lede/section/date via bare_extraction(with_metadata=True); date by day"
    )
    return out


# --- every open set, page by page: ours and plain trafilatura from the same run -------------

# Boilerplate phrases no article body holds; on sets with a full truth text, one of them in the
# extracted text (and absent from the truth) marks the page as leaking.
GENERIC_MARKERS = (
    "all rights reserved",
    "cookie policy",
    "privacy policy",
    "terms of use",
    "sign up for our newsletter",
    "subscribe to our newsletter",
    "related articles",
    "leave a comment",
    "share this article",
    "ροη ειδησεων",
    "σχολια αναγνωστων",
    "δειτε επισης",
)
MUST_HAVE_MIN_WORDS = 8  # derived must-haves: truth sentences of at least this many words
COLLAPSE_SHARE, COLLAPSE_MIN_WORDS = 0.5, 50
_SENTENCE = re.compile(r"(?<=[.!?;。！？])\s+|\n+")
_TRAF_DATE = "%Y-%m-%dT%H:%M:%S%z"  # htmldate's format with the time, so minutes can be scored


@dataclass
class EvalPage:
    """One page of an open set and whatever truth its source gives (None / empty = not given)."""

    set_name: str
    page_id: str
    html: bytes
    url: str
    split: str | None = None
    headers: dict | None = None
    profile: Profile | None = None
    text: str | None = None
    must_have: list[str] = field(default_factory=list)
    must_have_derived: bool = False
    must_not_have: list[str] = field(default_factory=list)
    title: str | None = None
    date: str | None = None
    images: list[str] | None = None


@dataclass
class Extracted:
    """What one extractor returned for one page (``seconds`` times the text extraction only)."""

    text: str
    title: str | None
    date: str | None
    images: list[str]
    seconds: float


def tokens_key(text: str | None) -> str:
    """Folded ``\\w+`` tokens joined by single spaces, padded: substring tests ignore layout."""
    return " " + " ".join(_TOKEN.findall(fold_words(text or ""))) + " "


def derive_must_have(text: str) -> list[str]:
    """Sentences (or lines) of a truth text with at least MUST_HAVE_MIN_WORDS words."""
    parts = (p.strip() for p in _SENTENCE.split(text or ""))
    return [p for p in parts if len(_TOKEN.findall(p)) >= MUST_HAVE_MIN_WORDS]


def image_key(url: str, base: str) -> str:
    """An image reference compared by host and path (scheme, query and fragment dropped)."""
    parts = urlsplit(urljoin(base, url.strip()))
    return f"{parts.netloc.lower()}{parts.path}"


def run_ours_page(page: EvalPage) -> Extracted:
    start = time.perf_counter()
    try:
        article = extract_article(page.html, page.url, page.profile, headers=page.headers)
    except ExtractionError:
        article = None
    spent = time.perf_counter() - start
    if article is None:
        return Extracted("", None, None, [], spent)
    images = [img.url for img in article.images]
    return Extracted(article.text or "", article.title, article.published_at, images, spent)


def run_trafilatura_page(page: EvalPage) -> Extracted:
    """``trafilatura.extract(html, url=url, include_comments=False)`` timed; metadata read apart."""
    start = time.perf_counter()
    text = plain_trafilatura(page.html, page.url)
    spent = time.perf_counter() - start
    title = date = None
    tree = trafilatura.load_html(page.html)
    if tree is not None:
        params = {**set_date_params(True), "outputformat": _TRAF_DATE}
        meta = extract_metadata(tree, default_url=page.url, date_config=params)
        title, date = meta.title, meta.date
    images: list[str] = []
    if page.images is not None:  # its image references, only where the set has image truth
        xml = trafilatura.extract(
            page.html, url=page.url, include_comments=False, include_images=True, output_format="xml"
        )
        images = re.findall(r'<graphic[^>]*\ssrc="([^"]+)"', xml or "")
        images = [unescape(u) for u in images]
    return Extracted(text, title, date, images, spent)


def _day(value: str | None) -> str | None:
    return value[:10] if value and re.match(r"\d{4}-\d{2}-\d{2}", value) else None


def same_minute(found: str | None, truth: str) -> bool:
    """Same instant to the minute when both carry a zone, else the same wall-clock minute."""
    if not found or len(found) < 16 or "T" not in found:
        return False
    try:
        a = datetime.fromisoformat(found.replace("Z", "+00:00"))
        b = datetime.fromisoformat(truth.replace("Z", "+00:00"))
    except ValueError:
        return False
    if a.tzinfo is not None and b.tzinfo is not None:
        return a.replace(second=0, microsecond=0) == b.replace(second=0, microsecond=0)
    return a.replace(tzinfo=None, second=0, microsecond=0) == b.replace(tzinfo=None, second=0, microsecond=0)


@dataclass
class PageScore:
    """One extractor's figures on one page; None where the page has no truth for that figure."""

    counts: tuple[float, float, float] | None
    must_found: int
    must_total: int
    leaked: list[str]
    title_ok: bool | None
    day_ok: bool | None
    minute_ok: bool | None
    images: tuple[int, int, int] | None
    words: int
    kept: int  # true text kept: truth shingles matched, else words of the must-haves found, else words
    seconds: float


def leak_markers(page: EvalPage) -> list[str]:
    """Strings that must not reach the text: the source's own, plus generic ones on full-text sets.

    A marker the truth text itself contains is dropped (it is not boilerplate on that page).
    """
    markers = list(page.must_not_have)
    if page.text is not None:
        markers += GENERIC_MARKERS
    gold = tokens_key(page.text)
    keys = [tokens_key(m) for m in markers]
    return [k for k in dict.fromkeys(keys) if k.strip() and k not in gold]


def score_page(page: EvalPage, got: Extracted, markers: list[str]) -> PageScore:
    key = tokens_key(got.text)
    must = [tokens_key(m) for m in page.must_have]
    must = [m for m in must if m.strip()]
    images = None
    if page.images is not None:
        want = {image_key(u, page.url) for u in page.images}
        found = {image_key(u, page.url) for u in got.images}
        images = (len(want & found), len(found), len(want))
    has_time = bool(page.date and "T" in page.date)
    words = len(_TOKEN.findall(got.text))
    found_must = [m for m in must if m in key]
    if page.text is not None:
        kept = sum((shingles(got.text) & shingles(page.text)).values())
    elif must:
        kept = sum(len(m.split()) for m in found_must)
    else:
        kept = words
    return PageScore(
        counts=page_counts(got.text, page.text) if page.text is not None else None,
        must_found=len(found_must),
        must_total=len(must),
        leaked=[m.strip() for m in markers if m in key],
        title_ok=(_norm_title(got.title) == _norm_title(page.title)) if page.title else None,
        day_ok=(_day(got.date) == _day(page.date)) if _day(page.date) else None,
        minute_ok=same_minute(got.date, page.date) if has_time else None,
        images=images,
        words=words,
        kept=kept,
        seconds=got.seconds,
    )


def _norm_title(value: str | None) -> str:
    return " ".join(fold_words(value or "").split())


def collapsed(ours: PageScore, theirs: PageScore) -> bool:
    """Ours keeps under half of the TRUE text trafilatura keeps, where trafilatura found a real body.

    True text is what the page's truth confirms (``PageScore.kept``): a whole-page dump that holds
    the article plus the menus and the news feed is no floor ours may fall under.
    """
    return theirs.words >= COLLAPSE_MIN_WORDS and ours.kept < COLLAPSE_SHARE * theirs.kept


def collapsed_raw(ours: PageScore, theirs: PageScore) -> bool:
    """Ours keeps under half of trafilatura's raw words (the older, truth-blind count)."""
    return theirs.words >= COLLAPSE_MIN_WORDS and ours.words < COLLAPSE_SHARE * theirs.words


@dataclass
class ScoredPage:
    page: EvalPage
    ours: PageScore
    trafilatura: PageScore


def evaluate(pages: list[EvalPage]) -> list[ScoredPage]:
    """Both extractors on every page, page by page (so load and cache effects hit them alike)."""
    scored = []
    for page in pages:
        markers = leak_markers(page)
        ours = score_page(page, run_ours_page(page), markers)
        theirs = score_page(page, run_trafilatura_page(page), markers)
        scored.append(ScoredPage(page, ours, theirs))
    return scored


def _share(hits: list[bool | None]) -> tuple[int, int]:
    known = [h for h in hits if h is not None]
    return sum(known), len(known)


def summarise(scored: list[ScoredPage], sd_rounds: int = 0) -> dict:
    """Per-set figures of both extractors plus the collapse count (JSON-ready)."""
    out: dict = {
        "pages": len(scored),
        "collapse": sum(collapsed(s.ours, s.trafilatura) for s in scored),
        "collapse_raw": sum(collapsed_raw(s.ours, s.trafilatura) for s in scored),
    }
    for name in ("ours", "trafilatura"):
        rows = [getattr(s, name) for s in scored]
        counts = [r.counts for r in rows if r.counts is not None]
        fig: dict = {}
        if counts:
            f1, p, r = prf(counts)
            fig.update(f1=round(f1, 4), precision=round(p, 4), recall=round(r, 4))
            if sd_rounds:
                fig["f1_sd"] = round(bootstrap_sd(counts, sd_rounds), 4)
        found, total = sum(r.must_found for r in rows), sum(r.must_total for r in rows)
        if total:
            fig["must_have"] = round(found / total, 4)
            fig["must_have_found"], fig["must_have_total"] = found, total
        fig["leaking_pages"] = sum(1 for r in rows if r.leaked)
        for label, attr_name in (("title", "title_ok"), ("date_day", "day_ok"), ("date_minute", "minute_ok")):
            hit, of = _share([getattr(r, attr_name) for r in rows])
            if of:
                fig[f"{label}_exact"], fig[f"{label}_of"] = hit, of
        imgs = [r.images for r in rows if r.images is not None]
        if imgs:
            matched, found_n, want = (sum(x[i] for x in imgs) for i in range(3))
            fig["image_recall"] = round(matched / want, 4) if want else 1.0
            fig["image_precision"] = round(matched / found_n, 4) if found_n else (1.0 if not want else 0.0)
        fig["ms_per_page"] = round(sum(r.seconds for r in rows) / len(rows) * 1000, 2) if rows else 0.0
        out[name] = fig
    return out


# --- the open sets ----------------------------------------------------------------------------


def _every(items: list, quick: bool, step: int, limit: int | None) -> list:
    picked = items[::step] if quick else items
    return picked[:limit] if limit else picked


def aeb_pages(quick: bool = False, limit: int | None = None, aeb_dir: Path = AEB_DIR) -> list[EvalPage]:
    """The aeb pages (full truth text; must-haves derived from it)."""
    truth = json.loads((aeb_dir / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in _every(sorted(truth), quick, QUICK_STEP["aeb"], limit):
        gold = truth[page_id]["articleBody"]
        html = gzip.decompress((aeb_dir / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append(
            EvalPage("aeb", page_id, html, truth[page_id]["url"], text=gold, must_have=derive_must_have(gold))
        )
        pages[-1].must_have_derived = True
    return pages


def real_pages(quick: bool = False, limit: int | None = None) -> dict[str, list[EvalPage]]:
    """bench/data/realpages, per source; must-haves derived from the full text where none are given.

    ``quick`` and ``limit`` sample each half apart, so both halves are always measured.
    """
    out: dict[str, list[EvalPage]] = {}
    for source in realpages.sources():
        pages = []
        every = realpages.load(source)
        picked = [
            rp
            for split in realpages.SPLITS
            for rp in _every([r for r in every if r.split == split], quick, QUICK_STEP["realpages"], limit)
        ]
        for rp in sorted(picked, key=lambda r: r.page_id):
            must = list(rp.must_have)
            derived = not must and rp.text is not None
            if derived:
                must = derive_must_have(rp.text or "")
            page = EvalPage(
                source,
                rp.page_id,
                rp.html,
                rp.url or f"https://{source}.invalid/{rp.page_id}",
                split=rp.split,
                text=rp.text,
                must_have=must,
                must_have_derived=derived,
                must_not_have=list(rp.must_not_have),
                title=rp.title,
                date=rp.date,
            )
            pages.append(page)
        out[source] = pages
    return out


def replica_outlets() -> dict[str, object]:
    """Every replica outlet present: the bankingnews replica and each ``crawler.replica.families`` entry.

    ``families`` maps a name to a site factory (``ground_truth()`` / ``handle()``); whatever the
    replica package offers is taken, so a new family is measured without touching this file.
    """
    import crawler.replica as replica_pkg
    from crawler.replica import ReplicaSite

    families = getattr(replica_pkg, "families", None)
    if families is None:
        try:
            families = importlib.import_module("crawler.replica.families")
        except ImportError:
            families = None
    if isinstance(families, ModuleType):
        families = getattr(families, "FAMILIES", None) or getattr(families, "families", None)
    if callable(families) and not isinstance(families, dict):
        families = families()
    sites: dict[str, object] = {}
    for name, factory in dict(families or {}).items():
        sites[name] = factory() if callable(factory) else factory
    if not any(isinstance(site, ReplicaSite) for site in sites.values()):
        sites = {"replica": ReplicaSite(size=72, seed=1), **sites}
    return sites


def outlet_profile(name: str) -> Profile | None:
    """The profile a crawl of the outlet named ``name`` would use; None (generic) if none is declared."""
    try:
        from crawler.outlet import profile_by_name

        return profile_by_name(name)
    except Exception:  # no such outlet, or a broken outlet file elsewhere: measure the generic path
        return None


def replica_eval_pages(name: str, site, quick: bool = False, limit: int | None = None) -> list[EvalPage]:
    """A replica outlet's article pages fetched in-process, with its ground truth (times, images)."""
    profile = outlet_profile(name)
    truth = site.ground_truth()
    titles = {fold_words(g["title"]) for g in truth}
    pages = []
    for gold in _every(truth, quick, QUICK_STEP["replica"], limit):
        response = fetch_replica(site, gold["path"])
        if response.status != 200:
            continue
        url = FAKE_HOST + gold["path"]
        headers = dict(response.headers)
        text = "\n\n".join(gold["paragraphs"])
        if "boilerplate" in gold:
            bad = list(gold["boilerplate"])
        else:  # the bankingnews replica: its markers, its reader comments, the other articles' titles
            bad = list(LEAK_MARKERS) + boilerplate_markers(response.body, headers)
            bad += [t for t in titles if t != fold_words(gold["title"])]
        page = EvalPage(
            name,
            str(gold.get("id", gold["path"])),
            response.body,
            url,
            headers=headers,
            profile=profile,
            text=text,
            must_have=derive_must_have(text),
            must_have_derived=True,
            must_not_have=bad,
            title=gold.get("title"),
            date=gold.get("published_at"),
            images=[img["url"] for img in gold.get("images") or []],
        )
        pages.append(page)
    return pages


def collect_sets(quick: bool, limit: int | None, skip_replica: bool, only: set[str] | None) -> dict:
    """Every open set by name -> pages, in report order: aeb, the real-page sources, the replicas."""
    sets: dict[str, list[EvalPage]] = {}

    def wanted(name: str) -> bool:
        return not only or name in only

    if wanted("aeb") and (AEB_DIR / "ground-truth.json").is_file():
        sets["aeb"] = aeb_pages(quick, limit)
    for source, pages in real_pages(quick, limit).items():
        if wanted(source) or wanted("realpages"):
            sets[source] = pages
    if not skip_replica:
        for name, site in replica_outlets().items():
            if wanted(name) or wanted("replicas"):
                sets[name] = replica_eval_pages(name, site, quick, limit)
    return sets


def score_sets(
    sets: dict[str, list[EvalPage]], sd_rounds: int = 1000
) -> tuple[dict[str, dict], list[ScoredPage]]:
    """Figures per set; each real-page source also split into its tune and check halves.

    The real-page sources come together as ``realpages`` right after the last of them.
    """
    figures: dict[str, dict] = {}
    every: list[ScoredPage] = []
    real: list[ScoredPage] = []
    names = list(sets)
    for i, name in enumerate(names):
        scored = evaluate(sets[name])
        every += scored
        if any(s.page.split for s in scored):
            real += scored
            for split in realpages.SPLITS:
                figures[f"{name} {split}"] = summarise([s for s in scored if s.page.split == split])
            figures[f"{name} all"] = summarise(scored)
        else:
            figures[name] = summarise(scored, sd_rounds=sd_rounds if name == "aeb" else 0)
        last_real = real and (i + 1 == len(names) or not any(p.split for p in sets[names[i + 1]]))
        if last_real and "realpages all" not in figures:
            for split in realpages.SPLITS:
                figures[f"realpages {split}"] = summarise([s for s in real if s.page.split == split])
            figures["realpages all"] = summarise(real, sd_rounds=sd_rounds)
    return figures, every


def _pair(fig: dict, key: str, of: bool = False) -> str:
    values = []
    for name in ("ours", "trafilatura"):
        f = fig[name]
        if key not in f:
            values.append("-")
        elif of:
            values.append(f"{f[key]}/{f[key.replace('_exact', '_of')]}")
        elif key == "ms_per_page":
            values.append(f"{f[key]:.1f}")
        elif isinstance(f[key], float):
            values.append(f"{f[key]:.3f}")
        else:
            values.append(str(f[key]))
    return " | ".join(values) if values != ["-", "-"] else "-"


SET_COLUMNS = (
    ("F1", "f1", False),
    ("must-have", "must_have", False),
    ("leaking", "leaking_pages", False),
    ("titles", "title_exact", True),
    ("date day", "date_day_exact", True),
    ("date minute", "date_minute_exact", True),
    ("img R", "image_recall", False),
    ("img P", "image_precision", False),
    ("ms/page", "ms_per_page", False),
)


def sets_table(figures: dict[str, dict]) -> str:
    """One row per set; each cell is ``ours | trafilatura``; collapse counts ours against trafilatura."""
    header = ["set", "pages", *(c[0] for c in SET_COLUMNS), "collapse (raw words)"]
    rows = [
        [
            name,
            str(fig["pages"]),
            *(_pair(fig, key, of) for _, key, of in SET_COLUMNS),
            f"{fig['collapse']} ({fig['collapse_raw']})",
        ]
        for name, fig in figures.items()
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


SET_NOTES = (
    "cells: ours | plain trafilatura 2.3 (extract(html, url=url, include_comments=False)), same run;",
    f"must-have: the source's own must-have strings (wcxb, goose3), else sentences of >= {MUST_HAVE_MIN_WORDS}"
    " words derived from the full truth text (aeb, magichtml, replicas);",
    "leaking: pages whose text holds a must-not-have string (wcxb, replicas: comments, feed and related"
    " titles, bylines) or, on full-text sets, a generic boilerplate phrase absent from the truth;",
    "titles exact after case/accent folding; date day = the page's own calendar day (first 10 characters);"
    " date minute where the truth has a time; trafilatura's title/date via extract_metadata (htmldate);",
    "img R/P by host+path (replicas only); collapse = pages where ours keeps < half of the true text"
    " trafilatura keeps (truth shingles matched; words of the must-haves found where a source gives only"
    f" those; raw words where it gives neither), trafilatura >= {COLLAPSE_MIN_WORDS} words; in brackets the"
    " same count on raw words (a whole-page dump counts there); the tune/check halves come from"
    " bench/data/realpages.",
)


def details(scored: list[ScoredPage]) -> list[str]:
    """Failures on tune-half and replica pages only (never check-half or aeb: those stay unseen)."""
    lines = []
    for s in scored:
        page = s.page
        if page.set_name == "aeb" or page.split == "check":
            continue
        where = f"{page.set_name}/{page.page_id}"
        if collapsed(s.ours, s.trafilatura) or collapsed_raw(s.ours, s.trafilatura):
            lines.append(
                f"collapse {where}: ours {s.ours.words} words ({s.ours.kept} true),"
                f" trafilatura {s.trafilatura.words} ({s.trafilatura.kept} true)"
            )
        if s.ours.leaked:
            lines.append(f"leak {where}: {s.ours.leaked[0][:60]!r}")
        if s.ours.title_ok is False:
            lines.append(f"title {where}")
        if s.ours.day_ok is False or s.ours.minute_ok is False:
            lines.append(f"date {where}: truth {page.date}")
    return lines


# --- report ---------------------------------------------------------------------------------


def _table(rows: list[tuple[str, object, object]]) -> str:
    width = max(len(r[0]) for r in rows)
    lines = [f"{'metric':<{width}}  {'ours':>10}  {'trafilatura':>12}"]
    for label, ours, theirs in rows:
        lines.append(f"{label:<{width}}  {str(ours):>10}  {str(theirs):>12}")
    return "\n".join(lines)


def _replica_rows(
    quick: bool, result: dict, rows: list[tuple[str, object, object]], limit: int | None = None
) -> None:
    try:
        from spiders.bankingnews import PROFILE as BANKINGNEWS
    except ImportError:
        BANKINGNEWS = None
    replica = run_replica(BANKINGNEWS, quick, limit)
    generic = run_replica(GENERIC_PROFILE, quick, limit) if BANKINGNEWS is not None else replica
    result["replica"] = replica
    result["replica_generic"] = generic["ours"]
    o, t = replica["ours"], replica["trafilatura"]
    for key in ("f1", "title_exact", "lede_exact", "section_exact", "date_exact"):
        rows.append((f"replica {key}", o[key], t[key]))
    rows.append(("replica image precision", o["image_precision"], "-"))
    rows.append(("replica image recall", o["image_recall"], "-"))
    rows.append(("replica leaks", o["leaks"], t["leaks"]))
    legacy = f"{replica['legacy_identical']}/{replica['legacy_pages']}"
    rows.append(("replica legacy == utf-8 twin", legacy, "-"))
    rows.append(("replica ms/page", o["ms_per_page"], t["ms_per_page"]))
    g = generic["ours"]
    for key in ("f1", "title_exact", "section_exact", "date_exact", "image_recall", "leaks"):
        rows.append((f"replica GENERIC profile {key}", g[key], "-"))


def _aeb_rows(aeb: dict, result: dict, rows: list[tuple[str, object, object]]) -> None:
    """The aeb section (F1, P, R, spread, ms/page and the time ratio) from the per-set run."""
    result["aeb"] = {"pages": aeb["pages"]}
    for name in ("ours", "trafilatura"):
        f = aeb[name]
        keys = ("f1", "precision", "recall", "f1_sd", "ms_per_page")
        result["aeb"][name] = {k: f[k] for k in keys if k in f}
    o, t = result["aeb"]["ours"], result["aeb"]["trafilatura"]
    for key in ("f1", "precision", "recall", "f1_sd", "ms_per_page"):
        rows.append((f"aeb {key}", o.get(key), t.get(key)))
    result["ratio_time_vs_trafilatura"] = (
        round(o["ms_per_page"] / t["ms_per_page"], 3) if t["ms_per_page"] else None
    )
    rows.append(("aeb time ratio ours/trafilatura", result["ratio_time_vs_trafilatura"], 1.0))


def _compact(figures: dict[str, dict]) -> dict:
    """The per-set figures for the JSON line, without the counts the shares already carry."""
    keep = (
        "f1",
        "must_have",
        "leaking_pages",
        "title_exact",
        "title_of",
        "date_day_exact",
        "date_day_of",
        "date_minute_exact",
        "date_minute_of",
        "image_recall",
        "image_precision",
        "ms_per_page",
    )
    out = {}
    for name, fig in figures.items():
        out[name] = {"pages": fig["pages"], "collapse": fig["collapse"], "collapse_raw": fig["collapse_raw"]}
        for who in ("ours", "trafilatura"):
            out[name][who] = {k: fig[who][k] for k in keep if k in fig[who]}
    return out


def run(
    quick: bool = False,
    skip_replica: bool = False,
    limit: int | None = None,
    only: set[str] | None = None,
    show_details: bool = False,
) -> dict:
    """Run every open set, print the tables and the JSON line; returns the figures."""
    logging.disable(logging.WARNING)  # trafilatura logs every discarded page
    result: dict = {}
    rows: list[tuple[str, object, object]] = []
    if not skip_replica and (not only or "replica" in only):
        _replica_rows(quick, result, rows, limit)
    sets = collect_sets(quick, limit, skip_replica, only)
    figures, scored = score_sets(sets, 200 if quick else 1000)
    if "aeb" in figures:
        _aeb_rows(figures["aeb"], result, rows)
    elif not (AEB_DIR / "ground-truth.json").is_file():
        print(
            f"note: no aeb evaluation set at {AEB_DIR} (set NEWSCRAWL_EVAL_AEB); other sets only",
            file=sys.stderr,
        )
    if "ratio_time_vs_trafilatura" not in result:
        o_ms = sum(s.ours.seconds for s in scored)
        t_ms = sum(s.trafilatura.seconds for s in scored)
        result["ratio_time_vs_trafilatura"] = round(o_ms / t_ms, 3) if t_ms else None
    if rows:
        print(_table(rows))
        print()
    print("every open set (cells: ours | trafilatura)")
    print(sets_table(figures))
    for note in SET_NOTES:
        print("  " + note)
    if show_details:
        print()
        print("\n".join(details(scored)) or "no failures on tune-half or replica pages")
    result["sets"] = _compact(figures)
    # every page once: the halves and the realpages aggregate repeat pages counted elsewhere
    once = [f for n, f in figures.items() if not n.endswith((" tune", " check")) and n != "realpages all"]
    result["collapse_total"] = sum(f["collapse"] for f in once)
    result["collapse_raw_total"] = sum(f["collapse_raw"] for f in once)
    print(json.dumps(result, ensure_ascii=False))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.extraction_quality", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="every 12th aeb page, every 7th real page, every 4th replica page",
    )
    parser.add_argument("--skip-replica", action="store_true", help="leave out every replica outlet")
    parser.add_argument("--limit", type=int, default=None, help="at most N pages per set (a smoke run)")
    parser.add_argument(
        "--sets",
        default="",
        help="comma-separated set names to run (aeb, wcxb, goose3, magichtml, realpages, replicas, "
        "replica, or an outlet name); default all",
    )
    parser.add_argument(
        "--details", action="store_true", help="list failing pages (tune half and replicas only)"
    )
    args = parser.parse_args(argv)
    only = {s.strip() for s in args.sets.split(",") if s.strip()} or None
    run(args.quick, args.skip_replica, args.limit, only, args.details)
    return 0


if __name__ == "__main__":
    sys.exit(main())
