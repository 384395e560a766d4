"""The replica outlet over real HTTP: discovery, faults, charsets, clock and ground truth."""

from __future__ import annotations

import http.client
import json
import re
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from lxml import etree, html
from protego import Protego

from crawler.commands.replica import replica as replica_cli
from crawler.replica import ReplicaSite

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
}


def get(server, path: str, headers: dict | None = None, method: str = "GET", timeout: float = 5):
    """One request without following redirects: (status, headers dict, body)."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=timeout)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def page_texts(page: bytes | str) -> list[str]:
    """Whitespace-normalised text of every <p>; pass str for non-UTF-8 pages (lxml obeys the meta charset)."""
    tree = html.document_fromstring(page)
    return [" ".join(p.text_content().split()) for p in tree.iter("p")]


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_discovery_files_parse(replica):
    truth_paths = {a["path"] for a in replica.site.ground_truth()}
    status, headers, body = get(replica, "/robots.txt")
    assert status == 200 and headers["content-type"].startswith("text/plain")
    robots = Protego.parse(body.decode())
    assert not robots.can_fetch(f"{replica.url}/internal/articles/600201/x", "newscrawl")
    assert robots.can_fetch(replica.url + next(iter(truth_paths)), "newscrawl")
    assert list(robots.sitemaps) == [f"{replica.url}/sitemap.xml"]

    index = etree.fromstring(get(replica, "/sitemap.xml")[2])
    children = [path_of(loc.text) for loc in index.findall("sm:sitemap/sm:loc", NS)]
    assert children == ["/sitemap-news.xml", "/sitemap-articles.xml"]

    news = etree.fromstring(get(replica, "/sitemap-news.xml")[2])
    urls = news.findall("sm:url", NS)
    assert urls, "news sitemap is empty"
    for url in urls:
        assert path_of(url.findtext("sm:loc", namespaces=NS)) in truth_paths
        assert url.findtext("news:news/news:publication/news:name", namespaces=NS) == "BankingNews"
        assert re.match(
            r"2026-01-0\dT\d\d:\d\d:00\+02:00$",
            url.findtext("news:news/news:publication_date", namespaces=NS),
        )
        assert url.findtext("news:news/news:title", namespaces=NS)
    assert news.findall("sm:url/image:image/image:loc", NS)

    full = etree.fromstring(get(replica, "/sitemap-articles.xml")[2])
    listed = {path_of(loc.text) for loc in full.findall("sm:url/sm:loc", NS)}
    assert truth_paths <= listed
    assert {f["url"] for f in replica.site.faults()} <= listed
    assert not any(p.startswith("/internal/") for p in listed)

    status, headers, body = get(replica, "/rss")
    assert headers["content-type"].startswith("application/rss+xml")
    items = etree.fromstring(body).findall("channel/item")
    assert len(items) == 30
    for item in items:
        assert path_of(item.findtext("link")) in truth_paths
        assert item.findtext("guid") == item.findtext("link")
        assert parsedate_to_datetime(item.findtext("pubDate")).tzinfo is not None
        assert item.findtext("category") in {"Διεθνή", "Οικονομία", "Τράπεζες", "Αγορές", "Πολιτική"}


def test_every_fault_url_behaves_as_described(fresh_replica):
    site = fresh_replica.site
    faults = {f["kind"]: f for f in site.faults()}
    assert set(faults) == {
        "404",
        "500-once",
        "429-once",
        "redirect-chain",
        "redirect-loop",
        "truncated",
        "empty",
        "binary",
        "slow",
    }
    truth = {a["path"]: a for a in site.ground_truth()}
    for kind, fault in faults.items():
        assert (fault["expect"] == "article") == (kind in ("500-once", "429-once", "redirect-chain")), kind
        assert (fault["url"] in truth) == (kind in ("500-once", "429-once")), kind

    assert get(fresh_replica, faults["404"]["url"])[0] == 404

    url = faults["500-once"]["url"]
    assert get(fresh_replica, url)[0] == 500
    status, _, body = get(fresh_replica, url)
    assert status == 200 and truth[url]["title"] in body.decode()

    url = faults["429-once"]["url"]
    status, headers, _ = get(fresh_replica, url)
    assert status == 429 and headers["retry-after"] == "1"
    assert get(fresh_replica, url)[0] == 200

    path, hops = faults["redirect-chain"]["url"], 0
    while (answer := get(fresh_replica, path))[0] in (301, 302):
        path, hops = path_of(answer[1]["location"]), hops + 1
    assert hops == 3 and answer[0] == 200
    assert path == faults["redirect-chain"]["target"] and path in truth

    seen, path = [], faults["redirect-loop"]["url"]
    while path not in seen and len(seen) < 10:
        seen.append(path)
        status, headers, _ = get(fresh_replica, path)
        assert status in (301, 302)
        path = path_of(headers["location"])
    assert path == seen[0], "redirect loop should come back to its start"

    status, headers, body = get(fresh_replica, faults["truncated"]["url"])
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b"<h1" not in body and b"</html>" not in body and b"<header" in body

    status, headers, body = get(fresh_replica, faults["empty"]["url"])
    assert (status, body) == (200, b"") and headers["content-type"].startswith("text/html")

    status, headers, body = get(fresh_replica, faults["binary"]["url"])
    assert status == 200 and headers["content-type"].startswith("text/html") and body.startswith(b"\x89PNG")

    started = time.monotonic()
    with pytest.raises((socket.timeout, TimeoutError)):
        get(fresh_replica, faults["slow"]["url"], timeout=0.5)
    assert time.monotonic() - started < 2

    linked = get(fresh_replica, "/agores")[2].decode()
    for fault in faults.values():
        if fault["kind"] not in ("500-once", "429-once"):
            assert f'href="{fault["url"]}"' in linked, fault["kind"]


def test_legacy_charset_pages_decode_to_their_utf8_twin(replica):
    legacy = [a for a in replica.site.ground_truth() if a["charset"] != "utf-8"]
    assert sum(a["charset"] == "windows-1253" for a in legacy) >= 3
    assert sum(a["charset"] == "iso-8859-7" for a in legacy) >= 2
    for article in legacy:
        status, headers, body = get(replica, article["path"], {"Host": f"127.0.0.1:{replica.port}"})
        assert status == 200
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        if article["charset"] == "windows-1253":
            assert headers["content-type"] == "text/html; charset=windows-1253"
        else:
            assert headers["content-type"] == "text/html"
            assert b'content="text/html; charset=iso-8859-7"' in body
        twin = replica.site.render_article(article["id"], "utf-8", base_url=replica.url)
        legacy_tree = html.document_fromstring(body.decode(article["charset"]))
        twin_tree = html.document_fromstring(twin.decode("utf-8"))
        assert legacy_tree.findtext(".//h1") == twin_tree.findtext(".//h1") == article["title"]
        assert " ".join(legacy_tree.body.text_content().split()) == " ".join(
            twin_tree.body.text_content().split()
        )
        texts = page_texts(body.decode(article["charset"]))
        assert all(p in texts for p in article["paragraphs"])


def test_conditional_get_answers_304(replica):
    article = replica.site.ground_truth()[10]
    status, headers, body = get(replica, article["path"])
    assert status == 200 and body
    etag, last_modified = headers["etag"], headers["last-modified"]
    status, headers304, body = get(replica, article["path"], {"If-None-Match": etag})
    assert (status, body) == (304, b"") and headers304["etag"] == etag
    assert get(replica, article["path"], {"If-Modified-Since": last_modified})[0] == 304
    assert get(replica, article["path"], {"If-None-Match": '"stale"'})[0] == 200
    assert get(replica, article["path"], {"If-Modified-Since": "Mon, 01 Dec 2025 00:00:00 GMT"})[0] == 200


def test_advancing_the_clock_publishes_and_revises(fresh_replica):
    site = fresh_replica.site
    before = {a["id"]: a for a in site.ground_truth()}
    assert len(before) == 72
    upcoming = site.catalogue.visible(site.now() + timedelta(hours=5))[:12]
    assert all(e.id not in before for e in upcoming)
    first_new = site.path(upcoming[-1].id)
    assert get(fresh_replica, first_new)[0] == 404
    assert first_new not in get(fresh_replica, "/")[2].decode()
    revised = next(e for e in site.catalogue.entries if e.revised)
    old_status, old_headers, old_body = get(fresh_replica, site.path(revised.id))

    status, _, body = get(fresh_replica, "/__replica__/advance?minutes=16", method="POST")
    assert status == 200 and json.loads(body)["offset_minutes"] == 16
    assert len(site.ground_truth()) == 73
    status, headers, _ = get(fresh_replica, first_new)
    assert status == 200 and headers["date"] == "Mon, 05 Jan 2026 13:16:00 GMT"
    for feed in ("/", "/rss", "/sitemap-news.xml", "/sitemap-articles.xml"):
        assert first_new in get(fresh_replica, feed)[2].decode(), feed

    get(fresh_replica, "/__replica__/advance?minutes=30", method="POST")
    status, headers, body = get(fresh_replica, site.path(revised.id), {"If-None-Match": old_headers["etag"]})
    assert status == 200 and headers["last-modified"] == "Mon, 05 Jan 2026 13:45:00 GMT"
    assert headers["last-modified"] != old_headers["last-modified"]
    truth = {a["id"]: a for a in site.ground_truth()}[revised.id]
    assert truth["title"] == before[revised.id]["title"] + " - Νεότερα στοιχεία"
    assert len(truth["paragraphs"]) == len(before[revised.id]["paragraphs"]) + 1
    assert truth["modified_at"] == "2026-01-05T15:45:00+02:00"
    assert truth["paragraphs"][-1] in page_texts(body) and truth["paragraphs"][-1] not in page_texts(old_body)
    sitemap = get(fresh_replica, "/sitemap-articles.xml")[2].decode()
    assert re.search(
        re.escape(site.path(revised.id)) + r"</loc><lastmod>2026-01-05T15:45:00\+02:00<", sitemap
    )

    get(fresh_replica, "/__replica__/advance?minutes=600", method="POST")
    assert len(site.ground_truth()) == 84


def test_control_endpoints_refuse_non_loopback_clients(replica):
    site = replica.site
    for path in ("/__replica__/clock", "/__replica__/requests", "/__replica__/truth", "/__replica__/faults"):
        assert site.handle("GET", path, {}, client_is_loopback=False).status == 403
        assert site.handle("GET", path, {}, client_is_loopback=True).status == 200
    assert site.handle("POST", "/__replica__/advance?minutes=5", {}, client_is_loopback=False).status == 403
    assert site.now().isoformat() == "2026-01-05T15:00:00+02:00"
    answer = site.handle("POST", "/__replica__/advance?minutes=soon", {})
    assert answer.status == 400 and "minutes" in json.loads(answer.body)["error"]

    truth = json.loads(get(replica, "/__replica__/truth")[2])
    assert truth == json.loads(json.dumps(site.ground_truth()))
    get(replica, "/rss?probe=1")
    served = json.loads(get(replica, "/__replica__/requests")[2])
    assert served[-1]["path"] == "/rss?probe=1" and served[-1]["status"] == 200
    assert not any(r["path"].startswith("/__replica__/") for r in replica.requests)


def test_ground_truth_is_consistent_with_the_pages(replica):
    truth = replica.site.ground_truth()
    kinds = {a["kind"] for a in truth}
    assert kinds == {"article", "live", "opinion"}
    styles = {"caption": 0, "alt_only": 0, "lazy": 0, "relative": 0, "srcset": 0}
    for article in truth:
        status, _, body = get(replica, article["path"], {"Host": f"127.0.0.1:{replica.port}"})
        if article["fault"] and status in (429, 500):  # the session replica may not have seen it yet
            status, _, body = get(replica, article["path"], {"Host": f"127.0.0.1:{replica.port}"})
        assert status == 200, article["path"]
        text = body.decode(article["charset"])
        tree = html.document_fromstring(text)
        texts = page_texts(text)
        assert tree.findtext(".//h1") == article["title"]
        assert article["lede"] in text and article["section"] in text
        assert 4 <= len(article["paragraphs"]) <= 13
        for paragraph in article["paragraphs"]:
            assert paragraph in texts, (article["path"], paragraph)
            assert "Διαβάστε επίσης" not in paragraph
        assert "R\u03bf" not in text and "Ρoή Ειδήσεων" in text and "Σχόλια αναγνωστών" in text
        assert ("application/ld+json" in text) == article["has_jsonld"]
        if article["amp_path"]:
            amp = get(replica, article["amp_path"])[2].decode()
            assert f'<link rel="canonical" href="{replica.url}{article["path"]}">' in amp
            assert f'rel="amphtml" href="{replica.url}{article["amp_path"]}"' in text
        for image in article["images"]:
            assert 0 <= image["position"] <= len(article["paragraphs"])
            assert image["url"].startswith("/media/")
            assert image["url"] in text
            if image["caption"]:
                styles["caption"] += 1
                assert f"<figcaption>{image['caption']}</figcaption>" in text
            elif image["alt"]:
                styles["alt_only"] += 1
            styles["lazy"] += (
                f'data-src="{image["url"]}"' in text or f'data-src="{replica.url}{image["url"]}"' in text
            )
            styles["relative"] += f'src="{image["url"]}"' in text
            styles["srcset"] += f"{image['url']} 960w" in text
    assert all(count >= 5 for count in styles.values()), styles
    status, headers, body = get(
        replica, truth[0]["images"][0]["url"] if truth[0]["images"] else "/media/x.jpg"
    )
    assert status == 200 and headers["content-type"] in ("image/jpeg", "image/png")
    assert body[:2] == b"\xff\xd8" or body[:4] == b"\x89PNG"


def test_pagination_reaches_every_article(replica):
    truth = {a["path"] for a in replica.site.ground_truth()}
    found: set[str] = set()
    for slug in ("diethni", "oikonomia", "trapezes", "agores", "politiki"):
        path: str | None = f"/{slug}"
        pages = 0
        while path:
            status, _, body = get(replica, path)
            assert status == 200
            tree = html.document_fromstring(body)
            found |= {a for a in tree.xpath("//div[@class='section-list']//h3/a/@href")}
            nexts = tree.xpath("//a[@rel='next']/@href")
            path, pages = (nexts[0] if nexts else None), pages + 1
        assert get(replica, f"/{slug}?page={pages + 1}")[0] == 404
    assert found == truth

    home = html.document_fromstring(get(replica, "/")[2])
    links = home.xpath("//a/@href")
    assert any("utm_source=home" in link for link in links)
    assert any(link.startswith("/amp/") for link in links)
    internal = [link for link in links if link.startswith("/internal/")]
    assert internal and get(replica, internal[0])[0] == 200


def test_pages_are_deterministic_and_large_sites_are_fast():
    a, b = ReplicaSite(size=72, seed=1), ReplicaSite(size=72, seed=1)
    for article_id in a.article_ids()[:10]:
        assert a.render_article(article_id) == b.render_article(article_id)
    assert a.handle("GET", "/").body == b.handle("GET", "/").body
    assert ReplicaSite(size=72, seed=2).ground_truth() != a.ground_truth()

    started = time.monotonic()
    big = ReplicaSite(size=2000, seed=1)
    assert big.handle("GET", "/agores?page=40").status == 200
    assert big.handle("GET", "/").status == 200
    assert len(big.article_ids()) == 2000
    assert time.monotonic() - started < 2
    started = time.monotonic()
    assert len(ReplicaSite(size=10000, seed=1).article_ids()) == 10000
    assert time.monotonic() - started < 2


def test_cli_truth_writes_one_file_per_article(tmp_path):
    result = CliRunner().invoke(replica_cli, ["truth", "--out", str(tmp_path), "--size", "60"])
    assert result.exit_code == 0, result.output
    files = sorted(tmp_path.glob("*.json"))
    assert len(files) == 60
    article = json.loads(files[0].read_text(encoding="utf-8"))
    assert article["path"].endswith(f"/articles/{article['id']}/" + article["path"].rsplit("/", 1)[1])
    bad = CliRunner().invoke(replica_cli, ["truth", "--out", str(tmp_path), "--size", "10"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_cli_serve_announces_url_and_stops_on_sigterm():
    code = "from crawler.commands.replica import replica; replica(prog_name='replica')"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        match = re.fullmatch(
            r"Replica outlet on (http://127\.0\.0\.1:(\d+)) \(72 articles\) — Ctrl-C to stop\n", line
        )
        assert match, line
        conn = http.client.HTTPConnection("127.0.0.1", int(match.group(2)), timeout=5)
        conn.request("GET", "/__replica__/clock")
        assert json.loads(conn.getresponse().read())["now"] == "2026-01-05T15:00:00+02:00"
        conn.close()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=5) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
        proc.stderr.close()


def test_pictures_made_beforehand_are_served_from_the_media_folder(tmp_path, monkeypatch):
    """The cluster bench makes the replica's pictures once for all its replica processes."""
    from crawler.replica import media

    monkeypatch.setenv(media.MEDIA_DIR_ENV, str(tmp_path))
    made = media.picture.__wrapped__("/media/2026/01/1-1.jpg")
    (stored,) = tmp_path.iterdir()
    assert stored.read_bytes() == made == media._make_picture("/media/2026/01/1-1.jpg", 800, 450)
    stored.write_bytes(b"kept")  # a second replica process reads the file instead of drawing again
    assert media.picture.__wrapped__("/media/2026/01/1-1.jpg") == b"kept"
    assert media.picture.__wrapped__("/media/2026/01/1-2.png")[:4] == b"\x89PNG"
