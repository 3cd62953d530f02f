"""PDF documents in Chinese with ReportLab's built-in CID font (no font files to ship)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

TITLE = ParagraphStyle(
    "title", fontName=FONT, fontSize=18, leading=26, alignment=TA_CENTER, spaceAfter=8
)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=18)
SMALL = ParagraphStyle("small", fontName=FONT, fontSize=9, leading=13, textColor=colors.grey)


def paragraph(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    from xml.sax.saxutils import escape

    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def table(rows: Sequence[Sequence[str]], col_widths: Sequence[float] | None = None) -> Table:
    data = [[paragraph(cell) for cell in row] for row in rows]
    t = Table(data, colWidths=col_widths)
    t.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
            ]
        )
    )
    return t


def build_pdf(*, title: str, blocks: Sequence, author: str = "Shegong") -> bytes:
    """`blocks`: strings (paragraphs), ReportLab flowables, or ("table", rows) tuples."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author=author,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
    )
    story = [paragraph(title, TITLE), Spacer(1, 4 * mm)]
    for block in blocks:
        if isinstance(block, str):
            story.append(paragraph(block))
            story.append(Spacer(1, 2 * mm))
        elif isinstance(block, tuple) and block and block[0] == "table":
            story.append(table(block[1], block[2] if len(block) > 2 else None))
            story.append(Spacer(1, 3 * mm))
        else:
            story.append(block)
    doc.build(story)
    return buffer.getvalue()
