"""`flask invitations ...`: import a list, send invitations and reminders, through the same services as the pages."""
import sys
from pathlib import Path

import click


def register_invitation_commands(app) -> None:
    from ..errors import DomainError

    @app.cli.group("invitations")
    def invitations_group():
        """Invitees: import, send, remind."""

    def _fail(error: DomainError):
        click.echo(f"Error ({error.code}): {error.message}", err=True)
        sys.exit(1)

    @invitations_group.command("import")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option("--yes", is_flag=True, help="Import the rows without problems (default: only show the check).")
    def import_command(file, yes):
        """Check a CSV or XLSX list of invitees; with --yes, import the rows without problems."""
        from . import services

        path = Path(file)
        try:
            upload = services.preview_import(path.name, path.read_bytes(), "cli")
            for row in upload.rows:
                if row["problems"]:
                    click.echo(f"line {row['line']}: {', '.join(row['problems'])}")
            if yes:
                click.echo(f"Imported {services.confirm_import(upload, 'cli')} invitees.")
            else:
                click.echo("Nothing saved; run again with --yes to import the rows without problems.")
        except DomainError as error:
            _fail(error)

    @invitations_group.command("send")
    def send_command():
        """Send every invitation not yet sent."""
        _run("send_invitations", _fail)

    @invitations_group.command("remind")
    def remind_command():
        """Remind everyone who has not answered."""
        _run("send_reminders", _fail)


def _run(name: str, fail) -> None:
    from ..errors import DomainError
    from . import services

    try:
        _batch, count = getattr(services, name)()
    except DomainError as error:
        fail(error)
    click.echo(f"Queued {count} mails.")
