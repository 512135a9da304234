"""web.balance: keep-alive connections shared evenly by the workers of ``vnsearch serve``."""

from __future__ import annotations

import os
import select

import pytest

from web import balance
from web.balance import Balance


class FakeServer:
    """What Balance uses of a waitress server: its socket map, readable(), handle_accept()."""

    def __init__(self, connections: int):
        self._map = {-i: object() for i in range(2 + connections)}  # listener, trigger, ...

    def readable(self) -> bool:
        return True

    def handle_accept(self) -> None:
        self._map[len(self._map) + 1000] = object()


@pytest.fixture
def attached():
    """attached(*connections): a Balance and one fake server per worker, attached and reported."""
    made = []

    def attach(*connections: int) -> tuple[Balance, list[FakeServer]]:
        b = Balance(len(connections))
        servers = [FakeServer(c) for c in connections]
        for slot, server in enumerate(servers):
            b.attach(server, slot)
        for server in servers:  # every worker reports once, as its loop does
            server.readable()
        made.append((b, servers))
        return b, servers

    yield attach
    for b, servers in made:
        for server in servers:
            for item in list(server._map.values()):
                if isinstance(item, balance._Wake):
                    item.close()
        for fds in b._pipes:
            for fd in fds:
                os.close(fd)


@pytest.mark.parametrize(
    ("connections", "accepting"),
    [
        ((0, 0), [True, True]),
        ((8, 8), [True, True]),
        ((9, 8), [False, True]),
        ((12, 4), [False, True]),
        ((3, 5, 3), [True, False, True]),
        ((1, 2, 3), [True, False, False]),
    ],
)
def test_only_the_workers_holding_fewest_accept(attached, connections, accepting):
    _, servers = attached(*connections)
    assert [s.readable() for s in servers] == accepting


def test_accepting_takes_turns_until_even(attached):
    _, servers = attached(0, 0)
    for _ in range(16):  # each new connection goes to a worker that accepts
        taker = next(s for s in servers if s.readable())
        taker.handle_accept()
    assert [len(s._map) - 3 for s in servers] == [8, 8]  # less listener, trigger, pipe


def test_a_silent_worker_is_left_out(attached, monkeypatch):
    b, servers = attached(9, 2)
    assert not servers[0].readable()
    now = balance.time.monotonic()
    monkeypatch.setattr(balance.time, "monotonic", lambda: now + balance.STALE + 1)
    assert servers[0].readable()  # worker 1 has not reported since: dead or restarting


def test_an_accept_wakes_the_other_workers(attached):
    b, servers = attached(0, 0)
    reading = b._pipes[1][0]
    assert select.select([reading], [], [], 0)[0] == []
    servers[0].handle_accept()
    assert select.select([reading], [], [], 0)[0] == [reading]
    os.read(reading, 100)
