"""The dashboard page: the phases' panels, each shown to the roles that may view its phase."""

from django.urls import reverse

from destruction.services import jobs as job_service
from windown.roles import Role


def _dashboard(client, slug="acme"):
    return client.get(reverse("dashboard:home", kwargs={"slug": slug}))


def test_the_director_sees_a_panel_per_phase_in_phase_order(client_for, director):
    response = _dashboard(client_for(director))
    assert response.status_code == 200
    assert [p["template"] for p in response.context["dashboard_panels"]] == [
        "inventory/_dashboard_panel.html",
        "compliance/_dashboard_panel.html",
        "notices/_dashboard_panel.html",
        "destruction/_dashboard_panel.html",
        "windown/webhooks/_dashboard_panel.html",
    ]


def test_the_destruction_panel_counts_jobs_by_status(client_for, director, member):
    it = member(Role.IT)
    job_service.job_create(by=it, title="Wipe laptops")
    job_service.job_create(by=it, title="Delete order data")
    response = _dashboard(client_for(director))
    (panel,) = [
        p
        for p in response.context["dashboard_panels"]
        if p["template"] == "destruction/_dashboard_panel.html"
    ]
    assert panel["total_jobs"] == 2
    assert dict(panel["jobs"])["Planned"] == 2
    assert "Planned 2" in response.content.decode()


def test_a_panel_is_left_out_for_a_role_that_may_not_view_its_phase(client_for, member):
    support = member(Role.SUPPORT)
    templates = [p["template"] for p in _dashboard(client_for(support)).context["dashboard_panels"]]
    assert "destruction/_dashboard_panel.html" not in templates


def test_another_wind_downs_member_cannot_open_the_dashboard(client_for, director, other_winddown):
    assert _dashboard(client_for(director), slug=other_winddown.slug).status_code in (403, 404)
