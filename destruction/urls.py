from django.urls import path

from destruction.views import (
    archives,
    certificates,
    evidence,
    jobs,
    portal,
    processor_public,
    processors,
    vendors,
)
from destruction.views.certificate_bundle import CertificateBundleView

app_name = "destruction"

urlpatterns = [
    path("", jobs.PhaseIndexView.as_view(), name="index"),
    # The auditor's portal: read-only lists and downloads.
    path("auditor/", portal.PortalView.as_view(), name="portal"),
    path("auditor/jobs/", portal.PortalJobListView.as_view(), name="portal-jobs"),
    path("auditor/evidence/", portal.PortalEvidenceListView.as_view(), name="portal-evidence"),
    path(
        "auditor/processor-answers/",
        portal.PortalProcessorAnswerListView.as_view(),
        name="portal-processor-answers",
    ),
    path("auditor/archives/", portal.PortalArchiveListView.as_view(), name="portal-archives"),
    path("jobs/new/", jobs.JobCreateView.as_view(), name="job-create"),
    path("jobs/<int:pk>/", jobs.JobDetailView.as_view(), name="job-detail"),
    path("jobs/<int:pk>/edit/", jobs.JobEditView.as_view(), name="job-edit"),
    path("jobs/<int:pk>/items/", jobs.ItemAddView.as_view(), name="item-add"),
    path(
        "jobs/<int:pk>/items/<int:item_pk>/remove/",
        jobs.ItemRemoveView.as_view(),
        name="item-remove",
    ),
    path("jobs/<int:pk>/handovers/", jobs.HandoverAddView.as_view(), name="handover-add"),
    path("jobs/<int:pk>/perform/", jobs.JobPerformView.as_view(), name="job-perform"),
    path("jobs/<int:pk>/verify/", jobs.JobVerifyView.as_view(), name="job-verify"),
    path(
        "jobs/<int:pk>/vendor-override/",
        vendors.VendorOverrideView.as_view(),
        name="vendor-override",
    ),
    path("jobs/<int:pk>/evidence/", evidence.EvidenceUploadView.as_view(), name="evidence-upload"),
    path(
        "jobs/<int:pk>/evidence/<int:evidence_pk>/",
        evidence.EvidenceDownloadView.as_view(),
        name="evidence-download",
    ),
    path(
        "jobs/<int:pk>/evidence/<int:evidence_pk>/remove/",
        evidence.EvidenceDeleteView.as_view(),
        name="evidence-remove",
    ),
    path(
        "jobs/<int:pk>/certificate/",
        certificates.CertificateIssueView.as_view(),
        name="certificate-issue",
    ),
    path("jobs/<int:pk>/<str:action>/", jobs.JobActionView.as_view(), name="job-action"),
    path("certificates/", certificates.CertificateListView.as_view(), name="certificate-list"),
    path(
        "certificates/issue-verified/",
        certificates.CertificateBulkIssueView.as_view(),
        name="certificate-bulk-issue",
    ),
    path(
        "certificates/<str:serial>/",
        certificates.CertificateDetailView.as_view(),
        name="certificate-detail",
    ),
    path(
        "certificates/<str:serial>/pdf/",
        certificates.CertificateDownloadView.as_view(),
        name="certificate-download",
    ),
    path(
        "certificates/<str:serial>/revoke/",
        certificates.CertificateRevokeView.as_view(),
        name="certificate-revoke",
    ),
    path(
        "certificates/<str:serial>/reissue/",
        certificates.CertificateReissueView.as_view(),
        name="certificate-reissue",
    ),
    path("vendors/new/", vendors.VendorCreateView.as_view(), name="vendor-create"),
    path("vendors/<int:pk>/", vendors.VendorDetailView.as_view(), name="vendor-detail"),
    path(
        "vendors/<int:pk>/certifications/",
        vendors.CertificationAddView.as_view(),
        name="certification-add",
    ),
    path(
        "certifications/<int:pk>/copy/",
        vendors.CertificationDownloadView.as_view(),
        name="certification-download",
    ),
    path("archives/", archives.ArchiveListView.as_view(), name="archive-list"),
    path("archives/upload/", archives.ArchiveUploadView.as_view(), name="archive-upload"),
    path(
        "archives/keys/", archives.CustodianKeyRegisterView.as_view(), name="custodian-key-register"
    ),
    path(
        "archives/keys/<int:pk>/retire/",
        archives.CustodianKeyRetireView.as_view(),
        name="custodian-key-retire",
    ),
    path("archives/<int:pk>/", archives.ArchiveDetailView.as_view(), name="archive-detail"),
    path("archives/<int:pk>/verify/", archives.ArchiveVerifyView.as_view(), name="archive-verify"),
    path(
        "archives/<int:pk>/manifest.json",
        archives.ArchiveManifestView.as_view(),
        name="archive-manifest",
    ),
    path(
        "processor-requests/",
        processors.ProcessorRequestListView.as_view(),
        name="processor-request-list",
    ),
    path(
        "processor-requests/<int:pk>/",
        processors.ProcessorRequestDetailView.as_view(),
        name="processor-request-detail",
    ),
    path(
        "processor-requests/<int:pk>/certificate",
        processors.CertificateDownloadView.as_view(),
        name="processor-certificate",
    ),
    path(
        "processor-requests/<int:pk>/<slug:action>/",
        processors.ProcessorRequestActionView.as_view(),
        name="processor-request-action",
    ),
    path(
        "revocation/<int:pk>/", processors.RevocationRecordView.as_view(), name="revocation-record"
    ),
    # The processor's side: no account, a signed expiring token.
    path(
        "processor-confirm/<str:token>/",
        processor_public.ProcessorConfirmView.as_view(),
        name="processor-confirm",
    ),
    path(
        "certificates/<str:serial>/bundle/",
        CertificateBundleView.as_view(),
        name="certificate-bundle",
    ),
]
