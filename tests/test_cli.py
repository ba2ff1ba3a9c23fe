"""The `flask` commands: user create and backup."""
import sqlite3

import pytest

from eventapp.auth.services import authenticate
from eventapp.errors import DomainError


def test_user_create_makes_a_working_login(runner, app):
    result = runner.invoke(args=["user", "create", "Tessa@Example.org", "--role", "organiser"],
                           input="lang-genoeg-wachtwoord\nlang-genoeg-wachtwoord\n")
    assert result.exit_code == 0, result.output
    assert authenticate("tessa@example.org", "lang-genoeg-wachtwoord").role == "organiser"
    with pytest.raises(DomainError) as refused:
        authenticate("tessa@example.org", "wrong-password")
    assert refused.value.code == "bad_login"


def test_user_create_refuses_short_password_and_duplicates(runner, app):
    short = runner.invoke(args=["user", "create", "a@example.org", "--role", "door"], input="kort\nkort\n")
    assert short.exit_code == 1 and "password_too_short" in short.output
    ok = runner.invoke(args=["user", "create", "a@example.org", "--role", "door"], input="x" * 12 + "\n" + "x" * 12 + "\n")
    assert ok.exit_code == 0
    again = runner.invoke(args=["user", "create", "A@example.org", "--role", "door"], input="y" * 12 + "\n" + "y" * 12 + "\n")
    assert again.exit_code == 1 and "email_taken" in again.output


def test_backup_holds_the_registrations(runner, app, make_event, make_registration, frozen_clock, tmp_path, database_url):
    make_event()
    for _ in range(3):
        make_registration()
    target = tmp_path / "backup.db"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    if database_url.startswith("sqlite"):
        count = sqlite3.connect(target).execute("SELECT count(*) FROM registration").fetchone()[0]
        assert count == 3
    else:
        assert target.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format
