"""RSVP throughput and latency through gunicorn, on a fresh SQLite or PostgreSQL database per run.

Each run: create a fresh database (a temp SQLite file, or a new PostgreSQL database that is dropped
afterwards), `flask db upgrade` and `flask seed-demo` against it, set the event's capacity, start
`gunicorn --workers N app:app` on 127.0.0.1, and let C client threads register people until
--registrations RSVPs were sent or --max-seconds passed. Each RSVP is a fresh "browser": GET /register
(cookie + CSRF token), then POST the form; the POST's time to the 302 is the latency measured.
Each of those browsers connects from its own loopback address (127.1.1.1, 127.1.1.2, ...; all of
127.0.0.0/8 reaches 127.0.0.1 on Linux), because POST /register is rate-limited per visitor address;
--one-address sends everything from 127.0.0.1 instead and so shows that limit.

    .venv/bin/python bench/rsvp.py --db sqlite --workers 2 --clients 32 --registrations 2000 --runs 3
    .venv/bin/python bench/rsvp.py --db postgres   # PostgreSQL on 127.0.0.1:5432 as user postgres

Run it from the repository root or anywhere: paths are taken from this file's location.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

from loadtest import BIN, HOST, ROOT, Browser, app_env, free_port, start_gunicorn, stop_gunicorn, visitor_address

SECRET_KEY = "bench-rsvp-secret-key-shared-by-all-workers-0123456789"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
TICKET_RE = re.compile(r"^(?:http://127\.0\.0\.1:\d+)?/ticket/[A-Z0-9]+$")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", ""}


def rsvp_form(token: str, n: int, tag: str) -> dict:
    form = {
        "csrf_token": token, "name": f"Bench Deelnemer {n}", "email": f"bench.{tag}.{n}@example.org",
        "organisation": f"Gemeente Bench {n % 40}", "organisation_type": "municipality",
        "function": "Beleidsadviseur", "participation": "attendee", "commitment_1": "", "commitment_2": "",
        "commitment_3": "", "accessibility_needs": "", "dietary_wishes": "", "photo_consent": "y",
        "language": "nl", "privacy_consent": "y",
    }
    for i in range(3):
        form.update({f"partners-{i}-organisation": "", f"partners-{i}-contact_name": "", f"partners-{i}-email": ""})
    return form


def percentile(sorted_values, p):
    """Nearest-rank percentile of an already sorted list (None when empty)."""
    if not sorted_values:
        return None
    rank = max(1, -(-len(sorted_values) * p // 100))  # ceil(n * p / 100)
    return sorted_values[int(rank) - 1]


# --- databases ----------------------------------------------------------------------------------------

class SqliteDatabase:
    def __init__(self, args):
        self.dir = Path(tempfile.mkdtemp(prefix="eventapp-bench-"))
        self.url = f"sqlite:///{self.dir / 'bench.sqlite'}"

    def create(self):
        pass

    def drop(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class PostgresDatabase:
    """A fresh database on the server named by --pg-admin-url, dropped (even when in use) afterwards."""

    def __init__(self, args):
        admin = urllib.parse.urlsplit(args.pg_admin_url)
        if (admin.hostname or "") not in LOCAL_HOSTS:
            sys.exit(f"--pg-admin-url must point at 127.0.0.1, not {admin.hostname}")
        self.admin_url = urllib.parse.urlunsplit(admin._replace(scheme="postgresql"))
        self.name = f"eventapp_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.url = urllib.parse.urlunsplit(admin._replace(scheme="postgresql+psycopg", path=f"/{self.name}"))

    def _admin(self, sql):
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql)

    def create(self):
        self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self):
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


# --- one run --------------------------------------------------------------------------------------------

def prepare(database_url: str, capacity: str, registrations: int) -> int:
    """Migrate, seed the demo event and set its capacity; return the capacity in force."""
    env = app_env(database_url, SECRET_KEY)
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([str(BIN / "flask"), "--app", "app", *command], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.begin() as conn:
        if capacity != "demo":
            seats = registrations if capacity == "all" else int(capacity)
            conn.execute(text("UPDATE event SET capacity = :seats"), {"seats": seats})
        seats = conn.execute(text("SELECT capacity FROM event")).scalar_one()
    engine.dispose()
    return seats


def load_clients(port, clients, registrations, max_seconds, tag, one_address=False):
    """C threads register people until `registrations` were attempted or the deadline passed."""
    lock = threading.Lock()
    next_number = [0]
    post_latencies, errors = [], []
    barrier = threading.Barrier(clients + 1)
    deadline = [None]

    def take():
        with lock:
            if next_number[0] >= registrations or time.monotonic() > deadline[0]:
                return None
            next_number[0] += 1
            return next_number[0]

    def client_main():
        barrier.wait()
        while (n := take()) is not None:
            browser = Browser(port, source_ip=HOST if one_address else visitor_address(n), timeout=30)
            try:
                status, _, page = browser.request("GET", "/register")
                match = CSRF_RE.search(page) if status == 200 else None
                if not match:
                    errors.append(f"GET /register {status}")
                    continue
                posted = time.monotonic()
                status, headers, _ = browser.request("POST", "/register", rsvp_form(match.group(1) or match.group(2), n, tag))
                location = headers.get("Location")
                done = time.monotonic()
                if status == 302 and TICKET_RE.match(location or ""):
                    post_latencies.append(done - posted)
                else:
                    errors.append(f"POST /register {status} {location}")
            except OSError as exc:
                errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=client_main, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + max_seconds
    started = time.monotonic()
    barrier.wait()
    for thread in threads:
        thread.join(timeout=max_seconds + 120)  # a request in flight at the deadline gets its 30 s timeout
    elapsed = time.monotonic() - started
    hung = sum(thread.is_alive() for thread in threads)
    if hung:
        errors.append(f"{hung} client threads still running at the end")
    return post_latencies, errors, elapsed, next_number[0]


def count_registrations(database_url):
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT status, count(*) FROM registration GROUP BY status")).all())
        mails = conn.execute(text("SELECT count(*) FROM outbox_message")).scalar_one()
    engine.dispose()
    return rows, mails


def one_run(args, number):
    database = (SqliteDatabase if args.db == "sqlite" else PostgresDatabase)(args)
    log_dir = Path(tempfile.mkdtemp(prefix="eventapp-bench-log-"))
    process = None
    try:
        database.create()
        seats = prepare(database.url, args.capacity, args.registrations)
        port = args.port or free_port()
        process = start_gunicorn(database.url, SECRET_KEY, port, log_dir / "gunicorn.log", workers=args.workers)
        load_before = os.getloadavg()[0]
        latencies, errors, elapsed, attempted = load_clients(port, args.clients, args.registrations,
                                                             args.max_seconds, f"r{number}", args.one_address)
        stop_gunicorn(process)
        process = None
        log = (log_dir / "gunicorn.log").read_text(errors="replace")
        by_status, mails = count_registrations(database.url)
    finally:
        if process is not None:
            stop_gunicorn(process)
        database.drop()
        shutil.rmtree(log_dir, ignore_errors=True)
    latencies.sort()
    result = {
        "run": number, "db": args.db, "workers": args.workers, "clients": args.clients, "capacity": seats,
        "attempted": attempted, "ok": len(latencies), "errors": len(errors), "seconds": round(elapsed, 2),
        "rsvps_per_s": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": ms(percentile(latencies, 50)), "p95_ms": ms(percentile(latencies, 95)),
        "p99_ms": ms(percentile(latencies, 99)), "max_ms": ms(latencies[-1] if latencies else None),
        "confirmed": by_status.get("confirmed", 0), "waitlisted": by_status.get("waitlisted", 0),
        "outbox": mails, "tracebacks": log.count("Traceback"), "load1_before": round(load_before, 2),
        "first_errors": errors[:3],
    }
    # The capacity rule, checked after every run: never more confirmed than seats, nobody lost.
    result["capacity_held"] = (result["confirmed"] <= seats
                               and result["confirmed"] + result["waitlisted"] == result["ok"] == mails)
    return result


def ms(seconds):
    return None if seconds is None else round(seconds * 1000, 1)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--clients", type=int, default=32, help="concurrent client threads")
    parser.add_argument("--registrations", type=int, default=2000, help="RSVPs per run (upper bound)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--capacity", default="all",
                        help="'all' (seats for every registration), 'demo' (keep the demo's 250 seats, so the "
                             "rest goes to the waitlist) or a number")
    parser.add_argument("--max-seconds", type=float, default=300, help="stop a run's clients after this long")
    parser.add_argument("--port", type=int, default=0, help="gunicorn port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--pg-admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="PostgreSQL server (on 127.0.0.1) where each run creates and drops its database")
    parser.add_argument("--one-address", action="store_true",
                        help="send every request from 127.0.0.1 (all clients look like one visitor to the rate limit)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    if args.capacity not in ("all", "demo") and not args.capacity.isdigit():
        parser.error("--capacity must be 'all', 'demo' or a number")
    if not 1 <= args.clients <= 1000 or not 1 <= args.registrations <= 100_000 or not 1 <= args.runs <= 20:
        parser.error("keep --clients ≤ 1000, --registrations ≤ 100000, --runs ≤ 20")

    print(f"# {args.db}, {args.workers} gunicorn sync workers, {args.clients} clients, "
          f"{args.registrations} RSVPs per run, capacity {args.capacity}, {args.runs} runs"
          f"{', all from 127.0.0.1' if args.one_address else ', one loopback address per RSVP'}; "
          f"nproc {os.cpu_count()}, load {os.getloadavg()[0]:.2f}", flush=True)
    header = ("run", "rsvps_per_s", "p50_ms", "p95_ms", "p99_ms", "max_ms", "ok", "errors", "seconds",
              "confirmed", "waitlisted", "outbox", "tracebacks", "capacity_held", "load1_before")
    print(" ".join(f"{h:>12}" for h in header), flush=True)
    results = []
    for number in range(1, args.runs + 1):
        result = one_run(args, number)
        results.append(result)
        print(" ".join(f"{str(result[h]):>12}" for h in header), flush=True)
        if result["first_errors"]:
            print(f"  first errors: {result['first_errors']}", flush=True)
    median = {key: statistics.median(r[key] for r in results if r[key] is not None)
              for key in ("rsvps_per_s", "p50_ms", "p95_ms", "p99_ms", "max_ms", "errors")}
    print(f"median of {len(results)}: {median['rsvps_per_s']:.1f} RSVP/s, POST p50 {median['p50_ms']:.1f} ms, "
          f"p95 {median['p95_ms']:.1f} ms, p99 {median['p99_ms']:.1f} ms, errors {median['errors']:g}", flush=True)
    if args.json:
        args.json.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()},
                                         "runs": results, "median": median}, indent=2))
    failed = any(r["errors"] or r["tracebacks"] or not r["capacity_held"] for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
