"""Accessibility checks in the browser: axe-core (from node_modules, the version package.json
pins) run on the page as it stands.

`axe_problems(page)` gives one line per serious or critical violation (rule, help, the elements
and what is wrong with each); an empty list means the page passes. The script is evaluated
through the browser's debugging protocol, which the page's Content-Security-Policy does not
govern, so pages are checked under the same policy they are served with (an injected `<script>`
tag would be refused by `script-src 'self'`).
"""

from __future__ import annotations

from django.conf import settings
from playwright.sync_api import Page

AXE = settings.NODE_MODULES / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")

RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""


def _load_axe(page: Page) -> None:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        if not AXE.exists():
            raise AssertionError(f"axe-core is not installed at {AXE}: run `npm ci`")
        page.evaluate(AXE.read_text(encoding="utf-8"))


def axe_violations(page: Page, impacts=FAILING_IMPACTS) -> list[dict]:
    """axe-core's violations on the page now, of the given impacts."""
    _load_axe(page)
    return [v for v in page.evaluate(RUN) if v["impact"] in impacts]


def axe_problems(page: Page, where: str = "") -> list[str]:
    """One readable line per serious or critical violation on the page."""
    where = where or page.url
    lines = []
    for v in axe_violations(page):
        nodes = "; ".join(f"{n['target']} ({n['summary']})" for n in v["nodes"][:5])
        more = f" … and {len(v['nodes']) - 5} more" if len(v["nodes"]) > 5 else ""
        lines.append(f"{where}: [{v['impact']}] {v['id']} — {v['help']}: {nodes}{more}")
    return lines
