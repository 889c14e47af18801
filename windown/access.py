"""Wind-down scoped access for views: resolve the member's wind-down and check the role matrix."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from windown import roles
from windown.selectors import membership_for


class WindDownMixin(LoginRequiredMixin):
    """Resolve `slug` to the user's membership (404 for non-members), then require `permission`.

    A view may set `permission_department` (a method returning the object's department) when
    the permission is department-scoped.
    """

    permission = "winddown.view"

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.membership = membership_for(request.user, kwargs["slug"])
        self.winddown = self.membership.winddown
        request.membership = self.membership
        if not roles.holds(self.membership, self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(winddown=self.winddown, membership=self.membership)
        return context
