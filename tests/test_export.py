"""`newscrawl export` and `scrapy crawl OUTLET -O`: flat article records out of the archive.

The archive is written with the real storage API (and, for -O, by a real crawl of the
replica); the exports are read back as a user would, with json and csv.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.items import Article, ImageRef
from storage.archive import open_archive, upsert_article

NEWSCRAWL = Path(sys.executable).with_name("newscrawl")
ROOT = Path(__file__).resolve().parents[1]
EXTRACT_KEYS = list(Article.__dataclass_fields__)

ARTICLES = [
    Article(
        url="https://bankingnews.example/kosmos/maduro",
        outlet="bankingnews",
        title="Ο Μαδούρο συνελήφθη στο Καράκας",
        section="Κόσμος",
        tags=["Βενεζουέλα", "Μαδούρο"],
        authors=["Μαρία Παπαδοπούλου", "Γιώργος Νικολάου"],
        published_at="2026-01-05T12:30:00+00:00",
        language="el",
        text='Ο Νικολάς Μαδούρο οδηγήθηκε στο δικαστήριο.\nΔεύτερη παράγραφος, με «εισαγωγικά» και "quotes".',
        images=[
            ImageRef(url="https://bankingnews.example/media/1.jpg", caption="Πρώτη", alt="α", position=0),
            ImageRef(url="https://bankingnews.example/media/2.jpg", caption="Δεύτερη, με κόμμα", position=2),
        ],
    ),
    Article(
        url="https://kriti.example/topika/limani",
        outlet="kritinews",
        title="Νέο λιμάνι στο Ηράκλειο",
        published_at="2026-01-02",
        text="Ξεκινούν τα έργα στο λιμάνι.",
    ),
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "news.db"
    db = open_archive(path)
    for article in ARTICLES:
        upsert_article(db, article)
    db.conn.close()
    return path


def export(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(NEWSCRAWL), "export", *args], capture_output=True, text=True, timeout=60)


def test_jsonl_has_extract_keys_plus_id_and_first_seen(archive: Path) -> None:
    done = export("--db", str(archive), "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert list(records[0]) == ["id", *EXTRACT_KEYS, "first_seen_at"]
    maduro = records[0]
    assert maduro["title"] == ARTICLES[0].title and maduro["text"] == ARTICLES[0].text
    assert maduro["authors"] == ARTICLES[0].authors and maduro["tags"] == ARTICLES[0].tags
    assert maduro["images"] == [
        {"url": "https://bankingnews.example/media/1.jpg", "caption": "Πρώτη", "alt": "α", "position": 0},
        {
            "url": "https://bankingnews.example/media/2.jpg",
            "caption": "Δεύτερη, με κόμμα",
            "alt": None,
            "position": 2,
        },
    ]
    assert records[1]["images"] == [] and records[1]["published_at"] == "2026-01-02"
    assert all(r["first_seen_at"] and isinstance(r["id"], int) for r in records)
    assert "Μαδούρο" in done.stdout  # UTF-8 as is, not \\u escapes


def test_csv_one_row_per_article_with_lists_joined(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "articles.csv"
    done = export("--db", str(archive), "--format", "csv", "--output", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == f"2 articles written to {out}"
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert len(rows) == 2
    assert rows[0]["authors"] == "Μαρία Παπαδοπούλου | Γιώργος Νικολάου"
    assert (
        rows[0]["images"]
        == "https://bankingnews.example/media/1.jpg | https://bankingnews.example/media/2.jpg"
    )
    assert rows[0]["image_captions"] == "Πρώτη | Δεύτερη, με κόμμα"
    assert rows[0]["text"] == ARTICLES[0].text  # newlines and quotes survive the round trip


def test_outlet_and_since_filters_and_bad_input(archive: Path) -> None:
    def urls(*args: str) -> list[str]:
        done = export("--db", str(archive), *args)
        assert done.returncode == 0, done.stderr
        return [json.loads(line)["url"] for line in done.stdout.splitlines()]

    assert urls("--outlet", "kritinews") == [ARTICLES[1].url]
    assert urls("--since", "2026-01-04") == [ARTICLES[0].url]
    unknown = export("--db", str(archive), "--outlet", "nope")
    assert (
        unknown.returncode == 2 and "no outlet 'nope'" in unknown.stderr and "Traceback" not in unknown.stderr
    )
    missing = export("--db", str(archive.parent / "none.db"))
    assert missing.returncode == 2 and "no archive at" in missing.stderr


def test_scrapy_crawl_O_writes_the_same_flat_records(replica, tmp_path: Path) -> None:  # noqa: N802
    out, db = tmp_path / "items.jsonl", tmp_path / "news.db"
    env = {**os.environ, "NEWSCRAWL_REPLICA_URL": replica.url, "NEWSCRAWL_DB": str(db)}
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "replica", "-O", str(out), "-s", "NEWSCRAWL_IMAGES=0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    exported = export("--db", str(db))
    records = {r["url"]: r for r in map(json.loads, exported.stdout.splitlines())}
    # one item per stored fetch (an article reached again through a redirect comes twice)
    assert {item["url"] for item in items} == set(records) and len(records) >= 60
    for item in items:
        assert list(item) == ["id", *EXTRACT_KEYS, "first_seen_at"]
        assert item == records[item["url"]]
