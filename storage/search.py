"""Ranked full-text search over the archive, tolerant of accents, case and odd input.

The user's query is folded like the stored ``*_norm`` columns and rebuilt
from its words as quoted FTS5 phrases, so quotes, hyphens, ``AND`` or a lone
``*`` are searched as text instead of raising an FTS syntax error. The
snippet is cut from the original (accented) text so it reads naturally.
"""

from __future__ import annotations

import re

from sqlite_utils import Database

from storage.textnorm import fold, fold_with_offsets

# Weights follow articles_fts column order: title, lede, text, title_norm, lede_norm, text_norm.
_BM25 = "bm25(articles_fts, 0, 0, 0, 10.0, 4.0, 1.0)"
_CHUNK = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")
SNIPPET_CHARS = 240
MARK_OPEN, MARK_CLOSE = "«", "»"


def parse_query(query: str) -> list[tuple[list[str], bool]]:
    """Split a user query into phrases of folded words, each with a prefix flag.

    ``"κεντρική τράπεζα"`` stays one phrase, ``a-b`` becomes the phrase "a b",
    and a trailing ``*`` asks for a prefix match on the last word.
    """
    phrases = []
    for match in _CHUNK.finditer(query or ""):
        quoted, bare = match.groups()
        chunk = quoted if quoted is not None else bare
        words = _WORD.findall(fold(chunk))
        if words:
            prefix = bare is not None and bare.endswith("*")
            phrases.append((words, prefix))
    return phrases


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH text for ``query`` against the folded columns; None if no words."""
    phrases = parse_query(query)
    if not phrases:
        return None
    parts = ['"' + " ".join(words) + '"' + ("*" if prefix else "") for words, prefix in phrases]
    return "{title_norm lede_norm text_norm} : (" + " ".join(parts) + ")"


def _highlight_pattern(phrases: list[tuple[list[str], bool]]) -> re.Pattern[str]:
    alternatives = []
    for words, prefix in phrases:
        for i, word in enumerate(words):
            tail = r"\w*" if prefix and i == len(words) - 1 else r"(?!\w)"
            alternatives.append(re.escape(word) + tail)
    alternatives.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + ")")


def make_snippet(texts: list[str | None], phrases: list[tuple[list[str], bool]]) -> str:
    """Cut a window from the first text that matches, where most query words meet, marking them «so»."""
    pattern = _highlight_pattern(phrases)
    for text in texts:
        if not text:
            continue
        folded, offsets = fold_with_offsets(text)
        matches = [
            (offsets[m.start()], offsets[m.end() - 1] + 1, m.group(0))
            for m in pattern.finditer(folded)
            if m.end() > m.start()
        ]
        if matches:
            return _window(text, _best_anchor(matches), [(s, e) for s, e, _ in matches])
    fallback = next((t for t in texts if t), "")
    return _window(fallback, 0, [])


def _best_anchor(matches: list[tuple[int, int, str]]) -> int:
    """Start of the match after which a snippet shows the most distinct query words."""
    reach = SNIPPET_CHARS * 2 // 3
    best, best_words = matches[0][0], 0
    for i, (anchor, _, _) in enumerate(matches[:50]):
        words = {word for start, _, word in matches[i:] if start <= anchor + reach}
        if len(words) > best_words:
            best, best_words = anchor, len(words)
    return best


def _window(text: str, anchor: int, spans: list[tuple[int, int]]) -> str:
    start = max(0, anchor - SNIPPET_CHARS // 3)
    if start > 0:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.find(" ", end)
        end = space if space >= 0 else len(text)
    pieces, cursor = [], start
    for s, e in spans:
        if s < cursor or e > end:
            continue
        pieces += [text[cursor:s], MARK_OPEN, text[s:e], MARK_CLOSE]
        cursor = e
    pieces.append(text[cursor:end])
    snippet = " ".join("".join(pieces).split())
    return ("… " if start > 0 else "") + snippet + (" …" if end < len(text) else "")


def search(db: Database, query: str, limit: int = 20, outlet: str | None = None) -> list[dict]:
    """Best-matching articles for ``query``, most relevant first.

    Each hit has ``url``, ``title``, ``published_at``, ``outlet``, ``section``,
    ``snippet`` and ``score`` (higher is better).
    """
    expression = match_expression(query)
    if expression is None or limit < 1:
        return []
    sql = (
        f"SELECT a.url, a.title, a.published_at, a.outlet, a.section, a.lede, a.text, {_BM25} AS rank "
        "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
        "WHERE articles_fts MATCH ?"
    )
    params: list = [expression]
    if outlet:
        sql += " AND a.outlet = ?"
        params.append(outlet)
    sql += " ORDER BY rank, a.published_at DESC LIMIT ?"
    params.append(int(limit))
    phrases = parse_query(query)
    hits = []
    for url, title, published_at, outlet_name, section, lede, text, rank in db.execute(sql, params):
        hits.append(
            {
                "url": url,
                "title": title,
                "published_at": published_at,
                "outlet": outlet_name,
                "section": section,
                "snippet": make_snippet([text, lede, title], phrases),
                "score": round(-rank, 4),
            }
        )
    return hits
