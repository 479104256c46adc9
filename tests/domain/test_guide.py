from steungroep.domain import forbidden_word, guide

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


def test_meeting_minutes_total_between_30_and_45():
    """The suggested phase minutes add up to a 30 to 45 minute group meeting."""
    total = sum(phase.minutes for phase in guide.MEETING_PHASES)
    assert 30 <= total <= 45


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
    assert 20 <= sum(phase.minutes for phase in later) <= 30
