"""Crawl settings every local replica outlet declares: no politeness delay, generous timeouts.

A replica answers on 127.0.0.1, so waiting between requests only slows tests down; the
timeout is long because tests crawl several replicas at once on a small, shared machine.
"""

LOCAL_SETTINGS: dict[str, object] = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "DOWNLOAD_TIMEOUT": 30,
    "RETRY_TIMES": 2,
}
