"""At 1366 px, the widest pages fit the window and the team page's role menus show whole names."""

import pytest
from django.core.management import call_command

from windown.models import Membership
from windown.tests.fixtures import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "lumen-electronics"


@pytest.fixture
def demo(signing_ca, transactional_db):
    """Loaded before the browser starts: signing the demo's certificates runs its own asyncio
    loop, which cannot start inside Playwright's."""
    call_command("load_demo", force=True)


def test_the_audit_trail_and_team_pages_fit_a_1366_px_window(demo, browser_page):
    director = Membership.objects.get(winddown__slug=SLUG, role="director")
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, director.user.email, "windown-demo-2026")
    for path in ("audit/", "team/", ""):
        page.goto(f"{page.base_url}/w/{SLUG}/{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1366, f"/{path} is {width} px wide"
    page.goto(f"{page.base_url}/w/{SLUG}/team/")
    cut = page.evaluate(
        """() => [...document.querySelectorAll('.inline-form select')].filter(select => {
            const probe = document.createElement('span');
            probe.style.font = getComputedStyle(select).font;
            probe.textContent = select.options[select.selectedIndex].text;
            document.body.appendChild(probe);
            const needed = probe.getBoundingClientRect().width;
            probe.remove();
            return needed > select.clientWidth - 16;
        }).map(select => select.options[select.selectedIndex].text)"""
    )
    assert cut == [], f"role names cut off: {cut}"
