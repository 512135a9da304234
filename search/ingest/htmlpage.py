"""Read a saved news page (.html, .htm): its main text and what its metadata states.

The main text is trafilatura's (menus, related-article lists, share buttons,
comments and footers are its job; no boilerplate remover by hand here). The
title, date, author, site and canonical URL come from the page's own
metadata (``og:``/``article:`` tags, JSON-LD ``NewsArticle``, ``pubdate``,
``<time>``), else from the visible text with the rules of :mod:`.page`: the
line above the text is the title, a date line beside it is the time stamp, a
bold name set right is the byline. Text a legacy font drew (``<font
face=".VnTime">``, CSS ``font-family``) is turned into the letters it shows.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.settings import Extractor

from ..text.normalize import normalize
from .document import Document
from .encodings import decode_bytes, font_encoding, redecode
from .page import _BANNER, _TIMESTAMP, _TIMESTAMP_2, byline_name, parse_date

__all__ = ["read_html"]

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_LEGACY_FONT = re.compile(
    rb"""(?:face\s*=\s*["']?|font-family\s*:\s*["']?)\s*(?:\.vn[a-z]|vni[- ])""", re.IGNORECASE
)
_FONT_FAMILY = re.compile(r"font-family\s*:\s*([^;}]+)", re.IGNORECASE)
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_BLOCK = {
    "p", "div", "br", "tr", "td", "th", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "section", "article", "header", "footer", "ul", "ol", "blockquote", "title",
}  # fmt: skip
_DROP = ("script", "style", "noscript", "template", "svg")
_BREAKS = re.compile(r"(?:<br\s*/?>\s*){1,}", re.IGNORECASE)
_ISO_DATE = re.compile(r"((?:19|20)\d\d)-(\d\d)-(\d\d)")


@dataclass
class _Meta:
    title: str | None = None
    date: dt.date | None = None
    author: str | None = None
    site: str | None = None
    url: str | None = None


def _family_encoding(value: str) -> tuple[str, bool] | None:
    """The legacy encoding of a CSS font-family list: its first font decides."""
    first = value.split(",")[0]
    return font_encoding(first)


def _css_fonts(tree) -> dict[str, tuple[str, bool] | None]:
    """Selectors ("p", ".x", "body") of <style> rules that set a font-family."""
    rules: dict[str, tuple[str, bool] | None] = {}
    for style in tree.iter("style"):
        for selectors, body in _CSS_RULE.findall(style.text or ""):
            family = _FONT_FAMILY.search(body)
            if family:
                for sel in selectors.split(","):
                    rules[sel.strip().lower()] = _family_encoding(family.group(1))
    return rules


def _own_font(el, rules) -> tuple[str, bool] | None | bool:
    """The font an element sets (an encoding, None for a Unicode font), or False if it sets none."""
    face = el.get("face")
    if face:
        return _family_encoding(face)
    family = _FONT_FAMILY.search(el.get("style") or "")
    if family:
        return _family_encoding(family.group(1))
    for cls in (el.get("class") or "").split():
        if "." + cls.lower() in rules:
            return rules["." + cls.lower()]
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    return rules.get(tag, False)


def _convert_fonts(el, rules, current: tuple[str, bool] | None = None) -> None:
    """Turn the text of every legacy-font run into Unicode letters, font by font."""
    own = _own_font(el, rules)
    if own is not False:
        current = own
    if current and el.text:
        el.text = redecode(el.text, *current)
    for child in el:
        if not isinstance(child.tag, str):
            continue
        _convert_fonts(child, rules, current)
        if current and child.tail:
            child.tail = redecode(child.tail, *current)


def _unwrap_layout_tables(tree) -> None:
    """Old pages lay out the whole page in tables: a table holding paragraphs of text
    (or other tables) is layout, not data, so its cells become plain blocks."""
    for table in list(tree.iter("table")):
        cells = table.xpath("./tr/td | ./tbody/tr/td | ./tr/th | ./tbody/tr/th")
        layout = table.xpath(".//table") or any(len(_text(c)) > 300 for c in cells)
        if not layout:
            continue
        for el in [table, *table.xpath("./tbody | ./tr | ./tbody/tr"), *cells]:
            el.tag = "div"
            for attr in ("width", "valign", "align") if el.tag != "p" else ():
                el.attrib.pop(attr, None)


@cache
def _extractor() -> Extractor:
    """trafilatura's options, built once: per call they are read from its config again,
    a tenth of reading a page. It never changes them (``bare_extraction`` only reads)."""
    return Extractor(
        comments=False,
        tables=False,  # layout tables are unwrapped above; the rest are footers
        with_metadata=False,
        dedup=False,
        fast=True,  # no second opinion from the fallback extractors: half the time
    )


def _drop_link_lines(tree) -> None:
    """Blocks that are nothing but links (share buttons, menus in a row) are chrome."""
    # A block with over 200 letters is never one: its letters, counted children
    # first in one pass, spare reading the text of every enclosing block again.
    letters = _letters(tree)
    for el in list(tree.xpath("//p | //div | //td | //li")):
        if letters.get(el, 0) > 200:
            continue
        text = _text(el)
        if not text or len(text) > 200 or el.getparent() is None:
            continue
        links = " ".join(_text(a) for a in el.xpath(".//a"))
        if len(links) >= 0.9 * len(text):
            el.getparent().remove(el) if el.tail is None or not el.tail.strip() else None


def _letters(tree) -> dict:
    """Element -> characters of its text that are not white space (a lower bound of
    the length of :func:`_text`), for every element, in one pass from the leaves up."""
    count: dict = {}
    for el in reversed(list(tree.iter())):
        own = _nonspace(el.text) if isinstance(el.tag, str) else 0  # a comment's text is none
        for child in el:
            own += count.get(child, 0) + _nonspace(child.tail)
        count[el] = own
    return count


def _nonspace(text: str | None) -> int:
    return sum(map(len, text.split())) if text else 0


def _text(el) -> str:
    return " ".join(el.text_content().split()) if el is not None else ""


def _jsonld(tree) -> list[dict]:
    found: list[dict] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except (json.JSONDecodeError, TypeError):
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                stack.extend(item.get("@graph", []) if isinstance(item.get("@graph"), list) else [])
                kind = item.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if any(isinstance(k, str) and k.endswith("Article") for k in kinds):
                    found.append(item)
    return found


def _name(value: object) -> str | None:
    if isinstance(value, list):
        names = [n for n in map(_name, value) if n]
        return ", ".join(names) or None
    if isinstance(value, dict):
        value = value.get("name")
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _iso(value: object) -> dt.date | None:
    if not isinstance(value, str):
        return None
    m = _ISO_DATE.search(value)
    if m:
        try:
            return dt.date(*map(int, m.groups()))
        except ValueError:
            return None
    return parse_date(value)


def _metadata(tree) -> _Meta:
    """What the page's markup states: meta tags, JSON-LD, <time>."""

    tags: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop")
        value = " ".join((el.get("content") or "").split())
        if key and value:
            tags.setdefault(key.lower(), value)

    def meta(*keys: str) -> str | None:
        return next((tags[k.lower()] for k in keys if k.lower() in tags), None)

    m = _Meta()
    for item in _jsonld(tree):
        m.title = m.title or _name(item.get("headline"))
        m.date = m.date or _iso(item.get("datePublished"))
        m.author = m.author or _name(item.get("author"))
        m.site = m.site or _name(item.get("publisher"))
        entity = item.get("mainEntityOfPage")
        m.url = (
            m.url
            or _name(item.get("url"))
            or _name(entity.get("@id") if isinstance(entity, dict) else entity)
        )
    m.title = m.title or meta("og:title", "twitter:title")
    m.date = m.date or _iso(
        meta("article:published_time", "pubdate", "datePublished", "date", "dc.date")
    )
    if m.date is None:
        for el in tree.xpath("//time[@datetime] | //*[@pubdate]"):
            m.date = _iso(el.get("datetime") or el.get("pubdate") or _text(el))
            if m.date:
                break
    m.author = m.author or meta("article:author", "author", "dc.creator")
    if m.author and m.author.startswith("http"):
        m.author = None
    m.site = m.site or meta("og:site_name", "application-name")
    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    m.url = m.url or (canonical[0].strip() if canonical else None) or meta("og:url")
    if not m.title:
        h1 = tree.xpath("//h1")
        m.title = _text(h1[0]) if h1 else None
    return m


def _visible_lines(tree) -> list[str]:
    """The page's visible text, one block element a line."""
    parts: list[str] = []

    def walk(el) -> None:
        if not isinstance(el.tag, str) or el.tag.lower() in _DROP:
            if el.tail:
                parts.append(el.tail)
            return
        block = el.tag.lower() in _BLOCK
        if block:
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
        if block:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    body = tree.find("body")
    walk(body if body is not None else tree)
    return [" ".join(line.split()) for line in "".join(parts).split("\n") if line.strip()]


_LABELLED_DATE = re.compile(
    r"^(?:cập nhật|đăng|ngày đăng|đăng lúc|xuất bản|thời gian)\b[^/]{0,25}\d{1,2}/\d{1,2}/\d{4}",
    re.IGNORECASE,
)


def _is_date_line(line: str) -> bool:
    """A page's date line: "Thứ tư, 22/10/2025, 19:25", "21:22 | 23/05/2020", "Cập nhật: 08:30 ngày 05/06/2017"."""
    return bool(
        _BANNER.match(line)
        or _TIMESTAMP.match(line)
        or _TIMESTAMP_2.match(line)
        or (len(line) < 80 and _LABELLED_DATE.match(line))
    )


def _from_visible(lines: list[str], body: str) -> tuple[str | None, dt.date | None, int]:
    """(title, date stated beside it, index of the title line) from the line above the text."""
    first = normalize(body.strip().split("\n", 1)[0])[:60]
    start = next(
        (i for i, line in enumerate(lines) if first and normalize(line).startswith(first)), None
    )
    if start is None:
        return None, None, -1
    title, title_at, date = None, -1, None
    for i in range(start - 1, max(-1, start - 6), -1):
        line = normalize(lines[i])
        if _is_date_line(line):
            date = date or parse_date(line)
            continue
        if len(line) < 60 and byline_name(line):
            continue
        if 10 <= len(line) <= 250:
            title, title_at = line, i
        break
    if title and date is None:  # a date line right under the title
        for line in lines[title_at + 1 : title_at + 3]:
            if _is_date_line(normalize(line)):
                date = parse_date(normalize(line))
    return title, date, title_at


def _trim_head(lines: list[str], title: str | None) -> tuple[str, str | None, dt.date | None]:
    """The text without the title and date lines it opens with, the title, and the date stated.

    A short line without end punctuation followed by a date line is the title.
    """
    date = None
    while lines:
        first = normalize(lines[0]).strip()
        second = normalize(lines[1]).strip() if len(lines) > 1 else ""
        if _is_date_line(first):
            date = date or parse_date(first)
        elif title and first == normalize(title).strip():
            pass
        elif not title and len(first) <= 250 and _is_date_line(second):
            title = first
        else:
            break
        lines = lines[1:]
    return "\n".join(lines), title, date


def _byline(tree) -> str | None:
    """A byline the markup marks (class "author", "byline") or a bold name set right-aligned."""
    for el in tree.xpath(
        '//*[contains(@class, "author") or contains(@class, "byline")'
        ' or @align="right" or contains(translate(@style, " ", ""), "text-align:right")]'
    ):
        bold = el.xpath(".//b | .//strong") or [el]
        name = byline_name(_text(bold[-1])) if len(_text(bold[-1])) < 60 else None
        if name:
            return name
    return None


def read_html(data: bytes) -> Document | str:
    """A saved page's text and metadata, or the reason it has none."""
    m = _CHARSET.search(data[:4096])
    declared = m.group(1).decode("ascii", "replace").lower() if m else None
    legacy = bool(_LEGACY_FONT.search(data))
    if legacy and declared not in ("utf-8", "utf-16"):
        # Keep the characters as the fonts drew them; each font decodes its runs.
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    else:
        text = decode_bytes(data, declared)[0]
    if "<" not in text:
        return "not an HTML page"
    # Old pages break paragraphs with <br><br>: make them paragraphs trafilatura keeps apart.
    text = _BREAKS.sub("</p><p>", text)
    try:
        tree = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        return f"unparsable HTML: {exc}"
    if legacy:  # a page that names no legacy font has no run to convert
        _convert_fonts(tree, _css_fonts(tree))
    meta = _metadata(tree)
    _unwrap_layout_tables(tree)
    _drop_link_lines(tree)
    visible = _visible_lines(tree)
    author = meta.author or _byline(tree)
    # it takes the tree as it is: read what we need first
    body = trafilatura.extract(tree, options=_extractor())
    if not body or not body.strip():
        return "no article text in the page"
    body, head_title, head_date = _trim_head(body.strip().split("\n"), meta.title)
    title, date, _ = _from_visible(visible, body)
    title, date = head_title or title, head_date or date
    return Document(
        body=body.strip(),
        title=meta.title or title or "",
        date=meta.date or date,
        author=author,
        source=meta.site,
        url=meta.url,
        date_evidence="metadata" if meta.date else "page" if date else None,
    )
