"""The settings form of one school (settings.save_settings) as the page sends it, for tests
that change one setting: every field as stored, with the changes typed over it."""

from __future__ import annotations

from steungroep.core.extensions import db
from steungroep.models import School


def settings_url(school_id: int) -> str:
    return f"/instellingen/scholen/{school_id}"


def settings_form(school: School, **changes) -> dict:
    """``party`` is a list of party keys (``ouders``, ``f:`` and a function),
    ``dossier_roles`` and ``group_again`` '0' or ['0', '1'] (the hidden field and the ticked
    box), the rest strings."""
    db.session.refresh(school)
    form = {
        "region": school.region,
        "kind": school.kind,
        "language": school.language,
        "pupil_days": str(school.pupil_eval_days),
        "group_days": str(school.group_eval_days),
        "party": [key for key in school.informed.split("\n") if key],
        "functions": school.functions,
        "functions_shown": school.functions,
        "informed_shown": school.informed,
        "plan_steps": school.plan_steps,
        "first_road": school.first_road,
        "retention_months": str(school.retention_months),
        "dossier_roles": ["0", "1"] if school.dossier_roles else "0",
        "group_again": ["0", "1"] if school.group_eval_again else "0",
    }
    form.update(changes)
    return form


def save_settings(client, school: School, **changes):
    """Post the school's settings form with ``changes``; the response."""
    return client.post(settings_url(school.id), data=settings_form(school, **changes))
