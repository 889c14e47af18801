"""The machinery of the access matrix (tests/test_access_matrix.py): the URLconf's patterns and
the schema's operations, the table's rows, the objects a row's URL names, and one request per
role. The expectations are the table's, written by a person; nothing here derives them.

A row: `<key>  [arg=value …]  D L I S C A other anon`
- key: a URL name (`inventory:system-detail`) or an API operation (`GET /api/v1/…/{id}/`);
- `~` in an API path stands for /api/v1/winddowns/{winddown_slug};
- arg=value fills the URL: `@Model` is the demo wind-down's first such object (by pk),
  `@Model[field=value]` the first matching one, `$name` a special value (SPECIAL), anything
  else is taken literally; `slug` and `winddown_slug` are always the demo wind-down's;
- marks, for the six roles of the demo wind-down, then `other` (each role of another
  wind-down, asking for the demo wind-down's URL) and `anon` (nobody signed in):
  `x` answered (not 401/403/404, never 5xx), `.` refused (401/403), `-` not found (404),
  `L` sent to sign in (a redirect to the sign-in page).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse

ROLES = ["director", "legal", "it", "support", "custodian", "auditor"]
COLUMNS = [*ROLES, "other", "anon"]
MARKS = {"x", ".", "-", "L"}
# models reached through a parent rather than a winddown field
PARENT = {
    "JobItem": "job__winddown",
    "Evidence": "job__winddown",
    "VendorCertification": "vendor__winddown",
    "Rule": "ruleset__winddown",
    "Delivery": "campaign__winddown",
    "NoticeTemplate": "campaign__winddown",
    "WebhookDelivery": "endpoint__winddown",
}
API_METHODS = ("get", "post", "put", "patch", "delete")
ADMIN_OPEN = ("login", "logout")  # the admin's own sign-in and sign-out: rows of their own
API_PREFIX = "/api/v1/winddowns/{winddown_slug}"  # written ~ in the table


@dataclass(frozen=True)
class Row:
    key: str
    args: dict[str, str]
    marks: dict[str, str]


def read_table(table: str) -> dict[str, Row]:
    """Parse the table; refuse a malformed or repeated row."""
    lines = [line.split() for line in table.strip().splitlines()]
    lines = [words for words in lines if words and not words[0].startswith("#")]
    if lines[0] != COLUMNS:
        raise ValueError(f"the header must be: {' '.join(COLUMNS)}")
    rows: dict[str, Row] = {}
    for words in lines[1:]:
        marks, head = words[-len(COLUMNS) :], words[: -len(COLUMNS)]
        api = head[0].isupper()
        key = f"{head[0]} {head[1].replace('~', API_PREFIX, 1)}" if api else head[0]
        args = dict(word.split("=", 1) for word in head[2 if api else 1 :])
        if set(marks) - MARKS or key in rows:
            raise ValueError(f"malformed or repeated row: {' '.join(words)}")
        rows[key] = Row(key, args, dict(zip(COLUMNS, marks, strict=True)))
    return rows


def url_names() -> set[str]:
    """Every named pattern of the URLconf outside the API (which the schema lists)."""
    names: set[str] = set()

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
                walk(pattern.url_patterns, route, inner)
            elif namespace == "admin" and pattern.name not in ADMIN_OPEN:
                names.add("admin:*")  # one row: the admin is for staff only (see admin_urls)
            elif not route.startswith("api/v1/winddowns") and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "", None)
    return names


def api_operations() -> set[str]:
    """Every operation of the OpenAPI schema, as `METHOD /path/{param}/`."""
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return {f"{m.upper()} {path}" for path, ops in paths.items() for m in ops if m in API_METHODS}


def missing_and_extra(rows: dict[str, Row], keys: set[str]) -> str:
    missing, extra = sorted(keys - set(rows)), sorted(set(rows) - keys)
    if not missing and not extra:
        return ""
    return (
        f"add a row for each of these (a person decides who may use it): {missing}; "
        f"remove the rows of URLs that no longer exist: {extra}"
    )


def first_object(winddown, spec: str):
    """`Model` or `Model[field=value]`: the wind-down's first such object."""
    name, _, where = spec.partition("[")
    model = next(m for m in apps.get_models() if m.__name__ == name)
    filters = {PARENT.get(name, "winddown"): winddown}
    if where:
        field, value = where.rstrip("]").split("=", 1)
        filters[field] = value
    found = model.objects.filter(**filters).order_by("pk").first()
    if found is None:
        raise LookupError(f"the demo wind-down has no {spec}")
    return found


def special(name: str, winddown) -> str:
    if name == "slug":
        return winddown.slug
    if name == "personal":
        from notices.tokens import make_token

        return make_token(first_object(winddown, "Recipient"))
    if name == "unsubscribe":
        from notices.tokens import UNSUBSCRIBE_SALT, make_token

        return make_token(first_object(winddown, "Recipient"), salt=UNSUBSCRIBE_SALT)
    if name == "processor":
        from destruction.processor_links import make_token

        request = first_object(winddown, "ProcessorRequest")
        return make_token(request.pk, dt.date.today() + dt.timedelta(days=30))
    if name == "certificate":
        return first_object(winddown, "Certificate").serial
    if name == "sales_system":
        return str(first_object(winddown, "DataSystem[department=Sales]").pk)
    if name == "sales_holding":
        return str(first_object(winddown, "Holding[system__department=Sales]").pk)
    if name == "probe_system":  # a Sales system with no holdings: one that may be deleted
        return str(first_object(winddown, "DataSystem[name=Probe system]").pk)
    if name in ("evidence_job", "item_job"):
        return str(
            first_object(winddown, "Evidence" if name == "evidence_job" else "JobItem").job_id
        )
    if name == "seq":
        return str(first_object(winddown, "AuditEvent").seq)
    if name == "tree_size":
        return str(first_object(winddown, "Checkpoint").tree_size)
    raise KeyError(name)


def fill(args: dict[str, str], winddown) -> dict[str, str]:
    values = {}
    for arg, value in args.items():
        if value.startswith("@"):
            values[arg] = str(first_object(winddown, value[1:]).pk)
        elif value.startswith("$"):
            values[arg] = special(value[1:], winddown)
        else:
            values[arg] = value
    return values


def outcome(response) -> str:
    """The mark a response earns."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if status in (401, 403):
        return "."
    if status == 404:
        return "-"
    if status == 302 and "/login/" in response["Location"]:
        return "L"
    return "x"


def header_problems(response) -> list[str]:
    """No cache may keep a response; every HTML page carries the Content-Security-Policy."""
    problems = []
    if response.status_code < 300 and "no-store" not in response.get("Cache-Control", ""):
        problems.append("no Cache-Control: no-store")
    if response.get("Content-Type", "").startswith("text/html"):
        policy = response.get("Content-Security-Policy", "")
        script = next((d for d in policy.split(";") if d.strip().startswith("script-src")), "")
        if "'self'" not in script or "unsafe" in script:
            problems.append(f"no strict Content-Security-Policy: {policy!r}")
    return problems


def probe(client, method: str, url: str, *, api: bool):
    """Make one request and undo whatever it changed (a savepoint rolled back)."""
    with transaction.atomic():
        if method == "get":
            response = client.get(url)
        elif api:
            response = getattr(client, method)(url, {}, content_type="application/json")
        else:
            response = getattr(client, method)(url)
        transaction.set_rollback(True)
    return response


def admin_urls() -> list[str]:
    """A URL of every admin pattern but its sign-in and sign-out (arguments filled with 1)."""
    urls = []

    def walk(patterns, namespace, kwargs):
        for pattern in patterns:
            names = dict.fromkeys(pattern.pattern.converters, "1")
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, namespace, {**kwargs, **names})
            elif pattern.name and pattern.name not in ADMIN_OPEN:
                filled = {**kwargs, **names}
                if "app_label" in filled:
                    filled["app_label"] = "windown"
                try:
                    urls.append(reverse(f"{namespace}:{pattern.name}", kwargs=filled or None))
                except NoReverseMatch:
                    continue

    from django.contrib import admin

    walk(admin.site.urls[0], "admin", {})
    return sorted(set(urls))
