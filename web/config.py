"""Configuration: defaults, then an optional file, then ``VNSEARCH_*`` variables.

The order follows flaskr: a mapping of defaults, a file the operator owns (its
path in ``VNSEARCH_CONFIG``; ``.py``, ``.json`` or ``.toml``), then the
environment. Explicit overrides (tests, ``vnsearch serve --index``) come last.
Every value is checked here, once, so that no request can meet a bad setting.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from search.errors import VnsearchError
from search.models import MAX_PER_PAGE
from search.report import MAX_ARTICLES

DEFAULTS: dict[str, Any] = {
    "INDEX": "index",
    "ALLOWED_ORIGINS": [],  # origins that may call the API and frame /embed
    "PER_PAGE": 10,
    "MAX_PER_PAGE": MAX_PER_PAGE,  # the library's default, raised or lowered here
    "MAX_PAGE": 1000,  # deeper pages cost more than anyone reads (the library allows 10,000)
    "FEED_SIZE": 20,
    "SUBPATH": "",  # e.g. "/tintuc" behind a reverse proxy
    "TRUSTED_PROXIES": 0,  # how many X-Forwarded-* hops to believe
    "SITE_NAME": "Tìm kiếm tin tức",
    "SUGGEST_LIMIT": 8,
    "EXPORT_LIMIT": MAX_ARTICLES,  # articles in one điểm báo; may only be lowered
}

# Environment variable (after the VNSEARCH_ prefix) -> config key.
ENV_KEYS = {
    "INDEX": "INDEX",
    "ALLOWED_ORIGINS": "ALLOWED_ORIGINS",
    "PER_PAGE": "PER_PAGE",
    "MAX_PER_PAGE": "MAX_PER_PAGE",
    "FEED_SIZE": "FEED_SIZE",
    "SUBPATH": "SUBPATH",
    "SCRIPT_NAME": "SUBPATH",
    "TRUSTED_PROXIES": "TRUSTED_PROXIES",
    "SITE_NAME": "SITE_NAME",
    "EXPORT_LIMIT": "EXPORT_LIMIT",
}

INT_KEYS = (
    "PER_PAGE",
    "MAX_PER_PAGE",
    "MAX_PAGE",
    "FEED_SIZE",
    "TRUSTED_PROXIES",
    "SUGGEST_LIMIT",
    "EXPORT_LIMIT",
)

_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
_SUBPATH = re.compile(r"^(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*$")  # no "." or ".." segments


class ConfigError(VnsearchError):
    """A configuration value is invalid; the message names the setting."""


def load_config(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The checked configuration: defaults < file < environment < ``overrides``."""
    config = dict(DEFAULTS)
    path = os.environ.get("VNSEARCH_CONFIG")
    if path:
        config.update(read_config_file(path))
    for name, key in ENV_KEYS.items():
        value = os.environ.get("VNSEARCH_" + name)
        if value is not None:
            config[key] = value
    if overrides:
        config.update(overrides)
    return check_config(config)


def read_config_file(path: str | Path) -> dict[str, Any]:
    """Settings from a ``.json``, ``.toml`` or Python file; keys are upper-cased."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"VNSEARCH_CONFIG: cannot read {path}: {e.strerror}") from None
    try:
        if path.suffix == ".json":
            data = json.loads(text)
        elif path.suffix == ".toml":
            import tomllib

            data = tomllib.loads(text)
        else:
            data = {}
            exec(compile(text, str(path), "exec"), {}, data)  # noqa: S102 - operator's file
    except Exception as e:  # any syntax error becomes one line naming the file
        raise ConfigError(f"VNSEARCH_CONFIG: {path}: {e}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"VNSEARCH_CONFIG: {path} must hold a table of settings")
    if path.suffix not in (".json", ".toml"):  # a Python file: only its UPPER_CASE names
        data = {k: v for k, v in data.items() if k.isupper()}
    return {k.upper(): v for k, v in data.items() if isinstance(k, str)}


def check_config(config: dict[str, Any]) -> dict[str, Any]:
    """Coerce strings from the environment and reject values no request could use."""
    for key in INT_KEYS:
        try:
            config[key] = int(config[key])
        except (TypeError, ValueError):
            raise ConfigError(f"{key} must be a whole number, not {config[key]!r}") from None
        if config[key] < 0 or (config[key] == 0 and key != "TRUSTED_PROXIES"):
            raise ConfigError(f"{key} must be positive, not {config[key]}")
    if config["EXPORT_LIMIT"] > MAX_ARTICLES:
        raise ConfigError(f"EXPORT_LIMIT ({config['EXPORT_LIMIT']}) exceeds {MAX_ARTICLES}")
    if config["PER_PAGE"] > config["MAX_PER_PAGE"]:
        raise ConfigError(f"PER_PAGE ({config['PER_PAGE']}) exceeds MAX_PER_PAGE")
    config["INDEX"] = str(config["INDEX"])
    config["ALLOWED_ORIGINS"] = parse_origins(config["ALLOWED_ORIGINS"])
    config["SUBPATH"] = parse_subpath(config["SUBPATH"])
    config["SITE_NAME"] = str(config["SITE_NAME"])
    return config


def parse_origins(value: str | list[str] | tuple[str, ...]) -> list[str]:
    """``"https://a.vn, https://b.vn"`` -> the list; ``*`` allows any origin.

    Origins go into CORS and CSP headers, so anything but scheme://host[:port]
    is refused rather than passed on.
    """
    items = value.split(",") if isinstance(value, str) else list(value)
    origins = []
    for item in items:
        origin = str(item).strip().rstrip("/").lower()
        if not origin:
            continue
        if origin != "*" and not _ORIGIN.match(origin):
            raise ConfigError(f"ALLOWED_ORIGINS: {origin!r} is not scheme://host[:port]")
        origins.append(origin)
    return origins


def parse_subpath(value: str) -> str:
    """``"tintuc/"`` -> ``"/tintuc"``; the root is the empty string."""
    path = "/" + str(value or "").strip().strip("/")
    path = "" if path == "/" else path
    if not _SUBPATH.match(path):
        raise ConfigError(f"SUBPATH: {value!r} is not a plain URL path such as /tintuc")
    return path
