//! The panic boundary and argument checks every export goes through.
//!
//! An export's body runs inside `ffi_boundary!`, so a panic becomes `OSSFFI_RESULT_PANIC` (or NULL,
//! 0, false) instead of unwinding into C. The `try_*!` macros turn a bad argument into the
//! function's failure value, written with `return` inside the boundary's closure.

use super::result::ossffi_result;

/// How an export's return type says "failed with this code".
pub(crate) trait FailureValue {
    fn from_failure(code: ossffi_result) -> Self;
}

impl FailureValue for ossffi_result {
    fn from_failure(code: ossffi_result) -> Self {
        code
    }
}

impl<T> FailureValue for *mut T {
    fn from_failure(_: ossffi_result) -> Self {
        std::ptr::null_mut()
    }
}

impl<T> FailureValue for *const T {
    fn from_failure(_: ossffi_result) -> Self {
        std::ptr::null()
    }
}

impl FailureValue for bool {
    fn from_failure(_: ossffi_result) -> Self {
        false
    }
}

impl FailureValue for () {
    fn from_failure(_: ossffi_result) -> Self {}
}

macro_rules! impl_failure_zero {
    ($($t:ty),*) => {$(
        impl FailureValue for $t {
            fn from_failure(_: ossffi_result) -> Self { 0 }
        }
    )*};
}
impl_failure_zero!(u16, u32, u64, usize, i32, i64);

/// Runs an export's body, turning a panic into the return type's failure value.
macro_rules! ffi_boundary {
    ($($body:tt)*) => {
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| { $($body)* })) {
            Ok(value) => value,
            Err(_) => $crate::ffi::boundary::FailureValue::from_failure(
                $crate::ffi::result::ossffi_result::Panic,
            ),
        }
    };
}

/// `&T` from a `*const T`, or return NullParameter.
macro_rules! try_ref {
    ($ptr:expr) => {
        match unsafe { $ptr.as_ref() } {
            Some(r) => r,
            None => {
                return $crate::ffi::boundary::FailureValue::from_failure(
                    $crate::ffi::result::ossffi_result::NullParameter,
                );
            }
        }
    };
}

/// `&mut T` from a `*mut T`, or return NullParameter.
macro_rules! try_mut {
    ($ptr:expr) => {
        match unsafe { $ptr.as_mut() } {
            Some(r) => r,
            None => {
                return $crate::ffi::boundary::FailureValue::from_failure(
                    $crate::ffi::result::ossffi_result::NullParameter,
                );
            }
        }
    };
}

/// `&str` from a NUL-terminated `const char *`, or return NullParameter / InvalidUtf8.
macro_rules! try_str {
    ($ptr:expr) => {
        match unsafe { $crate::ffi::strings::str_from_c($ptr) } {
            Ok(s) => s,
            Err(code) => return $crate::ffi::boundary::FailureValue::from_failure(code),
        }
    };
}

/// Checks an out-pointer is non-NULL and clears it, so it reads NULL on every failure path.
macro_rules! try_out {
    ($ptr:expr) => {{
        let out = $ptr;
        if out.is_null() {
            return $crate::ffi::boundary::FailureValue::from_failure(
                $crate::ffi::result::ossffi_result::NullParameter,
            );
        }
        unsafe { *out = ::std::ptr::null_mut() };
        out
    }};
}

/// `&[u8]` from `{data, len}`, or return NullParameter / InvalidArgument.
macro_rules! try_bytes {
    ($data:expr, $len:expr) => {
        match unsafe { $crate::ffi::boundary::bytes_from_c($data, $len) } {
            Ok(bytes) => bytes,
            Err(code) => return $crate::ffi::boundary::FailureValue::from_failure(code),
        }
    };
}

pub(crate) use {ffi_boundary, try_bytes, try_mut, try_out, try_ref, try_str};

/// Borrows `{data, len}` from C; `{NULL, 0}` is the empty buffer.
///
/// # Safety
/// `data` is NULL or points to `len` readable bytes that stay valid while the result is used.
pub(crate) unsafe fn bytes_from_c<'a>(
    data: *const u8,
    len: usize,
) -> Result<&'a [u8], ossffi_result> {
    if len == 0 {
        return Ok(&[]);
    }
    if data.is_null() {
        return Err(ossffi_result::NullParameter);
    }
    if isize::try_from(len).is_err() {
        return Err(ossffi_result::InvalidArgument);
    }
    Ok(unsafe { std::slice::from_raw_parts(data, len) })
}

/// Moves a value to the heap and hands its ownership to C.
pub(crate) fn into_raw<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Takes back ownership of an object made by `into_raw` and drops it; NULL is a no-op.
///
/// # Safety
/// `ptr` is NULL or came from `into_raw::<T>` and has not been freed.
pub(crate) unsafe fn free_raw<T>(ptr: *mut T) {
    if !ptr.is_null() {
        drop(unsafe { Box::from_raw(ptr) });
    }
}
