"""A minimal browser for load tests on 127.0.0.1: keeps cookies, never follows redirects (bench/ and tests/)."""
import http.client
import socket
import urllib.parse
from http.cookies import SimpleCookie

HOST = "127.0.0.1"  # the only host load tests send traffic to


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
