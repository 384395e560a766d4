"""Text normalisation shared by heading matching, teaser detection, dates and hashing.

Greek sites mix scripts by accident or on purpose (a Latin ``o`` inside "Ροή"), so
comparisons go through one folding: NFKD, accents dropped, casefolded, and inside words that
contain Greek letters the Latin look-alikes are mapped to their Greek twins.
"""

from __future__ import annotations

import re
import unicodedata

# Latin letters that render like Greek ones; applied only inside words that already contain
# Greek, so English words ("Most read") are left alone.
_LATIN_TO_GREEK = str.maketrans(
    {
        "A": "Α",
        "B": "Β",
        "E": "Ε",
        "H": "Η",
        "I": "Ι",
        "K": "Κ",
        "M": "Μ",
        "N": "Ν",
        "O": "Ο",
        "P": "Ρ",
        "T": "Τ",
        "X": "Χ",
        "Y": "Υ",
        "Z": "Ζ",
        "a": "α",
        "e": "ε",
        "i": "ι",
        "k": "κ",
        "o": "ο",
        "p": "ρ",
        "t": "τ",
        "u": "υ",
        "v": "ν",
        "x": "χ",
        "y": "γ",
    }
)
_WORD = re.compile(r"\w+")
_GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
_SPACE = re.compile(r"\s+")


def _fold_word(match: re.Match[str]) -> str:
    word = match.group(0)
    return word.translate(_LATIN_TO_GREEK) if _GREEK.search(word) else word


_COMBINING = re.compile(r"[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff]")
_MIXED = re.compile(r"[a-zA-Z][\u0370-\u03ff]|[\u0370-\u03ff][a-zA-Z]")


def strip_accents(text: str) -> str:
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def fold(text: str) -> str:
    """Comparison key: homoglyphs folded, accents stripped, casefolded, spaces collapsed."""
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    if _MIXED.search(text):
        # only words mixing scripts pay for the per-word look-alike mapping
        text = _WORD.sub(_fold_word, text)
    text = text.casefold()
    return _SPACE.sub(" ", text).strip()


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
    ranges = [(0x20, 0x250), (0x370, 0x400), (0x1F00, 0x2000)]
    for start, end in ranges:
        for code in range(start, end):
            ch = chr(code)
            folded = fold(ch) if ch.strip() else ""
            if len(folded) == 1:
                table.setdefault(folded, set()).add(ch)
    # a look-alike letter standing alone is not inside a Greek word, so add the pairs explicitly
    for latin, greek in _LATIN_TO_GREEK.items():
        table.setdefault(fold(greek), set()).add(chr(latin))
    return table


_VARIANTS: dict[str, set[str]] | None = None


def prefix_regex(phrases: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    """A regex matching raw text that *starts* with one of ``phrases`` in any case, accent or
    look-alike spelling: a fast prefilter before the exact ``fold`` comparison."""
    global _VARIANTS
    if _VARIANTS is None:
        _VARIANTS = _variants()
    alternatives = []
    for phrase in sorted({fold(p) for p in phrases if p.strip()}, key=len, reverse=True):
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
