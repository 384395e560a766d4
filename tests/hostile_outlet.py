"""A hostile outlet for the security tests, run as its own process: ``python tests/hostile_outlet.py``.

It stands in for the ``replica`` outlet (``NEWSCRAWL_REPLICA_URL=http://localhost:PORT``) and
points everywhere an outlet must not lead a crawl: its sitemap index lists ``file://`` (a
secret file and ``/dev/zero``), ``ftp://``, another port of the same host, ``https://`` on the
same port, a path that is not a sitemap, a chain of nested indexes and two sub-indexes of
``--index-size`` sitemaps between them; an article redirects to the other port on 127.0.0.1;
another streams zeros for ever; an article's image points at the other port. The other port
(HTTP) and the "FTP" port (raw TCP) log every request or connection they get, and the outlet
logs its own request paths, all in ``--log-dir``.

``--slow-articles N --article-delay S`` adds N plain articles that each take S seconds to
answer, for tests that need a crawl still running when they act.
"""

from __future__ import annotations

import argparse
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

WORDS = "Η Τράπεζα της Ελλάδος ανακοίνωσε σήμερα νέα μέτρα για τη στήριξη των μικρών επιχειρήσεων. "


def article_html(title: str, image: str | None = None) -> str:
    body = WORDS * 12
    img = (
        f'<figure><img src="{image}" alt="εικόνα"><figcaption>Λεζάντα</figcaption></figure>' if image else ""
    )
    return (
        f'<!doctype html><html lang="el"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:title" content="{title}">'
        '<meta property="article:published_time" content="2026-01-05T10:00:00+02:00"></head>'
        f'<body><article><h1 class="headline">{title}</h1>'
        f'<div class="field-body"><p>{body}</p>{img}<p>{body}</p></div></article></body></html>'
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--other-port", type=int, required=True)
    parser.add_argument("--ftp-port", type=int, required=True)
    parser.add_argument("--secret", required=True, help="a local file the crawl must never read")
    parser.add_argument("--log-dir", type=Path, required=True)
    parser.add_argument("--index-size", type=int, default=100_000)
    parser.add_argument("--slow-articles", type=int, default=0)
    parser.add_argument("--article-delay", type=float, default=0.0)
    args = parser.parse_args()
    base, other = f"http://localhost:{args.port}", f"http://127.0.0.1:{args.other_port}"
    logs = args.log_dir
    log_lock = threading.Lock()

    def log(name: str, line: str) -> None:
        with log_lock, open(logs / name, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")

    half = args.index_size // 2
    root_index = "".join(
        f"<sitemap><loc>{loc}</loc></sitemap>"
        for loc in (
            f"{base}/deep/1.xml",
            f"{base}/sitemap-articles.xml",
            f"file://localhost{args.secret}",
            "file:///dev/zero",
            f"ftp://localhost:{args.ftp_port}/sitemap.xml",
            f"http://localhost:{args.other_port}/sitemap.xml",
            f"https://localhost:{args.port}/sitemap-tls.xml",
            f"{base}/admin/settings",
            f"{base}/big/a.xml",
            f"{base}/big/b.xml",
        )
    )
    entries = [
        f"{base}/diethni/articles/3/nea-metra-stirixis",
        f"{base}/diethni/articles/4/redirects-away",
        f"{base}/diethni/articles/8/zeros-for-ever",
        f"file://localhost{args.secret}",
        "file:///dev/zero",
        f"ftp://localhost:{args.ftp_port}/diethni/articles/5/over-ftp",
        f"http://localhost:{args.other_port}/diethni/articles/6/other-port",
        "data:text/html,data-url-page",
        *(f"{base}/oikonomia/articles/{100 + n}/slow-{n}" for n in range(args.slow_articles)),
    ]
    urlset = "".join(f"<url><loc>{e}</loc></url>" for e in entries)

    def xml(inner: str, kind: str = "sitemapindex") -> str:
        return (
            f'<?xml version="1.0" encoding="UTF-8"?><{kind} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{inner}</{kind}>"
        )

    class Outlet(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a) -> None:
            pass

        def send(self, code: int, text: str = "", ctype: str = "text/html; charset=utf-8", extra=()) -> None:
            data = text.encode()
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for k, v in extra:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: C901 - one branch per hostile page
            p = self.path.split("?")[0]
            log("outlet.log", p)
            if p == "/robots.txt":
                return self.send(200, "User-agent: *\nAllow: /\n", "text/plain")
            if p == "/sitemap.xml":
                return self.send(200, xml(root_index), "application/xml")
            if p.startswith("/deep/"):
                n = int(p.removeprefix("/deep/").removesuffix(".xml"))
                return self.send(
                    200, xml(f"<sitemap><loc>/deep/{n + 1}.xml</loc></sitemap>"), "application/xml"
                )
            if p in ("/big/a.xml", "/big/b.xml"):
                first = 0 if p.endswith("a.xml") else half
                locs = "".join(
                    f"<sitemap><loc>/s/{n}.xml</loc></sitemap>" for n in range(first, first + half)
                )
                return self.send(200, xml(locs), "application/xml")
            if p.startswith("/s/"):
                return self.send(200, xml("", "urlset"), "application/xml")
            if p == "/sitemap-articles.xml":
                return self.send(200, xml(urlset, "urlset"), "application/xml")
            if p == "/rss":
                items = f"<item><title>x</title><link>file://localhost{args.secret}</link></item>"
                feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>'
                return self.send(200, feed, "application/rss+xml")
            if p == "/diethni/articles/3/nea-metra-stirixis":
                return self.send(200, article_html("Νέα μέτρα στήριξης", f"{other}/images/photo-2026.jpg"))
            if p == "/diethni/articles/4/redirects-away":
                return self.send(302, extra=[("Location", f"{other}/admin/articles/7/internal-admin")])
            if p == "/diethni/articles/8/zeros-for-ever":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                chunk = b"\0" * 65536
                try:
                    while True:
                        self.wfile.write(chunk)
                except OSError:
                    return None
            if p.startswith("/oikonomia/articles/"):
                time.sleep(args.article_delay)
                return self.send(200, article_html(f"Αργό άρθρο {p.rsplit('-', 1)[-1]}"))
            return self.send(200, "<html><body><p>home</p></body></html>" if p == "/" else "<html></html>")

    class Other(BaseHTTPRequestHandler):
        def log_message(self, *a) -> None:
            pass

        def do_GET(self) -> None:
            log("other.log", self.path)
            data = article_html("OTHER-PORT-LEAK").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    def ftp_listener() -> None:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", args.ftp_port))
        sock.listen(5)
        while True:
            conn, _ = sock.accept()
            log("ftp.log", "connection")
            try:
                conn.sendall(b"220 hello\r\n")
                conn.recv(100)
            finally:
                conn.close()

    threading.Thread(target=ftp_listener, daemon=True).start()
    other_server = ThreadingHTTPServer(("127.0.0.1", args.other_port), Other)
    threading.Thread(target=other_server.serve_forever, daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Outlet)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
