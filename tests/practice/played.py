"""A practice case at a given step, walked through the same use cases as a real one."""

from __future__ import annotations

from types import SimpleNamespace

from steungroep.core.extensions import db
from steungroep.models import Case
from steungroep.practice import use_cases as practice
from steungroep.web.writes import UnitOfWork

from .. import factories as f


def practice_case(w, step: str = "gesprek", teacher=None) -> Case:
    """A practice case of ``teacher`` (the world's teacher) at School A whose next step is
    ``step`` (gesprek, groep, bijeenkomst, evaluatie_leerling, besluit)."""
    db.session.commit()
    with UnitOfWork():
        case = practice.start(teacher or w.teacher, w.school.id)
    made_up = SimpleNamespace(**{**vars(w), "teacher": teacher or w.teacher,
                                 "pupils": sorted(case.pupil.school_class.pupils,
                                                  key=lambda p: p.id)})
    steps = (("gesprek", f.with_talk), ("groep", f.with_group), ("bijeenkomst", f.with_meeting),
             ("evaluatie_leerling", f.with_evaluations))
    for name, walk in steps:
        if step == name:
            return case
        walk(made_up, case)
    return case
