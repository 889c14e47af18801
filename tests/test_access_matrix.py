"""The access matrix: every URL of the URLconf and every operation of the API schema, asked by
each role of the demo wind-down, by each role of another wind-down, and by nobody signed in.

The expected outcome of each is written below, one row per URL name or API operation, and a
person reviews it: it is deliberately NOT derived from `windown.roles.MATRIX` (a wrong grant
there must fail here). A URL added without a row fails `test_every_url_has_a_row` naming it.
Browser URLs are asked with GET (a permission probe: a POST-only view answers 405 to those it
lets in); API operations with their own method and an empty body, each request rolled back.
Every answer must also carry `Cache-Control: no-store`, and every HTML page the
Content-Security-Policy. Marks and arguments: see tests/access_matrix.py. The demo's custodian
is Sales (sales@…).
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse

from tests.access_matrix import (
    COLUMNS,
    ROLES,
    admin_urls,
    api_operations,
    fill,
    header_problems,
    missing_and_extra,
    outcome,
    probe,
    read_table,
    url_names,
)

UI = read_table(
    """
    director legal it support custodian auditor other anon
    home                                                                            x x x x x x x x
    login                                                                           x x x x x x x x
    logout                                                                          x x x x x x x x
    password_change                                                                 x x x x x x x L
    password_change_done                                                            x x x x x x x L
    password_reset                                                                  x x x x x x x x
    password_reset_done                                                             x x x x x x x x
    password_reset_confirm                 uidb64=MQ token=set-password             x x x x x x x x
    password_reset_complete                                                         x x x x x x x x
    second-factor-enrol                                                             x x x x x x x L
    second-factor-verify                                                            x x x x x x x L
    set_language                                                                    x x x x x x x x
    windown:winddown-list                                                           x x x x x x x L
    windown:winddown-create                                                         x x x x x x x L
    dashboard:home                                                                  x x x x x x - L
    windown:winddown-settings                                                       x . . . . . - L
    windown:team                                                                    x x x x x x - L
    windown:membership-change              pk=@Membership[role=legal]               x . . . . . - L
    windown:membership-remove              pk=@Membership[role=legal]               x . . . . . - L
    windown:membership-unlock              pk=@Membership[role=legal]               x . . . . . - L
    windown:audit-trail                                                             x x . . . x - L
    windown:audit-export                   fmt=csv                                  x x . . . x - L
    destruction:portal                                                              x x x . . x - L
    destruction:portal-jobs                                                         x x x . . x - L
    destruction:portal-evidence                                                     x x x . . x - L
    destruction:portal-processor-answers                                            x x x . . x - L
    destruction:portal-archives                                                     x x x . . x - L
    notices:import-start                   pk=999999                                x . . x . . - L
    dashboard:live                                                                  x x x x x x - L
    dashboard:progress-report                                                       x x x x x x - L
    destruction:certificate-list                                                    x x x . . x - L
    destruction:certificate-detail         serial=$certificate                      x x x . . x - L
    destruction:certificate-download       serial=$certificate                      x x x . . x - L
    destruction:certificate-bundle         serial=$certificate                      x x x . . x - L
    verify:verify                                                                   x x x x x x x x
    verify:serial                          serial=$certificate                      x x x x x x x x
    destruction:certificate-issue          pk=@DestructionJob                       x . x . . . - L
    destruction:certificate-bulk-issue                                              x . x . . . - L
    destruction:certificate-revoke         serial=$certificate                      x . . . . . - L
    destruction:certificate-reissue        serial=$certificate                      x . x . . . - L
    notices:request-copy                 pk=@SubjectRequest                       . . . x . . - L
    notices:personal-copy                token=$personal pk=0                     - - - - - - - -
    windown:webhook-list                                                            x . . . . . - L
    windown:webhook-detail                 pk=@WebhookEndpoint                      x . . . . . - L
    windown:webhook-rotate                 pk=@WebhookEndpoint                      x . . . . . - L
    windown:webhook-resend  pk=@WebhookEndpoint delivery_pk=@WebhookDelivery        x . . . . . - L
    windown:checkpoint-list                                                         x x . . . x - L
    windown:checkpoint-archive                                                      x x . . . x - L
    windown:checkpoint-download            tree_size=$tree_size                     x x . . . x - L
    inventory:index                                                                 x x x x x x - L
    inventory:system-list                                                           x x x x x x - L
    inventory:system-create                                                         x x x . x . - L
    inventory:system-detail                pk=$sales_system                         x x x x x x - L
    inventory:system-update                pk=$sales_system                         x x x . x . - L
    inventory:system-delete                pk=$sales_system                         x x x . x . - L
    inventory:holding-create               pk=$sales_system                         x x x . x . - L
    inventory:holding-update               pk=$sales_holding                        x x x . x . - L
    inventory:holding-delete               pk=$sales_holding                        x x x . x . - L
    inventory:category-list                                                         x x x x x x - L
    inventory:category-update              pk=@DataCategory                         . x . . . . - L
    inventory:attestation-list                                                      x x x x x x - L
    inventory:attestation-detail           department=Sales                         x x x x x x - L
    inventory:datamap-import                                                        x x x . x . - L
    inventory:datamap-template                                                      x x x x x x - L
    inventory:datamap-import-job           pk=999999                                - - - . - . - L
    inventory:datamap-import-apply         pk=999999                                x x x . x . - L
    inventory:datamap-export               fmt=csv                                  x x x x x x - L
    compliance:index                                                                x x x x x x - L
    compliance:evaluate                                                             . x . . . . - L
    compliance:decision-list                                                        x x x x x x - L
    compliance:decision-detail             pk=@Decision                             x x x x x x - L
    compliance:decision-action             pk=@Decision action=approve              . x . . . . - L
    compliance:review                                                               . x . . . . - L
    compliance:review-approve-group                                                 . x . . . . - L
    compliance:schedule-export             fmt=csv                                  x x x x x x - L
    compliance:schedule-pdf                pk=999999                                - - - - - - - L
    compliance:hold-list                                                            x x x x x x - L
    compliance:hold-detail                 pk=@LegalHold                            x x x x x x - L
    compliance:hold-release                pk=@LegalHold                            . x . . . . - L
    compliance:matter-list                                                          x x x x x x - L
    compliance:matter-import                                                        . x . x . . - L
    compliance:matter-detail               pk=@OpenMatter                           x x x x x x - L
    compliance:matter-resolve              pk=@OpenMatter                           . x . x . . - L
    compliance:ruleset-list                                                         x x x x x x - L
    compliance:ruleset-detail              pk=@Ruleset                              x x x x x x - L
    compliance:ruleset-publish             pk=@Ruleset                              . x . . . . - L
    compliance:rule-edit                   pk=@Rule                                 . x . . . . - L
    notices:index                                                                   x x . x . x - L
    notices:campaign-create                                                         x . . x . . - L
    notices:campaign-detail                pk=@Campaign                             x x . x . x - L
    notices:campaign-progress              pk=@Campaign                             x x . x . x - L
    notices:campaign-action                pk=@Campaign action=pause                x . . x . . - L
    notices:test-send                      pk=@Campaign                             x . . x . . - L
    notices:delivery-list                  pk=@Campaign                             x x . x . x - L
    notices:failure-export                 pk=@Campaign                             x x . x . x - L
    notices:template-edit                  pk=@Campaign language=en                 x . . x . . - L
    notices:template-preview               pk=@Campaign language=en                 x x . x . x - L
    notices:receipt-edit                   language=en                              x . . x . . - L
    notices:recipient-list                                                          x x . x . x - L
    notices:import-detail                  pk=999999                                - - . - . - - L
    notices:import-confirm                 pk=999999                                x . . x . . - L
    notices:request-list                                                            x x . x . x - L
    notices:request-detail                 pk=@SubjectRequest                       x x . x . x - L
    notices:request-action                 pk=@SubjectRequest action=resolve        . . . x . . - L
    notices:personal-page                  token=$personal                          x x x x x x x x
    notices:unsubscribe                    token=$unsubscribe                       x x x x x x x x
    destruction:index                                                               x x x . . x - L
    destruction:job-create                                                          . . x . . . - L
    destruction:job-detail                 pk=@DestructionJob                       x x x . . x - L
    destruction:job-edit                   pk=@DestructionJob                       . . x . . . - L
    destruction:item-add                   pk=@DestructionJob                       . . x . . . - L
    destruction:item-remove                pk=$item_job item_pk=@JobItem            . . x . . . - L
    destruction:handover-add               pk=@DestructionJob                       . . x . . . - L
    destruction:job-perform                pk=@DestructionJob                       . . x . . . - L
    destruction:job-verify                 pk=@DestructionJob                       . . x . . . - L
    destruction:vendor-override            pk=@DestructionJob                       x . . . . . - L
    destruction:evidence-upload            pk=@DestructionJob                       . . x . . . - L
    destruction:evidence-download          pk=$evidence_job evidence_pk=@Evidence   x x x . . x - L
    destruction:evidence-remove            pk=$evidence_job evidence_pk=@Evidence   . . x . . . - L
    destruction:job-action                 pk=@DestructionJob action=cancel         . . x . . . - L
    destruction:vendor-create                                                       . . x . . . - L
    destruction:vendor-detail              pk=@Vendor                               x x x . . x - L
    destruction:certification-add          pk=@Vendor                               . . x . . . - L
    destruction:certification-download     pk=@VendorCertification                  x x x . . x - L
    destruction:archive-list                                                        x x x . . x - L
    destruction:archive-upload                                                      . . x . . . - L
    destruction:custodian-key-register                                              x . x . . . - L
    destruction:custodian-key-retire       pk=@CustodianKey                         x . x . . . - L
    destruction:archive-detail             pk=@Archive                              x x x . . x - L
    destruction:archive-verify             pk=@Archive                              . . x . . . - L
    destruction:archive-manifest           pk=@Archive                              x x x . . x - L
    destruction:processor-request-list                                              x x x . . x - L
    destruction:processor-request-detail   pk=@ProcessorRequest                     x x x . . x - L
    destruction:processor-certificate      pk=@ProcessorRequest                     - - - . . - - L
    destruction:processor-request-action   pk=@ProcessorRequest action=cancel       x . x . . . - L
    destruction:revocation-record          pk=@RevocationItem                       x . x . . . - L
    destruction:processor-confirm          token=$processor                         x x x x x x x x
    api-token                                                                       x x x x x x x x
    winddown-list                                                                   x x x x x x x .
    winddown-detail                                                                 x x x x x x - .
    winddown-status                                                                 x x x x x x x .
    api-root                                                                        x x x x x x x .
    api-schema                                                                      x x x x x x x x
    api-docs                                                                        x x x x x x x x
    admin:login                                                                     x x x x x x x x
    admin:logout                                                                    x x x x x x x x
    admin:*                                                                         L L L L L L L L
    """
)

API = read_table(
    """
    director legal it support custodian auditor other anon
    POST /api/v1/auth/token/                                                      x x x x x x x x
    GET /api/v1/winddowns/                                                        x x x x x x x .
    POST /api/v1/winddowns/                                                       x x x x x x x .
    GET /api/v1/winddowns/{slug}/                                                 x x x x x x - .
    PATCH /api/v1/winddowns/{slug}/                                               x . . . . . - .
    POST /api/v1/winddowns/{slug}/status/                                         x . . . . . - .
    GET ~/attestations/                                                           x x x x x x - .
    GET ~/certificates/                                                           x x x . . x - .
    POST ~/certificates/                                                          x . x . . . - .
    GET ~/certificates/{serial}/                       serial=$certificate        x x x . . x - .
    GET ~/certificates/{serial}/pdf/                   serial=$certificate        x x x . . x - .
    GET ~/certificates/{serial}/bundle/                serial=$certificate        x x x . . x - .
    # IT re-issues only a certificate the director has revoked; this one is in force
    POST ~/certificates/{serial}/reissue/              serial=$certificate        x . . . . . - .
    POST ~/certificates/{serial}/revoke/               serial=$certificate        x . . . . . - .
    GET ~/webhook-endpoints/                                                      x . . . . . - .
    POST ~/webhook-endpoints/                                                     x . . . . . - .
    GET ~/webhook-endpoints/{id}/                      id=@WebhookEndpoint        x . . . . . - .
    PATCH ~/webhook-endpoints/{id}/                    id=@WebhookEndpoint        x . . . . . - .
    GET ~/webhook-endpoints/{id}/deliveries/           id=@WebhookEndpoint        x . . . . . - .
    POST ~/webhook-endpoints/{id}/rotate-secret/       id=@WebhookEndpoint        x . . . . . - .
    GET ~/webhook-deliveries/{id}/                     id=@WebhookDelivery        x . . . . . - .
    POST ~/webhook-deliveries/{id}/resend/             id=@WebhookDelivery        x . . . . . - .
    POST ~/attestations/                                                          . . . . x . - .
    GET ~/audit-checkpoints/                                                      x x . . . x - .
    GET ~/audit-checkpoints/archive/                                              x x . . . x - .
    GET ~/audit-checkpoints/{tree_size}/               tree_size=$tree_size       x x . . . x - .
    GET ~/audit-checkpoints/{tree_size}/text/          tree_size=$tree_size       x x . . . x - .
    GET ~/audit-events/                                                           x x . . . x - .
    GET ~/audit-events/verify/                                                    x x . . . x - .
    GET ~/audit-events/{seq}/                          seq=$seq                   x x . . . x - .
    GET ~/audit-events/{seq}/inclusion-proof/          seq=$seq                   x x . . . x - .
    GET ~/categories/                                                             x x x x x x - .
    GET ~/categories/{id}/                             id=@DataCategory           x x x x x x - .
    PATCH ~/categories/{id}/                           id=@DataCategory           . x . . . . - .
    GET ~/datamap/export/                                                         x x x x x x - .
    POST ~/datamap/import/                                                        x x x . x . - .
    GET ~/datamap/imports/                                                        x x x . x . - .
    GET ~/datamap/imports/{id}/                   id=999999                       - - - . - . - .
    POST ~/datamap/imports/{id}/apply/            id=999999                       - - - . - . - .
    GET ~/decisions/                                                              x x x x x x - .
    POST ~/decisions/approve-group/                                               . x . . . . - .
    GET ~/decisions/{id}/                              id=@Decision               x x x x x x - .
    POST ~/decisions/{id}/approve/                     id=@Decision               . x . . . . - .
    POST ~/decisions/{id}/override/                    id=@Decision               . x . . . . - .
    POST ~/decisions/{id}/reject/                      id=@Decision               . x . . . . - .
    POST ~/decisions/{id}/second-approve/              id=@Decision               . x . . . . - .
    GET ~/destruction/archives/                                                   x x x . . x - .
    POST ~/destruction/archives/                                                  . . x . . . - .
    GET ~/destruction/archives/due/                                               x x x . . x - .
    GET ~/destruction/archives/{id}/                   id=@Archive                x x x . . x - .
    POST ~/destruction/archives/{id}/verify/           id=@Archive                . . x . . . - .
    GET ~/destruction/custodian-keys/                                             x x x . . x - .
    POST ~/destruction/custodian-keys/                                            x . x . . . - .
    GET ~/destruction/custodian-keys/{id}/             id=@CustodianKey           x x x . . x - .
    POST ~/destruction/custodian-keys/{id}/retire/     id=@CustodianKey           x . x . . . - .
    GET ~/destruction/jobs/                                                       x x x . . x - .
    POST ~/destruction/jobs/                                                      . . x . . . - .
    GET ~/destruction/jobs/{id}/                       id=@DestructionJob         x x x . . x - .
    POST ~/destruction/jobs/{id}/cancel/               id=@DestructionJob         . . x . . . - .
    POST ~/destruction/jobs/{id}/certify/              id=@DestructionJob         x . x . . . - .
    GET ~/destruction/jobs/{id}/evidence/              id=@DestructionJob         x x x . . x - .
    POST ~/destruction/jobs/{id}/evidence/             id=@DestructionJob         . . x . . . - .
    POST ~/destruction/jobs/{id}/fail/                 id=@DestructionJob         . . x . . . - .
    GET ~/destruction/jobs/{id}/gates/                 id=@DestructionJob         x x x . . x - .
    POST ~/destruction/jobs/{id}/handovers/            id=@DestructionJob         . . x . . . - .
    POST ~/destruction/jobs/{id}/items/                id=@DestructionJob         . . x . . . - .
    POST ~/destruction/jobs/{id}/perform/              id=@DestructionJob         . . x . . . - .
    POST ~/destruction/jobs/{id}/schedule/             id=@DestructionJob         . . x . . . - .
    POST ~/destruction/jobs/{id}/vendor-override/      id=@DestructionJob         x . . . . . - .
    POST ~/destruction/jobs/{id}/verify/               id=@DestructionJob         . . x . . . - .
    GET ~/destruction/processor-requests/                                         x x x . . x - .
    POST ~/destruction/processor-requests/                                        x . x . . . - .
    GET ~/destruction/processor-requests/{id}/         id=@ProcessorRequest       x x x . . x - .
    PATCH ~/destruction/processor-requests/{id}/       id=@ProcessorRequest       x . x . . . - .
    POST ~/destruction/processor-requests/{id}/cancel/ id=@ProcessorRequest       x . x . . . - .
    POST ~/destruction/processor-requests/{id}/send/   id=@ProcessorRequest       x . x . . . - .
    GET ~/destruction/revocation-items/                                           x x x . . x - .
    GET ~/destruction/revocation-items/{id}/           id=@RevocationItem         x x x . . x - .
    POST ~/destruction/revocation-items/{id}/record/   id=@RevocationItem         x . x . . . - .
    GET ~/destruction/vendors/                                                    x x x . . x - .
    POST ~/destruction/vendors/                                                   . . x . . . - .
    GET ~/destruction/vendors/{id}/                    id=@Vendor                 x x x . . x - .
    POST ~/destruction/vendors/{id}/certifications/    id=@Vendor                 . . x . . . - .
    GET ~/holdings/                                                               x x x x x x - .
    POST ~/holdings/                                                              x x x . x . - .
    DELETE ~/holdings/{id}/                            id=$sales_holding          x x x . x . - .
    GET ~/holdings/{id}/                               id=$sales_holding          x x x x x x - .
    PATCH ~/holdings/{id}/                             id=$sales_holding          x x x . x . - .
    GET ~/legal-holds/                                                            x x x x x x - .
    POST ~/legal-holds/                                                           . x . . . . - .
    GET ~/legal-holds/{id}/                            id=@LegalHold              x x x x x x - .
    POST ~/legal-holds/{id}/release/                   id=@LegalHold              . x . . . . - .
    GET ~/memberships/                                                            x x x x x x - .
    POST ~/memberships/                                                           x . . . . . - .
    DELETE ~/memberships/{id}/                         id=@Membership[role=legal] x . . . . . - .
    GET ~/memberships/{id}/                            id=@Membership[role=legal] x x x x x x - .
    PATCH ~/memberships/{id}/                          id=@Membership[role=legal] x . . . . . - .
    GET ~/notices/campaigns/                                                      x x . x . x - .
    POST ~/notices/campaigns/                                                     x . . x . . - .
    GET ~/notices/campaigns/{id}/                      id=@Campaign               x x . x . x - .
    PATCH ~/notices/campaigns/{id}/                    id=@Campaign               x . . x . . - .
    PUT ~/notices/campaigns/{id}/                      id=@Campaign               x . . x . . - .
    POST ~/notices/campaigns/{id}/cancel/              id=@Campaign               x . . x . . - .
    GET ~/notices/campaigns/{id}/deliveries/           id=@Campaign               x x . x . x - .
    PUT ~/notices/campaigns/{id}/notice/               id=@Campaign               x . . x . . - .
    POST ~/notices/campaigns/{id}/pause/               id=@Campaign               x . . x . . - .
    POST ~/notices/campaigns/{id}/resume/              id=@Campaign               x . . x . . - .
    POST ~/notices/campaigns/{id}/schedule/            id=@Campaign               x . . x . . - .
    POST ~/notices/campaigns/{id}/start/               id=@Campaign               x . . x . . - .
    GET ~/notices/campaigns/{id}/status/               id=@Campaign               x x . x . x - .
    GET ~/notices/imports/                                                        x x . x . x - .
    GET ~/notices/imports/{id}/                        id=999999                  - - . - . - - .
    POST ~/notices/imports/{id}/confirm-skip-invalid/  id=999999                  - . . - . . - .
    GET ~/notices/recipients/                                                     x x . x . x - .
    POST ~/notices/recipients/import/                                             x . . x . . - .
    GET ~/notices/recipients/{id}/                     id=@Recipient              x x . x . x - .
    GET ~/notices/requests/                                                       x x . x . x - .
    GET ~/notices/requests/{id}/                       id=@SubjectRequest         x x . x . x - .
    POST ~/notices/requests/{id}/assign/               id=@SubjectRequest         . . . x . . - .
    POST ~/notices/requests/{id}/reply/                id=@SubjectRequest         . . . x . . - .
    POST ~/notices/requests/{id}/resolve/              id=@SubjectRequest         . . . x . . - .
    GET ~/open-matters/                                                           x x x x x x - .
    POST ~/open-matters/                                                          . x . x . . - .
    POST ~/open-matters/import/                                                   . x . x . . - .
    GET ~/open-matters/{id}/                           id=@OpenMatter             x x x x x x - .
    POST ~/open-matters/{id}/resolve/                  id=@OpenMatter             . x . x . . - .
    GET ~/rules/                                                                  x x x x x x - .
    GET ~/rules/{id}/                                  id=@Rule                   x x x x x x - .
    PATCH ~/rules/{id}/                                id=@Rule                   . x . . . . - .
    GET ~/rulesets/                                                               x x x x x x - .
    GET ~/rulesets/{id}/                               id=@Ruleset                x x x x x x - .
    POST ~/rulesets/{id}/publish/                      id=@Ruleset                . x . . . . - .
    GET ~/systems/                                                                x x x x x x - .
    POST ~/systems/                                                               x x x . x . - .
    DELETE ~/systems/{id}/                             id=$probe_system           x x x . x . - .
    GET ~/systems/{id}/                                id=$sales_system           x x x x x x - .
    PATCH ~/systems/{id}/                              id=$sales_system           x x x . x . - .
    POST ~/systems/{id}/status/                        id=$sales_system           x x x . x . - .
    """
)


def _webhook_with_a_delivery(demo):
    """A partner endpoint and one delivery to it, so the webhook pages have objects to show."""
    from compliance.models import Decision
    from windown.audit import audit_record
    from windown.models import Membership
    from windown.webhooks.services.endpoints import endpoint_create

    director = Membership.objects.get(winddown=demo, role="director")
    endpoint_create(by=director, url="https://partner.example/hooks", events=["decision.approved"])
    audit_record(
        winddown=demo,
        actor=director.user,
        action="compliance.decision_approved",
        obj=Decision.objects.filter(winddown=demo, status="approved").first(),
        payload={},
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory, signing_ca_dir):
    """The demo wind-down (every kind of object) and another one, each with every role."""
    from windown.checkpoints.services import checkpoint_sign
    from windown.demo.core import SLUG
    from windown.models import Membership, WindDown
    from windown.tests.factories import MembershipFactory, make_winddown

    folder = tmp_path_factory.mktemp("matrix")
    files = override_settings(
        MEDIA_ROOT=str(folder / "media"),
        WINDOWN_DEMO_DIR=folder / "demo",
        WINDOWN_SIGNING_DIR=signing_ca_dir,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    # one transaction for the module, rolled back at its end (each test's own nests inside it):
    # flushing instead would also empty what migrations put in (beat's periodic tasks)
    with django_db_blocker.unblock(), files, transaction.atomic():
        call_command("load_demo", force=True, stdout=StringIO())
        demo = WindDown.objects.get(slug=SLUG)
        checkpoint_sign(winddown=demo)
        probe_system = demo.data_systems.filter(department="Sales").first()
        probe_system.pk = None
        probe_system.name = "Probe system"
        probe_system.save()
        _webhook_with_a_delivery(demo)
        other = make_winddown(slug="other-co", company_legal_name="Other Co")
        for role in ROLES[1:]:
            MembershipFactory(winddown=other, role=role, department="Sales")
        people = {}
        for tenant, label in ((demo, "own"), (other, "other")):
            for role in ROLES:
                membership = Membership.objects.filter(winddown=tenant, role=role)
                if role == "custodian" and tenant == demo:
                    membership = membership.filter(department="Sales")
                client = Client()
                client.force_login(membership.order_by("pk").first().user)
                people[(label, role)] = client
        yield demo, people, folder / "media"
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def demo_files(request, settings):
    """The demo's stored files (evidence, certificates) stay where load_demo wrote them."""
    if "world" in request.fixturenames:
        settings.MEDIA_ROOT = str(request.getfixturevalue("world")[2])


def test_every_url_has_a_row():
    problem = missing_and_extra(UI, url_names())
    assert not problem, f"Browser URLs: {problem}"


def test_every_api_operation_has_a_row():
    problem = missing_and_extra(API, api_operations())
    assert not problem, f"API operations: {problem}"


def ui_url(row, demo):
    """The row's URL; a pattern under /w/<slug>/ gets the demo wind-down's slug."""
    args = fill(row.args, demo)
    try:
        return reverse(row.key, kwargs=args or None)
    except NoReverseMatch:
        return reverse(row.key, kwargs={"slug": demo.slug, **args})


def api_url(row, demo):
    path = row.key.split(" ", 1)[1]
    values = {"slug": demo.slug, "winddown_slug": demo.slug, **fill(row.args, demo)}
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    return path


def check(row, demo, people, method, url, api, columns=COLUMNS):
    wrong, headers = [], []
    observed = dict.fromkeys(COLUMNS, "(not asked)")
    for column in columns:
        if column == "anon":
            askers = [Client()]
        elif column == "other":
            askers = [people[("other", role)] for role in ROLES]
        else:
            askers = [people[("own", column)]]
        marks = set()
        for client in askers:
            response = probe(client, method, url, api=api)
            marks.add(outcome(response))
            headers += [f"{column}: {p}" for p in header_problems(response)]
        observed[column] = "/".join(sorted(marks))
        if marks != {row.marks[column]}:
            wrong.append(f"{column}: expected {row.marks[column]}, got {observed[column]}")
    shown = "  ".join(observed[c] for c in COLUMNS)
    assert not wrong, f"{row.key} ({url}): {'; '.join(wrong)}\n  observed: {shown}"
    assert not headers, f"{row.key} ({url}): {'; '.join(headers)}"


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(UI))
def test_each_browser_url_answers_each_asker_as_the_table_says(world, key):
    demo, people, _media = world
    row = UI[key]
    if key != "admin:*":
        check(row, demo, people, "get", ui_url(row, demo), api=False)
        return
    # the admin is for staff, which no member is: every asker on its index, then every admin
    # URL asked by the demo's director and by nobody
    check(row, demo, people, "get", "/admin/", api=False)
    for url in admin_urls():
        check(row, demo, people, "get", url, api=False, columns=["director", "anon"])


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(API))
def test_each_api_operation_answers_each_asker_as_the_table_says(world, key):
    demo, people, _media = world
    row = API[key]
    method = row.key.split(" ", 1)[0].lower()
    check(row, demo, people, method, api_url(row, demo), api=True)


def test_a_url_without_a_row_fails_naming_it():
    table = read_table(
        "director legal it support custodian auditor other anon\nhome x x x x x x x x"
    )
    problem = missing_and_extra(table, {"home", "verify:certificate", "auditor:portal"})
    assert "['auditor:portal', 'verify:certificate']" in problem
    assert not missing_and_extra(table, {"home"})
