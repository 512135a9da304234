"""Errors the library raises for callers (CLI, web) to turn into one-line messages."""


class VnsearchError(Exception):
    """Base class: the message is one line, fit to show a user."""


class BadRequest(VnsearchError, ValueError):
    """A parameter is invalid: the message names it (HTTP 400, exit status 2)."""


class IndexUnavailable(VnsearchError):
    """No index at the given place, or it cannot be read right now (HTTP 503)."""


class ReindexBusy(VnsearchError):
    """Another reindex holds the lock."""


# The messages a caller shows for a bad parameter, in the users' language and
# naming the parameter: the web and the library raise the same words.


def out_of_range(name: str, low: int, high: int) -> BadRequest:
    """A whole-number parameter outside ``low..high``.

    >>> str(out_of_range("per_page", 1, 100))
    'Tham số per_page phải là số nguyên từ 1 đến 100.'
    """
    return BadRequest(f"Tham số {name} phải là số nguyên từ {low} đến {high}.")


def not_one_of(name: str, choices: tuple[str, ...]) -> BadRequest:
    """A parameter that must be one of a few words.

    >>> str(not_one_of("sort", ("relevance", "newest")))
    'Tham số sort phải là một trong: relevance, newest.'
    """
    return BadRequest(f"Tham số {name} phải là một trong: {', '.join(choices)}.")


def dates_reversed() -> BadRequest:
    """``from`` after ``to``."""
    return BadRequest("Tham số from (ngày bắt đầu) phải trước hoặc bằng to (ngày kết thúc).")
