"""What the inventory's views share: department-scoped permission checks on an object."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from inventory.models import DataSystem, Holding
from windown import roles


class DepartmentObjectMixin:
    """Load the URL's system or holding of this wind-down (404 otherwise) and require
    `permission` for its department (403 for a custodian of another department)."""

    model = DataSystem

    def get_object(self, queryset=None):
        if self.model is Holding:
            obj = get_object_or_404(
                Holding.objects.select_related("system", "category"),
                winddown=self.winddown,
                pk=self.kwargs["pk"],
            )
            department = obj.system.department
        else:
            obj = get_object_or_404(DataSystem, winddown=self.winddown, pk=self.kwargs["pk"])
            department = obj.department
        if not roles.can(self.membership, self.permission, department=department):
            raise PermissionDenied
        return obj
