"""Reading what a page answered, and sending a form as the page does: shared by the tests
that go through the Flask test client."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today


def count(model, *where) -> int:
    """How many rows of ``model`` (that meet ``where``) the database holds."""
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def text_of(response) -> str:
    return response.get_data(as_text=True)


def melding_form(pupil, **overrides):
    data = {
        "pupil_id": str(pupil.id),
        "reported_on": school_today().isoformat(),
        "source": "leerling",
        "forms": ["verbaal", "digitaal"],
        "description": "Wordt uitgescholden in de groepsapp.",
        "triage": "herhaald",
        "triage_note": "",
    }
    data.update(overrides)
    return data


def add_to_group(client, case, pupil, role="helper", htmx=False):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/zaken/{case.id}/groep/leden",
                       data={"pupil_id": str(pupil.id), "role": role}, headers=headers)


def expected_key(client, url: str) -> str:
    return re.search(r'name="expected" value="([^"]+)"', text_of(client.get(url))).group(1)


def visible_text(response) -> str:
    """The words a page shows: without its tags, its white space folded."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
