"""More than a hundred bad inputs across the routes, as a curious pupil, a careless paste or
an outsider sends them: each gets a 404, a 413 or a Dutch message, the database is the same
row for row afterwards, and nothing is ever a 500.

Each row: (who, step of the case, method, path, form, status, text the answer holds).
Placeholders: {case} (a case of the actor's school at that step), {other_case} (a case of
another school), {member} / {other_member} (a group member of each), {subject},
{other_pupil}, {school}, {other_school}, {user}, {other_user}."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from .. import factories as f
from ..bad_input import HUGE, LONG, answered_without_change

C, T, A = "coordinator", "teacher", "admin"
EVAL, GROUP, MEETING, TALK, DECIDE = "evaluatie_leerling", "groep", "bijeenkomst", "gesprek", \
    "besluit"

CASE_PAGES = ["", "/besluit", "/bijeenkomst", "/bijeenkomst/klaar", "/evaluatie-groep",
              "/evaluatie-leerling", "/gesprek", "/groep", "/groep/zoeken?q=a", "/kaarten",
              "/kaarten/afdrukken", "/logboek", "/notities", "/notities.csv", "/uitnodigingen",
              "/verslag"]

# The settings form of a school as the page sends it, with the values a new school has.
SETTINGS = {"region": "midden", "kind": "po", "language": "nl", "pupil_days": "5",
            "group_days": "10", "plan_steps": "Gesprek met de ouders", "retention_months": "12",
            "dossier_roles": "0"}

BAD = [
    # ---- ids nobody has, and ids of another school: 404, the same answer ------------------
    *[(C, EVAL, "GET", f"/zaken/{HUGE}{page}", None, 404, "") for page in CASE_PAGES],
    *[(C, EVAL, "GET", f"/zaken/{{other_case}}{page}", None, 404, "")
      for page in CASE_PAGES],
    (C, EVAL, "GET", "/zaken/-1", None, 404, ""),
    (C, EVAL, "GET", "/zaken/0", None, 404, ""),
    (C, EVAL, "GET", "/zaken/1e3", None, 404, ""),
    (C, EVAL, "GET", "/zaken/%EF%BC%91", None, 404, ""),  # a full-width digit one
    (C, EVAL, "GET", f"/overzicht/aanpak/{HUGE}/acties", None, 404, ""),
    (C, EVAL, "GET", "/overzicht/aanpak/{other_case}/acties", None, 404, ""),
    (C, EVAL, "GET", "/zaken/{case}/kaarten/{other_member}", None, 404, ""),
    (C, EVAL, "GET", "/zaken/{case}/kaarten/{other_member}/afdrukken", None, 404, ""),
    (T, MEETING, "POST", "/zaken/{case}/bijeenkomst/acties/{other_member}", {"text": "Ik ga."},
     404, ""),
    (T, MEETING, "POST", f"/zaken/{{case}}/bijeenkomst/acties/{HUGE}", {"text": "Ik ga."},
     404, ""),
    (T, GROUP, "POST", "/zaken/{case}/groep/leden/{other_member}/weg", {}, 404, ""),
    (T, EVAL, "POST", "/zaken/{case}/groep/leden/{other_member}/nieuwe-kaart", {}, 404, ""),
    # the pupil search: odd values find nobody, never another school's pupil
    (T, EVAL, "GET", "/leerlingen/kiezen?veld=pupil_id&zoek_pupil_id=%00%25%5F", None, 200,
     "Niemand gevonden"),
    (T, EVAL, "GET", f"/leerlingen/kiezen?veld=pupil_id&zoek_pupil_id=a&pupil_id={HUGE}"
     f"&naast={HUGE}&school={HUGE}", None, 200, "groep 6"),  # ids that are none: ignored
    (T, EVAL, "GET", "/leerlingen/kiezen?veld=pupil_id&zoek_pupil_id=a&school={other_school}",
     None, 200, "Niemand gevonden"),
    (T, EVAL, "GET", "/leerlingen/kiezen?veld=pupil_id&pupil_id={other_pupil}", None, 200,
     "Typ een voornaam"),
    (T, EVAL, "GET", "/leerlingen/kiezen?veld=csrf_token", None, 404, ""),
    (T, EVAL, "GET", "/meldingen/nieuw?zoek_pupil_id=" + "x" * 500, None, 200, "Niemand"),
    (C, EVAL, "GET", "/leerlingen/{other_pupil}/inzage", None, 404, ""),
    (C, EVAL, "GET", "/leerlingen/{other_pupil}/inzage.json", None, 404, ""),
    (C, EVAL, "GET", "/leerlingen/{other_pupil}/logboek", None, 404, ""),
    (A, EVAL, "GET", "/leerlingen/{other_pupil}/wissen", None, 404, ""),
    (A, EVAL, "POST", "/leerlingen/{other_pupil}/wissen", {"confirm": "x"}, 404, ""),
    (A, EVAL, "POST", "/beheer/personen/{other_user}/actief", {}, 404, ""),
    # the pupil import: another school, no file, a forged or foreign preview
    (A, EVAL, "POST", "/beheer/leerlingen/importeren",
     {"school": "{other_school}", "school_year": "2026-2027"}, 422, "Kies de school."),
    (A, EVAL, "POST", "/beheer/leerlingen/importeren",
     {"school": "{school}", "school_year": "\x00" * 5}, 422, "Schrijf het schooljaar"),
    (A, EVAL, "POST", "/beheer/leerlingen/importeren",
     {"school": "{school}", "school_year": "2026-2027"}, 422, "Kies het bestand"),
    (A, EVAL, "POST", "/beheer/leerlingen/importeren/bevestigen",
     {"token": "x" * 2001, "fingerprint": ""}, 302, ""),
    (A, EVAL, "POST", "/beheer/personen/{other_user}/link", {}, 404, ""),
    (C, EVAL, "POST", "/instellingen/scholen/{other_school}",
     {**SETTINGS, "retention_months": "24"}, 404, ""),
    (C, EVAL, "POST", "/instellingen/scholen/{other_school}", {"region": "noord"}, 404, ""),
    (C, EVAL, "POST", f"/instellingen/scholen/{HUGE}", {**SETTINGS, "dossier_roles": "1"}, 404,
     ""),
    (C, EVAL, "POST", f"/instellingen/scholen/{{school}}/studiedagen/{HUGE}/verwijderen", {},
     404, ""),
    (C, EVAL, "POST", f"/herinneringen/{HUGE}/gezien", {}, 404, ""),
    (C, EVAL, "POST", "/zaken/{other_case}/notitie", {"text": "Hallo"}, 404, ""),
    (C, EVAL, "POST", "/zaken/{other_case}/verantwoordelijke", {"teacher_id": "{user}"}, 404,
     ""),
    (C, EVAL, "POST", "/zaken/{case}/evaluaties/tovenaar/verplaatsen",
     {"due_on": "2030-01-07", "reason": "x"}, 404, ""),
    (C, EVAL, "GET", "/statistieken/tovenaar.csv", None, 404, ""),
    (C, EVAL, "GET", "/agenda/niet-bestaand.ics", None, 404, ""),
    (C, EVAL, "GET", "/agenda/%00" + "a" * 30 + ".ics", None, 404, ""),
    (C, EVAL, "GET", "/k/%00" + "a" * 30, None, 404, ""),
    (C, EVAL, "GET", "/k/" + "a" * 300, None, 404, ""),
    (C, EVAL, "GET", "/k/%00%01", None, 404, ""),
    (C, EVAL, "GET", "/k/..%2F..%2Fetc%2Fpasswd", None, 404, ""),
    # ---- the melding -----------------------------------------------------------------------
    (T, EVAL, "POST", "/meldingen/nieuw", {"pupil_id": "{other_pupil}", "reported_on":
     "2026-11-30", "source": "ouder", "forms": "verbaal", "description": "x",
     "triage": "herhaald"}, 422, "Kies de leerling"),
    (T, EVAL, "POST", "/meldingen/nieuw", {"pupil_id": "{subject}", "source": "tovenaar",
     "forms": "toveren", "triage": "vliegen"}, 422, "Nog niet alles is goed ingevuld"),
    (T, EVAL, "POST", "/meldingen/nieuw", {"pupil_id": "{subject}", "reported_on": "2026-02-30",
     "source": "ouder", "forms": "verbaal", "description": "x", "triage": "herhaald"}, 422,
     "datum"),
    (T, EVAL, "POST", "/meldingen/nieuw", {"pupil_id": "{subject}", "reported_on": "2026-11-30",
     "source": "ouder", "forms": "verbaal", "description": LONG, "triage": "herhaald"}, 422,
     "2000"),
    (T, EVAL, "POST", "/meldingen/nieuw", {"pupil_id": "\x00", "description": "\x00"}, 422,
     "Kies de leerling"),
    (T, EVAL, "POST", "/meldingen/nieuw", {"description": "x" * (1024 * 1024 + 1)}, 413,
     "te veel in één keer"),
    # ---- the talk ----------------------------------------------------------------------------
    (T, TALK, "POST", "/zaken/{case}/gesprek", {"held_on": "2026-11-30", "consent": "misschien"},
     422, ""),
    (T, TALK, "POST", "/zaken/{case}/gesprek", {"held_on": "2999-01-01", "consent": "ja"}, 422,
     ""),
    (T, TALK, "POST", "/zaken/{case}/gesprek", {"held_on": "0001-01-01", "consent": "ja"}, 422,
     ""),
    (T, TALK, "POST", "/zaken/{case}/gesprek", {"held_on": "2026-11-30", "consent": "ja",
                                                "letter": LONG}, 422, "2000"),
    (T, TALK, "POST", "/zaken/{case}/gesprek", {"held_on": "2026-11-30", "consent": "ja",
                                                "follow_up_on": "morgen"}, 422, ""),
    # ---- beside the steungroep: talks, pupils involved, the one-off path, the plan ---------
    (T, EVAL, "POST", "/zaken/{case}/gesprekken", {"party": "ouders",
     "talk_pupil": "{other_pupil}", "held_on": "2026-11-30", "summary": "x"}, 422,
     "Kies de leerling (of wiens ouders)"),
    (T, EVAL, "POST", "/zaken/{case}/gesprekken", {"party": "\x00", "talk_pupil": "\x00",
     "held_on": "\x00", "summary": "\x00"}, 422, "Kies met wie"),
    (T, EVAL, "POST", "/zaken/{case}/gesprekken", {"party": "smw", "held_on": "2026-11-30",
     "summary": LONG}, 422, "2000"),
    (T, EVAL, "POST", "/zaken/{case}/gesprekken", {"party": "smw", "held_on": "2026-11-30",
     "summary": "x", "follow_up_on": "2999-01-01"}, 422, "binnen vier maanden"),
    (T, EVAL, "POST", "/zaken/{case}/gesprekken", {"party": "smw", "held_on": "2026-11-30",
     "summary": "x", "follows": HUGE}, 422, "al vastgelegd"),
    (T, EVAL, "POST", "/zaken/{case}/gesprekken", {"summary": "x" * (1024 * 1024 + 1)}, 413,
     "te veel in één keer"),
    (T, EVAL, "POST", "/zaken/{other_case}/gesprekken", {"party": "smw", "summary": "x"}, 404,
     ""),
    (T, EVAL, "POST", "/zaken/{case}/betrokken", {"involved_pupil": "{other_pupil}",
     "involvement": "pestte"}, 422, "Kies een leerling van deze school"),
    (T, EVAL, "POST", "/zaken/{case}/betrokken", {"involved_pupil": HUGE,
     "involvement": "dader"}, 422, "Kies hoe de leerling erbij betrokken was"),
    (T, EVAL, "POST", "/zaken/{case}/betrokken/weg", {"involved_id": HUGE}, 422,
     "staat niet (meer) bij deze aanpak"),
    (T, EVAL, "POST", "/zaken/{case}/herstelgesprek", {"talk_pupil": "{other_pupil}",
     "held_on": "2026-11-30", "summary": "x"}, 422, "hoort bij een eenmalig incident"),
    (T, EVAL, "POST", "/zaken/{case}/controle", {"result": "gestopt"}, 422,
     "Eerst het herstelgesprek"),
    (T, EVAL, "POST", "/zaken/{case}/stappenplan/gezet", {"step_id": HUGE,
     "done_on": "2026-11-30", "done_by": "x"}, 422, "geen stappenplan"),
    (T, EVAL, "POST", "/zaken/{case}/stappenplan/gepland", {"step_id": "\x00"}, 422,
     "geen stappenplan"),
    (T, EVAL, "POST", "/zaken/{case}/stappenplan/stap", {"title": "Nog een stap"}, 422,
     "lopend stappenplan"),
    (T, EVAL, "POST", "/zaken/{case}/stappenplan/afsluiten", {}, 422, "Alleen een coördinator"),
    (C, EVAL, "POST", "/zaken/{case}/stappenplan/afsluiten", {}, 422, "geen stappenplan"),
    (C, EVAL, "POST", "/instellingen/scholen/{school}", {**SETTINGS, "plan_steps": " \n "},
     422, "minstens één stap"),
    (C, EVAL, "POST", "/instellingen/scholen/{school}", {"plan_steps": "Stap"}, 422,
     "Nog niet alles is goed ingevuld"),  # a form with most of its fields left out
    (C, EVAL, "POST", "/instellingen/scholen/{other_school}",
     {**SETTINGS, "plan_steps": "Stap"}, 404, ""),
    # ---- the group ---------------------------------------------------------------------------
    (T, GROUP, "POST", "/zaken/{case}/groep/leden", {"pupil_id": HUGE, "role": "helper"}, 422,
     ""),
    (T, GROUP, "POST", "/zaken/{case}/groep/leden", {"pupil_id": "{other_pupil}",
                                                     "role": "helper"}, 422, ""),
    (T, GROUP, "POST", "/zaken/{case}/groep/leden", {"pupil_id": "{subject}", "role": "helper"},
     422, ""),
    (T, GROUP, "POST", "/zaken/{case}/groep/leden", {"pupil_id": "²", "role": "helper"}, 422,
     ""),
    (T, GROUP, "POST", "/zaken/{case}/groep/leden", {"role": "dader"}, 422, ""),
    (T, GROUP, "POST", "/zaken/{case}/groep/bevestigen", {}, 422, ""),
    (T, GROUP, "GET", "/zaken/{case}/groep/zoeken?q=%00" + "a" * 500, None, 200, ""),
    # ---- meeting mode ------------------------------------------------------------------------
    (T, MEETING, "POST", "/zaken/{case}/bijeenkomst/acties/{member}", {"text": ""}, 422,
     "verplicht"),
    (T, MEETING, "POST", "/zaken/{case}/bijeenkomst/acties/{member}", {"text": LONG}, 422,
     "200"),
    (T, MEETING, "POST", "/zaken/{case}/bijeenkomst/acties/{member}",
     {"text": "Ik ga stoppen met p\u200besten"}, 422, "Ik ga"),
    (T, MEETING, "POST", "/zaken/{case}/bijeenkomst/acties/{member}",
     {"text": "", "action_id": HUGE, "base": "\x00" * 50}, 422, "verplicht"),
    (T, MEETING, "POST", "/zaken/{case}/bijeenkomst/afronden", {"minutes": HUGE}, 422,
     "Nog geen actie"),
    (T, MEETING, "POST", "/zaken/{case}/bijeenkomst/afronden", {"minutes": "-5"}, 422, ""),
    (T, MEETING, "POST", "/zaken/{case}/bijeenkomst/plannen", {"meeting_on": "2026-13-01"},
     422, ""),
    (T, MEETING, "POST", "/zaken/{case}/bijeenkomst/plannen", {"meeting_on": "0001-01-01"},
     422, ""),
    # ---- evaluations and the decision ---------------------------------------------------------
    *[(T, EVAL, "POST", "/zaken/{case}/evaluatie-leerling",
       {"held_on": "2026-11-30", "wellbeing": w, "changed": "x", "improved": "ja"}, 422, "")
      for w in ("0", "6", "abc", "", "-1", "٣")],
    (T, EVAL, "POST", "/zaken/{case}/evaluatie-leerling",
     {"held_on": "2026-11-30", "wellbeing": "3", "changed": "x", "improved": "tovenaar"}, 422,
     ""),
    (T, EVAL, "POST", "/zaken/{case}/evaluatie-leerling",
     {"held_on": "2026-11-30", "wellbeing": "3", "changed": LONG, "improved": "ja"}, 422,
     "2000"),
    (T, DECIDE, "POST", "/zaken/{case}/besluit", {"decision": "tovenaar"}, 422, ""),
    (T, DECIDE, "POST", "/zaken/{case}/besluit", {"decision": ""}, 422, ""),
    (T, DECIDE, "POST", "/zaken/{case}/besluit", {"decision": "afsluiten", "reason": LONG},
     422, ""),
    (T, EVAL, "POST", "/zaken/{case}/evaluatie-groep", {"held_on": "2026-11-30"}, 422, ""),
    (T, EVAL, "POST", "/zaken/{case}/evaluaties/leerling/verplaatsen",
     {"due_on": "geen datum", "reason": "ziek"}, 422, ""),
    (T, EVAL, "POST", "/zaken/{case}/evaluaties/leerling/verplaatsen",
     {"due_on": "2030-01-07", "reason": LONG}, 422, ""),
    (T, EVAL, "POST", "/zaken/{case}/geinformeerd", {"party": "", "informed_on": ""}, 422, ""),
    # ---- coordinators: notes, hand-over, corrections -------------------------------------------
    (C, EVAL, "POST", "/zaken/{case}/notitie", {"text": LONG}, 302, ""),
    (C, EVAL, "POST", "/zaken/{case}/verantwoordelijke", {"teacher_id": "{other_user}"}, 302,
     ""),
    (C, EVAL, "POST", "/zaken/{case}/verantwoordelijke", {"teacher_id": "abc"}, 302, ""),
    (C, EVAL, "POST", "/zaken/{case}/correctie", {"text": "Een correctie"}, 302, ""),
    # ---- settings --------------------------------------------------------------------------
    *[(C, EVAL, "POST", "/instellingen/scholen/{school}", {**SETTINGS, "retention_months": m},
       422, "bewaartermijn van 1 tot 120") for m in ("0", "121", "abc", "-5", HUGE, "")],
    (C, EVAL, "POST", "/instellingen/scholen/{school}", {**SETTINGS, "region": "atlantis"}, 422,
     "Kies een van de mogelijkheden"),
    *[(C, EVAL, "POST", "/instellingen/scholen/{school}", {**SETTINGS, name: value}, 422, "")
      for name, value in (("kind", "hbo"), ("language", "\x00"), ("pupil_days", "2"),
                          ("group_days", HUGE), ("party", "iedereen"), ("plan_steps", LONG))],
    (C, EVAL, "POST", "/instellingen/scholen/{school}/studiedagen", {"day": "2026-02-30"}, 422,
     ""),
    (C, EVAL, "POST", "/instellingen/scholen/{school}/studiedagen", {"day": "0001-01-01"}, 422,
     ""),
    (C, EVAL, "POST", "/instellingen/scholen/{school}/studiedagen",
     {"day": "2027-03-03", "description": LONG}, 422, ""),
    # ---- statistics, overview, logins ---------------------------------------------------------
    (C, EVAL, "GET", "/statistieken?van=2027-01-01&tot=2026-01-01", None, 200, ""),
    (C, EVAL, "GET", "/statistieken?school=abc&van=%00", None, 200, ""),
    (C, EVAL, "GET", "/statistieken/afsluiting.csv?van=0001-01-01&tot=%00", None, 200, ""),
    (C, EVAL, "GET", "/overzicht?status=tovenaar&sort=%27;DROP", None, 200, ""),
    (C, EVAL, "GET", "/overzicht?q=" + "a" * 4000, None, 200, ""),
    (C, EVAL, "GET", "/leerlingen?q=%00%27%22<script>", None, 200, ""),
    (A, EVAL, "POST", "/beheer/personen/{user}", {"role": "baas"}, 422, "Kies een rol."),
    (None, EVAL, "POST", "/inloggen", {"email": "x" * 5000, "password": ""}, 422,
     "horen niet bij elkaar"),
    (None, EVAL, "POST", "/inloggen", {"email": "\x00", "password": "\x00"}, 422,
     "horen niet bij elkaar"),
    (None, EVAL, "GET", "/inloggen?next=%0d%0aSet-Cookie:%20x=1", None, 200, ""),
]


def _ids(world, step: str) -> dict[str, int]:
    case = f.case_at(world, step)
    other_w = SimpleNamespace(teacher=world.other_teacher, pupils=world.other_pupils,
                              subject=world.other_pupils[0])
    other = f.case_at(other_w, EVAL)
    members = case.group.members if case.group else []
    return {
        "case": case.id, "other_case": other.id,
        "member": members[0].id if members else 0,
        "other_member": other.group.members[0].id,
        "subject": world.subject.id, "other_pupil": world.other_pupils[1].id,
        "school": world.school.id, "other_school": world.other_school.id,
        "user": world.colleague.id, "other_user": world.other_teacher.id,
    }


def test_the_table_holds_more_than_a_hundred_inputs():
    assert len(BAD) >= 100


@pytest.mark.parametrize("who, step, method, path, form, status, text", BAD,
                         ids=[f"{n:03d} {m} {p[:40]}" for n, (_, _, m, p, *_) in enumerate(BAD)])
def test_bad_input_is_answered_and_changes_nothing(client, world, login, who, step, method,
                                                   path, form, status, text):
    ids = _ids(world, step)
    if who:
        login(getattr(world, who))
    path = path.replace("{{", "{").replace("}}", "}").format(**ids)
    form = {k: v.format(**ids) if "{" in v and len(v) < 100 else v
            for k, v in (form or {}).items()}
    answered_without_change(client, method, path, form, status, text)


