"""Just enough PDF reading to check what a ReportLab document says (no extra package):
inflate the content streams and decode the CID (UCS-2) strings they draw."""

import base64
import re
import zlib

_STREAM = re.compile(rb"<<(.*?)>>\s*stream\r?\n(.*?)\r?\n?endstream", re.S)
_ESC = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _literal_strings(data: bytes):
    i, n = 0, len(data)
    while i < n:
        if data[i : i + 1] != b"(":
            i += 1
            continue
        depth, i, out = 1, i + 1, bytearray()
        while i < n and depth:
            c = data[i : i + 1]
            if c == b"\\":
                nxt = data[i + 1 : i + 2]
                octal = re.match(rb"[0-7]{1,3}", data[i + 1 : i + 4])
                if octal:
                    out.append(int(octal.group(0), 8))
                    i += 1 + len(octal.group(0))
                    continue
                out += _ESC.get(nxt, nxt)
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
        i += 1
        yield bytes(out)


def pdf_text(pdf: bytes) -> str:
    texts = []
    for head, body in _STREAM.findall(pdf):
        if b"ASCII85Decode" in head:
            body = base64.a85decode(body.strip().removesuffix(b"~>"))
        if b"FlateDecode" in head:
            body = zlib.decompress(body)
        for raw in _literal_strings(body):
            if len(raw) % 2 == 0:
                try:
                    texts.append(raw.decode("utf-16-be"))
                    continue
                except UnicodeDecodeError:
                    pass
            texts.append(raw.decode("latin-1"))
    return "".join(texts)
