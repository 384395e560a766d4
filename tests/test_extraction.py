"""extract_article and ``newscrawl extract`` on small hand-written pages (no server needed)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.commands.extract import extract
from crawler.extraction import (
    GENERIC_PROFILE,
    ExtractionError,
    Profile,
    extract_article,
)
from crawler.extraction.images import best_from_srcset
from crawler.extraction.textnorm import fold_words
from crawler.outlet import (
    Outlet,
    OutletFileError,
    all_outlets,
    outlet_for_url,
    profile_by_name,
    profile_for_url,
)

FIXTURES = Path(__file__).parent / "fixtures" / "extraction"
URL = "https://news.example.gr/oikonomia/articles/100200/trapeza-anaptyxi"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture(scope="module")
def greek():
    return extract_article(fixture("greek_jsonld.html"), URL)


def test_metadata_from_json_ld_graph(greek) -> None:
    assert greek.title == "Η Τράπεζα της Ελλάδος αναθεωρεί την πρόβλεψη για την ανάπτυξη"
    assert greek.lede == "Μεγαλύτερη αύξηση του ΑΕΠ το 2026 βλέπει η κεντρική τράπεζα."
    assert greek.section == "Οικονομία"
    assert greek.authors == ["Μαρία Κωνσταντίνου"]
    assert greek.tags == ["ΑΕΠ", "τράπεζες", "ανάπτυξη"]
    # the page's own offset is kept (not converted to UTC)
    assert greek.published_at == "2026-01-05T14:30:00+02:00"
    assert greek.modified_at == "2026-01-05T16:00:00+02:00"
    assert greek.language == "el"
    assert greek.canonical_url == URL
    assert greek.provenance["title"] == "json-ld"
    assert greek.provenance["published_at"] == "json-ld"


def test_text_is_clean_paragraphs(greek) -> None:
    paragraphs = greek.text.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("Η κεντρική τράπεζα ανακοίνωσε σήμερα")
    assert paragraphs[-1].endswith("προγράμματα χρηματοδότησης.")
    key = fold_words(greek.text)
    for leak in (
        "διαβαστε επισης",
        "ροη ειδησεων",
        "σχολια",
        "nikos77",
        "στην τσεπη",
        "δειτε επισης",
        "facebook",
        "cookies",
        "τελευταια νεα",
        "προσοψη",
    ):
        assert leak not in key, leak
    assert not greek.text.startswith(greek.title)
    assert greek.lede not in greek.text
    assert greek.word_count == len(greek.text.split())
    assert len(greek.content_hash) == 64


def test_images_from_body_only_resolved_and_positioned(greek) -> None:
    assert [(i.url, i.position) for i in greek.images] == [
        ("https://news.example.gr/media/2026/01/bank-front.jpg", 0),
        ("https://news.example.gr/media/2026/01/chart-1600.jpg", 3),
    ]
    first, second = greek.images
    assert first.caption == "Η πρόσοψη της κεντρικής τράπεζας στην Αθήνα."
    assert first.alt == "Το κτίριο της τράπεζας"
    assert second.caption is None and second.alt == "Γράφημα ανάπτυξης"


def test_page_without_json_ld_uses_visible_markup() -> None:
    article = extract_article(fixture("plain_no_jsonld.html"), "http://127.0.0.1:8765/agores/articles/7/x")
    assert article.title == "Σε νέο υψηλό το Χρηματιστήριο Αθηνών"
    assert article.lede.startswith("Ο Γενικός Δείκτης έκλεισε με άνοδο 1,8%")
    assert article.section == "Αγορές"
    # a naive printed time on a page of no declared outlet stays naive (no invented zone)
    assert article.published_at == "2026-01-05T17:45:00"
    assert article.provenance["published_at"] == "visible"
    assert article.language == "el"
    assert len(article.text.split("\n\n")) == 3
    assert "πολυδιαβασμένο" not in article.text
    assert [(i.url, i.position) for i in article.images] == [
        ("http://127.0.0.1:8765/agores/articles/media/xa/board.jpg", 2)
    ]


def _legacy(charset: str, declare_in_meta: bool) -> tuple[bytes, dict]:
    html = fixture("greek_jsonld.html").decode("utf-8").replace('<meta charset="utf-8">', "")
    headers = {"Content-Type": f"text/html; charset={charset}"}
    if declare_in_meta:
        html = html.replace(
            "<head>", f'<head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        )
        headers = {"Content-Type": "text/html"}
    return html.encode(charset, errors="xmlcharrefreplace"), headers


@pytest.mark.parametrize(
    ("charset", "in_meta"), [("windows-1253", False), ("iso-8859-7", True), ("windows-1253", True)]
)
def test_legacy_charsets_equal_utf8_twin(greek, charset: str, in_meta: bool) -> None:
    body, headers = _legacy(charset, in_meta)
    assert body != fixture("greek_jsonld.html")
    article = extract_article(body, URL, headers=headers)
    assert {**article.to_dict(), "encoding": None} == {**greek.to_dict(), "encoding": None}
    assert article.encoding == {"windows-1253": "cp1253", "iso-8859-7": "iso8859-7"}[charset]


@pytest.mark.parametrize(
    ("label", "headers"),
    [
        ("", None),  # no label at all: a detector takes these bytes for Cyrillic (ISO-8859-5)
        ('<meta charset="utf-8">', None),  # a template's UTF-8 meta over a legacy database
        ("", {"Content-Type": "text/html; charset=iso-8859-1"}),  # a server's default charset
    ],
)
def test_greek_legacy_bytes_under_a_wrong_label_or_none_read_as_greek(greek, label: str, headers) -> None:
    """windows-1253 bytes labelled wrongly or not at all: Greek words when read as windows-1253
    settle it, and the article equals its UTF-8 twin."""
    html = fixture("greek_jsonld.html").decode("utf-8").replace('<meta charset="utf-8">', label)
    article = extract_article(html.encode("windows-1253", errors="xmlcharrefreplace"), URL, headers=headers)
    assert {**article.to_dict(), "encoding": None} == {**greek.to_dict(), "encoding": None}
    assert article.encoding == "cp1253"


def test_a_russian_or_french_legacy_page_is_not_read_as_greek() -> None:
    """The Greek check needs Greek words: Cyrillic and Latin-1 pages keep their own charset."""
    ru = "Правительство объявило вчера о новой программе для портов, и это важно для всех нас. " * 6
    fr = "Le conseil régional a approuvé mardi les nouveaux travaux du port après un long débat. " * 6
    for prose, title, charset in ((ru, "Новая программа", "cp1251"), (fr, "Travaux du port", "latin-1")):
        body = f"<html><head></head><body><h1>{title}</h1><p>{prose}</p></body></html>".encode(charset)
        article = extract_article(body, "https://news.example.org/a/21")
        assert article.title == title and article.encoding != "cp1253"


def test_homoglyph_headings_remove_their_block() -> None:
    body = "".join(
        f"<p>Παράγραφος {n} του άρθρου με αρκετές λέξεις ώστε να μετρά ως κείμενο άρθρου εδώ.</p>"
        for n in range(4)
    )
    for heading in ("Ρoή Ειδήσεων", "Ροή Ειδήσεων", "ΡΟΗ ΕΙΔΗΣΕΩΝ", "Pοή Eιδήσεων"):
        page = (
            "<html><body><h1>Ένας τίτλος άρθρου για τη δοκιμή</h1><div class='txt'>" + body + "</div>"
            f"<div class='side'><div class='hd'><span>{heading}</span></div>"
            "<div class='list'><p>Μια ροή με μεγάλο τίτλο που δεν πρέπει να φανεί μέσα στο κείμενο του άρθρου ποτέ.</p>"
            "<p>Δεύτερο στοιχείο της ροής ειδήσεων που επίσης πρέπει να αφαιρεθεί.</p></div></div></body></html>"
        )
        article = extract_article(page, "http://example.gr/a/1")
        assert "ροή" not in article.text.lower(), heading
        assert article.text.count("Παράγραφος") == 4


def _page_with_repeats(subtitle: bool) -> str:
    head = "<html><head><meta property='og:description' content='Η περίληψη του άρθρου σε μία πρόταση.'></head><body>"
    shown = "<h2 class='sub'>Η περίληψη του άρθρου σε μία πρόταση.</h2>" if subtitle else ""
    body = "".join(
        f"<p>Κύριο κείμενο {n} με αρκετές λέξεις για να θεωρηθεί περιεχόμενο του άρθρου.</p>"
        for n in range(4)
    )
    return (
        f"{head}<article><h1>Τίτλος που επαναλαμβάνεται</h1>{shown}<div class='body'>"
        "<p>Τίτλος που επαναλαμβάνεται</p><p>Η περίληψη του άρθρου σε μία πρόταση.</p>"
        f"{body}</div></article></body></html>"
    )


def test_title_never_repeated_and_lede_removed_when_shown_apart() -> None:
    article = extract_article(_page_with_repeats(subtitle=True), "http://example.gr/a/2")
    assert article.title == "Τίτλος που επαναλαμβάνεται"
    assert article.lede == "Η περίληψη του άρθρου σε μία πρόταση."
    assert article.text.startswith("Κύριο κείμενο 0")
    assert "περίληψη" not in article.text


def test_description_that_is_the_first_paragraph_stays_in_text() -> None:
    article = extract_article(_page_with_repeats(subtitle=False), "http://example.gr/a/2")
    assert article.lede == "Η περίληψη του άρθρου σε μία πρόταση."
    assert article.text.startswith("Η περίληψη του άρθρου σε μία πρόταση.\n\nΚύριο κείμενο 0")


def test_date_disagreement_prefers_profile_source_and_is_recorded() -> None:
    page = fixture("greek_jsonld.html").replace(
        b"05 \xce\x99\xce\xb1\xce\xbd", b"06 \xce\x99\xce\xb1\xce\xbd"
    )
    generic = extract_article(page, URL)
    assert generic.published_at == "2026-01-05T14:30:00+02:00"
    assert generic.provenance["published_at.disagreement"] == (
        "json-ld=2026-01-05T14:30:00+02:00, visible=2026-01-06T14:30:00"
    )
    visible_first = Profile(name="visible-first", preferred_date_source="visible")
    article = extract_article(page, URL, profile=visible_first)
    assert article.published_at == "2026-01-06T14:30:00"
    assert article.provenance["published_at"] == "visible"


def test_outlet_profile_selectors_win() -> None:
    profile = Profile(
        name="test-outlet",
        body_selector="div.post-body",
        title_selector="h1.post-title",
        lede_selector="h2.post-sub",
        section_selector="div.crumbs a:last-child",
        date_selector="div.post-date",
        preferred_date_source="visible",
        prune_selectors=("div.adv",),
    )
    article = extract_article(fixture("greek_jsonld.html"), URL, profile=profile)
    assert article.provenance["title"] == "outlet"
    assert article.provenance["text"] == "outlet"
    # the outlet's printed wall clock wins; JSON-LD states the same time with its zone
    assert article.provenance["published_at"] == "visible+json-ld"
    assert article.published_at == "2026-01-05T14:30:00+02:00"
    assert article.section == "Οικονομία"
    assert len(article.text.split("\n\n")) == 4
    assert [i.position for i in article.images] == [0, 3]


def test_relative_and_lazy_image_forms() -> None:
    assert best_from_srcset("a.jpg 300w, b.jpg 1200w, c.jpg 800w") == "b.jpg"
    assert best_from_srcset("a.jpg 1x, b.jpg 2x") == "b.jpg"
    text = "".join(
        f"<p>Κείμενο {n} του άρθρου με αρκετές λέξεις για να μετρήσει σαν παράγραφος.</p>" for n in range(3)
    )
    page = (
        "<html><head><base href='/static/'></head><body><h1>Άρθρο με εικόνες διαφόρων μορφών</h1><div class='c'>"
        "<img data-lazy-src='img/one.jpg' src='data:image/png;base64,AAA'>"
        + text
        + "<img data-original='//cdn.example.gr/two.jpg'><img src='javascript:void(0)'>"
        "<img src='img/one.jpg'><picture><source srcset='three-small.webp 320w, three-big.webp 1280w'>"
        "<img src='three.jpg'></picture>"
        "<picture><source srcset='four-small.webp 320w, four-big.webp 1280w'>"
        "<img src='data:image/gif;base64,R0lGOD'></picture></div></body></html>"
    )
    article = extract_article(page, "https://example.gr/a/3")
    # a <picture>'s <source> offers the same picture in other formats: the <img src> the page gives
    # is the picture's own, the <source> only when the <img> names no real file
    assert [(i.url, i.position) for i in article.images] == [
        ("https://example.gr/static/img/one.jpg", 0),
        ("https://cdn.example.gr/two.jpg", 3),
        ("https://example.gr/static/three.jpg", 3),
        ("https://example.gr/static/four-big.webp", 3),
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty"),
        (b"   \n ", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
        (bytes(range(256)) * 8, "binary"),
        (b"<html><head><title>Cut</title><link rel=stylesheet href=/a.css><scr", "no article text"),
    ],
)
def test_bad_input_raises_clear_error(body: bytes, message: str) -> None:
    with pytest.raises(ExtractionError) as err:
        extract_article(body, "http://example.gr/bad")
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_wrong_declared_charset_gives_partial_article_not_crash(greek) -> None:
    body = (
        fixture("greek_jsonld.html")
        .decode("utf-8")
        .replace('<meta charset="utf-8">', "")
        .encode("windows-1253", "xmlcharrefreplace")
    )
    article = extract_article(body, URL, headers={"Content-Type": "text/html; charset=utf-8"})
    assert "κεντρική τράπεζα" in article.text


def test_outlets_are_found_by_origin_and_name() -> None:
    banking = all_outlets()["bankingnews"]
    assert profile_for_url("https://www.bankingnews.gr/a/1") is banking.profile
    assert profile_for_url("http://bankingnews.gr/a/1") is banking.profile  # declared variant
    # another port, another scheme or a subdomain is not the outlet
    assert outlet_for_url("https://www.bankingnews.gr:8443/a/1") is None
    assert outlet_for_url("ftp://www.bankingnews.gr/a/1") is None
    assert outlet_for_url("https://m.bankingnews.gr/a/1") is None
    assert profile_for_url("https://unknown.example/a/1") is GENERIC_PROFILE
    assert profile_by_name("bankingnews") is banking.profile
    assert profile_by_name("generic") is GENERIC_PROFILE
    with pytest.raises(KeyError, match="unknown profile"):
        profile_by_name("nope")


def test_outlet_without_profile_uses_generic_path_with_its_zone() -> None:
    outlet = Outlet(name="x", base_url="https://x.example", article_pattern="/a/", timezone="Europe/Athens")
    profile = outlet.extraction_profile
    assert profile.name == "x" and profile.timezone == "Europe/Athens"
    assert profile.body_selector is None


def test_outlet_refuses_other_origins() -> None:
    outlet = Outlet(name="x", base_url="http://localhost:8000", article_pattern="/a/")
    assert outlet.refusal("http://localhost:8000/a/1") is None
    assert "not http(s)" in outlet.refusal("file://localhost/etc/passwd")
    assert "not http(s)" in outlet.refusal("ftp://localhost:8000/a/1")
    assert "origins" in outlet.refusal("http://localhost:8001/a/1")
    assert "origins" in outlet.refusal("https://localhost:8000/a/1")
    with pytest.raises(ValueError, match="origin"):
        Outlet(name="y", base_url="file:///tmp", article_pattern="/")


def test_broken_outlet_file_is_an_error_naming_it(tmp_path, monkeypatch) -> None:
    import spiders
    from crawler import outlet as outlet_module

    broken = Path(spiders.__path__[0]) / "zz_broken_for_test.py"
    broken.write_text("raise RuntimeError('half-written')\n", encoding="utf-8")
    monkeypatch.setattr(outlet_module, "_CACHE", None)
    try:
        with pytest.raises(OutletFileError, match="zz_broken_for_test.py"):
            all_outlets()
    finally:
        broken.unlink()
        outlet_module._CACHE = None


def test_profile_rejects_unknown_date_source() -> None:
    with pytest.raises(ValueError, match="preferred_date_source"):
        Profile(name="bad", preferred_date_source="tea-leaves")


# --- the command ------------------------------------------------------------------------------


def test_cli_single_file_json_has_exact_article_keys(greek) -> None:
    result = CliRunner().invoke(extract, [str(FIXTURES / "greek_jsonld.html")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == set(greek.to_dict())
    assert data["url"] == URL  # from the page's canonical link
    assert data["text"] == greek.text


def test_cli_several_inputs_jsonl_with_error_line(tmp_path: Path) -> None:
    gz = tmp_path / "page.html.gz"
    gz.write_bytes(gzip.compress(fixture("plain_no_jsonld.html")))
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    result = CliRunner().invoke(extract, [str(gz), str(empty), str(tmp_path / "missing.html")])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["source"] for line in lines] == [str(gz), str(empty), str(tmp_path / "missing.html")]
    assert lines[0]["title"] == "Σε νέο υψηλό το Χρηματιστήριο Αθηνών"
    assert lines[0]["url"].startswith("file://")
    assert "empty document" in lines[1]["error"]
    assert "no such file" in lines[2]["error"]
    assert result.exit_code == 1


def test_cli_text_explain_and_markdown() -> None:
    path = str(FIXTURES / "greek_jsonld.html")
    text = CliRunner().invoke(extract, [path, "--format", "text", "--explain", "--url", "http://x.gr/a/1"])
    assert text.exit_code == 0
    assert "Provenance:" in text.output and "title: json-ld" in text.output
    assert "URL: http://x.gr/a/1" in text.output
    md = CliRunner().invoke(extract, [path, "--format", "markdown"])
    assert md.output.startswith("# Η Τράπεζα της Ελλάδος")
    assert "![Γράφημα ανάπτυξης](https://news.example.gr/media/2026/01/chart-1600.jpg)" in md.output


@pytest.mark.parametrize(
    ("args", "message"),
    [(["/nonexistent/page.html"], "no such file"), (["--profile", "nope", "x.html"], "unknown profile")],
)
def test_cli_bad_input_is_one_line_exit_1(args: list[str], message: str) -> None:
    result = CliRunner().invoke(extract, args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_profile_image_selector_limits_body_images() -> None:
    text = "".join(
        f"<p>Παράγραφος {n} με αρκετές λέξεις ώστε να μετρά ως κείμενο του άρθρου.</p>" for n in range(3)
    )
    page = (
        "<html><body><h1>Άρθρο με δύο είδη εικόνων</h1><div class='art'>"
        f"<img class='photo' src='/a.jpg'>{text}<img class='promo' src='/promo.jpg'></div></body></html>"
    )
    profile = Profile(name="only-photos", body_selector="div.art", image_selector="img.photo")
    article = extract_article(page, "http://example.gr/a/9", profile=profile)
    assert [(i.url, i.position) for i in article.images] == [("http://example.gr/a.jpg", 0)]


def test_small_box_led_by_a_boilerplate_label_is_removed() -> None:
    text = "".join(
        f"<p>Παράγραφος {n} με αρκετές λέξεις ώστε να μετρά ως κείμενο του άρθρου.</p>" for n in range(4)
    )
    page = (
        f"<html><body><h1>Άρθρο με κουτί εγγραφής</h1><div class='x'>{text}"
        "<div class='nl'><strong>Newsletter</strong> Εγγραφείτε για τα νέα μας κάθε πρωί.</div></div></body></html>"
    )
    article = extract_article(page, "http://example.gr/a/10")
    assert "Εγγραφείτε" not in article.text
    assert article.text.count("Παράγραφος") == 4


# --- general mechanisms, each on a small hand-written page ---------------------------------------

_PROSE = (
    "Η περιφέρεια ανακοίνωσε χθες νέο πρόγραμμα για τα λιμάνια της δυτικής ακτής, με έργα που "
    "θα ξεκινήσουν μέσα στο καλοκαίρι και θα ολοκληρωθούν σε δύο χρόνια από σήμερα. "
)


def _page(body: str, head: str = "", lang: str = "el") -> bytes:
    return f'<html lang="{lang}"><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'.encode()


def test_valid_utf8_is_never_decoded_as_a_declared_legacy_charset() -> None:
    body = _page(f"<h1>Νέα έργα στα λιμάνια</h1><p>{_PROSE * 3}</p>").replace(
        b'<meta charset="utf-8">', b'<meta charset="gb2312">'
    )
    article = extract_article(body, "https://news.example.org/a/1")
    assert article.encoding == "utf-8"
    assert article.title == "Νέα έργα στα λιμάνια"
    assert article.language == "el"


def test_language_never_comes_from_a_charset_value() -> None:
    body = _page(f"<h1>Ports get new works</h1><p>{'The region announced a new programme. ' * 12}</p>")
    body = body.replace(b'lang="el"', b'lang="utf-8"')
    assert extract_article(body, "https://news.example.org/a/2").language is None


def test_date_beside_the_headline_beats_the_header_today_date() -> None:
    body = _page(
        '<div class="top"><span class="date">Πέμπτη, 6 Μαρτίου 2025</span></div>'
        '<div class="item"><h2 class="itemTitle">Νέα έργα στα λιμάνια της περιοχής</h2>'
        '<span class="itemDateCreated">Τρίτη, 4 Μαρτίου 2025 18:05</span>'
        f"<div class='itemBody'><p>{_PROSE * 3}</p></div></div>",
        head="<title>Νέα έργα στα λιμάνια της περιοχής - Τοπικά Νέα</title>",
    )
    generic = extract_article(body, "https://news.example.org/a/3")
    assert generic.published_at == "2025-03-04T18:05:00"  # naive: no outlet zone declared
    athens = Profile(name="some-outlet", timezone="Europe/Athens")
    assert extract_article(body, "https://news.example.org/a/3", athens).published_at == (
        "2025-03-04T18:05:00+02:00"
    )


def test_date_only_metadata_stays_a_date_and_a_printed_time_refines_it() -> None:
    head = '<meta property="article:published_time" content="2025-03-04">'
    plain = _page(f"<h1>Νέα έργα στα λιμάνια</h1><p>{_PROSE * 3}</p>", head=head)
    assert extract_article(plain, "https://news.example.org/a/4").published_at == "2025-03-04"
    timed = _page(
        f"<h1>Νέα έργα στα λιμάνια</h1><time>4 Μαρτίου 2025, 09:40</time><p>{_PROSE * 3}</p>", head=head
    )
    assert extract_article(timed, "https://news.example.org/a/4").published_at == "2025-03-04T09:40:00"


def test_site_name_is_cut_from_metadata_titles_wherever_it_sits() -> None:
    head = (
        '<meta property="og:site_name" content="Τοπικά Νέα">'
        '<meta property="og:title" content="Τοπικά Νέα | Νέα έργα στα λιμάνια">'
    )
    body = _page(f"<p>{_PROSE * 3}</p>", head=head + "<title>Τοπικά Νέα | Νέα έργα στα λιμάνια</title>")
    article = extract_article(body, "https://topika.example.org/a/5")
    assert article.title == "Νέα έργα στα λιμάνια"
    assert article.provenance["title"] == "meta"


def test_title_without_h1_is_the_title_segment_the_page_prints() -> None:
    body = _page(
        f"<table><tr><td><b>Νέα έργα στα λιμάνια - Τι αλλάζει</b></td></tr><tr><td>{_PROSE * 3}</td></tr></table>",
        head="<title>Η Φωνή του Νότου - Νέα έργα στα λιμάνια - Τι αλλάζει</title>",
    )
    assert extract_article(body, "https://foni.example.org/a/6").title == "Νέα έργα στα λιμάνια - Τι αλλάζει"


@pytest.mark.parametrize(
    ("byline", "name"),
    [
        ("Του Γιώργου Παπαδόπουλου", "Γιώργου Παπαδόπουλου"),
        ("Επιμέλεια: Μαρία Κ. Νικολάου", "Μαρία Κ. Νικολάου"),
        ("Ρεπορτάζ: Νίκος Αλεξίου", "Νίκος Αλεξίου"),
        ("Συντάκτης: Ελένη Μαρκοπούλου", "Ελένη Μαρκοπούλου"),
        ("Written by Jane Doe", "Jane Doe"),
    ],
)
def test_byline_leaves_the_text_for_the_authors(byline: str, name: str) -> None:
    body = _page(f"<h1>Νέα έργα στα λιμάνια</h1><div><p>{byline}</p><p>{_PROSE * 3}</p></div>")
    article = extract_article(body, "https://news.example.org/a/7")
    assert name.split()[-1] not in article.text
    assert article.authors == [name]


@pytest.mark.parametrize(
    "label",
    [
        "Σχόλια αναγνωστών (2)",
        "Τα σχόλια των αναγνωστών",
        "Αφήστε το σχόλιό σας",
        "2 σχόλια",
        "Οι απόψεις σας",
        "12 Comments",
    ],
)
def test_br_body_stops_at_the_readers_comments_in_the_same_container(label: str) -> None:
    prose = "<br><br>".join(f"{_PROSE} Μέρος <b>{n}</b> του σχεδίου." for n in range(3))
    body = _page(
        f"<h1>Νέα έργα στα λιμάνια</h1><div class='main'>{prose}<br><br><b>{label}</b><br><br>"
        "<b>nikos77</b> - 04/03/2025 19:00<br>Επιτέλους μια καλή είδηση για την πόλη μας!</div>"
    )
    article = extract_article(body, "https://news.example.org/a/8")
    assert "nikos77" not in article.text and "Επιτέλους" not in article.text
    assert len(article.text.split("\n\n")) == 3
    assert article.text.count("του σχεδίου.") == 3  # text after an inline element is kept


def test_layout_table_neighbour_cells_do_not_leak_into_the_text() -> None:
    feed = "".join(
        f"<tr><td><a href='/a/{i}'>Άλλη είδηση νούμερο {i} της ημέρας</a></td></tr>" for i in range(12)
    )
    body = _page(
        "<table><tr>"
        f"<td class='leftcol'><table>{feed}</table></td>"
        f"<td class='maincol'><b>Νέα έργα στα λιμάνια</b><br><br>{_PROSE}<br><br>{_PROSE}<br><br>{_PROSE}</td>"
        "</tr></table>"
    )
    article = extract_article(body, "https://news.example.org/a/9")
    assert "Άλλη είδηση" not in article.text
    assert article.text.count("Η περιφέρεια ανακοίνωσε") == 3


def test_lede_printed_apart_is_not_repeated_as_the_first_paragraph() -> None:
    lede = "Σε κρίσιμη καμπή βρίσκεται το θέμα των λιμανιών της δυτικής ακτής."
    body = _page(
        f"<h1>Νέα έργα στα λιμάνια</h1><div class='amp-lead'><p>{lede}</p></div>"
        f"<div class='body'><p>{lede}</p><p>{_PROSE * 3}</p></div>",
        head=f'<meta name="description" content="{lede}">',
    )
    article = extract_article(body, "https://news.example.org/a/10")
    assert article.lede == lede
    assert not article.text.startswith(lede[:30])


def test_lead_image_above_the_title_counts_and_list_thumbnails_never() -> None:
    body = _page(
        '<div class="featured"><img src="/media/harbour-1200x800.jpg" srcset="/media/harbour-600x400.jpg 600w,'
        ' /media/harbour-1200x800.jpg 1200w"></div>'
        f"<article><h1>Νέα έργα στα λιμάνια</h1><p>{_PROSE * 2}</p>"
        '<figure><img src="/media/crane.jpg"><figcaption>Ο γερανός</figcaption></figure>'
        f"<p>{_PROSE * 2}</p>"
        '<p><a href="/other/article"><img src="/media/other-thumb.jpg"> Άλλη είδηση με τίτλο</a></p></article>'
        '<aside class="sidebar"><img src="/media/sidebar.jpg"></aside>',
        head='<meta property="og:image" content="https://news.example.org/media/harbour.jpg">',
    )
    article = extract_article(body, "https://news.example.org/a/11")
    urls = [image.url for image in article.images]
    assert urls[0] == "https://news.example.org/media/harbour-1200x800.jpg"
    assert "https://news.example.org/media/crane.jpg" in urls
    assert not any("thumb" in u or "sidebar" in u for u in urls)
    assert len(urls) == len({u.split("-")[0] for u in urls})  # srcset variants count once


def test_trafilatura_floor_rescues_a_collapsed_candidate() -> None:
    # an outlet selector that matches only a caption must not beat the body trafilatura finds
    paragraphs = "".join(f"<p>{_PROSE} Μέρος {n}.</p>" for n in range(8))
    body = _page(
        "<h1>Νέα έργα στα λιμάνια</h1>"
        "<div class='caption'>Ο γερανός του λιμανιού στη δυτική ακτή, σε φωτογραφία του περασμένου μήνα.</div>"
        f"<div class='content'>{paragraphs}</div>"
    )
    stale = Profile(name="stale-outlet", body_selector="div.caption")
    article = extract_article(body, "https://news.example.org/a/12", stale)
    assert article.provenance["text"] == "trafilatura-unpruned"
    assert article.text.count("Η περιφέρεια ανακοίνωσε") == 8


def test_trafilatura_floor_leaves_the_readers_comments_of_a_br_body_out() -> None:
    # a legacy body of bare text between <br><br>, the comments in the same cell after their label:
    # when the floor beats a collapsed candidate, the comments stay recognised boilerplate
    text = "<br><br>".join(f"{_PROSE} Μέρος {n}." for n in range(6))
    comments = "<br><br>".join(
        f"<b>Αναγνώστης {n}</b> - 30/03/2026 06:1{n}<br>Επιτέλους μια καλή είδηση για όλους εμάς εδώ, σχόλιο {n}."
        for n in range(5)
    )
    body = _page(
        "<h1>Νέα έργα στα λιμάνια</h1>"
        "<div class='caption'>Ο γερανός του λιμανιού στη δυτική ακτή, σε φωτογραφία του περασμένου μήνα.</div>"
        f"<table><tr><td class='main'>{text}<br><br><b>Σχόλια αναγνωστών (5)</b><br><br>{comments}</td></tr></table>"
    )
    stale = Profile(name="stale-outlet", body_selector="div.caption")
    article = extract_article(body, "https://news.example.org/a/13", stale)
    assert article.provenance["text"] == "trafilatura-unpruned"
    assert article.text.count("Η περιφέρεια ανακοίνωσε") == 6
    assert "Επιτέλους" not in article.text and "Αναγνώστης" not in article.text


def test_floor_trigger_counts_article_prose_not_teaser_cards() -> None:
    from trafilatura import load_html

    from crawler.extraction.floor import paragraph_chars

    cards = "".join(
        f"<li><h4><a href='/n/{n}'>Άλλη είδηση {n} για τα έργα στην πόλη και στο λιμάνι</a></h4>"
        f"<p>{_PROSE}</p></li>"
        for n in range(10)
    )
    article = f"<article><h1>Νέα έργα</h1><p>{_PROSE}</p><p>{_PROSE}</p></article>"
    alone = paragraph_chars(load_html(_page(article).decode()))
    with_cards = paragraph_chars(load_html(_page(f"{article}<ul class='x'>{cards}</ul>").decode()))
    assert alone > 200
    assert with_cards == alone  # ten teaser cards add no "prose" that would make ours look small


# --- the generic path on markup no profile describes (issue 9) --------------------------------


def test_author_field_with_one_element_per_name_gives_one_author_each() -> None:
    # names in sibling elements with no text between them: the text alone would glue them
    body = _page(
        f"<h1>Νέα έργα στα λιμάνια</h1><ul class='post-authors'><li>Συντάκτες</li><li><a href='/u/1'>"
        f"Ελένη Μαρκάκη</a></li><li><a href='/u/2'>Κώστας Δήμου</a></li></ul><p>{_PROSE * 3}</p>"
    )
    assert extract_article(body, "https://news.example.org/a/20").authors == ["Ελένη Μαρκάκη", "Κώστας Δήμου"]
    one = _page(
        f"<h1>Νέα έργα στα λιμάνια</h1><div class='author'><span>Ελένη</span> <span>Μαρκάκη</span></div>"
        f"<p>{_PROSE * 3}</p>"
    )
    assert extract_article(one, "https://news.example.org/a/21").authors == ["Ελένη Μαρκάκη"]


def test_lede_and_section_in_greeklish_class_names_of_table_cells() -> None:
    body = _page(
        "<table><tr><td class='enotita'>Αυτοδιοίκηση</td></tr><tr><td><h1>Νέα έργα στα λιμάνια</h1></td></tr>"
        "<tr><td class='eisagogi'>Η περιφέρεια δίνει 12 εκατ. ευρώ για τα λιμάνια της δυτικής ακτής.</td></tr>"
        f"<tr><td>{_PROSE * 4}</td></tr></table>"
    )
    article = extract_article(body, "https://news.example.org/a/22")
    assert article.section == "Αυτοδιοίκηση"
    assert article.lede == "Η περιφέρεια δίνει 12 εκατ. ευρώ για τα λιμάνια της δυτικής ακτής."


def test_published_time_marked_entry_date_updated_keeps_its_minute() -> None:
    # hAtom themes mark the publication "entry-date updated"; metadata gives the instant in UTC,
    # which falls on the previous day: the page's own 00:05 on 30 March must come out
    body = _page(
        f"<article><h1>Νέα έργα στα λιμάνια</h1><div class='meta'><span class='post-date'><time "
        f"class='entry-date updated' datetime='2026-03-30T00:05:00+03:00'>30 Μαρτίου 2026</time></span></div>"
        f"<p>{_PROSE * 3}</p></article>",
        head='<meta property="article:published_time" content="2026-03-29T21:05:00+00:00">',
    )
    article = extract_article(body, "https://news.example.org/2026/03/30/limania/")
    assert article.published_at == "2026-03-30T00:05:00+03:00"


def test_live_blog_entries_keep_their_times() -> None:
    entries = "".join(
        f"<li class='update'><span class='stamp'><time>{hh}</time></span><div class='update-body'>"
        f"<p>Ενημέρωση {n}: {_PROSE}</p></div></li>"
        for n, hh in enumerate(("18:40", "18:05", "17:30"))
    )
    body = _page(
        f"<h1>Live: οι εξελίξεις στα λιμάνια</h1><div class='byline'><time>17:00</time></div><ol>{entries}</ol>"
    )
    paragraphs = extract_article(body, "https://news.example.org/live/1").text.split("\n\n")
    assert [p[:18] for p in paragraphs] == ["18:40 Ενημέρωση 0:", "18:05 Ενημέρωση 1:", "17:30 Ενημέρωση 2:"]


def test_bare_text_body_with_reader_comments_keeps_only_the_article() -> None:
    # more comment text than article text in one cell: cut at "Σχόλια", and known as boilerplate
    # so the trafilatura floor (which reads the whole cell) does not bring them back
    comments = "<br><br>".join(
        f"<b>αναγνώστης{n}</b><br>Σχόλιο αναγνώστη νούμερο {n}: τα ίδια ακούμε κάθε χρόνο για τα λιμάνια, "
        "και τα έργα δεν ξεκινούν ποτέ, όπως ξέρει όποιος ζει στη δυτική ακτή."
        for n in range(12)
    )
    body = _page(
        "<table><tr><td><h1>Νέα έργα στα λιμάνια</h1></td></tr><tr><td class='content'>"
        + "<br><br>".join(f"{_PROSE} Μέρος {n}." for n in range(4))
        + f"<br><br><b>Σχόλια</b><br><br>{comments}</td></tr></table>"
    )
    article = extract_article(body, "https://news.example.org/a/23")
    assert article.text.count("Η περιφέρεια ανακοίνωσε") == 4
    assert "Σχόλιο αναγνώστη" not in article.text


def test_gallery_the_metadata_lists_counts_and_related_cards_never() -> None:
    ld = json.dumps(
        {
            "@type": "NewsArticle",
            "headline": "Νέα έργα στα λιμάνια",
            "image": [f"https://news.example.org/media/port-{n}.jpg" for n in (1, 2)],
        }
    )
    body = _page(
        "<picture><source type='image/avif' srcset='/media/port-1.avif'><img src='/media/port-1.jpg'></picture>"
        f"<h1>Νέα έργα στα λιμάνια</h1><div class='story'><p>{_PROSE} Πρώτο.</p><p>{_PROSE} Δεύτερο.</p>"
        "<div class='more'><div class='card'><a href='/a/99'><img src='/media/other-story.jpg'></a>"
        "<h5><a href='/a/99'>Άλλη είδηση για τα λιμάνια</a></h5></div><div class='card'><a href='/a/98'>"
        "<img src='/media/third-story.jpg'></a><h5>Τρίτη είδηση για τα λιμάνια</h5></div></div></div>"
        "<div class='slides'><div class='slide'><img data-src='/media/port-2.jpg' src='data:image/gif;base64,R0'>"
        "</div></div>",
        head=f'<script type="application/ld+json">{ld}</script>',
    )
    article = extract_article(body, "https://news.example.org/a/24")
    assert [(i.url, i.position) for i in article.images] == [
        ("https://news.example.org/media/port-1.jpg", 0),
        ("https://news.example.org/media/port-2.jpg", 2),
    ]


def test_a_headline_slug_with_a_junk_word_is_still_the_article_picture() -> None:
    # "logo" is the Greek "λόγω" (owing to) in a transliterated headline, not a site logo
    body = _page(
        f"<h1>Νέα έργα στα λιμάνια</h1><p>{_PROSE * 2}</p>"
        "<figure><img src='/uploads/ta-limania-kleinoun-logo-kakokairias.jpg'></figure>"
        f"<p>{_PROSE * 2}</p><img src='/static/logo.png'>"
    )
    urls = [i.url for i in extract_article(body, "https://news.example.org/a/25").images]
    assert urls == ["https://news.example.org/uploads/ta-limania-kleinoun-logo-kakokairias.jpg"]


def test_utc_instant_keeps_its_minute_when_the_page_prints_only_the_local_day() -> None:
    # the metadata's 21:05Z is 00:05 on 30 March in the outlet's declared zone, the day the page
    # prints without a time: the instant stays, shown in that zone; elsewhere the printed day wins
    body = _page(
        "<article><h1>Νέα έργα στα λιμάνια</h1><span class='date'>30 Μαρτίου 2026</span>"
        f"<p>{_PROSE * 3}</p></article>",
        head='<meta property="article:published_time" content="2026-03-29T21:05:00+00:00">',
    )
    athens = Profile(name="regional-outlet", timezone="Europe/Athens")
    assert (
        extract_article(body, "https://news.example.org/a/26", athens).published_at
        == "2026-03-30T00:05:00+03:00"
    )
    assert extract_article(body, "https://news.example.org/a/26").published_at == "2026-03-30"


def test_a_share_dialog_preview_of_the_description_keeps_the_opening_paragraph() -> None:
    """A share widget repeats the meta description for its preview; the reader never sees it as
    a subtitle, so the article's own opening paragraph stays the first paragraph of the text."""
    opening = "Στο λιμάνι της Πάτρας έφτασαν χθες τα πρώτα πλοία της νέας γραμμής προς την Ιταλία."
    body = _page(
        f"<h1>Νέα γραμμή για την Ιταλία</h1><div class='util-bar-share'><p class='share-summary'>{opening}</p>"
        f"</div><div class='story'><p>{opening}</p><p>{_PROSE * 3}</p></div>",
        head=f'<meta name="description" content="{opening}">',
    )
    article = extract_article(body, "https://news.example.org/a/11")
    assert article.lede == opening
    assert article.text.startswith(opening)


def test_a_section_with_its_own_heading_after_a_share_label_stays_in_the_text() -> None:
    """'Share this' heads a small share box; the FAQ block after it opens with a heading of its
    own, so it is the article's next section, not part of the share box."""
    faq = "Η συχνή ερώτηση των αναγνωστών αφορά τα δρομολόγια του χειμώνα και τις τιμές των εισιτηρίων. "
    body = _page(
        f"<h1>Νέα γραμμή για την Ιταλία</h1><div class='col'><p>{_PROSE}</p><p>{_PROSE}</p><p>{_PROSE}</p>"
        "<div class='sharer'><span>Share this</span><a href='https://fb.example/x'></a></div>"
        f"<div class='extra'><h2>Συχνές ερωτήσεις</h2><p>{faq * 2}</p><p>{faq}</p></div></div>",
    )
    article = extract_article(body, "https://news.example.org/a/12")
    assert "Share this" not in article.text
    assert "δρομολόγια του χειμώνα" in article.text


def test_page_builder_widgets_hold_the_article_and_its_date() -> None:
    """Elementor (and HubSpot, CKEditor) call every block a widget: the date printed in the
    article's own widget is the article's, and beats the site header's "today" date."""
    body = _page(
        "<div class='top'><span class='today-date'>Δευτέρα 1 Δεκεμβρίου 2026</span></div>"
        "<div class='elementor-widget-wrap'><div class='elementor-widget elementor-widget-heading'>"
        "<h1>Νέα έργα στα λιμάνια</h1></div><div class='elementor-widget elementor-widget-post-info'>"
        "<div class='elementor-widget-container'><span class='elementor-post-info__item--type-date'>"
        "4 Μαρτίου 2025</span></div></div><div class='elementor-widget elementor-widget-text-editor'>"
        f"<div class='elementor-widget-container'><p>{_PROSE * 2}</p>"
        f"<p>Τα έργα χρηματοδοτούνται από το ταμείο ανάκαμψης. {_PROSE}</p></div></div></div>"
    )
    article = extract_article(body, "https://news.example.org/a/13")
    assert article.published_at == "2025-03-04"
    assert "Τα έργα χρηματοδοτούνται" in article.text


def test_a_boilerplate_phrase_inside_a_sentence_removes_nothing() -> None:
    """'More from' opens a related block only as a label; "<span>More from Cornell</span> on
    climate change:" goes on in lower case, and the list after it is the article's."""
    items = "".join(
        f"<li>Η οδηγία για {what} στους κήπους της πόλης εξηγεί πώς φροντίζουμε τα φυτά το καλοκαίρι.</li>"
        for what in ("το νερό", "το χώμα", "τους σπόρους", "το λίπασμα", "τη σκιά")
    )
    body = _page(
        f"<h1>Κήποι και κλίμα</h1><article><p>{_PROSE * 2}</p>"
        f"<p><span>More from Cornell</span> on climate change and gardening:</p><ul>{items}</ul></article>"
    )
    article = extract_article(body, "https://news.example.org/a/14")
    assert article.text.count("Η οδηγία για") == 5


def test_a_related_label_box_never_takes_the_paragraphs_after_it() -> None:
    """An inline 'RELATED READING:' link box sits between two paragraphs written as <div>s: the
    box goes, the paragraph after it stays."""
    after = "Όταν το κείμενο ολοκληρωθεί, γυρίστε στα θέματα της αίτησης και διαλέξτε αυτό που ταιριάζει. "
    body = _page(
        f"<h1>Η έκθεση της αίτησης</h1><div class='post'><div>{_PROSE * 2}</div>"
        "<blockquote><div><strong>RELATED READING: </strong><a href='/blog/faq'>Οι συχνές ερωτήσεις</a>"
        f"</div></blockquote><div>{after * 2}</div><div>{_PROSE}</div></div>"
    )
    article = extract_article(body, "https://news.example.org/a/15")
    assert "Οι συχνές ερωτήσεις" not in article.text
    assert "Όταν το κείμενο ολοκληρωθεί" in article.text


def test_a_related_heading_takes_its_links_and_not_the_short_lines_and_table_after_them() -> None:
    """A 'Related resources' heading and its links sit mid-article (a real marketing site); the
    article goes on with a short line and a data table. The links go, the rest stays: a line
    with no link after a run of links is the article again, not the related list."""
    links = "".join(
        f"<p><a href='/a/{n}'>Άλλο άρθρο {n} για τις τιμές των υπηρεσιών</a></p>" for n in range(3)
    )
    rows = "".join(f"<tr><td>{n}</td><td>Νομός {n}</td><td>{40 + n},50 €</td></tr>" for n in range(1, 9))
    body = _page(
        f"<h1>Τιμές υπηρεσιών ανά νομό</h1><article><p>{_PROSE * 2}</p><h3>Related resources</h3>{links}"
        "<p>Ο πλήρης πίνακας για όλους τους νομούς.</p>"
        f"<table><tr><th>Θέση</th><th>Νομός</th><th>Τιμή</th></tr>{rows}</table></article>"
    )
    article = extract_article(body, "https://news.example.org/a/17")
    assert "Άλλο άρθρο" not in article.text
    assert "Ο πλήρης πίνακας για όλους τους νομούς." in article.text
    assert "Νομός 8" in article.text


def test_a_glossary_table_with_a_long_definition_is_data_not_layout() -> None:
    """A glossary at the end of an article (a real developer blog) is a data table of terms and
    definitions; one definition of 350 characters made it a "layout" table, unwrapped into divs,
    and trafilatura then left its rows out of the text. A grid cell holding a whole column of
    text is still layout."""
    from lxml.html import fromstring

    from crawler.extraction.prune import unwrap_layout_tables

    def grid(long_cell: str) -> str:
        terms = [
            ("Λιμάνι", _PROSE[:120]),
            ("Προβλήτα", long_cell),
            ("Μαρίνα", _PROSE[:90]),
            ("Ράμπα", _PROSE[:60]),
        ]
        rows = "".join(f"<tr><td>{term}</td><td>{text}</td></tr>" for term, text in terms)
        return f"<div><table><tr><th>Όρος</th><th>Περιγραφή</th></tr>{rows}</table></div>"

    glossary, layout = fromstring(grid(_PROSE * 2)), fromstring(grid(_PROSE * 8))
    assert unwrap_layout_tables(glossary) == 0 and glossary.find(".//table") is not None
    assert unwrap_layout_tables(layout) == 1 and layout.find(".//table") is None


def test_greek_wordpress_related_posts_and_reply_form_leave_the_text() -> None:
    """The Greek strings of WordPress and Jetpack ("Σχετικές αναρτήσεις", "Αφήστε μια απάντηση")
    open the related list and the comment form of an outlet no profile describes."""
    related = "".join(
        f"<div><h4><a href='/p/{n}'>Άλλη ανάρτηση {n} για το λιμάνι</a></h4>"
        f"<p>Σύντομη περίληψη της ανάρτησης {n} με λίγες λέξεις για το έργο.</p></div>"
        for n in range(3)
    )
    body = _page(
        f"<h1>Νέα έργα στα λιμάνια</h1><div class='entry-content'><p>{_PROSE * 2}</p><p>{_PROSE}</p>"
        f"<h3>Σχετικές αναρτήσεις</h3>{related}"
        "<h3>Αφήστε μια απάντηση</h3><p>Η ηλ. διεύθυνσή σας δεν δημοσιεύεται. Τα υποχρεωτικά πεδία "
        "σημειώνονται με αστερίσκο και το σχόλιο εμφανίζεται μετά από έγκριση.</p></div>"
    )
    article = extract_article(body, "https://news.example.org/a/19")
    assert "Άλλη ανάρτηση" not in article.text and "Σχετικές αναρτήσεις" not in article.text
    assert "απάντηση" not in article.text and "δεν δημοσιεύεται" not in article.text
    assert article.text.count("Η περιφέρεια ανακοίνωσε") == 3


@pytest.mark.parametrize("heading", ["Πολυδιαβασμένα", "Μη χάσετε", "Most Viewed Articles", "Top stories"])
def test_most_read_and_dont_miss_boxes_in_the_article_column_leave_the_text(heading: str) -> None:
    """Most-read and don't-miss boxes sit inside the article column on news themes (a 2008
    Australian regional paper's "Most Viewed Articles"): heading and teasers go, the text stays."""
    teasers = "".join(
        f"<li><a href='/n/{n}'>Άλλη είδηση {n} για την πόλη</a> [Τοπικά]</li>" for n in range(5)
    )
    body = _page(
        f"<h1>Νέα έργα στα λιμάνια</h1><div class='story'><p>{_PROSE * 2}</p>"
        f"<div><h3>{heading}</h3><ul>{teasers}</ul></div><p>{_PROSE}</p></div>"
    )
    article = extract_article(body, "https://news.example.org/a/20")
    assert "Άλλη είδηση" not in article.text and heading not in article.text
    assert article.text.count("Η περιφέρεια ανακοίνωσε") == 3


def test_a_byline_box_gives_the_name_without_its_date_and_its_portrait_is_no_article_image() -> None:
    """A byline box with the writer's portrait and the date after the name (a common Greek news
    theme): the portrait is no picture of the article and the date is no part of the name."""
    body = _page(
        "<article><h1>Νέα έργα στα λιμάνια της δυτικής ακτής</h1>"
        "<div class='byline'><a href='/author/g'><img src='/img/g-portrait.jpg'></a> Γιώργος Αλεξίου | 04/03/2025 18:05</div>"
        f"<p>{_PROSE * 2}</p><figure><img src='/img/limani.jpg' alt='Λιμάνι'></figure><p>{_PROSE * 2}</p></article>"
    )
    article = extract_article(body, "https://news.example.org/a/20")
    assert [img.url.rsplit("/", 1)[-1] for img in article.images] == ["limani.jpg"]
    assert article.authors == ["Γιώργος Αλεξίου"]


def test_a_breadcrumb_ending_at_the_news_home_gives_no_section() -> None:
    """ "Ειδήσεις" (News) in a breadcrumb is the site's news home, like "Αρχική": no section."""
    crumbs = "<div class='breadcrumb'><a href='/'>Αρχική</a> » <a href='/news'>Ειδήσεις</a>{more}</div>"
    page = "<article><h1>Νέα έργα στα λιμάνια</h1><p>" + _PROSE * 3 + "</p></article>"
    assert extract_article(_page(crumbs.format(more="") + page), "https://x.example.org/a/1").section is None
    deeper = crumbs.format(more=" » <a href='/t'>Τοπικά</a>") + page
    assert extract_article(_page(deeper), "https://x.example.org/a/1").section == "Τοπικά"


def test_a_code_line_naming_comments_does_not_end_the_article() -> None:
    """'comments(' in a code sample is no "Comments (12)" label: the text goes on after it."""
    code = "type Post {\n  title: String!\n  comments(\n    first: Int\n  ): CommentConnection\n}"
    body = _page(
        f"<h1>Σχεδιασμός σχήματος GraphQL</h1><article><p>{_PROSE * 2}</p><pre><code>{code}</code></pre>"
        "<p>Μετά το σχήμα ορίζουμε τους resolvers, που διαβάζουν τη βάση με δρομείς αντί για σελίδες, "
        "ώστε η λίστα να μένει σταθερή όταν προστίθενται νέα σχόλια.</p></article>"
    )
    article = extract_article(body, "https://news.example.org/a/16")
    assert "ορίζουμε τους resolvers" in article.text


def test_a_loose_boilerplate_heading_over_prose_stays_and_over_links_goes() -> None:
    """'Recommended courses:' is 'Recommended' plus a word: over the article's own paragraphs it
    is a heading of the article; 'Δημοφιλή άρθρα' over a list of links is a popular-posts box."""
    review = "Το μάθημα διδάσκει τυπογραφία και χρώμα με ασκήσεις που διορθώνουν έμπειροι δάσκαλοι. "
    links = "".join(f"<li><a href='/a/{n}'>Άλλο άρθρο {n} της ημέρας</a></li>" for n in range(5))
    body = _page(
        f"<h1>Τα καλύτερα μαθήματα σχεδίου</h1><article><p>{_PROSE * 2}</p>"
        f"<h5><strong>Recommended courses:</strong></h5><div class='box'><h3><a href='https://school.example/c'>"
        f"Εντατικό μάθημα</a></h3><p>{review * 3}</p></div>"
        f"<h4>Δημοφιλή άρθρα</h4><ul>{links}</ul></article>"
    )
    article = extract_article(body, "https://news.example.org/a/17")
    assert "διδάσκει τυπογραφία" in article.text
    assert "Άλλο άρθρο" not in article.text


def test_the_floor_wins_when_it_holds_our_text_and_whole_blocks_more() -> None:
    """Trafilatura's fast run can leave a comparison table out; the floor then holds every one of
    our paragraphs and the table besides, and is taken; a floor missing our text is not."""
    from crawler.extraction.floor import extends

    ours = [f"Παράγραφος {n}: {_PROSE}" for n in range(4)]
    table = [
        f"| Υπηρεσία {n} | Τιμή {n} ευρώ το μήνα | Χώρος {n} TB για κάθε ομάδα χρηστών |" for n in range(30)
    ]
    assert extends(ours, ours[:2] + table + ours[2:])
    assert not extends(ours, ours[:2] + table)  # half of ours is missing: another text
    assert not extends(ours, ours + table[:3])  # barely more: ours stands


def test_a_comparison_table_with_paragraphs_in_its_cells_stays_a_table() -> None:
    """An editor's data table (rows of the same cells, each cell's text in a <p>) is data, not page
    layout: its rows reach the text, as plain trafilatura gives them."""
    rows = "".join(
        f"<tr><td><p>Περιφέρεια {name}</p></td><td><p>{n * 7} έργα</p></td><td><p>{n * 3} εκατ. ευρώ</p></td></tr>"
        for n, name in enumerate(("Αττικής", "Κρήτης", "Ηπείρου", "Θεσσαλίας", "Δυτικής Ελλάδας"), 1)
    )
    body = _page(
        f"<h1>Τα έργα ανά περιφέρεια</h1><article><p>{_PROSE * 2}</p><table>{rows}</table>"
        f"<p>Τα στοιχεία δόθηκαν από το υπουργείο. {_PROSE}</p></article>"
    )
    article = extract_article(body, "https://news.example.org/a/18")
    assert "Περιφέρεια Θεσσαλίας" in article.text and "12 εκατ. ευρώ" in article.text
    line = next(line for line in article.text.splitlines() if "Περιφέρεια Θεσσαλίας" in line)
    assert "28 έργα" in line  # one row per line: the table's cells were read as a table


def test_a_folded_details_block_inside_the_article_is_read() -> None:
    """Trafilatura's fast run leaves a <details> list between the article's paragraphs out; the
    sentences missing between kept ones call the full cascade, held to that stretch of the page."""
    items = "".join(
        f"<li>Έργο {n}: η αναβάθμιση της προβλήτας {n} περιλαμβάνει νέα κρηπιδώματα, φωτισμό και "
        "χώρους αναμονής για τους επιβάτες των πλοίων.</li>"
        for n in range(1, 7)
    )
    body = _page(
        f"<h1>Νέα έργα στα λιμάνια</h1><article><p>{_PROSE * 2}</p><details class='expandable'>"
        f"<summary>Τα έργα</summary><ul>{items}</ul></details><p>{_PROSE}</p>"
        f"<p>Το κόστος καλύπτεται από το ταμείο ανάκαμψης. {_PROSE}</p></article>"
    )
    article = extract_article(body, "https://news.example.org/a/19")
    assert "η αναβάθμιση της προβλήτας 3" in article.text
    assert "Το κόστος καλύπτεται" in article.text


def test_a_data_table_with_a_section_row_spanning_it_stays_a_table() -> None:
    """A row spanning the table ("Νησιά" over its columns) is the table's own section label: the
    table keeps its rows of the same columns and is read as data, not unwrapped as page layout."""

    def rows(names: tuple[str, ...], start: int) -> str:
        return "".join(
            f"<tr><td><p>Λιμάνι {name}</p></td><td><p>{n * 7} έργα</p></td><td><p>{n * 3} εκατ. ευρώ</p></td></tr>"
            for n, name in enumerate(names, start)
        )

    table = (
        "<table><tr><th>Λιμάνι</th><th>Έργα</th><th>Κόστος</th></tr>"
        f"<tr><td colspan='3'><p>Ηπειρωτική χώρα</p></td></tr>{rows(('Πάτρας', 'Βόλου', 'Καβάλας'), 1)}"
        f"<tr><td colspan='3'><p>Νησιά</p></td></tr>{rows(('Ηρακλείου', 'Χίου', 'Ρόδου'), 4)}</table>"
    )
    body = _page(
        f"<h1>Τα έργα ανά λιμάνι</h1><article><p>{_PROSE * 2}</p>{table}"
        f"<p>Τα στοιχεία δόθηκαν από το υπουργείο. {_PROSE}</p></article>"
    )
    article = extract_article(body, "https://news.example.org/a/20")
    line = next(line for line in article.text.splitlines() if "Λιμάνι Χίου" in line)
    assert "35 έργα" in line and "15 εκατ. ευρώ" in line


def test_when_each_trafilatura_run_leaves_out_a_block_the_other_holds_both_are_merged_in_order() -> None:
    """The fast run keeps a table but leaves a list out; the full cascade reads the list but drops
    the table: the text holds both, each once, where the page prints them. (The two runs' lines are
    written out here: no small page makes trafilatura's two runs disagree so; the page is real.)"""
    from lxml.html import fromstring

    from crawler.extraction import body as body_mod

    items = [
        f"Έργο {n}: η αναβάθμιση της προβλήτας {n} περιλαμβάνει νέα κρηπιδώματα, φωτισμό και χώρους "
        "αναμονής για τους επιβάτες των πλοίων."
        for n in range(1, 7)
    ]
    first, last = f"Πρώτη. {_PROSE}", f"Τελευταία. {_PROSE}"
    ports = ("Πάτρα", "Βόλος", "Καβάλα", "Ηράκλειο", "Χίος", "Ρόδος", "Κέρκυρα", "Σύρος")
    cells = [(port, f"{n * 7} έργα", f"{n * 3} εκατ. ευρώ") for n, port in enumerate(ports, 1)]
    rows = [f"| {a} | {b} | {c} |" for a, b, c in cells]
    table = "".join(f"<tr><td>{a}</td><td>{b}</td><td>{c}</td></tr>" for a, b, c in cells)
    html = _page(
        f"<article><p>{first}</p><ul>{''.join(f'<li>{i}</li>' for i in items)}</ul>"
        f"<table>{table}</table><p>{last}</p></article>"
    )
    fast_run, full = [first, *rows, last], [first, *items, last]
    span = body_mod.article_span(fromstring(html.decode()), fast_run)
    assert span is not None and span.filled_by(full)  # the list's sentences are the holes
    assert span.merge(fast_run, full) == [first, *items, *rows, last]


def test_a_nav_that_swallowed_the_article_is_layout_and_its_text_is_kept() -> None:
    """An unclosed <nav> in the header runs to the end of the page once parsed, so the whole
    article sits inside it (seen on a real Astro site): the text is the article's, not an error,
    while the short menus and footer around it still go."""
    paragraphs = [f"Παράγραφος {n}. {_PROSE}" for n in range(1, 7)]
    html = _page(
        "<h1>Νέα έργα στα λιμάνια της δυτικής ακτής</h1>"
        "<header><nav class='menu'><a href='/'>Αρχική</a> <a href='/p'>Πολιτική</a></nav>"
        "<nav class='site'><ul><li><a href='/a'>Οικονομία</a></li></ul>"
        f"<div class='content'>{''.join(f'<p>{p}</p>' for p in paragraphs)}</div></nav></header>"
        "<footer><p>Όροι χρήσης του ιστότοπου και πολιτική απορρήτου για όλους τους αναγνώστες μας.</p></footer>"
    )
    article = extract_article(html, "https://news.example.org/limania/1")
    assert article.title == "Νέα έργα στα λιμάνια της δυτικής ακτής"
    assert [p.split(".")[0] for p in article.text.split("\n\n")] == [p.split(".")[0] for p in paragraphs]
    assert "Όροι χρήσης" not in article.text


def test_an_article_swallowed_by_an_unclosed_menu_item_is_still_the_text() -> None:
    """A mega-menu item left open (a real WordPress theme) holds the rest of the page once parsed:
    the article sits inside a ``<li>`` with links. Prose inside a link list is normally teasers,
    but an item holding a whole page is layout; the page gave no text at all before."""
    paragraphs = [f"Παράγραφος {n}. {_PROSE}" for n in range(1, 21)]
    html = _page(
        "<header><nav class='main-navigation'><ul><li class='menu-item'><a href='/a'>Οδηγοί</a>"
        "<div class='menu-dropdown'><ul><li><a href='/b'>Εργαλεία</a></li></ul>"
        f"<div class='site-content'>{''.join(f'<p>{p}</p>' for p in paragraphs)}</div>",
        head="<meta property='og:title' content='Νέα έργα στα λιμάνια της δυτικής ακτής'>",
    )
    article = extract_article(html, "https://news.example.org/limania/3")
    assert [p.split(".")[0] for p in article.text.split("\n\n")] == [p.split(".")[0] for p in paragraphs]


def test_an_article_body_trafilatura_drops_as_an_ad_is_not_flattened_with_the_menus() -> None:
    """A body wrapper whose class reads like an ad slot ("body-ad-wrapper", a real Drupal theme)
    is dropped by trafilatura's fast path, which then falls back to the whole <article> as one
    line: menus and article run together. The full cascade finds the paragraphs."""
    paragraphs = [f"Παράγραφος {n}. {_PROSE}" for n in range(1, 13)]
    menu = "".join(
        f"<div class='item'><a href='/s/{n}'>Ενότητα {n} με νέα της πόλης</a></div>" for n in range(30)
    )
    html = _page(
        f"<article><h1>Νέα έργα στα λιμάνια της δυτικής ακτής</h1><div class='promo'>{menu}</div>"
        f"<div class='body-ad-wrapper'>{''.join(f'<p>{p}</p>' for p in paragraphs)}</div>"
        f"<div class='more'>{menu}</div></article>"
    )
    article = extract_article(html, "https://news.example.org/limania/4")
    assert [p.split(".")[0] for p in article.text.split("\n\n")] == [p.split(".")[0] for p in paragraphs]
    assert "Ενότητα" not in article.text


@pytest.mark.parametrize("label", ["Related Articles", "You May Also Like"])
def test_a_related_box_heading_left_alone_in_the_body_is_not_text(label: str) -> None:
    """A promo box of links in the middle of the body (a real Drupal site's markup) loses its
    teasers but its heading stayed in the text as a line of its own; the article after it stays."""
    before = [f"Πρώτο μέρος {n}. {_PROSE}" for n in range(1, 4)]
    after = [f"Δεύτερο μέρος {n}. {_PROSE}" for n in range(1, 4)]
    box = (
        f"<div class='article_promo'><header class='article_promo--header'><h3>{label}</h3></header>"
        "<div class='article_promo--container'>"
        "<a class='article_promo--item' href='/a/1'><span>Άλλο άρθρο για τα λιμάνια</span></a>"
        "<a class='article_promo--item' href='/a/2'><span>Ένα ακόμη άρθρο για τα λιμάνια</span></a>"
        "</div></div>"
    )
    html = _page(
        "<article><h1>Νέα έργα στα λιμάνια της δυτικής ακτής</h1>"
        + "".join(f"<p>{p}</p>" for p in before)
        + box
        + "".join(f"<p>{p}</p>" for p in after)
        + "</article>"
    )
    article = extract_article(html, "https://news.example.org/limania/2")
    assert label not in article.text
    assert [p.split(".")[0] for p in article.text.split("\n\n")] == [p.split(".")[0] for p in before + after]


def test_an_opening_left_loose_after_a_photo_table_stays_in_the_text() -> None:
    """An old CMS sets the article's first paragraph as bare text after its photo table, the rest
    in <p>s (a real 2007 wire page): the opening is the article's, not lost between blocks. A run
    of teaser links with their dates in the same cell is no paragraph and stays out."""
    opening = "Η κυβέρνηση του νέου πρωθυπουργού κέρδισε την ψήφο εμπιστοσύνης στη Βουλή το Σάββατο."
    teasers = "".join(
        f"<a href='/a/{n}'>Άλλη είδηση {n} της ημέρας</a><span> (24 Νοεμβρίου 2007 | Πολιτική και Κυβέρνηση)</span><br>"
        for n in range(4)
    )
    body = _page(
        "<table><tr><td width='150'><a href='/'>Αρχική</a></td><td>"
        "<h1>Ψήφος εμπιστοσύνης στη νέα κυβέρνηση</h1><span class='body'><p></p>"
        "<table class='photo' align='left'><tr><td><img src='/img/pm.jpg'></td></tr>"
        "<tr><td class='caption'>Ο πρωθυπουργός στη Βουλή</td></tr></table>"
        f"{opening}<p>{_PROSE}</p><p>{_PROSE * 2}</p><hr>{teasers}</span></td></tr></table>"
    )
    article = extract_article(body, "https://news.example.org/a/18")
    assert article.text.startswith(opening)
    assert "Άλλη είδηση" not in article.text
    # a <span> wrapping whole paragraphs is no loose text: its paragraphs stay apart
    paragraphs = [f"{_PROSE}Μέρος {n}." for n in range(5)]
    body = _page(
        f"<h1>Τα λιμάνια</h1><div><p>{paragraphs[0]}</p><span>"
        f"{''.join(f'<p>{p}</p>' for p in paragraphs[1:4])}</span><p>{paragraphs[4]}</p></div>"
    )
    assert extract_article(body, "https://news.example.org/a/24").text.split("\n\n") == paragraphs


def test_a_widget_list_of_short_link_lines_never_stands_for_the_article() -> None:
    """A short blog post written as bare <div>s and photos, beside a sidebar widget of forty
    dated links written as <p>s ("Οκτωβρίου 1: Αθήνα, Σύνταγμα"; a real 2012 Squarespace page):
    trafilatura's fast run took the list for the article. The post is the text; the list is not."""
    paragraphs = [
        _PROSE.strip(),
        "Οι κάτοικοι ζητούν εδώ και χρόνια καλύτερη σύνδεση με τα νησιά και περισσότερα δρομολόγια.",
        "Το δημοτικό συμβούλιο θα συζητήσει το σχέδιο την επόμενη εβδομάδα.",
    ]
    post = "<div></div>".join(f"<div>{p}</div>" for p in paragraphs)
    photos = "".join(
        f"<p><span class='full-image-block'><span><img src='/storage/{n}.jpg' alt=''></span></span></p>"
        for n in range(6)
    )
    dates = "".join(f"<p><a href='/tour/{n}'>Οκτωβρίου {n}: Αθήνα, Σύνταγμα</a></p>" for n in range(1, 41))
    body = _page(
        "<div id='canvas'><div id='content'><div class='journal-entry-wrapper post-text'>"
        "<div class='journal-entry'><div class='journal-entry-text'><h2 class='title'>"
        f"<a href='/blog/limania'>Το πρόγραμμα για τα λιμάνια</a></h2><div class='body'>{post}{photos}"
        "</div></div></div></div></div><div id='sidebar'><div class='section'><div class='caption'>"
        "Πρόγραμμα</div><div class='content-passthrough'><div class='widget-wrapper'>"
        f"<p><strong>ΠΕΡΙΟΔΕΙΑ 2012</strong></p>{dates}</div></div></div></div></div>"
    )
    article = extract_article(body, "https://news.example.org/a/19")
    assert "Οκτωβρίου" not in article.text
    assert all(p in article.text for p in paragraphs)


def test_a_whole_page_dump_of_short_lines_gives_way_to_the_floors_article() -> None:
    """When both trafilatura runs on the pruned page fall back to the whole page (a real 2008
    finance portal: 1,950 lines of tickers and menus once its layout tables were unwrapped),
    plain trafilatura's article wins; a text of short lines that is no bigger than the floor's
    (a list-shaped article, a recipe) keeps its place."""
    from crawler.extraction.floor import replaces_dump

    article = [_PROSE + f"Παράγραφος {n}." for n in range(5)]
    dump = [f"Μετοχή {n} | {n},5" for n in range(300)] + article
    assert replaces_dump(dump, article)
    recipe = [f"{n} κουταλιές αλεύρι" for n in range(30)]
    assert not replaces_dump(recipe, article)
    assert not replaces_dump(dump, recipe)


def test_a_rights_notice_closing_the_article_column_ends_the_text() -> None:
    """A site's rights notice and the links after it inside the article column (a 2008 TV
    station page: "Content © Copyright 2000 - 2008 ... All Rights Reserved."): the footer leaves
    the text; a last paragraph of the article that discusses copyright stays."""
    last = (
        "Η νέα οδηγία για τα πνευματικά δικαιώματα (copyright) των δημοσιογράφων συζητήθηκε "
        "χθες στη Βουλή και ψηφίζεται την επόμενη εβδομάδα, με τις αντιδράσεις των εκδοτών να "
        "εντείνονται, καθώς ζητούν μεγαλύτερη μεταβατική περίοδο για την εφαρμογή της, που κατά "
        "την άποψή τους θα κοστίσει στις περιφερειακές εφημερίδες, ιδίως από το 2026."
    )
    body = _page(
        f"<h1>Νέα έργα στα λιμάνια</h1><div class='story'><p>{_PROSE * 2}</p><p>{last}</p>"
        "<p>© 2008 Ο Τύπος της Πάτρας. Με την επιφύλαξη παντός δικαιώματος.</p>"
        "<p>Όροι χρήσης | Πολιτική απορρήτου</p><p>Σελίδα 1 από 1</p><p>Μορφές: RSS, Atom, Email</p>"
        "<p>Το πλήρες άρθρο έχει 259 λέξεις.</p><p>Διαφήμιση</p></div>"
    )
    article = extract_article(body, "https://news.example.org/a/21")
    assert article.text.endswith(last)
    assert "επιφύλαξη" not in article.text and "Όροι χρήσης" not in article.text
    assert "Σελίδα 1 από 1" not in article.text
    # a page read whole: the notice sits mid-text, a related list of short lines after it
    paragraphs = "".join(f"<p>{_PROSE}Μέρος {n}.</p>" for n in range(14))
    related = "".join(f"<p>Άλλη είδηση {n} της ημέρας</p><p>πριν από 15 ώρες</p>" for n in range(5))
    body = _page(
        f"<h1>Νέα έργα στα λιμάνια</h1><div class='story'>{paragraphs}"
        f"<p>© Ο Τύπος της Πάτρας</p><p>Στείλτε το σε φίλο</p>{related}</div>"
    )
    article = extract_article(body, "https://news.example.org/a/22")
    assert article.text.endswith("Μέρος 13.") and "Άλλη είδηση" not in article.text
    # prose that names rights, and a photo credit, are no notice: the short wire paragraphs after
    # them all stay (the credit itself is the picture's line, furniture since the credit rule)
    tail = [
        "Ο υπουργός είπε ότι θα προστατευθούν όλα τα δικαιώματα των εργαζομένων.",
        "Φωτογραφία: © Reuters / Γιάννης Παπαδόπουλος",
        "Η μπάντα προσέφυγε για παραβίαση copyright το 2019.",
        "Η απόφαση αναμένεται την Πέμπτη.",
    ]
    body = _page(
        f"<h1>Νέα έργα στα λιμάνια</h1><div class='story'><p>{_PROSE * 2}</p>"
        f"{''.join(f'<p>{line}</p>' for line in tail)}</div>"
    )
    article = extract_article(body, "https://news.example.org/a/23")
    assert all(line in article.text for line in tail if not line.startswith("Φωτογραφία"))


def test_div_paragraphs_of_a_br_page_survive_the_paragraphs_made_of_its_br_runs() -> None:
    """A blog post written by a rich-text editor (a real 2012 Blogger page): its opening is bare
    text between ``<br><br>``, the rest one ``<div>`` per paragraph. trafilatura reads ``<div>``
    text only while the page has little ``<p>`` text; the paragraphs made of the ``<br>`` runs
    must not cost the post its ``<div>`` paragraphs."""
    opening = "<br><br>".join(f"{_PROSE}Εισαγωγή {n}." for n in range(6))
    rest = "".join(f"<div>{_PROSE}Συνέχεια {n}.</div><div><br></div>" for n in range(8))
    body = _page(
        "<div class='blog'><h3 class='post-title'>Νέα έργα στα λιμάνια</h3>"
        f"<div class='post-body entry-content'><div>{opening}</div>{rest}</div>"
        "<div class='post-footer'>Αναρτήθηκε από τον Γιώργο</div></div>"
        "<div class='sidebar'><h2>Σχετικά με εμένα</h2><div class='widget-content'>"
        "<a href='/p/1'>Προφίλ</a> Γράφω για τα λιμάνια και τις πόλεις της δυτικής ακτής από το 2008."
        "<p>Πατρινός, δημοσιογράφος.</p></div></div>"
    )
    article = extract_article(body, "https://blog.example.org/2012/09/post.html")
    assert all(f"Εισαγωγή {n}." in article.text for n in range(6))
    assert all(f"Συνέχεια {n}." in article.text for n in range(8))


def test_a_run_of_link_lines_opening_or_closing_the_text_is_another_pages_list() -> None:
    """A layout column of other stories read with the article (a real 2008 betting-news page
    gave trafilatura its "Recent news" links before the text) and "most viewed" links after it
    ("Headline [Section]"): both leave the text. Links inside the article (its sources) stay,
    and so does a lone linked line."""
    from lxml.html import fromstring

    from crawler.extraction.body import drop_link_runs, link_keys

    column = [f"Άλλη είδηση της ημέρας αριθμός {n}" for n in range(6)]
    sources = [f"Έγγραφο της περιφέρειας {n}" for n in range(3)]
    viewed = [f"Δημοφιλές θέμα {n}" for n in range(4)]
    links = "".join(f"<a href='/{n}'>{t}</a>" for n, t in enumerate(column + sources + viewed))
    known = link_keys(fromstring(f"<html><body>{links}<a href='/x'>Η πηγή</a></body></html>"))
    text = [*column, _PROSE, *sources, _PROSE + "Τέλος.", *(f"{t} [Πάτρα]" for t in viewed)]
    assert drop_link_runs(text, known) == [_PROSE, *sources, _PROSE + "Τέλος."]
    lone = ["Η πηγή", _PROSE, _PROSE + "Τέλος.", "Η πηγή"]
    assert drop_link_runs(lone, known) == lone


def test_div_paragraphs_beside_an_opening_left_loose_stay_in_the_text() -> None:
    """A 2010 blog post (a real magazine's blog): the opening lies loose in the post's container,
    the next paragraph is a ``<div>``, the last a ``<p>``. Once the opening is a paragraph of its
    own, the ``<div>`` beside it must not be dropped."""
    body = _page(
        "<div id='post'><h2>Νέα έργα στα λιμάνια</h2><div class='date'><span>Του Γιώργου, 31 Ιουλίου 2010</span></div>"
        f"{_PROSE}Δείτε την <a href='/x'>ανακοίνωση</a> της περιφέρειας.<p></p>"
        f"<div>{_PROSE}Δεύτερη παράγραφος.</div> <p>Τέλος της ανάρτησης.</p></div>"
        "<div class='sidebar'><p>Το περιοδικό κυκλοφορεί κάθε μήνα. <a href='/about'>Μάθετε περισσότερα</a></p></div>"
    )
    article = extract_article(body, "https://blog.example.org/2010/07/3.html")
    assert "Δεύτερη παράγραφος." in article.text
    assert "Δείτε την ανακοίνωση της περιφέρειας." in article.text


def test_a_comments_menu_item_above_the_page_text_does_not_end_it() -> None:
    """A link aggregator's table layout (one real one shows "new | past | comments | ask" over
    its list): the menu row comes out as one line per link, and "comments" among them is no
    comments label closing an article; cutting there left the page with no text at all."""
    menu = " | ".join(f"<a href='/{w}'>{w}</a>" for w in ("past", "comments", "ask", "show", "jobs"))
    rows = "".join(
        f"<tr class='athing'><td class='title'><span class='rank'>{n}.</span></td><td class='title'>"
        f"<span class='titleline'><a href='https://example.net/{n}'>Η ιστορία {n} για τα λιμάνια</a></span></td></tr>"
        f"<tr><td colspan='2'></td><td class='subtext'>{n + 2} πόντοι από <a href='/user?id={n}'>χρήστη{n}</a> "
        f"<a href='/item?id={n}'>πριν {n} λεπτά</a> | <a href='/hide?id={n}'>hide</a> | "
        f"<a href='/past?id={n}'>past</a> | <a href='/item?id={n}'>discuss</a></td></tr>"
        for n in range(1, 31)
    )
    body = _page(
        "<center><table id='main'><tr><td><table><tr><td style='line-height:12pt'><span class='pagetop'>"
        f"<b class='name'><a href='/'>Νέα Λιμάνια</a></b><span class='topsel'><a href='/newest'>new</a></span> | {menu}"
        f"</span></td></tr></table></td></tr><tr id='bigbox'><td><table>{rows}</table></td></tr></table></center>"
    )
    article = extract_article(body, "https://links.example.org/newest")
    assert article.text.count("Η ιστορία") == 30


def test_a_drupal_article_header_inside_the_layouts_sidebar_grid_gives_the_date_and_lead_image() -> None:
    """Drupal's Olivero theme wraps <main> and the sidebar beside it in "sidebar-grid", and prints
    the article's date in the node's own <header>: neither is the site's chrome. Read as chrome,
    the page kept only a bare day and lost its image field."""
    teasers = "".join(
        f"<li><time datetime='2024-10-10T0{n}:1{n}:00Z'>1{n}:1{n}</time> <a href='/n/{n}'>Άλλη είδηση {n}</a></li>"
        for n in range(4)
    )
    body = _page(
        "<header class='site-header'><nav><a href='/'>Αρχική</a></nav></header>"
        "<div class='sidebar-grid grid-full'><main class='site-main'><h1 class='title page-title'>"
        "<span>Νέα έργα στο λιμάνι των Χανίων</span></h1><article class='node node--type-article'>"
        "<header><div class='node__meta'><span>Submitted by <span>Ελένη</span> on <span class='field--name-created'>"
        "<time datetime='2024-10-10T10:20:44Z' class='datetime'>Πέμ, 10/10/2024 - 13:20</time></span></span></div></header>"
        "<div class='node__content'><div class='field field--name-field-image'><img src='/files/styles/wide/limani.jpg'"
        " alt='Το λιμάνι' width='1200' height='800'></div>"
        f"<div class='field field--name-body'><p>{_PROSE * 2}</p><p>{_PROSE}Τέλος.</p></div></div></article></main>"
        f"<aside class='region--sidebar'><h2>Ροή Ειδήσεων</h2><ul>{teasers}</ul></aside></div>"
    )
    article = extract_article(body, "https://www.chania.example.gr/eidiseis/limani")
    assert str(article.published_at).startswith("2024-10-10T10:20")
    assert [img.url for img in article.images] == [
        "https://www.chania.example.gr/files/styles/wide/limani.jpg"
    ]


def test_share_buttons_and_icons_declared_small_are_no_article_images() -> None:
    """A legacy layout's mail icon (16x16) and share buttons (60x20) sit in the body cell beside
    the photo: only the photo is the article's."""
    body = _page(
        "<table><tr><td class='main'><h1>Νέα έργα στο λιμάνι</h1><img src='/photos/gefyra.jpg' width='400' height='300'>"
        f"<br><br>{_PROSE * 2}<br><br>{_PROSE}Τέλος.<br><br><a href='mailto:?x'><img src='/images/mail.gif' width='16' height='16'></a>"
        "<a href='https://www.facebook.com/sharer.php?u=x'><img src='/images/fb_share.gif' alt='Share' width='60' height='20'></a>"
        "<a href='https://twitter.com/share?u=x'><img src='/images/tweet_button.gif' width='120' height='20'></a>"
        "<br><br><img src='/photos/ph.gif' data-src='/photos/limani.jpg' width='40' height='40'><br><br>"
        f"{_PROSE}Και ο λιμένας.</td></tr></table>"
    )
    article = extract_article(body, "https://www.evia.example.gr/article.php?id=5")
    assert [img.url for img in article.images] == [
        "https://www.evia.example.gr/photos/gefyra.jpg",
        "https://www.evia.example.gr/photos/limani.jpg",  # a lazy placeholder's size is not the picture's
    ]


def test_a_read_also_card_made_one_link_leaves_no_thumbnail_in_the_images() -> None:
    """A "Διαβάστε επίσης" card inside the body is one <a> holding a thumbnail and the label box:
    pruning cuts the label box, and the thumbnail left alone in the link goes with it."""
    body = _page(
        "<main><article><h1>Παραδόθηκε η ανάπλαση της παραλίας</h1>"
        "<figure><img src='https://cdn.example.gr/media/paralia-lead.jpg' width='1200' height='800'></figure>"
        f"<div class='prose'><p>{_PROSE * 2}</p>"
        "<a href='https://www.example.gr/thessaloniki/pylaia-a218703' class='not-prose flex'>"
        "<img src='https://cdn.example.gr/media/pylaia-thumb.jpg?w=160&amp;h=100' alt='' width='120' height='75'>"
        "<div><div class='text-xs'>Διαβάστε επίσης</div><div class='font-semibold'>Πυλαία: Σε δημοπράτηση η επέκταση"
        " του δικτύου ποδηλατοδρόμων</div></div></a>"
        f"<p>{_PROSE}Τέλος.</p></div></article></main>",
        head="<meta property='og:image' content='https://cdn.example.gr/media/paralia-lead.jpg'>",
    )
    article = extract_article(body, "https://www.example.gr/thessaloniki/kalamaria-a218734")
    assert [img.url for img in article.images] == ["https://cdn.example.gr/media/paralia-lead.jpg"]
    assert "Τέλος." in article.text


def test_a_comments_label_after_short_lines_of_text_still_ends_it() -> None:
    """A bulletin of short lines, then "Σχόλια (3)" and the readers' comments in the same
    container: the lines before the label are text enough for it to end the article."""
    lines = "<br><br>".join(
        f"Δελτίο {n}: κλειστός ο δρόμος προς το λιμάνι έως το απόγευμα." for n in range(12)
    )
    body = _page(
        f"<h1>Δελτίο κυκλοφορίας</h1><div class='content'>{lines}<br><br>Σχόλια (3)<br><br>"
        "Ο αναγνώστης Νίκος γράφει ότι ο δρόμος ήταν ανοιχτός όλη τη μέρα και κανείς δεν ενημέρωσε.<br><br>"
        "Η αναγνώστρια Μαρία απαντά ότι η ανακοίνωση βγήκε αργά το βράδυ της προηγούμενης μέρας.</div>"
    )
    article = extract_article(body, "https://news.example.gr/a/77")
    assert "Δελτίο 11" in article.text
    assert "Ο αναγνώστης Νίκος" not in article.text


def test_a_teaser_cards_header_above_the_article_gives_no_author() -> None:
    """A "top stories" strip of <article> cards, each with its own <header> byline, above the
    article: a short card's header is another page's, not the article's own header."""
    cards = "".join(
        f"<article class='card'><header><span class='author'>Του Γιάννη Καρτά{n}</span></header>"
        f"<h3><a href='/c{n}'>Άλλο θέμα της ημέρας {n}</a></h3></article>"
        for n in range(3)
    )
    body = _page(
        f"<div class='top-stories'>{cards}</div><main><article><h1>Νέα έργα στα λιμάνια</h1>"
        f"<span class='author'>Της Ελένης Γεωργίου</span><p>{_PROSE * 3}</p><p>{_PROSE}</p></article></main>"
    )
    article = extract_article(body, "https://news.example.gr/a/78")
    assert article.authors == ["Ελένης Γεωργίου"]


def test_a_live_blogs_update_keeps_its_picture_though_its_feed_is_called_a_feed() -> None:
    """A live blog's updates sit in "liveblog-feed", which holds the article's own text: a
    picture in an update is the article's, whatever the container's class says."""
    updates = "".join(
        f"<div class='lb-entry'><p><strong>1{n}:05</strong> {_PROSE}Ενημέρωση {n}.</p>"
        + (
            "<div class='lb-media'><img src='/img/blank.gif' data-src='/uploads/ekchionistiko.jpg'"
            " alt='Εκχιονιστικό' width='960' height='640'></div>"
            if n == 2
            else ""
        )
        + "</div>"
        for n in range(4)
    )
    body = _page(
        f"<main><article><h1>Live: Χιόνια στην Ήπειρο</h1><div class='article-body'>"
        "<p class='lead-in'>Σε κλοιό χιονιά η Ήπειρος από τα ξημερώματα: οι εξελίξεις λεπτό προς λεπτό,"
        " με τα προβλήματα στα ορεινά χωριά.</p>"
        f"<div class='liveblog-feed' id='liveblog'>{updates}</div></div></article></main>"
    )
    article = extract_article(body, "https://www.ioanninalive.example.gr/live/91527")
    assert [(img.url, img.position) for img in article.images] == [
        ("https://www.ioanninalive.example.gr/uploads/ekchionistiko.jpg", 4)
    ]


def test_gallery_pictures_in_lightbox_buttons_count_and_other_buttons_icons_do_not() -> None:
    """A grid of <button data-lightbox-src> opening the photos (a link is a teaser, a button
    is not), or a "View image" button opening a dialog: their pictures are the article's; a
    search button's icon is none, nor is a "send by e-mail" link's."""
    grid = "".join(
        f"<div class='group'><button type='button' data-lightbox-src='https://cdn.example.gr/g-0{n}.jpg'>"
        f"<img src='https://cdn.example.gr/g-0{n}.jpg' alt='Φωτογραφία {n}' width='400' height='300'>"
        "</button></div>"
        for n in range(1, 4)
    )
    body = _page(
        "<main><div class='col'><h1>Παραδόθηκε η ανάπλαση της παραλίας</h1>"
        "<form><button class='search-submit'><img src='/themes/search--white.svg' alt=''></button></form>"
        f"<div class='space-y-6'><div>Στην Καλαμαριά. {_PROSE * 2}</div>"
        "<button type='button' aria-haspopup='dialog' aria-label='Προβολή εικόνας'>"
        "<img src='https://cdn.example.gr/sxedio.png' alt='Το σχέδιο'></button>"
        "<a href='/sendarticle.aspx?id=7'><img src='/images/email.gif' alt='Αποστολή'></a>"
        f"<div>Στην Αρετσού. {_PROSE}</div></div>"
        f"<div class='mt-10'><div>Φωτογραφίες</div><div class='grid'>{grid}</div></div>"
        f"<div><p>Στη Νέα Κρήνη. {_PROSE}</p></div></div></main>"
    )
    article = extract_article(body, "https://www.example.gr/thessaloniki/kalamaria-a218734")
    assert [(img.url, img.position) for img in article.images] == [
        ("https://cdn.example.gr/sxedio.png", 1),  # text in bare <div>s: the block walker places them
        *((f"https://cdn.example.gr/g-0{n}.jpg", 3) for n in range(1, 4)),
    ]


def test_a_k2_item_gallery_after_the_text_counts_and_a_related_list_does_not() -> None:
    """K2 prints the item's gallery after its full text, outside the text block: marked as a
    gallery, linking to the pictures' own files, it follows the text; the related items after
    it link to other pages and stay out."""
    gallery = "".join(
        f"<li><a href='/media/k2/galleries/1834/{n}.jpg' class='sigProLink' data-fancybox='gallery'>"
        f"<img src='/media/k2/galleries/1834/thumbs/{n}.jpg' alt='Φωτο {n}' width='200' height='150'></a></li>"
        for n in range(1, 4)
    )
    related = "".join(
        f"<li><a href='/topika/item/1830{n}-allo'><img src='/media/k2/items/cache/r{n}_S.jpg'"
        f" width='200' height='150'></a></li>"
        for n in range(3)
    )
    body = _page(
        "<div id='k2Container' class='itemView'><h2 class='itemTitle'>Εγκρίθηκε η νέα δημοτική αγορά</h2>"
        "<div class='itemBody'>"
        f"<div class='itemFullText'><p>{_PROSE * 2}</p><p>{_PROSE}Τέλος.</p></div>"
        f"<div class='itemImageGallery'><h3>Συλλογή εικόνων</h3><ul class='sigProGallery'>{gallery}</ul></div>"
        f"<div class='itemRelated'><h3>Σχετικά άρθρα</h3><ul>{related}</ul></div>"
        "</div></div>"
    )
    article = extract_article(body, "https://www.kalamata.example.gr/topika/item/18340-agora")
    assert [(img.url, img.position) for img in article.images] == [
        (f"https://www.kalamata.example.gr/media/k2/galleries/1834/thumbs/{n}.jpg", 2) for n in range(1, 4)
    ]


def test_the_file_an_img_names_is_the_picture_whatever_its_srcset_offers() -> None:
    """The file src names is what the page shows and what a reader would cite; a srcset only
    offers other sizes of it (Next.js "?w=1920", WordPress "-300x200.jpg" and the upload). A lazy
    srcset over a placeholder src is the picture's only real name, so its largest file counts."""
    nextjs = (
        "<img src='https://img.example.gr/2024/ydrofora.jpg' width='1600' height='900' "
        "srcset='https://img.example.gr/2024/ydrofora.jpg?w=640&amp;q=75 640w, "
        "https://img.example.gr/2024/ydrofora.jpg?w=1920&amp;q=75 1920w'>"
    )
    wordpress = (
        "<img src='https://www.example.gr/wp-content/uploads/ampeli-1024x683.jpg' width='1024' height='683' "
        "srcset='https://www.example.gr/wp-content/uploads/ampeli-300x200.jpg 300w, "
        "https://www.example.gr/wp-content/uploads/ampeli.jpg 1200w'>"
    )
    lazy = (
        "<img src='https://www.example.gr/wp-content/uploads/kampos-150x150.jpg' class='lazyload' "
        "data-srcset='https://www.example.gr/wp-content/uploads/kampos-768x512.jpg 768w, "
        "https://www.example.gr/wp-content/uploads/kampos-1536x1024.jpg 1536w'>"
    )
    body = _page(
        f"<main><article><h1>Λειψυδρία στα βόρεια χωριά</h1><div class='body'><p>{_PROSE * 2}</p>"
        f"<figure>{nextjs}</figure><p>{_PROSE}</p><figure>{wordpress}</figure><p>{_PROSE}</p>"
        f"<figure>{lazy}</figure><p>{_PROSE}Τέλος.</p></div></article></main>"
    )
    article = extract_article(body, "https://www.kerkyra.example.gr/eidiseis/leipsydria")
    assert [img.url for img in article.images] == [
        "https://img.example.gr/2024/ydrofora.jpg",
        "https://www.example.gr/wp-content/uploads/ampeli-1024x683.jpg",
        "https://www.example.gr/wp-content/uploads/kampos-1536x1024.jpg",
    ]


def test_a_cookie_banner_marked_only_on_its_buttons_leaves_no_text() -> None:
    """Drupal's EU cookie module marks its buttons ("eu-cookie-compliance-more-button") while
    the message sits beside them in plain <div>s after the text: the whole banner goes."""
    body = _page(
        f"<h1>Καθαρισμός της κοίτης του Πηνειού</h1><p>{_PROSE * 2}</p><p>{_PROSE}Τέλος.</p>"
        "<div id='sliding-popup' class='sliding-popup-bottom'><div><div class='popup-content info'>"
        "<div id='popup-text'><p>Χρησιμοποιούμε cookies σε αυτόν τον ιστότοπο για να βελτιώσουμε την εμπειρία"
        " χρήσης σας. Πατώντας οποιονδήποτε σύνδεσμο συμφωνείτε.</p>"
        "<button type='button' class='find-more-button eu-cookie-compliance-more-button'>Περισσότερες"
        " πληροφορίες</button></div><div id='popup-buttons'><button type='button'"
        " class='agree-button eu-cookie-compliance-default-button'>OK, συμφωνώ</button></div></div></div></div>"
    )
    article = extract_article(body, "https://www.larisa.example.gr/node/48213")
    assert "Τέλος." in article.text
    assert "cookies" not in article.text


def test_a_blog_label_h1_gives_way_to_the_heading_that_prints_the_metadata_title() -> None:
    """Blog themes print the section's label as the page's h1 ("Το Blog μας") and the post's
    title in an h2: the heading that says what og:title and <title> say is the headline. An h1
    the metadata merely rewords stays the headline."""
    label = _page(
        "<h1>Το Blog μας</h1><article><h2 class='single-blog-title'>Τρεις τρόποι να μειώσετε το ρεύμα"
        f"</h2><p>{_PROSE * 3}</p><p>{_PROSE}</p></article>",
        head="<title>Τρεις τρόποι να μειώσετε το ρεύμα | Ενεργειακά Νέα</title>"
        "<meta property='og:title' content='Τρεις τρόποι να μειώσετε το ρεύμα'>",
    )
    article = extract_article(label, "https://www.energeiaka.example.gr/blog/treis-tropoi")
    assert article.title == "Τρεις τρόποι να μειώσετε το ρεύμα"
    reworded = _page(
        "<article><h1>Νέα έργα στα λιμάνια της δυτικής ακτής</h1><h2>Τι προβλέπει το πρόγραμμα</h2>"
        f"<p>{_PROSE * 3}</p><p>{_PROSE}</p></article>",
        head="<meta property='og:title' content='Λιμάνια: 40 εκατ. για νέα έργα'>",
    )
    article = extract_article(reworded, "https://news.example.gr/a/90")
    assert article.title == "Νέα έργα στα λιμάνια της δυτικής ακτής"


def test_a_lead_paragraph_under_the_headline_is_the_lede_not_the_texts_first_line() -> None:
    """A "lead" paragraph printed in the headline's block, before the byline, is the standfirst:
    it goes to ``lede`` and not again into the text. A long block under the title is the text's
    own opening and stays."""
    lead = "Ενημερωνόμαστε λεπτό προς λεπτό για την εξέλιξη της κακοκαιρίας στη Λαμία."
    body = _page(
        f"<article><h1>Χιονιάς στη Φθιώτιδα: Κλειστά σχολεία</h1><p class='article-lead'>{lead}</p>"
        "<div class='meta'><time datetime='2025-01-27T07:30:00+02:00'>27.01.2025, 07:30</time></div>"
        f"<p>{_PROSE * 2}</p><p>{_PROSE}Τέλος.</p></article>",
        head=f"<meta name='description' content='{lead}'>",
    )
    article = extract_article(body, "https://www.lamia.example.gr/live/chionias")
    assert article.lede == lead
    assert lead not in article.text and "Τέλος." in article.text
    opening = f"Στη Λαμία σήμερα. {_PROSE * 3}"
    long_block = _page(
        f"<article><h1>Χιονιάς στη Φθιώτιδα: Κλειστά σχολεία</h1><p class='lead'>{opening}</p>"
        f"<p>{_PROSE * 2}</p><p>{_PROSE}Τέλος.</p></article>",
        head=f"<meta name='description' content='{opening}'>",
    )
    article = extract_article(long_block, "https://www.lamia.example.gr/a/chionias")
    assert "Στη Λαμία σήμερα." in article.text


def test_a_sticky_sidebar_wrapper_around_the_article_does_not_make_its_lead_image_a_thumbnail() -> None:
    """Theia Sticky Sidebar wraps the main column in "penci-main-sticky-sidebar": a class above the
    article's own text says nothing of its featured image, while the real sidebar's and the
    previous/next post's thumbnails stay out."""
    body = _page(
        "<div class='container penci_sidebar right-sidebar'><div id='main' class='penci-main-sticky-sidebar'>"
        "<div class='theiaStickySidebar'><article class='post'><div class='post-image'>"
        "<a href='https://www.patra.example.gr/wp-content/uploads/karnavali.jpg'>"
        "<img class='wp-post-image' src='https://www.patra.example.gr/wp-content/uploads/karnavali-1170x780.jpg'"
        " width='1170' height='780'></a></div><h1>Ρεκόρ συμμετοχών στο Καρναβάλι</h1>"
        f"<div class='inner-post-entry'><p>{_PROSE * 2}</p><p>{_PROSE}Τέλος.</p></div>"
        "<div class='post-pagination cs-entry__prev-next'><div class='prev-post'>"
        "<img src='https://www.patra.example.gr/wp-content/uploads/allo-thema-380x250.jpg' width='380' height='250'>"
        "<a href='/allo-thema/'>Άλλο θέμα της ημέρας στην πόλη</a></div></div>"
        "</article></div></div><div id='sidebar' class='penci-sidebar-content'><div class='widget'>"
        "<img src='https://www.patra.example.gr/wp-content/uploads/sidebar-thema.jpg' width='300' height='200'>"
        "<a href='/sidebar-thema/'>Θέμα της πλαϊνής στήλης σήμερα</a></div></div></div>",
        head="<meta property='og:image' content='https://www.patra.example.gr/wp-content/uploads/karnavali.jpg'>"
        '<script type=\'application/ld+json\'>{"@type": "NewsArticle", "image": ['
        '"https://www.patra.example.gr/wp-content/uploads/karnavali.jpg",'
        ' "https://www.patra.example.gr/wp-content/uploads/allo-thema-380x250.jpg"]}</script>',
    )
    article = extract_article(body, "https://www.patra.example.gr/karnavali-rekor/")
    assert [img.url for img in article.images] == [
        "https://www.patra.example.gr/wp-content/uploads/karnavali-1170x780.jpg"
    ]


def test_a_placeholder_image_in_a_link_to_the_photo_is_that_photo() -> None:
    """Joomla's Simple Image Gallery shows a transparent GIF over a background and links the photo
    itself: the picture is the linked file, not the GIF."""
    thumbs = "".join(
        f"<li class='sigFreeThumb'><a href='/images/galleries/pamvotida/IMG_44{n}.jpg' class='sigFreeLink'"
        f" rel='lightbox[gallery0]' data-fancybox='gallery0'><img class='sigFreeImg'"
        " src='/plugins/content/jw_sig/includes/images/transparent.gif' alt='Μεγέθυνση'"
        f" style='background-image:url(/cache/jw_sig/IMG_44{n}.jpg)'></a></li>"
        for n in (71, 90)
    )
    body = _page(
        "<div class='item-page'><h1>Καθαρισμός της Παμβώτιδας</h1><div itemprop='articleBody'>"
        f"<p>{_PROSE * 2}</p><p>{_PROSE}Τέλος.</p><ul class='sigFreeClassic'>{thumbs}</ul></div></div>"
    )
    article = extract_article(body, "https://www.giannena.example.gr/topika/pamvotida")
    assert [img.url for img in article.images] == [
        f"https://www.giannena.example.gr/images/galleries/pamvotida/IMG_44{n}.jpg" for n in (71, 90)
    ]


def test_a_blogger_posts_abbr_gives_its_time_and_offset() -> None:
    """Blogger prints the day in a date header and the time as "9:15 π.μ." in an
    ``<abbr class="published" itemprop="datePublished" title="...">``: the microdata date's
    instant is the abbr's title (the microformats' pattern), not its printed time."""
    body = _page(
        "<div class='date-outer'><h2 class='date-header'><span>Τρίτη, 21 Ιανουαρίου 2025</span></h2>"
        "<div class='post hentry'><h3 class='post-title entry-title'>Κλειστή η εθνική οδός Κοζάνης</h3>"
        f"<div class='post-body entry-content'><p>{_PROSE * 2}</p><p>{_PROSE}Τέλος.</p></div>"
        "<div class='post-footer'><span class='post-timestamp'>στις <a class='timestamp-link' href='#'>"
        "<abbr class='published' itemprop='datePublished' title='2025-01-21T09:15:00+02:00'>9:15 π.μ.</abbr>"
        "</a></span></div></div></div>"
    )
    article = extract_article(body, "https://www.kozani.example.gr/2025/01/blog-post_21.html")
    assert article.published_at == "2025-01-21T09:15:00+02:00"


def test_cookie_placeholders_of_embeds_in_a_short_post_leave_its_text() -> None:
    """Two "accept cookies to watch" placeholders inside a short post speak of cookies beside
    each other: the banner climb stops at the post's paragraphs, which never do."""
    notice = (
        "<div class='video-wrap'><div class='cookieconsent-optout-marketing'>Αποδεχτείτε τα cookies"
        " μάρκετινγκ για να δείτε το βίντεο.</div></div>"
    )
    body = _page(
        "<main><article><h1>Εγκρίθηκαν νέοι ποδηλατόδρομοι</h1><div class='entry-content'>"
        "<p>Το δημοτικό συμβούλιο ενέκρινε την Τρίτη τρεις νέους ποδηλατόδρομους στο κέντρο της πόλης.</p>"
        f"{notice}<p>Οι εργασίες θα ξεκινήσουν την άνοιξη και θα τελειώσουν πριν από το καλοκαίρι.</p>"
        f"{notice}</div></article></main>"
    )
    article = extract_article(body, "https://www.example.gr/a/1")
    assert "τρεις νέους ποδηλατόδρομους" in article.text and "πριν από το καλοκαίρι" in article.text


def test_photos_named_after_email_or_shares_stay_while_controls_go() -> None:
    """ "email-scam.jpg" at 1200×800 is a photo of the story; "email.gif" without a size is the
    send-by-mail control: the control words count only where no picture-sized size says otherwise."""
    body = _page(
        f"<article><h1>Απάτη με ψεύτικα e-mail τραπεζών</h1><p>{_PROSE * 2}</p>"
        "<figure><img src='/uploads/email-scam.jpg' width='1200' height='800'></figure>"
        "<a href='/send.php?id=4'><img src='/images/email.gif' alt='Αποστολή'></a>"
        f"<p>{_PROSE}</p><figure><img src='/uploads/share-prices.jpg' width='1200' height='800'></figure>"
        f"<p>{_PROSE}Τέλος.</p></article>"
    )
    article = extract_article(body, "https://www.example.gr/a/2")
    assert [img.url.rsplit("/", 1)[1] for img in article.images] == ["email-scam.jpg", "share-prices.jpg"]


def test_hover_zoomed_story_cards_after_the_text_are_no_gallery() -> None:
    """Other stories' cards after the text carry an "img-zoom" hover class and a headline link:
    no gallery of the article's."""
    cards = "".join(
        f"<div class='story-card img-zoom'><img src='/uploads/allo-{n}.jpg' width='400' height='300'>"
        f"<h3><a href='/a/{n}'>Άλλο θέμα για το λιμάνι της πόλης {n}</a></h3></div>"
        for n in range(2)
    )
    body = _page(
        f"<main><article><h1>Ξεκινούν τα έργα στο λιμάνι</h1><div class='entry-content'><p>{_PROSE * 2}</p>"
        f"<p>{_PROSE}Τέλος.</p></div><div class='more-stories'>{cards}</div></article></main>"
    )
    article = extract_article(body, "https://www.example.gr/a/3")
    assert article.images == []


def test_a_generic_title_repeated_by_a_sidebar_heading_does_not_replace_the_h1() -> None:
    """<title> says only "Ειδήσεις" and a sidebar widget's heading says it too: a section's name
    is no headline, and the h1 stays the title."""
    body = _page(
        "<div class='wrap'><div class='content'><h1>Κλειστή η εθνική οδός Κοζάνης λόγω χιονόπτωσης</h1>"
        f"<p>{_PROSE * 2}</p><p>{_PROSE}Τέλος.</p></div><div class='col-right'><div class='widget'>"
        "<h3>Ειδήσεις</h3><ul><li><a href='/a/2'>Άλλο θέμα σήμερα εδώ</a></li></ul></div></div></div>",
        head="<title>Ειδήσεις</title>",
    )
    article = extract_article(body, "https://www.example.gr/a/4")
    assert article.title == "Κλειστή η εθνική οδός Κοζάνης λόγω χιονόπτωσης"


def test_text_after_an_emptied_ad_slot_in_a_br_body_stays() -> None:
    """A body of bare text and <br>s with an ad slot between two lines: pruning takes the slot's
    script, and the line after the empty slot stays in the text."""
    lines = [f"Γραμμή {n}. {_PROSE}" for n in range(4)]
    body = _page(
        "<article><h1>Σε δημοπράτηση ο ποδηλατόδρομος</h1><div class='entry-content'>"
        f"{lines[0]}<br /><br />{lines[1]}<br /><br />"
        "<div class='stream-item stream-item-in-post'><div class='stream-item-size'><div id='div-gpt-ad-1'>"
        "<script>googletag.cmd.push(function() { googletag.display('div-gpt-ad-1'); });</script>"
        f"</div></div></div>{lines[2]}<br /><br />{lines[3]}</div></article>"
    )
    article = extract_article(body, "https://www.agrinio.example.gr/podilatodromos/")
    assert all(f"Γραμμή {n}." in article.text for n in range(4))


def test_calls_to_the_reader_at_the_texts_edges_are_no_part_of_it() -> None:
    """A newsletter box and a "follow us" strip read along with the article end up as its last
    lines: short calls at the edges go, while the story's own sentence about a newsletter stays."""
    story = "Το δημοτικό newsletter ανακοίνωσε χθες το πρόγραμμα των εκδηλώσεων για το καλοκαίρι."
    body = _page(
        f"<article><h1>Οι εκδηλώσεις του καλοκαιριού στο λιμάνι</h1><p>{_PROSE}</p><p>{story}</p>"
        f"<p>{_PROSE * 2}</p><p>{_PROSE}Τέλος.</p>"
        "<p>Εγγραφείτε στο newsletter μας για τα νέα της πόλης</p><p>Ακολουθήστε μας στο Facebook</p>"
        "<p>Sign up for our newsletter</p></article>"
    )
    article = extract_article(body, "https://www.example.gr/eidiseis/ekdiloseis")
    assert article.text.endswith("Τέλος.")
    assert story in article.text


def test_a_signup_box_inside_the_text_goes_with_its_heading_and_promise() -> None:
    """Ghost's signup card sits between two paragraphs: its form asks for an e-mail, and its
    heading and "no spam" line are no sentences of the story."""
    box = (
        "<div class='kg-card kg-signup-card'><div class='kg-signup-card-text'>"
        "<h2>Μείνετε ενημερωμένοι</h2><p>Λάβετε κάθε πρωί τις σημαντικότερες ειδήσεις της πόλης.</p>"
        "<form data-members-form='signup'><input type='email' placeholder='Το email σας'>"
        "<button>Εγγραφή</button></form><p>Δεν στέλνουμε spam. Μπορείτε να φύγετε οποιαδήποτε στιγμή.</p>"
        "</div></div>"
    )
    body = _page(
        f"<article><h1>Αποκατάσταση του προμαχώνα στο Παλαιό Φρούριο</h1><div class='gh-content'>"
        f"<p>{_PROSE * 2}</p>{box}<p>{_PROSE}</p><p>{_PROSE}Τέλος.</p></div></article>"
    )
    article = extract_article(body, "https://www.kerkyra.example.gr/promachonas/")
    assert "Μείνετε ενημερωμένοι" not in article.text
    assert "spam" not in article.text and "σημαντικότερες ειδήσεις" not in article.text
    assert article.text.endswith("Τέλος.")


def test_a_carousel_between_the_headline_and_the_text_belongs_to_the_article() -> None:
    """An AMP story opens with an amp-carousel of its photos above the body: og:image names the
    first, and the others are the article's too."""
    slides = "".join(
        f"<figure><amp-img src='https://www.example.gr/uploads/samothraki-{n}.jpg' width='1200' height='675' "
        f"layout='responsive' alt='Φωτογραφία {n}'></amp-img><figcaption>Λεζάντα {n}</figcaption></figure>"
        for n in range(1, 4)
    )
    body = _page(
        "<main><article><h1>Δεύτερο πλοίο στη γραμμή της Σαμοθράκης από τον Απρίλιο</h1>"
        f"<div class='gallery'><amp-carousel type='slides' layout='responsive' width='1200' height='760'>{slides}"
        f"</amp-carousel></div><div class='body'><p>{_PROSE * 2}</p><p>{_PROSE}</p><p>{_PROSE}Τέλος.</p></div>"
        "</article></main>",
        head="<meta property='og:image' content='https://www.example.gr/uploads/samothraki-1.jpg'>",
    )
    article = extract_article(body, "https://www.example.gr/amp/samothraki/")
    assert [(img.url, img.position) for img in article.images] == [
        (f"https://www.example.gr/uploads/samothraki-{n}.jpg", 0) for n in range(1, 4)
    ]


def test_reading_time_pager_and_follow_labels_are_no_lines_of_the_text() -> None:
    """Badges and strip labels an extractor reads as lines of their own: "Χρόνος ανάγνωσης: 3
    λεπτά", "Σελίδα 1 από 2", "Ακολουθήστε μας", and a next-article link's line at the end."""
    body = _page(
        "<article><h1>Νέα έργα στα λιμάνια της δυτικής ακτής</h1><p>Χρόνος ανάγνωσης: 3 λεπτά</p>"
        f"<p>{_PROSE * 2}</p><p>Ακολουθήστε μας</p><p>{_PROSE}</p><p>{_PROSE}Τέλος.</p>"
        "<p>Σελίδα 1 από 2</p><p>Επόμενο άρθρο: Κλειστός ο δρόμος προς το λιμάνι</p></article>"
    )
    article = extract_article(body, "https://www.example.gr/eidiseis/limania")
    assert article.text.endswith("Τέλος.")
    assert "λεπτά" not in article.text and "Ακολουθήστε" not in article.text


def test_an_article_split_in_two_containers_around_an_ad_is_read_whole() -> None:
    """A CMS prints the body in two ``div.article-body`` blocks with an ad slot and a "read also"
    box between them: the article goes on in the second block, and the box stays out."""
    first = "".join(f"<p>{_PROSE}Πρώτο μέρος {n}.</p>" for n in range(4))
    second = "".join(f"<p>{_PROSE}Δεύτερο μέρος {n}.</p>" for n in range(4))
    body = _page(
        "<main><article><h1>Τα ξεχασμένα κτίρια του Δημοσίου στην Πάτρα</h1>"
        f"<div class='article-body' itemprop='articleBody'>{first}</div>"
        "<div class='mid-article-ad'><div class='ad-slot'><span>Διαφήμιση</span></div></div>"
        "<aside class='read-also-box'><div>Διαβάστε επίσης</div><ul>"
        "<li><a href='/patra/1'>Στο σφυρί τρία διατηρητέα του Δημοσίου</a></li>"
        "<li><a href='/patra/2'>Τι προβλέπει το νέο σχέδιο για το παραλιακό μέτωπο</a></li></ul></aside>"
        f"<div class='article-body'><h2>Πόσα χρήματα χάνονται</h2>{second}</div>"
        "<div class='article-tags'><a href='/tag/patra'>Πάτρα</a></div></article></main>"
    )
    article = extract_article(body, "https://www.example.gr/reportaz/412873/ktiria")
    assert "Πρώτο μέρος 0." in article.text and article.text.endswith("Δεύτερο μέρος 3.")
    assert "Πόσα χρήματα χάνονται" in article.text
    assert "σφυρί" not in article.text


def test_a_proxied_lead_image_and_a_video_poster_are_the_pictures_the_metadata_declares() -> None:
    """Next.js serves the lead picture through ``/_next/image?url=<file>&w=3840`` while og:image
    names the file itself; a TV station's story shows its picture as the player's poster."""
    proxied = "/_next/image?url=https%3A%2F%2Fcdn.example.gr%2Fuploads%2Ferga.jpg&amp;w=3840&amp;q=75"
    nextjs = _page(
        f"<header><img src='/logo.svg' alt='logo'></header><main><h1>Έργα ανάπλασης στην οδό 25ης Αυγούστου</h1>"
        f"<div class='Article_hero'><img alt='Εργασίες' width='1200' height='675' src='{proxied}'></div>"
        f"<div class='Article_body'><p>{_PROSE * 2}</p><p>{_PROSE}</p><p>{_PROSE}Τέλος.</p></div></main>",
        head="<meta property='og:image' content='https://cdn.example.gr/uploads/erga.jpg'>",
    )
    article = extract_article(nextjs, "https://www.example.gr/eidiseis/erga")
    assert [img.url for img in article.images] == [
        "https://www.example.gr/_next/image?url=https%3A%2F%2Fcdn.example.gr%2Fuploads%2Ferga.jpg&w=3840&q=75"
    ]
    poster = "https://www.example.gr/storage/posters/karnavali.jpg"
    tv = _page(
        f"<main><h1>Δεκάδες χιλιάδες επισκέπτες στην καρναβαλική παρέλαση</h1><div class='player'>"
        f"<video controls poster='{poster}' src='/storage/videos/karnavali.mp4'></video></div>"
        f"<div class='news-text'><p>{_PROSE * 2}</p><p>{_PROSE}</p><p>{_PROSE}Τέλος.</p></div></main>",
        head=f"<meta property='og:image' content='{poster}'>",
    )
    assert [img.url for img in extract_article(tv, "https://www.example.gr/video/karnavali").images] == [
        poster
    ]


def test_a_row_of_widget_labels_and_a_footer_link_line_are_no_text() -> None:
    """A legacy table prints "| Εκτύπωση / | Αποστολή σε φίλο" as one row before the text, and the
    footer's link line ("Ποιοι είμαστε | Επικοινωνία | Όροι χρήσης | ...") after it."""
    body = _page(
        "<h1>Ανησυχία στους βαμβακοπαραγωγούς των Σερρών</h1>"
        "<table><tr><td><a href='print.asp'>Εκτύπωση</a></td></tr><tr><td><a href='send.asp'>Αποστολή σε φίλο</a>"
        f"</td></tr></table><div class='keimeno'><p>{_PROSE * 2}</p><p>{_PROSE}</p><p>{_PROSE}Τέλος.</p></div>"
        "<p class='footer'><a href='/a'>Ποιοι είμαστε</a> | <a href='/c'>Επικοινωνία</a> | <a href='/o'>Όροι χρήσης</a>"
        " | <a href='/p'>Πολιτική απορρήτου</a> | <a href='/k'>Πολιτική cookies</a> | <a href='/d'>Διαφημιστείτε</a>"
        " | <a href='/t'>Ταυτότητα</a> | <a href='/rss'>RSS</a></p>"
    )
    article = extract_article(body, "https://www.example.gr/eidiseis/vamvaki")
    assert article.text.startswith(_PROSE[:40]) and article.text.endswith("Τέλος.")


def test_sentences_that_look_like_calls_signup_neighbours_and_odd_image_hosts_stay() -> None:
    """What the edge, signup, twin and proxy rules must leave alone: a quoted instruction ending
    the story, a short brief sharing its block with a signup form, a next story after a "Next
    article" label, a proxy address whose host urlsplit refuses, a recipe's "12 λεπτά" line."""
    quote = "«Ακολουθήστε την παλαιά εθνική οδό μέσω Θηβών», συνέστησε η Τροχαία στους οδηγούς."
    traffic = _page(
        f"<article><h1>Κλειστή η εθνική οδός</h1><p>{_PROSE * 2}</p><p>{_PROSE}</p><p>{quote}</p></article>"
    )
    assert extract_article(traffic, "https://www.example.gr/a/1").text.endswith(quote)

    brief = "Η Aegean ανακοίνωσε δώδεκα νέα δρομολόγια από τη Θεσσαλονίκη για το καλοκαίρι, προς πόλεις της Ευρώπης."
    signup = (
        "<div class='nl-signup'><h4>Το πρωινό δελτίο</h4><form><input type='email' name='email'>"
        "<button>Εγγραφή</button></form></div>"
    )
    short = _page(
        f"<main><h1>Νέα δρομολόγια από τη Θεσσαλονίκη</h1><div class='entry-content'><p>{brief}</p>"
        f"<p>{_PROSE}</p>{signup}</div></main>"
    )
    assert brief in extract_article(short, "https://www.example.gr/a/2").text

    nxt = "Οι πυροσβέστες έδιναν μάχη όλη τη νύχτα με τις φλόγες στα δάση της Πεντέλης, σε τρία μέτωπα."
    scroll = _page(
        f"<main><h1>Εγκρίθηκε ο προϋπολογισμός του δήμου</h1><div class='post-content'><p>{_PROSE * 2}</p>"
        f"<p>{_PROSE}</p><p>{_PROSE}Τέλος.</p></div><div class='next-up'>Επόμενο άρθρο</div>"
        f"<div class='post-content'><h2>Φωτιά στην Πεντέλη</h2>{''.join(f'<p>{nxt} {n}</p>' for n in range(5))}</div></main>"
    )
    assert "Πεντέλης" not in extract_article(scroll, "https://www.example.gr/a/3").text

    odd = "/_next/image?url=http%3A%2F%2F%5Bcdn%5D.example.gr%2Fa.jpg&amp;w=640"
    recipe = _page(
        f"<article><h1>Φασολάδα της γιαγιάς</h1><p>{_PROSE * 2}</p><figure><img src='{odd}' "
        f"width='640' height='400'></figure><p>Βράζουμε για</p><p>12 λεπτά</p><p>{_PROSE}Τέλος.</p></article>"
    )
    article = extract_article(recipe, "https://www.example.gr/a/4")
    assert "12 λεπτά" in article.text and len(article.images) == 1


def test_affiliate_disclosures_and_form_consent_lines_are_no_text() -> None:
    """A shopping guide opens with the site's affiliate disclosure, and a signup form's consent
    line sits in the middle: fine print wherever it stands. The story's own sentences about
    commissions and agreements, and a quoted one, stay."""
    own = "Η εταιρεία θα εισπράττει προμήθεια 5% σε κάθε πώληση, σύμφωνα με τη σύμβαση."
    agreed = "Both councils agree to the terms of the new water contract from January."
    quoted = '"We may earn a commission on every booking," the agency\'s director said.'
    body = _page(
        "<article><h1>The best rain jackets for a Cretan winter</h1>"
        "<p>Products are chosen independently by our editors. Purchases made through our links may"
        " earn us a commission.</p>"
        f"<p>{_PROSE * 2}</p><p>{own}</p><p>{agreed}</p>"
        "<p>By entering your email address you agree to our Terms of Use and Privacy Policy.</p>"
        f"<p>{quoted}</p><p>{_PROSE}</p>"
        "<p>Disclosure: As an Amazon Associate I earn from qualifying purchases.</p>"
        f"<p>{_PROSE}Τέλος.</p></article>"
    )
    article = extract_article(body, "https://www.example.gr/odigos/adiavroxa")
    assert "commission." not in article.text and "qualifying purchases" not in article.text
    assert "Terms of Use" not in article.text
    assert own in article.text and agreed in article.text and "every booking" in article.text
    assert article.text.endswith("Τέλος.")


def test_read_also_comments_and_ad_labels_go_in_the_outlets_own_language() -> None:
    """A German regional site prints "Lesen Sie auch:" teasers, an "Anzeige" label and a "Mehr zum
    Thema" box; a Russian one prints "Читайте также:". No outlet profile names them: the generic
    vocabulary does, while the story's own sentence about reader comments stays."""
    prose = (
        "Der Stadtrat hat am Dienstag beschlossen, die Uferpromenade bis zum Sommer zu sanieren, "
        "nachdem Anwohner seit Jahren über Schäden und fehlende Beleuchtung geklagt hatten. "
    )
    own = "Die Kommentare der Anwohner in der Bürgerversammlung waren überwiegend positiv."
    body = _page(
        "<article><h1>Uferpromenade wird saniert</h1>"
        f"<p>{prose * 2}</p><p>Lesen Sie auch: <a href='/a/1'>Neue Radwege in der Altstadt</a></p>"
        f"<p>{prose}</p><p>Anzeige</p><p>{own}</p>"
        "<p>Читайте также: <a href='/a/2'>Новости города</a></p>"
        f"<p>{prose}Ende.</p>"
        "<h3>Mehr zum Thema</h3><ul><li><a href='/a/3'>Hafenfest abgesagt</a></li>"
        "<li><a href='/a/4'>Neuer Bürgermeister gewählt</a></li></ul></article>",
        lang="de",
    )
    article = extract_article(body, "https://www.example.de/lokales/uferpromenade")
    assert "Radwege" not in article.text and "Новости" not in article.text
    assert "Anzeige" not in article.text.split("\n\n")
    assert "Hafenfest" not in article.text and "Mehr zum Thema" not in article.text
    assert own in article.text and article.text.endswith("Ende.")


def test_an_article_in_a_container_trafilatura_deletes_for_its_class_is_read() -> None:
    """Webflow wraps custom HTML in ``w-embed``: trafilatura's fast run deletes any element whose
    class holds "embed", here the block holding most of the story, and keeps the opening before
    it. Shielded, that container is read; the related-links widget beside it stays deletable.
    (The full cascade's readability pass rescues so small a page on its own, so the fast run that
    the body cascade uses on the pruned tree is what is checked here.)"""
    from lxml.html import fromstring

    from crawler.extraction.body import trafilatura_paragraphs
    from crawler.extraction.shield import shield_article_container

    opening = "".join(
        f"<p>Opening {n}: the council published its report on the harbour works on Monday, after a "
        "year of delays and two changes of contractor.</p>"
        for n in range(6)
    )
    story = "".join(
        f"<p>Paragraph {n} of the council's report on the harbour works: the contractor will finish "
        "the quay walls before the summer, and the ferry company has agreed a new timetable.</p>"
        for n in range(12)
    )
    related = "<div class='related-widget'><p><a href='/a/1'>Ferry strike called off</a></p></div>"
    html = (
        "<html><body><main class='content'><h1>The harbour works will finish before summer</h1>"
        f"{opening}<div class='w-embed'>{story}<p>The last paragraph of the report.</p></div>{related}"
        "</main></body></html>"
    )
    url = "https://www.example.com/news/harbour-works"
    assert not any("Paragraph 5" in p for p in trafilatura_paragraphs(fromstring(html), url))
    tree = fromstring(html)
    assert shield_article_container(tree) == 1
    paragraphs = trafilatura_paragraphs(tree, url)
    assert any("Paragraph 5" in p for p in paragraphs)
    assert paragraphs[-1] == "The last paragraph of the report."


def test_the_headline_the_metadata_state_beats_a_widget_h1_and_a_printed_site_name() -> None:
    """Three ways a page misleads the title cascade: the entry header's h1 (inside <header>, so
    chrome-like) beside a "Related Articles" h1 in the body; an og:title with straight quotes
    where the h1 prints curly ones; no h1 at all, with the site's name printed as the logo. The
    metadata's headline wins each time, as the page prints it."""
    prose = f"<p>{_PROSE * 3}</p>"
    head = "<meta property='og:title' content=\"Let's rebuild the old harbour\">"
    two_h1 = _page(
        f"<header class='entry-header'><h1>Let’s rebuild the old harbour</h1></header>"
        f"<div class='entry-content'>{prose}<h1>Related Articles</h1><p><a href='/x'>Ferry news</a></p></div>",
        head=head,
    )
    article = extract_article(two_h1, "https://www.harbourtimes.example.com/rebuild")
    assert article.title == "Let’s rebuild the old harbour"

    no_h1 = _page(
        f"<div class='logo'>Harbour Times</div><div class='story'>{prose}</div>",
        head="<title>The ferry timetable changes on Monday | Harbour Times</title>"
        "<meta property='og:site_name' content='Harbour Times'>",
    )
    article = extract_article(no_h1, "https://www.harbourtimes.example.com/ferry")
    assert article.title == "The ferry timetable changes on Monday"


def test_a_date_and_byline_printed_inside_the_h1_are_no_part_of_the_title() -> None:
    """Blog themes put the entry's <time> inside the headline's link, or nest a "Posted on ... by"
    line in the h1: the title is the headline without them."""
    prose = f"<p>{_PROSE * 3}</p>"
    dated = _page(
        "<article><h1><a href='/p/1'><time datetime='2025-12-18T13:21:19+00:00'>Dec 18 2025</time>"
        f" Preparing the new ferry timetable</a></h1>{prose}</article>"
    )
    assert extract_article(dated, "https://blog.example.com/p/1").title == "Preparing the new ferry timetable"
    posted = _page(
        "<article><h1 class='hero__title'>Seven ways to keep the harbour clean<div class='divider'></div>"
        "<h3 class='date-info'><span class='posted-on'>Posted on <time>July 1, 2024</time></span>"
        f"<span class='byline'> by Maria</span></h3></h1>{prose}</article>"
    )
    assert (
        extract_article(posted, "https://blog.example.com/p/2").title
        == "Seven ways to keep the harbour clean"
    )


def test_photo_credits_and_ad_slot_or_share_labels_are_no_lines_of_the_text() -> None:
    """A caption's credit split off its picture, an ad slot's "Story continues below
    advertisement" and a share widget's labels each stand alone on a line between paragraphs;
    sentences that merely start like them stay."""
    prose = "The regional council approved the new budget on Tuesday after a long debate. " * 3
    furniture = [
        "Photo: Reuters",
        "(Photo by Jane Doe/Getty Images)",
        "Φωτογραφία: Eurokinissi",
        "Story continues below advertisement",
        "Share on Facebook",
        "Listen to this article",
    ]
    kept = ["Photographers say the light over the bay is best in the morning.", "Photo opportunities abound."]
    body = "".join(f"<p>{prose}</p><p>{line}</p>" for line in furniture + kept)
    page = _page(f"<article><h1>Council approves the budget</h1>{body}<p>{prose}</p></article>", lang="en")
    paragraphs = extract_article(page, "https://www.example.com/news/budget").text.split("\n\n")
    assert not [line for line in furniture if line in paragraphs]
    assert all(line in paragraphs for line in kept)


def test_review_regressions_of_fine_print_subheadings_chrome_titles_and_teaser_blocks() -> None:
    """What a review of the fine-print, multilingual, title and shield rules found on small pages:
    story sentences about consent, commissions and payment stay; a story's own "Reacties" or
    "Комментарии экспертов" section stays; a section name's h1 in the site header is no title;
    a block of other stories is never shielded from trafilatura's discards."""
    from lxml.html import fromstring

    from crawler.extraction.shield import shield_article_container

    prose = "The regional council approved the new budget on Tuesday after a long debate. " * 3
    sentences = [
        "By providing your fingerprints at the border, you consent to their storage for five years.",
        "When you sign up for the app, you agree to the terms of service that let it share your data.",
        "As a real estate agent in Leeds, I earn a commission of about one percent on every house I sell.",
        "If the dam is built, we will receive compensation for every home lost in the valley, he said.",
        "As freelancers, we are paid only when the magazine publishes our work.",
        "‘We may earn a commission on every booking,’ the agency’s director said on Monday.",
        "Αν δεν συμφωνείτε με τους όρους, μπορείτε να ακυρώσετε τη σύμβαση μέσα σε 14 ημέρες.",
    ]
    assert _lines_lost_between_paragraphs(sentences) == []

    for heading, items in (
        ("Reacties", ["De oppositie noemt het plan te duur.", "De bewoners zijn tevreden."]),
        ("Комментарии экспертов", ["Иванов: план реалистичен.", "Петрова: сроки сжаты."]),
    ):
        section = f"<h2>{heading}</h2>" + "".join(f"<p>{item}</p>" for item in items)
        page = _page(f"<article><h1>Het nieuwe havenplan</h1><p>{prose}</p>{section}<p>{prose}</p></article>")
        text = extract_article(page, "https://www.example.nl/nieuws/haven").text
        assert all(item in text for item in items), heading

    header_h1 = _page(
        "<header class='site-header'><h1>Island News</h1></header>"
        f"<article><h1>Winter timetable: fewer ferries to the Cyclades</h1><p>{prose}</p></article>",
        head="<title>Ferry operators cut Cyclades routes for winter | Island News | Harbour Times</title>",
    )
    title = extract_article(header_h1, "https://harbourtimes.example.com/ferries").title
    assert title == "Winter timetable: fewer ferries to the Cyclades"

    cards = "".join(
        f"<div class='card'><h3><a href='/news/{n}'>Story {n}</a></h3><p>Excerpt {n}: the mayor of a "
        "nearby town opened a new library on Saturday, with shelves for twenty thousand books.</p></div>"
        for n in range(8)
    )
    html = (
        f"<html><body><div class='article-content'><h1>Northern pier closed</h1><p>{prose}</p>"
        f"<div class='more-stories'>{cards}</div></div></body></html>"
    )
    assert shield_article_container(fromstring(html)) == 0


def test_related_lead_ins_and_google_news_follow_lines_go_while_sentences_opening_alike_stay() -> None:
    """US sites print "RELATED: <link>" and "Also read: <link>" between paragraphs, Greek plugins
    "Ακολουθήστε το ... στο Google News": none is the story's. A lead-in written with a colon is
    dropped only as a label, so "Related to this, ..." and "Read more about ..." stay."""
    prose = "The regional council approved the new budget on Tuesday after a long debate. " * 3
    gone = [
        "RELATED: <a href='/x1'>Mayor resigns after scandal</a>",
        "Also read: <a href='/x2'>Harbour plan stalls</a>",
        "Ακολουθήστε το example.gr στο <a href='https://news.google.com/x'>Google News</a>",
        "Follow us on Google News",
    ]
    kept = [
        "Related to this, the council also debated the harbour plan, which stalled last year.",
        "Read more about the plan in the council's own report, published on Friday.",
        "Google News changed how it ranks local outlets in 2024, the publisher said.",
    ]
    body = "".join(f"<p>{prose}</p><p>{line}</p>" for line in gone + kept)
    page = _page(f"<article><h1>Council approves the budget</h1>{body}<p>{prose}</p></article>", lang="en")
    text = extract_article(page, "https://www.example.com/news/budget").text
    assert "Mayor resigns" not in text and "Harbour plan stalls" not in text
    assert "Ακολουθήστε" not in text and "Follow us" not in text
    assert all(line in text for line in kept)


def test_second_review_headline_words_google_news_and_credit_sentences_stay() -> None:
    """A second review's reproductions: a class merely containing "date" ("candidate") and a date
    set mid-headline keep their words in the title; sentences about Google News, "Related-party"
    transactions, "the US" receiving fees, videos with affiliate links and photos "by the
    victims' families" stay in the text."""
    prose = "The regional council approved the new budget on Tuesday after a long debate. " * 3

    def title_of(h1: str, og: str) -> str | None:
        page = _page(
            f"<article>{h1}<p>{prose}</p><p>{prose}</p></article>",
            head=f"<meta property='og:title' content='{og}'>",
            lang="en",
        )
        return extract_article(page, "https://www.example.com/news/a").title

    headline = "Election results: Jane Doe wins Springfield seat"
    assert (
        title_of(
            "<h1>Election results: <span class='candidate'>Jane Doe</span> wins Springfield seat</h1>",
            headline,
        )
        == headline
    )
    live = "Live: 12 June — Ukraine war latest"
    assert title_of("<h1>Live: <time>12 June</time> — Ukraine war latest</h1>", live) == live

    sentences = [
        "Small publishers now depend heavily on traffic from Google News.",
        "Related-party transactions rose sharply last year, according to the filing.",
        "The US will receive billions in fees from its partners under the new deal, Trump said.",
        "The study found that one in five of the videos includes affiliate links to online shops.",
        "Photos by the victims' families were shared widely on social media.",
    ]
    assert _lines_lost_between_paragraphs(sentences) == []


def _lines_lost_between_paragraphs(lines: list[str]) -> list[str]:
    """The ``lines`` missing from the text of an English story that prints each of them as a
    paragraph of its own between paragraphs of prose."""
    prose = "The regional council approved the new budget on Tuesday after a long debate. " * 3
    body = "".join(f"<p>{prose}</p><p>{line}</p>" for line in lines)
    page = _page(f"<article><h1>Council approves the budget</h1>{body}<p>{prose}</p></article>", lang="en")
    text = extract_article(page, "https://www.example.com/news/budget").text
    return [line for line in lines if line not in text]
