"""The copy for an access request (AVG art. 15): everything about one pupil, every other pupil
masked as 'leerling A', 'leerling B' …"""

from __future__ import annotations

import re

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from steungroep import domain
from steungroep.cases.state import (
    case_load_options,
)
from steungroep.core.extensions import db
from steungroep.core.timeutil import aware, local_day, utcnow
from steungroep.evaluations.use_cases import DECISIONS
from steungroep.models import (
    EVAL_GROUP_AGAIN,
    EVAL_PUPIL,
    Case,
    CasePupil,
    CaseTalk,
    GroupMember,
    Letter,
    Pupil,
    SupportGroup,
)


def _labels():
    counter = iter(range(10_000))

    def label() -> str:
        n = next(counter)
        letters = ""
        while True:
            letters = chr(ord("A") + n % 26) + letters
            n = n // 26 - 1
            if n < 0:
                return f"leerling {letters}"

    return label


class Masker:
    """Gives every other pupil a stable 'leerling A', 'leerling B', … and masks their
    first names in free text."""

    def __init__(self, pupil: Pupil, school_pupils: list[Pupil]) -> None:
        self.pupil = pupil
        own = pupil.first_name.lower()
        # a namesake of the pupil cannot be told apart in free text: left as it is
        self.others = [p for p in school_pupils
                       if p.id != pupil.id and p.first_name.lower() != own]
        self._label = _labels()
        self.labels: dict[int, str] = {}
        self._by_name: dict[str, list[Pupil]] = {}
        for other in self.others:
            self._by_name.setdefault(other.first_name.lower(), []).append(other)
        names = sorted(self._by_name, key=lambda n: (-len(n), n))
        # one pattern for every name (longest first), with the surname's initial if given
        self._pattern = re.compile(
            r"\b(" + "|".join(re.escape(n) for n in names) + r")(?:(\s+)([A-Za-z])\.?)?\b",
            re.IGNORECASE) if names else None

    def label(self, other: Pupil | None) -> str:
        if other is None:
            return "leerling (gewist)"
        if other.id == self.pupil.id:
            return self.pupil.first_name
        if other.id not in self.labels:
            self.labels[other.id] = self._label()
        return self.labels[other.id]

    def _replace(self, match: re.Match) -> str:
        named = self._by_name[match.group(1).lower()]
        initial = (match.group(3) or "").upper()
        exact = next((p for p in named if initial and p.surname_initial == initial), None)
        if exact is not None:
            return self.label(exact)
        # no initial, or one of nobody by that name: the first pupil of that name; the
        # letter after it stays (it may be the start of the next sentence)
        return self.label(named[0]) + (match.group(0)[len(match.group(1)):]
                                       if match.group(3) else "")

    def text(self, value: str) -> str:
        if not value or self._pattern is None:
            return value
        return self._pattern.sub(self._replace, value)


def access_copy(pupil: Pupil, *, include_confidential: bool = False) -> dict:
    """Everything the app holds about ``pupil``: their own role, actions and evaluations and
    the notes about them; every other pupil masked, their roles and actions left out."""
    school_pupils = list(
        db.session.scalars(select(Pupil).where(Pupil.school_id == pupil.school_id))
    )
    masker = Masker(pupil, school_pupils)
    member_case_ids = select(SupportGroup.case_id).join(
        GroupMember, GroupMember.group_id == SupportGroup.id
    ).where(GroupMember.pupil_id == pupil.id)
    involved_case_ids = select(CasePupil.case_id).where(CasePupil.pupil_id == pupil.id)
    talked_case_ids = select(CaseTalk.case_id).where(CaseTalk.pupil_id == pupil.id)
    cases = list(db.session.scalars(
        select(Case)
        .where(or_(Case.pupil_id == pupil.id, Case.id.in_(member_case_ids),
                   Case.id.in_(involved_case_ids), Case.id.in_(talked_case_ids)))
        .options(*case_load_options(), selectinload(Case.informed),
                 selectinload(Case.consequences))
        .order_by(Case.reported_on, Case.id)
    ))
    letters: dict[int, list[Letter]] = {}
    for letter in db.session.scalars(
            select(Letter).where(Letter.case_id.in_([c.id for c in cases if c.pupil_id
                                                     == pupil.id])).order_by(Letter.id)):
        letters.setdefault(letter.case_id, []).append(letter)
    copy = {
        "leerling": {
            "voornaam": pupil.first_name,
            "achternaam_initiaal": pupil.surname_initial,
            "klas": pupil.school_class.name if pupil.school_class else None,
            "leerlingnummer": pupil.external_id,
        },
        "gemaakt_op": utcnow().isoformat(timespec="seconds"),
        "toelichting": (
            "Alle gegevens over deze leerling in de steungroep-app. Andere leerlingen staan "
            "er als 'leerling A', 'leerling B' … in; hun rollen en acties zijn weggelaten."
        ),
        "aanpakken": [],
    }
    for case in cases:
        subject = case.pupil_id == pupil.id
        involved = next((i for i in case.involved if i.pupil_id == pupil.id), None)
        in_group = bool(case.group and any(m.pupil_id == pupil.id for m in case.group.members))
        entry: dict = {
            "melding_op": case.reported_on.isoformat(),
            "afgesloten_op": aware(case.closed_at).date().isoformat() if case.closed_at else None,
            "uitkomst": (domain.CASE_OUTCOMES.get(case.outcome, case.outcome)
                         if case.outcome else None),
            "rol_van_deze_leerling": (
                "leerling om wie het gaat" if subject else "lid van de steungroep" if in_group
                else "betrokken leerling"
            ),
            "leerling_om_wie_het_gaat": masker.label(case.pupil),
        }
        if subject:
            entry["melding"] = masker.text(case.description)
            entry["triage"] = domain.TRIAGE.get(case.triage, case.triage)
            entry["toelichting_triage"] = masker.text(case.triage_note)
            entry["reden_afsluiting"] = masker.text(case.outcome_note)
            entry["feiten"] = {
                "waar": masker.text(case.fact_where),
                "hoe_vaak": domain.FREQUENCY.get(case.fact_frequency, ""),
                "sinds": masker.text(case.fact_since),
                "ouders_weten_ervan": domain.PARENTS_KNOW.get(case.fact_parents_know, ""),
                "eerder_gedaan": masker.text(case.fact_earlier),
                "wanneer": masker.text(case.fact_when),
                "ernst": domain.SEVERITY.get(case.fact_severity, ""),
                "zelf_geprobeerd": masker.text(case.fact_tried),
                "wil_dat_er_gebeurt": masker.text(case.fact_wants),
                "wie_helpt": masker.text(case.fact_helpers),
                "rol_van_de_groep": masker.text(case.fact_group),
                "noemt_het_zelf": domain.PUPIL_VIEW.get(case.fact_view, ""),
            }
            entry["vormen"] = [domain.FORMS.get(code, code) for code in case.form_codes]
            if case.talk:
                talk = {
                    "datum": case.talk.held_on.isoformat(),
                    "toestemming": case.talk.consent,
                    "brief_aan_de_groep": masker.text(case.talk.letter),
                    "taak": masker.text(case.talk.pupil_task),
                    "aantekeningen": masker.text(case.talk.notes),
                }
                if include_confidential:
                    talk["vertrouwelijk"] = masker.text(case.talk.confidential)
                entry["gesprek"] = talk
            entry["briefjes_uit_de_brievenbus"] = [
                {"verstuurd_op": local_day(letter.created_at).isoformat(),
                 "tekst": masker.text(letter.what), "waar": masker.text(letter.where),
                 "over_wie": masker.text(letter.about), "antwoord": masker.text(letter.answer)}
                for letter in letters.get(case.id, [])]
            entry["geinformeerd"] = [
                {"wie": domain.functions.party_label(i.key, translated=False),
                 "datum": i.informed_on.isoformat(), "opmerking": masker.text(i.note)}
                for i in case.informed
            ]
        if involved is not None:
            entry["betrokkenheid"] = domain.plan.INVOLVEMENT.get(involved.involvement,
                                                                 involved.involvement)
        own_measures = [c for c in case.consequences if c.pupil_id == pupil.id]
        if own_measures:  # this pupil's own only, never another's
            entry["maatregelen"] = [
                {"maatregel": domain.consequences.consequence_label(c.kind, c.days,
                                                                   translated=False),
                 "datum": c.decided_on.isoformat(), "toelichting": masker.text(c.note)}
                for c in own_measures]
        entry["gesprekken"] = [_talk(t, pupil, masker) for t in case.talks
                               if t.pupil_id == pupil.id or (subject and t.pupil_id is None)]
        if subject and case.plan_steps:
            entry["stappenplan"] = [
                {"stap": s.title, "gezet_op": s.done_on.isoformat() if s.done_on else None,
                 "notitie": masker.text(s.note)} for s in case.plan_steps]
        group = case.group
        if group:
            own = next((m for m in group.members if m.pupil_id == pupil.id), None)
            entry["steungroep"] = [masker.label(m.pupil) for m in group.members if m is not own]
            if own is not None:
                entry["eigen_rol_in_de_groep"] = domain.ROLES.get(own.role, own.role)
            rounds = []
            for cycle in group.cycles:
                round_: dict = {"ronde": cycle.number,
                                "bijeenkomst_op": cycle.meeting_on.isoformat()
                                if cycle.meeting_on else None}
                if own is not None:
                    round_["eigen_actie"] = next(
                        (masker.text(a.text) for a in cycle.actions if a.member_id == own.id), None
                    )
                for evaluation in cycle.evaluations:
                    if evaluation.kind == EVAL_PUPIL and subject:
                        round_["evaluatie_met_de_leerling"] = {
                            "gepland_op": evaluation.due_on.isoformat(),
                            "gehouden_op": evaluation.held_on.isoformat()
                            if evaluation.held_on else None,
                            "welbevinden": evaluation.wellbeing,
                            "wat_veranderde": masker.text(evaluation.changed),
                            "nog_nodig": masker.text(evaluation.still_needed),
                            "beter": domain.IMPROVED.get(evaluation.improved, evaluation.improved)
                            if evaluation.improved else None,
                            "aantekeningen": masker.text(evaluation.notes),
                        }
                    if evaluation.kind != EVAL_PUPIL and own is not None:
                        result = next((r for r in evaluation.results if r.member_id == own.id),
                                      None)
                        again = evaluation.kind == EVAL_GROUP_AGAIN
                        key = ("laatste_evaluatie_in_de_groep" if again
                               else "evaluatie_in_de_groep")
                        if result:
                            round_[key] = {
                                "gehouden_op": evaluation.held_on.isoformat()
                                if evaluation.held_on else None,
                                "actie_gedaan": domain.DONE.get(result.done, result.done),
                                "opmerking": masker.text(result.observation),
                            }
                if subject and cycle.decision:
                    round_["besluit"] = DECISIONS.get(cycle.decision, cycle.decision)
                    round_["reden_besluit"] = masker.text(cycle.decision_note)
                rounds.append(round_)
            entry["rondes"] = rounds
        copy["aanpakken"].append(entry)
    copy["genoemd_in"] = _named_in(pupil, masker, {c.id for c in cases})
    return copy


def _talk(talk: CaseTalk, pupil: Pupil, masker: Masker) -> dict:
    """A talk with this pupil, their parents, or (for the pupil the case is about) others."""
    if talk.pupil_id == pupil.id:
        who = "de ouders/verzorgers" if talk.party == "ouders" else "de leerling zelf"
    else:
        who = talk.party_name if talk.party == "functie" else \
            domain.plan.TALK_PARTIES.get(talk.party, talk.party).lower()
    return {"datum": talk.held_on.isoformat(),
            "soort": domain.plan.TALK_KINDS.get(talk.kind, talk.kind), "met": who,
            "verslag": masker.text(talk.summary), "afspraken": masker.text(talk.agreements),
            "vervolg_op": talk.follow_up_on.isoformat() if talk.follow_up_on else None}


# The free text of a case that may name a pupil who is not linked to it.
_FREE_TEXT = {
    "beschrijving van de melding": Case.description,
    "toelichting bij de triage": Case.triage_note,
    "waar het gebeurt": Case.fact_where,
    "wat er eerder is gedaan": Case.fact_earlier,
    "wanneer het gebeurt": Case.fact_when,
    "wat de leerling zelf probeerde": Case.fact_tried,
    "wat de leerling wil": Case.fact_wants,
    "wie de leerling helpt": Case.fact_helpers,
    "de rol van de groep": Case.fact_group,
    "reden van afsluiten": Case.outcome_note,
}


def _named_in(pupil: Pupil, masker: Masker, linked: set[int]) -> list[dict]:
    """Other cases of the school whose free text names this pupil (a classmate mentioned
    in a melding about someone else): the passage, every other pupil masked. One query."""
    name = pupil.first_name.lower()
    if not name:
        return []
    columns = list(_FREE_TEXT.values())
    rows = db.session.execute(
        select(Case.id, Case.reported_on, *columns)
        .where(Case.school_id == pupil.school_id, Case.id.not_in(linked or {-1}),
               Case.practice.is_(False),
               or_(*[func.lower(column).contains(name, autoescape=True)
                     for column in columns]))
        .order_by(Case.reported_on, Case.id)
    ).all()
    word = re.compile(rf"(?<!\w){re.escape(pupil.first_name)}(?!\w)", re.IGNORECASE)
    found = []
    for _case_id, reported_on, *texts in rows:
        for label, text in zip(_FREE_TEXT, texts, strict=True):
            if text and word.search(text):
                found.append({"melding_op": reported_on.isoformat(), "waar": label,
                              "tekst": masker.text(text)})
    return found
