"""`flask pledge ...`: checks on the signature evidence chain."""
import sys

import click


def register_pledge_commands(app) -> None:
    @app.cli.group("pledge")
    def pledge_group():
        """The signed pledge and its evidence chain."""

    @pledge_group.command("verify")
    def pledge_verify():
        """Recompute every signature record's hash; name the first broken record and exit 1 if any."""
        from .evidence import first_break
        from .services import signature_count

        broken = first_break()
        if broken is None:
            click.echo(f"OK: {signature_count()} signature records, chain intact.")
            return
        record = broken.record
        click.echo(f"BROKEN: record id {record.id}, sequence {record.sequence}, organisation "
                   f"{record.organisation_name!r}: {broken.reason}", err=True)
        sys.exit(1)
