"""Step 5: the meeting: one action per member, then Afronden plans the evaluations."""

from __future__ import annotations

from steungroep import domain
from steungroep.cases.state import (
    candidates,
    current_cycle,
    current_members,
    note,
)
from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today, utcnow
from steungroep.domain import DomainError
from steungroep.domain.i18n import N_
from steungroep.models import (
    EVAL_GROUP,
    EVAL_PUPIL,
    Action,
    Case,
    Cycle,
    Evaluation,
    GroupMember,
    User,
)
from steungroep.planning.use_cases import calendar_for
from steungroep.web.writes import use_case


@use_case
def save_action(
    case: Case,
    user: User,
    member: GroupMember,
    text: str,
    action_id: int | None,
    base: str | None = None,
) -> Action:
    """Save the one action of a member in the current round, as soon as it is typed.

    ``base`` is the text the screen last saw stored (the meeting screen sends it): when
    another screen stored something else since, nothing is overwritten (EditConflict).
    Without it (a form without JavaScript) ``action_id`` tells a first save from an edit."""
    cycle = current_cycle(case)
    existing = next((a for a in cycle.actions if a.member_id == member.id), None)
    if existing and existing.text == (text or "").strip():
        return existing  # a repeated save (a retry, or an autosave after Afronden)
    domain.check_meeting_open(cycle.meeting_completed_at is not None)
    if not member.in_cycle(cycle.number):
        raise DomainError(N_("%(name)s doet in deze ronde niet mee."),
                          name=member.pupil.first_name)
    if base is not None:
        domain.check_action_edit(
            member.pupil.first_name, existing.text if existing else "", base, text or ""
        )
    text = domain.clean_text(text, N_("De actie"), max_length=domain.SHORT_TEXT, field="text")
    domain.check_card_text(
        text, member.pupil.first_name,
        others=[m.pupil.first_name for m in current_members(case.group) if m is not member],
        allowed=[case.pupil.first_name],
    )
    if existing is None:
        action = Action(cycle=cycle, member=member, text=text, updated_at=utcnow())
        db.session.add(action)
        return action
    if base is None and action_id != existing.id:
        domain.check_new_action(member.id, [existing.member_id], member.pupil.first_name)
    existing.text = text
    existing.updated_at = utcnow()
    return existing


def previous_action_text(case: Case, member: GroupMember) -> str:
    """The member's action in the round before the current one ('' when none)."""
    cycle = case.group.current_cycle
    previous = next((c for c in case.group.cycles if c.number == cycle.number - 1), None)
    actions = previous.actions if previous else []
    action = next((a for a in actions if a.member_id == member.id), None)
    return action.text if action else ""


@use_case
def complete_meeting(
    case: Case,
    user: User,
    minutes: int | None = None,
    typed: dict[int, str] | None = None,
    bases: dict[int, str] | None = None,
) -> Cycle:
    """Close the meeting and plan the 1-week and 2-week evaluations on school days.

    `typed` maps member ids to what their card holds on the screen: a last edit still racing
    its autosave (or typed while offline, or without JavaScript) is stored first; `bases` is
    what the screen last saw stored per card, so a card another screen changed since is a
    clash, not an overwrite."""
    cycle = current_cycle(case)
    domain.check_meeting_open(cycle.meeting_completed_at is not None)
    members = current_members(case.group)
    saved = {a.member_id: a for a in cycle.actions}
    for member in members:
        text = (typed or {}).get(member.id, "").strip()
        existing = saved.get(member.id)
        if text and (existing is None or existing.text != text):
            save_action(
                case, user, member, text, existing.id if existing else None,
                (bases or {}).get(member.id),
            )
    try:
        domain.check_group_complete(candidates(members))
    except DomainError:
        # Said on the meeting screen, in front of pupils: no role words here.
        raise DomainError(
            N_("De groep is nog niet compleet. Pas de groep aan op het groepsscherm "
               "(zonder de leerlingen erbij) en rond daarna af.")
        ) from None
    domain.check_actions_complete(
        {m.id: m.pupil.first_name for m in members},
        {a.member.id: a.text for a in cycle.actions if a.member.in_cycle(cycle.number)},
    )
    today = school_today()
    pupil_due, group_due = domain.evaluation_dates(
        today, calendar_for(case.school), case.school.pupil_eval_days,
        case.school.group_eval_days,
    )
    cycle.meeting_on = today
    cycle.meeting_completed_at = utcnow()
    cycle.meeting_minutes = minutes
    cycle.evaluations.append(Evaluation(kind=EVAL_PUPIL, due_on=pupil_due))
    cycle.evaluations.append(Evaluation(kind=EVAL_GROUP, due_on=group_due))
    note(
        case,
        user,
        "bijeenkomst",
        f"Bijeenkomst ronde {cycle.number} gehouden met {len(members)} leerlingen; "
        f"evaluaties gepland op {pupil_due:%d-%m-%Y} (leerling) en {group_due:%d-%m-%Y} (groep).",
    )
    return cycle
