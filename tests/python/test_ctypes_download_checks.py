"""Downloads through ctypes against an emulator that lies about CRC-64: the check, and the
request's switch that turns it off."""

import pytest

import ossffi_ctypes
from ossffi_ctypes import Request, call
from support import ACCESS_KEY_ID, ACCESS_KEY_SECRET, BUCKET, REGION, start_emulator, stop_emulator

DATA = b"bytes whose CRC-64 the server misreports\n" * 50


def test_a_wrong_crc64_fails_a_whole_download_unless_the_request_turns_the_check_off(lib):
    liar = start_emulator("--wrong-crc-always")
    client = ossffi_ctypes.Client(lib, liar.endpoint, ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION)
    try:
        # The upload is checked too: it fails, with the object stored.
        with pytest.raises(ossffi_ctypes.OssffiError) as raised:
            client.put_object(BUCKET, "py/crc.bin", DATA)
        assert raised.value.result == ossffi_ctypes.CRC_MISMATCH
        assert raised.value.object_stored == ossffi_ctypes.OBJECT_STORED_YES
        with Request(lib, BUCKET, "py/crc.bin") as request:
            with pytest.raises(ossffi_ctypes.OssffiError) as raised:
                call(client, "get_object", request)
            assert raised.value.result == ossffi_ctypes.CRC_MISMATCH
            assert raised.value.code == "ClientError:100001"
            assert call(client, "get_object", request.set("set_check_crc64", 0)).body == DATA
            # A range is never checked, as in the C++ SDK.
            request.set("set_check_crc64", 1)
            assert call(client, "get_object", request.set("set_range", 0, 9, 0)).body == DATA[:10]
    finally:
        client.close()
        stop_emulator(liar)
