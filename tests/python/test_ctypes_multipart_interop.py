"""Multipart upload through ossffi's C API (ctypes) and Alibaba's official Python SDK
(alibabacloud-oss-v2) on one emulator: parts ossffi uploads, the SDK reads back as one object;
an upload the SDK starts, ossffi lists and completes."""

import ctypes
import hashlib
import os

import alibabacloud_oss_v2 as oss
import pytest

import ossffi_ctypes
from ossffi_ctypes import READ_FN, REWIND_FN, Request, call
from support import make_client

PART = 100 * 1024
PARTS = [bytes((i * 7 + i // 251) & 0xFF for i in range(PART)), os.urandom(PART), b"the last part, short"]


def crc64(data):
    crc = oss.crc.Crc64(0)
    crc.update(data)
    return crc.sum64()


def md5_hex(data):
    return hashlib.md5(data).hexdigest().upper()


@pytest.fixture
def sdk(emulator):
    return make_client(emulator)


def test_sdk_reads_the_object_ossffi_uploaded_in_parts(lib, client, sdk, bucket, tmp_path):
    key = "interop/mpu/ossffi-wrote.bin"
    with Request(lib, bucket, key) as request:
        request.set("set_header", "Content-Type", "application/x-parts")
        init = call(client, "initiate_multipart_upload", request)
    upload_id = init.fields["UploadId"]
    assert upload_id and init.fields["Key"] == key and init.fields["Bucket"] == bucket

    # Part 1 from a buffer, part 2 from a range of a file, part 3 from a read callback.
    path = tmp_path / "parts.bin"
    path.write_bytes(b"head" + PARTS[1] + b"tail")
    source = {"pos": 0, "data": PARTS[2]}

    @READ_FN
    def read(_userdata, buffer, capacity, written):
        chunk = source["data"][source["pos"]:source["pos"] + min(capacity, 7)]
        ctypes.memmove(buffer, chunk, len(chunk))
        source["pos"] += len(chunk)
        written[0] = len(chunk)
        return 0

    @REWIND_FN
    def rewind(_userdata):
        source["pos"] = 0
        return 0

    etags = []
    with Request(lib, bucket, key) as request:
        request.set("set_upload_id", upload_id)
        buffer = PARTS[0]
        request.set("set_part_number", 1).set("set_body_buffer", buffer, len(buffer))
        etags.append(call(client, "upload_part", request))
        request.set("set_part_number", 2).set("set_body_file_range", str(path), 4, PART)
        etags.append(call(client, "upload_part", request))
        request.set("set_part_number", 3).set("set_body_callback", read, rewind, None, len(PARTS[2]))
        etags.append(call(client, "upload_part", request))
    for number, (part, data) in enumerate(zip(etags, PARTS), start=1):
        assert part.fields["PartNumber"] == str(number)
        assert part.fields["ETag"] == md5_hex(data)
        assert part.fields["CRC64"] == str(crc64(data))

    # The SDK sees the parts ossffi uploaded.
    listed = sdk.list_parts(oss.ListPartsRequest(bucket=bucket, key=key, upload_id=upload_id))
    assert [(p.part_number, p.size, p.etag) for p in listed.parts] == [
        (n, len(d), f'"{md5_hex(d)}"') for n, d in enumerate(PARTS, start=1)
    ]

    with Request(lib, bucket, key) as request:
        request.set("set_upload_id", upload_id)
        for number, part in enumerate(etags, start=1):
            request.set("add_part", number, part.fields["ETag"])
        done = call(client, "complete_multipart_upload", request)
    whole = b"".join(PARTS)
    md5s = md5_hex(b"".join(hashlib.md5(p).digest() for p in PARTS))
    assert done.fields["ETag"] == f"{md5s}-3"
    assert done.fields["CRC64"] == str(crc64(whole))
    assert done.body == b""

    got = sdk.get_object(oss.GetObjectRequest(bucket=bucket, key=key))
    assert got.body.read() == whole
    assert got.etag == f'"{md5s}-3"'
    assert got.hash_crc64 == str(crc64(whole))
    assert got.object_type == "Multipart"
    assert got.content_type == "application/x-parts"


def test_ossffi_lists_and_completes_the_upload_the_sdk_started(lib, client, sdk, bucket):
    key = "interop/mpu/sdk-started.bin"
    upload_id = sdk.initiate_multipart_upload(oss.InitiateMultipartUploadRequest(bucket=bucket, key=key)).upload_id
    sdk_etags = []
    for number, data in enumerate(PARTS, start=1):
        up = sdk.upload_part(
            oss.UploadPartRequest(bucket=bucket, key=key, upload_id=upload_id, part_number=number, body=data)
        )
        sdk_etags.append(up.etag.strip('"'))

    # ossffi finds the upload among the bucket's uploads.
    with Request(lib, bucket) as request:
        request.set("set_parameter", "prefix", "interop/mpu/sdk-")
        uploads = call(client, "list_multipart_uploads", request)
    assert [(u["Key"], u["UploadId"]) for u in uploads.lists["Upload"]] == [(key, upload_id)]
    assert uploads.fields["IsTruncated"] == "false"

    # ossffi lists the parts, two pages of two and one.
    with Request(lib, bucket, key) as request:
        request.set("set_upload_id", upload_id).set("set_parameter", "max-parts", "2")
        first = call(client, "list_parts", request)
        request.set("set_parameter", "part-number-marker", first.fields["NextPartNumberMarker"])
        rest = call(client, "list_parts", request)
    assert first.fields["IsTruncated"] == "true"
    assert first.fields["NextPartNumberMarker"] == "2"
    assert rest.fields["IsTruncated"] == "false"
    parts = first.lists["Part"] + rest.lists["Part"]
    assert [(p["PartNumber"], p["ETag"], p["Size"], p["HashCrc64ecma"]) for p in parts] == [
        (str(n), e, str(len(d)), str(crc64(d))) for n, (e, d) in enumerate(zip(sdk_etags, PARTS), start=1)
    ]

    # ossffi completes with the part list it read.
    with Request(lib, bucket, key) as request:
        request.set("set_upload_id", upload_id)
        for p in parts:
            request.set("add_part", int(p["PartNumber"]), p["ETag"])
        done = call(client, "complete_multipart_upload", request)
    whole = b"".join(PARTS)
    assert done.fields["CRC64"] == str(crc64(whole))
    head = sdk.head_object(oss.HeadObjectRequest(bucket=bucket, key=key))
    assert head.etag.strip('"') == done.fields["ETag"]
    assert head.content_length == len(whole)

    # Once completed, the upload is gone for both.
    with Request(lib, bucket, key) as request:
        request.set("set_upload_id", upload_id)
        with pytest.raises(ossffi_ctypes.OssffiError) as caught:
            call(client, "list_parts", request)
    assert caught.value.code == "NoSuchUpload"
    assert caught.value.http_status == 404
