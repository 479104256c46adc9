"""The words the app records: roles, sources, forms, triage, who was informed, outcomes.

Each is a mapping from the stored code to the Dutch label."""

from __future__ import annotations

from steungroep.domain.i18n import N_

ROLES: dict[str, str] = {
    "aanvoerder": N_("Aanvoerder"),
    "meeloper": N_("Meeloper"),
    "omstander": N_("Omstander"),
    "helper": N_("Helper / vriend"),
}


RINGLEADER_SIDE = frozenset({"aanvoerder", "meeloper"})


OTHER_SIDE = frozenset({"omstander", "helper"})


SOURCES: dict[str, str] = {
    "leerling": N_("De leerling zelf"),
    "ouder": N_("Ouder/verzorger"),
    "personeel": N_("Personeel"),
    "klasgenoot": N_("Klasgenoot"),
    "brievenbus": N_("Anonieme brievenbus"),
}


FORMS: dict[str, str] = {
    "verbaal": N_("Verbaal (schelden, vernederen, dreigen)"),
    "lichamelijk": N_("Lichamelijk (duwen, schoppen, slaan)"),
    "intimidatie": N_("Intimidatie (achtervolgen, klem zetten, dwingen)"),
    "isolatie": N_("Isolatie (buitensluiten, negeren)"),
    "stelen_vernielen": N_("Stelen of vernielen van spullen"),
    "digitaal": N_("Digitaal (via sociale media of berichten)"),
}


TRIAGE: dict[str, str] = {
    "geen_pesten": N_("Geen pesten: anders afhandelen"),
    "eenmalig": N_("Eenmalig incident: herstelgesprek en controle na twee weken"),
    "herhaald": N_("Herhaald pesten: steungroepaanpak"),
    "stappenplan": N_("Herhaald pesten: meteen het stappenplan van de school"),
}

# Which road a school's protocol takes first when bullying repeats (seed 001: the steungroep,
# or the stappenplan for a pupil who had one before; seed 000 and seed 004 §2.2: the school's
# stappenplan). The melding offers that road first; the teacher still chooses per case.
FIRST_ROADS: dict[str, str] = {
    "steungroep": N_("De steungroepaanpak"),
    "stappenplan": N_("Het stappenplan van de school"),
}


def default_first_road(kind: str) -> str:
    """A new school's first road: an mbo school's protocol starts with its stappenplan."""
    return "stappenplan" if kind == "mbo" else "steungroep"


def triage_choices(first_roads: set[str]) -> list[str]:
    """The triage codes in the order the melding offers them: the stappenplan before the
    steungroep when every school of the teacher starts with it."""
    codes = list(TRIAGE)
    if first_roads == {"stappenplan"}:
        codes.remove("stappenplan")
        codes.insert(codes.index("herhaald"), "stappenplan")
    return codes


OUTCOMES: dict[str, str] = {
    "opgelost": N_("Afgesloten: het gaat beter"),
    "geescaleerd": N_("Doorverwezen naar het stappenplan"),
    "geen_toestemming": N_("Gestopt: de leerling wil (nu) geen steungroep"),
    "anders_afgehandeld": N_("Anders afgehandeld"),
}
# How a finished stappenplan ended (seed 000, seed 004 §2.2): its own outcome, chosen when
# the coordinator closes it. ('geescaleerd' above is the steungroep's end, and the label of
# plans closed before these existed.)
PLAN_OUTCOMES: dict[str, str] = {
    "plan_gestopt": N_("Stappenplan afgerond: het pesten is gestopt"),
    "plan_beter": N_("Stappenplan afgerond: het gaat beter"),
    "plan_niet_beter": N_("Stappenplan afgerond: het gaat niet beter"),
    "plan_verder": N_("Stappenplan afgerond: verder buiten de school (doorverwezen, andere "
                      "school)"),
}
# The same, as the closing form offers them and the timeline says them.
PLAN_ENDINGS: dict[str, str] = {
    "plan_gestopt": N_("het pesten is gestopt"),
    "plan_beter": N_("het gaat beter"),
    "plan_niet_beter": N_("het gaat niet beter"),
    "plan_verder": N_("verder buiten de school (doorverwezen, andere school)"),
}
# Every outcome a case may be closed with, for labels and the archive's filter.
CASE_OUTCOMES: dict[str, str] = {**OUTCOMES, **PLAN_OUTCOMES}


# The melding's facts (seed 000 "Controle van feiten"; seed 004 Bijlage 1).
FREQUENCY: dict[str, str] = {
    "eenmalig": N_("Eén keer"),
    "soms": N_("Een paar keer"),
    "vaak": N_("Vaak (elke week)"),
    "dagelijks": N_("(Bijna) elke dag"),
}
PARENTS_KNOW: dict[str, str] = {"ja": N_("Ja"), "nee": N_("Nee"), "onbekend": N_("Weet ik niet")}
# The protocols' own analysis (seed 004 §2.2 stap 2: "wat is de ernst van de situatie";
# §1.2: the pupil who undergoes it decides whether it is teasing or bullying).
SEVERITY: dict[str, str] = {
    "licht": N_("Licht: vervelend, maar de leerling kan nog voor zichzelf opkomen"),
    "ernstig": N_("Ernstig: de leerling voelt zich niet meer veilig"),
    "zeer_ernstig": N_("Zeer ernstig: geweld, bedreiging of afpersing"),
}
PUPIL_VIEW: dict[str, str] = {
    "pesten": N_("Pesten"),
    "plagen": N_("Plagen"),
    "weet_niet": N_("Weet het niet"),
}


IMPROVED: dict[str, str] = {"ja": N_("Ja"), "deels": N_("Een beetje"), "nee": N_("Nee")}


DONE: dict[str, str] = {"ja": N_("Gedaan"), "deels": N_("Deels"), "nee": N_("Niet gedaan")}


# The evaluations of a round by kind (models: EVAL_PUPIL, EVAL_GROUP, EVAL_GROUP_AGAIN).
EVALUATION_KINDS: dict[str, str] = {
    "leerling": N_("Evaluatie met de leerling"),
    "groep": N_("Evaluatie met de groep"),
    "groep2": N_("Laatste evaluatie met de groep"),
}


# The school's type chooses the words a pupil reads (seeds 000 and 004 speak of a mentor).
SCHOOL_KINDS: dict[str, str] = {
    "po": N_("Basisonderwijs"),
    "vo": N_("Voortgezet onderwijs"),
    "mbo": N_("Mbo"),
}
_TEACHER_WORDS = {"po": N_("je juf of meester"), "vo": N_("je mentor"), "mbo": N_("je mentor")}


def teacher_word(kind: str) -> str:
    """Who a pupil asks, in the pupil's words: 'je juf of meester', or 'je mentor'."""
    return _TEACHER_WORDS.get(kind, _TEACHER_WORDS["po"])
