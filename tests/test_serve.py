"""`newscrawl serve` as a user meets it: a real server process, its JSON API over HTTP.

One server is shared by the module (starting Datasette costs about a second); tests
that need their own process (stop signals, bad arguments) start short-lived ones.
"""

from __future__ import annotations

import json
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from crawler.items import Article, ImageRef
from storage.archive import finish_run, open_archive, record_error, start_run, upsert_article

NEWSCRAWL = Path(sys.executable).with_name("newscrawl")
PLANTED = "<script>alert(1)</script>"

MADURO = Article(
    url="https://bankingnews.example/kosmos/maduro-synelifthi",
    outlet="bankingnews",
    title="Ο Μαδούρο συνελήφθη στο Καράκας",
    lede="Η κυβέρνηση της Βενεζουέλας επιβεβαίωσε τη σύλληψη.",
    section="Κόσμος",
    tags=["Βενεζουέλα", "Μαδούρο"],
    authors=["Μαρία Παπαδοπούλου"],
    published_at="2026-01-05T12:30:00+00:00",
    language="el",
    text="Ο Νικολάς Μαδούρο οδηγήθηκε στο δικαστήριο.\nΟι ΤΡΆΠΕΖΕΣ της χώρας έκλεισαν νωρίς.",
    images=[
        ImageRef(
            url="https://bankingnews.example/media/maduro.jpg", caption="Ο Μαδούρο στο Καράκας", position=1
        ),
        ImageRef(url="javascript:alert(2)", caption="κακή εικόνα", position=2),
    ],
)
PLANTED_ARTICLE = Article(
    url="https://bankingnews.example/oikonomia/trapezes",
    outlet="bankingnews",
    title=f"{PLANTED} Οι τράπεζες ανεβαίνουν",
    section="Οικονομία",
    tags=["Τράπεζες"],
    published_at="2026-01-06T08:00:00+00:00",
    language="el",
    text=f"Άνοδος για τις τράπεζες.\n{PLANTED}",
    images=[
        ImageRef(url="https://bankingnews.example/media/bank.jpg", caption=f"Λεζάντα {PLANTED}", position=0)
    ],
)
OTHER_OUTLET = Article(
    url="https://kriti.example/topika/limani",
    outlet="kritinews",
    title="Νέο λιμάνι στο Ηράκλειο",
    section="Τοπικά",
    published_at="2026-01-04T07:15:00+00:00",
    language="el",
    text="Ξεκινούν τα έργα στο λιμάνι.",
)


def build_archive(path: Path) -> dict[str, int]:
    """A small archive made with the real storage API; returns article ids by name."""
    db = open_archive(path)
    for article in (MADURO, PLANTED_ARTICLE, OTHER_OUTLET):
        upsert_article(db, article)
    run_id = start_run(db, "bankingnews")
    finish_run(db, run_id, {"pages_fetched": 5, "new": 2, "errors": 1}, "partial")
    record_error(db, "https://bankingnews.example/broken", "bankingnews", 503, "HTTP 503", run_id=run_id)
    ids = {
        name: db.execute("select id from articles where url = ?", [article.url]).fetchone()[0]
        for name, article in (("maduro", MADURO), ("planted", PLANTED_ARTICLE), ("other", OTHER_OUTLET))
    }
    db.conn.close()
    return ids


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServeProcess:
    """`newscrawl serve` in a child process, waited for until it answers HTTP."""

    def __init__(self, db: Path, port: int | None = None, extra: list[str] | None = None) -> None:
        assert NEWSCRAWL.exists(), f"{NEWSCRAWL} missing: pip install -e . into this virtualenv"
        self.db = db
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [str(NEWSCRAWL), "serve", "--db", str(db), "--port", str(self.port), *(extra or [])],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.first_line = self.proc.stdout.readline().rstrip("\n")
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(self.base + "/-/versions.json", timeout=2):
                    break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.proc.kill()
                    raise AssertionError(
                        f"newscrawl serve did not start: {self.first_line!r} {self.proc.stderr.read()}"
                    ) from None
                time.sleep(0.1)

    def stop(self, sig: int = signal.SIGTERM) -> int:
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError(f"newscrawl serve ignored signal {sig}") from None

    def get(self, path: str, **params: str) -> dict:
        status, body = self.request(path, params)
        assert status == 200, f"{path} {params} -> HTTP {status}: {body[:300]}"
        return json.loads(body)

    def request(self, path: str, params: dict | None = None, data: bytes | None = None) -> tuple[int, str]:
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, resp.read().decode("utf-8")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    # Not called news.db on purpose: the URL name must be "news" whatever the file is called.
    path = tmp_path_factory.mktemp("serve") / "regional-archive.db"
    return path, build_archive(path)


@pytest.fixture(scope="module")
def server(archive: tuple[Path, dict[str, int]]):
    proc = ServeProcess(archive[0])
    yield proc
    assert proc.stop() == 0


def article_count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from articles").fetchone()[0]


def test_prints_where_it_serves_and_listens_on_localhost_only(server: ServeProcess) -> None:
    assert server.first_line == (
        f"Serving the archive {server.db} at http://127.0.0.1:{server.port}/news — Ctrl-C to stop"
    )
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port = local.split(":")
            if state == "0A" and int(port, 16) == server.port:
                listening.append(address)
    assert listening == ["0100007F"], f"expected only 127.0.0.1 listening, got {listening}"
    databases = server.get("/-/databases.json")
    assert [d["name"] for d in databases] == ["news"]
    assert {p["name"] for p in server.get("/-/plugins.json")} >= {"newscrawl"}


@pytest.mark.parametrize("query", ["μαδουρο", "ΜΑΔΟΥΡΟ", "Μαδούρο"])
def test_table_search_finds_greek_with_or_without_accents(
    server: ServeProcess, archive: tuple[Path, dict[str, int]], query: str
) -> None:
    data = server.get("/news/articles.json", _search=query, _shape="objects")
    assert [row["id"] for row in data["rows"]] == [archive[1]["maduro"]]
    assert data["rows"][0]["title"] == MADURO.title


def test_table_search_for_nonsense_finds_nothing(server: ServeProcess) -> None:
    data = server.get("/news/articles.json", _search="ξυλοκερατοφαγος", _shape="objects")
    assert data["rows"] == []
    assert data["filtered_table_rows_count"] == 0


def test_articles_newest_first_with_outlet_section_day_facets(server: ServeProcess) -> None:
    data = server.get("/news/articles.json", _shape="objects")
    assert [row["published_at"] for row in data["rows"]] == [
        "2026-01-06T08:00:00+00:00",
        "2026-01-05T12:30:00+00:00",
        "2026-01-04T07:15:00+00:00",
    ]
    facets = data["facet_results"]
    counts = {name: {r["value"]: r["count"] for r in facets[name]["results"]} for name in facets}
    assert counts["outlet"] == {"bankingnews": 2, "kritinews": 1}
    assert counts["section"] == {"Κόσμος": 1, "Οικονομία": 1, "Τοπικά": 1}
    assert counts["day"] == {"2026-01-04": 1, "2026-01-05": 1, "2026-01-06": 1}


def canned(server: ServeProcess, name: str, **params: str) -> list[dict]:
    data = server.get(f"/news/{name}.json", _shape="objects", **params)
    assert data.get("ok", True) and not data.get("error"), data
    return data["rows"]


def test_canned_latest_articles(server: ServeProcess) -> None:
    rows = canned(server, "latest_articles")
    assert [r["outlet"] for r in rows] == ["bankingnews", "bankingnews", "kritinews"]
    assert [r["title"] for r in canned(server, "latest_articles", outlet="kritinews")] == [OTHER_OUTLET.title]


@pytest.mark.parametrize("query", ["μαδουρο", "ΜΑΔΟΥΡΟ", "Μαδούρο", "μαδούρό καρακασ"])
def test_canned_search_ignores_accents_and_case_and_shows_snippets(server: ServeProcess, query: str) -> None:
    rows = canned(server, "search", q=query)
    assert [r["url"] for r in rows] == [MADURO.url]
    # the snippet is the original accented text; the HTML page marks the words found
    assert "Ο Νικολάς Μαδούρο οδηγήθηκε" in rows[0]["snippet"] and "«" not in rows[0]["snippet"]
    status, html = server.request("/news/search", {"q": query})
    assert status == 200
    assert "<mark>Μαδούρο</mark>" in html


def test_table_search_shows_accented_snippets_with_marks(server: ServeProcess) -> None:
    status, html = server.request("/news/articles", {"_search": "τραπεζες"})
    assert status == 200
    assert "<mark>ΤΡΆΠΕΖΕΣ</mark>" in html and "<mark>τράπεζες</mark>" in html
    assert "τραπεζεσ" not in html  # never the folded index text


@pytest.mark.parametrize("query", ['"', '""', '"Μαδούρο', "-", "-Μαδούρο", "OR", "AND (", "*", "NEAR("])
def test_any_search_box_input_answers_on_the_same_page(server: ServeProcess, query: str) -> None:
    status, html = server.request("/news/articles", {"_search": query})
    assert status == 200, html[:300]
    assert 'name="_search"' in html  # the search box is there to try again
    found = query == '"Μαδούρο'
    assert ("Ο Μαδούρο συνελήφθη" in html) == found
    if not found:
        assert "Nothing searched:" in html or "0 rows" in html


def test_table_search_reads_phrases_or_and_minus(server: ServeProcess) -> None:
    def urls(query: str) -> set[str]:
        return {r["url"] for r in server.get("/news/articles.json", _search=query, _shape="objects")["rows"]}

    assert urls("τραπεζες -μαδουρο") == {PLANTED_ARTICLE.url}
    assert urls("λιμανι OR καρακασ") == {MADURO.url, OTHER_OUTLET.url}
    assert urls('"συνεληφθη στο καρακασ"') == {MADURO.url}
    assert urls('"καρακασ στο συνεληφθη"') == set()


def test_articles_table_opens_on_reading_columns(server: ServeProcess) -> None:
    status, html = server.request("/news/articles")
    assert status == 200
    shown = re.findall(r'<th[^>]*data-column="([a-z_]+)"', html)
    assert shown == ["id", "title", "outlet", "section", "published_at", "authors", "tags"]
    # authors as a list, times in the outlet's zone or UTC with the stored value kept
    assert "<li>Μαρία Παπαδοπούλου</li>" in html and '["' not in html
    assert '<time datetime="2026-01-05T12:30:00+00:00"' in html
    # descriptions fold away instead of pushing rows down
    assert '<details class="nc-column-help">' in html


@pytest.mark.parametrize("query", ["", '"', "AND", "a-b OR", "*", "ξυλοκερατοφαγος"])
def test_canned_search_survives_empty_and_hostile_queries(server: ServeProcess, query: str) -> None:
    assert canned(server, "search", q=query) == []


def test_canned_search_finds_final_sigma_in_capitals(server: ServeProcess) -> None:
    urls = {r["url"] for r in canned(server, "search", q="τραπεζες")}
    assert urls == {MADURO.url, PLANTED_ARTICLE.url}


def test_canned_articles_per_outlet_per_day(server: ServeProcess) -> None:
    rows = canned(server, "articles_per_outlet_per_day")
    assert [(r["day"], r["outlet"], r["articles"]) for r in rows] == [
        ("2026-01-06", "bankingnews", 1),
        ("2026-01-05", "bankingnews", 1),
        ("2026-01-04", "kritinews", 1),
    ]


def test_canned_article_with_images_by_id_or_url(
    server: ServeProcess, archive: tuple[Path, dict[str, int]]
) -> None:
    by_id = canned(server, "article_with_images", article=str(archive[1]["maduro"]))
    by_url = canned(server, "article_with_images", article=MADURO.url)
    assert by_id == by_url
    assert [(r["position"], r["image_url"], r["caption"]) for r in by_id] == [
        (1, "https://bankingnews.example/media/maduro.jpg", "Ο Μαδούρο στο Καράκας"),
        (2, "javascript:alert(2)", "κακή εικόνα"),
    ]
    assert canned(server, "article_with_images", article="no-such-article") == []


def test_canned_crawl_health_runs_and_errors(server: ServeProcess) -> None:
    (health,) = canned(server, "crawl_health")
    assert health["outlet"] == "bankingnews"
    assert health["last_run_status"] == "partial"
    assert (health["pages_fetched"], health["new"], health["run_errors"]) == (5, 2, 1)
    assert health["failing_urls"] == 1
    assert [r["status"] for r in canned(server, "recent_crawl_runs")] == ["partial"]
    (error,) = canned(server, "recent_fetch_errors")
    assert (error["url"], error["status"], error["attempts"]) == (
        "https://bankingnews.example/broken",
        503,
        1,
    )


def test_writes_are_refused(server: ServeProcess, archive: tuple[Path, dict[str, int]]) -> None:
    before = article_count(archive[0])
    row = json.dumps({"row": {"url": "https://evil.example/x", "title": "x"}}).encode()
    status, _ = server.request("/news/articles/-/insert", data=row)
    assert status in (403, 404, 405)
    for sql in (
        "delete from articles",
        "update articles set title = 'x'",
        "insert into articles (url) values ('https://evil.example/y')",
        "select 1; delete from articles",
        "with gone as (select 1) delete from articles",
    ):
        status, body = server.request("/news.json", {"sql": sql})
        assert status == 400 or json.loads(body)["ok"] is False, (sql, status, body[:200])
    status, _ = server.request("/news/latest_articles", data=b"{}")
    assert status != 200 or article_count(archive[0]) == before
    assert article_count(archive[0]) == before
    # Read-only SQL stays allowed.
    data = server.get("/news.json", sql="select count(*) as n from articles", _shape="objects")
    assert data["rows"] == [{"n": before}]


def test_scraped_html_is_escaped_in_pages(server: ServeProcess, archive: tuple[Path, dict[str, int]]) -> None:
    status, row_page = server.request(f"/news/articles/{archive[1]['planted']}")
    assert status == 200
    assert PLANTED not in row_page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Οι τράπεζες ανεβαίνουν" in row_page
    # Article text: one escaped paragraph per line.
    assert '<p style="margin:0 0 0.6em 0">Άνοδος για τις τράπεζες.</p>' in row_page
    status, images_page = server.request("/news/article_with_images", {"article": MADURO.url})
    assert status == 200
    assert '<img src="https://bankingnews.example/media/maduro.jpg"' in images_page
    assert 'loading="lazy"' in images_page
    assert "javascript:alert(2)" in images_page
    assert 'src="javascript:' not in images_page and 'href="javascript:' not in images_page
    status, images_table = server.request("/news/images")
    assert status == 200
    assert PLANTED not in images_table
    assert "Λεζάντα &lt;script&gt;alert(1)&lt;/script&gt;" in images_table
    assert 'src="javascript:' not in images_table and 'href="javascript:' not in images_table
    # The FK column shows the article's title (label_column), escaped too.
    assert "Ο Μαδούρο συνελήφθη στο Καράκας" in images_table


def test_unknown_page_is_a_404_not_a_crash(server: ServeProcess) -> None:
    status, body = server.request("/news/no_such_table.json")
    assert status == 404, body[:200]


def test_serves_while_a_crawl_writes_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    db_path = tmp_path / "live.db"
    build_archive(db_path)
    writer = open_archive(db_path)  # a crawl holding the archive open, in WAL mode
    proc = ServeProcess(db_path)
    try:
        late = Article(
            url="https://kriti.example/late",
            outlet="kritinews",
            title="Καθυστερημένο άρθρο για τον Μαδούρο",
            published_at="2026-01-07T09:00:00+00:00",
            text="Γράφτηκε ενώ ο server έτρεχε.",
        )
        assert upsert_article(writer, late) == "new"
        rows = proc.get("/news/articles.json", _search="καθυστερημενο", _shape="objects")["rows"]
        assert [r["url"] for r in rows] == [late.url]
    finally:
        code = proc.stop(signal.SIGINT)
        writer.conn.close()
    assert code == 0
    assert (tmp_path / "live.db").exists()


def run_serve(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(NEWSCRAWL), "serve", *args], capture_output=True, text=True, timeout=60)


def test_missing_archive_is_one_clear_line(tmp_path: Path) -> None:
    result = run_serve("--db", str(tmp_path / "nope.db"), "--port", str(free_port()))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"Error: archive {tmp_path / 'nope.db'} does not exist (crawl something first, or pass --db PATH)"
    ]
    assert "Traceback" not in result.stderr


def test_not_an_archive_and_busy_port_are_clear_errors(
    tmp_path: Path, server: ServeProcess, archive: tuple[Path, dict[str, int]]
) -> None:
    junk = tmp_path / "notes.db"
    junk.write_text("these are not the rows you are looking for\n" * 100)
    result = run_serve("--db", str(junk))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "is not a newscrawl archive" in result.stderr

    result = run_serve("--db", str(archive[0]), "--port", str(server.port))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"Error: cannot listen on 127.0.0.1:{server.port}: Address already in use"
    ]


@pytest.mark.parametrize("query", ["τραπεζες", "ΤΡΑΠΕΖΕΣ", "τράπεζες"])
def test_table_search_handles_final_sigma(server: ServeProcess, query: str) -> None:
    rows = server.get("/news/articles.json", _search=query, _shape="objects")["rows"]
    assert {row["url"] for row in rows} == {MADURO.url, PLANTED_ARTICLE.url}
