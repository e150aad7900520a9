"""fnvregio.staticfiles: the production storage keeps each static file's URL once made, and
gives what Django's manifest storage gives (issue 16)."""

from __future__ import annotations

from tests.fnvregio.test_settings import _production_shell

SCRIPT = """
import json
from django.contrib.staticfiles.storage import staticfiles_storage as storage
from whitenoise.storage import CompressedManifestStaticFilesStorage as Plain

name = "admin/css/base.css"
plain = Plain().url(name)
first = storage.url(name)
kept = dict(storage._urls)
second = storage.url(name)
refused = []
for _ in range(2):
    try:
        storage.url("admin/css/no-such-file.css")
    except ValueError:
        refused.append(True)
print(json.dumps({
    "kind": type(storage._wrapped).__module__ + "." + type(storage._wrapped).__name__,
    "plain": plain, "first": first, "second": second, "kept": kept,
    "refused": refused, "missing_kept": "admin/css/no-such-file.css" in storage._urls,
    "forced": storage.url(name, force=True),
}))
"""


def test_the_production_storage_keeps_each_url_and_gives_djangos(tmp_path):
    data = _production_shell(SCRIPT, str(tmp_path / "static"))
    assert data["kind"] == "fnvregio.staticfiles.ManifestStaticFilesStorage"
    # the hashed name from the manifest, as whitenoise's own storage gives it
    assert data["plain"].startswith("/static/admin/css/base.") and data["plain"] != (
        "/static/admin/css/base.css"
    )
    assert data["first"] == data["second"] == data["plain"] == data["forced"]
    assert data["kept"] == {"admin/css/base.css": data["plain"]}
    # a name missing from the manifest is refused every time, and not kept
    assert data["refused"] == [True, True]
    assert data["missing_kept"] is False
