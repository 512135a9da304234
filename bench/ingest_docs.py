"""Build saved pages, Word and PDF files from an article, with the truth about each.

A seeded generator: the same article, layout and seed give the same bytes.
bench/ingest_quality.py measures the readers on what this builds, and the
tests build their files with it. Every file comes with a :class:`Truth`: the
title, date and author it states (None where it states none), the body
paragraphs, and the chrome lines (menus, related articles, comments, footers)
that must not reach the body.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from search.ingest.encodings import encode_legacy

LAYOUTS = (
    "modern",  # og:, article:, JSON-LD, <time>; related list and comments beside the article
    "og_only",  # og: tags only; byline in a class="author" paragraph
    "inline",  # no metadata; related list, byline and comment thread inside the text's container
    "old_table",  # table layout, no metadata, <br><br> paragraphs, date line, right bold byline
    "tcvn3_font",  # old_table typed in .VnTime (title in .VnTimeH), declared windows-1252
    "vni_css",  # old_table in VNI-Times set by CSS, no charset
    "portal",  # meta name=author, <time pubdate>, no og:
    "cp1258",  # old_table in Windows-1258, declared
    "print",  # print view: title, text, byline; no date anywhere
    "messy",  # written after the readers, never tuned on: see html_page
)
AUTHORS = ("Thu Hiền", "Công Quân", "Minh Anh", "Hồng Hiếu", "Ngọc Lan", "Văn Thắng", "Phương Thảo")
SITES = ("Báo Lạng Sơn", "Báo Nghệ An", "Báo Quảng Ngãi", "Báo Bình Phước")
MENU = ("Trang chủ", "Thời sự", "Chính trị", "Kinh tế", "Văn hóa - Xã hội", "Quốc phòng - An ninh")
FOOTER = (
    "Cơ quan chủ quản: Tỉnh ủy. Giấy phép số 123/GP-BTTTT cấp ngày 10/5/2016",
    "Đường dây nóng: 0205.3812.345 - Email: toasoan@baotinh.vn",
    "Ghi rõ nguồn khi phát hành lại thông tin từ website này",
)
SHARE = ("Chia sẻ Facebook", "Gửi Zalo", "In bài viết")
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")
WEEKDAYS = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")


@dataclass
class Truth:
    title: str
    paragraphs: list[str]
    date: dt.date | None = None
    author: str | None = None
    chrome: list[str] = field(default_factory=list)
    encoding: str | None = None  # the legacy encoding the text was written in


def paragraphs_of(body: str, limit: int = 10) -> list[str]:
    """The article's paragraphs; one long block is cut every three sentences."""
    out: list[str] = []
    for block in (b.strip() for b in body.split("\n")):
        if not block:
            continue
        sentences = block.replace(". ", ".\n").split("\n")
        for i in range(0, len(sentences), 3):
            out.append(" ".join(sentences[i : i + 3]).strip())
    return [p for p in out if p][:limit]


def truth_for(article: dict, others: list[dict], rng: random.Random, layout: str) -> Truth:
    """What a page of ``layout`` made from ``article`` states, and its chrome."""
    date = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(3 * 365))
    related = [o["title"] for o in rng.sample(others, 4)]
    comments = [paragraphs_of(o["body"], 1)[0][:200] for o in rng.sample(others, 3)]
    chrome = [*MENU, *SHARE, *FOOTER, *related, *comments]
    stated = layout not in ("print",)
    return Truth(
        title=" ".join(article["title"].split()),
        paragraphs=paragraphs_of(article["body"]),
        date=date if stated else None,
        author=rng.choice(AUTHORS),
        chrome=chrome,
        encoding={"tcvn3_font": "tcvn3", "vni_css": "vni", "cp1258": "cp1258"}.get(layout),
    )


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def html_page(t: Truth, layout: str, site: str) -> bytes:
    """A saved news page of one of :data:`LAYOUTS` stating what ``t`` says."""
    n_menu, n_share, n_foot = len(MENU), len(SHARE), len(FOOTER)
    menu = t.chrome[:n_menu]
    share = t.chrome[n_menu : n_menu + n_share]
    footer = t.chrome[n_menu + n_share : n_menu + n_share + n_foot]
    related = t.chrome[n_menu + n_share + n_foot : n_menu + n_share + n_foot + 4]
    comments = t.chrome[n_menu + n_share + n_foot + 4 :]
    d = t.date
    nav = "".join(f'<li><a href="/c{i}">{_e(m)}</a></li>' for i, m in enumerate(menu))
    rel = "".join(f'<li><a href="/r{i}.html">{_e(r)}</a></li>' for i, r in enumerate(related))
    shares = "".join(f'<a class="share" href="#">{_e(s)}</a> ' for s in share)
    foot = "".join(f"<p>{_e(f)}</p>" for f in footer)
    paras = "".join(f"<p>{_e(p)}</p>" for p in t.paragraphs)
    comm = "".join(
        f'<div class="comment"><b>Bạn đọc {i}</b><p>{_e(c)}</p></div>'
        for i, c in enumerate(comments)
    )
    weekday = WEEKDAYS[d.weekday()] if d else ""
    dateline = f"{weekday}, {d:%d/%m/%Y}, 08:30" if d else ""
    if layout in ("modern", "og_only", "portal"):
        head = f"<title>{_e(t.title)} - {_e(site)}</title>"
        if layout == "modern":
            ld = {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "headline": t.title,
                "datePublished": f"{d.isoformat()}T08:30:00+07:00",
                "author": {"@type": "Person", "name": t.author},
                "publisher": {"@type": "Organization", "name": site},
                "mainEntityOfPage": "https://baotinh.vn/bai-viet.html",
            }
            head += (
                f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
            )
            head += f'<meta property="og:site_name" content="{_e(site)}">'
        if layout in ("modern", "og_only"):
            head += f'<meta property="og:title" content="{_e(t.title)}">'
            head += (
                f'<meta property="article:published_time" content="{d.isoformat()}T08:30:00+07:00">'
            )
            head += '<link rel="canonical" href="https://baotinh.vn/bai-viet.html">'
        byline = (
            f'<p class="author"><strong>{_e(t.author.upper())}</strong></p>'
            if layout != "portal"
            else ""
        )
        if layout == "portal":
            head += f'<meta name="author" content="{_e(t.author)}">'
        when = f'<time datetime="{d.isoformat()}" pubdate>{d:%d/%m/%Y} 08:30</time>'
        return (
            f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">{head}</head><body>'
            f'<header><div class="logo">{_e(site)}</div><nav><ul>{nav}</ul></nav></header>'
            f'<main><article><h1>{_e(t.title)}</h1><div class="meta">{when}</div>'
            f'<div class="content">{paras}{byline}</div><div class="tools">{shares}</div></article>'
            f'<aside class="related"><h3>Tin liên quan</h3><ul>{rel}</ul></aside>'
            f'<section class="comments"><h3>Bình luận</h3>{comm}</section></main>'
            f"<footer>{foot}</footer></body></html>"
        ).encode()
    body_cells = "<br><br>".join(_e(p) for p in t.paragraphs)
    title_cell = f'<font size="4"><b>{_e(t.title)}</b></font>'
    author_cell = f'<p align="right"><b>{_e(t.author)}</b></p>'
    menu_cells = "".join(f'<td><a href="/m{i}">{_e(m)}</a></td>' for i, m in enumerate(menu))
    rel_cells = "".join(
        f'<tr><td><a href="/r{i}.htm">{_e(r)}</a></td></tr>' for i, r in enumerate(related)
    )
    charset = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    enc = "utf-8"
    style = ""
    if layout == "messy":
        # Written after the readers and measured once, untuned: breadcrumbs over the title,
        # <title> "Title | Site", "Cập nhật: 08:30 ngày dd/mm/yyyy", a "Xem thêm" box and an
        # ad between paragraphs, a captioned photo, tags, a comment form, a "Theo" credit.
        mid = len(t.paragraphs) // 2
        first = "".join(f"<p>{_e(p)}</p>" for p in t.paragraphs[:mid])
        rest = "".join(f"<p>{_e(p)}</p>" for p in t.paragraphs[mid:])
        see = "".join(f'<li><a href="/x{i}">{_e(r)}</a></li>' for i, r in enumerate(related[:2]))
        return (
            f"<html><head><meta charset='utf-8'><title>{_e(t.title)} | {_e(site)}</title></head>"
            f'<body><div class="top"><ul>{nav}</ul></div><div class="wrap">'
            f'<div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/ts">Thời sự</a></div>'
            f'<h1 class="post-title">{_e(t.title)}</h1>'
            f'<div class="post-meta">Cập nhật: 08:30 ngày {d:%d/%m/%Y}</div>'
            f'<div class="post-body">{first}<div class="see-also"><b>Xem thêm:</b><ul>{see}</ul></div>'
            f'<div class="ads">Quảng cáo</div><figure><img src="a.jpg"><figcaption>Ảnh: {_e(site)}'
            f"</figcaption></figure>{rest}<p><b>{_e(t.author)}</b> (Theo {_e(site)})</p></div>"
            f'<div class="tags">Từ khóa: <a href="/t1">{_e(menu[2])}</a> <a href="/t2">{_e(menu[3])}</a></div>'
            f'<div class="others"><h3>Tin khác</h3><ul>{"".join(f"<li><a href=/o{i}>{_e(r)}</a></li>" for i, r in enumerate(related[2:]))}</ul></div>'
            f'<form class="comment-form"><textarea>Nhập bình luận</textarea><button>Gửi</button></form>'
            f'<div class="comment-list">{comm}</div></div><div class="bottom">{foot}</div></body></html>'
        ).encode()
    if layout == "inline":
        byline = f'<p style="text-align: right"><strong>{_e(t.author)}</strong></p>'
        inline_rel = f'<div class="box-related"><strong>Tin liên quan:</strong><ul>{rel}</ul></div>'
        thread = "".join(
            f'<div class="comment-item"><span class="name">Độc giả {i}</span>'
            f'<span class="time">10:{i}5 {d:%d/%m/%Y}</span><p>{_e(c)}</p></div>'
            for i, c in enumerate(comments)
        )
        return (
            f'<html><head><meta charset="utf-8"><title>{_e(site)}</title></head><body>'
            f'<div id="menu">{nav}</div><div id="main"><div class="detail">'
            f'<h2 class="title">{_e(t.title)}</h2><span class="date">{dateline}</span>'
            f'<div class="detail-content">{paras}{inline_rel}{byline}</div>'
            f'<div class="share">{shares}</div><div id="comments"><h4>Ý kiến bạn đọc</h4>{thread}'
            f'</div></div></div><div id="footer">{foot}</div></body></html>'
        ).encode()
    if layout == "print":
        return (
            f'<html><head><meta charset="utf-8"><title>{_e(site)}</title></head><body>'
            f"<h2>{_e(t.title)}</h2>{paras}<p><i>{_e(t.author.upper())}</i></p>"
            f"<hr><small>{_e(footer[0])}</small></body></html>"
        ).encode()
    body_open = "<body>"
    if layout == "tcvn3_font":  # the whole page typed in .VnTime, the title in .VnTimeH
        body_open = '<body><font face=".VnTime">'
        title_cell = f'<font face=".VnTimeH" size="4"><b>{_e(t.title.lower())}</b></font>'
        enc = "tcvn3"
    elif layout == "vni_css":
        style = '<style>body, td { font-family: "VNI-Times", serif; }</style>'
        enc = "vni"
    elif layout == "cp1258":
        charset = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
        enc = "cp1258"
    else:
        charset = '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
    page = (
        f"<html><head>{charset}<title>{_e(site)} - Tin tức</title>{style}</head>{body_open}"
        f'<table width="100%"><tr>{menu_cells}</tr></table>'
        f'<table width="780"><tr><td width="180" valign="top"><b>Tin mới</b><table>{rel_cells}</table></td>'
        f'<td valign="top">{title_cell}<br><font size="2" color="gray">{dateline}</font><br><br>'
        f"{body_cells}{author_cell}<br>{shares}</td></tr></table>"
        f'<table width="100%"><tr><td align="center">{"<br>".join(_e(f) for f in footer)}</td></tr></table>'
        "</body></html>"
    )
    # Markup is ASCII: the legacy encoders keep it as it is and encode the text.
    return page.encode() if enc == "utf-8" else encode_legacy(page, enc)


AGENCY = ("BAN TUYÊN GIÁO TỈNH ỦY", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def docx_file(t: Truth, variant: str, place: str = "Lạng Sơn") -> bytes:
    """A press office's Word file: ``heading`` (a Heading 1 title), ``official`` (an agency
    header table, a large bold title, a table), ``vntime`` (as ``official``, with every
    other paragraph typed in .VnTime). Core properties name the machine's user."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from search.ingest.encodings import encode_legacy

    doc = docx.Document()
    doc.core_properties.author = "Admin"
    doc.core_properties.title = "Microsoft Word - Document1"
    if variant != "heading":
        head = doc.add_table(rows=2, cols=2)
        head.cell(0, 0).text = AGENCY[0]
        head.cell(0, 1).text = AGENCY[1]
        head.cell(1, 0).text = "Số: 125-BC/BTGTU"
        head.cell(1, 1).text = MOTTO
        if t.date:
            doc.add_paragraph(
                f"{place}, ngày {t.date.day} tháng {t.date.month} năm {t.date.year}"
            ).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p = doc.add_paragraph()
        run = p.add_run(t.title)
        run.bold, run.font.size = True, Pt(16)
    else:
        doc.add_heading(t.title, level=1)
    for i, text in enumerate(t.paragraphs):
        if variant == "official" and i == 2:  # a table among the paragraphs, read in place
            table = doc.add_table(rows=1, cols=2)
            half = len(text) // 2
            cut = text.rfind(" ", 0, half) if " " in text[:half] else half
            table.cell(0, 0).text, table.cell(0, 1).text = text[:cut], text[cut:].strip()
            continue
        p = doc.add_paragraph()
        if variant == "vntime" and i % 2:
            run = p.add_run(encode_legacy(text, "tcvn3").decode("cp1252", errors="replace"))
            run.font.name = ".VnTime"
        else:
            p.add_run(text)
    p = doc.add_paragraph()
    p.add_run(t.author).bold = True
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def pdf_file(t: Truth, variant: str) -> bytes:
    """A PDF of the article: ``plain`` (title, text, byline) or ``official`` (with the
    agency header and the place-and-date line). Needs DejaVu (fonts-dejavu-core)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_font("DejaVu", "B", str(FONT_BOLD))
    if variant == "official":
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(0, 6, AGENCY[0])
        pdf.ln(3)
        if t.date:
            pdf.set_font("DejaVu", "", 11)
            pdf.multi_cell(
                0, 6, f"Lạng Sơn, ngày {t.date.day} tháng {t.date.month} năm {t.date.year}"
            )
            pdf.ln(3)
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 8, t.title)
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 11)
    for text in t.paragraphs:
        pdf.multi_cell(0, 6, text)
        pdf.ln(3)
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(0, 6, t.author.upper(), align="R")
    return bytes(pdf.output())
