"""Shared by the proofs through the real stack: the app served by gunicorn workers on the suite's database."""
import pytest

from bench.loadtest import free_port, start_gunicorn, stop_gunicorn


@pytest.fixture
def serve_with_gunicorn(database_url, tmp_path):
    """A function that starts `gunicorn --workers 2 app:app` on a free port and returns (port, log path).

    Call it once the test's data is committed; the server is stopped after the test.
    """
    processes = []

    def start(secret_key: str, workers: int = 2):
        port, log_path = free_port(), tmp_path / "gunicorn.log"
        try:
            processes.append(start_gunicorn(database_url, secret_key, port, log_path, workers=workers))
        except RuntimeError as exc:
            pytest.fail(str(exc))
        return port, log_path

    yield start
    for process in processes:
        stop_gunicorn(process)
