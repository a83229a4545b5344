"""Upload callbacks through the official SDK (oss-protocol.md section 4)."""

import base64
import hashlib
import json

import alibabacloud_oss_v2 as oss
import pytest

from support import BUCKET, b64_json, dead_url, make_client, start_emulator, stop_emulator

DATA = b"hello world"
FORM_BODY = (
    "bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}"
    "&crc64=${crc64}&contentMd5=${contentMd5}&operation=${operation}&reqId=${reqId}"
    "&clientIp=${clientIp}&height=${imageInfo.height}&my_var=${x:my_var}&other=${x:other}"
)


def put_with_callback(client, key, callback, callback_var=None, body=DATA):
    return client.put_object(
        oss.PutObjectRequest(
            bucket=BUCKET,
            key=key,
            body=body,
            callback=b64_json(callback),
            callback_var=b64_json(callback_var) if callback_var is not None else None,
        )
    )


def callback_failed_message(result):
    """The <Message> of a 203 CallbackFailed body."""
    assert result.status_code == 203
    assert "<Code>CallbackFailed</Code>" in result.callback_result
    return result.callback_result.split("<Message>")[1].split("</Message>")[0]


def test_form_callback_carries_system_and_custom_variables(client, receiver):
    result = put_with_callback(
        client,
        "cb/form dir/a.txt",
        {"callbackUrl": receiver.url(), "callbackBody": FORM_BODY},
        {"x:my_var": "a&b=c d/上传", "x:other": "2"},
    )
    assert result.status_code == 200
    callback = receiver.only_callback()
    assert callback.method == "POST"
    assert callback.target == "/callback"
    assert callback.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert callback.headers["Host"] == f"127.0.0.1:{receiver.port}"
    assert callback.headers["User-Agent"] == "http-client/0.0.1"
    assert callback.form() == {
        "bucket": BUCKET,
        "object": "cb/form dir/a.txt",
        "etag": result.etag.strip('"'),
        "size": str(len(DATA)),
        "mimeType": "text/plain",
        "crc64": result.hash_crc64,
        "contentMd5": base64.b64encode(hashlib.md5(DATA).digest()).decode(),
        "operation": "PutObject",
        "reqId": result.request_id,
        "clientIp": "127.0.0.1",
        "height": "",
        "my_var": "a&b=c d/上传",
        "other": "2",
    }


def test_form_callback_values_are_percent_encoded_with_space_as_20(client, receiver):
    put_with_callback(
        client,
        "cb/encoded.txt",
        {"callbackUrl": receiver.url(), "callbackBody": "v=${x:v}"},
        {"x:v": "a b&c/d"},
    )
    assert receiver.only_callback().body == b"v=a%20b%26c%2Fd"


def test_json_callback_renders_values_as_json_strings(client, receiver):
    body = '{"bucket":${bucket},"object":${object},"size":${size},"crc64":${crc64},"uid":${x:uid},"w":${imageInfo.width}}'
    result = put_with_callback(
        client,
        "cb/report.json",
        {"callbackUrl": receiver.url("/cb/json?tenant=a%2Fb"), "callbackBody": body, "callbackBodyType": "application/json"},
        {"x:uid": 'say "hi"\n'},
    )
    assert result.status_code == 200
    callback = receiver.only_callback()
    assert callback.target == "/cb/json?tenant=a%2Fb"
    assert callback.headers["Content-Type"] == "application/json"
    assert callback.json() == {
        "bucket": BUCKET,
        "object": "cb/report.json",
        "size": str(len(DATA)),
        "crc64": result.hash_crc64,
        "uid": 'say "hi"\n',
        "w": "",
    }


def test_callback_reply_reaches_the_sdk(client, receiver):
    receiver.reply = {"Status": "OK", "id": 42, "text": "上传成功"}
    result = put_with_callback(client, "cb/reply.txt", {"callbackUrl": receiver.url(), "callbackBody": "o=${object}"})
    assert result.status_code == 200
    assert json.loads(result.callback_result) == {"Status": "OK", "id": 42, "text": "上传成功"}
    assert result.etag == '"5EB63BBBE01EEED093CB22BB8F5ACDC3"'


def test_callback_host_is_the_host_header(client, receiver):
    put_with_callback(
        client,
        "cb/host.txt",
        {"callbackUrl": receiver.url(), "callbackHost": "api.example.com", "callbackBody": "o=${object}"},
    )
    assert receiver.only_callback().headers["Host"] == "api.example.com"


def test_second_url_is_tried_when_the_first_is_dead(client, receiver):
    result = put_with_callback(
        client, "cb/multi.txt", {"callbackUrl": f"{dead_url()};{receiver.url('/second')}", "callbackBody": "o=${object}"}
    )
    assert result.status_code == 200
    assert receiver.only_callback().target == "/second"


def test_dead_receiver_gives_203_and_the_object_is_stored(client):
    result = put_with_callback(client, "cb/dead.txt", {"callbackUrl": dead_url(), "callbackBody": "o=${object}"})
    assert callback_failed_message(result) == (
        "Error status : -1. OSS can not connect to your callbackUrl, please check it."
    )
    got = client.get_object(oss.GetObjectRequest(bucket=BUCKET, key="cb/dead.txt"))
    assert got.body.read() == DATA


def test_receiver_error_status_gives_203(client, receiver):
    receiver.status = 500
    result = put_with_callback(client, "cb/500.txt", {"callbackUrl": receiver.url(), "callbackBody": "o=${object}"})
    assert callback_failed_message(result) == "Error status : 500."


def test_callback_fail_fault_gives_203_without_contacting_the_receiver(receiver):
    faulty = start_emulator("--callback-fail-next", "1")
    try:
        client = make_client(faulty)
        callback = {"callbackUrl": receiver.url(), "callbackBody": "o=${object}"}
        first = put_with_callback(client, "cb/fault.txt", callback)
        assert callback_failed_message(first).startswith("Error status : -1.")
        assert receiver.callbacks == []
        second = put_with_callback(client, "cb/fault.txt", callback)
        assert second.status_code == 200
        receiver.only_callback()
    finally:
        stop_emulator(faulty)


def test_invalid_callback_gives_400_and_stores_nothing(client):
    with pytest.raises(oss.exceptions.OperationError) as raised:
        client.put_object(oss.PutObjectRequest(bucket=BUCKET, key="cb/invalid.txt", body=DATA, callback="error argument"))
    error = raised.value.unwrap()
    assert error.status_code == 400
    assert error.code == "InvalidArgument"
    assert error.message == "The callback configuration is not base64 encoded."
    with pytest.raises(oss.exceptions.OperationError) as raised:
        client.head_object(oss.HeadObjectRequest(bucket=BUCKET, key="cb/invalid.txt"))
    assert raised.value.unwrap().status_code == 404


def test_private_callback_address_gives_400_and_stores_nothing(client):
    with pytest.raises(oss.exceptions.OperationError) as raised:
        put_with_callback(client, "cb/private.txt", {"callbackUrl": "http://192.168.1.1/cb", "callbackBody": "o=${object}"})
    error = raised.value.unwrap()
    assert (error.status_code, error.code) == (400, "InvalidArgument")
    assert error.message == "Private address is forbidden to callback."
    with pytest.raises(oss.exceptions.OperationError) as raised:
        client.head_object(oss.HeadObjectRequest(bucket=BUCKET, key="cb/private.txt"))
    assert raised.value.unwrap().status_code == 404


def test_callback_that_is_not_json_gives_400(client):
    not_json = base64.b64encode(b"error argument").decode()
    with pytest.raises(oss.exceptions.OperationError) as raised:
        client.put_object(oss.PutObjectRequest(bucket=BUCKET, key="cb/notjson.txt", body=DATA, callback=not_json))
    error = raised.value.unwrap()
    assert (error.status_code, error.code) == (400, "InvalidArgument")
    assert error.message == "The callback configuration is not json format."


def test_multipart_upload_calls_back_on_complete(client, receiver):
    key = "cb/multipart.bin"
    part1 = bytes(i % 251 for i in range(100 * 1024))
    part2 = b"tail of the object"
    init = client.initiate_multipart_upload(oss.InitiateMultipartUploadRequest(bucket=BUCKET, key=key))
    parts = []
    for number, data in ((1, part1), (2, part2)):
        up = client.upload_part(
            oss.UploadPartRequest(bucket=BUCKET, key=key, upload_id=init.upload_id, part_number=number, body=data)
        )
        parts.append(oss.UploadPart(part_number=number, etag=up.etag))
    receiver.reply = {"Status": "OK", "multipart": True}
    result = client.complete_multipart_upload(
        oss.CompleteMultipartUploadRequest(
            bucket=BUCKET,
            key=key,
            upload_id=init.upload_id,
            complete_multipart_upload=oss.CompleteMultipartUpload(parts=parts),
            callback=b64_json({
                "callbackUrl": receiver.url(),
                "callbackBody": "object=${object}&size=${size}&etag=${etag}&contentMd5=${contentMd5}"
                "&operation=${operation}&v=${x:v}",
            }),
            callback_var=b64_json({"x:v": "mpu"}),
        )
    )
    assert result.status_code == 200
    assert json.loads(result.callback_result) == {"Status": "OK", "multipart": True}
    # With a callback the reply replaces the XML that carries the ETag; HEAD has it.
    head = client.head_object(oss.HeadObjectRequest(bucket=BUCKET, key=key))
    assert receiver.only_callback().form() == {
        "object": key,
        "size": str(len(part1) + len(part2)),
        "etag": head.etag.strip('"'),
        "contentMd5": "",
        "operation": "CompleteMultipartUpload",
        "v": "mpu",
    }
    got = client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=key))
    assert got.body.read() == part1 + part2
