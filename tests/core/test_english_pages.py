"""Every page a staff member can open, in English: none of the app's own Dutch texts is left
on it (what people typed and what the app stored in Dutch — timeline notes, the school's
stappenplan — is theirs and stays as written)."""

from __future__ import annotations

import re

import pytest

from steungroep.core import access
from steungroep.core.extensions import db
from steungroep.domain.plan import DEFAULT_PLAN_STEPS
from steungroep.models import School, User

from .. import factories as f
from ..languages import english_catalog
from .every_route import build_world, expected, routes, sign_in

NOT_HTML = {"static", "feed.calendar", "records.access_copy_json", "statistics.export",
            "dossier.notes_csv", "auth.keep_alive", "auth.logout", "health.livez",
            "health.readyz", "metrics.metrics"}
# Pages that are documents in Dutch on purpose (see the README): the access copy and the
# notes for the pupil record system.
DUTCH_DOCUMENTS = {"records.access_copy", "dossier.notes"}
STORED = set(DEFAULT_PLAN_STEPS)  # the school's own list once saved


def visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<textarea\b.*?</textarea>", " ", html, flags=re.S)  # typed or stored
    text = re.sub(r"<[^>]+>", "\n", html)
    return re.sub(r"[ \t]+", " ", text.replace("&#39;", "'").replace("&amp;", "&"))


def dutch_left(text: str) -> list[str]:
    lines = {line.strip() for line in text.splitlines() if line.strip()}
    return sorted(dutch for dutch, english in english_catalog().items()
                  if english != dutch and dutch not in STORED and len(dutch) >= 8
                  and "%" not in dutch and "{" not in dutch and dutch in lines)


@pytest.mark.parametrize("actor", ["teacher", "coordinator", "admin", "board_admin"])
def test_every_page_in_english_has_no_dutch_of_the_app(app, client, actor):
    w, values, tokens = build_world()
    f.case_at(w, "groep")
    f.case_at(w, "besluit")
    for user in db.session.scalars(db.select(User)):
        user.language = "en"
    for school in db.session.scalars(db.select(School)):
        school.language = "en"
    db.session.commit()
    left, seen = {}, 0
    for rule, method in routes(app):
        if method != "GET" or rule.endpoint in NOT_HTML | DUTCH_DOCUMENTS:
            continue
        if expected(access.RULES[rule.endpoint], actor, set(rule.arguments)) != "allowed":
            continue
        arguments = {name: values[name] for name in rule.arguments if name != "token"}
        if "token" in rule.arguments:
            arguments["token"] = tokens[rule.endpoint]
        with app.test_request_context():
            url = app.url_map.bind("localhost").build(rule.endpoint, arguments)
        sign_in(client, getattr(w, actor))
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        seen += 1
        found = dutch_left(visible(response.get_data(as_text=True)))
        if found:
            left[url] = found
    assert seen >= 10
    assert left == {}
    # the same walk would see Dutch: the actor's home page in Dutch is full of it
    getattr(w, actor).language = "nl"
    db.session.commit()
    sign_in(client, getattr(w, actor))
    assert len(dutch_left(visible(client.get("/").get_data(as_text=True)))) >= 3
