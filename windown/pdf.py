"""HTML to PDF with WeasyPrint, fetching nothing: no network, no local files.

Documents embed everything they need (inline SVG, CSS in the page, fonts from the system);
any other URL in the content is refused and left out. WeasyPrint is imported inside the
function, never in a Celery prefork parent.
"""

from __future__ import annotations

import logging


def html_to_pdf(html: str) -> bytes:
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # no step-by-step log
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher  # WeasyPrint 70 wants a URLFetcher, not a function

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
