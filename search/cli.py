"""The `vnsearch` command: parse options, call the library, print. No logic of its own.

Exit status 0 on success, 2 on bad usage, 1 on failure, with a one-line
reason on stderr and never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from .errors import BadRequest, VnsearchError
from .models import SORTS, SearchRequest
from .report import FORMATS, GROUPS, MAX_ARTICLES, SITE_NAME

DEFAULT_CORPUS = "corpus"
DEFAULT_INDEX = "index"
PROGRESS_EVERY = 2000  # articles between two plain progress lines


class UsageError(Exception):
    """Bad command-line usage (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(f"{self.prog}: {message}")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {value!r}") from None


def positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return n


def build_parser() -> argparse.ArgumentParser:
    index_default = os.environ.get("VNSEARCH_INDEX", DEFAULT_INDEX)
    p = _Parser(prog="vnsearch", description="Full-text search over Vietnamese news.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    r = sub.add_parser("reindex", help="index corpus directories (incremental unless --full)")
    r.add_argument("corpus", nargs="*", help="corpus directories or files (default: corpus/)")
    r.add_argument("--index", default=index_default, help="index directory (default: index/)")
    r.add_argument("--full", action="store_true", help="rebuild beside the live index, then swap")
    r.add_argument(
        "--jobs", type=positive, default=None, help="worker processes (default: all cores)"
    )

    s = sub.add_parser("search", help="search the index")
    s.add_argument("query", help="the query (diacritics optional; Telex understood)")
    s.add_argument("--index", default=index_default)
    _filters(s)
    s.add_argument("--page", type=int, default=1)
    s.add_argument("--per-page", type=int, default=10)
    s.add_argument("--json", action="store_true", help="print the result object as JSON")

    e = sub.add_parser("export", help="write a search as a điểm báo: a .docx report or a .csv")
    e.add_argument("query", help="the query, as for search ('' for filters alone)")
    e.add_argument("--index", default=index_default)
    _filters(e)
    e.add_argument("--group", choices=GROUPS, default="date", help="items per day or per outlet")
    e.add_argument(
        "--limit", type=positive, default=MAX_ARTICLES, help=f"articles (at most {MAX_ARTICLES})"
    )
    e.add_argument("--format", choices=FORMATS, help="default: from -o's suffix, else csv")
    e.add_argument("-o", "--output", help="file to write (default: stdout)")
    e.add_argument(
        "--site-name",
        default=os.environ.get("VNSEARCH_SITE_NAME", SITE_NAME),
        help="the report's first line (env VNSEARCH_SITE_NAME)",
    )

    t = sub.add_parser("stats", help="articles, size, last reindex, counts per province and year")
    t.add_argument("--index", default=index_default)
    t.add_argument("--json", action="store_true")
    for command in _plugins():
        command.load()(sub, index_default)
    return p


def _filters(p: argparse.ArgumentParser) -> None:
    """The options that choose articles, the same for search and export."""
    p.add_argument("--province", action="append", default=[], help="filter (repeatable)")
    p.add_argument("--person", action="append", default=[], help="filter (repeatable)")
    p.add_argument("--source", action="append", default=[], help="filter (repeatable)")
    p.add_argument("--from", dest="date_from", type=_date, help="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=_date, help="YYYY-MM-DD")
    p.add_argument("--sort", choices=SORTS, default="relevance")
    p.add_argument(
        "--no-collapse",
        dest="collapse",
        action="store_false",
        help="show every syndicated copy (default: each story once, with its count)",
    )
    p.add_argument("--story", default=None, help="only the copies of this story id")


def _request(args, **more) -> SearchRequest:
    return SearchRequest(
        q=args.query,
        provinces=args.province,
        persons=args.person,
        sources=args.source,
        date_from=args.date_from,
        date_to=args.date_to,
        sort=args.sort,
        collapse=args.collapse,
        story=args.story,
        **more,
    )


def _plugins():
    """Commands that other packages add, such as ``web``'s ``serve``.

    The library never imports the web: ``web`` declares its commands under the
    ``vnsearch.commands`` entry-point group, and each one is a function that
    adds its sub-parser and sets ``handler``.
    """
    from importlib.metadata import entry_points

    return sorted(entry_points(group="vnsearch.commands"), key=lambda e: e.name)


def reindex(args) -> int:
    from .write.reindex import reindex as run

    corpora = args.corpus or [os.environ.get("VNSEARCH_CORPUS", DEFAULT_CORPUS)]
    for c in corpora:
        if not Path(c).exists():
            raise UsageError(f"vnsearch reindex: corpus not found: {c}")
    report = run(corpora, args.index, full=args.full, jobs=args.jobs, progress=_progress())
    for line in report.cleaned:
        print(f"cleaned up after an interrupted run: {line}", file=sys.stderr)
    for line in report.skipped:  # each names the file (and line) and says why
        print(f"vnsearch: {line}", file=sys.stderr)
    print(report.summary())
    return 0


def _progress():
    """A tqdm bar on a terminal, a plain line per tenth otherwise."""
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=0, unit="art", file=sys.stderr)

        def update(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        return update
    shown = [0, 0]  # tenths shown, articles at the last line

    def line(done: int, total: int) -> None:
        # A full run learns its total as it reads, so tenths of it can stall at
        # 9: a line every PROGRESS_EVERY articles as well.
        tenth = (10 * done // total) if total else 10
        if tenth > shown[0] or done - shown[1] >= PROGRESS_EVERY:
            shown[0], shown[1] = max(tenth, shown[0]), done
            print(f"analysed {done}/{total} articles", file=sys.stderr, flush=True)

    return line


def search(args) -> int:
    from .api import open_engine

    page = open_engine(args.index).search(_request(args, page=args.page, per_page=args.per_page))
    if args.json:
        print(json.dumps(page.to_dict(), ensure_ascii=False, indent=2))
        return 0
    folded = (
        f", gộp từ {page.total_articles} bài" if (page.total_articles or 0) > page.total else ""
    )
    print(f"{page.total} kết quả{folded} ({page.took_ms:.1f} ms)")
    if page.decoded:
        print(f"Đã hiểu là: {page.decoded}")
    if page.suggestion:
        print(f"Có phải bạn muốn tìm: {page.suggestion}")
    for i, hit in enumerate(page.hits, start=(page.page - 1) * page.per_page + 1):
        meta = " · ".join(x for x in (hit.date, hit.source, ", ".join(hit.provinces)) if x)
        print(f"{i:3}. {hit.title}  [{hit.id}]")
        if meta:
            print(f"     {meta}")
        print(f"     {_plain(hit.snippet)}")
        if hit.duplicates:
            where = f": {', '.join(hit.duplicate_sources)}" if hit.duplicate_sources else ""
            print(f"     và {hit.duplicates} bài cùng nội dung{where} [story {hit.story}]")
    return 0


def _plain(snippet: str) -> str:
    import html

    return html.unescape(snippet.replace("<mark>", "[").replace("</mark>", "]"))


def export(args) -> int:
    """A điểm báo of the search: a .docx report or a .csv table, to a file or stdout."""
    from .api import open_engine
    from .report import collect, write

    fmt = args.format or ("docx" if (args.output or "").lower().endswith(".docx") else "csv")
    if fmt == "docx" and not args.output and sys.stdout.isatty():
        raise UsageError("vnsearch export: a .docx report goes to a file: add -o FILE")
    report = collect(
        open_engine(args.index),
        _request(args),
        group=args.group,
        limit=args.limit,
        site_name=args.site_name,
    )
    data = write(report, fmt)
    if args.output:
        Path(args.output).write_bytes(data)
        print(f"{len(report.items)} tin, bài -> {args.output}", file=sys.stderr)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0


def stats(args) -> int:
    from .api import open_engine

    data = open_engine(args.index).stats().to_dict()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    last = data["last_reindex"] or {}
    print(f"articles: {data['articles']}")
    print(f"size on disk: {data['size_bytes'] / 2**20:.1f} MiB ({data['segments']} segments)")
    print(f"last reindex: {last.get('finished', 'unknown')} ({last.get('mode', '?')})")
    print("per year: " + ", ".join(f"{y}: {n}" for y, n in data["years"].items()))
    print("per province: " + ", ".join(f"{p}: {n}" for p, n in data["provinces"].items()))
    return 0


COMMANDS = {"reindex": reindex, "search": search, "export": export, "stats": stats}


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        handler = getattr(args, "handler", None) or COMMANDS[args.command]
        return handler(args)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except BadRequest as exc:
        print(f"vnsearch: {exc}", file=sys.stderr)
        return 2
    except VnsearchError as exc:
        print(f"vnsearch: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `vnsearch search ... | head`: the reader has all it wants
        # Point stdout at /dev/null so that flushing it at exit fails no more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("vnsearch: interrupted", file=sys.stderr)
        return 1
    except OSError as exc:
        print(
            f"vnsearch: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr
        )
        return 1
    except Exception as exc:  # never a traceback: one line, exit status 1
        print(f"vnsearch: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
