"""Pages and endpoints of access hardening: two-factor enrolment and verification, unlocking a
member, and the API token endpoint (lockout and second factor applied)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_otp import login as otp_login
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from windown.access import WindDownMixin
from windown.security import second_factor as factor
from windown.security.lockout import locked_out_response, login_unlock


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if safe and target.startswith("/") else "/"


class SecondFactorVerifyView(LoginRequiredMixin, View):
    """Ask a person with an authenticator for its current code after the password."""

    def get(self, request):
        return self._page(request, CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            device = factor.matching_device(request.user, form.cleaned_data["code"])
            if device is not None:
                otp_login(request, device)
                return redirect(_next(request))
            form.add_error("code", _("That code is not valid. Wait for the next one and retry."))
        return self._page(request, form, status=400)

    def _page(self, request, form, status=200):
        if not factor.has_second_factor(request.user):
            return redirect(f"{reverse('second-factor-enrol')}?next={_next(request)}")
        context = {"form": form, "next": _next(request)}
        return render(request, "registration/second_factor_verify.html", context, status=status)


class SecondFactorEnrolView(LoginRequiredMixin, View):
    """Show a QR code of a new TOTP key and confirm it with a code from the app."""

    def get(self, request):
        return self._page(request, CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        device = factor.enrolment_device(request.user)
        if form.is_valid() and factor.second_factor_enrol(
            user=request.user, device=device, code=form.cleaned_data["code"]
        ):
            otp_login(request, device)
            messages.success(request, _("Two-factor sign-in is on for your account."))
            return redirect(_next(request))
        form.add_error("code", _("That code is not valid. Wait for the next one and retry."))
        return self._page(request, form, status=400)

    def _page(self, request, form, status=200):
        if factor.has_second_factor(request.user) and not request.user.is_verified():
            return redirect(f"{reverse('second-factor-verify')}?next={_next(request)}")
        device = factor.enrolment_device(request.user)
        context = {
            "form": form,
            "next": _next(request),
            "qr": factor.provisioning_qr_svg(device),
            "secret": factor.base32_key(device),
            "enrolled": factor.has_second_factor(request.user),
            "required": factor.second_factor_required(request.user),
        }
        return render(request, "registration/second_factor_enrol.html", context, status=status)


class MembershipUnlockView(WindDownMixin, View):
    """The director lifts a member's sign-in lockout (audited in every chain of the member)."""

    permission = "team.manage"

    def post(self, request, slug, pk):
        target = get_object_or_404(self.winddown.memberships.select_related("user"), pk=pk)
        login_unlock(email=target.user.email, by=request.user)
        messages.success(request, _("%s can sign in again.") % target.user.email)
        return redirect("windown:team", slug=slug)


class ObtainTokenView(ObtainAuthToken):
    """Exchange an e-mail address and password (and a TOTP code, if the person has or owes
    one) for an API token; repeated failures lock the account and the client out (429)."""

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {
                "username": serializers.CharField(),
                "password": serializers.CharField(),
                "otp_token": serializers.CharField(required=False),
            },
        ),
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            400: OpenApiResponse(description="Wrong credentials or a missing/wrong TOTP code."),
            429: OpenApiResponse(description="Locked out after repeated failures."),
        },
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        valid = serializer.is_valid()
        if getattr(request, "axes_locked_out", False):
            return locked_out_response(request)
        if not valid:
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        user = serializer.validated_data["user"]
        if factor.needs_code(user):
            if not factor.has_second_factor(user):
                message = _("Enrol a second factor in the browser before asking for a token.")
                return Response({"otp_token": [message]}, status=status.HTTP_400_BAD_REQUEST)
            if factor.matching_device(user, str(request.data.get("otp_token", ""))) is None:
                message = _("A valid code from your authenticator app is required.")
                return Response({"otp_token": [message]}, status=status.HTTP_400_BAD_REQUEST)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
