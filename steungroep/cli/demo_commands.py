"""`flask demo` and `flask remove-demo`: the demo school board to try the app with, and
taking it out again before the app is used for real (steungroep/demo.py does the work)."""

from __future__ import annotations

import sys

import click
from sqlalchemy.exc import IntegrityError

from steungroep import demo
from steungroep.cli.accounts import local_address
from steungroep.web.writes import UnitOfWork


def _some(names: list[str], shown: int = 3) -> str:
    listed = ", ".join(names[:shown])
    return listed + (f" en {len(names) - shown} andere" if len(names) > shown else "")


@click.command("demo")
def demo_command() -> None:
    """Load the demo schools (safe to run again: nothing is added twice). Refused on a
    database that holds real schools or accounts."""
    with UnitOfWork():
        if others := demo.other_schools():
            raise click.ClickException(
                f"Deze database heeft scholen of accounts die niet bij de demo horen "
                f"({_some(others)}). "
                "De demo, met wachtwoorden die iedereen kent, hoort daar niet tussen: er is "
                "niets toegevoegd. Probeer de demo in een eigen database, bijvoorbeeld met "
                "DATABASE_URL=sqlite:////tmp/demo.sqlite.")
        logins = demo.load_demo()
    click.echo(f"Demoschool klaar. Inloggen op {local_address()} met:")
    for what, email, password in logins:
        click.echo(f"  {what:<18} {email:<24} wachtwoord: {password}")
    click.echo("Klaar met proberen? flask remove-demo haalt de demo weer weg.")


def _refused(problems: list[str]) -> click.ClickException:
    return click.ClickException("\n".join([
        "De demo is niet verwijderd: er hangt echt werk aan.", *(f"  - {p}" for p in problems),
        "Haal die personen of aanpakken eerst uit de demo (onder Personen of Overzicht).",
    ]))


def _confirmed(question: str) -> bool:
    """Yes in Dutch or English; anything else (or just Enter) is no."""
    answer = click.prompt(f"{question} [j/N]", default="n", show_default=False)
    return answer.strip().lower() in ("j", "ja", "y", "yes")


@click.command("remove-demo")
@click.option("--yes", is_flag=True, help="Niet om bevestiging vragen")
def remove_demo_command(yes: bool) -> None:
    """Remove the demo schools, their board, the demo accounts and everything hanging from
    them (classes, pupils, cases and their rows, logins, links, the audit rows about them),
    in one transaction. Refused, with nothing removed, when that would touch real work."""
    found = demo.scope()
    if found is None:
        click.echo("Er staat geen demo in deze database; er is niets verwijderd.")
        return
    if problems := demo.refusals(found):
        raise _refused(problems)
    if not yes and not _confirmed(
            f"Dit verwijdert de demo voorgoed: {len(found.schools)} school/scholen, "
            f"{len(found.users)} accounts, {len(found.pupils)} leerlingen en "
            f"{len(found.cases)} aanpakken, met alles wat erbij hoort. Doorgaan?"):
        click.echo("Er is niets verwijderd.")
        sys.exit(1)
    try:
        with UnitOfWork() as uow:
            removed = demo.remove_demo(uow)
    except demo.DemoInUse as error:  # changed since the question
        raise _refused(str(error).splitlines()) from None
    except IntegrityError as error:  # something new points at the demo
        raise click.ClickException(
            "De demo is niet verwijderd: er verwijst nog iets anders naar "
            f"({error.orig}).") from None
    if removed is None:
        click.echo("Er staat geen demo (meer) in deze database; er is niets verwijderd.")
        return
    click.echo("Demo verwijderd:")
    for item in removed:
        if item.rows:
            click.echo(f"  {item.rows:>6}  {item.what}")


COMMANDS = (demo_command, remove_demo_command)
