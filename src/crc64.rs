//! CRC-64 as OSS reports it in `x-oss-hash-crc64ecma`.
//!
//! OSS calls it "crc64ecma"; the parameters are those of CRC-64/XZ: ECMA-182 polynomial
//! `0x42F0E1EBA9EA3693` (reflected `0xC96C5795D7870F42`), init and xorout all-ones, reflected
//! input and output. `crc64(b"123456789") == 0x995DC9BBDF1939FA`, and the empty input gives 0
//! (written `x-oss-hash-crc64ecma: 0`). The header carries the value as unsigned decimal.
//!
//! Hashing uses `crc64fast` (SIMD carry-less multiplication where the CPU has it);
//! [`combine`] joins the CRCs of consecutive parts without their data, as multipart and append
//! uploads need.

use std::fmt;

/// The reflected ECMA-182 polynomial.
const POLY_REFLECTED: u64 = 0xC96C_5795_D787_0F42;

/// A running CRC-64/XZ over data fed in pieces.
///
/// ```
/// let mut crc = ossffi::crc64::Crc64::new();
/// crc.update(b"1234");
/// crc.update(b"56789");
/// assert_eq!(crc.value(), 0x995D_C9BB_DF19_39FA);
/// ```
#[derive(Clone, Default)]
pub struct Crc64 {
    digest: crc64fast::Digest,
}

impl Crc64 {
    /// A CRC over no data yet (value 0).
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds the next bytes.
    pub fn update(&mut self, data: &[u8]) {
        self.digest.write(data);
    }

    /// The CRC of everything fed so far; feeding may continue afterwards.
    pub fn value(&self) -> u64 {
        self.digest.sum64()
    }
}

impl fmt::Debug for Crc64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Crc64")
            .field("value", &self.value())
            .finish()
    }
}

/// The CRC-64/XZ of `data` in one call.
pub fn crc64(data: &[u8]) -> u64 {
    let mut crc = Crc64::new();
    crc.update(data);
    crc.value()
}

/// Continues a CRC-64/XZ: the CRC of `a || data` from `crc = crc64(a)`, as the C++ SDK's
/// `ComputeCRC64(crc, buf, len)` computes it (`crc64_update(0, data) == crc64(data)`).
///
/// The SIMD hasher always starts from an empty prefix, so `data` is hashed on its own and joined
/// to `crc` with [`combine`]; the join costs O(log len) and nothing per byte.
pub fn crc64_update(crc: u64, data: &[u8]) -> u64 {
    combine(crc, crc64(data), data.len() as u64)
}

/// `mat × vec` over GF(2): XOR of the matrix columns selected by the set bits of `vec`.
fn gf2_matrix_times(mat: &[u64; 64], mut vec: u64) -> u64 {
    let mut sum = 0;
    let mut column = 0;
    while vec != 0 {
        if vec & 1 != 0 {
            sum ^= mat[column];
        }
        vec >>= 1;
        column += 1;
    }
    sum
}

/// `square = mat × mat` over GF(2).
fn gf2_matrix_square(square: &mut [u64; 64], mat: &[u64; 64]) {
    for (out, &column) in square.iter_mut().zip(mat.iter()) {
        *out = gf2_matrix_times(mat, column);
    }
}

/// The CRC of `a || b` from `crc1 = crc64(a)`, `crc2 = crc64(b)` and `len2 = b.len()`, without
/// the data (zlib's `crc32_combine` method, ported to 64 bits).
///
/// Appending `len2` zero bytes to `a` is a linear map on the CRC register; it is applied to
/// `crc1` by repeated squaring of the one-zero-bit operator, then `crc2` is XOR-ed in. Because
/// init and xorout are both all-ones, their contributions cancel and no correction is needed.
/// `combine(0, c, n) == c` (empty prefix) and `combine(c, 0, 0) == c` (empty suffix).
pub fn combine(mut crc1: u64, crc2: u64, mut len2: u64) -> u64 {
    if len2 == 0 {
        return crc1;
    }

    // Operator for one zero bit: shift right, and XOR the polynomial when the low bit falls out.
    let mut odd = [0u64; 64];
    odd[0] = POLY_REFLECTED;
    let mut row = 1u64;
    for entry in odd.iter_mut().skip(1) {
        *entry = row;
        row <<= 1;
    }
    let mut even = [0u64; 64];
    gf2_matrix_square(&mut even, &odd); // two zero bits
    gf2_matrix_square(&mut odd, &even); // four zero bits

    // Apply len2 zero bytes: the first squaring below gives the one-byte operator, each further
    // squaring doubles it; apply the operators for the set bits of len2.
    loop {
        gf2_matrix_square(&mut even, &odd);
        if len2 & 1 != 0 {
            crc1 = gf2_matrix_times(&even, crc1);
        }
        len2 >>= 1;
        if len2 == 0 {
            break;
        }

        gf2_matrix_square(&mut odd, &even);
        if len2 & 1 != 0 {
            crc1 = gf2_matrix_times(&odd, crc1);
        }
        len2 >>= 1;
        if len2 == 0 {
            break;
        }
    }

    crc1 ^ crc2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc64_of_the_check_string_is_the_crc64_xz_check_value() {
        assert_eq!(crc64(b"123456789"), 0x995D_C9BB_DF19_39FA);
    }

    #[test]
    fn crc64_of_nothing_is_zero() {
        assert_eq!(crc64(b""), 0);
        assert_eq!(Crc64::new().value(), 0);
    }

    #[test]
    fn crc64_matches_cpp_sdk_emergency_broadcast_vector() {
        assert_eq!(
            crc64(b"This is a test of the emergency broadcast system."),
            0x27DB_187F_C15B_BC72
        );
    }

    #[test]
    fn update_in_pieces_equals_one_shot() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i * 31 % 256) as u8).collect();
        let mut crc = Crc64::new();
        for chunk in data.chunks(777) {
            crc.update(chunk);
        }
        assert_eq!(crc.value(), crc64(&data));
    }

    #[test]
    fn value_does_not_end_the_computation() {
        let mut crc = Crc64::new();
        crc.update(b"1234");
        let _ = crc.value();
        crc.update(b"56789");
        assert_eq!(crc.value(), 0x995D_C9BB_DF19_39FA);
    }

    #[test]
    fn combine_equals_crc_of_concatenation() {
        let a = b"123";
        let b = b"456789";
        assert_eq!(
            combine(crc64(a), crc64(b), b.len() as u64),
            crc64(b"123456789")
        );
    }

    #[test]
    fn combine_with_an_empty_part_is_the_other_crc() {
        let c = crc64(b"hello");
        assert_eq!(combine(c, 0, 0), c);
        assert_eq!(combine(0, c, 5), c);
    }

    #[test]
    fn crc64_update_matches_cpp_sdk_compute_crc64_examples() {
        assert_eq!(crc64_update(0, b"123456789"), 11_051_210_869_376_104_954);
        assert_eq!(crc64_update(0, b"a"), 3_675_645_893_302_102_789);
        assert_eq!(crc64_update(0, b"hello world"), 5_981_764_153_023_615_706);
        assert_eq!(crc64_update(0, b""), 0);
    }

    #[test]
    fn crc64_update_continues_a_running_crc() {
        let hello = crc64_update(0, b"hello ");
        assert_eq!(crc64_update(hello, b"world"), 5_981_764_153_023_615_706);
        assert_eq!(crc64_update(hello, b""), hello);
        let data: Vec<u8> = (0..5_000u32).map(|i| (i * 7 + 3) as u8).collect();
        let running = data.chunks(333).fold(0, crc64_update);
        assert_eq!(running, crc64(&data));
    }

    #[test]
    fn combine_matches_cpp_sdk_combine_crc64_example() {
        let (hello, world) = (crc64(b"hello "), crc64(b"world"));
        assert_eq!(combine(hello, world, 5), 5_981_764_153_023_615_706);
        assert_eq!(combine(hello, world, 0), hello);
    }

    #[test]
    fn debug_shows_the_current_value() {
        let mut crc = Crc64::new();
        crc.update(b"123456789");
        assert_eq!(format!("{crc:?}"), "Crc64 { value: 11051210869376104954 }");
    }
}
