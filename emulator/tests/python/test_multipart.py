"""Multipart upload through the official SDK: ListMultipartUploads, ListParts, complete-all and
sequential uploads, with the values the SDK reads back checked exactly."""

import hashlib
import xml.etree.ElementTree as ET

import alibabacloud_oss_v2 as oss
import pytest

from support import BUCKET

PART = 100 * 1024


def crc64(data):
    """CRC-64/XZ as OSS computes it, with the SDK's own implementation."""
    crc = oss.crc.Crc64(0)
    crc.update(data)
    return crc.sum64()


def initiate(client, key, **kwargs):
    return client.initiate_multipart_upload(
        oss.InitiateMultipartUploadRequest(bucket=BUCKET, key=key, **kwargs)
    ).upload_id


def upload_part(client, key, upload_id, number, data):
    return client.upload_part(
        oss.UploadPartRequest(bucket=BUCKET, key=key, upload_id=upload_id, part_number=number, body=data)
    )


def initiate_sequential(client, key):
    """InitiateMultipartUpload with ?sequential: SDK 1.4.1 has no field for it, so the request
    goes through the SDK's own invoke_operation with the parameter added."""
    output = client.invoke_operation(
        oss.OperationInput(
            op_name="InitiateMultipartUpload",
            method="POST",
            bucket=BUCKET,
            key=key,
            parameters={"uploads": "", "sequential": ""},
        )
    )
    return ET.fromstring(output.http_response.content).findtext("UploadId")


def test_list_multipart_uploads_lists_uploads_of_a_prefix_in_key_order(client):
    second = initiate(client, "mpu-list/b.bin")
    first = initiate(client, "mpu-list/a b.bin")
    initiate(client, "elsewhere/c.bin")
    result = client.list_multipart_uploads(
        oss.ListMultipartUploadsRequest(bucket=BUCKET, prefix="mpu-list/")
    )
    # The SDK asks for encoding-type=url and decodes: the space comes back as sent.
    assert [(u.key, u.upload_id) for u in result.uploads] == [
        ("mpu-list/a b.bin", first),
        ("mpu-list/b.bin", second),
    ]
    assert result.prefix == "mpu-list/"
    assert result.max_uploads == 1000
    assert result.is_truncated is False
    assert all(u.initiated is not None for u in result.uploads)


def test_list_multipart_uploads_pages_with_markers(client):
    ids = [initiate(client, "mpu-page/same") for _ in range(3)]
    page = client.list_multipart_uploads(
        oss.ListMultipartUploadsRequest(bucket=BUCKET, prefix="mpu-page/", max_uploads=2)
    )
    assert [u.upload_id for u in page.uploads] == ids[:2]
    assert page.is_truncated is True
    assert (page.next_key_marker, page.next_upload_id_marker) == ("mpu-page/same", ids[1])
    rest = client.list_multipart_uploads(
        oss.ListMultipartUploadsRequest(
            bucket=BUCKET,
            prefix="mpu-page/",
            key_marker=page.next_key_marker,
            upload_id_marker=page.next_upload_id_marker,
        )
    )
    assert [u.upload_id for u in rest.uploads] == ids[2:]
    assert rest.is_truncated is False


def test_list_multipart_uploads_paginator_walks_every_upload(client):
    ids = [initiate(client, f"mpu-paginator/{i}") for i in range(5)]
    paginator = client.list_multipart_uploads_paginator(limit=2)
    seen = []
    pages = 0
    for page in paginator.iter_page(oss.ListMultipartUploadsRequest(bucket=BUCKET, prefix="mpu-paginator/")):
        pages += 1
        seen.extend(u.upload_id for u in page.uploads or [])
    assert seen == ids
    assert pages == 3


def test_list_parts_reports_every_part_and_the_storage_class(client):
    key = "mpu-parts/file.bin"
    upload_id = initiate(client, key, storage_class="IA")
    data = {1: b"a" * PART, 2: b"b" * 10}
    for number, body in data.items():
        upload_part(client, key, upload_id, number, body)
    result = client.list_parts(oss.ListPartsRequest(bucket=BUCKET, key=key, upload_id=upload_id))
    assert result.storage_class == "IA"
    assert result.client_encryption_key is None
    assert [(p.part_number, p.size) for p in result.parts] == [(1, PART), (2, 10)]
    for part in result.parts:
        body = data[part.part_number]
        assert part.etag == '"%s"' % hashlib.md5(body).hexdigest().upper()
        assert part.hash_crc64 == str(crc64(body))
    paged = client.list_parts(
        oss.ListPartsRequest(bucket=BUCKET, key=key, upload_id=upload_id, max_parts=1, part_number_marker=1)
    )
    assert [p.part_number for p in paged.parts] == [2]
    assert (paged.part_number_marker, paged.next_part_number_marker, paged.max_parts) == (1, 2, 1)


def test_list_parts_returns_client_encryption_fields_of_the_initiate(client):
    key = "mpu-parts/encrypted.bin"
    upload_id = initiate(
        client,
        key,
        metadata={
            "client-side-encryption-key": "a2V5",
            "client-side-encryption-start": "c3RhcnQ=",
            "client-side-encryption-cek-alg": "AES/CTR/NoPadding",
            "client-side-encryption-wrap-alg": "RSA/NONE/PKCS1Padding",
            "client-side-encryption-data-size": "204800",
            "client-side-encryption-part-size": "102400",
        },
    )
    result = client.list_parts(oss.ListPartsRequest(bucket=BUCKET, key=key, upload_id=upload_id))
    assert result.client_encryption_key == "a2V5"
    assert result.client_encryption_start == "c3RhcnQ="
    assert result.client_encryption_cek_alg == "AES/CTR/NoPadding"
    assert result.client_encryption_wrap_alg == "RSA/NONE/PKCS1Padding"
    assert result.client_encryption_data_size == 204800
    assert result.client_encryption_part_size == 102400


def test_complete_all_joins_every_part_with_the_combined_crc(client):
    key = "mpu-complete/all.bin"
    upload_id = initiate(client, key)
    parts = [b"1" * PART, b"2" * PART, b"tail"]
    for number in (3, 1, 2):
        upload_part(client, key, upload_id, number, parts[number - 1])
    result = client.complete_multipart_upload(
        oss.CompleteMultipartUploadRequest(bucket=BUCKET, key=key, upload_id=upload_id, complete_all="yes")
    )
    whole = b"".join(parts)
    assert result.hash_crc64 == str(crc64(whole))
    md5s = hashlib.md5(b"".join(hashlib.md5(p).digest() for p in parts)).hexdigest().upper()
    assert result.etag == f'"{md5s}-3"'
    got = client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=key))
    assert got.body.read() == whole
    assert got.object_type == "Multipart"


def test_complete_all_with_a_part_list_is_refused(client):
    key = "mpu-complete/refused.bin"
    upload_id = initiate(client, key)
    etag = upload_part(client, key, upload_id, 1, b"x").etag
    with pytest.raises(oss.exceptions.OperationError) as raised:
        client.complete_multipart_upload(
            oss.CompleteMultipartUploadRequest(
                bucket=BUCKET,
                key=key,
                upload_id=upload_id,
                complete_all="yes",
                complete_multipart_upload=oss.CompleteMultipartUpload(
                    parts=[oss.UploadPart(part_number=1, etag=etag)]
                ),
            )
        )
    error = raised.value.unwrap()
    assert (error.status_code, error.ec) == (400, "0042-00000216")


def test_small_part_before_the_last_is_entity_too_small(client):
    key = "mpu-complete/small.bin"
    upload_id = initiate(client, key)
    upload_part(client, key, upload_id, 1, b"small")
    upload_part(client, key, upload_id, 2, b"last")
    with pytest.raises(oss.exceptions.OperationError) as raised:
        client.complete_multipart_upload(
            oss.CompleteMultipartUploadRequest(bucket=BUCKET, key=key, upload_id=upload_id, complete_all="yes")
        )
    error = raised.value.unwrap()
    assert (error.status_code, error.code) == (400, "EntityTooSmall")


def test_sequential_upload_refuses_a_part_out_of_order_and_a_replaced_part(client):
    key = "mpu-sequential/file.bin"
    upload_id = initiate_sequential(client, key)
    upload_part(client, key, upload_id, 1, b"1" * PART)
    with pytest.raises(oss.exceptions.OperationError) as raised:
        upload_part(client, key, upload_id, 3, b"3")
    error = raised.value.unwrap()
    assert (error.status_code, error.code) == (400, "PartNotSequential")
    with pytest.raises(oss.exceptions.OperationError) as raised:
        upload_part(client, key, upload_id, 1, b"again")
    error = raised.value.unwrap()
    assert (error.status_code, error.code, error.ec) == (409, "PartAlreadyExist", "0042-00000108")
    upload_part(client, key, upload_id, 2, b"2")
    result = client.complete_multipart_upload(
        oss.CompleteMultipartUploadRequest(bucket=BUCKET, key=key, upload_id=upload_id, complete_all="yes")
    )
    assert result.hash_crc64 == str(crc64(b"1" * PART + b"2"))


def test_aborted_upload_leaves_the_listing(client):
    key = "mpu-abort/file.bin"
    upload_id = initiate(client, key)
    client.abort_multipart_upload(oss.AbortMultipartUploadRequest(bucket=BUCKET, key=key, upload_id=upload_id))
    result = client.list_multipart_uploads(oss.ListMultipartUploadsRequest(bucket=BUCKET, prefix="mpu-abort/"))
    assert not result.uploads


def test_upload_part_copy_copies_ranges_into_parts_that_complete(client):
    source = hashlib.sha256(b"seed").digest() * (PART // 32 + 200)
    client.put_object(oss.PutObjectRequest(bucket=BUCKET, key="mpu-copy/src dir/source.bin", body=source))
    key = "mpu-copy/joined.bin"
    upload_id = initiate(client, key)
    ranges = [(0, PART - 1), (PART, len(source) - 1)]
    parts = []
    for number, (first, last) in enumerate(ranges, start=1):
        result = client.upload_part_copy(
            oss.UploadPartCopyRequest(
                bucket=BUCKET,
                key=key,
                upload_id=upload_id,
                part_number=number,
                source_key="mpu-copy/src dir/source.bin",
                source_range=f"bytes={first}-{last}",
            )
        )
        expected = hashlib.md5(source[first : last + 1]).hexdigest().upper()
        assert result.status_code == 200
        assert result.etag == f'"{expected}"'
        assert result.last_modified is not None
        parts.append(oss.UploadPart(part_number=number, etag=result.etag))
    listed = client.list_parts(oss.ListPartsRequest(bucket=BUCKET, key=key, upload_id=upload_id))
    assert [(p.part_number, p.size, p.hash_crc64) for p in listed.parts] == [
        (1, PART, str(crc64(source[:PART]))),
        (2, len(source) - PART, str(crc64(source[PART:]))),
    ]
    done = client.complete_multipart_upload(
        oss.CompleteMultipartUploadRequest(
            bucket=BUCKET,
            key=key,
            upload_id=upload_id,
            complete_multipart_upload=oss.CompleteMultipartUpload(parts=parts),
        )
    )
    assert done.hash_crc64 == str(crc64(source))
    assert client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=key)).body.read() == source


def test_upload_part_copy_of_a_missing_source_or_a_failed_condition(client):
    client.put_object(oss.PutObjectRequest(bucket=BUCKET, key="mpu-copy/cond.bin", body=b"conditional"))
    key = "mpu-copy/cond-dst.bin"
    upload_id = initiate(client, key)
    with pytest.raises(oss.exceptions.OperationError) as raised:
        client.upload_part_copy(
            oss.UploadPartCopyRequest(
                bucket=BUCKET, key=key, upload_id=upload_id, part_number=1, source_key="mpu-copy/missing"
            )
        )
    error = raised.value.unwrap()
    assert (error.status_code, error.code) == (404, "NoSuchKey")
    with pytest.raises(oss.exceptions.OperationError) as raised:
        client.upload_part_copy(
            oss.UploadPartCopyRequest(
                bucket=BUCKET,
                key=key,
                upload_id=upload_id,
                part_number=1,
                source_key="mpu-copy/cond.bin",
                if_none_match='"%s"' % hashlib.md5(b"conditional").hexdigest().upper(),
            )
        )
    error = raised.value.unwrap()
    assert (error.status_code, error.code) == (412, "PreconditionFailed")
