"""ossffi's C API (through ctypes) and Alibaba's official Python SDK (alibabacloud-oss-v2) on one
emulator: what one writes, the other reads, with the same bytes, ETag, CRC-64 and metadata."""

import ctypes
import hashlib

import alibabacloud_oss_v2 as oss
import pytest

import ossffi_ctypes
from ossffi_ctypes import Request, call, does_object_exist
from support import make_client

DATA = b"written by one client, read by the other\n" * 100


@pytest.fixture
def sdk(emulator):
    return make_client(emulator)


def sdk_put(sdk, bucket, key, body=DATA, **extra):
    return sdk.put_object(oss.PutObjectRequest(bucket=bucket, key=key, body=body, **extra))


def test_ossffi_reads_what_the_sdk_wrote(lib, client, sdk, bucket):
    put = sdk_put(sdk, bucket, "interop/sdk-wrote.txt", content_type="text/x-interop",
                  metadata={"author": "python sdk"})
    with Request(lib, bucket, "interop/sdk-wrote.txt") as request:
        got = call(client, "get_object", request)
    assert got.status == 200
    assert got.body == DATA
    assert got.fields["ETag"] == put.etag.strip('"') == hashlib.md5(DATA).hexdigest().upper()
    assert got.fields["CRC64"] == put.hash_crc64
    assert got.fields["ContentLength"] == str(len(DATA))
    assert got.fields["ContentType"] == "text/x-interop"
    assert got.headers["x-oss-meta-author"] == "python sdk"
    assert got.request_id


def test_ossffi_head_and_meta_agree_with_the_sdk(lib, client, sdk, bucket):
    sdk_put(sdk, bucket, "interop/head.txt", metadata={"lang": "py"})
    sdk_head = sdk.head_object(oss.HeadObjectRequest(bucket=bucket, key="interop/head.txt"))
    with Request(lib, bucket, "interop/head.txt") as request:
        head = call(client, "head_object", request)
        meta = call(client, "get_object_meta", request)
        assert does_object_exist(client, request) is True
    assert head.fields["ETag"] == sdk_head.etag.strip('"')
    assert head.fields["CRC64"] == sdk_head.hash_crc64
    assert head.fields["LastModified"] == sdk_head.headers["Last-Modified"]
    assert head.fields["ObjectType"] == sdk_head.object_type == "Normal"
    assert head.headers["x-oss-meta-lang"] == "py"
    assert meta.fields["ETag"] == head.fields["ETag"]
    assert meta.fields["ContentLength"] == str(len(DATA))


def test_ossffi_ranges_match_the_sdks(lib, client, sdk, bucket):
    sdk_put(sdk, bucket, "interop/range.bin")
    sdk_part = sdk.get_object(oss.GetObjectRequest(bucket=bucket, key="interop/range.bin", range_header="bytes=10-29"))
    with Request(lib, bucket, "interop/range.bin") as request:
        part = call(client, "get_object", request.set("set_range", 10, 29, 0))
    assert part.status == 206
    assert part.body == sdk_part.body.read() == DATA[10:30]
    assert part.headers["content-range"] == sdk_part.content_range


def test_a_python_write_callback_receives_what_the_sdk_wrote(lib, client, sdk, bucket):
    sdk_put(sdk, bucket, "interop/streamed.bin")
    received = bytearray()

    def write(userdata, data, length):
        received.extend(ctypes.string_at(data, length))
        return 0

    hook = ossffi_ctypes.WRITE_FN(write)
    with Request(lib, bucket, "interop/streamed.bin") as request:
        got = call(client, "get_object", request.set("set_output_callback", hook, None))
    assert bytes(received) == DATA
    assert got.body == b""


def test_ossffi_conditions_against_the_sdks_etag(lib, client, sdk, bucket):
    put = sdk_put(sdk, bucket, "interop/conditional.txt")
    with Request(lib, bucket, "interop/conditional.txt") as request:
        request.set("set_header", "If-None-Match", put.etag)
        with pytest.raises(ossffi_ctypes.OssffiError) as raised:
            call(client, "get_object", request)
    assert raised.value.code == "ServerError:304"
    assert raised.value.http_status == 304


def test_the_sdk_reads_what_ossffi_wrote(client, sdk, bucket):
    status, etag, crc64, _ = client.put_object(bucket, "interop/ossffi-wrote.bin", DATA)
    assert status == 200
    got = sdk.get_object(oss.GetObjectRequest(bucket=bucket, key="interop/ossffi-wrote.bin"))
    assert got.body.read() == DATA
    assert got.etag.strip('"') == etag
    assert int(got.hash_crc64) == crc64
    head = sdk.head_object(oss.HeadObjectRequest(bucket=bucket, key="interop/ossffi-wrote.bin"))
    assert head.content_length == len(DATA)


def test_ossffi_deletes_and_the_sdk_sees_it_gone(lib, client, sdk, bucket):
    sdk_put(sdk, bucket, "interop/deleted.txt")
    assert sdk.is_object_exist(bucket, "interop/deleted.txt")
    with Request(lib, bucket, "interop/deleted.txt") as request:
        deleted = call(client, "delete_object", request)
        assert deleted.status == 204
        assert deleted.fields == {"DeleteMarker": "false", "VersionId": ""}
        assert does_object_exist(client, request) is False
        with pytest.raises(ossffi_ctypes.OssffiError) as raised:
            call(client, "get_object", request)
    assert raised.value.code == "NoSuchKey"
    assert not sdk.is_object_exist(bucket, "interop/deleted.txt")


def test_ossffi_writes_a_file_of_what_the_sdk_wrote(lib, client, sdk, bucket, tmp_path):
    sdk_put(sdk, bucket, "interop/to-file.bin")
    target = tmp_path / "downloaded.bin"
    with Request(lib, bucket, "interop/to-file.bin") as request:
        got = call(client, "get_object", request.set("set_output_file", str(target)))
    assert target.read_bytes() == DATA
    assert got.body == b""
    assert [p.name for p in tmp_path.iterdir()] == ["downloaded.bin"]


def test_ossffi_lists_what_the_sdk_wrote_as_the_sdk_does(lib, client, sdk, bucket):
    keys = ["interop/list/a.txt", "interop/list/b c.txt", "interop/list/d/e.txt", "interop/list/f+g.txt"]
    for key in keys:
        sdk_put(sdk, bucket, key)
    sdk_page = sdk.list_objects(oss.ListObjectsRequest(bucket=bucket, prefix="interop/list/", delimiter="/",
                                                       encoding_type="url"))
    with Request(lib, bucket) as request:
        request.set("set_parameter", "prefix", "interop/list/")
        request.set("set_parameter", "delimiter", "/")
        request.set("set_parameter", "encoding-type", "url")
        page = call(client, "list_objects", request)
    assert [c["Key"] for c in page.lists["Contents"]] == [o.key for o in sdk_page.contents] == \
        ["interop/list/a.txt", "interop/list/b c.txt", "interop/list/f+g.txt"]
    assert page.lists["CommonPrefixes"] == [p.prefix for p in sdk_page.common_prefixes] == ["interop/list/d/"]
    assert [c["ETag"] for c in page.lists["Contents"]] == [o.etag.strip('"') for o in sdk_page.contents]
    assert [int(c["Size"]) for c in page.lists["Contents"]] == [o.size for o in sdk_page.contents]
    assert page.fields["IsTruncated"] == "false"
    assert page.fields["EncodingType"] == "url"
    assert page.fields["Name"] == bucket

    # Paging with max-keys and NextMarker reaches every key once, in order.
    seen, marker = [], None
    with Request(lib, bucket) as request:
        request.set("set_parameter", "prefix", "interop/list/")
        request.set("set_parameter", "max-keys", "1")
        while True:
            if marker is not None:
                request.set("set_parameter", "marker", marker)
            page = call(client, "list_objects", request)
            seen += [c["Key"] for c in page.lists["Contents"]]
            if page.fields["IsTruncated"] != "true":
                break
            marker = page.fields["NextMarker"]
    assert seen == sorted(keys)


def test_ossffi_deletes_many_that_the_sdk_wrote(lib, client, sdk, bucket):
    keys = ["interop/many/1", "interop/many/2 & <3>"]
    for key in keys:
        sdk_put(sdk, bucket, key)
    with Request(lib, bucket) as request:
        for key in keys + ["interop/many/never"]:
            request.set("add_key", key)
        deleted = call(client, "delete_objects", request)
    assert deleted.lists["Deleted"] == keys + ["interop/many/never"]
    assert deleted.fields["Quiet"] == "false"
    assert not any(sdk.is_object_exist(bucket, key) for key in keys)


def test_buckets_made_by_ossffi_serve_the_sdk(lib, client, sdk):
    with Request(lib, "interop-made-bucket") as request:
        created = call(client, "create_bucket", request.set("set_storage_class", "IA"))
        assert created.status == 200
        assert sdk.is_bucket_exist("interop-made-bucket")
        sdk_put(sdk, "interop-made-bucket", "inside.txt")
        listed = sdk.list_objects(oss.ListObjectsRequest(bucket="interop-made-bucket"))
        assert [o.key for o in listed.contents] == ["inside.txt"]
    with Request(lib, "interop-made-bucket") as request:
        with pytest.raises(ossffi_ctypes.OssffiError) as raised:
            call(client, "delete_bucket", request)
        assert (raised.value.code, raised.value.http_status) == ("BucketNotEmpty", 409)
        sdk.delete_object(oss.DeleteObjectRequest(bucket="interop-made-bucket", key="inside.txt"))
        assert call(client, "delete_bucket", request).status == 204
    assert not sdk.is_bucket_exist("interop-made-bucket")

