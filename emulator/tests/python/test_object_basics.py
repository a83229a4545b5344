"""The object basics next to uploads through the official SDK: DeleteMultipleObjects (quiet and
verbose), DeleteBucket, GetObjectMeta, conditional HeadObject/GetObject and ListObjects with a
delimiter and URL-encoded names."""

import base64
import datetime
import hashlib
import hmac
import urllib.error
import urllib.request

import alibabacloud_oss_v2 as oss
import pytest

from support import ACCESS_KEY_ID, ACCESS_KEY_SECRET, BUCKET

BODY = b"object basics through the official SDK"


def put(client, key, body=BODY, bucket=BUCKET):
    return client.put_object(oss.PutObjectRequest(bucket=bucket, key=key, body=body))


def exists(client, key, bucket=BUCKET):
    return client.is_object_exist(bucket, key)


def error_of(call):
    with pytest.raises(oss.exceptions.OperationError) as raised:
        call()
    return raised.value.unwrap()


def test_delete_multiple_objects_verbose_lists_every_key(client):
    keys = ["basics/del/a", "basics/del/b c&<>", "basics/del/never-was"]
    for key in keys[:2]:
        put(client, key)
    put(client, "basics/del/kept")
    result = client.delete_multiple_objects(oss.DeleteMultipleObjectsRequest(
        bucket=BUCKET,
        objects=[oss.DeleteObject(key=k) for k in keys],
    ))
    assert result.status_code == 200
    # The SDK asks for encoding-type=url and decodes the keys back.
    assert result.encoding_type == "url"
    assert [d.key for d in result.deleted_objects] == keys
    assert not exists(client, keys[0])
    assert not exists(client, keys[1])
    assert exists(client, "basics/del/kept")


def test_delete_multiple_objects_quiet_answers_nothing_and_deletes(client):
    keys = ["basics/quiet/1", "basics/quiet/2"]
    for key in keys:
        put(client, key)
    result = client.delete_multiple_objects(oss.DeleteMultipleObjectsRequest(
        bucket=BUCKET,
        objects=[oss.DeleteObject(key=k) for k in keys],
        quiet=True,
    ))
    assert result.status_code == 200
    assert not result.deleted_objects
    assert not any(exists(client, k) for k in keys)


def test_delete_bucket_refuses_while_not_empty_then_deletes(client):
    bucket = "sdk-doomed-bucket"
    assert client.put_bucket(oss.PutBucketRequest(bucket=bucket)).status_code == 200
    put(client, "only-object", bucket=bucket)
    error = error_of(lambda: client.delete_bucket(oss.DeleteBucketRequest(bucket=bucket)))
    assert (error.status_code, error.code) == (409, "BucketNotEmpty")
    assert error.message == "The bucket you tried to delete is not empty."
    client.delete_object(oss.DeleteObjectRequest(bucket=bucket, key="only-object"))
    deleted = client.delete_bucket(oss.DeleteBucketRequest(bucket=bucket))
    assert deleted.status_code == 204
    assert not client.is_bucket_exist(bucket)
    error = error_of(lambda: client.delete_bucket(oss.DeleteBucketRequest(bucket=bucket)))
    assert (error.status_code, error.code) == (404, "NoSuchBucket")


def test_get_object_meta_reads_size_etag_time_and_crc(client):
    key = "basics/meta.txt"
    put_result = put(client, key)
    meta = client.get_object_meta(oss.GetObjectMetaRequest(bucket=BUCKET, key=key))
    assert meta.status_code == 200
    assert meta.content_length == len(BODY)
    assert meta.etag == put_result.etag
    assert meta.hash_crc64 == put_result.hash_crc64
    assert isinstance(meta.last_modified, datetime.datetime)
    error = error_of(lambda: client.get_object_meta(
        oss.GetObjectMetaRequest(bucket=BUCKET, key="basics/absent")))
    assert (error.status_code, error.code) == (404, "NoSuchKey")


def test_head_and_get_with_conditions_answer_304_and_412(client):
    key = "basics/conditional.txt"
    etag = put(client, key).etag
    head = client.head_object(oss.HeadObjectRequest(bucket=BUCKET, key=key))
    last_modified = head.headers["Last-Modified"]
    earlier = "Mon, 01 Jan 2001 00:00:00 GMT"

    assert client.head_object(oss.HeadObjectRequest(
        bucket=BUCKET, key=key, if_match=etag)).status_code == 200
    got = client.get_object(oss.GetObjectRequest(
        bucket=BUCKET, key=key, if_modified_since=earlier))
    assert got.body.read() == BODY

    for request in [
        oss.HeadObjectRequest(bucket=BUCKET, key=key, if_none_match=etag),
        oss.HeadObjectRequest(bucket=BUCKET, key=key, if_modified_since=last_modified),
    ]:
        error = error_of(lambda: client.head_object(request))
        assert error.status_code == 304
    error = error_of(lambda: client.get_object(oss.GetObjectRequest(
        bucket=BUCKET, key=key, if_none_match=etag)))
    assert error.status_code == 304

    for request in [
        oss.HeadObjectRequest(bucket=BUCKET, key=key, if_match='"0000"'),
        oss.HeadObjectRequest(bucket=BUCKET, key=key, if_unmodified_since=earlier),
    ]:
        error = error_of(lambda: client.head_object(request))
        # HEAD has no body: the SDK reads the error from x-oss-err.
        assert (error.status_code, error.code) == (412, "PreconditionFailed")
    error = error_of(lambda: client.get_object(oss.GetObjectRequest(
        bucket=BUCKET, key=key, if_match='"0000"')))
    assert (error.status_code, error.code) == (412, "PreconditionFailed")
    assert error.message == "At least one of the pre-conditions you specified did not hold."


def test_list_objects_with_delimiter_and_url_encoding(client):
    for key in ["basics/list/a b.txt", "basics/list/sub/x", "basics/list/sub/y", "basics/list/z&"]:
        put(client, key)
    result = client.list_objects(oss.ListObjectsRequest(
        bucket=BUCKET, prefix="basics/list/", delimiter="/", encoding_type="url"))
    assert result.encoding_type == "url"
    # The SDK decodes what the emulator URL-encoded.
    assert result.prefix == "basics/list/"
    assert result.delimiter == "/"
    assert [c.key for c in result.contents] == ["basics/list/a b.txt", "basics/list/z&"]
    assert [p.prefix for p in result.common_prefixes] == ["basics/list/sub/"]
    assert result.is_truncated is False

    first = client.list_objects(oss.ListObjectsRequest(
        bucket=BUCKET, prefix="basics/list/", delimiter="/", encoding_type="url", max_keys=2))
    assert first.is_truncated is True
    assert first.next_marker == "basics/list/sub/y"
    rest = client.list_objects(oss.ListObjectsRequest(
        bucket=BUCKET, prefix="basics/list/", delimiter="/", encoding_type="url",
        marker=first.next_marker))
    assert [c.key for c in rest.contents] == ["basics/list/z&"]
    assert not rest.common_prefixes


def test_delete_multiple_objects_without_content_md5_is_refused(emulator):
    # The SDK always adds Content-MD5, so this one request is V1-signed and sent by hand.
    body = b"<Delete><Object><Key>x</Key></Object></Delete>"
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%a, %d %b %Y %H:%M:%S GMT")
    string_to_sign = f"POST\n\napplication/xml\n{date}\n/{BUCKET}/?delete"
    signature = base64.b64encode(hmac.new(
        ACCESS_KEY_SECRET.encode(), string_to_sign.encode(), hashlib.sha1).digest()).decode()
    request = urllib.request.Request(
        f"{emulator.endpoint}/{BUCKET}/?delete", data=body, method="POST",
        headers={
            "Date": date,
            "Content-Type": "application/xml",
            "Authorization": f"OSS {ACCESS_KEY_ID}:{signature}",
        })
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=10)
    assert raised.value.code == 400
    text = raised.value.read().decode()
    assert "<Code>MissingArgument</Code>" in text
    assert "<EC>0016-00000606</EC>" in text
