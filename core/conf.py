"""One way to read a feature setting: `feature_setting(name)`.

Every feature setting lives in the one dict `settings.FNV`: the ones an operator sets come from
the environment there (fnvregio/settings.py, .env.example); the ones only tests or a rare
deployment change keep their default next to the code that uses them and are passed as
`default`. Tests override with `settings.FNV = {**settings.FNV, NAME: value}`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_REQUIRED = object()


def feature_setting(name: str, default: Any = _REQUIRED) -> Any:
    value = getattr(settings, "FNV", {}).get(name, default)
    if value is _REQUIRED:
        raise ImproperlyConfigured(f"settings.FNV has no {name!r} and it has no default.")
    return value
