from steungroep.domain import forbidden_word, guide, meeting_minutes

FORBIDDEN = ("pest", "slachtoffer", "dader", "aanvoerder", "meeloper", "omstander")


def _meeting_texts() -> list[str]:
    texts: list[str] = []
    for phase in (*guide.MEETING_PHASES, *guide.LATER_ROUND_PHASES):
        texts.extend((phase.key, phase.title, *phase.say, *phase.tips))
    return texts


def test_pupil_facing_texts_avoid_forbidden_words():
    """Meeting, invitation and action texts never use the problem word or a role word."""
    texts = [*_meeting_texts(), guide.INVITATION_TEXT, *guide.ACTION_EXAMPLES]
    for text in texts:
        lowered = text.lower()
        for word in FORBIDDEN:
            assert word not in lowered, f"{word!r} in {text!r}"
        assert not forbidden_word(text.replace("{pupil}", "Bas")), text


def test_the_scripts_and_the_timer_agree_on_the_length_of_a_meeting():
    """The first meeting's phases add up to 30–45 minutes, the timer's length for round 1;
    a later round's to the twenty minutes its script announces, inside the timer's 15–25."""
    assert meeting_minutes(1) == (30, 45) and meeting_minutes(2) == meeting_minutes(5)
    for round_number in (1, 2):
        usual, late = meeting_minutes(round_number)
        total = sum(phase.minutes for phase in guide.meeting_phases(round_number))
        assert usual <= total <= late, round_number
    later = guide.LATER_ROUND_PHASES
    assert "We praten ongeveer twintig minuten." in later[0].say
    assert sum(phase.minutes for phase in later) == 20


def test_invitation_formats_with_its_four_placeholders():
    """The invitation slip fills in name, teacher, time and place."""
    text = guide.INVITATION_TEXT.format(
        name="Sanne", teacher="juf Mieke", when="dinsdag 10:00", where="lokaal 4"
    )
    for value in ("Sanne", "juf Mieke", "dinsdag 10:00", "lokaal 4"):
        assert value in text
    assert "{" not in text


def test_wellbeing_scale_covers_one_to_five_in_order():
    """The face scale runs 1..5 in order, from 'Heel slecht' to 'Heel goed'."""
    assert [value for value, _ in guide.WELLBEING_SCALE] == [1, 2, 3, 4, 5]
    assert guide.WELLBEING_SCALE[0][1] == "Heel slecht"
    assert guide.WELLBEING_SCALE[-1][1] == "Heel goed"


def test_pupil_placeholder_texts_format_with_pupil_only():
    """Texts that may name the pupil render with just the pupil's first name."""
    texts = [*_meeting_texts(), *guide.ACTION_EXAMPLES, *guide.GROUP_EVALUATION_QUESTIONS]
    for text in texts:
        rendered = text.format(pupil="Bas")
        assert "{" not in rendered and "}" not in rendered


def test_later_rounds_have_their_own_shorter_script():
    """Rounds 2-5 start from what went well, keep or renew ideas and welcome new members;
    they never ask 'why are you here' again."""
    assert guide.meeting_phases(1) is guide.MEETING_PHASES
    later = guide.meeting_phases(2)
    assert later is guide.meeting_phases(5) is guide.LATER_ROUND_PHASES
    said = " ".join(s for phase in later for s in phase.say)
    assert "waarom jullie hier zijn" not in said
    assert "Welkom aan wie er voor het eerst bij is" in said
    assert "houden, of heb je een nieuw idee" in said
    assert sum(phase.minutes for phase in later) == 20
