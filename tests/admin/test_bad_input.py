"""Bad input on the pages where a board sets up its schools and people, and on the one-time
links: each gets a 404, a 410 or a Dutch message, the database is the same row for row
afterwards, and nothing is ever a 500 (the same check as tests/core/test_bad_input_table.py).

Each row: (who, method, path, form, status, text the answer holds). ``who``: "admin" (School
A's admin), "board" (the admin of the board of Schools A and B), None (nobody logged in).
Placeholders: {school}, {other_school}, {foreign_school} (a school of another board),
{user} (a teacher of School A), {other_user} (a teacher of School B), {me} (the admin)."""

from __future__ import annotations

import pytest

from steungroep.core.extensions import db

from .. import factories as f
from ..bad_input import HUGE, LONG, answered_without_change

A, B = "admin", "board"
PERSON = {"name": "Juf Els", "email": "els@a.example", "role": "teacher", "schools": "{school}"}
SCHOOL = {"name": "OBS Nieuw", "kind": "po", "region": "midden", "brin": "",
          "admin_name": "", "admin_email": ""}
TOKEN = "Zm9vYmFyYmF6cXV1eGZvb2JhcmJhenF1dXhmb29iYXI"

BAD = [
    # ---- adding someone ----------------------------------------------------------------------
    (A, "POST", "/beheer/personen", {**PERSON, "name": ""}, 422, "Vul de naam in."),
    (A, "POST", "/beheer/personen", {**PERSON, "name": LONG}, 422, "te lang"),
    (A, "POST", "/beheer/personen", {**PERSON, "email": "els"}, 422, "geen e-mailadres"),
    (A, "POST", "/beheer/personen", {**PERSON, "email": "x" * 5000 + "@a.example"}, 422,
     "geen e-mailadres"),
    (A, "POST", "/beheer/personen", {**PERSON, "email": "KARIM@a.example "}, 422,
     "Er is al een account met dit e-mailadres"),
    (A, "POST", "/beheer/personen", {**PERSON, "email": "petra@b.example"}, 422,
     "Er is al een account met dit e-mailadres"),
    (A, "POST", "/beheer/personen", {**PERSON, "role": "bestuur"}, 422, "Kies een rol."),
    (A, "POST", "/beheer/personen", {**PERSON, "role": "ADMIN"}, 422, "Kies een rol."),
    (A, "POST", "/beheer/personen", {**PERSON, "schools": "{other_school}"}, 422,
     "alleen scholen geven die je zelf beheert"),
    (A, "POST", "/beheer/personen", {**PERSON, "schools": HUGE}, 422, "zelf beheert"),
    (A, "POST", "/beheer/personen", {**PERSON, "schools": ""}, 422, "zelf beheert"),
    (A, "POST", "/beheer/personen", {}, 422, "Vul de naam in."),
    # ---- someone who is not the admin's, or not there ------------------------------------------
    (A, "GET", "/beheer/personen/{other_user}", None, 404, ""),
    (A, "GET", f"/beheer/personen/{HUGE}", None, 404, ""),
    (A, "GET", "/beheer/personen?school=%00abc", None, 200, "Juf Anne"),
    (A, "GET", "/beheer/personen?school={other_school}", None, 200, ""),
    (A, "POST", "/beheer/personen/{other_user}", PERSON, 404, ""),
    (A, "POST", f"/beheer/personen/{HUGE}", PERSON, 405, ""),  # only the page is there
    (A, "POST", "/beheer/personen/{other_user}/link", {}, 404, ""),
    (A, "POST", "/beheer/personen/{other_user}/actief", {"active": "0"}, 404, ""),
    # ---- changing someone: what may not be given ----------------------------------------------
    (A, "POST", "/beheer/personen/{user}", {**PERSON, "email": "anne@a.example",
                                           "role": "opperbaas"}, 422, "Kies een rol."),
    (A, "POST", "/beheer/personen/{user}", {**PERSON, "email": "anne@a.example",
                                           "schools": "{other_school}"}, 422,
     "zelf beheert"),
    (A, "POST", "/beheer/personen/{user}", {**PERSON, "email": "co@b.example"}, 422,
     "Er is al een account"),
    (A, "POST", "/beheer/personen/{me}", {**PERSON, "email": "beheer@a.example"}, 422,
     "vraag een andere beheerder"),
    (A, "POST", "/beheer/personen/{me}/actief", {"active": "0"}, 422, "niet uitzetten"),
    (A, "POST", "/beheer/personen/{me}/link", {}, 422, "Account"),
    # ---- the board's pages: not for a school's admin --------------------------------------------
    (A, "GET", "/beheer/scholen", None, 404, ""),
    (A, "POST", "/beheer/scholen", SCHOOL, 404, ""),
    (A, "POST", "/beheer/scholen/{school}", SCHOOL, 404, ""),
    (A, "POST", "/beheer/bestuur", {"board": "Van mij"}, 404, ""),
    # ---- a new school --------------------------------------------------------------------------
    (B, "POST", "/beheer/scholen", {**SCHOOL, "name": ""}, 422, "Vul de naam van de school"),
    (B, "POST", "/beheer/scholen", {**SCHOOL, "name": " school  A "}, 422,
     "Er is al een school met de naam"),
    (B, "POST", "/beheer/scholen", {**SCHOOL, "name": LONG}, 422, "te lang"),
    (B, "POST", "/beheer/scholen", {**SCHOOL, "brin": "ZZZZ"}, 422, "BRIN-nummer is twee"),
    (B, "POST", "/beheer/scholen", {**SCHOOL, "kind": "hbo"}, 422, "soort onderwijs"),
    (B, "POST", "/beheer/scholen", {**SCHOOL, "region": "\x00"}, 422, "vakantieregio"),
    (B, "POST", "/beheer/scholen", {**SCHOOL, "admin_name": "Ria", "admin_email": "ria"}, 422,
     "geen e-mailadres"),
    (B, "POST", "/beheer/scholen", {**SCHOOL, "admin_name": "x",
                                    "admin_email": "anne@a.example"}, 422,
     "heeft al een account als"),
    (B, "POST", "/beheer/scholen", {}, 422, ""),
    (B, "GET", "/beheer/scholen/{foreign_school}", None, 404, ""),
    (B, "POST", "/beheer/scholen/{foreign_school}", {**SCHOOL, "name": "Van mij"}, 404, ""),
    (B, "POST", "/beheer/scholen/{foreign_school}/beheerders",
     {"admin_name": "x", "admin_email": "x@x.example"}, 404, ""),
    (B, "POST", f"/beheer/scholen/{HUGE}", SCHOOL, 405, ""),
    (B, "POST", "/beheer/scholen/{school}", {**SCHOOL, "name": "School B"}, 422,
     "Er is al een school"),
    (B, "POST", "/beheer/scholen/{school}/beheerders", {}, 422, "Vul de naam in."),
    (B, "POST", "/beheer/scholen/{school}/beheerders",
     {"admin_name": "x", "admin_email": "vreemd@elders.example"}, 422, "ander schoolbestuur"),
    (B, "POST", "/beheer/bestuur", {"board": ""}, 422, "Vul de naam van het schoolbestuur"),
    (B, "POST", "/beheer/bestuur", {"board": "Ander bestuur"}, 422, "al een schoolbestuur"),
    (B, "POST", "/beheer/personen/{me}", {**PERSON, "email": "beheer@a.example",
                                          "role": "teacher", "schools": "{school}"}, 422,
     "geen beheerder meer"),
    # ---- one-time links that are none ----------------------------------------------------------
    (None, "GET", f"/welkom/{TOKEN}", None, 410, "Deze link werkt niet"),
    (None, "GET", "/welkom/" + "x" * 3000, None, 410, "Deze link werkt niet"),
    (None, "GET", "/welkom/%00", None, 410, "Deze link werkt niet"),
    (None, "POST", f"/welkom/{TOKEN}", {"password": "een-heel-lang-wachtwoord",
                                        "repeat": "een-heel-lang-wachtwoord"}, 410, ""),
]


def _ids(world) -> dict[str, int]:
    f.case_at(world, "evaluatie_leerling")
    elsewhere = f.make_school("Elders", board=f.make_board("Ander bestuur"))
    f.make_user("Vreemd", "vreemd@elders.example", "admin", elsewhere)
    world.board = f.make_user("Bestuur", "bestuur@a.example", "admin", world.school,
                              world.other_school)
    world.board.board = world.school.board
    db.session.commit()
    return {"school": world.school.id, "other_school": world.other_school.id,
            "foreign_school": elsewhere.id, "user": world.teacher.id,
            "other_user": world.other_teacher.id, "me": world.admin.id}


@pytest.mark.parametrize("who, method, path, form, status, text", BAD,
                         ids=[f"{n:03d} {m} {p[:40]}" for n, (_, m, p, *_) in enumerate(BAD)])
def test_bad_input_is_answered_and_changes_nothing(client, world, login, who, method, path,
                                                   form, status, text):
    ids = _ids(world)
    if who:
        login(getattr(world, who))
    path = path.format(**ids) if len(path) < 200 else path
    form = {k: v.format(**ids) if "{" in v and len(v) < 100 else v
            for k, v in (form or {}).items()}
    answered_without_change(client, method, path, form, status, text)
