"""`flask` commands, each a thin call of a domain service."""
import sys

import click
from flask import current_app

from .errors import DomainError
from .signing.cli import register_pledge_commands


def _fail(error: DomainError):
    click.echo(f"Error ({error.code}): {error.message}", err=True)
    sys.exit(1)


def register_commands(app) -> None:
    from .invitations.cli import register_invitation_commands
    from .organiser.commands import register_privacy_commands

    register_privacy_commands(app)
    register_invitation_commands(app)

    @app.cli.command("seed-demo")
    @click.option("--attendees", default=0, show_default=True, type=click.IntRange(min=0), help="Also add this many plausible demo registrations.")
    def seed_demo_command(attendees):
        """Create the demo event, pledge text and staff logins (idempotent)."""
        from .event.demo import seed_demo

        if current_app.config["APP_ENV"] == "production":
            click.echo("seed-demo refuses to run with APP_ENV=production.", err=True)
            sys.exit(1)
        report = seed_demo(attendees)
        click.echo(f"Demo event: {report['event']} ({report['date']})")
        click.echo(f"Registrations added: {report['added']} (total {report['total']})")
        click.echo("Demo staff logins (change them before real use):")
        for email, role, password in report["logins"]:
            click.echo(f"  {role:<10} {email:<28} {password}")

    @app.cli.group("user")
    def user_group():
        """Staff accounts."""

    @user_group.command("create")
    @click.argument("email")
    @click.option("--role", type=click.Choice(["organiser", "door", "signing"]), required=True)
    @click.option("--name", default="")
    @click.password_option()
    def user_create(email, role, name, password):
        """Create a staff account (asks for the password)."""
        from .auth.services import create_user

        try:
            user = create_user(email, role, password, name)
        except DomainError as error:
            _fail(error)
        click.echo(f"Created {user.role} account {user.email}.")

    @app.cli.group("device")
    def device_group():
        """Door and signing devices."""

    @device_group.command("create")
    @click.argument("name")
    @click.option("--role", type=click.Choice(["door", "signing"]), default="door", show_default=True)
    def device_create(name, role):
        """Create a device and print its bearer token (shown once; only its hash is stored)."""
        from .auth.devices import create_device_with_token

        try:
            device, token = create_device_with_token(name, role)
        except DomainError as error:
            _fail(error)
        click.echo(f"Created {device.role} device \"{device.name}\". Its bearer token (shown only now):")
        click.echo(token)

    @app.cli.group("outbox")
    def outbox_group():
        """Queued mail."""

    @outbox_group.command("send")
    def outbox_send():
        """Deliver every queued mail (retrying failed ones); none is sent twice."""
        from .mail.services import deliver, outbox_summary

        if not current_app.config.get("MAIL_SERVER"):
            click.echo("MAIL_SERVER is not set: mails stay in the outbox (organisers can read them in the browser).")
            sys.exit(1)
        counts = deliver()
        click.echo(f"Sent {counts['sent']}, failed {counts['failed']}. Outbox now: {outbox_summary()}")
        sys.exit(1 if counts["failed"] else 0)

    register_pledge_commands(app)

    @app.cli.command("backup")
    @click.argument("target", type=click.Path(dir_okay=False, writable=True))
    def backup_command(target):
        """Write a consistent backup of the database to TARGET while the app keeps running."""
        from .backup import backup_database

        kind = backup_database(current_app.config["SQLALCHEMY_DATABASE_URI"], target)
        click.echo(f"Backup written to {target} ({kind}).")

