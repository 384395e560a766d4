"""Extraction quality: our extractor against plain trafilatura, measured in the same run.

Two sets: (a) every article page of the replica outlet against its ground truth (field by
field, images, boilerplate leaks, legacy charsets) and (b) the real-world pages of
../shared/eval/aeb with the shingle metric of ../shared/eval/README.md. Prints one table and,
as its last line, a JSON object with every figure (CI and the lead parse that line).

Run: ``python -m bench.extraction_quality [--quick]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

import trafilatura

from crawler.extraction import GENERIC_PROFILE, ExtractionError, Profile, extract_article
from crawler.extraction.textnorm import fold

REPO = Path(__file__).resolve().parent.parent
# the evaluation pages live beside the project (../shared), never in it; a clone elsewhere names them
AEB_DIR = Path(os.environ.get("NEWSCRAWL_EVAL_AEB") or REPO / ".." / "shared" / "eval" / "aeb")
FAKE_HOST = "http://127.0.0.1:8765"
_TOKEN = re.compile(r"\w+")
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


def ours_text(html: bytes, url: str, profile: Profile | None = None) -> str:
    try:
        return extract_article(html, url, profile).text
    except ExtractionError:
        return ""


def plain_trafilatura(html: bytes, url: str | None = None) -> str:
    return trafilatura.extract(html, url=url, include_comments=False) or ""


def _timed(fn: Callable, *args) -> tuple[object, float]:
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def run_aeb(quick: bool = False, aeb_dir: Path = AEB_DIR) -> dict:
    """Shingle F1 of ours and of plain trafilatura on the aeb pages, with timing."""
    truth = json.loads((aeb_dir / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)
    if quick:
        ids = ids[::4]
    rows: dict[str, list] = {"ours": [], "trafilatura": []}
    seconds = {"ours": 0.0, "trafilatura": 0.0}
    for page_id in ids:
        html = gzip.decompress((aeb_dir / "html" / f"{page_id}.html.gz").read_bytes())
        url, gold = truth[page_id]["url"], truth[page_id]["articleBody"]
        for name, fn in (("ours", ours_text), ("trafilatura", plain_trafilatura)):
            text, spent = _timed(fn, html, url)
            seconds[name] += spent
            rows[name].append(page_counts(text, gold))
    out: dict = {"pages": len(ids)}
    for name, page_rows in rows.items():
        f1, p, r = prf(page_rows)
        out[name] = {
            "f1": round(f1, 4),
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1_sd": round(bootstrap_sd(page_rows, 200 if quick else 1000), 4),
            "ms_per_page": round(seconds[name] / len(ids) * 1000, 2),
        }
    return out


# --- replica --------------------------------------------------------------------------------


def _same_instant(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return a == b
    return datetime.fromisoformat(a.replace("Z", "+00:00")) == datetime.fromisoformat(
        b.replace("Z", "+00:00")
    )


def _norm(value: str | None) -> str:
    return fold(value or "")


def _leaks(text: str, markers: Iterable[str], gold_text: str = "") -> int:
    """Markers found in the extracted text that the true body does not contain itself."""
    key, gold = fold(text), fold(gold_text)
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
    return [fold(c)[:80] for c in comments if len(c.strip()) > 20]


def run_replica(profile: Profile | None, quick: bool = False) -> dict:
    """Field-by-field scores of ours (with ``profile``) and plain trafilatura on the replica pages."""
    from crawler.replica import ReplicaSite

    site = ReplicaSite(size=72, seed=1)
    truth = site.ground_truth()
    if quick:
        truth = truth[::2]
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
    other_titles = {fold(g["title"]) for g in site.ground_truth()}
    for gold in truth:
        response = fetch_replica(site, gold["path"])
        url = FAKE_HOST + gold["path"]
        headers = dict(response.headers)
        gold_text = "\n\n".join(gold["paragraphs"])
        gold_images = [dict(img, url=FAKE_HOST + img["url"]) for img in gold.get("images") or []]
        markers = list(LEAK_MARKERS) + boilerplate_markers(response.body, headers)
        markers += [fold(t) for t in other_titles if t != fold(gold["title"])]
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
                same = extract_article(twin, url, profile, headers=twin_headers).to_dict() == (
                    article.to_dict() if article else None
                )
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


# --- report ---------------------------------------------------------------------------------


def _table(rows: list[tuple[str, object, object]]) -> str:
    width = max(len(r[0]) for r in rows)
    lines = [f"{'metric':<{width}}  {'ours':>10}  {'trafilatura':>12}"]
    for label, ours, theirs in rows:
        lines.append(f"{label:<{width}}  {str(ours):>10}  {str(theirs):>12}")
    return "\n".join(lines)


def _replica_rows(quick: bool, result: dict, rows: list[tuple[str, object, object]]) -> None:
    try:
        from spiders.bankingnews import PROFILE as BANKINGNEWS
    except ImportError:
        BANKINGNEWS = None
    replica = run_replica(BANKINGNEWS, quick)
    generic = run_replica(GENERIC_PROFILE, quick) if BANKINGNEWS is not None else replica
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


def run(quick: bool = False, skip_replica: bool = False) -> dict:
    """Run both halves, print the table and the JSON line; returns the figures (``python -m bench``)."""
    logging.disable(logging.WARNING)  # trafilatura logs every discarded page
    result: dict = {}
    rows: list[tuple[str, object, object]] = []
    if not skip_replica:
        _replica_rows(quick, result, rows)
    if (AEB_DIR / "ground-truth.json").is_file():
        aeb = run_aeb(quick)
        result["aeb"] = aeb
        o, t = aeb["ours"], aeb["trafilatura"]
        for key in ("f1", "precision", "recall", "f1_sd", "ms_per_page"):
            rows.append((f"aeb {key}", o[key], t[key]))
        result["ratio_time_vs_trafilatura"] = (
            round(o["ms_per_page"] / t["ms_per_page"], 3) if t["ms_per_page"] else None
        )
        rows.append(("aeb time ratio ours/trafilatura", result["ratio_time_vs_trafilatura"], 1.0))
    else:
        print(
            f"note: no aeb evaluation set at {AEB_DIR} (set NEWSCRAWL_EVAL_AEB); replica only",
            file=sys.stderr,
        )
        replica_ms = result.get("replica", {})
        o_ms = replica_ms.get("ours", {}).get("ms_per_page")
        t_ms = replica_ms.get("trafilatura", {}).get("ms_per_page")
        result["ratio_time_vs_trafilatura"] = round(o_ms / t_ms, 3) if o_ms and t_ms else None
    print(_table(rows))
    print(json.dumps(result, ensure_ascii=False))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.extraction_quality", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="a quarter of aeb and half of the replica pages")
    parser.add_argument("--skip-replica", action="store_true", help="only the aeb half")
    args = parser.parse_args(argv)
    run(args.quick, args.skip_replica)
    return 0


if __name__ == "__main__":
    sys.exit(main())
