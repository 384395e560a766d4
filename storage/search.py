"""Ranked full-text search over the archive, tolerant of accents, case and odd input.

The user's query is folded like the indexed text (storage.searchindex) and rebuilt
from its words as quoted FTS5 phrases, so quotes, hyphens, ``AND`` or a lone
``*`` are searched as text instead of raising an FTS syntax error. The
snippet is cut from the original (accented) text so it reads naturally.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlite_utils import Database

from storage.textnorm import fold, fold_with_offsets

# Weights follow articles_fts column order: title_norm, lede_norm, text_norm.
# Given per query as ``rank MATCH``, so FTS5 ranks in C and ``ORDER BY rank LIMIT`` applies.
_RANK = "bm25(10.0, 4.0, 1.0)"
_TOKEN = re.compile(r'(?P<minus>-?)(?:"(?P<quoted>[^"]*)"?|(?P<bare>[^\s"]+))')
_WORD = re.compile(r"\w+")
SNIPPET_CHARS = 240
# bm25 costs the same for every match, so a common word's search grows with the archive; ranking
# the newest 5,000 matches keeps it bounded (a query with fewer matches is ranked exactly)
DEFAULT_RANK_WINDOW = 5_000
_FIRST_SLICE = 1_500
MARK_OPEN, MARK_CLOSE = "«", "»"


@dataclass
class SearchQuery:
    """A user's query as a web search engine reads it.

    ``groups`` are ANDed; the phrases inside one group are ORed (``a OR b c`` is
    ``(a OR b) AND c``); ``excluded`` phrases (``-word``, ``-"two words"``) must not appear.
    Each phrase is a list of folded words and a prefix flag (a trailing ``*``).
    """

    groups: list[list[tuple[list[str], bool]]] = field(default_factory=list)
    excluded: list[tuple[list[str], bool]] = field(default_factory=list)

    @property
    def phrases(self) -> list[tuple[list[str], bool]]:
        """Every phrase to look for (what a snippet highlights), in query order."""
        return [phrase for group in self.groups for phrase in group]


def parse_search(query: str | None) -> SearchQuery:
    """Read ``query`` with the syntax of a web search engine.

    Words are ANDed; ``"quoted words"`` must appear together (an unclosed quote runs to
    the end); ``OR`` (capitals) between two terms accepts either; ``-word`` or
    ``-"a phrase"`` excludes; a trailing ``*`` matches word beginnings. After a lone ``--``
    everything is a plain word, so ``-- -5%`` looks for 5. Punctuation is never an error.
    """
    parsed = SearchQuery()
    pending_or = False
    literal = False
    for match in _TOKEN.finditer(query or ""):
        minus, quoted, bare = match.group("minus"), match.group("quoted"), match.group("bare")
        if not literal and quoted is None and bare == "-" and minus:  # "--": no operators after it
            literal = True
            continue
        if not literal and quoted is None and bare == "OR" and not minus:
            pending_or = bool(parsed.groups)
            continue
        chunk = quoted if quoted is not None else bare
        words = _WORD.findall(fold(chunk))
        if literal and minus and quoted is None:
            minus = ""
        if not words:
            continue
        phrase = (words, quoted is None and chunk.endswith("*"))
        if minus and not literal:
            parsed.excluded.append(phrase)
        elif pending_or:
            parsed.groups[-1].append(phrase)
        else:
            parsed.groups.append([phrase])
        pending_or = False
    return parsed


def parse_query(query: str) -> list[tuple[list[str], bool]]:
    """The phrases ``query`` looks for, each a list of folded words with a prefix flag."""
    return parse_search(query).phrases


def _fts_phrase(phrase: tuple[list[str], bool]) -> str:
    words, prefix = phrase
    return '"' + " ".join(words) + '"' + ("*" if prefix else "")


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH text for ``query`` against the folded columns; None if nothing to look for.

    Every word is a quoted FTS5 string, so no user input can be an FTS5 syntax error.
    """
    parsed = parse_search(query)
    if not parsed.groups:
        return None
    groups = ["(" + " OR ".join(_fts_phrase(p) for p in group) + ")" for group in parsed.groups]
    expression = "(" + " AND ".join(groups) + ")"
    if parsed.excluded:
        expression += " NOT (" + " OR ".join(_fts_phrase(p) for p in parsed.excluded) + ")"
    return "{title_norm lede_norm text_norm} : (" + expression + ")"


def query_problem(query: str | None) -> str | None:
    """A readable reason why ``query`` searches nothing, or None when it is a real search."""
    if not (query or "").strip():
        return "the search is empty: type a word to look for"
    parsed = parse_search(query)
    if parsed.groups:
        return None
    if parsed.excluded:
        return "only excluded words (-word): add a word to look for"
    return "no letters or digits to search for"


def _highlight_pattern(phrases: list[tuple[list[str], bool]]) -> re.Pattern[str]:
    alternatives = []
    for words, prefix in phrases:
        for i, word in enumerate(words):
            tail = r"\w*" if prefix and i == len(words) - 1 else r"(?!\w)"
            alternatives.append(re.escape(word) + tail)
    alternatives.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + ")")


def make_snippet(
    texts: list[str | None],
    phrases: list[tuple[list[str], bool]],
    marks: tuple[str, str] = (MARK_OPEN, MARK_CLOSE),
) -> str:
    """Cut a window from the first text that matches, where most query words meet, marking them «so».

    Folding a whole article for every hit was most of the time a search took, so
    the text is folded a slice at a time and the search stops at the first slice
    whose matches already show every query word together.
    """
    pattern = _highlight_pattern(phrases)
    wanted = len({word for words, _ in phrases for word in words})
    for text in texts:
        if not text:
            continue
        matches = _matches(text, pattern, wanted)
        if matches:
            return _window(text, _best_anchor(matches)[0], [(s, e) for s, e, _ in matches], marks)
    fallback = next((t for t in texts if t), "")
    return _window(fallback, 0, [], marks)


def _matches(text: str, pattern: re.Pattern[str], wanted: int) -> list[tuple[int, int, str]]:
    """Spans (in ``text``) of the query words, from a prefix of ``text`` long enough to show them all."""
    matches: list[tuple[int, int, str]] = []
    start, size = 0, _FIRST_SLICE
    while start < len(text):
        # Slices end at a space, so no word is cut in two and the lookbehind still holds.
        end = _slice_end(text, start + size)
        folded, offsets = fold_with_offsets(text[start:end])
        matches += [
            (start + offsets[m.start()], start + offsets[m.end() - 1] + 1, m.group(0))
            for m in pattern.finditer(folded)
            if m.end() > m.start()
        ]
        if matches and _best_anchor(matches)[1] >= wanted:
            break
        start, size = end, size * 2
    return matches


def _slice_end(text: str, size: int) -> int:
    """``size`` moved forward to a space (or the end of ``text``)."""
    if size >= len(text):
        return len(text)
    space = text.find(" ", size)
    return space if space >= 0 else len(text)


def _best_anchor(matches: list[tuple[int, int, str]]) -> tuple[int, int]:
    """Start of the match after which a snippet shows the most distinct query words, and how many."""
    reach = SNIPPET_CHARS * 2 // 3
    best, best_words = matches[0][0], 0
    for i, (anchor, _, _) in enumerate(matches[:50]):
        words = {word for start, _, word in matches[i:] if start <= anchor + reach}
        if len(words) > best_words:
            best, best_words = anchor, len(words)
    return best, best_words


def _window(
    text: str, anchor: int, spans: list[tuple[int, int]], marks: tuple[str, str] = (MARK_OPEN, MARK_CLOSE)
) -> str:
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
        pieces += [text[cursor:s], marks[0], text[s:e], marks[1]]
        cursor = e
    pieces.append(text[cursor:end])
    snippet = " ".join("".join(pieces).split())
    return ("… " if start > 0 else "") + snippet + (" …" if end < len(text) else "")


def _window_floor(db: Database, expression: str, window: int) -> int | None:
    """Lowest rowid of the ``window`` newest matches (rowids grow as articles are stored); None when fewer match."""
    row = db.execute(
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
        [expression, window - 1],
    ).fetchone()
    return row[0] if row else None


def search(
    db: Database,
    query: str,
    limit: int = 20,
    outlet: str | None = None,
    rank_window: int | None = DEFAULT_RANK_WINDOW,
) -> list[dict]:
    """Best-matching articles for ``query``, most relevant first.

    Each hit has ``url``, ``title``, ``published_at``, ``outlet``, ``section``,
    ``snippet`` and ``score`` (higher is better).

    bm25 costs about the same for every matching article, so a word found in a
    quarter of a large archive makes the search grow with the archive.
    ``rank_window=N`` (default ``DEFAULT_RANK_WINDOW``) ranks only the N most
    recently stored matches, which bounds the time; a query with fewer matches
    is ranked exactly as without it; ``None`` ranks every match.
    """
    expression = match_expression(query)
    if expression is None or limit < 1:
        return []
    if outlet:
        # The filter needs the articles row of every match; a rare path, so the simple join.
        sql = (
            "SELECT a.url, a.title, a.published_at, a.outlet, a.section, a.lede, a.text, articles_fts.rank "
            "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
            "WHERE articles_fts MATCH ? AND articles_fts.rank MATCH ? AND a.outlet = ? "
            "ORDER BY articles_fts.rank, a.published_utc DESC LIMIT ?"
        )
        params: list = [expression, _RANK, outlet, int(limit)]
    else:
        # Rank inside FTS5 first and read only the top rows of articles: joining
        # before the LIMIT read the whole text of every match.
        sql = (
            "SELECT a.url, a.title, a.published_at, a.outlet, a.section, a.lede, a.text, top.rank "
            "FROM (SELECT rowid AS id, rank FROM articles_fts WHERE articles_fts MATCH ? AND rank MATCH ? "
            "ORDER BY rank LIMIT ?) AS top JOIN articles a ON a.id = top.id "
            "ORDER BY top.rank, a.published_utc DESC"
        )
        params = [expression, _RANK, int(limit)]
        floor = _window_floor(db, expression, rank_window) if rank_window and rank_window > 0 else None
        if floor is not None:
            sql = sql.replace("AND rank MATCH ?", "AND rank MATCH ? AND rowid >= ?")
            params = [expression, _RANK, floor, int(limit)]
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
