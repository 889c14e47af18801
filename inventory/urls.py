from django.urls import path

from inventory.views.attestations import AttestationListView, DepartmentAttestationView
from inventory.views.datamap import (
    DataMapExportView,
    DataMapImportView,
    DataMapJobApplyView,
    DataMapJobView,
    DataMapTemplateView,
)
from inventory.views.overview import OverviewView
from inventory.views.systems import (
    HoldingCreateView,
    HoldingDeleteView,
    HoldingUpdateView,
    SystemCreateView,
    SystemDeleteView,
    SystemDetailView,
    SystemListView,
    SystemUpdateView,
)
from inventory.views.taxonomy import CategoryListView, CategoryUpdateView

app_name = "inventory"

urlpatterns = [
    path("", OverviewView.as_view(), name="index"),
    path("systems/", SystemListView.as_view(), name="system-list"),
    path("systems/new/", SystemCreateView.as_view(), name="system-create"),
    path("systems/<int:pk>/", SystemDetailView.as_view(), name="system-detail"),
    path("systems/<int:pk>/edit/", SystemUpdateView.as_view(), name="system-update"),
    path("systems/<int:pk>/delete/", SystemDeleteView.as_view(), name="system-delete"),
    path("systems/<int:pk>/holdings/new/", HoldingCreateView.as_view(), name="holding-create"),
    path("holdings/<int:pk>/edit/", HoldingUpdateView.as_view(), name="holding-update"),
    path("holdings/<int:pk>/delete/", HoldingDeleteView.as_view(), name="holding-delete"),
    path("categories/", CategoryListView.as_view(), name="category-list"),
    path("categories/<int:pk>/edit/", CategoryUpdateView.as_view(), name="category-update"),
    path("attestations/", AttestationListView.as_view(), name="attestation-list"),
    path(
        "attestations/<path:department>/",
        DepartmentAttestationView.as_view(),
        name="attestation-detail",
    ),
    path("import/", DataMapImportView.as_view(), name="datamap-import"),
    path("import/<int:pk>/", DataMapJobView.as_view(), name="datamap-import-job"),
    path("import/<int:pk>/apply", DataMapJobApplyView.as_view(), name="datamap-import-apply"),
    path("import/template.xlsx", DataMapTemplateView.as_view(), name="datamap-template"),
    path("export.<str:fmt>", DataMapExportView.as_view(), name="datamap-export"),
]
