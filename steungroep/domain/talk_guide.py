"""The guide for the talk with the pupil (stap 1 of the method), by school type. Sources: see
domain/guide.py (``TALK_QUESTIONS``); where the seeds disagree on confidentiality, seed 001
(primary) against seed 004 Bijlage 1 (secondary). Plain Python."""

from __future__ import annotations

from steungroep.domain.i18n import N_

# --- Stap 3: gesprek met de leerling -------------------------------------------------------

TALK_QUESTIONS: tuple[str, ...] = (
    N_("Fijn dat je er bent. Maak je geen zorgen: je zit niet in de problemen, ik wil gewoon "
       "even rustig met je praten."),
    N_("Het viel me op dat je de laatste tijd vaak alleen bent in de pauze. Klopt dat?"),
    N_("Hoe gaat het met je op school? Voel je je hier op je gemak?"),
    N_("Zou je willen dat het weer beter wordt? Ik weet hoe we dat kunnen aanpakken. "
       "Mag ik je helpen?"),
    N_("Ik ga praten met een paar kinderen uit je klas. Daar zijn kinderen bij die jij aardig "
       "vindt, maar ook kinderen die niet aardig tegen je deden."),
    N_("Niemand wordt gestraft en niemand komt in de problemen. Ik doe niets waardoor het "
       "erger wordt voor jou."),
    N_("Jij hoeft niets te doen en je hoeft er niet bij te zijn. Ik regel het gesprek."),
    N_("Wie vind je aardig? Wie is je vriend of vriendin, en wie heeft je weleens geholpen?"),
    N_("Om je goed te kunnen helpen, moet ik weten wie niet aardig tegen je doet. Wie doet er "
       "nog mee? En wie kijkt er vaak alleen naar?"),
    N_("Wil je een brief schrijven of een tekening maken voor de groep? Dan lees ik die voor "
       "of laat ik die zien. Jij hoeft verder niets te doen."),
    N_("Wat mag ik absoluut niet doorvertellen? Je naam noem ik wel, zodat ze weten om wie het "
       "gaat, maar details uit ons gesprek vertel ik niet."),
    N_("Wil je de komende week opletten wat kinderen doen om aardig tegen je te zijn? Over een "
       "week praten we weer. Je mag altijd eerder bij mij komen."),
)

# Where the seeds disagree: the primary school's Leidraad (seed 001, stap 1) agrees with the
# pupil what stays confidential; the secondary school's guide (seed 004, Bijlage 1) says
# "Beloof als gespreksvoerder nooit dat er iets niet zal worden gezegd". A vo or mbo school
# asks the question below instead of the primary school's.
TALK_CONFIDENTIAL_PO = TALK_QUESTIONS[-2]
TALK_CONFIDENTIAL_SECONDARY: str = N_(
    "Ik beloof niet dat ik niets doorvertel: als niemand iets mag weten, kan ik er ook niets "
    "aan doen. Wel bespreek ik altijd eerst met jou wat ik ga doen en met wie. Wat vertel ik "
    "liever niet in de groep?")


def promises_confidentiality(kind: str) -> bool:
    """Whether the school type's guide agrees with the pupil what stays confidential (seed
    001), or never promises it (seed 004 Bijlage 1)."""
    return kind not in ("vo", "mbo")


def talk_questions(kind: str) -> tuple[str, ...]:
    """The questions for the talk with the pupil, as the school type's protocol has them."""
    if not promises_confidentiality(kind):
        return tuple(TALK_CONFIDENTIAL_SECONDARY if q == TALK_CONFIDENTIAL_PO else q
                     for q in TALK_QUESTIONS)
    return TALK_QUESTIONS


TALK_PUPIL_TASK_EXAMPLE: str = N_(
    "Let de komende week goed op wat kinderen uit je klas doen om aardig tegen je te zijn. "
    "Over een week vertel je mij wat je is opgevallen."
)
