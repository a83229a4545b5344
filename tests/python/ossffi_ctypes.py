"""libossffi.so through ctypes: the C API as any language with an FFI sees it."""

import ctypes
import os

OK = 0
CALLBACK_FAILED = 15
ABORTED_BY_CALLBACK = 17
OBJECT_STORED_YES = 1

c_char_p, c_void_p, c_size_t, c_uint32, c_uint64, c_int32 = (
    ctypes.c_char_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint32, ctypes.c_uint64, ctypes.c_int32)
P = ctypes.POINTER

PROGRESS_FN = ctypes.CFUNCTYPE(c_int32, c_void_p, c_uint64, c_uint64, c_uint64)

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
    "ossffi_error_free": (None, [c_void_p]),
    "ossffi_error_code": (c_char_p, [c_void_p]),
    "ossffi_error_message": (c_char_p, [c_void_p]),
    "ossffi_error_http_status": (c_uint32, [c_void_p]),
    "ossffi_error_object_stored": (c_uint32, [c_void_p]),
}


def load():
    path = os.environ.get("OSSFFI_LIBRARY")
    if not path:
        raise RuntimeError("set OSSFFI_LIBRARY to libossffi.so (make test does)")
    lib = ctypes.CDLL(path)
    for name, (restype, argtypes) in _SIGNATURES.items():
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
