"""Walk every URL pattern of the URLconf with real objects, for tests that must reach them all.

`patterns()` flattens `django.urls.get_resolver()` into one `Pattern` per view, named by its
full route (as `resolve(url).route` spells it). `Samples` learns real keyword arguments for
those routes from URLs it is shown: links and form actions of crawled pages, and the objects
the API lists. A pattern no URL was seen for borrows the arguments of a sibling that shares
its object path (`jobs/<int:pk>/perform/` from `jobs/<int:pk>/`). New URLs are picked up with
no change here: they only need to be linked from a page or listed by the API.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404

FORMAT_SUFFIX = re.compile(r"\\\.\(\?P<format>.*$")
# Files, not pages: learnt from their links, not fetched while crawling (a PDF takes seconds).
DOWNLOAD_LIKE = re.compile(
    r"\.(pdf|csv|xlsx|zip|json|jsonl|txt)(\?|$)|[?&]download=|/(copy|certificate)/?$"
)
CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>|\(\?P<(?P<group>\w+)>")


def join_route(first: str, second: str) -> str:
    """Join two routes as Django's resolver does for ResolverMatch.route."""
    return first + second.removeprefix("^") if first else second


@dataclass(frozen=True)
class Pattern:
    route: str
    name: str | None
    kwarg_names: tuple[str, ...]

    def object_path(self) -> str:
        """The route up to its last keyword argument: siblings under one object share it (a
        format suffix, as DRF adds, is not part of the object)."""
        route = FORMAT_SUFFIX.sub("", self.route)
        ends = [match.end() for match in CONVERTER.finditer(route)]
        return route[: ends[-1]] if ends else ""

    def url(self, kwargs: dict) -> str | None:
        """The URL with these arguments (reversed by name, else filled into the route), or None
        if that URL does not resolve to this pattern."""
        if self.name is not None:
            try:
                return reverse(self.name, kwargs={k: kwargs[k] for k in self.kwarg_names})
            except (NoReverseMatch, KeyError):
                pass
        url = "/" + fill(self.route, kwargs)
        try:
            return url if resolve(url).route == self.route else None
        except Resolver404:
            return None


def fill(route: str, kwargs: dict) -> str:
    """Put arguments into a route: `<int:pk>` and `(?P<pk>…)`; a regex alternation group with
    no argument given takes its first alternative."""

    def value(match: re.Match) -> str:
        name = match["name"] or match["group"]
        if name in kwargs:
            return str(kwargs[name])
        body = match["body"] or ""
        return body.split("|")[0] if re.fullmatch(r"[\w|]+", body) else "x"

    filled = re.sub(
        r"<(?:[^>:]+:)?(?P<name>[^>]+)>|\(\?P<(?P<group>\w+)>(?P<body>(?:[^()]|\([^()]*\))*)\)",
        value,
        route,
    )
    return filled.replace("^", "").replace("$", "").replace("/?", "/").replace("\\", "")


def _kwarg_names(route: str) -> tuple[str, ...]:
    return tuple(m["name"] or m["group"] for m in CONVERTER.finditer(route))


def patterns(resolver: URLResolver | None = None) -> list[Pattern]:
    """Every view of the URLconf, with its full route, namespaced name and keyword names."""

    def walk(node: URLResolver, prefix: str, namespace: str) -> Iterator[Pattern]:
        for entry in node.url_patterns:
            route = join_route(prefix, str(entry.pattern))
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry, route, inner)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}{entry.name}" if entry.name else None
                yield Pattern(route, name, _kwarg_names(route))

    found: dict[str, Pattern] = {}
    for pattern in walk(resolver or get_resolver(), "", ""):
        found.setdefault(pattern.route, pattern)  # the first one wins, as in resolve()
    return list(found.values())


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.actions: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        elif tag == "form" and values.get("action"):
            self.actions.append(values["action"])


def links_of(html: str) -> tuple[list[str], list[str]]:
    """The same-site links (href) and form actions of a page, as paths with their query."""
    parser = _Links()
    parser.feed(html)

    def local(urls: Iterable[str]) -> list[str]:
        result = []
        for url in urls:
            parts = urlsplit(url)
            if not parts.netloc and parts.path.startswith("/"):
                result.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        return result

    return local(parser.links), local(parser.actions)


class Samples:
    """Real keyword arguments for routes, learnt from URLs seen."""

    def __init__(self):
        self.by_route: dict[str, dict] = {}
        self.urls: dict[str, str] = {}
        self.errors: list[str] = []  # pages that answered 500 while crawling

    def learn(self, url: str) -> str | None:
        """Remember the URL's route and arguments (the first URL seen per route); return the
        route if it was new."""
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            return None
        if match.route in self.by_route:
            return None
        self.by_route[match.route] = dict(match.kwargs)
        self.urls[match.route] = url
        return match.route

    def crawl(self, client, starts: Iterable[str], *, per_route: int = 3, limit: int = 1500):
        """Follow links breadth-first from `starts` (GET only; forms are read, not sent), at
        most `per_route` pages per route, and learn every link and form action."""
        queue, seen, pages_per_route = deque(starts), set(), {}
        while queue and len(seen) < limit:
            url = queue.popleft()
            if url in seen:
                continue
            seen.add(url)
            self.learn(url)
            try:
                route = resolve(urlsplit(url).path).route
            except Resolver404:
                continue
            if pages_per_route.get(route, 0) >= per_route or DOWNLOAD_LIKE.search(url):
                continue
            pages_per_route[route] = pages_per_route.get(route, 0) + 1
            response = client.get(url)
            if response.status_code >= 500:
                self.errors.append(f"GET {url} → {response.status_code}")
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            if getattr(response, "streaming", False):
                continue
            links, actions = links_of(response.content.decode())
            for action in actions:
                self.learn(action)
            queue.extend(link for link in links if link not in seen)

    def learn_api(self, client, list_urls: Iterable[str]):
        """GET each API list and learn a detail URL per lookup value of its first objects."""
        queue = deque(list_urls)
        done = set()
        while queue:
            url = queue.popleft()
            if url in done:
                continue
            done.add(url)
            self.learn(url)
            response = client.get(url, HTTP_ACCEPT="application/json")
            if response.status_code != 200 or "json" not in response.get("Content-Type", ""):
                continue
            body = json.loads(response.content)
            items = body.get("results", body) if isinstance(body, dict) else body
            if not isinstance(items, list):
                continue
            for item in items[:3]:
                if not isinstance(item, dict):
                    continue
                for key in ("id", "pk", "seq", "tree_size", "serial", "slug", "reference"):
                    if key in item and item[key] not in (None, ""):
                        detail = f"{url.split('?')[0]}{item[key]}/"
                        if self.learn(detail):
                            queue.append(detail)

    def kwargs_for(self, pattern: Pattern, defaults: dict) -> tuple[dict, str]:
        """Arguments for the pattern and where they came from: 'seen', 'sibling', 'default'."""
        if pattern.route in self.by_route:
            return self.by_route[pattern.route], "seen"
        names = set(pattern.kwarg_names)
        prefix = pattern.object_path()
        for route, kwargs in self.by_route.items():
            if prefix and route.startswith(prefix) and names <= set(kwargs) | {"format"}:
                return {**kwargs, "format": "json"}, "sibling"
        if names <= set(defaults):
            return dict(defaults), "default"
        return dict(defaults), "missing"  # fill() makes up the rest
