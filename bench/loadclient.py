"""bench/load.py's clients: the seeded request mix and a lean keep-alive HTTP/1.1 client.

Each :class:`Client` thread holds one keep-alive connection and sends its
share of the mix until told to stop, recording (start, kind, seconds, ok) of
every request; :func:`run_clients` starts and stops them together.
"""

from __future__ import annotations

import json
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Sequence
from urllib.parse import quote, urlencode

from latency import query_mix
from queries import folded, words

HOST = "127.0.0.1"  # never anything else: this is a load generator
KINDS = ("search", "page", "feed", "suggest", "article")
WEIGHTS = (0.60, 0.12, 0.05, 0.13, 0.10)
MAX_REQUESTS_PER_CLIENT = 1_000_000  # a bound on every client loop besides the clock
ERRORS_KEPT = 20


# --- the request mix ------------------------------------------------------------------


def request_mix(records: Sequence[dict], size: int, seed: int, offers: dict) -> list[tuple]:
    """``(kind, url)`` pairs, seeded; facet values and article ids are ones the index has."""
    rng = random.Random(seed)
    mix = query_mix(records, size, seed)
    prefixes = sorted({w[: rng.randint(2, 6)] for m in mix for w in words(folded(m["q"]))})
    out = []
    for i in range(size * 3):
        kind = rng.choices(KINDS, WEIGHTS)[0]
        m = mix[i % len(mix)]
        if kind == "suggest":
            out.append((kind, "/api/suggest?" + urlencode({"q": rng.choice(prefixes)})))
            continue
        if kind == "article":
            out.append((kind, "/api/articles/" + quote(rng.choice(offers["ids"]), safe="")))
            continue
        params: list[tuple[str, object]] = [("q", m["q"])]
        if m["filter"] == "province" and offers["province"]:
            params.append(("province", rng.choice(offers["province"])))
        elif m["filter"] == "year" and offers["year"]:
            params.append(("year", rng.choice(offers["year"])))
        if m["page"] > 1 and kind != "feed":
            params.append(("page", m["page"]))
        if kind == "search" and rng.random() < 0.15:
            params.append(("sort", rng.choice(("newest", "oldest"))))
        path = {"search": "/api/search", "page": "/search", "feed": "/feed.atom"}[kind]
        out.append((kind, path + "?" + urlencode(params)))
    return out


def index_offers(port: int, timeout: float) -> dict:
    """Province and year values and article ids, asked of the server itself."""
    offers: dict[str, list] = {"province": [], "year": [], "ids": []}
    for q in ("tinh", "đảng", "kinh tế", "ha noi", "quốc hội"):
        _, body = get(port, "/api/search?" + urlencode({"q": q, "per_page": 100}), timeout)
        data = json.loads(body)
        offers["ids"] += [h["id"] for h in data["hits"]]
        for key in ("province", "year"):
            offers[key] += [f["value"] for f in data["facets"].get(key, [])]
    for key in offers:
        offers[key] = sorted(set(offers[key]))
    if not offers["ids"]:
        raise SystemExit("the index answers no common word: is it empty?")
    return offers


# --- one HTTP exchange ----------------------------------------------------------------


def get(port: int, url: str, timeout: float) -> tuple[int, bytes]:
    """(status, body) of ``GET url`` on a connection of its own."""
    status, _, body = exchange(port, url, timeout)
    return status, body


def exchange(port: int, url: str, timeout: float) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of ``GET url`` on a connection of its own."""
    conn = Connection(port, timeout)
    try:
        return conn.get(url)
    finally:
        conn.close()


class Client(threading.Thread):
    """One keep-alive connection sending its share of the mix until told to stop."""

    def __init__(self, n: int, port: int, mix: list[tuple], t0: float, args, stop: threading.Event):
        super().__init__(name=f"load-client-{n}", daemon=True)
        self.port, self.mix, self.t0, self.stop = port, mix, t0, stop
        self.timeout = args.timeout
        self.next = n * len(mix) // args.clients  # clients start at different places
        self.lenient_404 = args.during_reindex is not None
        self.samples: list[tuple[float, str, float, bool]] = []  # (start, kind, seconds, ok)
        self.errors: list[dict] = []
        self.banners: Counter = Counter()  # Server header values seen
        self.gone = 0  # articles of the old generation missing from the new one

    def run(self) -> None:
        conn = None
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            if self.stop.is_set():
                break
            kind, url = self.mix[self.next % len(self.mix)]
            self.next += 1
            started = time.perf_counter()
            status: int | str
            try:
                if conn is None:
                    conn = Connection(self.port, self.timeout)
                status, headers, body = conn.get(url)
                if "server" in headers:
                    self.banners[headers["server"]] += 1
                if headers.get("connection", "").lower() == "close":
                    conn.close()
                    conn = None
                ok = status == 200 and valid(kind, body)
                if status == 404 and kind == "article" and self.lenient_404:
                    ok, self.gone = True, self.gone + 1
            except (OSError, ValueError) as e:
                status, ok = type(e).__name__, False
                if conn is not None:
                    conn.close()
                conn = None
            seconds = time.perf_counter() - started
            self.samples.append((started - self.t0, kind, seconds, ok))
            if not ok and len(self.errors) < ERRORS_KEPT:
                self.errors.append({"at_s": started - self.t0, "url": url, "status": status})
        if conn is not None:
            conn.close()


class Connection:
    """One keep-alive HTTP/1.1 connection that reads only the status line, headers and body.

    http.client parses every answer's headers with the email package: at 200
    answers a second that was a tenth of the machine the server is measured
    on. Waitress sends every answer of this app with a Content-Length; one
    without it (or a malformed one) is a ValueError, counted as an error.
    """

    def __init__(self, port: int, timeout: float):
        self.sock = socket.create_connection((HOST, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.pending = b""

    def get(self, url: str) -> tuple[int, dict[str, str], bytes]:
        """(status, headers with lowercase names, body) of ``GET url``."""
        self.sock.sendall(f"GET {url} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode("ascii"))
        while (end := self.pending.find(b"\r\n\r\n")) < 0:
            self._receive()
        lines = self.pending[:end].decode("latin-1").split("\r\n")
        self.pending = self.pending[end + 4 :]
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers["content-length"]) if "content-length" in headers else -1
        if length < 0:
            raise ValueError("an answer without Content-Length")
        while len(self.pending) < length:
            self._receive()
        body, self.pending = self.pending[:length], self.pending[length:]
        return status, headers, body

    def _receive(self) -> None:
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self.pending += chunk

    def close(self) -> None:
        self.sock.close()


def valid(kind: str, body: bytes) -> bool:
    """The answer is what the kind promises: JSON that parses, a page, a feed."""
    if kind in ("search", "suggest", "article"):
        try:
            json.loads(body)
        except ValueError:
            return False
        return True
    if kind == "feed":
        return body.lstrip().startswith(b"<?xml")
    return b"</html>" in body


def run_clients(port: int, mix: list[tuple], args, seconds: float, until=None) -> list[Client]:
    """Start the clients, stop them after ``seconds`` (or when ``until()`` says so)."""
    stop = threading.Event()
    t0 = time.perf_counter()
    clients = [Client(n, port, mix, t0, args, stop) for n in range(args.clients)]
    for c in clients:
        c.start()
    deadline = t0 + (args.max_seconds if until else seconds)
    while time.perf_counter() < deadline:
        if until is not None and until(time.perf_counter() - t0):
            break
        time.sleep(0.05)
    stop.set()
    for c in clients:
        c.join(args.timeout + 5)
    return clients
