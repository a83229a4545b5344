"""libossffi.so through ctypes: the C API as any language with an FFI sees it."""

import ctypes
import os

OK = 0
CALLBACK_FAILED = 15
CRC_MISMATCH = 16
ABORTED_BY_CALLBACK = 17
OBJECT_STORED_YES = 1

c_char_p, c_void_p, c_size_t, c_uint32, c_uint64, c_int32 = (
    ctypes.c_char_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint32, ctypes.c_uint64, ctypes.c_int32)
P = ctypes.POINTER

PROGRESS_FN = ctypes.CFUNCTYPE(c_int32, c_void_p, c_uint64, c_uint64, c_uint64)
WRITE_FN = ctypes.CFUNCTYPE(c_int32, c_void_p, P(ctypes.c_uint8), c_size_t)
VERB = (c_uint32, [c_void_p, c_void_p, P(c_void_p), P(c_void_p)])
READ_FN = ctypes.CFUNCTYPE(c_int32, c_void_p, P(ctypes.c_uint8), c_size_t, P(c_size_t))
REWIND_FN = ctypes.CFUNCTYPE(c_int32, c_void_p)
VERBS = ("get_object", "head_object", "get_object_meta", "delete_object", "delete_objects", "list_objects",
         "create_bucket", "delete_bucket", "initiate_multipart_upload", "upload_part", "complete_multipart_upload",
         "abort_multipart_upload", "list_parts", "list_multipart_uploads", "resumable_upload_object",
         "put_object_by_url", "get_object_by_url")

_SIGNATURES = {
    "ossffi_version": (c_char_p, []),
    "ossffi_result_name": (c_char_p, [c_uint32]),
    "ossffi_string_free": (None, [c_void_p]),
    "ossffi_callback_builder_new": (c_void_p, []),
    "ossffi_callback_builder_free": (None, [c_void_p]),
    "ossffi_callback_builder_set_url": (c_uint32, [c_void_p, c_char_p]),
    "ossffi_callback_builder_set_body": (c_uint32, [c_void_p, c_char_p]),
    "ossffi_callback_builder_set_body_type": (c_uint32, [c_void_p, c_uint32]),
    "ossffi_callback_builder_build": (c_uint32, [c_void_p, P(c_void_p)]),
    "ossffi_callback_var_builder_new": (c_void_p, []),
    "ossffi_callback_var_builder_free": (None, [c_void_p]),
    "ossffi_callback_var_builder_add": (c_uint32, [c_void_p, c_char_p, c_char_p]),
    "ossffi_callback_var_builder_build": (c_uint32, [c_void_p, P(c_void_p)]),
    "ossffi_client_config_new": (c_void_p, []),
    "ossffi_client_config_free": (None, [c_void_p]),
    "ossffi_client_config_set_region": (c_uint32, [c_void_p, c_char_p]),
    "ossffi_client_new": (c_uint32, [c_char_p, c_char_p, c_char_p, c_char_p, c_void_p, P(c_void_p), P(c_void_p)]),
    "ossffi_client_free": (None, [c_void_p]),
    "ossffi_put_request_new": (c_uint32, [c_char_p, c_char_p, P(c_void_p)]),
    "ossffi_put_request_free": (None, [c_void_p]),
    "ossffi_put_request_set_body_buffer": (c_uint32, [c_void_p, c_char_p, c_size_t]),
    "ossffi_put_request_set_callback": (c_uint32, [c_void_p, c_char_p, c_char_p]),
    "ossffi_put_request_set_progress": (c_uint32, [c_void_p, PROGRESS_FN, c_void_p]),
    "ossffi_client_put_object": (c_uint32, [c_void_p, c_void_p, P(c_void_p), P(c_void_p)]),
    "ossffi_put_result_free": (None, [c_void_p]),
    "ossffi_put_result_http_status": (c_uint32, [c_void_p]),
    "ossffi_put_result_etag": (c_char_p, [c_void_p]),
    "ossffi_put_result_crc64": (c_uint64, [c_void_p]),
    "ossffi_put_result_body": (P(ctypes.c_uint8), [c_void_p, P(c_size_t)]),
    "ossffi_request_new": (c_uint32, [c_char_p, c_char_p, P(c_void_p)]),
    "ossffi_request_new_url": (c_uint32, [c_char_p, P(c_void_p)]),
    "ossffi_request_free": (None, [c_void_p]),
    "ossffi_request_set_header": (c_uint32, [c_void_p, c_char_p, c_char_p]),
    "ossffi_request_set_parameter": (c_uint32, [c_void_p, c_char_p, c_char_p]),
    "ossffi_request_set_range": (c_uint32, [c_void_p, ctypes.c_int64, ctypes.c_int64, c_uint32]),
    "ossffi_request_set_check_crc64": (c_uint32, [c_void_p, c_uint32]),
    "ossffi_request_set_output_file": (c_uint32, [c_void_p, c_char_p]),
    "ossffi_request_set_output_callback": (c_uint32, [c_void_p, WRITE_FN, c_void_p]),
    "ossffi_request_add_key": (c_uint32, [c_void_p, c_char_p]),
    "ossffi_request_set_quiet": (c_uint32, [c_void_p, c_uint32]),
    "ossffi_request_set_progress": (c_uint32, [c_void_p, PROGRESS_FN, c_void_p]),
    "ossffi_request_set_upload_id": (c_uint32, [c_void_p, c_char_p]),
    "ossffi_request_set_part_number": (c_uint32, [c_void_p, c_uint32]),
    "ossffi_request_set_body_buffer": (c_uint32, [c_void_p, c_char_p, c_size_t]),
    "ossffi_request_set_body_file": (c_uint32, [c_void_p, c_char_p]),
    "ossffi_request_set_body_file_range": (c_uint32, [c_void_p, c_char_p, c_uint64, c_uint64]),
    "ossffi_request_set_body_callback": (c_uint32, [c_void_p, READ_FN, REWIND_FN, c_void_p, c_uint64]),
    "ossffi_request_set_compute_content_md5": (c_uint32, [c_void_p, c_uint32]),
    "ossffi_request_set_sequential": (c_uint32, [c_void_p, c_uint32]),
    "ossffi_request_add_part": (c_uint32, [c_void_p, c_uint32, c_char_p]),
    "ossffi_request_set_complete_all": (c_uint32, [c_void_p, c_uint32]),
    "ossffi_request_set_callback": (c_uint32, [c_void_p, c_char_p, c_char_p]),
    "ossffi_request_set_checkpoint_dir": (c_uint32, [c_void_p, c_char_p]),
    "ossffi_request_set_part_size": (c_uint32, [c_void_p, c_uint64]),
    "ossffi_request_set_thread_num": (c_uint32, [c_void_p, c_uint32]),
    "ossffi_client_does_object_exist": (c_uint32, [c_void_p, c_void_p, P(ctypes.c_bool), P(c_void_p)]),
    "ossffi_response_free": (None, [c_void_p]),
    "ossffi_response_http_status": (c_uint32, [c_void_p]),
    "ossffi_response_request_id": (c_char_p, [c_void_p]),
    "ossffi_response_header": (c_char_p, [c_void_p, c_char_p]),
    "ossffi_response_body": (P(ctypes.c_uint8), [c_void_p, P(c_size_t)]),
    "ossffi_response_field": (c_char_p, [c_void_p, c_char_p]),
    "ossffi_response_list_len": (c_size_t, [c_void_p, c_char_p]),
    "ossffi_response_list_field": (c_char_p, [c_void_p, c_char_p, c_size_t, c_char_p]),
    "ossffi_error_free": (None, [c_void_p]),
    "ossffi_error_code": (c_char_p, [c_void_p]),
    "ossffi_error_message": (c_char_p, [c_void_p]),
    "ossffi_error_http_status": (c_uint32, [c_void_p]),
    "ossffi_error_object_stored": (c_uint32, [c_void_p]),
    "ossffi_error_request_id": (c_char_p, [c_void_p]),
    "ossffi_error_from_reply": (c_uint32, [c_uint32, c_char_p, c_size_t, P(c_void_p)]),
}


def load():
    path = os.environ.get("OSSFFI_LIBRARY")
    if not path:
        raise RuntimeError("set OSSFFI_LIBRARY to libossffi.so (make test does)")
    lib = ctypes.CDLL(path)
    signatures = dict(_SIGNATURES)
    signatures.update({f"ossffi_client_{verb}": VERB for verb in VERBS})
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    return lib


class OssffiError(Exception):
    def __init__(self, result, code, message, http_status, object_stored):
        super().__init__(f"{code}: {message}")
        self.result = result
        self.code = code
        self.message = message
        self.http_status = http_status
        self.object_stored = object_stored


def take_string(lib, pointer):
    """Copies a `char *` ossffi returned and frees it with ossffi_string_free."""
    try:
        return ctypes.string_at(pointer.value).decode()
    finally:
        lib.ossffi_string_free(pointer)


def build_callback(lib, url, body, body_type=0):
    builder = lib.ossffi_callback_builder_new()
    try:
        assert lib.ossffi_callback_builder_set_url(builder, url.encode()) == OK
        assert lib.ossffi_callback_builder_set_body(builder, body.encode()) == OK
        assert lib.ossffi_callback_builder_set_body_type(builder, body_type) == OK
        out = c_void_p()
        assert lib.ossffi_callback_builder_build(builder, ctypes.byref(out)) == OK
        return take_string(lib, out)
    finally:
        lib.ossffi_callback_builder_free(builder)


def build_vars(lib, variables):
    builder = lib.ossffi_callback_var_builder_new()
    try:
        for key, value in variables.items():
            assert lib.ossffi_callback_var_builder_add(builder, key.encode(), value.encode()) == OK
        out = c_void_p()
        assert lib.ossffi_callback_var_builder_build(builder, ctypes.byref(out)) == OK
        return take_string(lib, out)
    finally:
        lib.ossffi_callback_var_builder_free(builder)


class Client:
    def __init__(self, lib, endpoint, access_key_id, access_key_secret, region):
        self.lib = lib
        config = lib.ossffi_client_config_new()
        lib.ossffi_client_config_set_region(config, region.encode())
        self.handle = c_void_p()
        err = c_void_p()
        rc = lib.ossffi_client_new(endpoint.encode(), access_key_id.encode(), access_key_secret.encode(), None,
                                   config, ctypes.byref(self.handle), ctypes.byref(err))
        lib.ossffi_client_config_free(config)
        if rc != OK:
            raise self._error(rc, err)

    def _error(self, rc, err):
        lib = self.lib
        try:
            return OssffiError(rc, lib.ossffi_error_code(err).decode(), lib.ossffi_error_message(err).decode(),
                               lib.ossffi_error_http_status(err), lib.ossffi_error_object_stored(err))
        finally:
            lib.ossffi_error_free(err)

    def put_object(self, bucket, key, data, callback="", callback_var="", progress=None):
        """Uploads bytes; returns (status, etag, crc64, reply bytes) or raises OssffiError."""
        lib = self.lib
        request = c_void_p()
        assert lib.ossffi_put_request_new(bucket.encode(), key.encode(), ctypes.byref(request)) == OK
        try:
            assert lib.ossffi_put_request_set_body_buffer(request, data, len(data)) == OK
            assert lib.ossffi_put_request_set_callback(request, callback.encode(), callback_var.encode()) == OK
            hook = PROGRESS_FN(progress) if progress else PROGRESS_FN(0)
            assert lib.ossffi_put_request_set_progress(request, hook, None) == OK
            result, err = c_void_p(), c_void_p()
            rc = lib.ossffi_client_put_object(self.handle, request, ctypes.byref(result), ctypes.byref(err))
            if rc != OK:
                raise self._error(rc, err)
            try:
                length = c_size_t()
                body = lib.ossffi_put_result_body(result, ctypes.byref(length))
                reply = ctypes.string_at(body, length.value) if length.value else b""
                return (lib.ossffi_put_result_http_status(result), lib.ossffi_put_result_etag(result).decode(),
                        lib.ossffi_put_result_crc64(result), reply)
            finally:
                lib.ossffi_put_result_free(result)
        finally:
            lib.ossffi_put_request_free(request)

    def close(self):
        self.lib.ossffi_client_free(self.handle)


class Request:
    """An ossffi_request: `with Request(lib, bucket, key) as r: r.call(lib.ossffi_request_set_header, ...)`."""

    def __init__(self, lib, bucket, key=None, url=None):
        self.lib = lib
        self.handle = c_void_p()
        if url is not None:
            assert lib.ossffi_request_new_url(url.encode(), ctypes.byref(self.handle)) == OK
            return
        assert lib.ossffi_request_new(bucket.encode(), key.encode() if key is not None else None,
                                      ctypes.byref(self.handle)) == OK

    def set(self, setter, *args):
        """Calls ossffi_request_<setter>(request, *args), strings encoded; asserts OK."""
        args = [a.encode() if isinstance(a, str) else a for a in args]
        rc = getattr(self.lib, f"ossffi_request_{setter}")(self.handle, *args)
        assert rc == OK, f"ossffi_request_{setter} returned {self.lib.ossffi_result_name(rc).decode()}"
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.lib.ossffi_request_free(self.handle)


class Response:
    """An ossffi_response read into Python values (and freed)."""

    def __init__(self, lib, handle):
        try:
            self.status = lib.ossffi_response_http_status(handle)
            self.request_id = lib.ossffi_response_request_id(handle).decode()
            length = c_size_t()
            body = lib.ossffi_response_body(handle, ctypes.byref(length))
            self.body = ctypes.string_at(body, length.value) if length.value else b""
            self._lib, self._handle = lib, handle
            self.fields = {}
            for name in ("ETag", "ContentLength", "ContentType", "LastModified", "CRC64", "VersionId",
                         "ObjectType", "StorageClass", "DeleteMarker", "Name", "Prefix", "Marker", "NextMarker",
                         "Delimiter", "MaxKeys", "IsTruncated", "EncodingType", "Quiet", "Bucket", "Key",
                         "UploadId", "PartNumber", "Location", "PartNumberMarker", "NextPartNumberMarker",
                         "MaxParts", "KeyMarker", "UploadIdMarker", "NextKeyMarker", "NextUploadIdMarker",
                         "MaxUploads"):
                value = lib.ossffi_response_field(handle, name.encode())
                if value is not None:
                    self.fields[name] = value.decode()
            self.lists = {
                "Contents": self._list("Contents", ("Key", "ETag", "Size", "LastModified", "StorageClass", "Type",
                                                    "OwnerID", "OwnerDisplayName", "RestoreInfo")),
                "CommonPrefixes": [r["Prefix"] for r in self._list("CommonPrefixes", ("Prefix",))],
                "Deleted": [r["Key"] for r in self._list("Deleted", ("Key",))],
                "Part": self._list("Part", ("PartNumber", "ETag", "Size", "LastModified", "HashCrc64ecma")),
                "Upload": self._list("Upload", ("Key", "UploadId", "Initiated")),
            }
            self.headers = {}
            self.meta = {}
            for name in ("Content-Type", "x-oss-meta-author", "x-oss-meta-lang", "Content-Range"):
                value = lib.ossffi_response_header(handle, name.encode())
                if value is not None:
                    self.headers[name.lower()] = value.decode()
        finally:
            lib.ossffi_response_free(handle)
            self._handle = None

    def _list(self, name, fields):
        lib, handle = self._lib, self._handle
        return [{f: lib.ossffi_response_list_field(handle, name.encode(), i, f.encode()).decode() for f in fields}
                for i in range(lib.ossffi_response_list_len(handle, name.encode()))]


def call(client, verb, request):
    """Runs ossffi_client_<verb>; returns a Response or raises OssffiError."""
    lib = client.lib
    response, err = c_void_p(), c_void_p()
    rc = getattr(lib, f"ossffi_client_{verb}")(client.handle, request.handle, ctypes.byref(response),
                                               ctypes.byref(err))
    if rc != OK:
        assert not response.value
        raise client._error(rc, err)
    return Response(lib, response)


def does_object_exist(client, request):
    lib = client.lib
    exists, err = ctypes.c_bool(True), c_void_p()
    rc = lib.ossffi_client_does_object_exist(client.handle, request.handle, ctypes.byref(exists), ctypes.byref(err))
    if rc != OK:
        raise client._error(rc, err)
    return exists.value
