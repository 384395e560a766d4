"""Every replica outlet, crawled for real over HTTP, checked field by field against its ground truth.

Each outlet is a different CMS family (Joomla/K2, WordPress, Drupal, a custom JSON-LD site, a
windows-1253 table layout, AMP twins with live blogs) served on its own port, and each is
found a different way (feeds, a sitemap index, a news sitemap, listings only). Only the K2
outlet has a profile: the others prove the generic extraction path on markup nobody tuned it
for. The crawls run once, side by side, in child processes; each test then reads one field of
every stored article, so a failure names the outlet and the field.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from urllib.request import urlopen

import pytest

from crawler.extraction import extract_article
from crawler.extraction.textnorm import fold_words
from crawler.outlet import get_outlet
from crawler.replica import ReplicaServer, families
from tests.crawl_helpers import query

OUTLETS = sorted(families)
# What each outlet's declaration lets a crawl discover articles from: a file it must have read, the
# source some article can only have come from (the feeds hold only the newest), and all it may use.
DISCOVERY = {
    "replica": ("/sitemap-articles.xml", "sitemap", {"feed", "sitemap", "listing"}),
    "replica-wordpress": ("/post-sitemap.xml", "sitemap", {"feed", "sitemap"}),  # via sitemap_index.xml
    "replica-drupal": ("/sitemap.xml", "sitemap", {"feed", "sitemap"}),
    "replica-custom": ("/sitemap-news.xml", "sitemap", {"sitemap"}),
    "replica-legacy": ("/kathgoria.php?cat=oikonomia", "listing", {"listing"}),
    "replica-amp": ("/feed.xml", "listing", {"feed", "listing"}),
}
# Checks the generic extraction path still fails at this commit, left out of their tests (not
# marked xfail) and named in the closing report; each goes back in as soon as the extractor passes it.
NOT_YET: set[tuple[str, str]] = set()


def checked(check: str) -> list[str]:
    """The outlets on which ``check`` is asserted."""
    return [name for name in OUTLETS if (check, name) not in NOT_YET]


class Crawled:
    """One outlet's server, its ground truth at crawl time and the archive the crawl wrote."""

    def __init__(
        self, name: str, server: ReplicaServer, db: Path, result: subprocess.CompletedProcess
    ) -> None:
        self.name = name
        self.server = server
        self.db = db
        self.result = result
        self.truth = {t["path"]: t for t in server.site.ground_truth()}

    def rows(self) -> dict[str, dict]:
        """Stored articles by path, with their images in order."""
        out: dict[str, dict] = {}
        cols = "id, url, title, lede, section, authors, published_at, text"
        for row in query(self.db, f"select {cols} from articles where outlet = ?", (self.name,)):
            article = dict(zip(cols.split(", "), row, strict=True))
            article["authors"] = json.loads(article["authors"] or "[]")
            article["images"] = [
                {"url": url, "caption": caption, "position": position}
                for url, caption, position in query(
                    self.db,
                    "select url, caption, position from images where article_id = ? order by position, id",
                    (article["id"],),
                )
            ]
            out[article["url"].removeprefix(self.server.url)] = article
        return out


def _env_var(name: str) -> str:
    return get_outlet(name).base_url_env or ""


@pytest.fixture(scope="module")
def crawls(tmp_path_factory) -> dict[str, Crawled]:
    """Serve every replica outlet on a free port and crawl them, a few at a time, each into its own archive."""
    servers: dict[str, ReplicaServer] = {}
    procs: dict[str, tuple[Path, subprocess.Popen]] = {}
    try:
        for name in OUTLETS:
            site = families[name]()
            servers[name] = ReplicaServer(port=0, site=site).start()
        done = {}
        # The K2 replica alone (its outlet keeps a 2 s timeout for its slow fault page), then the
        # families a few at a time: the machine has two cores.
        families_only = [name for name in OUTLETS if name != "replica"]
        for batch in (["replica"], families_only[:3], families_only[3:]):
            for name in batch:
                db = tmp_path_factory.mktemp(name) / "news.db"
                env = {**os.environ, _env_var(name): servers[name].url}
                cmd = [sys.executable, "-m", "crawler", "crawl", name, "--db", str(db), "--no-progress"]
                procs[name] = (
                    db,
                    subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
                )
            for name in batch:
                db, proc = procs[name]
                out, err = proc.communicate(timeout=300)
                result = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
                done[name] = Crawled(name, servers[name], db, result)
        yield done
    finally:
        for _, proc in procs.values():
            if proc.poll() is None:
                proc.kill()
        for server in servers.values():
            server.stop()


@pytest.fixture(params=OUTLETS)
def crawled(request, crawls) -> Crawled:
    c = crawls[request.param]
    assert c.result.returncode == 0, c.result.stderr[-2000:]
    return c


def _instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _crawled(crawls: dict[str, Crawled], name: str) -> Crawled:
    c = crawls[name]
    assert c.result.returncode == 0, c.result.stderr[-2000:]
    return c


def _field_failures(c: Crawled, compare) -> dict[str, str]:
    rows = c.rows()
    failures = {}
    for path, truth in c.truth.items():
        row = rows.get(path)
        if row is None:
            failures[path] = "not stored"
            continue
        if problem := compare(truth, row, c.server.url):
            failures[path] = problem
    return failures


# --- discovery and identity --------------------------------------------------------------


def test_every_article_is_stored_exactly_once(crawled):
    urls = [url for (url,) in query(crawled.db, "select url from articles where outlet = ?", (crawled.name,))]
    paths = [url.removeprefix(crawled.server.url) for url in urls]
    assert len(paths) == len(set(paths))
    assert sorted(set(paths) - set(crawled.truth)) == [], "stored pages that are not articles (or AMP twins)"
    assert sorted(set(crawled.truth) - set(paths)) == [], "articles the crawl missed"


def test_articles_are_found_the_way_the_outlet_publishes_them(crawled):
    must_read, required, allowed = DISCOVERY[crawled.name]
    requested = {r["path"] for r in crawled.server.requests if r["status"] == 200}
    assert must_read in requested
    sources = {
        s
        for (s,) in query(
            crawled.db, "select distinct source from frontier where outlet = ?", (crawled.name,)
        )
    }
    assert required in sources and sources <= allowed, sources


# --- fields ------------------------------------------------------------------------------


def _same(field: str):
    def compare(truth, row, base):
        return None if row[field] == truth[field] else f"{row[field]!r} != {truth[field]!r}"

    return compare


@pytest.mark.parametrize(
    ("field", "name"), [(f, n) for f in ("title", "lede", "section", "authors") for n in checked(f)]
)
def test_field_matches_ground_truth(crawls, field, name):
    assert _field_failures(_crawled(crawls, name), _same(field)) == {}


@pytest.mark.parametrize("name", checked("published_at"))
def test_published_at_to_the_minute(crawls, name):
    def compare(truth, row, base):
        got, want = _instant(row["published_at"]), _instant(truth["published_at"])
        return None if got == want else f"{row['published_at']} != {truth['published_at']}"

    assert _field_failures(_crawled(crawls, name), compare) == {}


@pytest.mark.parametrize("name", checked("text"))
def test_text_is_the_article_and_nothing_else(crawls, name):
    def compare(truth, row, base):
        want = "\n\n".join(truth["paragraphs"])
        got = row["text"] or ""
        if truth.get("kind") == "live":
            # an entry's time may be read as its own line or as the start of the entry: both are right
            got, want = " ".join(got.split()), " ".join(want.split())
        if got == want:
            return None
        extra = [p[:80] for p in got.split("\n\n") if p not in truth["paragraphs"]]
        missing = [p[:80] for p in truth["paragraphs"] if p not in got]
        return f"extra {extra}, missing {missing}"

    assert _field_failures(_crawled(crawls, name), compare) == {}


@pytest.mark.parametrize("name", checked("leaks"))
def test_no_feed_comment_related_or_byline_text_leaks(crawls, name):
    def compare(truth, row, base):
        text = fold_words(row["text"] or "")
        leaks = [b[:60] for b in truth.get("boilerplate", []) if fold_words(b) in text]
        return f"leaked {leaks}" if leaks else None

    assert _field_failures(_crawled(crawls, name), compare) == {}


@pytest.mark.parametrize("name", checked("images"))
def test_images_url_caption_and_position(crawls, name):
    def compare(truth, row, base):
        want = [
            {"url": base + i["url"], "caption": i["caption"], "position": i["position"]}
            for i in truth["images"]
        ]
        return None if row["images"] == want else f"{row['images']} != {want}"

    assert _field_failures(_crawled(crawls, name), compare) == {}


# --- AMP twins ---------------------------------------------------------------------------


def test_amp_twins_are_folded_into_their_article_and_extract_alike(crawls):
    """The home page links some stories by their AMP URL: stored once, under the canonical URL.

    The twin itself (``<amp-img>``, the lede repeated as the first paragraph) must extract to
    the same article through the generic path, as it would if a crawl only ever saw the twin.
    """
    c = crawls["replica-amp"]
    home = c.server.site.handle("GET", "/", {"Host": "x"}).body.decode()
    twins = [t for t in c.truth.values() if t["amp_path"] and t["amp_path"] in home]
    assert twins, "the home page links no AMP twin"
    stored = [url for (url,) in query(c.db, "select url from articles")]
    assert not [u for u in stored if "/amp/" in u]
    profile = get_outlet("replica-amp").extraction_profile
    problems = {}
    for truth in [t for t in c.truth.values() if t["amp_path"]]:
        response = c.server.site.handle(
            "GET", truth["amp_path"], {"Host": c.server.url.removeprefix("http://")}
        )
        article = extract_article(
            response.body, c.server.url + truth["amp_path"], profile, headers=dict(response.headers)
        )
        got = {
            "canonical": article.canonical_url,
            "title": article.title,
            "lede": article.lede,
            "published_at": _instant(article.published_at),
            "text": article.text,
        }
        want = {
            "canonical": c.server.url + truth["path"],
            "title": truth["title"],
            "lede": truth["lede"],
            "published_at": _instant(truth["published_at"]),
            "text": "\n\n".join(truth["paragraphs"]),
        }
        if diff := {k: (got[k], want[k]) for k in got if got[k] != want[k]}:
            problems[truth["amp_path"]] = diff
    assert problems == {}


# --- the command line --------------------------------------------------------------------


def test_serve_all_gives_each_outlet_its_own_port_and_truth_works_per_outlet(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler", "replica", "serve", "--all", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = []
        while (line := proc.stdout.readline()) and not line.startswith("Ctrl-C"):
            lines.append(line.split())
        urls = dict(lines)
        assert sorted(urls) == OUTLETS
        assert len(set(urls.values())) == len(OUTLETS)
        for name, url in urls.items():
            home = urlopen(url + "/", timeout=10)
            assert home.status == 200, name
            if name == "replica-legacy":
                assert b"charset=windows-1253" in home.read()
    finally:
        proc.terminate()
        proc.wait(timeout=20)

    out = tmp_path / "truth"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "crawler",
            "replica",
            "truth",
            "--outlet",
            "replica-drupal",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    written = sorted(json.loads(p.read_text(encoding="utf-8"))["path"] for p in out.glob("*.json"))
    assert written == sorted(t["path"] for t in families["replica-drupal"]().ground_truth())
    assert f"Wrote {len(written)} articles" in result.stdout
