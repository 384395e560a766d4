"""Greek full-text search: accents, case, final sigma, hostile input, Datasette's raw ?_search=, the CLI."""

from __future__ import annotations

import json
import unicodedata

import pytest
from click.testing import CliRunner

from crawler.commands.search import search as search_command
from crawler.items import Article
from storage.archive import open_archive, search, upsert_article
from storage.datasette_plugin import fts_query
from storage.search import make_snippet, parse_query
from storage.textnorm import fold

MADURO = "https://news.example.gr/kosmos/1-maduro"
BANKS = "https://news.example.gr/oikonomia/2-trapezes"
COVID = "https://other.example.gr/ygeia/3-covid"
BANKS_IN_TEXT = "https://news.example.gr/oikonomia/4-agores"

ARTICLES = [
    Article(
        url=MADURO,
        outlet="news",
        section="Κόσμος",
        title="Ο Μαδούρο απαντά στις ΗΠΑ",
        lede="Σκληρή γλώσσα από το Καράκας.",
        text="Ο πρόεδρος της Βενεζουέλας Νικολάς Μαδούρο μίλησε στο Καράκας. Η αντιπολίτευση αντέδρασε.",
        published_at="2026-01-04T10:00:00+00:00",
    ),
    Article(
        url=BANKS,
        outlet="news",
        section="Οικονομία",
        title="ΤΡΆΠΕΖΕΣ: ΝΈΑ ΜΈΤΡΑ ΓΙΑ ΤΑ ΔΆΝΕΙΑ",
        lede="Τι αλλάζει για τους δανειολήπτες.",
        text="Οι συστημικές τράπεζες παρουσίασαν το σχέδιο στην κυβέρνηση.",
        published_at="2026-01-05T08:00:00+00:00",
    ),
    Article(
        url=COVID,
        outlet="other",
        section="Υγεία",
        title="Νέα μέτρα για τον COVID-19",
        text="Η επιτροπή εμπειρογνωμόνων συνεδρίασε για τον COVID-19 και τις 'ΜΕΘ'.",
        published_at="2026-01-03T08:00:00+00:00",
    ),
    Article(
        url=BANKS_IN_TEXT,
        outlet="news",
        section="Οικονομία",
        title="Άνοδος στο Χρηματιστήριο",
        text="Κέρδη κατέγραψαν οι μετοχές, με τις τράπεζες να ξεχωρίζουν στη συνεδρίαση. " * 3,
        published_at="2026-01-06T08:00:00+00:00",
    ),
]


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "news.db"
    db = open_archive(path)
    for article in ARTICLES:
        upsert_article(db, article)
    db.close()
    return path


@pytest.fixture
def db(archive_path):
    database = open_archive(archive_path)
    yield database
    database.close()


@pytest.mark.parametrize("query", ["μαδουρο", "ΜΑΔΟΥΡΟ", "Μαδούρο", "μαδούρο", "ΜΑΔΟΎΡΟ"])
def test_accents_and_case_do_not_matter(db, query):
    assert [hit["url"] for hit in search(db, query)] == [MADURO]


@pytest.mark.parametrize("query", ["τραπεζες", "ΤΡΑΠΕΖΕΣ", "τράπεζες", "ΤΡΆΠΕΖΕΣ", "Τράπεζες"])
def test_final_sigma_in_either_case_matches(db, query):
    # BANKS has the word in its title, so it ranks first
    assert [hit["url"] for hit in search(db, query)] == [BANKS, BANKS_IN_TEXT]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("μαδουρο", {MADURO}),
        ("ΜΑΔΟΥΡΟ", {MADURO}),
        ("Μαδούρο", {MADURO}),
        ("τραπεζες", {BANKS, BANKS_IN_TEXT}),
        ("ΤΡΑΠΕΖΕΣ", {BANKS, BANKS_IN_TEXT}),
        ("ΤΡΆΠΕΖΕΣ", {BANKS, BANKS_IN_TEXT}),
    ],
)
def test_datasette_raw_search_matches_the_fts_table(db, query, expected):
    # what Datasette's /news/articles.json?_search=... runs: MATCH escape_fts(:search), with
    # escape_fts replaced by the plugin's fts_query (the index holds only folded columns)
    rows = db.execute(
        "SELECT url FROM articles WHERE rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)",
        [fts_query(query)],
    ).fetchall()
    assert {url for (url,) in rows} == expected


def test_snippet_marks_the_match_in_the_original_accented_text(db):
    (hit,) = search(db, "μαδουρο καρακας")
    assert "«Μαδούρο»" in hit["snippet"] and "«Καράκας»" in hit["snippet"]
    assert hit["title"] == "Ο Μαδούρο απαντά στις ΗΠΑ"
    assert hit["published_at"] == "2026-01-04T10:00:00+00:00"
    assert (hit["outlet"], hit["section"]) == ("news", "Κόσμος")


def test_all_words_must_match_and_prefix_star_works(db):
    assert [h["url"] for h in search(db, "τραπεζες κυβερνηση")] == [BANKS]
    assert search(db, "τραπεζες βενεζουελα") == []
    assert [h["url"] for h in search(db, "βενεζουελ*")] == [MADURO]
    assert search(db, "βενεζουελ") == []


def test_hyphenated_and_quoted_input_is_a_phrase(db):
    assert [h["url"] for h in search(db, "covid-19")] == [COVID]
    assert [h["url"] for h in search(db, '"συστημικές τράπεζες"')] == [BANKS]
    assert search(db, '"τράπεζες συστημικές"') == []


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "AND",
        "a-b",
        "*",
        "OR NOT",
        "(",
        ")",
        "NEAR(",
        "title:x",
        "^",
        "'",
        '"unbalanced',
        "{x}",
        "",
        "   ",
    ],
)
def test_hostile_queries_never_raise(db, query):
    assert isinstance(search(db, query), list)


def test_operator_words_are_searched_as_words(db):
    assert [h["url"] for h in search(db, "'ΜΕΘ'")] == [COVID]
    assert search(db, "AND") == []


def test_outlet_filter_and_limit(db):
    assert {h["url"] for h in search(db, "νέα μέτρα")} == {BANKS, COVID}
    assert [h["url"] for h in search(db, "νεα μετρα", outlet="other")] == [COVID]
    assert len(search(db, "τραπεζες", limit=1)) == 1


# --- the CLI ------------------------------------------------------------------------------------


def test_cli_json_output(archive_path):
    result = CliRunner().invoke(search_command, ["ΜΑΔΟΥΡΟ", "--db", str(archive_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert [h["url"] for h in hits] == [MADURO]
    assert {"url", "title", "published_at", "snippet"} <= set(hits[0])


def test_cli_text_output_and_limit(archive_path):
    result = CliRunner().invoke(search_command, ["τραπεζες", "--db", str(archive_path), "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert "ΤΡΆΠΕΖΕΣ: ΝΈΑ ΜΈΤΡΑ ΓΙΑ ΤΑ ΔΆΝΕΙΑ" in result.stdout
    assert BANKS in result.stdout and BANKS_IN_TEXT not in result.stdout
    assert "«τράπεζες»" in result.stdout


def test_cli_rank_window_ranks_the_newest_matches_and_0_ranks_all(archive_path):
    def urls(*extra: str) -> list[str]:
        args = ["τραπεζες", "--db", str(archive_path), "--format", "json", *extra]
        result = CliRunner().invoke(search_command, args)
        assert result.exit_code == 0, result.output
        return [hit["url"] for hit in json.loads(result.stdout)]

    # BANKS matches in its title but was stored before BANKS_IN_TEXT
    assert urls("--rank-window", "1") == [BANKS_IN_TEXT]
    assert urls("--rank-window", "0") == urls() == [BANKS, BANKS_IN_TEXT]


def test_cli_no_hits_is_not_an_error(archive_path):
    result = CliRunner().invoke(search_command, ["ανύπαρκτη-λέξη", "--db", str(archive_path)])
    assert result.exit_code == 0
    assert "No articles match" in result.stdout


def test_cli_missing_archive_exits_2_with_one_line(tmp_path):
    result = CliRunner().invoke(search_command, ["x", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "does not exist" in result.stderr
    assert not (tmp_path / "missing.db").exists()


def test_cli_not_an_archive_exits_2(tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello " * 1000)
    result = CliRunner().invoke(search_command, ["x", "--db", str(bogus)])
    assert result.exit_code == 2
    assert "not a newscrawl archive" in result.stderr and "Traceback" not in result.output


def test_snippet_prefers_the_passage_where_the_query_words_meet():
    text = (
        "Αρχή. " + "γέμισμα " * 60 + "Ο Μαδούρο μόνος. " + "γέμισμα " * 60 + "Ο Μαδούρο και οι ΤΡΆΠΕΖΕΣ μαζί."
    )
    snippet = make_snippet([text], parse_query("μαδουρο τραπεζες"))
    assert "«Μαδούρο» και οι «ΤΡΆΠΕΖΕΣ» μαζί." in snippet
    assert snippet.startswith("… ")


def test_snippet_maps_multi_character_folds_back_to_the_original():
    # ß folds to "ss" and a decomposed accent folds to nothing: highlights must still land right
    text = "Die Straße nach Athen. Η πο\u0301λη της Αθήνας."
    snippet = make_snippet([text], parse_query("strasse πολη"))
    assert snippet == "Die «Straße» nach Athen. Η «πο\u0301λη» της Αθήνας."


def _reference_fold(text: str) -> str:
    # the definition fold() promises for text without mixed-script words: decompose (compatibility
    # forms too), drop combining marks, casefold, recompose
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped.casefold())


@pytest.mark.parametrize(
    "text",
    [
        "ΤΡΆΠΕΖΕΣ τράπεζες Τράπεζας ΣΥΣΤΗΜΙΚΈΣ",
        "Ευρωπαϊκή προϋπολογισμός ΐ ΰ Ϊ Ϋ ᾼ ᾳ ᾀ ἄνθρωπος",
        "πο\u0301λη e\u0301 o\u0308\u0304 combining \u0345 ypogegrammeni",
        "Straße café naïve ÅNGSTRÖM ǰ İstanbul ŉ ﬁ",
        "한국어 가나다 and ΣΊΣΥΦΟΣ",
        "",
    ],
)
def test_fold_strips_accents_case_and_final_sigma_like_its_definition(text):
    assert fold(text) == _reference_fold(text)
    assert fold(text) == fold(fold(text))


def test_fold_examples():
    assert fold("ΤΡΆΠΕΖΕΣ Μαδούρο") == "τραπεζεσ μαδουρο"
    assert fold("Ευρωπαϊκή Straße café") == "ευρωπαικη strasse cafe"
    assert fold(None) == ""


def test_latin_look_alikes_inside_greek_words_are_found_by_the_greek_spelling(tmp_path):
    # the real bankingnews.gr writes its feed heading "Ρoή" with a Latin o; a reader types Greek
    assert fold("Ρoή Ειδήσεων") == fold("Ροή Ειδήσεων") == "ροη ειδησεων"
    assert fold("Most read") == "most read"  # English words are left alone
    db = open_archive(tmp_path / "mixed.db")
    try:
        article = Article(url=COVID, outlet="other", title="Η Ρoή της ημέρας", text="Κείμενο με Ρoή μέσα.")
        upsert_article(db, article)
        assert [hit["url"] for hit in search(db, "ροη")] == [COVID]
        (hit,) = search(db, "ροή")
        assert hit["snippet"] == "Κείμενο με «Ρoή» μέσα."  # highlighted as the page spells it
    finally:
        db.close()


def test_snippet_finds_where_the_words_meet_far_into_a_long_text():
    text = "Ο Μαδούρο μόνος. " + "γέμισμα " * 1500 + "Ο Μαδούρο και οι ΤΡΆΠΕΖΕΣ μαζί. " + "τέλος " * 500
    snippet = make_snippet([text], parse_query("μαδουρο τραπεζες"))
    assert "«Μαδούρο» και οι «ΤΡΆΠΕΖΕΣ» μαζί." in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")


def test_rank_window_ranks_only_the_newest_matches(db):
    # BANKS ranks first (title match) but was stored before BANKS_IN_TEXT
    assert [h["url"] for h in search(db, "τραπεζες", rank_window=1)] == [BANKS_IN_TEXT]
    assert [h["url"] for h in search(db, "τραπεζες", rank_window=2)] == [BANKS, BANKS_IN_TEXT]
    assert [h["url"] for h in search(db, "τραπεζες", rank_window=50)] == [BANKS, BANKS_IN_TEXT]
    assert [h["url"] for h in search(db, "μαδουρο", rank_window=1)] == [MADURO]
