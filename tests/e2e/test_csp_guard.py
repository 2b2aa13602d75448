"""The browser tests' Content-Security-Policy guard catches what it should."""

from __future__ import annotations

import pytest

from .conftest import assert_no_csp_violations

pytestmark = pytest.mark.e2e


def test_a_blocked_inline_script_is_recorded(browser, live_app):
    from .conftest import guard_csp

    context = browser.new_context(base_url=live_app.url)
    try:
        seen = guard_csp(context)
        page = context.new_page()
        page.goto("/?lang=en")
        assert_no_csp_violations(seen, page)
        # what a template with an inline <script> would do: the policy refuses it
        page.evaluate("""() => {
            const s = document.createElement('script');
            s.textContent = 'window.__ran = true';
            document.body.appendChild(s);
        }""")
        page.wait_for_timeout(300)
        assert page.evaluate("() => window.__ran === undefined")
        with pytest.raises(AssertionError, match="script-src"):
            assert_no_csp_violations(seen, page)
        assert any("[csp-violation]" in v or "Refused to" in v for v in seen)
    finally:
        context.close()
