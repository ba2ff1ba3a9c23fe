"""Door check-in throughput and latency through gunicorn, on a fresh SQLite or PostgreSQL database per run.

Each run: create a fresh database (a temp SQLite file, or a new PostgreSQL database that is dropped
afterwards), `flask db upgrade` and `flask seed-demo` against it, insert --tickets distinct confirmed
registrations (plus --single-tickets more for the single-client reference) with the app's own models, create
one door device and its bearer token, and start `gunicorn --workers N app:app` on 127.0.0.1. Then wrk
(https://github.com/wg/wrk, `apt-get install wrk`) drives `POST /api/v1/checkin` with that token:

  1. admit:  --clients connections admit every ticket once (each secret sent exactly once) → "admitted"
  2. repeat: the same tickets again, same concurrency → "already_checked_in"
  3. single: one connection admits the --single-tickets extra tickets (latency without queueing)

Each request carries a fresh nonce, as the scanner page sends (`--no-nonce` leaves it out). wrk is a C
event loop, so the load generator takes a few per cent of one CPU, not the CPU the workers need. The Lua
script hands each secret out once, keeps connections with nothing left to send idle, and times every request
itself (CLOCK_MONOTONIC, from handing the request to wrk until the whole response is parsed), because wrk's
own histogram applies a coordinated-omission correction that adds synthetic samples. Gunicorn's sync
workers close the connection after each response, so every request is a new TCP connection.

Rate = requests / wall time from the first request sent to the last response received. Errors = non-200
answers, answers with another verdict, socket errors reported by wrk, and a Traceback in gunicorn's log.
After every run the database is checked: every ticket checked in once, one log row per request.

    .venv/bin/python bench/checkin.py --db sqlite   [--runs 3] [--clients 32] [--tickets 2000]
    .venv/bin/python bench/checkin.py --db postgres   # PostgreSQL on 127.0.0.1:5432 as user postgres
"""
import argparse
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from loadtest import BIN, HOST, ROOT, app_env, free_port, start_gunicorn, stop_gunicorn
from rsvp import PostgresDatabase, SqliteDatabase, ms, percentile

SECRET_KEY = "bench-checkin-secret-key-shared-by-all-workers-0123456789"
DEVICE_NAME = "Bench Ingang 1"
NAME_PREFIX = "Bench Gast "  # the Lua script finds a response's request by the number after this name

LUA = r"""
-- Written by bench/checkin.py. Args: tickets file ("<index> <secret>" per line), bearer token, wrk threads,
-- expected verdict, output file prefix, nonce tag ("" for none).
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now()
  ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC, the clock Python's time.monotonic() reads
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  local nthreads = tonumber(args[3])
  expected, out, tag = args[4], args[5] .. "." .. id, args[6]
  mine = {}
  local i = 0
  for line in io.lines(args[1]) do
    if i % nthreads == id then
      local index, secret = string.match(line, "^(%d+) (%S+)$")
      mine[#mine + 1] = {index, secret}
    end
    i = i + 1
  end
  quota, reserved, sent, received = #mine, 0, 0, 0
  started, latencies = {}, {}
  bad_status, wrong, unmatched, extra = 0, 0, 0, 0
  first, last = nil, nil
  headers = {["Authorization"] = "Bearer " .. args[2], ["Content-Type"] = "application/json"}
end

function delay()
  -- Called before every request: a connection with no secret left waits (far longer than the run) until
  -- the thread is stopped, so that no secret is sent twice and nothing else is sent at all.
  if reserved >= quota then return 3600000 end
  reserved = reserved + 1
  return 0
end

function request()
  if sent >= reserved then
    -- Not preceded by delay(): either wrk checking the script before the threads start (it calls request()
    -- once and sends nothing), or a resend after a socket error, which is counted as an error.
    if reserved > 0 then extra = extra + 1 end
    return wrk.format("GET", "/healthz")
  end
  sent = sent + 1
  local item = mine[sent]
  local body = '{"secret":"AK1:' .. item[2] .. '"'
  if tag ~= "" then body = body .. ',"nonce":"' .. tag .. "-" .. item[1] .. '"' end
  body = body .. "}"
  local t = now()
  started[item[1]] = t
  if first == nil then first = t end
  return wrk.format("POST", "/api/v1/checkin", headers, body)
end

function response(status, headers, body)
  local t = now()
  received = received + 1
  local index = string.match(body, '"name"%s*:%s*"BENCH_NAME(%d+)"')
  if index ~= nil and started[index] ~= nil then
    latencies[#latencies + 1] = t - started[index]
    started[index] = nil
  else
    unmatched = unmatched + 1
  end
  if status ~= 200 then
    bad_status = bad_status + 1
  elseif string.match(body, '"verdict"%s*:%s*"([%w_]+)"') ~= expected then
    wrong = wrong + 1
  end
  if received == quota then
    last = t
    local f = io.open(out, "w")
    f:write(string.format("%.9f %.9f %d %d %d %d %d %d\n", first, last, sent, received, bad_status, wrong,
                          unmatched, extra))
    for _, value in ipairs(latencies) do f:write(string.format("%.9f\n", value)) end
    f:close()
    io.write("BENCH-THREAD-DONE " .. id .. "\n")
    io.flush()
    wrk.thread:stop()
  end
end
""".replace("BENCH_NAME", NAME_PREFIX)

SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")


# --- set-up -----------------------------------------------------------------------------------------------

def prepare(database_url: str, tickets: int, single: int) -> tuple[str, list[str]]:
    """Migrate, seed the demo event, add `tickets + single` confirmed registrations and a door device.

    Returns the device's bearer token and the ticket secrets in order (registration i is "Bench Gast i").
    """
    env = app_env(database_url, SECRET_KEY)
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([str(BIN / "flask"), "--app", "app", *command], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from sqlalchemy import select

    from eventapp import clock, create_app
    from eventapp.auth.devices import create_device_with_token
    from eventapp.event.models import Event
    from eventapp.extensions import db
    from eventapp.registration.models import CONFIRMED, Organisation, Registration
    from eventapp.security import new_secret

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET_KEY, "MAIL_SERVER": None})
    with app.app_context():
        at = clock.now()
        event = db.session.execute(select(Event).order_by(Event.id).limit(1)).scalar_one()
        organisations = [Organisation(name=f"Gemeente Bench {k}", normalised_name=f"gemeente bench {k}",
                                      type="municipality", created_at=at) for k in range(40)]
        db.session.add_all(organisations)
        db.session.flush()
        total = tickets + single
        first_sequence = event.seat_sequence
        event.capacity, event.seat_sequence = total, first_sequence + total  # every ticket holds a seat
        secrets = [new_secret() for _ in range(total)]
        for i, secret in enumerate(secrets):
            organisation = organisations[i % len(organisations)]
            db.session.add(Registration(
                event_id=event.id, organisation_id=organisation.id, name=f"{NAME_PREFIX}{i}",
                organisation_name=organisation.name, organisation_type="municipality",
                email=f"bench.gast.{i}@example.org", email_normalised=f"bench.gast.{i}@example.org",
                participation="attendee", privacy_consent_at=at, status=CONFIRMED,
                sequence=first_sequence + i + 1, ticket_secret=secret, manage_secret=new_secret(),
                created_at=at, updated_at=at, source="organiser"))
        db.session.commit()
        _device, token = create_device_with_token(DEVICE_NAME)
        db.session.remove()
        db.engine.dispose()
    return token, secrets


def check_database(database_url: str) -> dict:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as conn:
        checked_in = conn.execute(text("SELECT count(*) FROM registration WHERE checked_in_at IS NOT NULL")).scalar_one()
        verdicts = dict(conn.execute(text("SELECT verdict, count(*) FROM checkin_scan GROUP BY verdict")).all())
    engine.dispose()
    return {"checked_in": checked_in, "log": verdicts}


# --- CPU accounting (to show who used the 2 CPUs) ---------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _process_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0.0


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _postgres_pids(database_name: str | None) -> list[int]:
    """The server processes of this database's connections (their title is "postgres: USER DATABASE ...")."""
    if not database_name:
        return []
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if f" {database_name} " in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


def cpu_snapshot(master_pid: int, database_name: str | None) -> dict:
    """CPU seconds so far: gunicorn's workers, the PostgreSQL backends serving them (not the server's shared
    processes such as the WAL writer), wrk, and the whole machine (busy, total)."""
    cpu = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    values = [int(v) for v in cpu[:8]]
    idle = values[3] + values[4]
    return {"workers": sum(_process_cpu(pid) for pid in _children(master_pid)),
            "postgres": sum(_process_cpu(pid) for pid in _postgres_pids(database_name)),
            "busy": (sum(values) - idle) / TICK, "total": sum(values) / TICK,
            "client": resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
                      + resource.getrusage(resource.RUSAGE_CHILDREN).ru_stime}


# --- one phase: wrk over a list of tickets ---------------------------------------------------------------

def run_wrk(port, token, numbered, expected, connections, threads, workdir, phase, nonce_tag, timeout):
    """Send every (index, secret) once over `connections` connections; return the phase's figures."""
    threads = max(1, min(threads, connections, len(numbered)))
    tickets_file = workdir / f"{phase}.tickets"
    tickets_file.write_text("".join(f"{i} {secret}\n" for i, secret in numbered))
    script = workdir / "checkin.lua"
    script.write_text(LUA)
    out_prefix = workdir / f"{phase}.out"
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{int(timeout) + 60}s", "--timeout", "30s",
               "-s", str(script), f"http://{HOST}:{port}/api/v1/checkin", "--",
               str(tickets_file), token, str(threads), expected, str(out_prefix), nonce_tag]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output, done = [], threading.Event()

    def reader():
        finished = 0
        for line in process.stdout:
            output.append(line)
            if line.startswith("BENCH-THREAD-DONE"):
                finished += 1
                if finished == threads:
                    done.set()
        done.set()

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    complete = done.wait(timeout)
    process.send_signal(signal.SIGINT)  # wrk sleeps for -d unless interrupted; it then prints its summary
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    thread.join(timeout=10)
    text = "".join(output)

    firsts, lasts, latencies = [], [], []
    counts = dict(sent=0, received=0, bad_status=0, wrong=0, unmatched=0, extra=0)
    for n in range(threads):
        path = Path(f"{out_prefix}.{n}")
        if not path.exists():
            continue
        lines = path.read_text().split("\n")
        header = lines[0].split()
        firsts.append(float(header[0]))
        lasts.append(float(header[1]))
        for key, value in zip(("sent", "received", "bad_status", "wrong", "unmatched", "extra"), header[2:]):
            counts[key] += int(value)
        latencies.extend(float(v) for v in lines[1:] if v)
    socket = SOCKET_ERRORS.search(text)
    socket_errors = sum(int(v) for v in socket.groups()) if socket else 0
    non_2xx = NON_2XX.search(text)
    errors = (counts["bad_status"] + counts["wrong"] + counts["unmatched"] + counts["extra"] + socket_errors
              + (len(numbered) - counts["received"]) + (0 if complete else 1))
    wall = max(lasts) - min(firsts) if firsts else None
    latencies.sort()
    return {
        "requests": counts["received"], "seconds": round(wall, 3) if wall else None,
        "per_s": round(len(numbered) / wall, 1) if wall else 0.0,
        "p50_ms": ms(percentile(latencies, 50)), "p95_ms": ms(percentile(latencies, 95)),
        "p99_ms": ms(percentile(latencies, 99)), "max_ms": ms(latencies[-1] if latencies else None),
        "errors": errors, "non_200": counts["bad_status"], "wrong_verdict": counts["wrong"],
        "socket_errors": socket_errors, "wrk_non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "finished": complete, "counts": counts, "wrk_tail": text[-600:] if errors else "",
    }


def phase_with_cpu(master_pid, database_name, **kwargs):
    before = cpu_snapshot(master_pid, database_name)
    result = run_wrk(**kwargs)
    after = cpu_snapshot(master_pid, database_name)
    n = max(result["requests"], 1)
    result["worker_cpu_ms_per_req"] = round((after["workers"] - before["workers"]) * 1000 / n, 2)
    result["postgres_cpu_ms_per_req"] = round((after["postgres"] - before["postgres"]) * 1000 / n, 2)
    result["wrk_cpu_ms_per_req"] = round((after["client"] - before["client"]) * 1000 / n, 3)
    total = after["total"] - before["total"]
    result["machine_busy_pct"] = round(100 * (after["busy"] - before["busy"]) / total, 1) if total else None
    return result


# --- one run ----------------------------------------------------------------------------------------------

def one_run(args, number):
    database = (SqliteDatabase if args.db == "sqlite" else PostgresDatabase)(args)
    workdir = Path(tempfile.mkdtemp(prefix="eventapp-bench-checkin-"))
    process = None
    try:
        database.create()
        token, secrets = prepare(database.url, args.tickets, args.single_tickets)
        port = args.port or free_port()
        process = start_gunicorn(database.url, SECRET_KEY, port, workdir / "gunicorn.log", workers=args.workers,
                                 threads=args.threads)
        load_before = os.getloadavg()[0]
        pg_name = getattr(database, "name", None)
        numbered = list(enumerate(secrets[:args.tickets]))
        common = dict(port=port, token=token, threads=args.wrk_threads, workdir=workdir,
                      timeout=max(120.0, args.tickets / 10))
        phases = {
            "admit": phase_with_cpu(process.pid, pg_name, numbered=numbered, expected="admitted", connections=args.clients,
                                    phase="admit", nonce_tag="" if args.no_nonce else f"r{number}a", **common),
            "repeat": phase_with_cpu(process.pid, pg_name, numbered=numbered, expected="already_checked_in",
                                     connections=args.clients, phase="repeat",
                                     nonce_tag="" if args.no_nonce else f"r{number}b", **common),
        }
        if args.single_tickets:
            phases["single"] = phase_with_cpu(
                process.pid, pg_name, numbered=list(enumerate(secrets))[args.tickets:], expected="admitted", connections=1,
                phase="single", nonce_tag="" if args.no_nonce else f"r{number}c", **common)
        stop_gunicorn(process)
        process = None
        log = (workdir / "gunicorn.log").read_text(errors="replace")
        state = check_database(database.url)
    finally:
        if process is not None:
            stop_gunicorn(process)
        database.drop()
        shutil.rmtree(workdir, ignore_errors=True)
    single = args.single_tickets
    expected_log = {"admitted": args.tickets + single, "already_checked_in": args.tickets}
    result = {"run": number, "db": args.db, "load1_before": round(load_before, 2), "phases": phases,
              "tracebacks": log.count("Traceback") + log.count("WORKER TIMEOUT"), "database": state,
              "database_ok": state["checked_in"] == args.tickets + single and state["log"] == expected_log}
    return result


def print_phase_table(results, phase):
    header = ("run", "per_s", "p50_ms", "p95_ms", "p99_ms", "max_ms", "errors", "seconds",
              "worker_cpu_ms_per_req", "postgres_cpu_ms_per_req", "wrk_cpu_ms_per_req", "machine_busy_pct")
    print(f"## {phase}")
    print(" ".join(f"{h:>12}" for h in header))
    for result in results:
        figures = result["phases"].get(phase)
        if figures:
            print(" ".join(f"{str(result['run'] if h == 'run' else figures[h]):>12}" for h in header))
            if figures["wrk_tail"]:
                print(f"  wrk said: {figures['wrk_tail']!r}")


def median_of(results, phase):
    keys = ("per_s", "p50_ms", "p95_ms", "p99_ms", "max_ms", "errors", "worker_cpu_ms_per_req",
            "postgres_cpu_ms_per_req", "wrk_cpu_ms_per_req", "machine_busy_pct")
    rows = [r["phases"][phase] for r in results if phase in r["phases"]]
    return {k: statistics.median(row[k] for row in rows if row[k] is not None) for k in keys} if rows else {}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread when > 1; sync otherwise)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent connections (wrk -c)")
    parser.add_argument("--tickets", type=int, default=2000, help="distinct tickets admitted, then scanned again")
    parser.add_argument("--single-tickets", type=int, default=200,
                        help="extra tickets admitted by one connection for the single-client reference (0: skip)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--wrk-threads", type=int, default=1, help="wrk threads (one event loop is plenty here)")
    parser.add_argument("--no-nonce", action="store_true", help="send no nonce (the scanner page always sends one)")
    parser.add_argument("--port", type=int, default=0, help="gunicorn port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--pg-admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="PostgreSQL server (on 127.0.0.1) where each run creates and drops its database")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 1000 or not 1 <= args.tickets <= 100_000 or not 1 <= args.runs <= 20:
        parser.error("keep --clients ≤ 1000, --tickets ≤ 100000, --runs ≤ 20")
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")

    print(f"# door check-in, {args.db}, {args.workers} gunicorn workers × {args.threads} thread(s), {args.clients} wrk connections, "
          f"{args.tickets} tickets per run, {args.runs} runs, nonce {'off' if args.no_nonce else 'on'}; "
          f"nproc {os.cpu_count()}, load {os.getloadavg()[0]:.2f}", flush=True)
    results = []
    for number in range(1, args.runs + 1):
        result = one_run(args, number)
        results.append(result)
        summary = ", ".join(f"{name} {p['per_s']}/s p50 {p['p50_ms']} p99 {p['p99_ms']} errors {p['errors']}"
                            for name, p in result["phases"].items())
        print(f"run {number} (load before {result['load1_before']}): {summary}; tracebacks {result['tracebacks']}, "
              f"database {'ok' if result['database_ok'] else 'WRONG ' + json.dumps(result['database'])}", flush=True)
    for phase in ("admit", "repeat", "single"):
        print_phase_table(results, phase)
    medians = {phase: median_of(results, phase) for phase in ("admit", "repeat", "single")}
    for phase, median in medians.items():
        if median:
            print(f"median of {len(results)} {phase}: {median['per_s']:.1f}/s, p50 {median['p50_ms']:.1f} ms, "
                  f"p95 {median['p95_ms']:.1f} ms, p99 {median['p99_ms']:.1f} ms, errors {median['errors']:g}, "
                  f"worker CPU {median['worker_cpu_ms_per_req']:.2f} ms/req, postgres CPU "
                  f"{median['postgres_cpu_ms_per_req']:.2f} ms/req, wrk CPU {median['wrk_cpu_ms_per_req']:.3f} ms/req, "
                  f"machine busy {median['machine_busy_pct']:.0f} %", flush=True)
    if args.json:
        args.json.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()},
                                         "runs": results, "median": medians}, indent=2))
    failed = any(r["tracebacks"] or not r["database_ok"] or any(p["errors"] for p in r["phases"].values())
                 for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
