"""A school's own texts for the letters to parents, in its one settings form: shown as the
defaults until changed, kept only where they differ, refused with a role in them."""

from __future__ import annotations

from steungroep.core.extensions import db
from steungroep.domain import parent_letter
from steungroep.models import School

from ..pages import visible_text
from .form import save_settings


def test_a_school_keeps_only_the_texts_it_changed(client, world, login):
    login(world.coordinator)
    page = client.get("/instellingen").get_data(as_text=True)
    assert 'name="letter_route"' in page and "landelijke klachtencommissie" in page
    defaults = {field: parent_letter.DEFAULT_TEXTS[key]
                for key, field in parent_letter.FIELDS.items()}
    own = "Bel eerst de directeur, daarna het bestuur."
    assert save_settings(client, world.school, **{**defaults, "letter_route": own}
                         ).status_code == 302
    db.session.expire_all()
    assert db.session.get(School, world.school.id).parent_letters == {"route": own}
    refused = save_settings(client, world.school, **{
        **defaults, "letter_start": "De meelopers krijgen een gesprek."})
    assert refused.status_code == 422 and "geen rol of label" in visible_text(refused)
    assert "De meelopers krijgen een gesprek." in refused.get_data(as_text=True)  # kept
    db.session.expire_all()
    assert db.session.get(School, world.school.id).parent_letters == {"route": own}
