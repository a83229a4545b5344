"""Uploading with a callback from Python through ctypes, against the emulator."""

import hashlib
import json

import pytest

import ossffi_ctypes
from support import dead_url


def test_version_is_the_crate_version(lib):
    assert lib.ossffi_version().decode().count(".") == 2


def test_builders_match_the_cpp_sdk(lib):
    assert ossffi_ctypes.build_vars(lib, {"x:var1": "value1", "x:var2": "value2"}) == \
        "eyJ4OnZhcjEiOiJ2YWx1ZTEiLCJ4OnZhcjIiOiJ2YWx1ZTIifQ=="
    assert ossffi_ctypes.build_callback(lib, "192.168.1.1", "123456") == \
        "eyJjYWxsYmFja1VybCI6IjE5Mi4xNjguMS4xIiwiY2FsbGJhY2tCb2R5IjoiMTIzNDU2In0="


def test_upload_with_form_callback_returns_the_receivers_reply(lib, client, receiver, bucket):
    receiver.reply = {"Status": "OK", "from": "python receiver"}
    callback = ossffi_ctypes.build_callback(
        lib, receiver.url("/cb?lang=python"), "object=${object}&size=${size}&etag=${etag}&v=${x:lang}")
    callback_var = ossffi_ctypes.build_vars(lib, {"x:lang": "python ctypes"})
    data = b"uploaded from Python through libossffi"
    status, etag, crc64, reply = client.put_object(bucket, "py/ctypes.txt", data, callback, callback_var)

    assert status == 200
    assert etag == hashlib.md5(data).hexdigest().upper()
    assert crc64 != 0
    assert json.loads(reply) == {"Status": "OK", "from": "python receiver"}
    seen = receiver.only_callback()
    assert seen.target == "/cb?lang=python"
    assert seen.form() == {"object": "py/ctypes.txt", "size": str(len(data)), "etag": etag, "v": "python ctypes"}


def test_json_callback_body(lib, client, receiver, bucket):
    callback = ossffi_ctypes.build_callback(lib, receiver.url(), '{"object":${object},"size":${size}}', 1)
    client.put_object(bucket, "py/json.txt", b"12345", callback)
    assert receiver.only_callback().json() == {"object": "py/json.txt", "size": "5"}


def test_dead_receiver_raises_callback_failed_and_the_object_is_stored(lib, client, bucket):
    callback = ossffi_ctypes.build_callback(lib, dead_url(), "object=${object}")
    with pytest.raises(ossffi_ctypes.OssffiError) as raised:
        client.put_object(bucket, "py/dead.txt", b"kept", callback)
    assert raised.value.result == ossffi_ctypes.CALLBACK_FAILED
    assert raised.value.code == "CallbackFailed"
    assert raised.value.http_status == 203
    assert raised.value.object_stored == ossffi_ctypes.OBJECT_STORED_YES
    # The object is there: uploading it again without a callback shows the same ETag.
    status, etag, _, _ = client.put_object(bucket, "py/dead.txt", b"kept")
    assert etag == hashlib.md5(b"kept").hexdigest().upper()


def test_a_python_progress_callback_sees_every_byte_and_can_cancel(client, bucket):
    seen = []

    def progress(userdata, increment, transferred, total):
        seen.append((increment, transferred, total))
        return 0

    data = bytes(3_000_000)
    client.put_object(bucket, "py/progress.bin", data, progress=progress)
    assert sum(s[0] for s in seen) == len(data)
    assert seen[-1][1:] == (len(data), len(data))

    with pytest.raises(ossffi_ctypes.OssffiError) as raised:
        client.put_object(bucket, "py/cancelled.bin", data, progress=lambda *args: 1)
    assert raised.value.result == ossffi_ctypes.ABORTED_BY_CALLBACK
    assert raised.value.code == "ClientError:200042"


def test_wrong_secret_is_signature_does_not_match(lib, emulator, bucket):
    from support import ACCESS_KEY_ID, REGION
    bad = ossffi_ctypes.Client(lib, emulator.endpoint, ACCESS_KEY_ID, "wrong-secret", REGION)
    try:
        with pytest.raises(ossffi_ctypes.OssffiError) as raised:
            bad.put_object(bucket, "py/denied.txt", b"x")
        assert raised.value.code == "SignatureDoesNotMatch"
        assert raised.value.http_status == 403
    finally:
        bad.close()
