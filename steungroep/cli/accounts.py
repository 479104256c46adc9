"""The command line for the first minutes and the bad days: `flask setup` on an empty
database, schools, accounts, and one-time links to choose a password (for a new account,
or for anyone locked out, the last admin included).

A password is only ever typed at a hidden prompt (`flask setup`) or chosen through a link,
never given as an option: options stay in the shell's history and the process list. The
links are always printed, also when e-mail is set up: whoever runs the command hands them
over."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import click
from flask import current_app
from sqlalchemy import func, select

from steungroep.admin import invitations
from steungroep.admin import people as use_cases
from steungroep.core.extensions import db
from steungroep.core.timeutil import local
from steungroep.domain import DomainError, people
from steungroep.domain.calendar import REGIONS
from steungroep.domain.passwords import check_new_password
from steungroep.domain.vocabulary import SCHOOL_KINDS
from steungroep.models import ROLE_ADMIN, STAFF_ROLES, Board, School, SchoolSignIn, User
from steungroep.web.audit import CHANGE
from steungroep.web.writes import UnitOfWork

TIME = "%d-%m-%Y %H:%M"


def local_address() -> str:
    """The address of `flask serve` / `make run` on this machine."""
    return f"http://127.0.0.1:{os.environ.get('PORT', '5000')}"


def _loopback(address: str) -> bool:
    host = urlsplit(address).hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")


def _refusal(error: DomainError, what: str) -> click.ClickException:
    """A domain refusal (every problem of a form) as one message."""
    messages = [e.message for e in error.all]
    if len(messages) == 1:
        return click.ClickException(f"{what} {messages[0]}")
    return click.ClickException("\n".join([what, *(f"  - {m}" for m in messages)]))


def school_named(name: str) -> School:
    school = db.session.scalar(
        select(School).where(func.lower(School.name) == " ".join(name.split()).lower()))
    if school is None:
        raise click.ClickException(f"School '{name}' bestaat niet.")
    return school


def board_for(name: str | None) -> Board:
    """The board called ``name``, or the only one there is."""
    boards = list(db.session.scalars(select(Board).order_by(Board.name)))
    listed = ", ".join(f"'{b.name}'" for b in boards)
    if not boards:
        raise click.ClickException("Er is nog geen schoolbestuur. Begin met: flask setup")
    if name is not None:
        wanted = " ".join(name.split()).lower()
        for board in boards:
            if board.name.lower() == wanted:
                return board
        raise click.ClickException(f"Schoolbestuur '{name}' bestaat niet. Er zijn: {listed}.")
    if len(boards) > 1:
        raise click.ClickException(f"Er zijn {len(boards)} schoolbesturen ({listed}); kies er "
                                   "een met --board \"naam\".")
    return boards[0]


# ---- one-time links -------------------------------------------------------------------------


def _check_base(_ctx, _param, value: str | None) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.BadParameter("geef een adres zoals https://steungroep.school.nl")
    return value.strip().rstrip("/")


base_url_option = click.option(
    "--base-url", callback=_check_base, metavar="ADRES",
    help="Adres van de app voor de link, als PUBLIC_URL niet is ingesteld "
         "(standaard http://127.0.0.1:5000: werkt alleen op deze computer)")


def _base(base_url: str | None) -> str:
    """PUBLIC_URL when it is set, else --base-url, else this machine."""
    public = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    if public:
        if base_url and base_url != public:
            click.echo(f"PUBLIC_URL is ingesteld ({public}); --base-url wordt niet gebruikt.",
                       err=True)
        return public
    return base_url or local_address()


def _hand_over(uow: UnitOfWork, user: User, purpose: str, base_url: str | None):
    """A new one-time link for ``user`` (older ones stop working), never mailed: printed
    after the commit by ``_print_link``."""
    base = _base(base_url)
    issued = invitations.issue(user, purpose, by=None, base=base, mail_it=False)
    what = "uitnodiging" if purpose == people.INVITE else "herstellink"
    uow.audit(CHANGE, f"{what} voor medewerker {user.id} (opdrachtregel)")
    return issued, base


def _print_link(user: User, issued: invitations.Issued, base: str) -> None:
    click.echo(f"Link voor {user.name} ({user.email}) om een wachtwoord te kiezen; één keer "
               f"te gebruiken, geldig tot {local(issued.expires_at):{TIME}}:")
    click.echo(f"  {issued.url}")
    click.echo("Geef de link zelf aan deze persoon: wie hem heeft, kan het wachtwoord kiezen. "
               "Een nieuwe link maakt deze ongeldig.")
    if _loopback(base):
        click.echo(f"Let op: PUBLIC_URL is niet ingesteld, dus de link begint met {base} en "
                   "werkt alleen op deze computer. Geef het adres waarop collega's de app "
                   "bereiken met --base-url, of zet PUBLIC_URL.", err=True)


def _signs_in_at_school(user: User) -> bool:
    """Whether every school of this (non-admin) person requires the school's own account:
    then a password is no use to them."""
    ids = user.school_ids
    required = set(db.session.scalars(select(SchoolSignIn.school_id).where(
        SchoolSignIn.school_id.in_(ids), SchoolSignIn.required.is_(True))))
    return user.role != ROLE_ADMIN and bool(ids) and ids <= required


@click.command("reset-link")
@click.argument("email")
@base_url_option
def reset_link_command(email: str, base_url: str | None) -> None:
    """Print a one-time link (valid 48 hours) with which this person chooses a new password:
    for anyone locked out, the last admin included. Older links of theirs stop working."""
    address = email.strip().lower()
    with UnitOfWork() as uow:
        user = db.session.scalar(select(User).where(func.lower(User.email) == address))
        if user is None:
            raise click.ClickException(f"Er is geen account met e-mailadres {address}.")
        if not user.active:
            raise click.ClickException(
                f"Het account van {user.name} ({user.email}) staat uit; een link zou niet "
                "werken. Laat een beheerder van de school het eerst weer aanzetten onder "
                "Personen.")
        issued, base = _hand_over(uow, user, people.RESET, base_url)
    _print_link(user, issued, base)


@click.command("create-user")
@click.option("--name", required=True, help="Naam zoals die in de app staat")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(sorted(STAFF_ROLES)), default="teacher")
@click.option("--school", "schools", multiple=True, required=True, help="Schoolnaam (herhaalbaar)")
@base_url_option
def create_user_command(name: str, email: str, role: str, schools: tuple[str, ...],
                        base_url: str | None) -> None:
    """Create a staff account for one or more schools and print a one-time link (valid 7
    days) with which the person chooses their own password."""
    issued = base = None
    try:
        with UnitOfWork() as uow:
            school_ids = {school_named(s).id for s in schools}
            user = use_cases.add_person(uow, name=name, email=email, role=role,
                                        school_ids=school_ids, held=None)
            uow.audit(CHANGE, f"medewerker {user.id} toegevoegd ({role}, opdrachtregel)")
            if not _signs_in_at_school(user):
                issued, base = _hand_over(uow, user, people.INVITE, base_url)
    except DomainError as error:
        raise _refusal(error, "Geen account aangemaakt.") from None
    click.echo(f"Account aangemaakt voor {user.name} ({STAFF_ROLES[role]}).")
    if issued is None or base is None:
        click.echo("Deze persoon logt in met het account van de school; een wachtwoord is "
                   "niet nodig.")
    else:
        _print_link(user, issued, base)


# ---- schools --------------------------------------------------------------------------------


def _describe(school: School) -> str:
    brin = f", BRIN {school.brin}" if school.brin else ""
    return f"{school.name} ({SCHOOL_KINDS[school.kind].lower()}, regio {school.region}{brin})"


@click.command("create-school")
@click.option("--name", required=True, help="Naam van de school")
@click.option("--kind", type=click.Choice(list(SCHOOL_KINDS)), required=True,
              help="po (basisonderwijs), vo (voortgezet onderwijs) of mbo")
@click.option("--region", type=click.Choice(list(REGIONS)), required=True,
              help="Vakantieregio")
@click.option("--brin", default="", help="BRIN-nummer, bijvoorbeeld 12AB of 12AB01 (mag leeg)")
@click.option("--board", default=None, help="Schoolbestuur (nodig als er meer dan één is)")
def create_school_command(name: str, kind: str, region: str, brin: str,
                          board: str | None) -> None:
    """Create a school of a school board; the board's board admins hold it at once."""
    try:
        with UnitOfWork() as uow:
            school = use_cases.create_school(board_for(board), name, kind, region, brin)
            uow.audit(CHANGE, f"school {school.id} aangemaakt (opdrachtregel)",
                      school_id=school.id)
    except DomainError as error:
        raise _refusal(error, "Geen school aangemaakt.") from None
    click.echo(f"School aangemaakt bij {school.board.name}: {_describe(school)}.")
    click.echo("Geef de school een eigen beheerder onder Scholen, of met: flask create-user "
               f"--role admin --school \"{school.name}\" --name … --email …")


# ---- the first start ------------------------------------------------------------------------


def _refuse_if_people() -> None:
    if db.session.scalar(select(User.id).limit(1)) is not None:
        raise click.ClickException(
            "Deze database heeft al accounts: flask setup is alleen voor de eerste start. Kan "
            "niemand meer inloggen? Maak een link om een nieuw wachtwoord te kiezen met: "
            "flask reset-link E-MAILADRES")


def _ask(text: str, clean, **prompt):
    """Ask until ``clean`` accepts the answer (it says why not)."""
    while True:
        try:
            return clean(click.prompt(text, **prompt))
        except DomainError as error:
            click.echo(error.message, err=True)


def _ask_password(email: str, name: str) -> str:
    """Typed twice without being shown; asked again, with the reason, until it is good."""
    while True:
        password = click.prompt("Wachtwoord (minstens 12 tekens; wat je typt, zie je niet)",
                                hide_input=True)
        try:
            check_new_password(password, email=email, name=name)
        except DomainError as error:
            click.echo(error.message, err=True)
            continue
        if click.prompt("Typ het wachtwoord nog een keer", hide_input=True) == password:
            return password
        click.echo("De twee wachtwoorden zijn niet gelijk. Probeer het opnieuw.", err=True)


def _school_name(typed: str) -> str:
    if not typed.strip():
        return ""  # no school now
    taken = db.session.scalar(select(School.id).where(
        func.lower(School.name) == " ".join(typed.split()).lower()).limit(1))
    return people.clean_school_name(typed, taken is not None)


def _brin(typed: str) -> str:
    taken = db.session.scalar(select(School.id).where(
        School.brin == "".join(typed.split()).upper()).limit(1))
    return people.clean_brin(typed, bool(typed.strip()) and taken is not None) or ""


def _ask_school() -> dict | None:
    click.echo("De eerste school. Je kunt er later meer maken (onder Scholen, of met flask "
               "create-school).")
    name = _ask("Naam van de school (leeg laten om over te slaan)", _school_name, default="",
                show_default=False)
    if not name:
        return None
    kind = click.prompt("Soort onderwijs: po (basisonderwijs), vo (voortgezet onderwijs) of "
                        "mbo", type=click.Choice(list(SCHOOL_KINDS)), default="po",
                        show_choices=False)
    region = click.prompt("Vakantieregio", type=click.Choice(list(REGIONS)))
    brin = _ask("BRIN-nummer (leeg laten als je het niet weet)", _brin, default="",
                show_default=False)
    return {"name": name, "kind": kind, "region": region, "brin": brin}


@click.command("setup")
def setup_command() -> None:
    """First start on an empty database: the school board, its first admin (a board admin,
    whose password is typed here twice, hidden) and optionally the first school."""
    _refuse_if_people()
    click.echo("Steungroep inrichten: het schoolbestuur, de eerste beheerder (jij) en de "
               "eerste school.")
    board_name = _ask("Naam van het schoolbestuur", people.clean_board_name)
    name = _ask("Je naam (zoals collega's die in de app zien)", people.clean_name)
    email = _ask("Je e-mailadres (om mee in te loggen)", people.clean_email)
    password = _ask_password(email, name)
    school_form = _ask_school()
    try:
        with UnitOfWork() as uow:
            uow.lock_key("flask-setup")
            _refuse_if_people()  # again, now that nobody else can set up at the same time
            board = db.session.scalar(select(Board).where(
                func.lower(Board.name) == board_name.lower())) or use_cases.create_board(
                board_name)
            admin = User(name=name, email=email, role=ROLE_ADMIN, board=board,
                         schools=list(board.schools))
            admin.set_password(password)
            db.session.add(admin)
            db.session.flush()
            school = use_cases.create_school(board, **school_form) if school_form else None
            uow.audit(CHANGE, f"bestuursbeheerder {admin.id} ingericht (opdrachtregel)")
    except DomainError as error:
        raise _refusal(error, "Er is niets aangemaakt.") from None
    address = current_app.config.get("PUBLIC_URL") or local_address()
    click.echo("\nKlaar. Aangemaakt:")
    click.echo(f"  schoolbestuur  {board.name}")
    click.echo(f"  beheerder      {admin.name} <{admin.email}>, bestuursbeheerder: beheert "
               "alle scholen van het bestuur")
    if school is not None:
        click.echo(f"  school         {_describe(school)}")
    click.echo(f"\nVolgende stap: log in op {address} met {admin.email} en je wachtwoord. Maak "
               "onder Scholen de (andere) scholen van het bestuur aan, elk met een eigen "
               "beheerder; die krijgt een link om zelf een wachtwoord te kiezen.")
    if not current_app.config.get("PUBLIC_URL"):
        click.echo("Zet PUBLIC_URL op het adres waarop collega's en leerlingen de app bereiken "
                   "(links in e-mails en QR-codes gaan daarheen).")


COMMANDS = (setup_command, create_school_command, create_user_command, reset_link_command)
