"""Wind-down scoping for API views: the same membership lookup and role matrix as the UI."""

from __future__ import annotations

from rest_framework.exceptions import PermissionDenied

from windown import roles
from windown.selectors import membership_for


class WindDownScopedMixin:
    """Resolve `winddown_slug` to the caller's membership (404 for non-members) and check the
    permission named for the current action in `permissions` (`"read"` covers list/retrieve,
    `"write"` every other action, unless the action is named itself)."""

    permissions: dict[str, str] = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.membership = membership_for(request.user, kwargs["winddown_slug"])
        self.winddown = self.membership.winddown
        if self.action is None:
            return  # a method no action takes: answered 405 before anything is read
        perm = self.permission_for(self.action)
        if not roles.holds(self.membership, perm):
            raise PermissionDenied(roles.refusal(self.membership, perm))

    def permission_for(self, action: str | None) -> str:
        if action in self.permissions:
            return self.permissions[action]
        # OPTIONS ("metadata") describes the view: reading it needs the read permission.
        if action in ("list", "retrieve", "metadata", None):
            return self.permissions["read"]
        if "write" not in self.permissions:  # a read-only view has no other action
            raise PermissionDenied("This resource is read-only.")
        return self.permissions["write"]

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["membership"] = getattr(self, "membership", None)
        return context
