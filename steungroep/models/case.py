"""A case: the melding, the talk, the group and its rounds, evaluations and the timeline."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from steungroep.core.extensions import db
from steungroep.core.timeutil import utcnow

if TYPE_CHECKING:
    from steungroep.models.contacts import CasePupil, CaseTalk, Consequence, PlanStep
    from steungroep.models.school import Pupil, School, User
from steungroep.models.school import new_card_token


class Case(db.Model):
    """A melding: a report of (suspected) bullying of one pupil, and what followed."""

    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_open_school", "school_id", "closed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    # None once the case is anonymised (retention) or the pupil's data erased.
    pupil_id: Mapped[int | None] = mapped_column(ForeignKey("pupils.id"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reported_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    triage: Mapped[str] = mapped_column(String(20))
    triage_note: Mapped[str] = mapped_column(Text, default="")
    # The facts the protocols check at a melding (seed 000 "Controle van feiten"; seed 004
    # Bijlage 1): all optional, staff only.
    fact_where: Mapped[str] = mapped_column(String(200), default="", server_default="")
    fact_frequency: Mapped[str] = mapped_column(String(20), default="", server_default="")
    fact_since: Mapped[str] = mapped_column(String(200), default="", server_default="")
    fact_parents_know: Mapped[str] = mapped_column(String(10), default="", server_default="")
    fact_earlier: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The protocols' analysis (seed 000 "Controle van feiten"; seed 004 §2.2 stap 2, §1.2):
    # when, what the pupil tried and wants, who helps, severity, the group's part, and the
    # pupil's own word for it (teasing or bullying). All optional.
    fact_when: Mapped[str] = mapped_column(String(200), default="", server_default="")
    fact_tried: Mapped[str] = mapped_column(Text, default="", server_default="")
    fact_wants: Mapped[str] = mapped_column(Text, default="", server_default="")
    fact_helpers: Mapped[str] = mapped_column(String(200), default="", server_default="")
    fact_severity: Mapped[str] = mapped_column(String(20), default="", server_default="")
    fact_group: Mapped[str] = mapped_column(Text, default="", server_default="")
    fact_view: Mapped[str] = mapped_column(String(10), default="", server_default="")
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(30))
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # A random key per rendered form: a double-submitted melding is stored once.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    # When the personal data of this closed case was removed (dates and counts remain).
    purged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Where the case stands, kept up to date after every change (steungroep.status) so the
    # coordinator's overview reads one table: the next step, its date, the round, and when
    # anything last happened.
    step: Mapped[str | None] = mapped_column(String(20))
    step_due_on: Mapped[date | None] = mapped_column(Date)
    cycle_number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_activity_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The stappenplan's next step (its title) for the overview, with ``step`` 'stappenplan'.
    step_title: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # When the steungroep ended in the school's stappenplan: the case stays open for it.
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A practice case with made-up pupils (steungroep.practice): it walks every step but
    # sends nothing, counts nowhere, is in no list of real cases and goes after a week.
    practice: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    pupil: Mapped[Pupil | None] = relationship()
    teacher: Mapped[User] = relationship()
    school: Mapped[School] = relationship()
    talk: Mapped[PupilTalk | None] = relationship(back_populates="case", uselist=False)
    group: Mapped[SupportGroup | None] = relationship(back_populates="case", uselist=False)
    informed: Mapped[list[Informed]] = relationship(
        back_populates="case", order_by="Informed.informed_on"
    )
    timeline: Mapped[list[TimelineEntry]] = relationship(
        back_populates="case", order_by="TimelineEntry.id"
    )
    talks: Mapped[list[CaseTalk]] = relationship(
        back_populates="case", order_by="(CaseTalk.held_on, CaseTalk.id)"
    )
    involved: Mapped[list[CasePupil]] = relationship(
        back_populates="case", order_by="CasePupil.id"
    )
    plan_steps: Mapped[list[PlanStep]] = relationship(
        back_populates="case", order_by="PlanStep.position"
    )
    consequences: Mapped[list[Consequence]] = relationship(
        back_populates="case", order_by="(Consequence.decided_on, Consequence.id)"
    )
    forms: Mapped[list[CaseForm]] = relationship(
        cascade="all, delete-orphan", order_by="CaseForm.form"
    )

    @property
    def form_codes(self) -> list[str]:
        return [f.form for f in self.forms]

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def in_plan(self) -> bool:
        """Open, and going on with the school's stappenplan after the steungroep."""
        return self.escalated_at is not None and self.closed_at is None


class CaseForm(db.Model):
    """One form of bullying named in a melding (the six of seed 004 §1.3)."""

    __tablename__ = "case_forms"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    form: Mapped[str] = mapped_column(String(30), primary_key=True)


class PupilTalk(db.Model):
    """Step 3: the talk with the pupil concerned."""

    __tablename__ = "pupil_talks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    held_on: Mapped[date] = mapped_column(Date)
    consent: Mapped[bool] = mapped_column(Boolean)
    letter: Mapped[str] = mapped_column(Text, default="")
    confidential: Mapped[str] = mapped_column(Text, default="")
    pupil_task: Mapped[str] = mapped_column(Text, default="")
    # After a 'not yet': the day to ask again, and the day it was last reminded for.
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    reminded_for: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship(back_populates="talk")


class SupportGroup(db.Model):
    """Step 4: the steungroep of a case. Its members carry a private role category."""

    __tablename__ = "support_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    case: Mapped[Case] = relationship(back_populates="group")
    members: Mapped[list[GroupMember]] = relationship(
        back_populates="group", order_by="GroupMember.id"
    )
    cycles: Mapped[list[Cycle]] = relationship(back_populates="group", order_by="Cycle.number")

    @property
    def current_cycle(self) -> Cycle | None:
        return self.cycles[-1] if self.cycles else None


class GroupMember(db.Model):
    """A pupil in a steungroep. Rows are kept when a member leaves in a later round."""

    __tablename__ = "group_members"
    __table_args__ = (UniqueConstraint("group_id", "pupil_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("support_groups.id"), index=True)
    # None once anonymised: the member still counts, nobody can tell who it was.
    pupil_id: Mapped[int | None] = mapped_column(ForeignKey("pupils.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    joined_cycle: Mapped[int] = mapped_column(Integer, default=1)
    left_cycle: Mapped[int | None] = mapped_column(Integer)
    # The link on this pupil's action card: unguessable, kept for the life of the group.
    card_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_card_token)

    group: Mapped[SupportGroup] = relationship(back_populates="members")
    pupil: Mapped[Pupil | None] = relationship()

    def in_cycle(self, number: int) -> bool:
        return self.joined_cycle <= number and (self.left_cycle is None or self.left_cycle > number)


class RetiredCardToken(db.Model):
    """A card link that no longer works: replaced by a new card (the old one says to ask for
    the new one), or ended with the case (it says the card has finished), instead of 404."""

    __tablename__ = "retired_card_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    retired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    replaced: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class Cycle(db.Model):
    """One round: the group meeting, then the pupil (1 week) and group (2 weeks) evaluations."""

    __tablename__ = "cycles"
    __table_args__ = (
        UniqueConstraint("group_id", "number"),
        CheckConstraint("number >= 1 AND number <= 5", name="number_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("support_groups.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    meeting_on: Mapped[date | None] = mapped_column(Date)
    # When the group meeting is planned (time optional), for the calendar feed.
    meeting_planned_on: Mapped[date | None] = mapped_column(Date)
    meeting_planned_time: Mapped[time | None] = mapped_column(Time)
    meeting_completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    meeting_minutes: Mapped[int | None] = mapped_column(Integer)
    decision: Mapped[str | None] = mapped_column(String(20))
    decision_note: Mapped[str] = mapped_column(Text, default="")

    group: Mapped[SupportGroup] = relationship(back_populates="cycles")
    actions: Mapped[list[Action]] = relationship(back_populates="cycle", order_by="Action.id")
    evaluations: Mapped[list[Evaluation]] = relationship(
        back_populates="cycle", order_by="Evaluation.id"
    )

    def evaluation(self, kind: str) -> Evaluation | None:
        return next((e for e in self.evaluations if e.kind == kind), None)

    @property
    def group_evaluation(self) -> Evaluation | None:
        """The group evaluation at stake: the further one a school may add a week after the
        first (seed 002 stap 4), once there is one; else the first."""
        return self.evaluation(EVAL_GROUP_AGAIN) or self.evaluation(EVAL_GROUP)


class Action(db.Model):
    """The one helping action of one member in one cycle."""

    __tablename__ = "actions"
    __table_args__ = (UniqueConstraint("cycle_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("group_members.id"), index=True)
    text: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    cycle: Mapped[Cycle] = relationship(back_populates="actions")
    member: Mapped[GroupMember] = relationship()


EVAL_PUPIL = "leerling"


EVAL_GROUP = "groep"


# One further group evaluation a week after the first, without a new meeting: "of dat er
# over een week een tweede en tevens laatste evaluatiegesprek nodig is" (seed 002 stap 4).
# Only where the school allows it (School.group_eval_again), at most once per round.
EVAL_GROUP_AGAIN = "groep2"


class Evaluation(db.Model):
    """A planned follow-up talk: with the pupil after 1 week, with the group after 2 (or 1),
    and where the school allows it one last time with the group a week later."""

    __tablename__ = "evaluations"
    __table_args__ = (UniqueConstraint("cycle_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    held_on: Mapped[date | None] = mapped_column(Date)
    wellbeing: Mapped[int | None] = mapped_column(Integer)
    changed: Mapped[str] = mapped_column(Text, default="")
    still_needed: Mapped[str] = mapped_column(Text, default="")
    improved: Mapped[str | None] = mapped_column(String(10))
    notes: Mapped[str] = mapped_column(Text, default="")
    # The due date a reminder (teacher) and an overdue notice (coordinators) were sent for:
    # claimed atomically, so a reminder goes out once per date, however often a job runs.
    reminded_for: Mapped[date | None] = mapped_column(Date)
    escalated_for: Mapped[date | None] = mapped_column(Date)

    cycle: Mapped[Cycle] = relationship(back_populates="evaluations")
    results: Mapped[list[MemberResult]] = relationship(
        back_populates="evaluation", order_by="MemberResult.position"
    )


class MemberResult(db.Model):
    """Per member, in the group evaluation: was the action done, and what was noticed."""

    __tablename__ = "member_results"
    __table_args__ = (UniqueConstraint("evaluation_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("group_members.id"))
    position: Mapped[int] = mapped_column(Integer)
    done: Mapped[str] = mapped_column(String(10))
    observation: Mapped[str] = mapped_column(String(200), default="")

    evaluation: Mapped[Evaluation] = relationship(back_populates="results")
    member: Mapped[GroupMember] = relationship()


class Informed(db.Model):
    """Who was informed about the case (one of the school's functions, or the parents) and
    when."""

    __tablename__ = "informed"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    # 'ouders', or 'functie' with the function's name as it was then in ``party_name``.
    party: Mapped[str] = mapped_column(String(20))
    party_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    informed_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship(back_populates="informed")
    user: Mapped[User] = relationship()

    @property
    def key(self) -> str:
        """As the school's list of who to inform names it (domain.functions)."""
        return "f:" + self.party_name if self.party == "functie" else self.party


class TimelineEntry(db.Model):
    """One step of a case: what happened, who did it, when. Append-only."""

    __tablename__ = "timeline"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="timeline")
    user: Mapped[User | None] = relationship()
