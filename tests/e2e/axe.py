"""Run axe-core in a Playwright page and fail on serious or critical violations.

axe.min.js comes from the ``axe-playwright-python`` package (test extra), which ships it;
it is injected with ``page.evaluate`` so a Content-Security-Policy cannot block it.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

BLOCKING = ("serious", "critical")


@cache
def axe_source() -> str:
    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page, impacts=BLOCKING) -> list[dict]:
    """axe's violations on the page as it is now, of the given impacts."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    results = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in results["violations"] if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} "
                     f"({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['html'][:160]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """No serious or critical axe-core violation on the page (and, in a context the fixtures
    watch, no Content-Security-Policy violation either)."""
    from .conftest import assert_no_csp_violations

    assert_no_csp_violations(getattr(page.context, "csp_violations", []), page)
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}:\n{describe(violations)}"
