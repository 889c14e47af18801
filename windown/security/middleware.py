"""Response headers and the second-factor gate, applied to every page and download."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from windown.security.second_factor import has_second_factor, second_factor_required

# reachable before the second factor: signing in and out, the two-factor pages, language
_OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/")


class NoStoreMiddleware:
    """Mark every response of the application `Cache-Control: no-store` (and private).

    Nearly every page and download holds personal data (customers' pages, recipients,
    requests, exports, evidence, certificates), so no browser or proxy cache may keep any of
    them; static files never reach this middleware (WhiteNoise answers them first, cached).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


class SecondFactorMiddleware:
    """Send a signed-in person who owes a TOTP code to the verify (or enrolment) page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            if has_second_factor(user):
                return self._refuse(request, "second-factor-verify")
            if second_factor_required(user):
                return self._refuse(request, "second-factor-enrol")
        return self.get_response(request)

    def _refuse(self, request, target: str):
        if request.path.startswith("/api/"):
            message = _("Confirm your sign-in with your authenticator's code first.")
            return JsonResponse({"detail": message}, status=403)
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
