"""Load tests on 127.0.0.1 (bench/ and tests/concurrency/): the app under gunicorn, and a minimal browser."""
import http.client
import os
import socket
import subprocess
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

HOST = "127.0.0.1"  # the only host load tests send traffic to
ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def visitor_address(n: int) -> str:
    """A loopback address of its own for visitor n (1 ≤ n ≤ 100000; all of 127.0.0.0/8 reaches 127.0.0.1 on Linux),
    so that per-address rate limits treat them as the different people they stand for."""
    return f"127.{1 + n // 62500}.{1 + (n // 250) % 250}.{1 + n % 250}"


class Browser:
    """One visitor: a cookie jar and a fresh connection per request (gunicorn's sync workers close it anyway)."""

    def __init__(self, port: int, source_ip: str = HOST, timeout: float = 120):
        self.port, self.source_ip, self.timeout, self.cookies = port, source_ip, timeout, {}

    def request(self, method: str, path: str, form: dict | None = None):
        """Send one request; return (status, headers, body text)."""
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout, source_address=(self.source_ip, 0))
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.headers, text
        finally:
            conn.close()


def app_env(database_url: str, secret_key: str) -> dict:
    """The app's environment: this database, no mail server (outbox only), one key for every worker."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAIL_")}
    env.update(DATABASE_URL=database_url, SECRET_KEY=secret_key, APP_ENV="development", FLASK_APP="app",
               PYTHONPATH=str(ROOT))
    return env


def start_gunicorn(database_url: str, secret_key: str, port: int, log_path, workers: int = 2, threads: int = 1):
    """Serve the app with gunicorn (sync workers, or gthread with `threads` > 1) and wait for /healthz; stop it
    and raise if it never answers."""
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", str(workers), "--threads", str(threads), "--bind", f"{HOST}:{port}",
             "app:app"],
            cwd=ROOT, env=app_env(database_url, secret_key), stdout=log, stderr=log, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{Path(log_path).read_text()[-3000:]}")
        try:
            if Browser(port, timeout=5).request("GET", "/healthz")[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    stop_gunicorn(process)
    raise RuntimeError(f"gunicorn did not answer /healthz within 60 s:\n{Path(log_path).read_text()[-3000:]}")


def stop_gunicorn(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
