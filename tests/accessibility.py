"""Accessibility (WCAG 2.1 AA) checked by axe-core inside the browser tests: pinned in
package.json, served to the page from the same origin by Playwright (so the app's
Content-Security-Policy lets it run, and the CSP stays on while it is checked). A page fails
on any serious or critical violation, and on a missing level-one heading."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "/__axe-core.js"  # never a route of the app: Playwright answers it
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = {"serious", "critical"}
ALSO = {"page-has-heading-one"}

_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def _serve_axe(context) -> None:
    if getattr(context, "_axe_served", False):
        return
    assert AXE.is_file(), f"{AXE} is missing: run `make deps` (npm ci)"
    context.route(f"**{AXE_PATH}", lambda route: route.fulfill(
        path=str(AXE), content_type="application/javascript"))
    context._axe_served = True


def violations(page) -> list[dict]:
    """The serious and critical violations (and a missing h1) on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        _serve_axe(page.context)
        page.add_script_tag(url=AXE_PATH)
    found = page.evaluate(_RUN, TAGS)
    return [v for v in found if v["impact"] in BLOCKING or v["id"] in ALSO]


def describe(url: str, found: list[dict]) -> list[str]:
    return [f"{url}: {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}" for v in found]


def assert_accessible(page) -> None:
    found = violations(page)
    assert found == [], "\n".join(describe(page.url, found))
