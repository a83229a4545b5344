"""Fixtures: one emulator per session, a verifying callback receiver and an SDK client per test."""

import pytest

from support import Receiver, make_client, start_emulator, stop_emulator


@pytest.fixture(scope="session")
def emulator():
    e = start_emulator()
    yield e
    stop_emulator(e)


@pytest.fixture
def client(emulator):
    return make_client(emulator)


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()
