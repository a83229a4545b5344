"""The resumable upload through ossffi's C API (ctypes), read back by Alibaba's official Python SDK
(alibabacloud-oss-v2) on one emulator: a file uploaded in parts on ossffi's worker threads, with a
form callback; and an upload cancelled from the progress callback, seen open by the SDK, then
resumed from its checkpoint record."""

import ctypes
import json
import os
import threading

import alibabacloud_oss_v2 as oss
import pytest

import ossffi_ctypes
from ossffi_ctypes import PROGRESS_FN, Request, call
from support import make_client

KIB = 1024
SIZE = 1024 * KIB + 1234  # six parts of 200 KiB, the last short


def crc64(data):
    crc = oss.crc.Crc64(0)
    crc.update(data)
    return crc.sum64()


@pytest.fixture
def sdk(emulator):
    return make_client(emulator)


class Progress:
    """Records the calls ossffi makes from its worker threads; cancels at `cancel_at` bytes."""

    def __init__(self, cancel_at=None):
        self.calls = []
        self.threads = set()
        self.cancel_at = cancel_at
        self.hook = PROGRESS_FN(self._call)

    def _call(self, _userdata, increment, transferred, total):
        self.calls.append((increment, transferred, total))
        self.threads.add(threading.get_ident())
        return 1 if self.cancel_at is not None and transferred >= self.cancel_at else 0


def resumable_upload(client, lib, bucket, key, path, checkpoint_dir, progress, part_size=200 * KIB, threads=3,
                     callback="", callback_var=""):
    with Request(lib, bucket, key) as request:
        request.set("set_body_file", str(path))
        request.set("set_part_size", part_size).set("set_thread_num", threads)
        if checkpoint_dir is not None:
            request.set("set_checkpoint_dir", str(checkpoint_dir))
        request.set("set_header", "Content-Type", "application/x-resumable")
        request.set("set_callback", callback, callback_var)
        request.set("set_progress", progress.hook, None)
        return call(client, "resumable_upload_object", request)


def test_sdk_reads_back_a_resumable_upload(lib, client, sdk, bucket, receiver, tmp_path):
    key = "interop/resumable/whole.bin"
    data = os.urandom(SIZE)
    path = tmp_path / "whole.bin"
    path.write_bytes(data)
    checkpoints = tmp_path / "ckpt"
    checkpoints.mkdir()
    callback = ossffi_ctypes.build_callback(lib, receiver.url(), "object=${object}&size=${size}&who=${x:who}")
    callback_var = ossffi_ctypes.build_vars(lib, {"x:who": "ctypes"})
    receiver.reply = {"Status": "OK", "from": "python receiver"}
    progress = Progress()

    done = resumable_upload(client, lib, bucket, key, path, checkpoints, progress, threads=4, callback=callback,
                            callback_var=callback_var)

    assert json.loads(done.body) == {"Status": "OK", "from": "python receiver"}
    assert receiver.only_callback().form() == {"object": key, "size": str(SIZE), "who": "ctypes"}
    assert done.fields["ETag"].endswith("-6") and '"' not in done.fields["ETag"]
    assert done.fields["CRC64"] == str(crc64(data))
    assert done.request_id
    assert list(checkpoints.iterdir()) == []  # the record is deleted on success

    transferred = [t for _, t, _ in progress.calls]
    assert transferred == sorted(transferred) and transferred[-1] == SIZE
    assert sum(i for i, _, _ in progress.calls) == SIZE
    assert {total for _, _, total in progress.calls} == {SIZE}
    assert threading.get_ident() not in progress.threads  # called from ossffi's workers

    got = sdk.get_object(oss.GetObjectRequest(bucket=bucket, key=key))
    assert got.body.read() == data
    assert got.etag == f'"{done.fields["ETag"]}"'
    assert got.hash_crc64 == str(crc64(data))
    assert got.object_type == "Multipart"
    assert got.content_type == "application/x-resumable"


def test_a_cancelled_upload_resumes_from_its_checkpoint(lib, client, sdk, bucket, tmp_path):
    key = "interop/resumable/resumed.bin"
    data = os.urandom(SIZE)
    path = tmp_path / "resumed.bin"
    path.write_bytes(data)
    checkpoints = tmp_path / "ckpt"
    checkpoints.mkdir()

    cancelled = Progress(cancel_at=450 * KIB)
    with pytest.raises(ossffi_ctypes.OssffiError) as caught:
        resumable_upload(client, lib, bucket, key, path, checkpoints, cancelled, threads=2)
    assert caught.value.result == ossffi_ctypes.ABORTED_BY_CALLBACK
    assert caught.value.code == "ClientError:200042"
    records = list(checkpoints.iterdir())
    assert len(records) == 1
    record = json.loads(records[0].read_text())
    assert (record["bucket"], record["key"], record["filePath"]) == (bucket, key, str(path))
    assert (record["size"], record["partSize"]) == (SIZE, 200 * KIB)

    # The SDK sees the upload kept open, with the parts sent before the cancel.
    uploads = sdk.list_multipart_uploads(oss.ListMultipartUploadsRequest(bucket=bucket, prefix=key)).uploads
    assert [(u.key, u.upload_id) for u in uploads] == [(key, record["uploadID"])]
    parts = sdk.list_parts(oss.ListPartsRequest(bucket=bucket, key=key, upload_id=record["uploadID"])).parts or []
    assert parts, "some parts were uploaded before the cancel"

    resumed = Progress()
    done = resumable_upload(client, lib, bucket, key, path, checkpoints, resumed, threads=2)
    assert done.fields["ETag"].endswith("-6")
    assert done.fields["CRC64"] == str(crc64(data))
    assert list(checkpoints.iterdir()) == []
    whole_parts = sum(p.size for p in parts if p.size == 200 * KIB)
    # Progress counts from the parts already there when the resume began: those listed above,
    # and possibly one more per thread. A part whose body had reached the emulator when the
    # cancel abandoned its answer is stored by the emulator moments later, after the listing
    # above when the machine is busy; the resume then finds it and rightly does not send it.
    first_increment, first_transferred, _ = resumed.calls[0]
    already = first_transferred - first_increment
    assert already % (200 * KIB) == 0
    assert whole_parts <= already <= whole_parts + 2 * 200 * KIB  # at most one part per thread
    assert sum(i for i, _, _ in resumed.calls) == SIZE - already
    assert resumed.calls[-1][1:] == (SIZE, SIZE)

    got = sdk.get_object(oss.GetObjectRequest(bucket=bucket, key=key))
    assert got.body.read() == data
    assert got.etag == f'"{done.fields["ETag"]}"'
    assert got.hash_crc64 == str(crc64(data))
    assert not sdk.list_multipart_uploads(oss.ListMultipartUploadsRequest(bucket=bucket, prefix=key)).uploads
