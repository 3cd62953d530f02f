"""A tiny text extractor for the PDFs ReportLab writes (ASCII85 + Flate streams, text shown with
Tj/TJ in a Type1 font or the STSong-Light CID font whose strings are UTF-16BE). Enough to check
what a certificate says without a PDF library."""

from __future__ import annotations

import base64
import re
import zlib

STREAM = re.compile(rb"stream\r?\n(.*?)\s*endstream", re.S)
FONT_REF = re.compile(rb"/(F\d+) (\d+) 0 R")
FONT_OBJ = re.compile(rb"(\d+) 0 obj\s*<<\s*/BaseFont /([\w-]+)")
TOKEN = re.compile(rb"/(F\d+) [\d.]+ Tf|\((?:\\.|[^\\)])*\)", re.S)


def _unescape(raw: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == 0x5C:  # backslash
            nxt = raw[i + 1 : i + 2]
            if nxt.isdigit():
                digits = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4]).group(0)
                out.append(int(digits, 8))
                i += 1 + len(digits)
                continue
            out += {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}.get(nxt, nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return bytes(out)


def pdf_text(data: bytes) -> str:
    base_fonts = dict(FONT_OBJ.findall(data))
    cid_fonts = {
        name for name, obj in FONT_REF.findall(data) if base_fonts.get(obj) == b"STSong-Light"
    }
    pieces: list[str] = []
    for match in STREAM.finditer(data):
        body = match.group(1)
        header = data[data.rfind(b" obj", 0, match.start()) : match.start()]
        if b"ASCII85Decode" in header:
            body = base64.a85decode(body.strip(), adobe=True)
        if b"FlateDecode" in header:
            body = zlib.decompress(body)
        if b"Tf" not in body:
            continue
        font = b""
        for match in TOKEN.finditer(body):
            token = match.group(0)
            if match.group(1):
                font = match.group(1)
                continue
            raw = _unescape(token[1:-1])
            pieces.append(
                raw.decode("utf-16-be", "replace") if font in cid_fonts else raw.decode("latin-1")
            )
    return "".join(pieces)
