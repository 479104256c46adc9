"""Flask CLI commands (db upgrade comes from Flask-Migrate).

- accounts.py: the first start (setup), schools, accounts and one-time password links;
- demo_commands.py: loading and removing the demo;
- backup.py: a copy of the database, and putting it back;
- web.py: the web workers under gunicorn;
- here: the scheduler, the web server with the scheduler, purging and importing pupils."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from pathlib import Path

import click
from flask import Flask, current_app
from werkzeug.serving import run_simple

from steungroep.admin import pupil_import
from steungroep.admin.importer import ImportError_, check_size, school_year_refusal
from steungroep.cli import accounts, backup, demo_commands
from steungroep.cli.accounts import school_named
from steungroep.cli.web import web_command
from steungroep.core.timeutil import utcnow
from steungroep.planning.scheduler import Runner
from steungroep.practice import use_cases as practice
from steungroep.records import use_cases as records
from steungroep.web.writes import UnitOfWork

HEALTH_SECONDS = 15  # how often `flask scheduler` checks that it still holds its lock


def init_app(app: Flask) -> None:
    for command in (*accounts.COMMANDS, *demo_commands.COMMANDS, *backup.COMMANDS,
                    import_pupils_command,
                    scheduler_command, serve_command, web_command, purge_command):
        app.cli.add_command(command)


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Alleen tonen wat geanonimiseerd zou worden")
def purge_command(dry_run: bool) -> None:
    """Anonymise closed cases past their school's retention period, and remove practice
    cases a week old (also done nightly by the scheduler)."""
    items = records.purge(utcnow(), dry_run=dry_run)
    for item in items:
        click.echo(
            f"aanpak #{item.case_id} ({item.school}): afgesloten {item.closed_on:%d-%m-%Y}, "
            f"bewaren tot {item.due_on:%d-%m-%Y}"
        )
    if dry_run:
        click.echo(f"{len(items)} aanpak(ken) zou(den) worden geanonimiseerd (proefdraai).")
        click.echo(f"{len(practice.due(utcnow()))} oefenaanpak(ken) zou(den) worden "
                   "verwijderd (proefdraai).")
    else:
        click.echo(f"{len(items)} aanpak(ken) geanonimiseerd.")
        click.echo(f"{practice.housekeeping(utcnow())} oefenaanpak(ken) verwijderd.")


def _log_to_terminal() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr
    )
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


@click.command("scheduler")
def scheduler_command() -> None:
    """Run the scheduler (reminders, overdue notices, e-mail) as its own process.

    Run exactly one next to the web workers; a second one waits as a standby. When the
    database goes away (a restart), it stops its jobs, waits, and takes its lock again when
    the database is back (or stays a standby if another took over)."""
    _log_to_terminal()
    app = current_app._get_current_object()
    health_seconds = float(app.config.get("SCHEDULER_HEALTH_SECONDS", HEALTH_SECONDS))
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    runner = Runner(app)
    thread = runner.start_in_background()
    while not stop.wait(health_seconds):
        if not runner.healthy():
            logging.getLogger(__name__).error(
                "planner heeft zijn slot op de database verloren (is de database herstart?): "
                "de taken stoppen; hij wacht tot de database terug is en neemt het slot dan "
                "opnieuw, of wacht als een ander het heeft"
            )
            runner.stop()
            thread.join(timeout=10)
            runner = Runner(app)
            thread = runner.start_in_background()
    runner.stop()
    thread.join(timeout=10)
    click.echo("Planner gestopt.", err=True)


@click.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=lambda: int(os.environ.get("PORT", "5000")), type=int)
def serve_command(host: str, port: int) -> None:
    """Serve the app and run the scheduler in the same process (one-process set-ups)."""
    _log_to_terminal()
    app = current_app._get_current_object()
    runner = Runner(app)
    runner.start_in_background()
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        runner.stop()


@click.command("import-pupils")
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--school", required=True, help="Schoolnaam")
@click.option("--year", "school_year", required=True, help="Schooljaar, bijvoorbeeld 2026-2027")
@click.option("--dry-run", is_flag=True, help="Alleen tonen wat er zou veranderen")
def import_pupils_command(export: Path, school: str, school_year: str, dry_run: bool) -> None:
    """Import pupils from an EdexML export (ParnasSys, Esis, …) or a CSV (voornaam;
    achternaam; klas; leerlingnummer). Matched by pupil number; all or nothing; pupils no
    longer in the export are listed, not removed."""
    try:
        check_size(export.stat().st_size)
        rows = pupil_import.read_rows(export.read_bytes())
    except ImportError_ as error:
        for problem in error.problems:
            click.echo(problem, err=True)
        raise click.ClickException(
            "Niets geïmporteerd. Verbeter het bestand en probeer opnieuw."
        ) from None
    if refusal := school_year_refusal(school_year):
        raise click.ClickException(refusal)
    if dry_run:
        plan = pupil_import.plan(school_named(school), rows, school_year)
    else:
        with UnitOfWork():  # planned and carried out in one transaction
            target = school_named(school)
            plan = pupil_import.plan(target, rows, school_year)
            pupil_import.apply(target, plan)
    click.echo(("Proef: er is niets opgeslagen. " if dry_run else "") + plan.summary())
    if plan.leavers:
        click.echo(f"Niet (meer) in het bestand: {len(plan.leavers)} leerlingen. Ze blijven "
                   "staan; wis ze onder Leerlingen als ze de school verlaten hebben:")
        for pupil in plan.leavers:
            click.echo("  " + pupil_import.describe(pupil.first_name, pupil.surname_initial,
                                                    pupil.school_class.name))
