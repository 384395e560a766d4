"""Fetch every article image and keep a thumbnail of it in the archive.

Built on Scrapy's ``ImagesPipeline``: image requests go through the same engine, downloader
middlewares (robots.txt, polite retries, origin checks), download slots and delays as the
article pages, and the media pipeline's own bookkeeping fetches an address once per run
even when many articles use it. What differs from the stock pipeline is where the bytes go:
into the archive (``storage.images``), keyed by content hash, instead of a directory.

An image that cannot be fetched or decoded never fails its article (the article is stored
before its images are fetched); it lands in ``fetch_errors`` with a reason instead.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from typing import Any

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.pipelines.images import ImagesPipeline
from scrapy.pipelines.media import FileException
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread
from twisted.python.failure import Failure

from crawler.outlet import Outlet
from storage import archive
from storage.images import StoredImage, content_key, known_image, store_image
from storage.urlrules import image_url_refusal

logger = logging.getLogger(__name__)

#: Thumbnails are at most this wide (and three times as tall, for long infographics).
THUMB_MAX_WIDTH = 480
#: JPEG quality is lowered step by step until a thumbnail fits this size.
THUMB_TARGET_BYTES = 40 * 1024
THUMB_QUALITIES = (80, 70, 60, 50, 40, 30)
#: ``--full-images`` keeps originals up to this size; larger ones keep only the thumbnail.
FULL_IMAGE_MAX_BYTES = 2 * 1024 * 1024


def image_refusal(url: str, outlet: Outlet) -> str | None:
    """Why ``url`` must not be fetched as an image of ``outlet`` (None: fetch it).

    The same rule as pages (only http(s), only the outlet's declared origins), then the
    project's one rule for image URLs (``storage.urlrules``: no credentials, no local or private
    address unless it is the outlet's own declared origin, as for the local replica).
    """
    return outlet.refusal(url) or image_url_refusal(url, own_origins=outlet.allowed_origins)


class ImageFailure(FileException):
    """An image that could not be kept; the message is the reason stored in fetch_errors."""


class ImageSkipped(FileException):
    """An image the rules say not to fetch (robots.txt); logged, not an error."""


class _RecordedFailures(logging.Filter):
    """Drop the media pipeline's traceback for an image failure this pipeline records itself.

    ``MediaPipeline`` logs every exception out of a download with ``logger.exception``; a 404
    picture or a dead server is a line in ``fetch_errors``, not a traceback in the crawl log.
    Anything else (a bug) is still logged.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, (ImageFailure, ImageSkipped))


_MEDIA_LOG_FILTER = _RecordedFailures()


class _ArchiveStore:
    """The media pipeline's store; the archive keeps the bytes, through the crawl session.

    ``FilesPipeline`` insists on a store object; this one is never written through directly
    because the archive connection and its failure handling belong to the crawl session.
    """

    def __init__(self, uri: str) -> None:
        self.uri = uri

    def persist_file(self, path: str, buf: io.BytesIO, info: Any, meta: Any = None, headers: Any = None):
        raise NotImplementedError("images are stored by ArchiveImagesPipeline.image_downloaded")

    def stat_file(self, path: str, info: Any) -> dict:
        return {}


@dataclass
class Thumbnail:
    """A thumbnail made from an image's bytes, with what Pillow learnt about the original."""

    data: bytes
    width: int
    height: int
    original_width: int
    original_height: int
    mime_type: str | None


def _flatten(image: Any) -> Any:
    """RGB for JPEG: transparent pixels onto white (as Scrapy's ImagesPipeline does), others converted."""
    from PIL import Image

    if image.mode in ("RGBA", "LA", "P", "PA"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        background.alpha_composite(rgba)
        return background.convert("RGB")
    return image.convert("RGB") if image.mode != "RGB" else image.copy()


def make_thumbnail(body: bytes) -> Thumbnail:
    """A JPEG at most ``THUMB_MAX_WIDTH`` wide and about ``THUMB_TARGET_BYTES`` of ``body``.

    Pure CPU work on bytes (Pillow releases the GIL while it decodes and encodes), so the
    pipeline runs it in a worker thread. A JPEG is decoded at the smallest scale still as
    large as the thumbnail (``draft``), which skips most of the decoding of a big photo.
    Raises ``ImageFailure`` when Pillow cannot decode the bytes.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    size = (THUMB_MAX_WIDTH, THUMB_MAX_WIDTH * 3)
    try:
        original = Image.open(io.BytesIO(body))
        width, height = original.size
        mime = Image.MIME.get(original.format or "")
        original.draft("RGB", size)
        original.load()
        oriented = ImageOps.exif_transpose(original)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImageFailure("not a readable image") from exc
    thumb = _flatten(oriented)
    # bicubic with Pillow's reducing gap: indistinguishable from Lanczos at thumbnail size, and
    # a large share of a crawl's CPU when every article brings pictures
    thumb.thumbnail(size, Image.Resampling.BICUBIC, reducing_gap=2.0)
    data = b""
    for quality in THUMB_QUALITIES:
        out = io.BytesIO()
        thumb.save(out, "JPEG", quality=quality)
        data = out.getvalue()
        if len(data) <= THUMB_TARGET_BYTES:
            break
    return Thumbnail(data, thumb.width, thumb.height, width, height, mime)


class ArchiveImagesPipeline(ImagesPipeline):
    """Scrapy's image pipeline with the archive as its store.

    Off with ``NEWSCRAWL_IMAGES = False`` (``newscrawl crawl --no-images``); originals are kept
    too with ``NEWSCRAWL_FULL_IMAGES = True`` (``--full-images``), up to
    ``NEWSCRAWL_FULL_IMAGE_MAX_BYTES``.
    """

    STORE_SCHEMES = {**ImagesPipeline.STORE_SCHEMES, "archive": _ArchiveStore}
    LOG_FAILED_RESULTS = False

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWL_IMAGES", True):
            raise NotConfigured("images are off (--no-images)")
        media_log = logging.getLogger("scrapy.pipelines.media")
        if _MEDIA_LOG_FILTER not in media_log.filters:
            media_log.addFilter(_MEDIA_LOG_FILTER)
        pipeline = cls("archive://", crawler=crawler)
        pipeline.keep_originals = settings.getbool("NEWSCRAWL_FULL_IMAGES", False)
        pipeline.original_cap = settings.getint("NEWSCRAWL_FULL_IMAGE_MAX_BYTES", FULL_IMAGE_MAX_BYTES)
        # an image that redirects (http -> https, a CDN rename) is followed; the origin rule is
        # checked again on the final address before anything is kept
        pipeline.allow_redirects = settings.getbool("MEDIA_ALLOW_REDIRECTS", True)
        pipeline._handle_statuses(pipeline.allow_redirects)
        return pipeline

    @property
    def spider(self):
        return self.crawler.spider

    # -- what to fetch ---------------------------------------------------------------
    def get_media_requests(self, item: Any, info: Any) -> list[Request]:
        return self._image_requests(item, log=True)

    def _image_requests(self, item: Any, log: bool = False) -> list[Request]:
        article = item.get("article") if isinstance(item, dict) else None
        if article is None:
            return []
        outlet = self.spider.outlet
        requests = []
        for image in article.images:
            if image.url.startswith("data:"):
                continue  # an inline placeholder, nothing to fetch
            reason = image_refusal(image.url, outlet)
            if reason is not None:
                if log:
                    logger.info("image not fetched (%s): %s", reason, image.url)
                continue
            requests.append(
                Request(
                    image.url,
                    callback=NO_CALLBACK,
                    headers={"Referer": item.get("url") or article.url},
                    meta={"newscrawl_image": True},
                )
            )
        return requests

    def media_to_download(self, request: Request, info: Any, *, item: Any = None):
        """An address the archive already holds is not fetched again (images rarely change)."""
        stored = known_image(self.spider.session.db, request.url)
        if stored is None:
            return None
        return {"url": request.url, "path": stored, "checksum": stored, "status": "uptodate"}

    # -- outcomes --------------------------------------------------------------------
    def media_failed(self, failure: Failure, request: Request, info: Any):
        from spiders.news import describe_failure

        if isinstance(failure.value, ImageFailure):
            raise failure.value
        if isinstance(failure.value, IgnoreRequest):
            logger.info("image not fetched (%s): %s", failure.value, request.url)
            raise ImageSkipped(str(failure.value))
        _, reason = describe_failure(failure)
        raise ImageFailure(reason)

    async def media_downloaded(self, response: Response, request: Request, info: Any, *, item: Any = None):
        stored = await self.kept_image(response, request)
        session = self.spider.session
        session.write(store_image, session.db, stored)
        self.inc_stats("downloaded")
        return {"url": request.url, "path": stored.hash, "checksum": stored.hash, "status": "downloaded"}

    async def kept_image(
        self, response: Response, request: Request, keep_original: bool | None = None
    ) -> StoredImage:
        """What the archive keeps of a fetched picture: its thumbnail (made in a thread), and its
        original with ``--full-images`` (or ``keep_original``); ImageFailure when the answer is not
        a picture to keep."""
        if response.status != 200:
            raise ImageFailure(f"HTTP {response.status}")
        if not response.body:
            raise ImageFailure("empty response")
        reason = image_refusal(response.url, self.spider.outlet)
        if reason is not None:
            raise ImageFailure(f"redirected off the outlet: {reason}")
        body = response.body
        thumbnail = await maybe_deferred_to_future(deferToThread(make_thumbnail, body))
        keep_original = self.keep_originals if keep_original is None else keep_original
        keep = keep_original and len(body) <= self.original_cap
        return StoredImage(
            url=request.url,
            hash=content_key(body),
            mime_type=thumbnail.mime_type,
            width=thumbnail.original_width,
            height=thumbnail.original_height,
            bytes=len(body),
            thumbnail=thumbnail.data,
            thumb_width=thumbnail.width,
            thumb_height=thumbnail.height,
            original=body if keep else None,
        )

    def image_outcomes(self, results: list, item: Any, info: Any) -> list[tuple[Request, Any]]:
        """Each image request of ``item`` with its result: the media pipeline's value when kept,
        None when the rules said not to fetch it (robots.txt), else ``ImageFailure``."""
        requests = self._image_requests(item)
        fingerprint = self.crawler.request_fingerprinter.fingerprint
        for request in requests:
            # the media pipeline remembers every result for the whole run; the archive already
            # answers "fetched before?" (media_to_download), so a long crawl's memory stays flat
            info.downloaded.pop(fingerprint(request), None)
        outcomes = []
        for request, (ok, value) in zip(requests, results, strict=False):
            exc = value.value if isinstance(value, Failure) else value
            if ok:
                outcomes.append((request, value))
            elif isinstance(exc, ImageSkipped):
                outcomes.append((request, None))
            else:
                outcomes.append(
                    (
                        request,
                        exc if isinstance(exc, ImageFailure) else ImageFailure("image could not be kept"),
                    )
                )
        return outcomes

    def item_completed(self, results: list, item: Any, info: Any) -> Any:
        """Record each failed image in fetch_errors; the article itself is already stored."""
        session = self.spider.session
        for request, outcome in self.image_outcomes(results, item, info):
            if isinstance(outcome, ImageFailure):
                record_image_failure(session, request.url, str(outcome))
                self.crawler.stats.inc_value("newscrawl/image_errors")
            elif outcome is not None:
                session.write(archive.clear_error, session.db, request.url)
        return item


def record_image_failure(session: Any, url: str, reason: str) -> None:
    """An image that could not be kept, in fetch_errors (``HTTP 404`` reasons keep their status)."""
    status = int(reason[5:]) if reason.startswith("HTTP ") and reason[5:].isdigit() else None
    session.write(
        archive.record_error,
        session.db,
        url,
        session.outlet.name,
        status,
        f"image: {reason}",
        run_id=session.run_id,
    )
