"""Plain object operations and authentication through the official SDK."""

import alibabacloud_oss_v2 as oss
import pytest

from support import BUCKET, make_client

DATA = b"Anything you're good at contributes to happiness."


def test_put_get_head_delete_round_trip(client):
    key = "objects/round trip.txt"
    put = client.put_object(oss.PutObjectRequest(bucket=BUCKET, key=key, body=DATA))
    assert put.status_code == 200
    # Value asserted by the official oss2 example for this text.
    assert put.hash_crc64 == "108247482078852440"

    got = client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=key))
    assert got.body.read() == DATA
    assert got.etag == put.etag

    head = client.head_object(oss.HeadObjectRequest(bucket=BUCKET, key=key))
    assert head.content_length == len(DATA)
    assert head.etag == put.etag
    assert head.content_type == "text/plain"

    deleted = client.delete_object(oss.DeleteObjectRequest(bucket=BUCKET, key=key))
    assert deleted.status_code == 204
    with pytest.raises(oss.exceptions.OperationError) as raised:
        client.head_object(oss.HeadObjectRequest(bucket=BUCKET, key=key))
    assert raised.value.unwrap().status_code == 404


def test_get_of_a_missing_key_gives_no_such_key(client):
    with pytest.raises(oss.exceptions.OperationError) as raised:
        client.get_object(oss.GetObjectRequest(bucket=BUCKET, key="objects/missing"))
    error = raised.value.unwrap()
    assert (error.status_code, error.code) == (404, "NoSuchKey")


def test_range_get_returns_the_requested_bytes(client):
    key = "objects/range.txt"
    client.put_object(oss.PutObjectRequest(bucket=BUCKET, key=key, body=DATA))
    got = client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=key, range_header="bytes=0-7"))
    assert got.body.read() == DATA[:8]


def test_wrong_secret_gives_signature_does_not_match(emulator):
    bad = make_client(emulator, secret="not-the-secret")
    with pytest.raises(oss.exceptions.OperationError) as raised:
        bad.put_object(oss.PutObjectRequest(bucket=BUCKET, key="objects/denied.txt", body=DATA))
    error = raised.value.unwrap()
    assert (error.status_code, error.code) == (403, "SignatureDoesNotMatch")
