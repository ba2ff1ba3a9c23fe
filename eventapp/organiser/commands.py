"""`flask privacy ...`: the purge after the event, calling the same service as the console."""
import sys

import click

from ..errors import DomainError


def register_privacy_commands(app) -> None:
    @app.cli.group("privacy")
    def privacy_group():
        """Privacy (AVG/GDPR): anonymising registrations after the event."""

    @privacy_group.command("purge")
    @click.option("--older-than", "days", type=click.IntRange(min=0), required=True,
                  help="Only when the event ended at least this many days ago.")
    def purge_command(days):
        """Anonymise every registration; partner organisations, signatories and signature evidence stay."""
        from .privacy import purge

        try:
            count = purge(days, actor="cli")
        except DomainError as error:
            click.echo(f"Error ({error.code}): {error.message}", err=True)
            sys.exit(1)
        click.echo(f"Anonymised {count} registrations.")
