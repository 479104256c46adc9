"""Requests that truly overlap on the people pages, against a live server on SQLite and
PostgreSQL: two admins switching each other off at once leave the school an admin; one link
used twice at once chooses one password; two first logins never make two accounts."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from steungroep.core.extensions import db
from steungroep.models import ROLE_ADMIN, User

from .. import factories as f
from ..live import Client, at_once, serving

ROUNDS = 3


def _active_admins(school_id: int) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(User).where(
        User.role == ROLE_ADMIN, User.active.is_(True), User.board_id.is_(None),
        User.schools.any(id=school_id)))


def test_two_admins_switching_each_other_off_at_once_leave_one(app, world):
    with serving(app) as base:
        for n in range(ROUNDS):
            first = f.make_user(f"Beheer een {n}", f"een{n}@a.example", "admin", world.school)
            second = f.make_user(f"Beheer twee {n}", f"twee{n}@a.example", "admin", world.school)
            world.admin.active = False  # School A's other admin: only these two are left
            db.session.commit()
            one, two = Client(base).log_in(first), Client(base).log_in(second)
            answers = at_once((one, f"/beheer/personen/{second.id}/actief", {"active": "0"}),
                              (two, f"/beheer/personen/{first.id}/actief", {"active": "0"}))
            # One wins. The other is refused, or, when the winner's commit came first, finds
            # itself switched off and logged out: either way it changed nothing.
            won = [a for a in answers if a[0] == 302 and "/beheer/personen/" in a[1]]
            lost = [a for a in answers if a not in won]
            assert len(won) == 1 and len(lost) == 1, answers
            assert (lost[0][0] == 422 and "geen beheerder meer" in lost[0][2]) or (
                lost[0][0] == 302 and "/inloggen" in lost[0][1]), answers
            assert _active_admins(world.school.id) == 1
            for user in (first, second):  # the next round starts from two new admins
                db.session.get(User, user.id).role = "teacher"
            db.session.commit()


def test_one_link_used_twice_at_once_chooses_one_password(app, world):
    with serving(app) as base:
        admin = Client(base).log_in(world.admin)
        for n in range(ROUNDS):
            _, _, page = admin.post(f"/beheer/personen/{world.colleague.id}/link", {})
            path = re.search(r"data-handed-link>http://127\.0\.0\.1:\d+(/welkom/[^<]+)<",
                             page).group(1)
            passwords = [f"eerste-keuze-van-karim-{n}", f"tweede-keuze-van-karim-{n}"]
            answers = at_once(*[(Client(base), path, {"password": p, "repeat": p})
                                for p in passwords])
            assert sorted(a[0] for a in answers) == [302, 410], answers
            db.session.rollback()
            karim = db.session.get(User, world.colleague.id)
            chosen = [p for p in passwords if karim.check_password(p)]
            winner = passwords[[a[0] for a in answers].index(302)]
            assert chosen == [winner]
