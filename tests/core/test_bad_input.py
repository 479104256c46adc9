"""Bad input on every kind of route: a 404 or a Dutch message, nothing changed, never a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from steungroep.core.extensions import db
from steungroep.models import Case, Informed, Notice, TimelineEntry

from .. import factories as f

HUGE = "99999999999999999999"  # 20 digits: more than any id column holds

# (method, path with {case}, form, expected status, text the answer must hold)
BAD = [
    ("GET", f"/zaken/{HUGE}", None, 404, ""),
    ("GET", f"/zaken/{{case}}/kaarten/{HUGE}", None, 404, ""),
    ("GET", f"/zaken/{{case}}/kaarten/{HUGE}/afdrukken", None, 404, ""),
    ("GET", f"/leerlingen/{HUGE}/inzage", None, 404, ""),
    ("GET", f"/zaken/{HUGE}/logboek", None, 404, ""),
    ("POST", f"/herinneringen/{HUGE}/gezien", {}, 404, ""),
    ("POST", f"/zaken/{HUGE}/notitie", {"text": "x"}, 404, ""),
    ("GET", "/statistieken?van=0001-01-01", None, 200, "Kies een datum tussen 2000"),
    ("GET", "/statistieken?van=9999-12-31&tot=9999-12-31", None, 200, "Kies een datum"),
    ("GET", "/statistieken?van=2026-13-45", None, 200, "Die datum begrijp ik niet"),
    ("GET", f"/overzicht?school={HUGE}&page={HUGE}", None, 200, ""),
    ("GET", "/overzicht?page=-5&teacher=²", None, 200, ""),
    ("GET", "/overzicht?q=%00%01", None, 200, ""),
    ("POST", "/meldingen/nieuw", {"pupil_id": "{subject}", "reported_on": "0001-01-01",
                                  "source": "ouder", "forms": "verbaal",
                                  "description": "In de pauze.", "triage": "herhaald"},
     422, "meer dan twee jaar terug"),
    ("POST", "/meldingen/nieuw", {"pupil_id": HUGE, "reported_on": "2026-11-30"}, 422,
     "Kies de leerling"),
    ("POST", "/meldingen/nieuw", {"pupil_id": "²", "reported_on": "x"}, 422, "Kies de leerling"),
    ("POST", "/zaken/{case}/geinformeerd", {"party": "ouders", "informed_on": "0001-01-01"}, 422,
     "meer dan twee jaar terug"),
    ("POST", "/zaken/{case}/geinformeerd", {"party": "buurman", "informed_on": "2026-11-30"},
     422, ""),
    ("POST", "/zaken/{case}/verantwoordelijke", {"teacher_id": HUGE}, 302, ""),
    ("POST", "/zaken/{case}/notitie", {"text": "\x00\x01"}, 302, ""),
    ("POST", "/zaken/{case}/evaluaties/leerling/verplaatsen",
     {"due_on": "9999-12-31", "reason": "x"}, 422, ""),
    ("POST", "/zaken/{case}/evaluatie-leerling",
     {"held_on": "0001-01-01", "wellbeing": HUGE, "changed": "x", "improved": "ja"}, 422, ""),
]


def _counts() -> tuple[int, ...]:
    db.session.rollback()
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Case, Informed, TimelineEntry, Notice))


@pytest.mark.parametrize("method, path, form, status, text", BAD,
                         ids=[f"{m} {p[:45]}" for m, p, *_ in BAD])
def test_bad_input_is_answered_and_changes_nothing(client, world, login, method, path, form,
                                                   status, text):
    case = f.case_at(world, "evaluatie_leerling")
    login(world.coordinator)
    path = path.format(case=case.id)
    form = {k: v.format(subject=world.subject.id) for k, v in (form or {}).items()}
    before = _counts()
    response = client.get(path) if method == "GET" else client.post(path, data=form)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert text in response.get_data(as_text=True)
    assert _counts() == before
