"""Printing an Article for people (text, Markdown) and for programs (JSON)."""

from __future__ import annotations

import json

from crawler.items import Article

META_FIELDS = (
    "url",
    "canonical_url",
    "outlet",
    "section",
    "authors",
    "tags",
    "published_at",
    "modified_at",
    "language",
    "word_count",
    "content_hash",
)


def _value(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def render_article(
    article: Article, fmt: str = "text", explain: bool = False, extra: dict | None = None
) -> str:
    """``json`` gives exactly the Article fields (plus ``extra``); text and markdown are for reading."""
    if fmt in ("json", "jsonl"):
        data = {**(extra or {}), **article.to_dict()}
        return json.dumps(data, ensure_ascii=False, indent=None if fmt == "jsonl" else 2)
    md = fmt == "markdown"
    lines = [f"# {article.title or '(no title)'}" if md else (article.title or "(no title)")]
    if not md:
        lines.append("=" * min(len(lines[0]), 80))
    if article.lede:
        lines += ["", f"*{article.lede}*" if md else article.lede]
    lines.append("")
    for name in META_FIELDS:
        value = _value(getattr(article, name))
        if value:
            source = article.provenance.get(name) if explain else None
            suffix = f"  [{source}]" if source else ""
            lines.append(f"- **{name}**: {value}{suffix}" if md else f"{name:>13}: {value}{suffix}")
    paragraphs = [p for p in article.text.split("\n\n") if p.strip()]
    images_at: dict[int, list] = {}
    for image in article.images:
        images_at.setdefault(image.position, []).append(image)
    lines.append("")
    for index in range(len(paragraphs) + 1):
        for image in images_at.get(index, []):
            label = image.caption or image.alt or ""
            lines.append(
                f"![{label}]({image.url})"
                if md
                else f"[image] {image.url}" + (f" — {label}" if label else "")
            )
            lines.append("")
        if index < len(paragraphs):
            lines += [paragraphs[index], ""]
    if explain:
        lines.append("Provenance:")
        for key, source in sorted(article.provenance.items()):
            lines.append(f"  {key}: {source}")
    return "\n".join(lines).rstrip() + "\n"
