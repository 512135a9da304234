"""Bytes in any encoding Vietnamese archives use, as NFC text.

Unicode (UTF-8 with or without BOM, UTF-16 with BOM) and the legacy 8-bit
encodings from before 2002: TCVN3 (ABC, ``.VnTime`` fonts), VNI-Windows
(``VNI-Times`` fonts, a base letter plus mark bytes), VISCII (RFC 1456) and
Windows-1258 (a base letter plus a combining tone mark, composed here). The
tables are the project's data files ``search/data/{tcvn3,vni,viscii}.tsv``,
written from the published layouts.

Which one: a font name when the format carries it (:func:`font_encoding`), else
the declared charset, else the content: each candidate is tried and the one
whose words are most often Vietnamese syllables wins (:func:`detect`).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import cache
from importlib import resources

from ..text.syllable import is_vietnamese_syllable

__all__ = [
    "LEGACY",
    "DecodeError",
    "decode_bytes",
    "decode_legacy",
    "detect",
    "encode_legacy",
    "font_encoding",
    "redecode",
    "syllable_score",
]

LEGACY = ("tcvn3", "vni", "viscii", "cp1258")
_ASCII_PUNCT = {"“": '"', "”": '"', "‘": "'", "’": "'", "…": "...", "–": "-", "—": "-", "\xa0": " "}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_WORD = re.compile(r"[^\W\d_]+")
_MIN_SCORE = 0.7  # below this share of valid non-ASCII words, no candidate is believed


class DecodeError(ValueError):
    """Bytes that are no text in any encoding we know."""


def _rows(name: str) -> list[list[str]]:
    text = resources.files("search").joinpath("data", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@cache
def _byte_table(name: str) -> tuple[dict[int, str], dict[str, int]]:
    """(byte -> letter, letter -> byte) of a one-byte table (tcvn3.tsv, viscii.tsv)."""
    table = {int(b, 16): ch for b, _cp, ch in _rows(name)}
    return table, {ch: b for b, ch in table.items()}


@cache
def _vni() -> tuple[dict[bytes, str], dict[str, bytes]]:
    """(byte sequence -> letter, letter -> bytes) of VNI-Windows, capitals included.

    A capital is its capital base and the capital form (byte - 0x20) of each
    mark; typists also left a lowercase mark after a capital base ("Aù").
    """
    decode: dict[bytes, str] = {}
    encode: dict[str, bytes] = {}
    for letter, hexes, _shown in _rows("vni.tsv"):
        seq = bytes.fromhex(hexes)
        upper = bytes([seq[0] - 0x20 if seq[0] >= 0xC0 else ord(chr(seq[0]).upper())])
        upper_marks = bytes(b - 0x20 for b in seq[1:])
        encode[letter] = seq
        encode[letter.upper()] = upper + upper_marks
        decode[seq] = letter
        decode[upper + upper_marks] = letter.upper()
        if len(seq) > 1:
            decode.setdefault(upper + seq[1:], letter.upper())
    return decode, encode


@cache
def _translation(encoding: str) -> dict[int, str]:
    """A str.translate table from Latin-1 characters (one a byte) to the letters the bytes are.

    VISCII leaves no byte undefined (one unknown is U+FFFD); TCVN3 reads the
    bytes outside its table as Windows-1252, where five bytes are undefined.
    """
    table = _byte_table(f"{encoding}.tsv")[0]
    out: dict[int, str] = {}
    for b in range(0x80, 0x100):
        if b in table:
            out[b] = table[b]
        elif encoding == "viscii":
            out[b] = "\ufffd"
        else:
            try:
                out[b] = bytes([b]).decode("cp1252")
            except UnicodeDecodeError:
                out[b] = "\ufffd"
    out.update({b: ch for b, ch in table.items() if b < 0x80})
    return out


@cache
def _vni_pattern() -> tuple[re.Pattern, dict[str, str]]:
    """VNI's byte pairs, then its single bytes and every other byte over 0x7F (read as
    Windows-1252), as one pattern over the bytes read as Latin-1, and what each stands for.
    One regex pass instead of a Python step per byte."""
    seqs = _vni()[0]
    chars = {b.decode("latin-1"): ch for b, ch in seqs.items()}
    for b in range(0x80, 0x100):
        key = chr(b)
        if key not in chars:
            try:
                chars[key] = _cp1252_char(b)
            except DecodeError:
                pass  # left out: its KeyError is the DecodeError
    pairs = sorted((k for k in chars if len(k) == 2), key=len, reverse=True)
    singles = sorted({k for k in chars if len(k) == 1} | {chr(b) for b in range(0x80, 0x100)})
    alternatives = [re.escape(p) for p in pairs] + ["[" + "".join(map(re.escape, singles)) + "]"]
    return re.compile("|".join(alternatives)), chars


def _cp1252_char(b: int) -> str:
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError as exc:
        raise DecodeError(f"byte 0x{b:02X} has no character") from exc


def decode_legacy(data: bytes, encoding: str) -> str:
    """Bytes in one legacy encoding as NFC text; bytes outside the table read as Windows-1252.

    >>> decode_legacy(b"Vi\\xd6t Nam", "tcvn3"), decode_legacy("Vieät Nam".encode("cp1252"), "vni")
    ('Việt Nam', 'Việt Nam')
    """
    if encoding == "cp1258":
        return unicodedata.normalize("NFC", data.decode("cp1258", errors="strict"))
    if encoding in ("viscii", "tcvn3"):
        return data.decode("latin-1").translate(_translation(encoding))
    if encoding == "vni":
        pattern, chars = _vni_pattern()
        try:
            return pattern.sub(lambda m: chars[m.group(0)], data.decode("latin-1"))
        except KeyError as exc:  # a byte Windows-1252 leaves undefined
            raise DecodeError(f"byte 0x{ord(exc.args[0]):02X} has no character") from None
    raise ValueError(f"unknown legacy encoding: {encoding}")


def encode_legacy(text: str, encoding: str) -> bytes:
    """Text in a legacy encoding, as an old editor saved it (for tests and the bench).

    TCVN3 has no capital letters with a tone mark: they are written lowercase,
    as a ``.VnTimeH`` heading would be.

    >>> encode_legacy("Hà Nội", "tcvn3"), encode_legacy("Đảng", "vni")
    (b'H\\xb5 N\\xe9i', b'\\xd1a\\xfbng')
    """
    text = unicodedata.normalize("NFC", text)
    if encoding == "cp1258":  # base letters cp1258 has, tone marks combining
        out = []
        for ch in text:
            d = unicodedata.normalize("NFD", ch)
            base, marks = d[0], d[1:]
            keep = "".join(m for m in marks if m in "\u0302\u0306\u031b")
            tone = "".join(m for m in marks if m not in "\u0302\u0306\u031b")
            out.append(unicodedata.normalize("NFC", base + keep) + tone)
        return "".join(out).encode("cp1258", errors="replace")
    if encoding == "vni":
        table = _vni()[1]
        return b"".join(table.get(ch) or ch.encode("cp1252", errors="replace") for ch in text)
    table = _byte_table(f"{encoding}.tsv")[1]
    out_b = bytearray()
    for ch in text:
        if ch in table:
            out_b.append(table[ch])
        elif encoding == "tcvn3" and ch.lower() in table:
            out_b.append(table[ch.lower()])
        elif ord(ch) < 0x80:
            out_b.append(ord(ch))
        elif encoding == "viscii":  # every upper byte is a letter: punctuation goes ASCII
            out_b += _ASCII_PUNCT.get(ch, "?").encode("ascii")
        else:
            out_b += ch.encode("cp1252", errors="replace")
    return bytes(out_b)


def font_encoding(font: str | None) -> tuple[str, bool] | None:
    """(encoding, drawn in capitals) of a legacy Vietnamese font name, or None for a Unicode font.

    >>> font_encoding(".VnTime"), font_encoding(".VnTimeH"), font_encoding("VNI-Times")
    (('tcvn3', False), ('tcvn3', True), ('vni', False))
    >>> font_encoding("Times New Roman") is None
    True
    """
    if not font:
        return None
    name = font.strip().strip("'\"").strip()
    if name.lower().startswith(".vn"):
        return "tcvn3", name.endswith("H")
    if name.upper().startswith("VNI-") or name.upper().startswith("VNI "):
        return "vni", False
    if name.upper().startswith(("VISCII", "VN-", "VNTIMES")):
        return "viscii", False
    return None


def _as_bytes(text: str) -> bytes:
    """Characters a legacy font drew, back to the bytes they were typed as."""
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        pass
    out = bytearray()
    for ch in text:
        o = ord(ch)
        if 0xF000 <= o <= 0xF0FF:  # Word's symbol-font private area
            out.append(o - 0xF000)
        elif o < 0x100 and not 0x80 <= o < 0xA0:
            out.append(o)
        else:
            try:
                out += ch.encode("cp1252")
            except UnicodeEncodeError:
                out += b"?"
    return bytes(out)


def redecode(text: str, encoding: str, capitals: bool = False) -> str:
    """Text a legacy font drew (read as Windows-1252 characters) as the letters it shows.

    >>> redecode("Héi nghÞ", "tcvn3"), redecode("héi", "tcvn3", capitals=True)
    ('Hội nghị', 'HỘI')
    """
    try:
        out = decode_legacy(_as_bytes(text), encoding)
    except DecodeError:
        return text
    return out.upper() if capitals else out


def syllable_score(text: str) -> tuple[float, int]:
    """(share of words with a non-ASCII letter that are Vietnamese syllables, how many such words)."""
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    if not words:
        return 1.0, 0
    return sum(map(is_vietnamese_syllable, words)) / len(words), len(words)


def detect(data: bytes) -> tuple[str, str]:
    """(text, encoding) of legacy bytes: the candidate whose words are most often syllables.

    >>> detect("Hội nghị Ban Chấp hành".encode("utf-8"))[1]
    'utf-8'
    >>> detect(encode_legacy("Hội nghị Ban Chấp hành Đảng bộ tỉnh", "vni"))
    ('Hội nghị Ban Chấp hành Đảng bộ tỉnh', 'vni')
    """
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best: tuple[float, int, str, str] | None = None
    for rank, encoding in enumerate(LEGACY):
        try:
            text = decode_legacy(data, encoding)
        except (DecodeError, UnicodeDecodeError):
            continue
        if "\ufffd" in text:
            continue
        score, _n = syllable_score(text)
        if best is None or (score, -rank) > (best[0], best[1]):
            best = (score, -rank, text, encoding)
    if best is None or best[0] < _MIN_SCORE:
        raise DecodeError("cannot decode as UTF-8, UTF-16 or a Vietnamese legacy encoding")
    return best[2], best[3]


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """(NFC text, encoding) of a file's bytes: BOM, else the declared charset, else detected.

    >>> decode_bytes("Hòa".encode("utf-8-sig"))[0] == decode_bytes("Hòa".encode("utf-16"))[0]
    True
    >>> decode_bytes("Ho\\u0300a Bi\\u0300nh".encode("cp1258"))
    ('Hòa Bình', 'cp1258')
    """
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = data[3:].decode("utf-8", errors="strict"), "utf-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = data.decode("utf-16", errors="strict"), "utf-16"
    else:
        text = encoding = None
        if declared:
            declared = declared.lower().strip()
            codec = {"tcvn": "tcvn3", "tcvn-5712": "tcvn3", "tcvn5712-1": "tcvn3"}.get(
                declared, declared
            )
            try:
                if codec in LEGACY:
                    text, encoding = decode_legacy(data, codec), codec
                elif codecs.lookup(codec).name not in ("cp1252", "latin-1", "iso8859-1"):
                    text, encoding = data.decode(codec), codecs.lookup(codec).name
            except (LookupError, UnicodeDecodeError, DecodeError):
                text = None
        if text is None:
            text, encoding = detect(data)
    if _CONTROL.search(text) and len(_CONTROL.findall(text)) > len(text) // 100:
        raise DecodeError("binary content, not text")
    return unicodedata.normalize("NFC", text), encoding
