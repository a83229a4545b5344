//! PutObject submitted to a client's async pool through the C API (`ossffi_client_submit_put_object`),
//! as a C program does it: the test links the library's exported functions directly.

use std::ffi::{CStr, CString, c_char, c_void};
use std::ptr;

#[repr(C)]
pub struct OpaqueConfig {
    _private: [u8; 0],
}
#[repr(C)]
pub struct OpaqueClient {
    _private: [u8; 0],
}
#[repr(C)]
pub struct OpaqueRequest {
    _private: [u8; 0],
}
#[repr(C)]
pub struct OpaqueCall {
    _private: [u8; 0],
}
#[repr(C)]
pub struct OpaqueResult {
    _private: [u8; 0],
}
#[repr(C)]
pub struct OpaqueError {
    _private: [u8; 0],
}

type Completion = Option<unsafe extern "C" fn(*mut c_void, *mut OpaqueCall)>;

unsafe extern "C" {
    fn ossffi_client_config_new() -> *mut OpaqueConfig;
    fn ossffi_client_config_free(config: *mut OpaqueConfig);
    fn ossffi_client_config_set_region(config: *mut OpaqueConfig, value: *const c_char) -> u32;
    fn ossffi_client_config_set_connect_timeout_ms(config: *mut OpaqueConfig, value: u32) -> u32;
    fn ossffi_client_config_set_request_timeout_ms(config: *mut OpaqueConfig, value: u32) -> u32;
    fn ossffi_client_config_set_retry_scale_ms(config: *mut OpaqueConfig, value: u32) -> u32;
    fn ossffi_client_new(
        endpoint: *const c_char,
        access_key_id: *const c_char,
        access_key_secret: *const c_char,
        security_token: *const c_char,
        config: *const OpaqueConfig,
        client_out: *mut *mut OpaqueClient,
        err_out: *mut *mut OpaqueError,
    ) -> u32;
    fn ossffi_client_free(client: *mut OpaqueClient);
    fn ossffi_put_request_new(
        bucket: *const c_char,
        key: *const c_char,
        request_out: *mut *mut OpaqueRequest,
    ) -> u32;
    fn ossffi_put_request_free(request: *mut OpaqueRequest);
    fn ossffi_put_request_set_body_buffer(
        request: *mut OpaqueRequest,
        data: *const u8,
        len: usize,
    ) -> u32;
    fn ossffi_put_request_set_header(
        request: *mut OpaqueRequest,
        name: *const c_char,
        value: *const c_char,
    ) -> u32;
    fn ossffi_client_submit_put_object(
        client: *const OpaqueClient,
        request: *mut OpaqueRequest,
        done: Completion,
        userdata: *mut c_void,
        when_full: u32,
        call_out: *mut *mut OpaqueCall,
    ) -> u32;
    fn ossffi_call_wait(call: *const OpaqueCall, timeout_ms: u64) -> u32;
    fn ossffi_call_result(call: *const OpaqueCall) -> u32;
    fn ossffi_call_take_put_result(call: *mut OpaqueCall) -> *mut OpaqueResult;
    fn ossffi_call_take_error(call: *mut OpaqueCall) -> *mut OpaqueError;
    fn ossffi_call_free(call: *mut OpaqueCall);
    fn ossffi_put_result_body(result: *const OpaqueResult, len_out: *mut usize) -> *const u8;
    fn ossffi_put_result_free(result: *mut OpaqueResult);
    fn ossffi_error_code(error: *const OpaqueError) -> *const c_char;
    fn ossffi_error_object_stored(error: *const OpaqueError) -> u32;
    fn ossffi_error_free(error: *mut OpaqueError);
}

/// The outcome of an async PutObject as a C caller sees it.
pub enum AsyncOutcome {
    /// The result's body (the callback server's reply).
    Ok(Vec<u8>),
    /// The error's code and `ossffi_error_object_stored` (0 no, 1 yes, 2 unknown).
    Err(String, u32),
}

fn c(s: &str) -> CString {
    CString::new(s).expect("no NUL")
}

/// A client (request timeout `timeout_ms`, 10 ms retry backoff) that uploads `data` to
/// `bucket`/`key` with `headers` through its async pool, and waits for the call.
#[allow(clippy::too_many_arguments)]
pub fn put_object_async(
    endpoint: &str,
    access_key_id: &str,
    access_key_secret: &str,
    region: &str,
    timeout_ms: u32,
    bucket: &str,
    key: &str,
    data: &[u8],
    headers: &[(String, String)],
) -> AsyncOutcome {
    // SAFETY: every pointer passed is live and every string NUL-terminated; each object is
    // freed once, after its last use; `data` outlives the call (waited for below).
    unsafe {
        let config = ossffi_client_config_new();
        assert!(!config.is_null());
        assert_eq!(
            ossffi_client_config_set_region(config, c(region).as_ptr()),
            0
        );
        assert_eq!(
            ossffi_client_config_set_connect_timeout_ms(config, timeout_ms),
            0
        );
        assert_eq!(
            ossffi_client_config_set_request_timeout_ms(config, timeout_ms),
            0
        );
        assert_eq!(ossffi_client_config_set_retry_scale_ms(config, 10), 0);
        let mut client = ptr::null_mut();
        let made = ossffi_client_new(
            c(endpoint).as_ptr(),
            c(access_key_id).as_ptr(),
            c(access_key_secret).as_ptr(),
            ptr::null(),
            config,
            &mut client,
            ptr::null_mut(),
        );
        ossffi_client_config_free(config);
        assert_eq!(made, 0, "ossffi_client_new");
        let mut request = ptr::null_mut();
        assert_eq!(
            ossffi_put_request_new(c(bucket).as_ptr(), c(key).as_ptr(), &mut request),
            0
        );
        assert_eq!(
            ossffi_put_request_set_body_buffer(request, data.as_ptr(), data.len()),
            0
        );
        for (name, value) in headers {
            assert_eq!(
                ossffi_put_request_set_header(request, c(name).as_ptr(), c(value).as_ptr()),
                0
            );
        }
        let mut call = ptr::null_mut();
        let submitted =
            ossffi_client_submit_put_object(client, request, None, ptr::null_mut(), 0, &mut call);
        if submitted != 0 {
            ossffi_put_request_free(request);
            ossffi_client_free(client);
            panic!("ossffi_client_submit_put_object: {submitted}");
        }
        assert_eq!(ossffi_call_wait(call, u64::MAX), 0);
        let outcome = if ossffi_call_result(call) == 0 {
            let result = ossffi_call_take_put_result(call);
            assert!(!result.is_null());
            let mut len = 0;
            let body = ossffi_put_result_body(result, &mut len);
            let body = if body.is_null() {
                Vec::new()
            } else {
                std::slice::from_raw_parts(body, len).to_vec()
            };
            ossffi_put_result_free(result);
            AsyncOutcome::Ok(body)
        } else {
            let error = ossffi_call_take_error(call);
            assert!(!error.is_null());
            let code = CStr::from_ptr(ossffi_error_code(error))
                .to_string_lossy()
                .into_owned();
            let stored = ossffi_error_object_stored(error);
            ossffi_error_free(error);
            AsyncOutcome::Err(code, stored)
        };
        ossffi_call_free(call);
        ossffi_client_free(client);
        outcome
    }
}
