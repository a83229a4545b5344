"""Fixtures for the ctypes tests: the emulator binary and the verifying receiver come from the
emulator's official-SDK test support (emulator/tests/python/support.py)."""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "emulator", "tests", "python"))

from support import ACCESS_KEY_ID, ACCESS_KEY_SECRET, BUCKET, REGION, Receiver, start_emulator, stop_emulator  # noqa: E402

import ossffi_ctypes  # noqa: E402


@pytest.fixture(scope="session")
def emulator():
    e = start_emulator()
    yield e
    stop_emulator(e)


@pytest.fixture(scope="session")
def lib():
    return ossffi_ctypes.load()


@pytest.fixture
def client(lib, emulator):
    c = ossffi_ctypes.Client(lib, emulator.endpoint, ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION)
    yield c
    c.close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def bucket():
    return BUCKET
