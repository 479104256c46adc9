from steungroep.domain import guide

FORBIDDEN = ("pest", "slachtoffer", "dader", "aanvoerder", "meeloper", "omstander")


def _meeting_texts() -> list[str]:
    texts: list[str] = []
    for phase in guide.MEETING_PHASES:
        texts.extend((phase.key, phase.title, *phase.say, *phase.tips))
    return texts


def test_pupil_facing_texts_avoid_forbidden_words():
    """Meeting, invitation and action texts never use the problem word or a role word."""
    texts = [*_meeting_texts(), guide.INVITATION_TEXT, *guide.ACTION_EXAMPLES]
    for text in texts:
        lowered = text.lower()
        for word in FORBIDDEN:
            assert word not in lowered, f"{word!r} in {text!r}"


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
