"""Whitenoise's storage of the collected, hashed static files, with each file's URL worked out
once per process.

Django's `ManifestFilesMixin.url` looks the name up in the manifest and parses and unparses
it with `urllib` on every `{% static %}`: about 40 µs a call here (3 Dec 2026). The admin's
member list makes some 60 such calls a page (its stylesheets and scripts, and a
`static("admin/img/icon-yes.svg")` for the boolean column of every row), 9–15 % of the page's
time under py-spy. The manifest does not change while a process runs (a new release starts new
processes), so a URL once made is kept. Django offers no setting for this; a subclass of a few
lines does it.
"""

from __future__ import annotations

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Names come from the templates and the code, not from visitors; the bound only keeps a
# mistake from growing without end.
MAX_KEPT = 2048


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        # DEBUG: Django gives the unhashed name (a test may switch it); force: collectstatic.
        if force or settings.DEBUG:
            return super().url(name, force)
        url = self._urls.get(name)
        if url is None:
            url = super().url(name)  # a name missing from the manifest raises, and is not kept
            if len(self._urls) < MAX_KEPT:
                self._urls[name] = url
        return url

    def post_process(self, *args, **kwargs):
        """collectstatic writes a new manifest: no URL of the old one is kept."""
        self._urls.clear()
        yield from super().post_process(*args, **kwargs)
        self._urls.clear()
