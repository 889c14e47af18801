from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from windown import roles, services
from windown.access import WindDownMixin
from windown.forms import InviteForm, RoleChangeForm
from windown.roles import Role
from windown.security.lockout import locked_emails
from windown.selectors import team_of
from windown.views.errors import show_error


class TeamView(WindDownMixin, FormView):
    """List the team; directors invite people from the same page."""

    permission = "team.view"
    template_name = "windown/team.html"
    form_class = InviteForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        members = list(team_of(self.winddown))
        locked = locked_emails([m.user.email for m in members]) if self._manages() else set()
        return {**context, "members": members, "roles": Role.choices, "locked": locked}

    def _manages(self) -> bool:
        return roles.holds(self.membership, "team.manage")

    def post(self, request, *args, **kwargs):
        roles.require(self.membership, "team.manage")  # every member reads, directors invite
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            membership = services.membership_invite(by=self.membership, **form.cleaned_data)
        except ValidationError as error:
            show_error(error, form=form)
            return self.form_invalid(form)
        messages.success(self.request, _("Invitation sent to %s.") % membership.user.email)
        return redirect("windown:team", slug=self.winddown.slug)


class MembershipChangeView(WindDownMixin, View):
    permission = "team.manage"

    def post(self, request, slug, pk):
        target = get_object_or_404(self.winddown.memberships, pk=pk)
        form = RoleChangeForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(form.errors.as_data())
            services.membership_change_role(
                by=self.membership, membership=target, **form.cleaned_data
            )
            messages.success(request, _("Role changed."))
        except ValidationError as error:
            show_error(error, form=form, request=request)
        return redirect("windown:team", slug=slug)


class MembershipRemoveView(WindDownMixin, View):
    permission = "team.manage"

    def post(self, request, slug, pk):
        target = get_object_or_404(self.winddown.memberships, pk=pk)
        try:
            services.membership_remove(by=self.membership, membership=target)
            messages.success(request, _("%s was removed from the team.") % target.user.email)
        except ValidationError as error:
            show_error(error, request=request)
        return redirect("windown:team", slug=slug)
