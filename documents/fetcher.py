"""What WeasyPrint may load while it renders a PDF: the portal's own static
files, nothing else.

WeasyPrint's default fetcher follows any URL a template names (http, https,
ftp, file), so a template that ever carried a member's text as markup, or a
careless edit, could make the worker read its own files (file:///etc/passwd)
or call services on its network. This fetcher answers only URLs under
SITE_URL + STATIC_URL, from the files Django's static finders know, and data:
URLs, which reach nothing; anything else is refused and WeasyPrint leaves that
resource out of the PDF.
"""

import mimetypes
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse


def pdf_base_url() -> str:
    """Relative URLs in PDF templates ({% static %} gives /static/...) resolve here."""
    return settings.SITE_URL + "/"


class StaticOnlyFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        if urlsplit(url).scheme == "data":
            return super().fetch(url, headers)
        prefix = urljoin(pdf_base_url(), settings.STATIC_URL)
        if not url.startswith(prefix):
            raise ValueError(f"not one of the portal's static files: {url[:200]}")
        name = unquote(urlsplit(url[len(prefix) :]).path)
        path = finders.find(name) if name else None  # finders refuse "../"
        if not path:
            raise ValueError(f"no such static file: {url[:200]}")
        with open(path, "rb") as file:
            body = file.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})
