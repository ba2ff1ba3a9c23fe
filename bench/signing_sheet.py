"""Time the signing sheet for 60 partners (half drawn signatures, half empty boxes) as PDF, on a fresh SQLite database.

Measures two things, each --runs times, and prints the median, min and max of the wall-clock time and of
this process's CPU time (the machine is shared: CPU time shows the work, wall time what an organiser waits):
  * service: building the sheet's data and rendering the PDF (printing.print_context + render_pdf);
  * request: GET /organiser/print/signing_sheet.pdf as a logged-in organiser, through the Flask app.

    .venv/bin/python bench/signing_sheet.py --partners 60 --runs 7
"""
import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import make_app  # noqa: E402
from test_printing import add_partners  # noqa: E402
from test_security import login  # noqa: E402


def timed(function, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each of `runs` calls."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def summary(label: str, times: tuple[list[float], list[float]]) -> str:
    lines = []
    for kind, values in zip(("wall", "cpu"), times):
        lines.append(f"{label:<8} {kind:<4} median {statistics.median(values):.3f} s  min {min(values):.3f} s  "
                     f"max {max(values):.3f} s  ({len(values)} runs)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=60)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from eventapp.auth.services import create_user
    from eventapp.event.models import Event
    from eventapp.extensions import db
    from eventapp.organiser import printing

    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(f"sqlite:///{tmp}/bench.sqlite", Path(tmp))
        with app.app_context():
            upgrade()
            from datetime import datetime
            event = Event(title="Lancering Alliantie Kinderarmoede", starts_at=datetime(2027, 3, 26, 8, 30),
                          ends_at=datetime(2027, 3, 26, 11, 30), city="Den Haag", capacity=250)
            db.session.add(event)
            db.session.commit()
            add_partners(event, args.partners)
            create_user("bench@example.org", "organiser", "correct horse battery")
            with app.test_request_context():
                pdf = printing.render_pdf("signing_sheet", printing.print_context("signing_sheet"))  # warm-up
                service = timed(lambda: printing.render_pdf("signing_sheet", printing.print_context("signing_sheet")), args.runs)
            client = app.test_client()
            login(client, "bench@example.org")
            request = timed(lambda: client.get("/organiser/print/signing_sheet.pdf").data, args.runs)
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    print(f"{platform.python_implementation()} {platform.python_version()}, {args.partners} partners, "
          f"PDF {len(pdf) // 1024} KiB, load average after the runs: {load}")
    print(summary("service", service))
    print(summary("request", request))


if __name__ == "__main__":
    main()
