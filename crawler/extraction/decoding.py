"""Turn fetched bytes into text the way a browser would, and refuse what is not HTML.

Greek outlets still serve windows-1253 and ISO-8859-7 pages, declared either in the HTTP
header or only in ``<meta>``; w3lib's ``html_to_unicode`` applies the browser order (BOM,
header, meta, detection). Binary bodies served as text/html are rejected here with a clear
message instead of producing an "article" of mojibake.
"""

from __future__ import annotations

import re

from w3lib.encoding import html_to_unicode

from crawler.extraction.errors import ExtractionError

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"RIFF", "RIFF media"),
    (b"\x00\x00\x01\x00", "icon"),
)
_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or b > 13)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _header(headers: dict | None, name: str) -> str | None:
    if not headers:
        return None
    for key, value in headers.items():
        if str(key).lower() == name:
            if isinstance(value, (list, tuple)):
                value = value[0] if value else None
            if isinstance(value, bytes):
                value = value.decode("latin-1")
            return value
    return None


def _detect(body: bytes) -> str | None:
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - trafilatura depends on it
        return None
    best = from_bytes(body[:200_000]).best()
    return best.encoding if best else None


def sniff_binary(body: bytes) -> str | None:
    """A short description of the binary format ``body`` starts with, or None if it looks like text."""
    for magic, kind in _MAGIC:
        if body.startswith(magic):
            return kind
    if body.startswith(_BOMS):
        return None
    head = body[:4096]
    if head.count(b"\x00") > len(head) // 100:
        return "binary data"
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if head and controls / len(head) > 0.05:
        return "binary data"
    return None


def _valid_utf8(body: bytes) -> bool:
    """True when ``body`` is UTF-8 (a multi-byte character cut off at the very end still counts)."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as err:
        return err.start >= len(body) - 3 and err.reason in ("unexpected end of data",)
    return True


def _same_charset(a: str, b: str) -> bool:
    return a.replace("_", "-").lower() == b.replace("_", "-").lower()


_GREEK_CHARSETS = ("cp1253", "windows-1253", "iso8859-7", "iso-8859-7", "greek", "iso-ir-126")
# the commonest Greek words: a page whose bytes read as windows-1253 hold many of them is Greek,
# whatever charset it declares or a detector guesses (Cyrillic or Latin-1 read the same bytes
# as letters too, but never as these words)
_GREEK_WORDS = re.compile(
    r"(?<!\w)(?:και|της|του|των|το|τα|την|να|για|με|στο|στη|στην|από|που|είναι|θα|οι)(?!\w)"
)
GREEK_WORDS_NEEDED = 10


def _greek_words(text: str) -> int:
    return sum(1 for _ in _GREEK_WORDS.finditer(text, 0, 200_000))


def _greek(body: bytes, decoded: str) -> str | None:
    """``body`` read as windows-1253 when that gives Greek prose, more of it than ``decoded`` (a
    page of UTF-8 with a few windows-1253 paragraphs pasted in stays UTF-8), else None."""
    text = body.decode("cp1253", errors="replace")
    found = _greek_words(text)
    return text if found >= GREEK_WORDS_NEEDED and found > _greek_words(decoded) else None


def decode_html(body: bytes | str, headers: dict | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)``; raise ``ExtractionError`` for empty or binary input.

    The declared charset (BOM, header, meta) is checked against the bytes: bytes that are valid
    UTF-8 and not plain ASCII are UTF-8 whatever the label says (no legacy charset decodes a real
    Greek or CJK page into valid UTF-8 multi-byte runs, while a wrong label would change every
    letter); bytes that are not UTF-8 and read as Greek prose in windows-1253 are Greek whatever
    the label or the detector says (detectors take Greek legacy pages for Cyrillic); when the
    declared charset is plainly wrong (many U+FFFD after decoding) the bytes are re-decoded with
    the detected charset, so a mislabelled page still gives a partial article.
    """
    if isinstance(body, str):
        if not body.strip():
            raise ExtractionError("empty document")
        if "\x00" in body[:4096]:
            raise ExtractionError("binary data, not HTML")
        return body, "unicode"
    if not body or not body.strip():
        raise ExtractionError("empty document")
    kind = sniff_binary(body)
    if kind:
        raise ExtractionError(f"{kind}, not HTML")
    content_type = _header(headers, "content-type")
    encoding, text = html_to_unicode(content_type, body, auto_detect_fun=_detect)
    legacy = not _same_charset(encoding, "utf-8") and not body.startswith(_BOMS)
    if legacy and not body.isascii() and _valid_utf8(body):
        return body.decode("utf-8", errors="replace"), "utf-8"
    # Greek legacy bytes labelled UTF-8 (then decoding left U+FFFD) or Latin-1 (a server's
    # default), or unlabelled and taken by the detector for Cyrillic: Greek when they read so
    mislabelled = legacy or "\ufffd" in text
    greek_label = any(_same_charset(encoding, name) for name in _GREEK_CHARSETS)
    if mislabelled and not greek_label and not body.isascii() and (greek := _greek(body, text)) is not None:
        return greek, "cp1253"
    bad = text.count("\ufffd")
    if bad > 5 and bad > len(text) / 200:
        detected = _detect(body)
        if detected and not _same_charset(detected, encoding):
            try:
                return body.decode(detected), detected
            except (LookupError, UnicodeDecodeError):
                pass
    return text, encoding
