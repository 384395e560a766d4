"""Outlet profiles: the few selectors and habits the generic cascade cannot guess.

A profile is data, not code (as in fundus/alltheplaces): an outlet file in ``spiders/``
builds one ``Profile`` and hands it to its ``Outlet`` declaration; ``crawler.outlet`` finds the
profile for a URL or a name. ``GENERIC_PROFILE`` carries no outlet selectors and must
work on any Greek or English news CMS on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

DATE_SOURCES = ("json-ld", "meta", "visible")

GENERIC_BOILERPLATE_HEADINGS: tuple[str, ...] = (
    # Greek
    "Σχόλια",
    "Σχόλια αναγνωστών",
    "Σχολιάστε",
    "Γράψτε σχόλιο",
    "Αφήστε ένα σχόλιο",
    "Τα σχόλια των αναγνωστών",
    "Γράψτε το σχόλιό σας",
    "Δημοσιεύστε το σχόλιό σας",
    "Σχολιάστε το άρθρο",
    "Δείτε επίσης",
    "Δείτε ακόμα",
    "Διαβάστε επίσης",
    "Διαβάστε ακόμα",
    "Διαβάστε ακόμη",
    "Σχετικά άρθρα",
    "Σχετικές ειδήσεις",
    "Ροή Ειδήσεων",
    "Τελευταία Νέα",
    "Τελευταίες ειδήσεις",
    "Τα πιο δημοφιλή",
    "Δημοφιλή",
    "Πιο διαβασμένα",
    "Δημοφιλέστερα",
    "Περισσότερα",
    "Ακολουθήστε μας",
    "Newsletter",
    "Πολυδιαβασμένα",
    "Τα πιο πολυδιαβασμένα",
    "Πιο πρόσφατα",
    "Μη χάσετε",
    "Προτεινόμενα",
    "Επιλογές σύνταξης",
    "Από το δίκτυο",
    # the Greek strings of WordPress, its news themes and Jetpack
    "Αφήστε μια απάντηση",
    "Σχετικά",
    "Σχετικές αναρτήσεις",
    "Πρόσφατα άρθρα",
    "Πρόσφατες δημοσιεύσεις",
    "Πρόσφατα σχόλια",
    "Μπορεί επίσης να σας αρέσει",
    "Μπορεί να σας ενδιαφέρει",
    "Μοιραστείτε το",
    "Κοινοποιήστε αυτό",
    "Πλοήγηση άρθρων",
    # English
    "Comments",
    "Leave a comment",
    "Leave a reply",
    "Related",
    "Related articles",
    "Related stories",
    "Related posts",
    "Read also",
    "Read more",
    "See also",
    "More stories",
    "More from",
    "Most read",
    "Most popular",
    "Most viewed",
    "Most commented",
    "Most emailed",
    "Most shared",
    "Popular stories",
    "Popular posts",
    "Popular now",
    "Top stories",
    "Editor's picks",
    "Don't miss",
    "More on this story",
    "Around the web",
    "Latest news",
    "Newsfeed",
    "News feed",
    "Trending",
    "Recommended",
    "You may also like",
    "Share this",
    "Sign up for our newsletter",
    # the same boxes in the languages of Europe's (and Turkey's, Russia's, Indonesia's) news sites:
    # a regional outlet we never saw prints its "read also" and "most read" headings in its own
    # language. Not its comments heading: "Reacties", "Комментарии экспертов", "Comentarios
    # finales" also head a story's own section (trafilatura drops comment threads by their markup)
    *(
        # German
        "Lesen Sie auch",
        "Das könnte Sie auch interessieren",
        "Mehr zum Thema",
        "Weitere Artikel",
        "Ähnliche Artikel",
        "Meistgelesen",
        "Meistgelesene Artikel",
        "Auch interessant",
        "Empfehlungen der Redaktion",
        # French
        "Lire aussi",
        "À lire aussi",
        "À lire également",
        "Sur le même sujet",
        "Articles similaires",
        "Articles liés",
        "Les plus lus",
        "Vous aimerez aussi",
        "Vous aimerez peut-être",
        # Spanish
        "Lee también",
        "Lea también",
        "Te puede interesar",
        "También te puede interesar",
        "Noticias relacionadas",
        "Artículos relacionados",
        "Lo más leído",
        # Italian
        "Leggi anche",
        "Articoli correlati",
        "I più letti",
        "Potrebbe interessarti",
        "Ti potrebbe interessare",
        # Portuguese
        "Leia também",
        "Veja também",
        "Notícias relacionadas",
        "Artigos relacionados",
        "Mais lidas",
        # Dutch
        "Lees ook",
        "Gerelateerde artikelen",
        "Meest gelezen",
        # Nordic
        "Läs också",
        "Läs även",
        "Relaterade artiklar",
        "Mest läst",
        "Læs også",
        "Les også",
        "Mest lest",
        "Lue myös",
        "Luetuimmat",
        # Central and Eastern Europe
        "Czytaj także",
        "Czytaj też",
        "Zobacz też",
        "Zobacz także",
        "Najczęściej czytane",
        "Powiązane artykuły",
        "Čtěte také",
        "Související články",
        "Nejčtenější",
        "Citește și",
        "Articole similare",
        "Cele mai citite",
        "Kapcsolódó cikkek",
        "Legolvasottabb",
        "Pročitajte još",
        "Povezane vijesti",
        "Прочетете още",
        # Russian, Ukrainian
        "Читайте также",
        "Похожие статьи",
        "Новости по теме",
        "Самое читаемое",
        "Читайте також",
        # Turkish, Indonesian
        "Ayrıca okuyun",
        "İlgili haberler",
        "Benzer haberler",
        "En çok okunanlar",
        "Baca juga",
        "Berita terkait",
        "Terpopuler",
    ),
)

GENERIC_TEASER_PATTERNS: tuple[str, ...] = (
    "Διαβάστε επίσης",
    "Διαβάστε ακόμα",
    "Διαβάστε ακόμη",
    "Δείτε επίσης",
    "Δείτε ακόμα",
    "Δείτε ακόμη",
    "Read also",
    "Read more:",
    "See also:",
    "Related:",
    "Also read:",
    "Read next:",
    "Σχετική είδηση:",
    # the same lead-in in other languages, always followed by a link to another story
    *(
        "Lesen Sie auch:",
        "Lesen Sie mehr:",
        "Mehr zum Thema:",
        "Lire aussi :",
        "À lire aussi :",
        "Lire aussi:",
        "À lire aussi:",
        "Lee también:",
        "Lea también:",
        "Te puede interesar:",
        "Leggi anche:",
        "Leia também:",
        "Veja também:",
        "Lees ook:",
        "Läs också:",
        "Läs även:",
        "Læs også:",
        "Les også:",
        "Lue myös:",
        "Czytaj także:",
        "Czytaj też:",
        "Zobacz też:",
        "Čtěte také:",
        "Citește și:",
        "Pročitajte još:",
        "Читайте также:",
        "Читайте також:",
        "Ayrıca okuyun:",
        "Baca juga:",
    ),
)


@dataclass(frozen=True)
class Profile:
    """How to read one outlet.

    Selectors are CSS unless they start with ``/`` or ``(`` (then XPath). Every selector is
    optional: whatever is ``None`` falls through to JSON-LD, meta tags and trafilatura.
    ``boilerplate_headings`` name headings that open a block to delete (heading and block);
    they are matched after folding (see ``textnorm.fold_words``), so Latin/Greek look-alikes match.
    ``inline_teaser_patterns`` are paragraph openings ("Διαβάστε επίσης") dropped from text.
    ``image_selector`` (optional) limits body images to the matching <img> elements, and
    ``caption_selector`` finds a caption near an image when the outlet does not use <figcaption>.
    ``timezone`` is the zone of naive times printed on the outlet's pages; ``None`` (the generic
    profile) leaves them naive, since a page from anywhere says nothing about its zone.
    """

    name: str
    language: str | None = None
    timezone: str | None = None
    prune_selectors: tuple[str, ...] = ()
    boilerplate_headings: tuple[str, ...] = GENERIC_BOILERPLATE_HEADINGS
    body_selector: str | None = None
    title_selector: str | None = None
    lede_selector: str | None = None
    section_selector: str | None = None
    author_selector: str | None = None
    date_selector: str | None = None
    modified_selector: str | None = None
    tags_selector: str | None = None
    date_formats: tuple[str, ...] = ()
    day_first: bool = True
    preferred_date_source: str = "json-ld"
    inline_teaser_patterns: tuple[str, ...] = GENERIC_TEASER_PATTERNS
    image_selector: str | None = None
    caption_selector: str | None = None

    def __post_init__(self) -> None:
        if self.preferred_date_source not in DATE_SOURCES:
            raise ValueError(
                f"profile {self.name!r}: preferred_date_source must be one of {', '.join(DATE_SOURCES)}"
            )


GENERIC_PROFILE = Profile(name="generic")
