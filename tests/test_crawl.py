"""Real crawls of the replica outlet over HTTP, in child processes, into real SQLite files."""

from __future__ import annotations

from collections import Counter

from tests.crawl_helpers import article_paths, query, requested_paths, run_crawl


def truth_by_path(site) -> dict[str, dict]:
    return {t["path"]: t for t in site.ground_truth()}


def test_first_crawl_stores_every_article_once_then_only_new_and_revised(fresh_replica, tmp_path):
    db = tmp_path / "news.db"
    site = fresh_replica.site
    result = run_crawl(fresh_replica, db)
    assert result.returncode == 0, result.stderr[-2000:]

    truth = truth_by_path(site)
    stored = article_paths(fresh_replica, db)
    assert len(stored) == len(set(stored)), "an article is stored twice"
    assert set(stored) == set(truth), (sorted(set(truth) - set(stored)), sorted(set(stored) - set(truth)))

    # images: the same number per article as the ground truth
    images = dict(
        query(
            db,
            "select a.url, count(i.id) from articles a left join images i on i.article_id = a.id group by a.url",
        )
    )
    for path, t in truth.items():
        assert images[fresh_replica.url + path] == len(t["images"]), path

    # robots.txt: the disallowed area is never requested
    requests = requested_paths(fresh_replica)
    assert not [p for p in requests if p.startswith("/internal/")]

    # tracking-parameter and AMP twins are folded before any request: no article fetched twice
    article_requests = Counter(
        p.split("?")[0] for p in requests if "/articles/" in p and not p.startswith("/amp/")
    )
    # (a redirect's target can be reached twice: it is only known once the redirect is followed)
    retried = {f["url"] for f in site.faults()} | {f["target"] for f in site.faults() if f.get("target")}
    assert [p for p, n in article_requests.items() if n > 1 and p not in retried] == []

    # fault URLs: errors are recorded with a reason, retried ones end stored
    errors = {
        url.removeprefix(fresh_replica.url): reason
        for url, reason in query(db, "select url, reason from fetch_errors")
    }
    for fault in site.faults():
        if fault["expect"] == "error":
            assert fault["url"] in errors, fault
            assert errors[fault["url"]], fault
        else:
            assert fault["url"] not in errors, fault

    runs = query(db, "select status, new, errors, finished_at from crawl_runs")
    assert len(runs) == 1 and runs[0][0] == "ok" and runs[0][1] == len(truth) and runs[0][3]

    # second crawl after the replica's clock moved on: only new and revised pages are fetched
    before = len(fresh_replica.requests)
    old_paths = set(truth)
    site.advance(180)
    truth2 = truth_by_path(site)
    new_paths = set(truth2) - old_paths
    assert new_paths, "the replica published nothing new"
    result = run_crawl(fresh_replica, db)
    assert result.returncode == 0, result.stderr[-2000:]
    fetched = {p.split("?")[0] for p in requested_paths(fresh_replica, before) if "/articles/" in p}
    fault_paths = {f["url"] for f in site.faults()} | {f["target"] for f in site.faults() if f.get("target")}
    refetched_old = fetched & old_paths - fault_paths
    revised = [p for p, t in truth2.items() if p in old_paths and t["title"] != truth[p]["title"]]
    assert len(revised) == 1
    assert refetched_old == set(revised), refetched_old
    assert new_paths <= fetched
    assert set(article_paths(fresh_replica, db)) == set(truth2)
    versions = query(
        db,
        "select a.url, a.version, count(v.id) from articles a join article_versions v on v.article_id = a.id group by a.url",
    )
    assert [(u.removeprefix(fresh_replica.url), ver, n) for u, ver, n in versions] == [(revised[0], 2, 1)]
    run2 = query(db, "select new, updated from crawl_runs order by id desc limit 1")[0]
    assert run2 == (len(new_paths), 1)
