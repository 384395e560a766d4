"""Text normalisation shared by heading matching, teaser detection, dates and hashing.

Comparisons go through the archive's own folding (``storage.textnorm.fold``: look-alikes
unmixed, NFKD, accents dropped, casefolded), so a phrase extraction recognises and a word
search finds are folded by one rule.
"""

from __future__ import annotations

import re
import unicodedata

from storage.textnorm import LATIN_TO_GREEK, fold

_GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
_SPACE = re.compile(r"\s+")


def fold_words(text: str) -> str:
    """The project's one ``fold`` (storage.textnorm) with whitespace runs collapsed and trimmed:
    the key headings, boilerplate phrases and date words are compared by."""
    return _SPACE.sub(" ", fold(text)).strip()


def quick_key(text: str, size: int = 60) -> str:
    """A cheap matching key (letters and digits only, lowercased) for aligning the same text."""
    return _NON_WORD.sub("", text[: size * 2].lower())[:size]


_NON_WORD = re.compile(r"[\W_]+")


def match_key(text: str) -> str:
    """Whole-text equality key: lowercased letters and digits only (cheaper than ``fold``)."""
    return _NON_WORD.sub("", text.lower())


def clean_space(text: str) -> str:
    """Collapse runs of whitespace (incl. NBSP) inside one paragraph."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text).replace("\u00ad", "")).strip()


def greek_ratio(text: str) -> float:
    """Share of letters that are Greek; used to guess the language when nothing declares it."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if _GREEK.match(ch)) / len(letters)


def _variants() -> dict[str, set[str]]:
    """For each folded character, every Latin/Greek character that folds to it."""
    table: dict[str, set[str]] = {}
    ranges = [(0x20, 0x250), (0x370, 0x530), (0x1F00, 0x2000)]  # Latin, Greek, Cyrillic
    for start, end in ranges:
        for code in range(start, end):
            ch = chr(code)
            folded = fold(ch) if ch.strip() else ""
            if len(folded) == 1:
                table.setdefault(folded, set()).add(ch)
    # a look-alike letter standing alone is not inside a Greek word, so add the pairs explicitly
    for latin, greek in LATIN_TO_GREEK.items():
        table.setdefault(fold(greek), set()).add(chr(latin))
    return table


_VARIANTS: dict[str, set[str]] | None = None


def prefix_regex(phrases: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    """A regex matching raw text that *starts* with one of ``phrases`` in any case, accent or
    look-alike spelling: a fast prefilter before the exact ``fold_words`` comparison."""
    global _VARIANTS
    if _VARIANTS is None:
        _VARIANTS = _variants()
    alternatives = []
    for phrase in sorted({fold_words(p) for p in phrases if p.strip()}, key=len, reverse=True):
        parts = []
        for ch in phrase:
            if ch == " ":
                parts.append(r"\s+")
                continue
            chars = sorted(_VARIANTS.get(ch, set()) | {ch})
            parts.append("[" + "".join(re.escape(c) for c in chars) + "][\u0300-\u036f]*")
        alternatives.append("".join(parts))
    if not alternatives:
        return re.compile(r"(?!)")
    return re.compile(r"^[\W_]*(?:" + "|".join(alternatives) + ")")
