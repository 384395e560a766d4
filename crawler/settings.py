"""Scrapy settings shared by every outlet: polite, safe defaults for a long-running crawler.

Outlet files override only what differs (the local replica, for instance, needs no
politeness delay). Users may turn the telnet console or the remote-control server back on,
but a crawler that runs unattended for months must not expose a code-execution port by default.
"""

import os

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

CONTACT_URL = os.environ.get("NEWSCRAWL_CONTACT_URL", "https://github.com/newscrawl/newscrawl")
USER_AGENT = f"newscrawl/0.1 (+{CONTACT_URL}; news archive crawler)"

# Security: Scrapy 2.19 starts a telnet console and a RemoteControl HTTP server that runs
# Python code sent to it. Off unless the user turns them on.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# Politeness.
ROBOTSTXT_OBEY = True
ROBOTSTXT_PARSER = "scrapy.robotstxt.ProtegoRobotParser"
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# Robustness.
DOWNLOAD_TIMEOUT = 30
# Scrapy starts CONCURRENT_ITEMS tasks for every response's output (default 100); an article page
# yields one item and a listing a few dozen requests, so 100 tasks per page was pure overhead.
CONCURRENT_ITEMS = 8
# Scrapy re-parses a callback's source on every response to warn about `return value` in a
# generator (its cache cannot hold bound methods): a tenth of a cluster coordinator's CPU.
# ruff's checks and the tests cover what that warning is for.
WARN_ON_GENERATOR_RETURN_VALUE = False
DOWNLOAD_MAXSIZE = 4 * 1024 * 1024  # a news page is far smaller; extraction time grows faster than size
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_BACKOFF_BASE = 1.0  # seconds; doubled on each further try
RETRY_BACKOFF_MAX = 60.0  # also the longest Retry-After we honour
REDIRECT_MAX_TIMES = 5
RETRY_GIVE_UP_LOG_LEVEL = "INFO"  # failures are reported in the summary and fetch_errors
OUTLET_MAX_CONSECUTIVE_ERRORS = 25  # then the outlet is paused for the rest of the run
HTTPERROR_ALLOW_ALL = False

# Security: a crawl requests only its outlet's declared http(s) origins (crawler/origins.py, run
# before robots.txt so an off-outlet URL does not even cost a robots.txt fetch), and Scrapy's
# handlers for other schemes are switched off as a second line: file:// would read local files,
# ftp:// and s3:// would reach other services, data: needs no server at all.
DOWNLOAD_HANDLERS = {"file": None, "ftp": None, "s3": None, "data": None}
# Discovery (sitemaps, feeds, listings) per run is bounded: a sitemap index listing 100,000
# sitemaps must not turn one run into 100,000 requests (`newscrawl crawl --max-discovery N`).
NEWSCRAWL_MAX_DISCOVERY = 1000
# Sitemap index -> index -> sitemap at most; deeper nesting is ignored and reported.
NEWSCRAWL_MAX_SITEMAP_DEPTH = 2
# At most this many refused URLs per run are written to fetch_errors; the rest are counted only.
NEWSCRAWL_MAX_REFUSALS_RECORDED = 2000

DOWNLOADER_MIDDLEWARES = {
    "crawler.origins.OutletOriginsMiddleware": 40,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.SharedRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.PoliteRetryMiddleware": 550,
    "crawler.middlewares.RedirectLoopMiddleware": 650,
    # nearer the downloader than retries: an outlet that never answered is not retried
    "crawler.reachability.UnreachableOutletMiddleware": 560,
}
# A name server that does not answer is as good as no network; Scrapy's default waits 60 s.
DNS_TIMEOUT = 10
LOG_FORMATTER = "crawler.logformat.QuietLogFormatter"
ITEM_PIPELINES = {
    "crawler.pipelines.ExtractPipeline": 300,
    "crawler.pipelines.AcceptPipeline": 400,
    "crawler.pipelines.ArchivePipeline": 800,
    # after the article is stored, so a failed image never costs its article
    "crawler.images.ArchiveImagesPipeline": 850,
    # `scrapy crawl OUTLET -O file.jsonl` writes the flat objects `newscrawl export` prints
    "crawler.feeditems.FlatItemPipeline": 900,
}
# Article images: a thumbnail of each kept in the archive (crawl --no-images turns it off,
# --full-images keeps originals too, up to NEWSCRAWL_FULL_IMAGE_MAX_BYTES each).
NEWSCRAWL_IMAGES = True
NEWSCRAWL_FULL_IMAGES = False
NEWSCRAWL_FULL_IMAGE_MAX_BYTES = 2 * 1024 * 1024
MEDIA_ALLOW_REDIRECTS = True

# Where the archive lives unless --db says otherwise.
NEWSCRAWL_DB = os.environ.get("NEWSCRAWL_DB", "news.db")
# Fewer words than this is a cookie banner or an error page, not an article.
NEWSCRAWL_MIN_WORDS = 15
# Group commit: one transaction per this many stored articles or this many seconds, whichever is
# first. A SIGKILL loses at most that batch, which the next run fetches again.
NEWSCRAWL_COMMIT_ARTICLES = 100
NEWSCRAWL_COMMIT_SECONDS = 1.0

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

# Extraction in a worker thread keeps downloads going while a huge page is parsed, but costs
# throughput on ordinary pages (GIL hand-offs: 45-52 vs 59-67 pages/s on a 1,000-page replica
# crawl here), so it is off unless NEWSCRAWL_EXTRACT_IN_THREAD=1; DOWNLOAD_MAXSIZE bounds the stall.
NEWSCRAWL_EXTRACT_IN_THREAD = os.environ.get("NEWSCRAWL_EXTRACT_IN_THREAD", "0") == "1"
