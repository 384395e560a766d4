"""Greek-to-Latin slugs, because the outlet's article URLs carry a transliterated title."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DIGRAPHS = {"ου": "ou", "αι": "ai", "ει": "ei", "οι": "oi", "μπ": "mp", "ντ": "nt", "γκ": "gk", "γγ": "ng"}
_LETTERS = dict(
    zip(
        "αβγδεζηθικλμνξοπρσςτυφχψω",
        ["a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o", "p", "r", "s", "s"]
        + ["t", "y", "f", "ch", "ps", "o"],
        strict=True,
    )
)


@lru_cache(maxsize=65536)  # every page links dozens of articles by their slug: 4/5 of rendering one
def slugify(title: str, max_words: int = 10) -> str:
    """Lowercase, accent-free, hyphenated Latin slug of a (Greek) title."""
    plain = "".join(c for c in unicodedata.normalize("NFD", title.lower()) if unicodedata.category(c) != "Mn")
    out: list[str] = []
    i = 0
    while i < len(plain):
        pair = plain[i : i + 2]
        if pair in _DIGRAPHS:
            out.append(_DIGRAPHS[pair])
            i += 2
            continue
        out.append(_LETTERS.get(plain[i], plain[i]))
        i += 1
    words = re.findall(r"[a-z0-9]+", "".join(out))
    return "-".join(words[:max_words]) or "article"
