//! Strings across the boundary: validated on the way in, NUL-terminated and owned on the way out.

use std::ffi::{CStr, CString, c_char};

use super::boundary::ffi_boundary;
use super::result::ossffi_result;

/// Borrows a C string as `&str`, checking for NULL and invalid UTF-8.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that stays valid while the result is used.
pub(crate) unsafe fn str_from_c<'a>(ptr: *const c_char) -> Result<&'a str, ossffi_result> {
    if ptr.is_null() {
        return Err(ossffi_result::NullParameter);
    }
    unsafe { CStr::from_ptr(ptr) }
        .to_str()
        .map_err(|_| ossffi_result::InvalidUtf8)
}

/// A `CString` for text that came from C or from our own builders. Such text has no interior
/// NUL, because every input string was NUL-terminated; should one appear anyway, the text is
/// cut at it rather than failing.
pub(crate) fn c_string(text: &str) -> CString {
    match CString::new(text) {
        Ok(s) => s,
        Err(err) => {
            let end = err.nul_position();
            CString::new(&text.as_bytes()[..end]).unwrap_or_default()
        }
    }
}

/// Hands a freshly built string to C; the caller frees it with `ossffi_string_free`.
pub(crate) fn owned_c_string(text: &str) -> *mut c_char {
    c_string(text).into_raw()
}

/// Writes pair `index` of `pairs` (a reply's headers, a form's fields) to the two outputs, which
/// then point into `pairs`; `InvalidArgument` for an index past the end.
///
/// # Safety
/// Both outputs are non-NULL and writable.
pub(crate) unsafe fn pair_at(
    pairs: &[(CString, CString)],
    index: usize,
    name_out: *mut *const c_char,
    value_out: *mut *const c_char,
) -> ossffi_result {
    let Some((name, value)) = pairs.get(index) else {
        return ossffi_result::InvalidArgument;
    };
    unsafe {
        *name_out = name.as_ptr();
        *value_out = value.as_ptr();
    }
    ossffi_result::Ok
}

/// Frees a string that ossffi returned as `char *` (for example from
/// `ossffi_callback_builder_build`). Never pass such a string to libc `free`, and never pass a
/// string ossffi returned as `const char *` (those belong to their object).
///
/// NULL is a no-op. Any thread may call it.
///
/// # Safety
/// `s` is NULL or a `char *` returned by ossffi that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ossffi_string_free(s: *mut c_char) {
    ffi_boundary! {
        if !s.is_null() {
            drop(unsafe { CString::from_raw(s) });
        }
    }
}
