"""The official SDK's Uploader (its resumable upload) against the emulator: parts in parallel,
a resume from the SDK's own checkpoint, and an upload callback carried on Complete."""

import hashlib
import os

import alibabacloud_oss_v2 as oss
import pytest

from support import BUCKET, b64_json

PART = 100 * 1024


def crc64(data):
    crc = oss.crc.Crc64(0)
    crc.update(data)
    return crc.sum64()


def multipart_etag(data, part_size):
    """OSS's ETag of a multipart object: MD5 of the parts' MD5s, dash, part count."""
    digests = [hashlib.md5(data[i : i + part_size]).digest() for i in range(0, len(data), part_size)]
    return '"%s-%d"' % (hashlib.md5(b"".join(digests)).hexdigest().upper(), len(digests))


@pytest.fixture
def big_file(tmp_path):
    data = os.urandom(7 * PART + 4321)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    return str(path), data


def test_parallel_parts_make_the_object_with_its_etag_and_crc64(client, big_file):
    path, data = big_file
    uploader = client.uploader(part_size=PART, parallel_num=4)
    result = uploader.upload_file(oss.PutObjectRequest(bucket=BUCKET, key="uploader/big.bin"), path)
    assert result.status_code == 200
    assert result.etag == multipart_etag(data, PART)
    assert int(result.hash_crc64) == crc64(data)
    got = client.get_object(oss.GetObjectRequest(bucket=BUCKET, key="uploader/big.bin"))
    assert got.body.read() == data
    assert got.object_type == "Multipart"
    assert int(got.hash_crc64) == crc64(data)


def test_a_file_under_the_part_size_is_one_put(client, tmp_path):
    data = os.urandom(PART - 1)
    path = tmp_path / "small.bin"
    path.write_bytes(data)
    result = client.uploader(part_size=PART).upload_file(
        oss.PutObjectRequest(bucket=BUCKET, key="uploader/small.bin"), str(path)
    )
    assert result.etag == '"%s"' % hashlib.md5(data).hexdigest().upper()
    head = client.head_object(oss.HeadObjectRequest(bucket=BUCKET, key="uploader/small.bin"))
    assert head.object_type == "Normal"


def test_the_sdks_checkpoint_resumes_the_upload_it_recorded(client, big_file, tmp_path):
    path, data = big_file
    key = "uploader/resumed.bin"
    checkpoint_dir = tmp_path / "cp"
    checkpoint_dir.mkdir()
    # An upload stopped after three parts, as if the process had died: start it by hand and
    # leave the SDK's checkpoint pointing at it.
    # The SDK takes the directory part of checkpoint_dir: it wants the trailing slash.
    uploader = client.uploader(
        part_size=PART, parallel_num=2, enable_checkpoint=True, checkpoint_dir=f"{checkpoint_dir}/"
    )
    request = oss.PutObjectRequest(bucket=BUCKET, key=key)
    delegate = uploader._delegate(request)
    delegate.check_source(path)
    with open(path, "rb") as reader:
        delegate.apply_source(reader)
        delegate.check_checkpoint()
        assert delegate._checkpoint is not None
        upload_id = client.initiate_multipart_upload(
            oss.InitiateMultipartUploadRequest(bucket=BUCKET, key=key)
        ).upload_id
        for number in (1, 2, 3):
            client.upload_part(
                oss.UploadPartRequest(
                    bucket=BUCKET,
                    key=key,
                    upload_id=upload_id,
                    part_number=number,
                    body=data[(number - 1) * PART : number * PART],
                )
            )
        delegate._checkpoint.upload_id = upload_id
        assert delegate._checkpoint.dump()
    assert len(list(checkpoint_dir.iterdir())) == 1
    result = uploader.upload_file(oss.PutObjectRequest(bucket=BUCKET, key=key), path)
    assert result.upload_id == upload_id, "the recorded upload was resumed"
    assert result.etag == multipart_etag(data, PART)
    got = client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=key))
    assert got.body.read() == data
    uploads = client.list_multipart_uploads(oss.ListMultipartUploadsRequest(bucket=BUCKET, prefix=key))
    assert not uploads.uploads


def test_the_callback_rides_on_complete(client, big_file, receiver):
    path, data = big_file
    request = oss.PutObjectRequest(
        bucket=BUCKET,
        key="uploader/called back.bin",
        callback=b64_json(
            {
                "callbackUrl": receiver.url(),
                "callbackBody": "object=${object}&size=${size}&etag=${etag}&who=${x:who}",
            }
        ),
        callback_var=b64_json({"x:who": "uploader"}),
    )
    result = client.uploader(part_size=PART, parallel_num=3).upload_file(request, path)
    callback = receiver.only_callback()
    assert callback.form() == {
        "object": "uploader/called back.bin",
        "size": str(len(data)),
        "etag": multipart_etag(data, PART).strip('"'),
        "who": "uploader",
    }
    assert result.status_code == 200
    head = client.head_object(oss.HeadObjectRequest(bucket=BUCKET, key="uploader/called back.bin"))
    assert head.etag == multipart_etag(data, PART)
    assert int(head.hash_crc64) == crc64(data)
