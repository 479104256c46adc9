"""What the case page shows: for the page itself, and for the forms of other features on it
(talks, the stappenplan, moving a date) that come back with an error."""

from __future__ import annotations

import secrets

from flask import url_for

from steungroep import domain
from steungroep.cases.state import (
    current_members,
    last_held_cycle,
    next_date,
    next_step,
    restore_talk,
    triage_changeable,
)
from steungroep.contacts import use_cases as contacts
from steungroep.contacts.queries import earlier_involvement
from steungroep.core.timeutil import school_today
from steungroep.models import Case
from steungroep.web.pages import form_error, get_case


def case_page_again(error: domain.DomainError, case_id: int, section: str | None = None,
                    **context):
    """A form on the case page was refused: the page again (422) with what was typed, and
    the message beside the form named by ``section`` (the template's ``failed``)."""
    page = case_context(get_case(case_id)) | {"failed": section} | context
    return form_error("cases/case.html", error, **page)


def refused_on_case_form(section: str | None = None):
    """``refused=`` for the write path: a form on the case page, named by ``section``."""
    def refused(error: domain.DomainError, case_id: int, **_ids):
        return case_page_again(error, case_id, section)
    return refused


def step_url(case_id: int, code: str) -> str:
    """Where the big 'next step' button of a case leads."""
    endpoints = {
        "gesprek": "talk.talk_form",
        "groep": "group.group_page",
        "bijeenkomst": "meeting.meeting_page",
        "evaluatie_leerling": "evaluations.pupil_evaluation_form",
        "evaluatie_groep": "evaluations.group_evaluation_form",
        "evaluatie_groep2": "evaluations.group_evaluation_form",
        "besluit": "evaluations.decision_form",
    }
    anchors = {"herstelgesprek": "#eenmalig", "controle": "#eenmalig",
               "stappenplan": "#stappenplan", "plan_afronden": "#stappenplan"}
    endpoint = endpoints.get(code, "cases.case_page")
    return url_for(endpoint, case_id=case_id) + anchors.get(code, "")


def case_context(case: Case) -> dict:
    """What the case page shows, for the page itself and for forms on it that come back
    with an error."""
    step = next_step(case)
    due = next_date(case, step)
    return {
        "case": case,
        "step": step,
        "due": due,
        "step_url": step_url(case.id, step.code),
        "overdue": domain.is_overdue(due, school_today()),
        "members": current_members(case.group),
        "cards_ready": last_held_cycle(case.group) is not None,
        "triage_changeable": triage_changeable(case),
        # who the school's list says to inform once a steungroep starts, not yet recorded
        "to_inform": domain.functions.still_to_inform(case.school.informed,
                                                      [i.key for i in case.informed])
        if case.group and not case.is_closed and case.escalated_at is None else [],
        "move_kind": None,
        "move_error": None,
        "plan_error": None,
        # beside the steungroep: the group's steps may still be taken, talks, the one-off
        # path, the pupils involved (contacts) and the stappenplan (plan)
        "method_open": not case.is_closed and case.escalated_at is None,
        "restore": restore_talk(case),
        "talk_pupils": contacts.case_pupils(case),
        "earlier": earlier_involvement(case),
        "failed": None,
        "failed_step": None,
        "new_key": lambda: secrets.token_hex(16),  # one per rendered talk form
    }
