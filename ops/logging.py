"""Structured log lines (one JSON object per line on stdout) without personal data.

Only chosen fields of a log record are written: never the request object Django
attaches to error records (it holds addresses, cookies and form data). Messages and
tracebacks pass through :func:`redact`, which masks what commonly slips into
exception texts: email addresses, phone numbers, credentials in URLs and
``key=value`` secrets.
"""

import json
import logging
import re
from datetime import UTC, datetime

from .requestid import current_request_id

_REDACTIONS = [
    # user:password@ in connection URLs
    (re.compile(r"(?<=://)[^/\s:@]+:[^/\s@]+@"), "[credentials]@"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    # PostgreSQL repeats the offending values: Key (slug)=(jane-doe) already exists.
    (
        re.compile(r"Key \(([^)]*)\)=\(.*?\)(?= already| is not| conflicts|$)"),
        r"Key (\1)=([redacted])",
    ),
    # E.164, as contact numbers are stored, and UK national numbers as people type them
    (re.compile(r"\+\d{10,15}\b"), "[number]"),
    (re.compile(r"\b0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}\b"), "[number]"),
    (
        re.compile(
            r"(?i)\b(password|passwd|secret|token|api[_-]?key|key|authorization)"
            r"(\s*[=:]\s*)[^\s,&;]+"
        ),
        r"\1\2[redacted]",
    ),
]


def redact(text: str) -> str:
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RequestIdFilter(logging.Filter):
    """Gives every record a ``request_id`` so any formatter can print it."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, and the
    status code or (redacted) traceback when there is one."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
        }
        status_code = getattr(record, "status_code", None)
        if isinstance(status_code, int):
            entry["status_code"] = status_code
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class PlainFormatter(logging.Formatter):
    """The development format, redacted the same way."""

    def format(self, record):
        return redact(super().format(record))


class GunicornAccessFormatter(logging.Formatter):
    """gunicorn's access line as JSON, from the request atoms gunicorn passes in
    ``record.args``: no client address, user agent, referrer or query string."""

    def format(self, record):
        atoms = record.args if isinstance(record.args, dict) else {}
        status = str(atoms.get("s", ""))
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": "INFO",
            "logger": "access",
            "method": atoms.get("m"),
            "path": atoms.get("U"),
            "status": int(status) if status.isdigit() else status,
            "bytes": atoms.get("B"),
            "duration_ms": atoms.get("M"),
            "request_id": atoms.get("{x-request-id}o") or "-",
        }
        return json.dumps(entry, ensure_ascii=False)
