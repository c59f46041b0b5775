"""CSV answers: ``?format=csv`` or ``Accept: text/csv``.

A list is streamed row by row (see ``ApiViewSet.stream_csv``) so a full export
never holds every person in memory. Each viewset names its columns; the cells come
from the same serialized rows the JSON answer carries, so a caller gets exactly
the rows and values they may see.
"""

import csv
import io

from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer

from ops.spreadsheets import FORMULA_STARTS, neutralise


class Echo:
    """A file-like object whose write() hands back the line, for streaming."""

    def write(self, value):
        return value


FORMULA_FIRST = frozenset(FORMULA_STARTS)


def safe_cell(value) -> str:
    """A cell a spreadsheet will show as text, never run as a formula (a bio that
    starts with '=' must not execute when a partner opens the file): the rule
    every export shares, ops.spreadsheets.neutralise."""
    if value is None:
        return ""
    if type(value) is str and value[:1] not in FORMULA_FIRST:
        return value  # the common case, without a call
    return neutralise(str(value))


def csv_lines(columns, rows, batch: int = 200):
    """Yield the header, then the CSV lines of the serialized rows, ``batch``
    rows to a chunk (a chunk per row costs more in the response than the rows)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([name for name, _ in columns])
    yield out.getvalue()
    out.seek(0)
    out.truncate()
    cells = [cell for _, cell in columns]
    pending = 0
    for row in rows:
        writer.writerow([safe_cell(cell(row)) for cell in cells])
        pending += 1
        if pending == batch:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
            pending = 0
    if pending:
        yield out.getvalue()


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        columns = getattr(view, "csv_columns", None)
        if data is None or columns is None:
            return b""
        rows = data if isinstance(data, list) else [data]
        out = io.StringIO()
        for line in csv_lines(columns, rows):
            out.write(line)
        return out.getvalue().encode(self.charset)


class FormatNegotiation(DefaultContentNegotiation):
    """DRF's choice of format, except that an unknown ``?format=`` is a 400
    naming the parameter, like any other value that matches nothing (DRF
    answers 404, as if the address were wrong)."""

    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            known = " or ".join(sorted(renderer.format for renderer in renderers))
            raise ValidationError({"format": [f"Unknown format: use {known}."]})
        return matching
