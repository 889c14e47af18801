from django.urls import path

from notices.views import campaigns, exports, notice_templates, public, recipients, requests

app_name = "notices"

urlpatterns = [
    path("", campaigns.CampaignListView.as_view(), name="index"),
    path("campaigns/new/", campaigns.CampaignCreateView.as_view(), name="campaign-create"),
    path("campaigns/<int:pk>/", campaigns.CampaignDetailView.as_view(), name="campaign-detail"),
    path(
        "campaigns/<int:pk>/progress/",
        campaigns.CampaignProgressView.as_view(),
        name="campaign-progress",
    ),
    path(
        "campaigns/<int:pk>/<slug:action>/",
        campaigns.CampaignActionView.as_view(),
        name="campaign-action",
    ),
    path("campaigns/<int:pk>/test-send", campaigns.TestSendView.as_view(), name="test-send"),
    path(
        "campaigns/<int:pk>/deliveries",
        campaigns.DeliveryListView.as_view(),
        name="delivery-list",
    ),
    path(
        "campaigns/<int:pk>/failures.csv",
        campaigns.FailureExportView.as_view(),
        name="failure-export",
    ),
    path(
        "campaigns/<int:pk>/notice/<str:language>/",
        notice_templates.TemplateEditView.as_view(),
        name="template-edit",
    ),
    path(
        "campaigns/<int:pk>/notice/<str:language>/preview",
        notice_templates.PreviewView.as_view(),
        name="template-preview",
    ),
    path(
        "receipt/<str:language>/",
        notice_templates.ReceiptTemplateEditView.as_view(),
        name="receipt-edit",
    ),
    path("recipients/", recipients.RecipientListView.as_view(), name="recipient-list"),
    path("imports/<int:pk>/", recipients.ImportDetailView.as_view(), name="import-detail"),
    path("imports/<int:pk>/confirm", recipients.ImportConfirmView.as_view(), name="import-confirm"),
    path("imports/<int:pk>/start", recipients.ImportStartView.as_view(), name="import-start"),
    path("requests/", requests.RequestQueueView.as_view(), name="request-list"),
    path("requests/<int:pk>/", requests.RequestDetailView.as_view(), name="request-detail"),
    path("requests/<int:pk>/copy/", exports.ExportAttachView.as_view(), name="request-copy"),
    path(
        "requests/<int:pk>/<slug:action>/",
        requests.RequestActionView.as_view(),
        name="request-action",
    ),
    # The customer's side: no account, a signed expiring token.
    path("p/<str:token>/", public.PersonalPageView.as_view(), name="personal-page"),
    path(
        "p/<str:token>/requests/<int:pk>/copy/",
        exports.ExportDownloadView.as_view(),
        name="personal-copy",
    ),
    path("u/<str:token>/", public.UnsubscribeView.as_view(), name="unsubscribe"),
]
