"""A consistent copy of the database while the app keeps running."""
import os
import shutil
import sqlite3
import subprocess

from sqlalchemy.engine import make_url


def backup_database(database_uri: str, target: str) -> str:
    """Write a backup of the database to `target`; returns what kind of backup was made."""
    url = make_url(database_uri)
    if url.get_backend_name() == "sqlite":
        # SQLite's online backup API copies a consistent snapshot, also mid-write (WAL mode).
        with sqlite3.connect(url.database) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        return "sqlite"
    if url.get_backend_name() == "postgresql":
        if shutil.which("pg_dump") is None:
            raise RuntimeError("pg_dump is not installed (Debian: apt-get install postgresql-client).")
        # The password goes through the environment, not the command line (which `ps` shows to everyone).
        plain = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
        env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
        subprocess.run(["pg_dump", "--format=custom", f"--file={target}", plain], check=True, env=env)
        return "postgresql (pg_dump custom format; restore with pg_restore)"
    raise RuntimeError(f"No backup method for {url.get_backend_name()}.")
