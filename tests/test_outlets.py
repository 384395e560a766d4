"""Every outlet's stored page extracts as its fixture says (one parametrised test for all outlets)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from crawler.extraction import extract_article
from crawler.outlet import all_outlets
from tests.outlets.draft import expected_from

FIXTURES = Path(__file__).resolve().parent / "outlets"


def test_every_outlet_has_a_fixture():
    missing = [name for name in all_outlets() if not (FIXTURES / name / "expected.json").is_file()]
    assert missing == [], f"outlets without tests/outlets/<name>/ fixture: {missing}"


@pytest.mark.parametrize("name", sorted(all_outlets()))
def test_outlet_fixture(name):
    folder = FIXTURES / name
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    body = gzip.decompress((folder / "page.html.gz").read_bytes())
    article = extract_article(
        body, meta["url"], profile=all_outlets()[name].profile, headers=meta.get("headers")
    )
    assert expected_from(article) == expected
