"""The README's first command: `make run` migrates, seeds the demo, prints the logins and serves."""
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float) -> bytes | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            time.sleep(0.3)
    return None


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_serves_the_demo_and_prints_the_logins(tmp_path):
    port = free_port()
    env = {**os.environ, "PORT": str(port), "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite'}"}
    env.pop("PUBLIC_BASE_URL", None)
    log = tmp_path / "make-run.log"
    with log.open("w") as output:
        server = subprocess.Popen(["make", "--no-print-directory", "run"], cwd=ROOT, env=env, stdout=output,
                                  stderr=subprocess.STDOUT, start_new_session=True)
        try:
            page = wait_for(f"http://127.0.0.1:{port}/", seconds=180)
            assert page is not None, log.read_text()[-3000:]
            assert "Lancering Alliantie Kinderarmoede" in page.decode()
            assert wait_for(f"http://127.0.0.1:{port}/healthz", seconds=5) == b'{"status":"ok"}\n'
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    printed = log.read_text()
    for login in ("organiser@example.org", "door@example.org", "signing@example.org"):
        assert login in printed
