"""Access, proven route by route: every route in app.url_map, for every kind of actor,
against the rule declared for it in steungroep.core.access. A route without a declared rule
fails here, so no new page can slip through unexamined."""

from __future__ import annotations

import pytest

from steungroep.core import access

from .every_route import ACTORS, build_world, expected, routes, sign_in


def outcome(response) -> str:
    if response.status_code == 404:
        return "denied"
    if response.status_code in (302, 401) and "/inloggen" in (
        response.headers.get("Location", "") + response.headers.get("HX-Redirect", "")
    ):
        return "login"
    if response.status_code in (401, 403) or response.status_code >= 500:
        return f"status {response.status_code}"
    return "allowed"


def test_every_route_has_a_declared_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(access.RULES) == set(), "routes without an access rule"
    assert set(access.RULES) - endpoints == set(), "rules for routes that do not exist"


@pytest.mark.parametrize("actor", ACTORS)
def test_every_route_for_every_actor(app, client, actor):
    w, values, tokens = build_world()
    user = None if actor == "anonymous" else getattr(w, actor)
    problems = []
    checked = 0
    for rule, method in routes(app):
        arguments = {name: values[name] for name in rule.arguments if name != "token"}
        if "token" in rule.arguments:
            arguments["token"] = tokens[rule.endpoint]
        with app.test_request_context():
            url = app.url_map.bind("localhost").build(rule.endpoint, arguments)
        sign_in(client, user)
        response = client.open(url, method=method, data={})
        want = expected(access.RULES[rule.endpoint], actor, set(rule.arguments))
        got = outcome(response)
        if rule.endpoint == "auth.logout" and got == "login":
            got = "allowed"  # logging out ends on the login page: that is the point
        if rule.endpoint.startswith("sso.") and got in ("login", "denied"):
            # public, and nothing to show in this world (tests/auth/test_sso.py has a provider):
            # a school without sign-in is not found; a return nobody started goes back to
            # the login page with a message
            got = "allowed"
        checked += 1
        if got != want:
            problems.append(f"{method} {url} ({rule.endpoint}): expected {want}, got {got}")
    assert problems == [], "\n".join(problems)
    assert checked == sum(1 for _ in routes(app)) >= 45
