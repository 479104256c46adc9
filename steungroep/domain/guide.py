"""Dutch guidance texts shown on the teacher's screens during the steungroepaanpak.

All texts are paraphrased from the source protocols in ``shared/seeds/``; short phrases
that are the method's own wording are kept. Where the seeds differ, ``DOMAIN.md`` decides.

Sources per block:

- ``TALK_QUESTIONS``, ``TALK_PUPIL_TASK_EXAMPLE``: seed 001, Leidraad No Blame aanpak,
  "Voorbereiding Stap 1" and "Stap 1 Gesprek met het slachtoffer" (vertrouwen opbouwen,
  vragen hoe het gaat, wens om verandering, uitleg over de aanpak, leerlingen kiezen,
  vertrouwelijkheid en brief of tekening, afspraak nabespreking); seed 001, Compacte
  beschrijving, stap 3 and 4 (hulp vragen, opdracht "op te letten wat kinderen doen om
  aardig te zijn"); seed 002, Plan van aanpak, Stap 1.
- ``GROUP_CHOICE_TIPS``: seed 001, Leidraad, "Voorbereidingsfase voor stap 2" (6 tot 8
  leerlingen, 50 % / 50 %) and "Leerlingen voor de steungroep kiezen"; seed 002, Stap 1
  ("de gepeste leerling zit niet bij de gesprekken van de supportgroep").
- ``INVITATION_TEXT``: seed 001, Leidraad, "Uitnodiging steungroep" (persoonlijk, als een
  wens om hulp, reden nog niet noemen, op middelbare scholen schriftelijk) and "Gesprek met
  de steungroep" (tijdens lestijd, een half uur tot drie kwartier).
- ``MEETING_PHASES``: seed 001, Leidraad, Stap 2 (ruimte, kring, begroeting, inleiding),
  Stap 3 (uitleg probleem: ik-taal, geen feiten, geen details, niet het woord voor het
  probleem zelf; brief of tekening), Stap 4 (deel de verantwoordelijkheid), Stap 5 (ideeën
  verzamelen, elk idee aan een leerling koppelen), Stap 6 (vertrouwen uitspreken, bedanken,
  nabespreking afspreken, briefjes met hulpopdrachten); seed 001, Leidraad, "Hoe bouw ik
  het gesprek op" (waarderend, niet oordelen, geen eigen ideeën); seed 001, Compacte
  beschrijving, stap 6 en 7 (complimenteer elke inbreng, keur geweld liefdevol af);
  seed 002, Stap 2 ("zonder de rollen van ieder kind te benoemen", niemand krijgt straf).
- ``ACTION_EXAMPLES``: seed 001, Compacte beschrijving, stap 7 (naast iemand zitten bij
  gym, goedemorgen zeggen, vragen om mee te spelen, er iets van zeggen bij uitlachen);
  seed 001, Leidraad, Stap 5 (huiswerk langsbrengen, samen spelen, afspreken).
- ``PUPIL_EVALUATION_QUESTIONS``: seed 001, Leidraad, Stap 7 "Nabespreking met het
  slachtoffer"; seed 001, Compacte beschrijving, stap 8; seed 002, Stap 3.
- ``GROUP_EVALUATION_QUESTIONS``: seed 001, Leidraad, "Nabespreking met de
  steungroepleden (apart)", 5 tot 10 minuten per leerling; seed 001, Compacte beschrijving,
  stap 9; seed 002, Stap 4.
- ``DECISION_TIPS``: seed 001, Compacte beschrijving, stap 10 ("niet vaker dan 5x",
  "Sluit af!") and the paragraph after it (niet effectief of eerder al een steungroep:
  het stappenplan vervolgen); seed 001, §6.1 Stap 4 (plan van aanpak); seed 002 and seed 001
  on registration in the leerlingvolgsysteem.
- ``WELLBEING_SCALE``: app design (faces for the pupil evaluation); labels in plain Dutch.

The texts are Dutch, marked with ``N_``: ``meeting_phases`` and ``action_examples`` translate
them; whoever shows another constant translates it first (``_(text)``), then formats it.

Strings in ``MEETING_PHASES``, ``ACTION_EXAMPLES`` and ``GROUP_EVALUATION_QUESTIONS`` may
contain ``{pupil}``; render them with ``text.format(pupil=first_name)``. ``INVITATION_TEXT``
takes ``{name}``, ``{teacher}``, ``{when}`` and ``{where}``. Meeting texts are read with
pupils next to the tablet: they never name the problem, a role, blame or punishment.
"""

from dataclasses import dataclass, replace

from steungroep.domain.i18n import N_, translate
from steungroep.domain.talk_guide import (  # noqa: F401  (the guide's texts, in one place)
    TALK_CONFIDENTIAL_PO,
    TALK_CONFIDENTIAL_SECONDARY,
    TALK_PUPIL_TASK_EXAMPLE,
    TALK_QUESTIONS,
    promises_confidentiality,
    talk_questions,
)


@dataclass(frozen=True)
class Phase:
    """One phase of the group meeting, with what to say and what to keep in mind."""

    key: str
    title: str
    minutes: int  # suggested minutes for this phase in the group meeting
    say: tuple[str, ...]  # example sentences the teacher can say aloud
    tips: tuple[str, ...]  # short reminders for the teacher


GROUP_CHOICE_TIPS: tuple[str, ...] = (
    N_("Kies de groep samen met de leerling: 6 tot 8 kinderen. Begin met vrienden en kinderen "
       "die aardig zijn of weleens geholpen hebben."),
    N_("Maak de groep ongeveer half om half: de helft kinderen die niet aardig doen of meedoen, "
       "de andere helft kinderen die toekijken of graag helpen."),
    N_("Vragen wie niet aardig doet, kan voor de leerling als klikken voelen. Stel gerust: je "
       "hebt het nodig om te kunnen helpen, en niemand wordt gestraft."),
    N_("De leerling zelf zit nooit in de steungroep en is niet bij het groepsgesprek."),
)


# --- Stap 4: uitnodiging ------------------------------------------------------------------

INVITATION_TEXT: str = N_(
    "Beste {name},\n"
    "\n"
    "Ik wil je graag om hulp vragen. Ik heb een klein groepje leerlingen uitgekozen van wie "
    "ik denk dat ze mij goed kunnen helpen, en jij bent daar een van.\n"
    "\n"
    "Wil je naar een kort gesprek komen?\n"
    "Wanneer: {when}\n"
    "Waar: {where}\n"
    "\n"
    "Het gesprek is onder schooltijd en duurt hooguit drie kwartier. Je hoeft niets voor te "
    "bereiden en je hoeft je geen zorgen te maken.\n"
    "\n"
    "Dank je wel alvast!\n"
    "{teacher}"
)


# --- Stap 5: het groepsgesprek ------------------------------------------------------------

MEETING_PHASES: tuple[Phase, ...] = (
    Phase(
        key="welkom",
        title=N_("Welkom"),
        minutes=3,
        say=(
            N_("Fijn dat jullie er zijn."),
            N_("Jullie zijn uit de les gehaald, ik hoop dat dat goed is. "
               "We praten ongeveer een half uur."),
            N_("Jullie vragen je vast af waarom jullie hier zijn. Ik heb jullie hulp nodig."),
        ),
        tips=(
            N_("Zet de stoelen in een kring of ga aan een ronde tafel zitten."),
            N_("Begroet ieder kind persoonlijk, eventueel met een hand."),
            N_("Zeg hoe lang het gesprek duurt."),
        ),
    ),
    Phase(
        key="probleem",
        title=N_("Hoe voelt {pupil} zich?"),
        minutes=6,
        say=(
            N_("Met {pupil} gaat het op dit moment niet zo goed."),
            N_("{pupil} vindt het niet meer fijn op school en voelt zich hier niet veilig."),
            N_("Ik maak me zorgen over {pupil}, en ik wil graag dat het beter wordt."),
            N_("Ik vind het belangrijk dat iedereen zich veilig voelt op onze school. "
               "Niemand hoeft bang te zijn om naar school te gaan."),
        ),
        tips=(
            N_("Vertel alleen hoe {pupil} zich voelt: geen feiten, geen details uit jullie "
               "gesprek."),
            N_("Praat in de ik-vorm en laat merken dat je je zorgen maakt."),
            N_("Maak geen verwijten en noem het probleem niet bij naam."),
        ),
    ),
    Phase(
        key="brief",
        title=N_("Brief of tekening"),
        minutes=3,
        say=(
            N_("{pupil} heeft iets voor jullie gemaakt. Ik lees het voor."),
            N_("Dit laat zien hoe {pupil} zich op dit moment voelt."),
        ),
        tips=(
            N_("Sla deze stap over als er geen brief of tekening is."),
            N_("Lees de brief vooraf zelf; laat namen van anderen en details weg."),
        ),
    ),
    Phase(
        key="verantwoordelijkheid",
        title=N_("Samen verantwoordelijk"),
        minutes=6,
        say=(
            N_("Het gaat hier niet om schuld of straf. Niemand krijgt straf."),
            N_("Ik wil niet uitzoeken wie wat gedaan heeft. Ik wil weten hoe we het samen "
               "beter kunnen maken."),
            N_("Wat er gebeurd is, kunnen we niet meer veranderen. Hoe het vanaf nu gaat wel."),
            N_("Ik heb jullie gevraagd omdat ik denk dat jullie mij het best kunnen helpen. "
               "Jullie kennen {pupil} en de klas het best."),
            N_("Jou heb ik gevraagd omdat het me opviel dat jij goede ideeën hebt om iemand "
               "te helpen."),
        ),
        tips=(
            N_("Noem geen rollen. Noem bij ieder kind liever een sterke kant."),
            N_("Beginnen kinderen elkaar iets te verwijten? Onderbreek vriendelijk en kijk "
               "naar wat er beter kan."),
            N_("Ga niet in op uitlatingen over {pupil}; breng het gesprek terug naar de toekomst."),
        ),
    ),
    Phase(
        key="ideeen",
        title=N_("Ideeën verzamelen"),
        minutes=15,
        say=(
            N_("Wat helpt jou als je je verdrietig of alleen voelt?"),
            N_("Wat zou ieder van jullie kunnen doen, zodat {pupil} zich weer fijn voelt?"),
            N_("Wat zou jij fijn vinden als je in de plaats van {pupil} was?"),
            N_("Wat een goed idee! Zullen we dat opschrijven als jouw actie?"),
            N_("Dat idee gaat over iemand anders. Wat zou jij zelf voor {pupil} kunnen doen?"),
        ),
        tips=(
            N_("Ieder kind bedenkt een eigen idee; schrijf het meteen op bij dat kind. "
               "Geef zelf geen ideeën."),
            N_("Geef op elk idee een compliment, hoe klein het ook is."),
            N_("Ideeën tegen anderen (terugpakken, straffen, boos worden) wijs je vriendelijk af."),
            N_("Het is een eigen idee, geen belofte die ondertekend wordt."),
            N_("Betrek iedereen: ieder kind is belangrijk voor de oplossing."),
        ),
    ),
    Phase(
        key="vertrouwen",
        title=N_("Vertrouwen en afspraak"),
        minutes=5,
        say=(
            N_("Dank jullie wel voor jullie hulp en voor al die goede ideeën."),
            N_("Ik weet zeker dat {pupil} zich hierdoor weer beter gaat voelen. "
               "En de sfeer in de klas wordt er ook beter van."),
            N_("Ik vertrouw erop dat jullie dit voor elkaar krijgen."),
            N_("Over ongeveer twee weken praat ik met ieder van jullie apart, om te horen hoe "
               "het gaat. Ik kom jullie dan zelf halen."),
        ),
        tips=(
            N_("Leg het vervolg in hun handen en wens ze succes."),
            N_("Geef ieder kind het kaartje met de eigen actie mee."),
            N_("Neem afscheid met een hand."),
        ),
    ),
)

# --- Rounds 2 to 5: seed 001 compact step 9-10 ("Hoe gaat het nu? Wat heb je kunnen doen?
# Complimenteren! ... Herhaal stap 7, 8 en 9 zo nodig") and the Leidraad's nabespreking.

LATER_ROUND_PHASES: tuple[Phase, ...] = (
    Phase(
        key="welkom",
        title=N_("Welkom terug"),
        minutes=2,
        say=(
            N_("Fijn dat jullie er weer zijn."),
            N_("Welkom aan wie er voor het eerst bij is. Ik heb jou gevraagd omdat ik denk dat "
               "jij goed kunt helpen."),
            N_("We praten ongeveer twintig minuten."),
        ),
        tips=(
            N_("Begroet een nieuw lid persoonlijk en vertel kort dat het om helpen gaat, niet om "
               "schuld."),
            N_("Noem geen rollen, ook niet bij wie nieuw is."),
        ),
    ),
    Phase(
        key="goed",
        title=N_("Wat ging er goed?"),
        minutes=5,
        say=(
            N_("Jullie hebben de afgelopen tijd veel gedaan. Dank jullie wel!"),
            N_("Wat heb jij kunnen doen? Wat ging er goed?"),
            N_("Merken jullie dat {pupil} zich prettiger voelt? Hoe merk je dat?"),
        ),
        tips=(
            N_("Complimenteer elke bijdrage, hoe klein ook."),
            N_("Vertel niets uit het gesprek met {pupil}; zeg alleen dat je wilt dat het nog "
               "beter wordt."),
        ),
    ),
    Phase(
        key="beter",
        title=N_("Hoe kan het nog beter?"),
        minutes=3,
        say=(
            N_("Ik wil graag dat {pupil} zich nog fijner voelt op school."),
            N_("Hebben jullie nog tips? Wat zou {pupil} nog helpen?"),
        ),
        tips=(
            N_("Kijk vooruit: wat er nog beter kan, niet wat er misging."),
        ),
    ),
    Phase(
        key="ideeen",
        title=N_("Idee houden of een nieuw idee"),
        minutes=8,
        say=(
            N_("Wil je je idee van vorige keer houden, of heb je een nieuw idee?"),
            N_("Wat zou jij nu kunnen doen, zodat {pupil} zich nog fijner voelt?"),
            N_("Wat een goed idee! Zullen we dat opschrijven als jouw actie?"),
        ),
        tips=(
            N_("Op de kaart: tik ‘Zelfde actie houden’ of typ het nieuwe idee."),
            N_("Wie nieuw is, bedenkt een eigen idee; geef zelf geen ideeën."),
        ),
    ),
    Phase(
        key="vertrouwen",
        title=N_("Vertrouwen en afspraak"),
        minutes=2,
        say=(
            N_("Dank jullie wel. Ik vertrouw erop dat jullie dit samen volhouden."),
            N_("Over ongeveer twee weken praat ik weer met ieder van jullie apart."),
        ),
        tips=(
            N_("Geef ieder kind het kaartje met de eigen actie mee."),
        ),
    ),
)


def meeting_phases(round_number: int) -> tuple[Phase, ...]:
    """The script for a round's meeting (the first, or the shorter one for rounds 2-5) in
    the reader's language; in Dutch the constant itself."""
    phases = MEETING_PHASES if round_number <= 1 else LATER_ROUND_PHASES
    translated = tuple(replace(p, title=translate(p.title), say=tuple(map(translate, p.say)),
                               tips=tuple(map(translate, p.tips))) for p in phases)
    return phases if translated == phases else translated


ACTION_EXAMPLES: tuple[str, ...] = (
    N_("Ik ga {pupil} 's ochtends gedag zeggen."),
    N_("Ik ga bij gym naast {pupil} zitten."),
    N_("Ik ga {pupil} in de pauze vragen om mee te doen."),
    N_("Ik ga op het schoolplein samen met {pupil} spelen."),
    N_("Ik ga er iets van zeggen als iemand {pupil} uitlacht."),
    N_("Ik ga het huiswerk naar {pupil} brengen als {pupil} ziek is."),
    N_("Ik ga {pupil} vragen om samen een opdracht te maken."),
    N_("Ik ga een keer met {pupil} afspreken na school."),
)


# The same ideas in the words of a secondary school or mbo (no gym, no schoolplein).
ACTION_EXAMPLES_OLDER: tuple[str, ...] = (
    N_("Ik ga {pupil} 's ochtends gedag zeggen."),
    N_("Ik ga bij LO samen met {pupil} een team vormen."),
    N_("Ik ga {pupil} in de pauze vragen om erbij te komen staan."),
    N_("Ik ga in de kantine naast {pupil} zitten."),
    N_("Ik ga er iets van zeggen als iemand {pupil} uitlacht, ook online."),
    N_("Ik ga {pupil} appen wat het huiswerk is als {pupil} ziek is."),
    N_("Ik ga {pupil} vragen om samen een opdracht te maken."),
    N_("Ik ga na school samen met {pupil} naar de fietsenstalling lopen."),
)


def action_examples(kind: str) -> tuple[str, ...]:
    """Example ideas in the words of the school's type (po, vo, mbo), in the reader's
    language."""
    examples = ACTION_EXAMPLES if kind == "po" else ACTION_EXAMPLES_OLDER
    return tuple(translate(text) for text in examples)


# --- Stap 6 en 7: evaluaties --------------------------------------------------------------

PUPIL_EVALUATION_QUESTIONS: tuple[str, ...] = (
    N_("Hoe ging het de afgelopen week?"),
    N_("Hoe voel je je nu op school?"),
    N_("Wat is er veranderd? Wat deden kinderen om aardig tegen je te zijn?"),
    N_("Wat heb je nog nodig? Wat zou je nog anders willen?"),
    N_("Is er nog iets wat ik voor je kan doen?"),
    N_("Wat goed dat je dat hebt gezien en aan mij vertelt! (Geef op elke opmerking een "
       "compliment.)"),
)

GROUP_EVALUATION_QUESTIONS: tuple[str, ...] = (
    N_("Fijn dat je er bent. We hadden afgesproken dat ik nog zou vragen hoe het gaat met "
       "{pupil}. Is het goed als we daar even over praten?"),
    N_("Wat heb jij kunnen doen?"),
    N_("Hoe gaat het nu met {pupil}, denk je? Waaraan merk je dat?"),
    N_("Wat is er beter geworden in de klas?"),
    N_("Heb je nog tips, voor {pupil} of voor mij?"),
    N_("Dank je wel voor je hulp. Knap wat je gedaan hebt, hoe klein ook!"),
)


# --- Stap 8: besluit ----------------------------------------------------------------------

DECISION_TIPS: tuple[str, ...] = (
    N_("Gaat het beter? Sluit de steungroep af en bedank de groep. Spreek met de leerling af "
       "dat hij of zij meteen komt als het weer minder gaat."),
    N_("Nog niet genoeg verbeterd? Houd een nieuwe ronde: groepsgesprek, dan de evaluatie "
       "met de leerling en die met de groep, op de dagen die de school ervoor koos. Dat kan "
       "hooguit 5 keer."),
    N_("Na 5 rondes, als de aanpak niet werkt, of als de leerling al eerder een steungroep had: "
       "ga verder met het stappenplan van de school en sluit de steungroep af."),
    N_("Leg de uitkomst vast in het leerlingvolgsysteem en informeer de intern begeleider of "
       "SMW en de ouders."),
)

WELLBEING_SCALE: tuple[tuple[int, str], ...] = (
    (1, N_("Heel slecht")),
    (2, N_("Slecht")),
    (3, N_("Gaat wel")),
    (4, N_("Goed")),
    (5, N_("Heel goed")),
)
