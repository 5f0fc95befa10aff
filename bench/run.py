"""Load-test the forum under gunicorn with wrk, against a bare Flask app, and record the results.

    .venv/bin/python bench/run.py                                   # SQLite at /tmp/bench-forum.db
    .venv/bin/python bench/run.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_forum
    .venv/bin/python bench/run.py --duration 10 --workers 2 --threads 4 --connections 16

Everything binds to 127.0.0.1, every run is bounded by --duration, and the servers are stopped
at the end. Seed the database first with bench/seed.py. For each page it prints requests per
second, p50 and p99 latency, errors, the ratio to the bare Flask app (measured just before the
page, and the median of the run's bare measurements), the SQL query count (read
in-process) and the peak memory (VmHWM) of the gunicorn workers; then the signed-in read/reply
mix and sustained posting by --writers concurrent members, checking that every acknowledged
reply is in the database. Results are appended to bench/RESULTS.md. With --floor it also
measures, signed in, bench/app.py's two pages that do a signed-in page's work without its
template: the least any signed-in page can cost in this stack.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import shlex
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.seed import BENCH_PASSWORD, DEFAULT_URL, normalise_url  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
HOST = "127.0.0.1"

REPORT_LUA = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""

MIX_LUA = r"""
local threads = {}
local counter = 0
setup = function(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
init = function(args)
  acked = 0
  posted = 0
end
request = function()
  counter = counter + 1
  if counter % 3 == 2 then
    posted = posted + 1
    local body = "csrf_token=" .. CSRF .. "&body=Reply+from+the+read-reply-read+mix+" .. tid .. "-" .. counter
    return wrk.format("POST", REPLY_PATH, {["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = COOKIE}, body)
  end
  return wrk.format("GET", TOPIC_PATH, {["Cookie"] = COOKIE})
end
response = function(status, headers, body)
  if status == 302 then acked = acked + 1 end
end
done = function(summary, latency, requests)
  local acks = 0
  for _, t in ipairs(threads) do acks = acks + t:get("acked") end
  local e = summary.errors
  io.write(string.format('BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "errors": %d, "redirects": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout, acks))
end
"""


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Load-test the forum against a bare Flask app.")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker (gthread)")
    parser.add_argument("--duration", type=int, default=5, help="seconds per page")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--writers", type=int, default=16, help="concurrent members posting replies")
    parser.add_argument("--only", default="", help="comma-separated page names to run (default: all)")
    parser.add_argument("--no-record", action="store_true", help="do not append to bench/RESULTS.md")
    parser.add_argument("--no-cache", action="store_true", help="serve anonymous pages without the page cache")
    parser.add_argument("--note", default="", help="a line recorded with the results")
    parser.add_argument("--floor", action="store_true",
                        help="also measure, signed in, what a page costs before its template (bench/app.py's /bench-floor pages)")
    return parser.parse_args(argv)


# --- servers ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """gunicorn on 127.0.0.1 with the given app, workers and threads; access log off."""

    def __init__(self, app: str, args: argparse.Namespace, env: dict[str, str]) -> None:
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)
        # An empty config file: only the flags below apply (not the project's gunicorn.conf.py).
        self.config = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".conf.py", delete=False)
        command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"), app, "--config", self.config.name, "--bind", f"{HOST}:{self.port}",
            "--workers", str(args.workers), "--threads", str(args.threads), "--worker-class", "gthread",
            "--log-level", "error", "--error-logfile", self.log.name, "--chdir", str(ROOT), "--timeout", "60",
        ]
        self.process = subprocess.Popen(command, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._wait()

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def _wait(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log.name}")
            try:
                with socket.create_connection((HOST, self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start within 30 s")

    def workers(self) -> list[int]:
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        except OSError:
            return []
        return [int(pid) for pid in children]

    def peak_memory_mb(self) -> float:
        """The largest peak resident size (VmHWM) among the workers, in MB."""
        peak = 0
        for pid in self.workers():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]))
            except OSError:
                pass
        return peak / 1024

    def cpu_seconds(self) -> float:
        """User and system CPU time used so far by the workers together."""
        return sum(process_cpu_seconds(pid) for pid in self.workers())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


# --- load ---------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    who: str
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    requests: int = 0
    queries: int | None = None
    peak_mb: float = 0.0
    # Bare Flask's req/s measured right before this page (the machine may be shared).
    bare_rps: float = 0.0
    extra: dict = field(default_factory=dict)


def process_cpu_seconds(pid: int) -> float:
    """User and system CPU time of one process (its threads included), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk(url: str, args: argparse.Namespace, duration: int, script: str = REPORT_LUA, headers: dict[str, str] | None = None) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
        path = f.name
    command = ["wrk", "-t", str(args.wrk_threads), "-c", str(args.connections), "-d", f"{duration}s", "--timeout", "10s", "-s", path]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=duration + 30).stdout
    finally:
        os.unlink(path)
    line = next((l for l in out.splitlines() if l.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result for {url}:\n{out}")
    return json.loads(line[len("BENCH "):])


def measure(server: Server, name: str, who: str, path: str, args: argparse.Namespace, headers=None, script=REPORT_LUA) -> Result:
    wrk(server.base + path, args, 1, script, headers)  # warm-up: caches, connection pools, imports
    cpu_at_start = server.cpu_seconds()
    data = wrk(server.base + path, args, args.duration, script, headers)
    workers_cpu = server.cpu_seconds() - cpu_at_start
    seconds = data["duration_us"] / 1e6
    result = Result(name, who, rps=data["requests"] / seconds, p50_ms=data["p50_us"] / 1000, p99_ms=data["p99_us"] / 1000,
                    errors=data["errors"], requests=data["requests"], peak_mb=server.peak_memory_mb())
    # The workers' CPU per request under this load (the in-process figure is for one request alone).
    result.extra["load_cpu"] = workers_cpu / max(1, data["requests"]) * 1000
    if "redirects" in data:
        result.extra["replies"] = data["redirects"]
    return result


# --- signing in ---------------------------------------------------------------------------------


class Browser:
    """A tiny HTTP client with a cookie jar (it ignores the Secure flag: this is loopback)."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection(HOST, port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, str]:
        headers = {"Cookie": self.cookie_header()} if self.cookies else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection.connect()
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.headers), text

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def csrf(self, path: str) -> str:
        _, _, page = self.request("GET", path)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page)
        if not match:
            raise RuntimeError(f"no CSRF token on {path}")
        return match.group(1)

    def sign_in(self, username: str) -> None:
        token = self.csrf("/signin")
        status, headers, _ = self.request("POST", "/signin", {"login": username, "password": BENCH_PASSWORD, "csrf_token": token})
        if status != 302:
            raise RuntimeError(f"could not sign in as {username} (status {status})")
        # Follow the redirect as a browser does: the first page shows the welcome message and makes
        # the form token, and sets the session cookie that every later page then leaves alone. (A
        # cookie taken straight from the sign-in response carried the pending message and no
        # token, so every request made with it changed the session and set a new cookie.)
        self.request("GET", "/")


# --- posting ------------------------------------------------------------------------------------


def post_replies(server: Server, topics: list[int], args: argparse.Namespace, run_id: str) -> tuple[Result, list[str]]:
    """--writers members post replies as fast as they can; returns the result and acknowledged tokens."""
    acked: list[list[str]] = [[] for _ in range(args.writers)]
    errors = [0] * args.writers
    latencies: list[list[float]] = [[] for _ in range(args.writers)]
    browsers = []
    for i in range(args.writers):
        browser = Browser(server.port)
        browser.sign_in(f"member{100 + i:05d}")
        browsers.append((browser, browser.csrf(f"/topics/{topics[0]}?page=1")))
    start_at = time.monotonic() + 0.5
    stop_at = start_at + args.duration

    def write(i: int) -> None:
        browser, token = browsers[i]
        n = 0
        while time.monotonic() < start_at:
            time.sleep(0.01)
        while time.monotonic() < stop_at:
            n += 1
            mark = f"{run_id}-{i}-{n}"
            topic = topics[(i * 7 + n) % len(topics)]
            t = time.perf_counter()
            try:
                status, headers, _ = browser.request("POST", f"/topics/{topic}/reply",
                                                     {"csrf_token": token, "body": f"Bench reply {mark}: the injections helped me too."})
            except (OSError, http.client.HTTPException):
                status, headers = 0, {}
            latencies[i].append(time.perf_counter() - t)
            if status == 302 and "/topics/" in headers.get("Location", ""):
                acked[i].append(mark)
            else:
                errors[i] += 1

    threads = [threading.Thread(target=write, args=(i,)) for i in range(args.writers)]
    for t in threads:
        t.start()
    while time.monotonic() < start_at:
        time.sleep(0.01)
    # Where the CPU goes while the writers run: the workers, and this process (the 16 writers).
    cpu_at_start = server.cpu_seconds(), process_cpu_seconds(os.getpid()), time.monotonic()
    for t in threads:
        t.join(args.duration + 60)
    workers_cpu = server.cpu_seconds() - cpu_at_start[0]
    writers_cpu = process_cpu_seconds(os.getpid()) - cpu_at_start[1]
    elapsed = time.monotonic() - cpu_at_start[2]
    tokens = [m for marks in acked for m in marks]
    all_latencies = sorted(x for ls in latencies for x in ls)

    def pct(p: float) -> float:
        return all_latencies[min(len(all_latencies) - 1, int(p * len(all_latencies)))] * 1000 if all_latencies else 0.0

    result = Result("posting (replies)", f"{args.writers} writers", rps=len(tokens) / args.duration, p50_ms=pct(0.50),
                    p99_ms=pct(0.99), errors=sum(errors), requests=len(all_latencies), peak_mb=server.peak_memory_mb())
    replies = max(1, len(all_latencies))
    result.extra["load_cpu"] = workers_cpu * 1000 / replies
    result.extra["cpu_note"] = (
        f"CPU while the writers ran: the workers {workers_cpu * 1000 / replies:.1f} ms per reply "
        f"({workers_cpu / elapsed:.2f} cores), the writers' own process {writers_cpu * 1000 / replies:.1f} ms per reply "
        f"({writers_cpu / elapsed:.2f} cores), on {os.cpu_count()} cores."
    )
    return result, tokens


def count_stored(database_url: str, run_id: str, tokens: list[str]) -> tuple[int, int]:
    """(acknowledged replies found in the database, acknowledged replies missing)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(normalise_url(database_url))
    with engine.connect() as connection:
        bodies = connection.execute(text("SELECT body FROM post WHERE body LIKE :p"), {"p": f"Bench reply {run_id}-%"}).scalars()
        stored = {b.split(":", 1)[0][len("Bench reply "):] for b in bodies}
    engine.dispose()
    missing = [t for t in tokens if t not in stored]
    return len(tokens) - len(missing), len(missing)


# --- what to load -------------------------------------------------------------------------------


def targets(database_url: str) -> dict:
    """The pages to load, found in the seeded database, and the features present on this build."""
    os.environ["LOG_LEVEL"] = "WARNING"
    from sqlalchemy import func, select

    from forum import create_app
    from forum.extensions import db
    from forum.models import Board, Topic

    app = create_app(SQLALCHEMY_DATABASE_URI=normalise_url(database_url), CACHE_PAGES=False, RATELIMIT_ENABLED=False)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=str(ROOT / "migrations"))  # a database seeded by an older build gets new tables
        board = db.session.scalars(select(Board).order_by(Board.topic_count.desc())).first()
        if board is None:
            raise SystemExit("The database is empty: run bench/seed.py first.")
        big = db.session.scalars(select(Topic).order_by(Topic.last_number.desc())).first()
        recent = list(db.session.scalars(select(Topic.id).order_by(Topic.last_posted_at.desc()).limit(200)))
        per_page = app.config["POSTS_PER_PAGE"]
        middle = max(1, -(-board.topic_count // app.config["TOPICS_PER_PAGE"]) // 2)
        pages = {
            "home": "/",
            "board p1": f"/boards/{board.slug}",
            "board p400": f"/boards/{board.slug}?page=400",
            # The middle page is the farthest from both ends of the listing index.
            f"board p{middle} (middle)": f"/boards/{board.slug}?page={middle}",
            # ?page=1: a member who has read page 1 is otherwise sent on to the first unread post.
            "topic p1": f"/topics/{big.id}?page=1",
            f"topic p{(big.last_number - 1) // per_page + 1} (last)": f"/topics/{big.id}?page={(big.last_number - 1) // per_page + 1}",
        }
        rules = {r.rule: r for r in app.url_map.iter_rules()}
        article_rule = next((r for r in rules if r.startswith("/articles/<")), None)
        if article_rule is not None and "article" in db.metadata.tables:
            table = db.metadata.tables["article"]
            query = select(table.c.slug).limit(1)
            if "status" in table.c:
                query = query.where(table.c.status == "published")
            slug = db.session.execute(query).scalar()
            if slug:
                pages["article"] = f"/articles/{slug}"
        if "/search" in rules:
            pages["search"] = "/search?q=botox+injections"
        if "/api/v1/topics/<id:topic_id>" in rules:
            pages["api board topics"] = f"/api/v1/boards/{board.slug}/topics"
            pages["api topic"] = f"/api/v1/topics/{big.id}"
        mix_topic = db.session.scalar(select(Topic.id).where(Topic.last_number.between(5, 20)).order_by(Topic.id).limit(1))
        dialect = db.engine.dialect.name
        with db.engine.connect() as connection:
            version = connection.exec_driver_sql("SHOW server_version").scalar() if dialect == "postgresql" else sqlite3.sqlite_version
            sizes = {
                "posts": connection.execute(select(func.count()).select_from(db.metadata.tables["post"])).scalar(),
                "topics": connection.execute(select(func.count()).select_from(db.metadata.tables["topic"])).scalar(),
            }
    queries = count_queries(app, pages)
    return {"pages": pages, "queries": queries, "mix_topic": mix_topic, "recent": recent, "dialect": dialect,
            "db_version": version, "sizes": sizes, "board_pages": -(-board.topic_count // app.config["TOPICS_PER_PAGE"])}


def cpu_per_request(client, path: str, requests: int = 20) -> float:
    """Milliseconds of this process's CPU per request, in-process (no server, no load generator).

    CPU time, unlike wall time, holds on a machine whose cores are shared with other work.
    """
    client.get(path)
    started = time.process_time()
    for _ in range(requests):
        client.get(path)
    return (time.process_time() - started) / requests * 1000


def count_queries(app, pages: dict[str, str]) -> dict:
    """SQL statements per page, anonymous (cache off) and signed in, read in-process."""
    from sqlalchemy import event

    from forum.extensions import db
    from forum.models import User

    counts: dict[tuple[str, str], int] = {}
    statements: list[str] = []

    def _count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    # Requests run outside the caller's app context, each in its own (as when served): nothing
    # is answered from a session's identity map left by an earlier request.
    with app.app_context():
        member = db.session.scalar(db.select(User).where(User.username_key == "member00050"))
        engine = db.engine
    event.listen(engine, "before_cursor_execute", _count)
    try:
        for who in ("anonymous", "signed in"):
            # Signed-in pages are never page-cached, but use fragments as they do when served.
            app.config["CACHE_PAGES"] = who == "signed in"
            client = app.test_client()
            if who == "signed in":
                with client.session_transaction() as session:
                    session["_user_id"], session["_fresh"] = member.get_id(), True
            for name, path in pages.items():
                client.get(path)  # first request: warms per-process state
                statements.clear()
                response = client.get(path)
                counts[(name, who)] = len(statements) if response.status_code == 200 else -response.status_code
                counts[(name, who, "cpu")] = cpu_per_request(client, path)
        # The same figure for anonymous pages served from the page cache, and for bare Flask.
        app.config["CACHE_PAGES"] = True
        client = app.test_client()
        for name, path in pages.items():
            counts[(name, "anonymous", "cpu cached")] = cpu_per_request(client, path)
        app.config["CACHE_PAGES"] = False
        from bench.bare import app as bare_app

        counts[("bare", "-", "cpu")] = cpu_per_request(bare_app.test_client(), "/", 200)
    finally:
        event.remove(engine, "before_cursor_execute", _count)
    return counts


# --- report -------------------------------------------------------------------------------------


def machine(info: dict) -> str:
    cpu = ""
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    server = f", PostgreSQL {info['db_version']}" if info["dialect"] == "postgresql" else ""
    return f"{os.cpu_count()} cores ({cpu or platform.machine()}), Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}{server}"


def table(results: list[Result]) -> str:
    """The run as a Markdown table. "× bare" compares a page with the bare app measured just
    before it; on a shared machine one measurement of either can be off by half, so "× median
    bare" also compares it with the median of every bare measurement in the run."""
    measured = sorted(r.bare_rps for r in results if r.bare_rps)
    median_bare = measured[len(measured) // 2] if measured else 0.0
    lines = ["| page | who | req/s | bare req/s | × bare | × median bare | p50 ms | p99 ms | errors | SQL queries (anonymous: no page cache) | "
             "CPU ms/req in-process | workers' CPU ms/req under load (bare) | worker peak MB |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        ratio = f"{r.rps / r.bare_rps:.0%}" if r.bare_rps else "-"
        steady = f"{r.rps / median_bare:.0%}" if r.bare_rps and median_bare else "-"
        queries = "-" if r.queries is None else str(r.queries)
        cpu = r.extra.get("cpu", "-")
        load_cpu = f"{r.extra['load_cpu']:.2f}" if "load_cpu" in r.extra else "-"
        if "bare_load_cpu" in r.extra:
            load_cpu += f" ({r.extra['bare_load_cpu']:.2f})"
        lines.append(f"| {r.name} | {r.who} | {r.rps:,.0f} | {r.bare_rps:,.0f} | {ratio} | {steady} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | "
                     f"{r.errors} | {queries} | {cpu} | {load_cpu} | {r.peak_mb:.0f} |")
    return "\n".join(lines)


def main(argv=None) -> None:
    args = parse_args(argv)
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    url = normalise_url(args.database_url)
    info = targets(url)
    print(f"Database: {url.split('@')[-1]} ({info['sizes']['posts']:,} posts, {info['sizes']['topics']:,} topics); "
          f"machine: {machine(info)}", flush=True)
    env = {"FORUM_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": url, "SITE_URL": f"http://{HOST}",
           "CACHE_GENERATION_FILE": tempfile.mktemp(prefix="bench-generation-"), "PYTHONDONTWRITEBYTECODE": "1", "LOG_LEVEL": "WARNING",
           "CACHE_PAGES": "0" if args.no_cache else "1"}
    results: list[Result] = []

    # Both servers stay up; bare Flask is measured right before each page, so that each ratio
    # compares two runs made under the same load (this machine may be shared).
    bare = Server("bench.bare:app", args, {})
    server = Server("bench.app:app", args, env)
    posting_note = ""
    bare_cpu: list[float] = []  # bare Flask workers' CPU ms per request under load, each time it is measured

    def bare_now() -> float:
        cpu_at_start = bare.cpu_seconds()
        data = wrk(bare.base + "/", args, args.duration)
        bare_cpu.append((bare.cpu_seconds() - cpu_at_start) / max(1, data["requests"]) * 1000)
        return data["requests"] / (data["duration_us"] / 1e6)

    try:
        wrk(bare.base + "/", args, 1)
        reader = Browser(server.port)
        reader.sign_in("member00050")
        cookie = reader.cookie_header()
        for who in ("anonymous", "signed in"):
            for name, path in info["pages"].items():
                if only and name.split(" ")[0] not in only:
                    continue
                if who == "signed in" and name.startswith("api"):
                    continue  # the API signs callers in by token, not by the session cookie
                headers = {"Cookie": cookie} if who == "signed in" else None
                bare_rps = bare_now()
                result = measure(server, name, who, path, args, headers)
                result.queries, result.bare_rps = info["queries"].get((name, who)), bare_rps
                cpu = info["queries"].get((name, who, "cpu"))
                cached = info["queries"].get((name, who, "cpu cached"))
                result.extra["cpu"] = f"{cpu:.2f}" + (f" ({cached:.2f} cached)" if cached is not None else "")
                result.extra["bare_load_cpu"] = bare_cpu[-1]
                results.append(result)
                print(f"{name:<20} {who:<10} {result.rps:8,.0f} req/s  p50 {result.p50_ms:6.1f} ms  p99 {result.p99_ms:6.1f} ms  "
                      f"errors {result.errors}  queries {result.queries}  ({result.rps / bare_rps:.0%} of bare {bare_rps:,.0f}); "
                      f"workers' CPU {result.extra['load_cpu']:.2f} ms/req (bare {bare_cpu[-1]:.2f})", flush=True)
        if args.floor:
            topic_path = info["pages"]["topic p1"]
            floor_pages = {"floor: member and CSRF token": "/bench-floor/member",
                           "floor: topic p1 without its template": "/bench-floor" + topic_path}
            for name, path in floor_pages.items():
                bare_rps = bare_now()
                result = measure(server, name, "signed in", path, args, {"Cookie": cookie})
                result.bare_rps = bare_rps
                result.extra["bare_load_cpu"] = bare_cpu[-1]
                results.append(result)
                print(f"{name:<38} {result.rps:8,.0f} req/s  ({result.rps / bare_rps:.0%} of bare {bare_rps:,.0f}); "
                      f"workers' CPU {result.extra['load_cpu']:.2f} ms/req (bare {bare_cpu[-1]:.2f})", flush=True)
        if not only or "mix" in only:
            topic = info["mix_topic"]
            writer = Browser(server.port)
            writer.sign_in("member00060")
            script = (f'CSRF = "{writer.csrf(f"/topics/{topic}?page=1")}"\nCOOKIE = "{writer.cookie_header()}"\n'
                      f'TOPIC_PATH = "/topics/{topic}"\nREPLY_PATH = "/topics/{topic}/reply"\n') + MIX_LUA
            bare_rps = bare_now()
            result = measure(server, "read, reply, read", "signed in", f"/topics/{topic}", args, script=script)
            result.bare_rps = bare_rps
            result.extra["bare_load_cpu"] = bare_cpu[-1]
            results.append(result)
            print(f"mix: {result.rps:,.0f} req/s, {result.extra.get('replies', 0)} replies acknowledged, errors {result.errors}", flush=True)
        if not only or "posting" in only:
            run_id = secrets.token_hex(4)
            result, tokens = post_replies(server, info["recent"][:50], args, run_id)
            found, missing = count_stored(url, run_id, tokens)
            result.extra.update(acknowledged=len(tokens), stored=found, missing=missing)
            results.append(result)
            posting_note = (f"Posting: {len(tokens):,} replies acknowledged in {args.duration} s by {args.writers} writers "
                            f"({result.rps:,.0f}/s), {result.errors} errors; {found:,} of them found in the database, {missing} missing. "
                            + result.extra["cpu_note"])
            print(posting_note, flush=True)
        load = os.getloadavg()
    finally:
        server.stop()
        bare.stop()
    log = Path(server.log.name).read_text()
    if log.strip():
        print(f"gunicorn error log ({server.log.name}):\n{log[-3000:]}")

    bare_cpu = info["queries"].get(("bare", "-", "cpu"), 0.0)
    report = table(results) + f"\n\nBare Flask in-process: {bare_cpu:.2f} ms CPU per request."
    print()
    print(report)
    if not args.no_record:
        command = " ".join(shlex.quote(a) for a in [".venv/bin/python", "bench/run.py", *(argv if argv is not None else sys.argv[1:])])
        with RESULTS.open("a") as f:
            f.write(f"\n## {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · {info['dialect']} · "
                    f"{info['sizes']['posts']:,} posts\n\n")
            f.write(f"- Machine: {machine(info)}\n")
            f.write(f"- Command: `{command}`\n")
            f.write(f"- Page cache for anonymous visitors: {'off' if args.no_cache else 'on'}\n")
            f.write(f"- gunicorn: {args.workers} workers × {args.threads} threads (gthread); wrk: {args.wrk_threads} threads, "
                    f"{args.connections} connections, {args.duration} s per page after a 1 s warm-up\n")
            if args.note:
                f.write(f"- Note: {args.note}\n")
            f.write(f"- Load average at the end (1, 5, 15 min): {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} on {os.cpu_count()} cores\n")
            if posting_note:
                f.write(f"- {posting_note}\n")
            f.write("\n" + report + "\n")
        print(f"\nAppended to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
