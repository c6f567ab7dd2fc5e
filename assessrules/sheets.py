"""How a worksheet prints, for every workbook we write (the results and the data-entry template alike).

A4, one page wide (landscape when the columns are too wide for an upright page), the header rows on every
page, the title at the top of every page and ``第 &P 页 共 &N 页`` at its foot.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

PORTRAIT_WIDTH = 100
"""The column widths (in characters) an upright A4 page holds within the margins below; a wider sheet prints
landscape, and one wider still is shrunk to the page's width."""
FOOTER = "第 &P 页 共 &N 页"
"""The footer of every printed page: the page's number and the number of pages (spreadsheet codes &P, &N)."""


def print_setup(sheet: Any, title: str, widths: Sequence[float], *, title_rows: str | None = "1:1") -> None:
    """Make ``sheet`` print well: A4, one page wide (landscape when ``widths`` add up to more than an upright page
    holds), ``title_rows`` on every page, ``title`` at the top of every page and the page number at its foot.

    For a write-only sheet this must come before its first row (its properties are written then).
    """
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    setup = sheet.page_setup
    setup.paperSize = 9  # A4
    setup.orientation = "landscape" if sum(widths) > PORTRAIT_WIDTH else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0  # one page wide, as many pages long as it takes
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.75, bottom=0.6, header=0.3, footer=0.3)
    sheet.print_options.horizontalCentered = True
    if title_rows:
        sheet.print_title_rows = title_rows
    header = sheet.oddHeader.center
    header.text = title[:120].replace("&", "&&")  # & starts a code in a header; a header holds 255 characters
    header.font, header.size = "-,Bold", 12
    sheet.oddFooter.center.text = FOOTER


__all__ = ["FOOTER", "PORTRAIT_WIDTH", "print_setup"]
