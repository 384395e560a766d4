"""Crawling on several machines: Redis as the shared frontier, one process owning the archive.

The coordinator (``newscrawl cluster crawl``) runs discovery from the archive's frontier exactly
as a local crawl does, but hands each due article request to Redis instead of its own
downloader. Workers (``newscrawl cluster worker``) lease those requests from a Redis Stream
consumer group, fetch and extract them with the outlet's own spider, middlewares and
extraction pipeline, and push the outcome back. The coordinator is the only archive writer: it
stores every outcome through the same pipeline and session code as ``newscrawl crawl``.

Modules: ``connection`` (clients and key names), ``jobs`` (the leased request stream and the
result stream), ``limiter`` (an outlet's rate and concurrency held for the whole cluster),
``coordinator`` and ``worker`` (the two roles as Scrapy spiders and middlewares).
"""
