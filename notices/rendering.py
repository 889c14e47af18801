"""Render notice templates in a Jinja sandbox that can reach nothing but a whitelist of strings.

A template is checked when it is saved: it may use only the whitelisted variables, a few
harmless filters, `if` and literal text. Attribute and item access, calls, imports, includes,
macros and assignments are refused, so a template cannot reach settings, objects or methods.
The context handed to the renderer holds plain strings only, and rendering runs in Jinja's
SandboxedEnvironment with StrictUndefined as a second line of defence.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from jinja2 import StrictUndefined, Template, TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

VARIABLES: dict[str, str] = {
    "customer_name": "Maria Schmidt",
    "customer_email": "maria.schmidt@example.com",
    "customer_ref": "C-10042",
    "company_name": "Shenzhen Lumen Electronics Co., Ltd.",
    "deletion_date": "31 March 2027",
    "personal_link": "https://windown.example/p/…",
    "unsubscribe_link": "https://windown.example/u/…",
    "kept_facts": "Invoices · Orders: kept until 31 December 2036 (legal retention period)",
    "support_email": "support@example.com",
    "support_phone": "+86 755 8888 6666",
    # the completion receipt's facts (empty in a notice)
    "deleted_facts": "Customer account · Orders: deleted on 3 December 2026",
    "certificates": "WD-2026-000042 https://windown.example/verify/WD-2026-000042/",
    "appeal_until": "2 January 2027",
}
FILTERS = {"upper", "lower", "title", "capitalize", "trim", "default", "e", "escape"}
ALLOWED_NODES = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Name,
    nodes.Const,
    nodes.If,
    nodes.Not,
    nodes.And,
    nodes.Or,
    nodes.Compare,
    nodes.Operand,
    nodes.CondExpr,
    nodes.Concat,
    nodes.Filter,
)

# What a refused construct is called in the message the editor sees.
CONSTRUCTS = {
    "Getattr": gettext_lazy("attribute access (a.b)"),
    "Getitem": gettext_lazy("item access (a[b])"),
    "Call": gettext_lazy("calling a function or method"),
    "For": gettext_lazy("loops"),
    "Assign": gettext_lazy("assignments"),
    "Import": gettext_lazy("imports"),
    "FromImport": gettext_lazy("imports"),
    "Include": gettext_lazy("includes"),
    "Extends": gettext_lazy("template inheritance"),
    "Macro": gettext_lazy("macros"),
}

_text_env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
_html_env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
for _env in (_text_env, _html_env):
    _env.globals.clear()
    _env.filters = {name: f for name, f in _env.filters.items() if name in FILTERS}
    _env.tests = {}


def validate_template(source: str, *, html: bool = False) -> list[str]:
    """Return the problems that stop `source` from being saved (empty when it is safe)."""
    env = _html_env if html else _text_env
    try:
        tree = env.parse(source)
    except TemplateSyntaxError as error:
        return [_("Line %(line)s: %(message)s") % {"line": error.lineno, "message": error}]
    problems: list[str] = []
    for node in tree.find_all(nodes.Node):
        if not isinstance(node, ALLOWED_NODES):
            problems.append(
                _("Line %(line)s: %(construct)s is not allowed in a notice template.")
                % {
                    "line": node.lineno,
                    "construct": CONSTRUCTS.get(type(node).__name__, type(node).__name__),
                }
            )
        elif isinstance(node, nodes.Name) and node.name not in VARIABLES:
            problems.append(
                _("Line %(line)s: unknown variable “%(name)s”. Allowed: %(allowed)s.")
                % {"line": node.lineno, "name": node.name, "allowed": ", ".join(VARIABLES)}
            )
        elif isinstance(node, nodes.Filter) and node.name not in FILTERS:
            problems.append(
                _("Line %(line)s: the filter “%(name)s” is not allowed.")
                % {"line": node.lineno, "name": node.name}
            )
    return sorted(set(problems))


@dataclass(frozen=True)
class RenderedNotice:
    subject: str
    text: str
    html: str


# Room for every shipped text (41 page texts x 6 languages, rendered per batch for the notice's
# facts) and the campaigns' templates: at 256 the LRU cycled and every batch recompiled them all.
@lru_cache(maxsize=2048)
def _compiled(source: str, html: bool) -> Template:
    """Compile a template source once per process (compiling costs far more than rendering)."""
    return (_html_env if html else _text_env).from_string(source)


def render_notice(template, context: dict[str, str]) -> RenderedNotice:
    """Render a NoticeTemplate's three parts with a context of whitelisted strings."""
    values = {name: str(context.get(name, "")) for name in VARIABLES}
    subject = _compiled(template.subject, False).render(values)
    return RenderedNotice(
        subject=" ".join(subject.split()),  # a header is one line
        text=_compiled(template.text_body, False).render(values),
        html=_compiled(template.html_body, True).render(values),
    )


def render_text(source: str, context: dict[str, str]) -> str:
    """Render a trusted shipped text (the personal page's) in the same sandbox."""
    return _compiled(source, False).render({k: str(v) for k, v in context.items()})
