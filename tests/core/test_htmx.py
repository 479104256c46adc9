"""The one helper that decides between a whole page and an htmx fragment."""

from __future__ import annotations

import pytest

from steungroep.core.htmx import is_fragment_request

from .. import factories as f


@pytest.mark.parametrize(
    ("headers", "fragment"),
    [
        ({}, False),
        ({"HX-Request": "true"}, True),
        ({"HX-Request": "true", "HX-Boosted": "true"}, False),  # boosted: the whole page
    ],
)
def test_fragment_only_for_plain_htmx_requests(app, headers, fragment):
    """htmx swaps get the fragment; normal and boosted requests get the whole page."""
    with app.test_request_context("/", headers=headers):
        assert is_fragment_request() is fragment


def test_group_panel_is_rendered_alone_for_htmx(client, world, login):
    """The group page answers an htmx request with the panel template only."""
    case = f.case_at(world, "groep")
    login(world.teacher)
    page = client.get(f"/zaken/{case.id}/groep").get_data(as_text=True)
    panel = client.get(f"/zaken/{case.id}/groep", headers={"HX-Request": "true"})
    assert "<html" in page and 'id="group-panel"' in page
    text = panel.get_data(as_text=True)
    assert "<html" not in text and text.lstrip().startswith('<div id="group-panel"')
