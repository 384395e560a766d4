"""Rebuild ``bench/data/realpages/`` from local snapshots of the public source repositories.

Why a script: the pages are committed, but anyone can check that they are what the sources hold
and how the sample was drawn (a SHA-1 order of the source's own ids, no hand picking).
Each source keeps the truth it gives, never anything we made up:

- ``wcxb``: Murrough-Foley/web-content-extraction-benchmark (WCXB, CC-BY-4.0), dev split,
  article pages only; full main text, must-have (``with``) and must-not-have (``without``)
  snippets, title and publication date where given.
- ``goose3``: goose3/goose3's test pages (Apache-2.0), the ``tests/data/content`` real pages
  (synthetic snippets under 3 KB left out); the expected text there is the opening of the
  article, kept as must-have sentences; title where the test states it.
- ``magichtml``: opendatalab/magic-html's article benchmark (Apache-2.0); full expected text.

Every page gets a ``split``: ``tune`` or ``check`` by the parity of the first byte of
SHA-1("<source>/<id>"), so the extractor is tuned on ``tune`` and both halves are reported.

Run: ``python bench/data/build_realpages.py --mirror /work/.mirror`` (repositories fetched as
``owner+name/repo`` bare git directories).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import subprocess
from pathlib import Path

OUT = Path(__file__).resolve().parent / "realpages"
WCXB = ("Murrough-Foley", "web-content-extraction-benchmark", 75)
GOOSE = ("goose3", "goose3")
MAGIC = ("opendatalab", "magic-html", 55)
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|\n+")
_WORD = re.compile(r"\w+")


def split_of(source: str, page_id: str) -> str:
    """``tune`` or ``check``, stable across runs and machines."""
    return "tune" if hashlib.sha1(f"{source}/{page_id}".encode()).digest()[0] % 2 == 0 else "check"


def sample_order(source: str, page_id: str) -> str:
    return hashlib.sha1(f"sample/{source}/{page_id}".encode()).hexdigest()


class Repo:
    """A bare git directory read with ``git show`` at its HEAD commit."""

    def __init__(self, mirror: Path, owner: str, name: str) -> None:
        self.name = f"{owner}/{name}"
        self.git_dir = mirror / f"{owner}+{name}" / "repo"
        self.commit = self._git("rev-parse", "HEAD").decode().strip()

    def _git(self, *args: str) -> bytes:
        return subprocess.run(
            ["git", f"--git-dir={self.git_dir}", *args], check=True, capture_output=True
        ).stdout

    def show(self, path: str) -> bytes:
        return self._git("show", f"{self.commit}:{path}")

    def ls(self, folder: str) -> list[str]:
        return self._git("ls-tree", "--name-only", f"{self.commit}:{folder}").decode().split()


def must_have_sentences(text: str, min_words: int = 4) -> list[str]:
    """Sentences (or lines) of a text with at least ``min_words`` words; the whole text if none."""
    parts = [p.strip() for p in _SENTENCE_END.split(text) if p and p.strip()]
    kept = [p for p in parts if len(_WORD.findall(p)) >= min_words]
    return kept or ([text.strip()] if text.strip() else [])


def write_page(source: str, page_id: str, html: bytes) -> None:
    folder = OUT / source
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{page_id}.html.gz").write_bytes(gzip.compress(html, compresslevel=9, mtime=0))


def write_truth(source: str, repo: Repo, licence: str, pages: dict[str, dict]) -> None:
    doc = {"source": repo.name, "commit": repo.commit, "licence": licence, "pages": pages}
    (OUT / source / "truth.json").write_text(
        json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n", encoding="utf-8"
    )


def build_wcxb(mirror: Path) -> int:
    owner, name, count = WCXB
    repo = Repo(mirror, owner, name)
    meta = json.loads(repo.show("metadata.json"))["files"]
    ids = [
        i
        for i, m in meta.items()
        if m.get("split") == "dev" and m.get("page_type") == "article" and not m.get("spa")
    ]
    pages: dict[str, dict] = {}
    for page_id in sorted(ids, key=lambda i: sample_order("wcxb", i)):
        if len(pages) == count:
            break
        doc = json.loads(repo.show(f"dev/ground-truth/{page_id}.json"))
        gt = doc["ground_truth"]
        text = gt.get("main_content") or ""
        if len(_WORD.findall(text)) < 50:
            continue
        html = gzip.decompress(repo.show(f"dev/html/{page_id}.html.gz"))
        write_page("wcxb", page_id, html)
        record = {"url": doc.get("url"), "split": split_of("wcxb", page_id), "text": text}
        record["must_have"] = [s for s in gt.get("with") or [] if s]
        record["must_not_have"] = [s for s in gt.get("without") or [] if s]
        if gt.get("title"):
            record["title"] = gt["title"]
        if gt.get("publish_date") and re.match(r"\d{4}-\d{2}-\d{2}", str(gt["publish_date"])):
            record["date"] = str(gt["publish_date"])
        pages[page_id] = record
    write_truth("wcxb", repo, "CC-BY-4.0", pages)
    return len(pages)


def build_goose(mirror: Path) -> int:
    repo = Repo(mirror, *GOOSE)
    folder = "tests/data/content"
    pages: dict[str, dict] = {}
    for entry in repo.ls(folder):
        if not entry.endswith(".json"):
            continue
        stem = entry.removesuffix(".json")
        html = repo.show(f"{folder}/{stem}.html")
        if len(html) < 3000:  # the library's synthetic snippets, not real pages
            continue
        doc = json.loads(repo.show(f"{folder}/{entry}"))
        expected = doc.get("expected") or {}
        opening = expected.get("cleaned_text") or ""
        if not opening.strip():
            continue
        page_id = stem.removeprefix("test_")
        write_page("goose3", page_id, html)
        record = {
            "url": expected.get("final_url") or doc.get("url"),
            "split": split_of("goose3", page_id),
            "must_have": must_have_sentences(opening),
            "text_opening": opening,
        }
        if expected.get("title"):
            record["title"] = expected["title"]
        if expected.get("publish_date"):
            record["date"] = expected["publish_date"]
        pages[page_id] = record
    write_truth("goose3", repo, "Apache-2.0", pages)
    return len(pages)


def build_magic(mirror: Path) -> int:
    owner, name, count = MAGIC
    repo = Repo(mirror, owner, name)
    base = json.loads(repo.show("benchmark/data/article/base.json"))
    pages: dict[str, dict] = {}
    for key in sorted(base, key=lambda k: sample_order("magichtml", k)):
        if len(pages) == count:
            break
        item = base[key]
        text = item.get("content") or ""
        if item.get("remark") not in (None, "article") or len(text) < 300:
            continue
        html = repo.show(f"benchmark/data/article/htmls/{key}.html")
        page_id = key[:16]
        write_page("magichtml", page_id, html)
        pages[page_id] = {"url": item.get("url"), "split": split_of("magichtml", page_id), "text": text}
    write_truth("magichtml", repo, "Apache-2.0", pages)
    return len(pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    args = parser.parse_args()
    for build in (build_wcxb, build_goose, build_magic):
        print(build.__name__, build(args.mirror))


if __name__ == "__main__":
    main()
