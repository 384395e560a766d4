"""A local paper's site from the 2000s: nested tables, windows-1253, no sitemap, no feed.

The only way in is the section listings (``kathgoria.php?cat=...&page=N``). The article sits
in one table cell among its neighbours: the news feed ("Ροή Ειδήσεων", times and links) in the
right-hand cell, the menu in the left one. The title is a ``<font>``, not a heading; the date
reads "Δευτέρα, 30 Μαρτίου 2026 - 10:15"; the body is bare text split by ``<br><br>``, with the
"Γράφει ο ..." line at its top and the readers' comments appended in the same cell. Links are
relative, the HTTP header names no charset (the ``<meta http-equiv>`` does).
"""

from __future__ import annotations

from crawler.replica import lexicon as lx
from crawler.replica.family import FamilySite, Story, attr, long_date, text, today_line

SITE = "Η Φωνή της Μεσσηνίας"
SECTIONS = dict(lx.SECTIONS)
PER_PAGE = 4


def signed(author: tuple[str, str, bool]) -> str:
    return ("Γράφει ο " if author[2] else "Γράφει η ") + author[0]


class LegacySite(FamilySite):
    name = "replica-legacy"
    charset = "windows-1253"
    count = 16
    first_id = 18200
    max_pics = 1
    image_root = "/photos"

    def __init__(self, seed: int = 1, slow_seconds: float = 0.0) -> None:
        super().__init__(seed, slow_seconds)
        for s in self.stories.all:
            if s.id % 3 == 0:
                s.pics = []
            for pic in s.pics:
                pic.path = f"/photos/{s.published:%Y/%m}/{s.id}.jpg"
                pic.caption = None
            s.authors = s.authors[:1]

    def path(self, story: Story) -> str:
        return f"/eidisi.php?id={story.id}"

    def boilerplate(self, story: Story) -> list[str]:
        return [*super().boilerplate(story), signed(story.authors[0]), "Σχόλια αναγνωστών", "Ροή Ειδήσεων"]

    def html(self, page: str, status: int = 200, modified=None):
        response = super().html(page, status, modified)
        # IIS-era servers send no charset: only the page's <meta http-equiv> says windows-1253
        response.headers = [(k, "text/html" if k == "Content-Type" else v) for k, v in response.headers]
        return response

    def route(self, path, query, base):
        if path in ("/", "/index.php"):
            return self.html(self.page(self.listing_cell(None, 1), None))
        if path == "/kathgoria.php":
            slug = (query.get("cat") or [""])[0]
            raw = (query.get("page") or ["1"])[0]
            if slug in SECTIONS and raw.isdigit() and int(raw) >= 1:
                stories = [s for s in self.visible() if s.section == slug]
                if (int(raw) - 1) * PER_PAGE < max(1, len(stories)):
                    return self.html(self.page(self.listing_cell(slug, int(raw)), None))
            return None
        if path == "/eidisi.php":
            story = self.story_at((query.get("id") or ["x"])[0])
            if story is not None:
                return self.html(self.page(self.article_cell(story), story, title=story.title))
        return None

    # --- pages ---------------------------------------------------------------------------

    def page(self, main: str, story: Story | None, title: str | None = None) -> str:
        menu = "".join(
            f'<tr><td class="menu"><a href="kathgoria.php?cat={slug}">&raquo; {text(name)}</a></td></tr>'
            for slug, name in lx.SECTIONS
        )
        return (
            "<html>\n<head>\n"
            f'<meta http-equiv="Content-Type" content="text/html; charset={self.charset}">\n'
            f"<title>{text(SITE)}{' - ' + text(title) if title else ''}</title>\n"
            '<link href="css/style.css" rel="stylesheet" type="text/css">\n'
            '<script language="JavaScript" type="text/javascript" src="js/menu.js"></script>\n'
            '<style type="text/css">.katigoria{text-transform:uppercase;color:#990000;font-weight:bold}'
            ".keimeno{font-family:Verdana;font-size:12px;text-align:justify}</style>\n"
            "</head>\n"
            '<body bgcolor="#FFFFFF" leftmargin="0" topmargin="0" marginwidth="0" marginheight="0">\n'
            '<table width="980" border="0" cellspacing="0" cellpadding="0" align="center">\n'
            '<tr><td colspan="3" class="header"><a href="index.php"><img src="images/logo.gif" width="400" '
            f'height="90" border="0" alt="{attr(SITE)}"></a><img src="images/banner_top.gif" width="468" height="60" '
            'border="0"></td></tr>\n'
            f'<tr><td colspan="3" class="topbar" bgcolor="#003366"><font color="#FFFFFF" class="date">'
            f'{today_line(self.now())}</font> &nbsp;|&nbsp; <a href="index.php"><font color="#FFFFFF">Αρχική</font></a>'
            ' &nbsp;|&nbsp; <a href="epikoinonia.php"><font color="#FFFFFF">Επικοινωνία</font></a></td></tr>\n'
            "<tr>\n"
            f'<td width="170" valign="top" class="leftcol" bgcolor="#EEEEEE"><table width="100%" cellpadding="3">{menu}'
            '</table><br><a href="http://www.example-sponsor.gr"><img src="images/banners/sponsor.gif" width="160" '
            'height="600" border="0"></a></td>\n'
            f'<td width="560" valign="top" class="maincol">\n{main}\n</td>\n'
            f'<td width="250" valign="top" class="rightcol">{self.feed(story)}</td>\n'
            "</tr>\n"
            f'<tr><td colspan="3" class="footer" align="center">Copyright &copy; 2004-2026 {text(SITE)} - '
            "Καλαμάτα. Τηλ. 27210 00000</td></tr>\n"
            "</table>\n"
            '<script language="JavaScript">var sc_project=1234567; var sc_invisible=1;</script>\n'
            '<img src="counter.gif?p=1" width="1" height="1" border="0">\n'
            "</body>\n</html>\n"
        )

    def feed(self, story: Story | None) -> str:
        rows = "".join(
            f'<tr><td class="roh" valign="top"><img src="photos/thumbs/{s.id}.jpg" width="50" height="40" '
            f'align="left" hspace="3" border="0"><font color="#990000"><b>{s.published:%H:%M}</b></font> '
            f'<a href="eidisi.php?id={s.id}">{text(s.title)}</a></td></tr>'
            for s in self.visible()[:10]
            if s is not story
        )
        return (
            '<table width="100%" border="0" cellspacing="0" cellpadding="4">'
            '<tr><td class="roh-title" bgcolor="#990000"><font color="#FFFFFF"><b>Ροή Ειδήσεων</b></font></td></tr>'
            f"{rows}</table><br>"
            '<table width="100%"><tr><td align="center"><img src="images/banners/300x250.gif" width="240" height="200" '
            'border="0"></td></tr></table>'
        )

    def article_cell(self, story: Story) -> str:
        parts = [text(signed(story.authors[0])), *(text(p) for p in story.paragraphs)]
        photo = ""
        if story.pics:
            photo = (
                f'<img src="{attr(story.pics[0].path.lstrip("/"))}" width="250" align="right" hspace="6" vspace="4" '
                f'border="0"{" alt=" + chr(34) + attr(story.pics[0].alt) + chr(34) if story.pics[0].alt else ""}>'
            )
        comments = "<br><br>".join(
            f"<b>{text(user)}</b> - {story.published:%d/%m/%Y} {(story.published.hour + i + 1) % 24:02d}:"
            f"{story.published.minute:02d}<br>{text(body)}"
            for i, (user, body) in enumerate(story.comments)
        )
        return (
            '<table width="100%" border="0" cellspacing="0" cellpadding="6">\n'
            f'<tr><td class="katigoria">{text(story.section_name)}</td></tr>\n'
            f'<tr><td><font class="titlos" size="4" color="#003366"><b>{text(story.title)}</b></font></td></tr>\n'
            f'<tr><td class="hmeromhnia"><font size="1" color="#666666">{long_date(story.published)}</font></td></tr>\n'
            f'<tr><td class="perilipsi"><i>{text(story.lede)}</i></td></tr>\n'
            f'<tr><td class="keimeno">{photo}{"<br><br>".join(parts)}<br><br><br>'
            f"<b>Σχόλια αναγνωστών ({len(story.comments)})</b><br><br>{comments}<br><br>"
            f'<a href="sxolio.php?id={story.id}">Γράψτε το σχόλιό σας</a></td></tr>\n'
            '<tr><td align="right"><a href="javascript:window.print()"><img src="images/print.gif" border="0"> '
            'Εκτύπωση</a> | <a href="javascript:history.back()">Επιστροφή</a></td></tr>\n'
            "</table>"
        )

    def listing_cell(self, slug: str | None, page: int) -> str:
        stories = [s for s in self.visible() if slug is None or s.section == slug]
        chunk = stories[:6] if slug is None else stories[(page - 1) * PER_PAGE : page * PER_PAGE]
        rows = "".join(
            f'<tr><td class="list"><font size="1" color="#666666">{s.published:%d/%m/%Y %H:%M}</font><br>'
            f'<a href="eidisi.php?id={s.id}"><b>{text(s.title)}</b></a><br>{text(s.lede)}</td></tr>'
            for s in chunk
        )
        pager = ""
        if slug is not None:
            pages = max(1, -(-len(stories) // PER_PAGE))
            pager = " ".join(
                f"<b>{n}</b>" if n == page else f'<a href="kathgoria.php?cat={slug}&amp;page={n}">{n}</a>'
                for n in range(1, pages + 1)
            )
            pager = f'<tr><td align="center">Σελίδες: {pager}</td></tr>'
        heading = SECTIONS[slug] if slug else "Τελευταία νέα"
        return f'<table width="100%" cellpadding="6"><tr><td class="katigoria">{text(heading)}</td></tr>{rows}{pager}</table>'
