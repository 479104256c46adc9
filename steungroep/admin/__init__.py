"""For admins: the people of their schools, importing pupils, the school-account settings.
Every page here is for admins only, about their own schools."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user, login_required

from steungroep.models import ROLE_ADMIN, School


def admins_only(blueprint: Blueprint) -> Blueprint:
    """Anyone else gets a 404, as if the page did not exist."""

    @blueprint.before_request
    @login_required
    def _admins_only():
        if current_user.role != ROLE_ADMIN:
            abort(404)

    return blueprint


def own_schools() -> list[School]:
    """The admin's schools, by name."""
    return sorted(current_user.schools, key=lambda s: s.name)
