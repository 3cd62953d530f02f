"""The one PDF text reader of the tests: just enough to check what a ReportLab document says,
without a PDF library.

ReportLab writes content streams (ASCII85 and/or Flate encoded) that select a font with
`/F1 12 Tf` and draw literal strings `(...)` with Tj/TJ. A string drawn in a CID font
(STSong-Light, the Chinese font) is UTF-16BE; one drawn in a Type1 font is Latin-1. When the font
of a string is unknown, an even-length string that decodes as UTF-16BE is taken as such.
"""

from __future__ import annotations

import base64
import re
import zlib

STREAM = re.compile(rb"stream\r?\n(.*?)\r?\n?endstream", re.S)
FONT_REF = re.compile(rb"/(F\d+) (\d+) 0 R")
FONT_OBJ = re.compile(rb"(\d+) 0 obj\s*<<\s*/BaseFont /([\w-]+)")
NEXT_TOKEN = re.compile(rb"/(F\d+) [\d.]+ Tf|\(")  # a font selected, or a string opened
CID_FONTS = {b"STSong-Light"}
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
OCTAL = re.compile(rb"[0-7]{1,3}")


def _content_streams(data: bytes):
    """The decoded body of every stream that draws text."""
    for match in STREAM.finditer(data):
        body = match.group(1)
        header = data[data.rfind(b" obj", 0, match.start()) : match.start()]
        if b"ASCII85Decode" in header:
            body = base64.a85decode(body.strip().removesuffix(b"~>"), adobe=False)
        if b"FlateDecode" in header:
            try:
                body = zlib.decompress(body)
            except zlib.error:  # not a content stream this reader knows (an image…)
                continue
        if b"Tf" in body:
            yield body


def _literal(body: bytes, start: int) -> tuple[bytes, int]:
    """The literal string that opens at `start` (nested parentheses and escapes), and the
    position after it."""
    depth, i, out = 1, start + 1, bytearray()
    while i < len(body) and depth:
        c = body[i : i + 1]
        if c == b"\\":
            octal = OCTAL.match(body, i + 1)
            if octal:
                out.append(int(octal.group(0), 8) & 0xFF)
                i = octal.end()
                continue
            nxt = body[i + 1 : i + 2]
            out += ESCAPES.get(nxt, nxt)
            i += 2
            continue
        if c == b"(":
            depth += 1
        elif c == b")":
            depth -= 1
            if not depth:
                break
        out += c
        i += 1
    return bytes(out), i + 1


def _decode(raw: bytes, font: bytes, cid_fonts: set[bytes], known_fonts: set[bytes]) -> str:
    if font in cid_fonts:
        return raw.decode("utf-16-be", "replace")
    if font in known_fonts:
        return raw.decode("latin-1")
    if len(raw) % 2 == 0:
        try:
            return raw.decode("utf-16-be")
        except UnicodeDecodeError:
            pass
    return raw.decode("latin-1")


def pdf_text(data: bytes) -> str:
    """Every string the document draws, in order, joined."""
    base_fonts = dict(FONT_OBJ.findall(data))
    font_of = {name: base_fonts.get(obj) for name, obj in FONT_REF.findall(data)}
    cid_fonts = {name for name, base in font_of.items() if base in CID_FONTS}
    known_fonts = {name for name, base in font_of.items() if base is not None}
    pieces: list[str] = []
    for body in _content_streams(data):
        font, i = b"", 0
        while (token := NEXT_TOKEN.search(body, i)) is not None:
            if token.group(1):
                font, i = token.group(1), token.end()
            else:
                raw, i = _literal(body, token.start())
                pieces.append(_decode(raw, font, cid_fonts, known_fonts))
    return "".join(pieces)
