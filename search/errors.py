"""Errors the library raises for callers (CLI, web) to turn into one-line messages."""


class VnsearchError(Exception):
    """Base class: the message is one line, fit to show a user."""


class BadRequest(VnsearchError, ValueError):
    """A parameter is invalid: the message names it (HTTP 400, exit status 2)."""


class IndexUnavailable(VnsearchError):
    """No index at the given place, or it cannot be read right now (HTTP 503)."""


class ReindexBusy(VnsearchError):
    """Another reindex holds the lock."""
