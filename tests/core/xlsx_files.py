"""Hand-made .xlsx files for the import tests, written part by part: ordinary workbooks as Excel
writes them (shared strings, date styles) and malicious ones (bombs, nested archives, lying
sizes). The zip is written by hand so a part's stored bytes, declared size and flags can be
anything an attacker chooses."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    b"</Types>"
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
).encode()
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
    '<sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>'
).encode()
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId3" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
).encode()
# Style 0: general; 1: built-in date (14, m/d/yyyy); 2: a custom date format; 3: a percentage.
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" xfId="0"/><xf numFmtId="14" xfId="0"/>'
    '<xf numFmtId="164" xfId="0"/><xf numFmtId="10" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
).encode()


def shared_strings(strings) -> bytes:
    items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    return f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">{items}</sst>'.encode()


def sheet_ends(rows_xml: str | bytes) -> tuple[bytes, bytes]:
    """A worksheet part cut where more rows (or padding) could go: (head, tail)."""
    if isinstance(rows_xml, str):
        rows_xml = rows_xml.encode()
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
    return head.encode() + rows_xml, b"</sheetData></worksheet>"


def sheet(rows_xml: str | bytes) -> bytes:
    return b"".join(sheet_ends(rows_xml))


def text_rows(rows) -> str:
    """Rows of inline strings (None = no cell), as `<row>` elements from row 1."""
    out = []
    for r, values in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{_col(c)}{r}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'
            for c, v in enumerate(values, start=1)
            if v is not None
        )
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


def _col(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class Part:
    name: str
    data: bytes = b""
    deflated: bytes | None = None  # stored bytes when given (with size and crc)
    size: int | None = None
    crc: int | None = None
    flags: int = 0
    method: int = 8  # deflate


def deflate(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def zip_bytes(parts: list[Part]) -> bytes:
    body = bytearray()
    directory = bytearray()
    for p in parts:
        name = p.name.encode()
        stored = p.deflated if p.deflated is not None else deflate(p.data)
        if p.method == 0 and p.deflated is None:
            stored = p.data
        size = len(p.data) if p.size is None else p.size
        crc = zlib.crc32(p.data) if p.crc is None else p.crc
        offset = len(body)
        body += struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, p.flags, p.method, 0, 0x21, crc, len(stored), size,
            len(name), 0,
        )  # fmt: skip
        body += name + stored
        directory += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, p.flags, p.method, 0, 0x21, crc, len(stored),
            size, len(name), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        directory += name
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(directory), len(body), 0
    )
    return bytes(body + directory + end)


def workbook(
    sheet_xml: bytes | Part,
    *,
    strings: bytes | Part | None = None,
    styles: bytes | Part | None = STYLES,
    extra: list[Part] = (),
) -> bytes:
    """A workbook whose first sheet is `sheet_xml` (a whole worksheet part)."""

    def part(name, value):
        if isinstance(value, Part):
            value.name = name
            return value
        return Part(name, value)

    parts = [
        Part("[Content_Types].xml", CONTENT_TYPES),
        Part("_rels/.rels", ROOT_RELS),
        Part("xl/workbook.xml", WORKBOOK),
        Part("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        part("xl/worksheets/sheet1.xml", sheet_xml),
    ]
    if styles is not None:
        parts.append(part("xl/styles.xml", styles))
    if strings is not None:
        parts.append(part("xl/sharedStrings.xml", strings))
    return zip_bytes(parts + list(extra))


def repeated(head: bytes, tail: bytes, block: bytes, times: int) -> Part:
    """A part of `head + block * times + tail`, deflated without ever building it: after a full
    flush the compressor starts afresh, so one block's output is every block's output. Size
    and CRC are the true ones."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    one = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    assert one == again
    stream = first + one * (times - 1) + again + c.compress(tail) + c.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    return Part("", deflated=stream, size=len(head) + len(block) * times + len(tail), crc=crc)
