"""The README documents every command, option and route (as sqlite-utils' test_docs does)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from search.cli import build_parser
from web import create_app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _subcommands():
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return action.choices, {c.dest: c.help for c in action._choices_actions}


COMMANDS, HELP = _subcommands()


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_and_is_in_the_readme(name):
    assert HELP.get(name), f"vnsearch {name} has no help line"
    assert re.search(rf"^\s*vnsearch {name}\b", README, re.M), f"README lacks `vnsearch {name}`"


@pytest.mark.parametrize(
    "name, option",
    [(n, o) for n, p in sorted(COMMANDS.items()) for a in p._actions for o in a.option_strings],
)
def test_every_option_is_in_the_readme(name, option):
    if option in ("-h", "--help"):
        return
    usage = re.search(rf"^\s*vnsearch {name}\b.*?(?=^\s*vnsearch |\n\n)", README, re.M | re.S)
    assert usage and option in usage.group(0), f"README's usage of {name} lacks {option}"


def _routes() -> list[str]:
    app = create_app({"INDEX": "/nonexistent", "TESTING": True})
    rules = [r.rule for r in app.url_map.iter_rules() if not r.rule.startswith("/static")]
    # /articles/<article_id:doc_id> is written /articles/<id> in prose.
    return sorted({re.sub(r"<[^>]+>", "<id>", r) for r in rules})


@pytest.mark.parametrize("route", _routes())
def test_every_route_is_in_the_readme(route):
    assert f"`{route}" in README or f"GET {route}" in README, f"README lacks {route}"
