"""Every replica article page, extracted in-process, checked field by field against its ground truth.

Both the bankingnews profile and the generic profile must get every page right: the profile
makes it exact by construction, the generic path proves the cascade stands on its own.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from crawler.extraction import GENERIC_PROFILE, ExtractionError, Profile, extract_article
from crawler.extraction.textnorm import fold_words
from crawler.outlet import profile_for_url
from crawler.replica import ReplicaSite
from spiders.bankingnews import PROFILE

HOST = "127.0.0.1:8765"
BASE = f"http://{HOST}"


@pytest.fixture(scope="module")
def site() -> ReplicaSite:
    return ReplicaSite(size=72, seed=1)


@pytest.fixture(scope="module")
def pages(site: ReplicaSite) -> list[tuple[dict, object]]:
    """(truth, response) per article; the 500/429-once fault pages are fetched again as a crawler would."""
    out = []
    for truth in site.ground_truth():
        response = site.handle("GET", truth["path"], {"Host": HOST})
        for _ in range(2):
            if response.status == 200:
                break
            response = site.handle("GET", truth["path"], {"Host": HOST})
        assert response.status == 200, truth["path"]
        out.append((truth, response))
    return out


def _instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _check(truth: dict, response, profile: Profile) -> list[str]:
    article = extract_article(response.body, BASE + truth["path"], profile, headers=dict(response.headers))
    problems = []
    for field in ("title", "lede", "section", "authors", "tags"):
        if getattr(article, field) != truth[field]:
            problems.append(f"{field}: {getattr(article, field)!r} != {truth[field]!r}")
    if _instant(article.published_at) != _instant(truth["published_at"]):
        problems.append(f"published_at: {article.published_at} != {truth['published_at']}")
    if truth["modified_at"] and _instant(article.modified_at) != _instant(truth["modified_at"]):
        problems.append(f"modified_at: {article.modified_at} != {truth['modified_at']}")
    if article.text != "\n\n".join(truth["paragraphs"]):
        problems.append("text differs from the ground-truth paragraphs")
    want = [dict(img, url=BASE + img["url"]) for img in truth["images"]]
    if [vars(img) for img in article.images] != want:
        problems.append(f"images: {[vars(i) for i in article.images]} != {want}")
    if article.language != "el":
        problems.append(f"language: {article.language}")
    if article.canonical_url != BASE + truth["path"]:
        problems.append(f"canonical_url: {article.canonical_url}")
    for leak in ("ροη ειδησεων", "σχολια αναγνωστων", "δειτε επισης", "διαβαστε επισης", "newsletter"):
        if leak in fold_words(article.text):
            problems.append(f"boilerplate in text: {leak}")
    return problems


@pytest.mark.parametrize("profile", [PROFILE, GENERIC_PROFILE], ids=["bankingnews", "generic"])
def test_every_article_page_matches_ground_truth(pages, profile: Profile) -> None:
    failures = {}
    for truth, response in pages:
        if problems := _check(truth, response, profile):
            failures[truth["path"]] = problems
    assert not failures, failures


def test_page_kinds_and_charsets_are_all_covered(pages) -> None:
    kinds = {truth["kind"] for truth, _ in pages}
    charsets = {truth["charset"] for truth, _ in pages}
    assert {"article", "live", "opinion"} <= kinds
    assert {"utf-8", "windows-1253", "iso-8859-7"} <= charsets
    assert any(not truth["has_jsonld"] for truth, _ in pages)
    assert sum(len(truth["images"]) for truth, _ in pages) > 50


def test_legacy_charset_pages_equal_their_utf8_twins(site: ReplicaSite, pages) -> None:
    legacy = [(truth, response) for truth, response in pages if truth["charset"] != "utf-8"]
    assert len(legacy) >= 5
    for truth, response in legacy:
        headers = dict(response.headers)
        twin = site.render_article(truth["id"], charset="utf-8", base_url=BASE)
        assert twin != response.body
        url = BASE + truth["path"]
        ours = extract_article(response.body, url, PROFILE, headers=headers)
        utf8 = extract_article(
            twin, url, PROFILE, headers={**headers, "Content-Type": "text/html; charset=utf-8"}
        )
        assert {**ours.to_dict(), "encoding": None} == {**utf8.to_dict(), "encoding": None}, truth["path"]
        assert utf8.encoding == "utf-8" and ours.encoding not in ("utf-8", None), truth["path"]


def test_amp_pages_point_to_the_article_and_read_the_same(site: ReplicaSite) -> None:
    amp = [truth for truth in site.ground_truth() if truth["amp_path"]]
    assert amp
    for truth in amp:
        response = site.handle("GET", truth["amp_path"], {"Host": HOST})
        article = extract_article(response.body, BASE + truth["amp_path"], PROFILE)
        assert article.canonical_url == BASE + truth["path"]
        assert (article.title, article.section) == (truth["title"], truth["section"])
        assert article.text == "\n\n".join(truth["paragraphs"])
        assert [img.url for img in article.images] == [BASE + img["url"] for img in truth["images"]]


def test_bankingnews_profile_is_chosen_by_domain() -> None:
    assert profile_for_url("https://www.bankingnews.gr/trapezes/articles/1/x") is PROFILE
    assert profile_for_url("https://unknown.example/trapezes/articles/1/x") is GENERIC_PROFILE


def test_date_disagreement_is_recorded_on_a_replica_page(pages) -> None:
    truth, response = next((t, r) for t, r in pages if t["has_jsonld"])
    body = response.body.decode("utf-8")
    moved = body.replace(f'datetime="{truth["published_at"]}"', 'datetime="2026-01-01T09:00:00+02:00"')
    assert moved != body
    article = extract_article(moved.encode("utf-8"), BASE + truth["path"], PROFILE)
    assert _instant(article.published_at) == _instant(truth["published_at"])
    assert article.provenance["published_at"] == "json-ld"
    assert "visible=2026-01-01T09:00:00+02:00" in article.provenance["published_at.disagreement"]


def test_fault_pages_that_answer_200_are_extraction_errors(site: ReplicaSite) -> None:
    """Truncated, empty and binary pages come with status 200: only extraction can refuse them."""
    checked = set()
    for fault in site.faults():
        if fault["expect"] != "error" or fault["kind"] == "slow":
            continue
        response = site.handle("GET", fault["url"], {"Host": HOST})
        if response.status != 200:
            continue
        with pytest.raises(ExtractionError) as err:
            extract_article(response.body, BASE + fault["url"], PROFILE, headers=dict(response.headers))
        assert "\n" not in str(err.value)
        checked.add(fault["kind"])
    assert {"truncated", "empty", "binary"} <= checked
