"""The API answers JSON, even where Django answers before DRF, and refuses NUL bytes.

Django resolves URLs before any DRF view runs: an API path that matches no pattern got the
HTML 404 page. PostgreSQL cannot store a NUL character in text: one in a query string or a
JSON/form body reached the database and failed there (a 500). Both are settled here, once,
for every path under /api/.
"""

from __future__ import annotations

from http import HTTPStatus

from django.http import JsonResponse

API_PREFIX = "/api/"
NUL_MARKS = (b"\x00", b"\\u0000", b"%00")


def _has_nul(request) -> bool:
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "").lower():
        return True
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("multipart/"):
        return False  # file contents may hold any byte; form fields are checked by DRF
    body = request.body  # bounded by DATA_UPLOAD_MAX_MEMORY_SIZE
    return any(mark in body.lower() for mark in NUL_MARKS)


class ApiInputGuard:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if _has_nul(request):
            return JsonResponse({"detail": "NUL characters are not accepted."}, status=400)
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if response.status_code >= 400 and content_type.startswith("text/html"):
            phrase = HTTPStatus(response.status_code).phrase
            json = JsonResponse({"detail": phrase}, status=response.status_code)
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    json[header] = response[header]
            return json
        return response
