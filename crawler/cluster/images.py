"""Article images in a cluster crawl: fetched and thumbnailed on the worker, stored by the coordinator.

A worker fetches an article's pictures exactly as a local crawl does (``ArchiveImagesPipeline``:
the same engine, robots.txt, origin rules, cluster rate limit and thumbnailing) before it
reports the article, and sends what the archive keeps of each picture with the article's
outcome: the thumbnail's bytes (and the original with ``--full-images``) or the reason it
could not be kept. The coordinator only stores them (before the article), so one archive writer
never fetches.

Bounded: an outcome carries at most ``MAX_OUTCOME_IMAGE_BYTES`` of pictures; originals go first,
then thumbnails (recorded in fetch_errors, fetched again by a later run).

Politeness across runs: a picture the archive already holds is not fetched again. The
coordinator keeps the set of those addresses in Redis for the run (the known pictures of each
article it queues, and every picture it stores), and a worker asks that set before fetching.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import redis
from scrapy.http import Request

from crawler.cluster.connection import OutletKeys
from crawler.images import ArchiveImagesPipeline, ImageFailure, record_image_failure
from storage import archive
from storage.images import StoredImage, store_image

logger = logging.getLogger(__name__)

#: Pictures (thumbnails and originals) one article's outcome may carry through Redis.
MAX_OUTCOME_IMAGE_BYTES = 16 * 1024 * 1024
#: Stat of a worker: picture requests answered (whatever the answer).
IMAGES_FETCHED = "newscrawl/images_fetched"
#: The job field saying what to do with images: off, thumbnails, or thumbnails and originals.
IMAGE_MODES = ("off", "thumbs", "full")


def image_mode(settings) -> str:
    """The coordinator's image settings (``--no-images``, ``--full-images``) as a job field."""
    if not settings.getbool("NEWSCRAWL_IMAGES", True):
        return "off"
    return "full" if settings.getbool("NEWSCRAWL_FULL_IMAGES", False) else "thumbs"


def known_images(db, url: str) -> list[str]:
    """Addresses of the pictures of the archived article ``url`` that the archive already holds."""
    rows = db.execute(
        "SELECT DISTINCT i.url FROM images i JOIN articles a ON a.id = i.article_id "
        "JOIN image_urls u ON u.url = i.url WHERE a.url = ?",
        [url],
    ).fetchall()
    return [row[0] for row in rows]


def mark_known(client: redis.Redis | Any, keys: OutletKeys, urls: list[str]) -> None:
    """Tell the workers the archive holds these pictures (``client`` may be a pipeline)."""
    if urls:
        client.sadd(keys.images, *urls)


def image_fields(item: dict) -> dict[str, Any]:
    """The image part of a worker's outcome: ``images`` (JSON) plus one binary field per blob."""
    listed, blobs, total = [], {}, 0
    for n, entry in enumerate(item.get("cluster_images") or ()):
        kept: StoredImage | None = entry.get("kept")
        if kept is None:
            listed.append({k: v for k, v in entry.items() if k != "kept"})
            continue
        if total + len(kept.thumbnail) > MAX_OUTCOME_IMAGE_BYTES:
            listed.append({"url": kept.url, "error": "not sent: the article's pictures are too large"})
            continue
        total += len(kept.thumbnail)
        blobs[f"thumb:{n}"] = kept.thumbnail
        meta = {k: v for k, v in vars(kept).items() if k not in ("thumbnail", "original")}
        if kept.original is not None and total + len(kept.original) <= MAX_OUTCOME_IMAGE_BYTES:
            total += len(kept.original)
            blobs[f"original:{n}"] = kept.original
            meta["original"] = f"original:{n}"
        listed.append({**meta, "thumbnail": f"thumb:{n}"})
    if not listed:
        return {}
    return {"images": json.dumps(listed, ensure_ascii=False), **blobs}


def outcome_images(outcome: dict[str, Any]) -> list[dict[str, Any]]:
    """The images of a decoded outcome, each kept one with its ``StoredImage``."""
    images = []
    for entry in outcome.get("images") or ():
        if "thumbnail" in entry:
            fields = {k: v for k, v in entry.items() if k not in ("thumbnail", "original")}
            stored = StoredImage(
                **fields,
                thumbnail=outcome.get(entry["thumbnail"]) or b"",
                original=outcome.get(entry["original"]) if entry.get("original") else None,
            )
            images.append({"url": stored.url, "kept": stored})
        else:
            images.append(entry)
    return images


class WorkerImagesPipeline(ArchiveImagesPipeline):
    """On a worker: fetch and thumbnail as a local crawl does; the results go with the article.

    Each job says whether to (``image_mode``): the coordinator's settings decide, not the worker's.
    """

    def get_media_requests(self, item: Any, info: Any) -> list[Request]:
        if item.get("image_mode") == "off":
            return []
        return self._image_requests(item, log=True)

    def _image_requests(self, item: Any, log: bool = False) -> list[Request]:
        if item.get("image_mode") == "off":
            return []
        return super()._image_requests(item, log=log)

    async def process_item(self, item: Any) -> Any:
        """Ask Redis once per article which of its pictures the archive already holds."""
        requests = self._image_requests(item)
        if requests:
            spider = self.spider
            known = spider.state.client.smismember(spider.stream.keys.images, [r.url for r in requests])
            item["known_images"] = {r.url for r, k in zip(requests, known, strict=True) if k}
        return await super().process_item(item)

    def media_to_download(self, request: Request, info: Any, *, item: Any = None):
        if item is not None and request.url in item.get("known_images", ()):
            return {"url": request.url, "path": "", "checksum": "", "status": "uptodate"}
        return None

    async def media_downloaded(self, response, request: Request, info: Any, *, item: Any = None):
        self.crawler.stats.inc_value(IMAGES_FETCHED)
        full = item is not None and item.get("image_mode") == "full"
        stored = await self.kept_image(response, request, keep_original=full)
        self.inc_stats("downloaded")
        return {"url": request.url, "kept": stored}

    def item_completed(self, results: list, item: Any, info: Any) -> Any:
        images = []
        for request, outcome in self.image_outcomes(results, item, info):
            if isinstance(outcome, ImageFailure):
                images.append({"url": request.url, "error": str(outcome)})
            elif outcome is not None:
                images.append({"url": request.url, "kept": outcome.get("kept")})
        item["cluster_images"] = images
        item.pop("known_images", None)
        return item


class StoreImagesPipeline:
    """On the coordinator, just before the article is stored: keep the pictures a worker sent.

    Before, not after: the article and its pictures share the group commit, or the pictures are
    in an earlier one, so a coordinator killed between two writes never leaves an article without
    them (an article without its pictures would not be fetched again; pictures without their
    article are only known when it is).
    """

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item: dict) -> dict:
        spider = self.crawler.spider
        session = spider.session
        stored = []
        for entry in item.pop("cluster_images", None) or ():
            kept: StoredImage | None = entry.get("kept")
            if "error" in entry:
                record_image_failure(session, entry["url"], entry["error"])
                self.crawler.stats.inc_value("newscrawl/image_errors")
                continue
            if kept is not None:
                session.write(store_image, session.db, kept)
                self.crawler.stats.inc_value("file_status_count/downloaded")
            session.write(archive.clear_error, session.db, entry["url"])
            stored.append(entry["url"])
        hub = getattr(spider, "hub", None)
        if hub is not None and stored:
            try:
                mark_known(hub.client, hub.keys, stored)
            except redis.RedisError as exc:  # only costs a second fetch of these pictures
                logger.error("Redis: %s", exc)
        return item
