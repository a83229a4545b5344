"""URLs presigned by Alibaba's official Python SDK (alibabacloud-oss-v2), used by ossffi's C API
through ctypes: PutObjectByUrl with the SDK's signed headers (the upload callback among them)
and GetObjectByUrl, against the emulator; and a reply read with ossffi_error_from_reply."""

import ctypes
import datetime

import alibabacloud_oss_v2 as oss
import pytest

from ossffi_ctypes import OK, OBJECT_STORED_YES, OssffiError, Request, call
from support import b64_json, dead_url, make_client

DATA = b"uploaded by ossffi through a URL the Python SDK signed\n" * 64


@pytest.fixture
def sdk(emulator):
    return make_client(emulator)


def upload(client, lib, url, headers, data):
    with Request(lib, None, url=url) as request:
        for name, value in headers.items():
            request.set("set_header", name, value)
        request.set("set_body_buffer", data, len(data))
        return call(client, "put_object_by_url", request)


def test_a_put_url_the_sdk_signed_with_a_callback_header(lib, client, sdk, bucket, receiver):
    callback = b64_json({"callbackUrl": receiver.url(), "callbackBody": "object=${object}&size=${size}&who=${x:who}"})
    signed = sdk.presign(oss.PutObjectRequest(bucket=bucket, key="by-url/sdk-signed.bin", content_type="text/plain",
                                              callback=callback, callback_var=b64_json({"x:who": "ctypes"})),
                         expires=datetime.timedelta(minutes=10))
    assert signed.method == "PUT"
    assert "x-oss-callback" in {name.lower() for name in signed.signed_headers}
    reply = upload(client, lib, signed.url, signed.signed_headers, DATA)
    assert reply.status == 200
    assert reply.body == b'{"Status": "OK"}'
    form = receiver.only_callback().form()
    assert form["who"] == "ctypes" and form["size"] == str(len(DATA))

    got = sdk.get_object(oss.GetObjectRequest(bucket=bucket, key="by-url/sdk-signed.bin"))
    assert got.body.read() == DATA
    assert got.etag.strip('"') == reply.fields["ETag"]
    assert str(got.hash_crc64) == reply.fields["CRC64"]

    get = sdk.presign(oss.GetObjectRequest(bucket=bucket, key="by-url/sdk-signed.bin"))
    with Request(lib, None, url=get.url) as request:
        request.set("set_range", 0, 9, 0)
        part = call(client, "get_object_by_url", request)
    assert part.status == 206 and part.body == DATA[:10]


def test_a_url_without_its_signed_headers_or_with_a_dead_callback_fails_as_oss_says(lib, client, sdk, bucket):
    signed = sdk.presign(oss.PutObjectRequest(bucket=bucket, key="by-url/refused", content_type="text/plain"))
    with pytest.raises(OssffiError) as refused:
        upload(client, lib, signed.url, {}, DATA)
    assert refused.value.code == "SignatureDoesNotMatch"
    assert refused.value.http_status == 403

    callback = b64_json({"callbackUrl": dead_url(), "callbackBody": "object=${object}"})
    signed = sdk.presign(oss.PutObjectRequest(bucket=bucket, key="by-url/dead", callback=callback))
    with pytest.raises(OssffiError) as failed:
        upload(client, lib, signed.url, signed.signed_headers, DATA)
    assert failed.value.code == "CallbackFailed"
    assert failed.value.object_stored == OBJECT_STORED_YES
    assert sdk.is_object_exist(bucket, "by-url/dead")


def test_a_reply_that_arrived_elsewhere_reads_as_the_sdk_reads_it(lib):
    body = b"invlid data<?xml version=\"1.0\"?><Error><Code>CallbackFailed</Code></Error>"
    err = ctypes.c_void_p()
    assert lib.ossffi_error_from_reply(203, body, len(body), ctypes.byref(err)) == OK
    try:
        assert lib.ossffi_error_code(err) == b"ParseXMLError:13"
        assert lib.ossffi_error_object_stored(err) == OBJECT_STORED_YES
    finally:
        lib.ossffi_error_free(err)
