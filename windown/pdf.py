"""HTML to PDF with WeasyPrint, fetching nothing: no network, no local files.

Documents embed everything they need (inline SVG, CSS in the page, fonts from the system);
any other URL in the content is refused and left out. WeasyPrint is imported inside the
functions, never in a Celery prefork parent.

Every render reuses one font configuration per thread. WeasyPrint otherwise builds a new
fontconfig configuration and Pango font map per document; neither is ever fully freed, so a
long-running worker grew by ~2 MiB per certificate, and each render paid fontconfig's set-up
again. Pango font maps are not thread-safe, hence one per thread (a Celery prefork child has
one thread; the development server has several).
"""

from __future__ import annotations

import logging
import threading

_local = threading.local()


def font_configuration():
    """Return this thread's WeasyPrint FontConfiguration (made on first use)."""
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


def url_fetcher():
    """Return a WeasyPrint URL fetcher that allows data: URLs only."""
    from weasyprint.urls import URLFetcher  # WeasyPrint 70 wants a URLFetcher, not a function

    return URLFetcher(allowed_protocols={"data"})


def html_to_pdf(html: str) -> bytes:
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # no step-by-step log
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=url_fetcher()).write_pdf(font_config=font_configuration())
