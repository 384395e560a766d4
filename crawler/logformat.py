"""Log lines without page bodies: Scrapy's default logs a dropped item whole, HTML included."""

from __future__ import annotations

import logging

from scrapy.logformatter import LogFormatter


class QuietLogFormatter(LogFormatter):
    def dropped(self, item, exception, response, spider=None):
        return {
            "level": logging.INFO,
            "msg": "Dropped %(url)s: %(exception)s",
            "args": {"url": response.url if response else "", "exception": exception},
        }

    def scraped(self, item, response, spider=None):
        return {
            "level": logging.DEBUG,
            "msg": "Stored %(url)s",
            "args": {"url": getattr(response, "url", "")},
        }
