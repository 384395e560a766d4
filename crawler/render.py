"""Printing an Article for people: a metadata header, the text, the images, and with
``--explain`` where every field came from. Shared by ``newscrawl extract`` and ``fetch``."""

from __future__ import annotations

from crawler.items import Article


def render_text(article: Article, markdown: bool = False, explain: bool = False) -> str:
    """A readable article: metadata header, text, image list (and provenance with --explain)."""
    h1, h2, bullet = ("# ", "## ", "- ") if markdown else ("", "", "  ")
    lines = [f"{h1}{article.title or '(no title)'}", ""]
    if article.lede:
        lines += [f"*{article.lede}*" if markdown else article.lede, ""]
    meta = [
        ("URL", article.url),
        ("Canonical", article.canonical_url),
        ("Outlet", article.outlet),
        ("Section", article.section),
        ("Authors", ", ".join(article.authors)),
        ("Published", article.published_at),
        ("Modified", article.modified_at),
        ("Language", article.language),
        ("Tags", ", ".join(article.tags)),
        ("Words", str(article.word_count)),
    ]
    for label, value in meta:
        if value:
            lines.append(f"{bullet}{label}: {value}" if markdown else f"{label}: {value}")
    lines += ["", article.text, ""]
    if article.images:
        lines.append(f"{h2}Images" if markdown else "Images:")
        for img in article.images:
            extra = " | ".join(filter(None, (img.caption, f"alt: {img.alt}" if img.alt else None)))
            if markdown:
                lines.append(
                    f"- ![{img.alt or ''}]({img.url}) after paragraph {img.position}"
                    + (f": {extra}" if extra else "")
                )
            else:
                lines.append(f"  [{img.position}] {img.url}" + (f"  {extra}" if extra else ""))
        lines.append("")
    if explain:
        lines.append(f"{h2}Provenance" if markdown else "Provenance:")
        for field, source in article.provenance.items():
            lines.append(f"{bullet}{field}: {source}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
