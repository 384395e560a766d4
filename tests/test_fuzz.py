"""Fuzzed pages: whatever an outlet (or an attacker) serves, extraction answers or refuses, never crashes.

``extract_article`` has two allowed outcomes: an Article whose text can be stored, or an
ExtractionError with a one-line reason. Anything else (an IndexError, a RecursionError, a
UnicodeError, a hang) would kill a crawl's pipeline or a ``newscrawl fetch``. Small random
pages run in-process under Hypothesis with a deadline; the heavy ones (10,000 nested tags,
5 MB attributes) run in a child process with a hard timeout, so a hang fails instead of freezing
the suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.extraction import ExtractionError, extract_article
from crawler.items import Article
from storage.archive import open_archive, upsert_article

URL = "https://www.bankingnews.gr/oikonomia/articles/890485/kyvernisi-metra"
FETCHED = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
GREEK = [
    "Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα στήριξης για τις μικρές επιχειρήσεις.",
    "Οι τράπεζες αύξησαν τις χορηγήσεις κατά 4 δισ. ευρώ μέσα στο τρίμηνο.",
    "Ο δείκτης του Χρηματιστηρίου Αθηνών έκλεισε με άνοδο 1,2%.",
    "«Θα κινηθούμε με σύνεση», δήλωσε ο υπουργός Οικονομικών στη Βουλή.",
]
FUZZ = settings(
    max_examples=150,
    deadline=3000,  # ms per page; a 4 KB page that takes longer is a bug in itself
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,  # CI-friendly: the same pages every run; a failure replays
    database=None,
)


def extract_or_refuse(html: bytes | str, headers: dict | None = None) -> Article | None:
    """The only two outcomes allowed; None stands for a clean refusal."""
    try:
        article = extract_article(html, URL, headers=headers, fetched_at=FETCHED)
    except ExtractionError as exc:
        message = str(exc)
        assert message and "\n" not in message, repr(message)
        return None
    assert isinstance(article, Article)
    for value in (article.title, article.lede, article.text, *(i.url for i in article.images)):
        if value is not None:
            value.encode("utf-8")  # no lone surrogates: SQLite and the terminal need real text
    return article


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """A real archive the fuzzed articles are stored in: extraction output must be storable."""
    db = open_archive(tmp_path_factory.mktemp("fuzz") / "fuzz.db")
    yield db
    db.conn.close()


# -- random bytes --------------------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_are_extracted_or_refused(body):
    extract_or_refuse(body)


# -- HTML-shaped noise ---------------------------------------------------------------------

TAGS = ["div", "p", "article", "span", "b", "h1", "h2", "figure", "figcaption", "img", "a", "script",
        "style", "table", "td", "li", "ul", "meta", "title", "head", "body", "html", "br", "noscript",
        "svg", "iframe", "time", "main", "section", "x-weird"]  # fmt: skip
ATTRS = ["class", "id", "src", "href", "alt", "content", "property", "name", "datetime", "srcset",
         "data-src", "charset", "itemprop", "onerror", "style", "rel", "lang"]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(
        [
            "article-body",
            "og:title",
            "og:image",
            "javascript:alert(1)",
            "/media/a.jpg",
            "2026-01-05T12:30:00+02:00",
            "ΣΤΗΝ ΚΑΤΑΓΡΑΦΗ",
            "utf-8",
            "windows-1253",
            "description",
            "canonical",
            "http://[::1",
            "%%%",
            "&amp;&#0;&#xD800;",
        ]
    ),  # fmt: skip
    st.text(max_size=40),
)


@st.composite
def fragments(draw) -> str:
    kind = draw(st.integers(0, 5))
    tag = draw(st.sampled_from(TAGS))
    if kind == 0:
        attrs = draw(st.lists(st.tuples(st.sampled_from(ATTRS), VALUES), max_size=4))
        rendered = "".join(f' {k}="{v}"' for k, v in attrs)
        return f"<{tag}{rendered}>"
    if kind == 1:
        return f"</{tag}>"
    if kind == 2:
        return draw(st.sampled_from(GREEK))
    if kind == 3:
        return draw(st.text(max_size=60))
    if kind == 4:
        return draw(st.sampled_from(["<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE html>", "&nbsp;", "&#", "<",
                                     ">", "\x00", "\ufeff", '<script type="application/ld+json">{"@type":',
                                     "<?xml version='1.0'?>"]))  # fmt: skip
    return f"<{tag}>{draw(st.sampled_from(GREEK))}</{tag}>"


@FUZZ
@given(
    st.lists(fragments(), max_size=120),
    st.sampled_from([None, "utf-8", "windows-1253", "iso-8859-7", "latin-1", "no-such-charset", ""]),
)
def test_html_shaped_noise_is_extracted_or_refused_and_storable(archive, parts, charset):
    html = "".join(parts)
    headers = {"Content-Type": f"text/html; charset={charset}"} if charset is not None else None
    body = html.encode("utf-8", "surrogatepass")
    article = extract_or_refuse(body, headers)
    if article is not None and article.text.strip():
        article.url = URL
        article.outlet = "bankingnews"
        assert upsert_article(archive, article) in ("new", "updated", "unchanged")


# -- mixed and mislabelled charsets ---------------------------------------------------------


@FUZZ
@given(
    st.lists(
        st.tuples(st.sampled_from(GREEK), st.sampled_from(["utf-8", "cp1253", "iso-8859-7"])), min_size=3
    ),
    st.sampled_from(["utf-8", "windows-1253", "iso-8859-7", "iso-8859-1", "x-bogus", None]),
    st.sampled_from(["utf-8", "windows-1253", "iso-8859-1", None]),
)
def test_mixed_and_mislabelled_charsets_never_crash(paragraphs, meta_charset, header_charset):
    meta = f'<meta charset="{meta_charset}">' if meta_charset else ""
    body = f"<html><head>{meta}<title>Δοκιμή</title></head><body><article><h1>Τίτλος</h1>".encode()
    for text, encoding in paragraphs:
        body += b"<p>" + text.encode(encoding) + b"</p>"
    body += b"</article></body></html>"
    headers = {"Content-Type": f"text/html; charset={header_charset}"} if header_charset else None
    extract_or_refuse(body, headers)


@pytest.mark.parametrize("declared", ["iso-8859-1", "windows-1252", "x-no-such-charset"])
def test_a_wrong_meta_charset_still_gives_readable_greek(declared):
    """UTF-8 bytes under a wrong meta charset: the reader must see Greek, not mojibake."""
    body = (
        f'<html><head><meta charset="{declared}"><title>Τίτλος</title></head><body><article>'
        + "".join(f"<p>{t}</p>" for t in GREEK * 2)
        + "</article></body></html>"
    ).encode("utf-8")
    article = extract_or_refuse(body)
    assert article is not None
    assert GREEK[0] in article.text, article.text[:200]
    assert "Î" not in article.text and "\ufffd" not in article.text


# -- heavy pages, in a child process with a hard timeout -------------------------------------

PARA = "".join(f"<p>{t}</p>" for t in GREEK)
HEAVY = {
    "10,000 nested divs": "'<html><body>' + '<div>' * 10000 + PARA + '</div>' * 10000 + '</body></html>'",
    "10,000 unclosed nested tags": "'<html><body>' + '<div><span>' * 10000 + PARA",
    "10,000 nested inline tags in an article": "'<html><body><article>' + '<b>' * 10000 + PARA + '</article>'",
    "5 MB alt attribute": "'<html><body><article><h1>Τ</h1><img src=\"/a.jpg\" alt=\"' + 'α' * 2_500_000 + '\">' + PARA + '</article></body></html>'",
    "5 MB data attribute": "'<html><body><div data-x=\"' + 'x' * 5_000_000 + '\">' + PARA + '</div></body></html>'",
    "5 MB href": "'<html><body><a href=\"http://x/' + 'y' * 5_000_000 + '\">a</a>' + PARA + '</body></html>'",
    "5 MB meta tags": "'<html><head><meta property=\"og:image\" content=\"' + 'z' * 5_000_000 + '\"><meta name=\"description\" content=\"' + 'd' * 5_000_000 + '\"></head><body>' + PARA + '</body></html>'",
    "5 MB single text node": "'<html><body><article><p>' + 'λέξη ' * 1_000_000 + '</p></article></body></html>'",
    # 2 MB; extraction time grows faster than the page (about 7 s at 4 MB, 25 s at 8 MB here)
    "16,000 sibling paragraphs": "'<html><body><article>' + PARA * 4_000 + '</article></body></html>'",
}
CHILD = textwrap.dedent(
    """
    import json, sys, time
    from crawler.extraction import ExtractionError, extract_article
    PARA = {para!r}
    html = {expr}
    started = time.monotonic()
    try:
        article = extract_article(html, {url!r})
        outcome = {{"outcome": "article", "text": len(article.text), "images": len(article.images),
                    "alt": max([len(i.alt or "") for i in article.images], default=0)}}
    except ExtractionError as exc:
        outcome = {{"outcome": "refused", "reason": str(exc)}}
    outcome["seconds"] = round(time.monotonic() - started, 2)
    print(json.dumps(outcome))
    """
)
HEAVY_TIMEOUT = 30  # seconds, imports included; each case takes about 1-2 s here


@pytest.mark.parametrize("case", list(HEAVY))
def test_heavy_pages_finish_in_bounded_time(case):
    code = CHILD.format(para=PARA, expr=HEAVY[case], url=URL)
    try:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=HEAVY_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case}: extraction still running after {HEAVY_TIMEOUT}s (killed)")
    assert done.returncode == 0, f"{case} crashed:\n{done.stderr[-3000:]}"
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["outcome"] in ("article", "refused"), result
    if result["outcome"] == "article":
        assert result["text"] > 0
