"""The case for the school's dossier: a report to print (A4) with everything that happened,
and per pupil involved a ready-to-paste note for the pupil record system, also as CSV.
Staff only (the responsible teacher and the school's coordinators): roles may show here."""

from __future__ import annotations

import io

from defusedcsv import csv
from flask import Blueprint, Flask, Response, render_template
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from steungroep import domain
from steungroep.cases.pupils import case_first_names
from steungroep.cases.state import restore_talk, talk_agreements
from steungroep.core.extensions import db
from steungroep.core.timeutil import local, local_day, school_today, utcnow
from steungroep.domain import dossier
from steungroep.evaluations.use_cases import DECISIONS
from steungroep.models import EVAL_GROUP, EVAL_PUPIL, Case, TimelineEntry
from steungroep.web.pages import get_case

bp = Blueprint("dossier", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    """The feature's pages."""
    app.register_blueprint(bp)


@bp.before_request
@login_required
def _signed_in():
    return None


def case_facts(case: Case) -> dossier.CaseFacts:
    rounds = []
    for cycle in case.group.cycles if case.group else []:
        pupil_eval = cycle.evaluation(EVAL_PUPIL)
        group_eval = cycle.group_evaluation
        rounds.append(dossier.RoundFacts(
            number=cycle.number,
            meeting_on=cycle.meeting_on if cycle.meeting_completed_at else None,
            pupil_evaluation_on=pupil_eval.held_on if pupil_eval else None,
            wellbeing=pupil_eval.wellbeing if pupil_eval else None,
            improved=domain.IMPROVED.get(pupil_eval.improved or "") if pupil_eval else None,
            group_evaluation_on=group_eval.held_on if group_eval else None,
            decision=DECISIONS.get(cycle.decision or "") if cycle.decision else None,
        ))
    pupil = case.pupil
    restore = restore_talk(case)
    return dossier.CaseFacts(
        pupil=pupil.display_name if pupil else "(geanonimiseerd)",
        external_id=pupil.external_id if pupil else None,
        class_name=pupil.school_class.name if pupil else "",
        reported_on=case.reported_on,
        source=domain.SOURCES.get(case.source, case.source),
        talk_on=case.talk.held_on if case.talk else None,
        consent=case.talk.consent if case.talk else None,
        group_on=local_day(case.group.confirmed_at) if case.group else None,
        rounds=tuple(rounds),
        closed_on=local_day(case.closed_at),
        outcome=domain.CASE_OUTCOMES.get(case.outcome or "") if case.outcome else None,
        informed=tuple((domain.functions.party_label(i.key, translated=False), i.informed_on)
                       for i in case.informed),
        first_names=tuple(
            p.first_name for p in [pupil] + [m.pupil for m in
                                             (case.group.members if case.group else [])]
            + [i.pupil for i in case.involved] if p
        ),
        with_roles=case.school.dossier_roles,
        restore_on=restore.held_on if restore else None,
        check_on=next((t.held_on for t in case.talks if t.kind == "controle"), None),
        plan_on=local_day(case.escalated_at),
        plan_steps=(sum(1 for s in case.plan_steps if s.done_on), len(case.plan_steps)),
        triage=case.triage,
        agreements=restore.agreements if restore else "",
        talk_agreements=talk_agreements(case, case.pupil_id),
        outcome_note=case.outcome_note or "",
        school_names=tuple(case_first_names(case)),
    )


def member_facts(case: Case) -> list[dossier.MemberFacts]:
    if not case.group:
        return []
    cycles = case.group.cycles
    members = []
    for member in case.group.members:
        if member.pupil is None:
            continue  # erased: nothing to file
        rounds = tuple(c.number for c in cycles if member.in_cycle(c.number)) or (
            member.joined_cycle,)
        actions = tuple((c.number, a.text) for c in cycles for a in c.actions
                        if a.member_id == member.id)
        done = []
        for c in cycles:
            group_eval = c.group_evaluation  # the last word on whether it was done
            if group_eval and group_eval.held_on is None:
                group_eval = c.evaluation(EVAL_GROUP)
            for result in group_eval.results if group_eval and group_eval.held_on else []:
                if result.member_id == member.id:
                    done.append((c.number, domain.DONE.get(result.done, result.done)))
        members.append(dossier.MemberFacts(
            name=member.pupil.display_name,
            first_name=member.pupil.first_name,
            external_id=member.pupil.external_id,
            role=member.role,
            role_label=domain.ROLES.get(member.role, member.role),
            rounds=rounds,
            actions=actions,
            done=tuple(done),
        ))
    return members


def involved_facts(case: Case) -> list[dossier.InvolvedFacts]:
    return [dossier.InvolvedFacts(
        name=i.pupil.display_name, first_name=i.pupil.first_name,
        external_id=i.pupil.external_id, involvement=i.involvement,
        involvement_label=domain.plan.INVOLVEMENT.get(i.involvement, i.involvement),
        talk_agreements=talk_agreements(case, i.pupil_id),
        consequences=tuple(
            f"{domain.consequences.consequence_label(c.kind, c.days, translated=False).lower()}"
            f" op {c.decided_on:%d-%m-%Y}"
            for c in case.consequences if c.pupil_id == i.pupil_id),
    ) for i in case.involved]


def _notes(case: Case) -> list[dossier.Note]:
    return dossier.notes(case_facts(case), member_facts(case), school_today(),
                         involved_facts(case))


def _timeline(case: Case) -> list[TimelineEntry]:
    """The whole timeline with who wrote each entry, in one query."""
    return list(db.session.scalars(
        select(TimelineEntry).where(TimelineEntry.case_id == case.id)
        .options(selectinload(TimelineEntry.user)).order_by(TimelineEntry.id)
    ))


@bp.get("/zaken/<int:case_id>/verslag")
def report(case_id: int):
    """Everything about the case on A4, for the school's dossier."""
    case = get_case(case_id)
    return render_template(
        "dossier/report.html", case=case, members=case.group.members if case.group else [],
        made_by=current_user.name, made_at=local(utcnow()),
        timeline=_timeline(case), local=local,
    )


@bp.get("/zaken/<int:case_id>/notities")
def notes(case_id: int):
    case = get_case(case_id)
    return render_template("dossier/notes.html", case=case, notes=_notes(case),
                           incident=dossier.INCIDENT, diary=dossier.DIARY)


@bp.get("/zaken/<int:case_id>/notities.csv")
def notes_csv(case_id: int):
    case = get_case(case_id)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["leerlingnummer", "leerling", "datum", "categorie", "tekst"])
    for note in _notes(case):
        writer.writerow([note.external_id or "", note.pupil, note.on.strftime("%d-%m-%Y"),
                         note.category, note.text])
    return Response(out.getvalue(), mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="steungroep-notities-{case.id}.csv"',
        "Cache-Control": "no-store",
    })

