//! UTC timestamps in the textual forms OSS uses, without a date library.
//!
//! All functions take or return Unix seconds (or milliseconds) in UTC; there is no local time
//! anywhere. Formatting accepts any `i64` whose year fits in four digits for the fixed-width forms;
//! parsing is strict: exact field widths, real calendar dates, seconds `00..=59`. The `sdk_*`
//! functions are the exception: they reproduce the C++ SDK's utilities, leniency included.

use std::time::{SystemTime, UNIX_EPOCH};

const SECONDS_PER_DAY: i64 = 86_400;
const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Seconds since the Unix epoch by the system clock (negative if the clock is set before 1970).
pub fn now_unix() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

/// A UTC calendar instant broken into fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11], March-based
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// (year, month, day) → days since 1970-01-01; the inverse of [`civil_from_days`].
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Civil {
    fn from_unix(unix: i64) -> Civil {
        let days = unix.div_euclid(SECONDS_PER_DAY);
        let secs = unix.rem_euclid(SECONDS_PER_DAY) as u32;
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: secs / 3600,
            minute: secs / 60 % 60,
            second: secs % 60,
        }
    }

    /// `None` unless every field is in range (including the day for that month and year).
    fn to_unix(self) -> Option<i64> {
        let valid = (1..=12).contains(&self.month)
            && self.day >= 1
            && self.day <= days_in_month(self.year, self.month)
            && self.hour < 24
            && self.minute < 60
            && self.second < 60;
        if !valid {
            return None;
        }
        let days = days_from_civil(self.year, self.month, self.day);
        let secs = i64::from(self.hour * 3600 + self.minute * 60 + self.second);
        days.checked_mul(SECONDS_PER_DAY)?.checked_add(secs)
    }
}

fn weekday_index(unix: i64) -> usize {
    // 1970-01-01 was a Thursday, WEEKDAYS[0].
    unix.div_euclid(SECONDS_PER_DAY).rem_euclid(7) as usize
}

/// RFC 1123 / IMF-fixdate in GMT, the `Date` header form: `Fri, 15 Mar 2024 08:09:10 GMT`.
pub fn http_date(unix: i64) -> String {
    let c = Civil::from_unix(unix);
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[weekday_index(unix)],
        c.day,
        MONTHS[c.month as usize - 1],
        c.year,
        c.hour,
        c.minute,
        c.second
    )
}

/// ISO 8601 basic format in UTC, the V4 `x-oss-date` form: `20240315T080910Z`. Its first eight
/// characters are the V4 scope date.
pub fn iso8601_basic(unix: i64) -> String {
    let c = Civil::from_unix(unix);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// ISO 8601 extended format with milliseconds in UTC, as OSS writes `<ServerTime>` in error
/// bodies: `2024-03-15T08:09:10.000Z`.
pub fn iso8601_millis(unix_millis: i64) -> String {
    let secs = unix_millis.div_euclid(1000);
    let millis = unix_millis.rem_euclid(1000);
    let c = Civil::from_unix(secs);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second, millis
    )
}

/// Unix seconds from 1000-01-01T00:00:00Z to 9999-12-31T23:59:59Z: the instants whose year C's
/// `%Y` writes in exactly four digits, the range where the C++ SDK's `ToGmtTime`/`ToUtcTime`
/// output is known.
fn in_four_digit_years(unix: i64) -> bool {
    let first = days_from_civil(1000, 1, 1) * SECONDS_PER_DAY;
    let end = days_from_civil(10_000, 1, 1) * SECONDS_PER_DAY;
    (first..end).contains(&unix)
}

/// The C++ SDK's `ToGmtTime`: [`http_date`] (`Thu, 01 Jan 1970 00:00:00 GMT`), or `None` for an
/// instant outside the years 1000 to 9999.
pub fn sdk_gmt_time(unix: i64) -> Option<String> {
    in_four_digit_years(unix).then(|| http_date(unix))
}

/// The C++ SDK's `ToUtcTime`: `1970-01-01T00:00:00.000Z` (milliseconds always `000`), or `None`
/// for an instant outside the years 1000 to 9999.
pub fn sdk_utc_time(unix: i64) -> Option<String> {
    in_four_digit_years(unix).then(|| iso8601_millis(unix * 1000))
}

/// One `%Nd` conversion of C's `sscanf`: white space skipped, then an optional sign and at least
/// one digit, the sign counting toward `width` characters at most. `None` where `sscanf` would
/// stop converting.
fn scan_int(rest: &mut &[u8], width: usize) -> Option<i64> {
    let mut s = rest.trim_ascii_start();
    let mut limit = width.min(s.len());
    let negative = match s.first() {
        Some(&sign @ (b'+' | b'-')) => {
            s = &s[1..];
            limit = limit.saturating_sub(1);
            sign == b'-'
        }
        _ => false,
    };
    let digits = s[..limit].iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    // Only the unbounded fraction can be long enough to overflow, and its value is unused.
    let value = s[..digits].iter().fold(0i64, |value, &d| {
        value.saturating_mul(10).saturating_add(i64::from(d - b'0'))
    });
    *rest = &s[digits..];
    Some(if negative { -value } else { value })
}

/// The C++ SDK's `UtcToUnixTime`: `sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d.%dZ")` must convert all
/// seven numbers, which `timegm` then turns into Unix seconds; `None` where the SDK gives -1
/// (a missing field or separator, or an instant before 1970).
///
/// `sscanf`'s leniency is the SDK's: white space before a number, signs, one-digit fields
/// (`2018-3-7T8:35:19.1Z`), anything after the fraction (the `Z` included) are accepted, and
/// `timegm` carries out-of-range fields over (month 13 is January of the next year).
/// `parse_sdk_utc_time("2018-03-07T08:35:19.123Z") == Some(1_520_411_719)`.
pub fn parse_sdk_utc_time(s: &str) -> Option<i64> {
    let mut rest = s.as_bytes();
    let mut fields = [0i64; 7];
    let separators: [&[u8]; 7] = [b"-", b"-", b"T", b":", b":", b".", b""];
    let widths = [4, 2, 2, 2, 2, 2, usize::MAX];
    for ((field, width), separator) in fields.iter_mut().zip(widths).zip(separators) {
        *field = scan_int(&mut rest, width)?;
        rest = rest.strip_prefix(separator)?;
    }
    let [year, month, day, hour, minute, second, _fraction] = fields;
    // timegm's normalisation: whole years out of the month, then everything else is linear.
    let month0 = month - 1;
    let year = year + month0.div_euclid(12);
    let month = month0.rem_euclid(12) as u32 + 1;
    let days = days_from_civil(year, month, 1) + day - 1;
    let unix = days * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second;
    (unix >= 0).then_some(unix)
}

/// A cursor over ASCII input for the fixed-width parsers below.
struct Fields<'a> {
    rest: &'a [u8],
}

impl<'a> Fields<'a> {
    fn new(s: &'a str) -> Self {
        Fields { rest: s.as_bytes() }
    }

    /// Exactly `width` ASCII digits as a number.
    fn digits(&mut self, width: usize) -> Option<u32> {
        let (head, tail) = self.rest.split_at_checked(width)?;
        let mut value = 0u32;
        for &b in head {
            if !b.is_ascii_digit() {
                return None;
            }
            value = value * 10 + u32::from(b - b'0');
        }
        self.rest = tail;
        Some(value)
    }

    fn literal(&mut self, expected: &[u8]) -> Option<()> {
        self.rest = self.rest.strip_prefix(expected)?;
        Some(())
    }

    fn one_of(&mut self, names: &[&str]) -> Option<usize> {
        let index = names
            .iter()
            .position(|name| self.rest.starts_with(name.as_bytes()))?;
        self.rest = &self.rest[names[index].len()..];
        Some(index)
    }

    fn peek(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    fn is_done(&self) -> bool {
        self.rest.is_empty()
    }
}

/// Parses the RFC 1123 GMT form produced by [`http_date`] (`Fri, 15 Mar 2024 08:09:10 GMT`).
/// Strict: two-digit day, four-digit year, `GMT`, and the weekday must match the date.
pub fn parse_http_date(s: &str) -> Option<i64> {
    let mut f = Fields::new(s);
    let weekday = f.one_of(&WEEKDAYS)?;
    f.literal(b", ")?;
    let day = f.digits(2)?;
    f.literal(b" ")?;
    let month = f.one_of(&MONTHS)? as u32 + 1;
    f.literal(b" ")?;
    let year = i64::from(f.digits(4)?);
    f.literal(b" ")?;
    let hour = f.digits(2)?;
    f.literal(b":")?;
    let minute = f.digits(2)?;
    f.literal(b":")?;
    let second = f.digits(2)?;
    f.literal(b" GMT")?;
    if !f.is_done() {
        return None;
    }
    let unix = Civil {
        year,
        month,
        day,
        hour,
        minute,
        second,
    }
    .to_unix()?;
    (weekday_index(unix) == weekday).then_some(unix)
}

/// Parses the V4 `x-oss-date` form `YYYYMMDDTHHMMSSZ` (exactly 16 characters, UTC).
pub fn parse_iso8601_basic(s: &str) -> Option<i64> {
    let mut f = Fields::new(s);
    let year = i64::from(f.digits(4)?);
    let month = f.digits(2)?;
    let day = f.digits(2)?;
    f.literal(b"T")?;
    let hour = f.digits(2)?;
    let minute = f.digits(2)?;
    let second = f.digits(2)?;
    f.literal(b"Z")?;
    if !f.is_done() {
        return None;
    }
    Civil {
        year,
        month,
        day,
        hour,
        minute,
        second,
    }
    .to_unix()
}

/// Parses an RFC 3339 timestamp to Unix seconds: `2024-03-15T08:09:10Z`, optionally with a
/// fraction (`08:09:10.123Z`, truncated toward the earlier second) and a numeric offset instead
/// of `Z` (`2024-03-15T16:09:10+08:00` is the same instant). `T`/`Z` may be lower-case.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let mut f = Fields::new(s);
    let year = i64::from(f.digits(4)?);
    f.literal(b"-")?;
    let month = f.digits(2)?;
    f.literal(b"-")?;
    let day = f.digits(2)?;
    if !matches!(f.peek()?, b'T' | b't') {
        return None;
    }
    f.rest = &f.rest[1..];
    let hour = f.digits(2)?;
    f.literal(b":")?;
    let minute = f.digits(2)?;
    f.literal(b":")?;
    let second = f.digits(2)?;
    if f.peek() == Some(b'.') {
        f.rest = &f.rest[1..];
        let fraction_len = f.rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if fraction_len == 0 {
            return None;
        }
        f.rest = &f.rest[fraction_len..];
    }
    let offset_seconds = match f.peek()? {
        b'Z' | b'z' => {
            f.rest = &f.rest[1..];
            0
        }
        sign @ (b'+' | b'-') => {
            f.rest = &f.rest[1..];
            let oh = f.digits(2)?;
            f.literal(b":")?;
            let om = f.digits(2)?;
            if oh > 23 || om > 59 {
                return None;
            }
            let magnitude = i64::from(oh * 3600 + om * 60);
            if sign == b'+' { magnitude } else { -magnitude }
        }
        _ => return None,
    };
    if !f.is_done() {
        return None;
    }
    let local = Civil {
        year,
        month,
        day,
        hour,
        minute,
        second,
    }
    .to_unix()?;
    local.checked_sub(offset_seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARCH_15_2024_080910: i64 = 1_710_490_150;
    const LEAP_DAY_2024_235959: i64 = 1_709_251_199;

    #[test]
    fn http_date_of_the_epoch_matches_cpp_sdk_vector() {
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    }

    #[test]
    fn http_date_of_1520411719_matches_cpp_sdk_vector() {
        assert_eq!(http_date(1_520_411_719), "Wed, 07 Mar 2018 08:35:19 GMT");
    }

    #[test]
    fn http_date_matches_the_v4_vector_date_header() {
        assert_eq!(
            http_date(MARCH_15_2024_080910),
            "Fri, 15 Mar 2024 08:09:10 GMT"
        );
    }

    #[test]
    fn http_date_of_the_last_second_of_a_leap_day() {
        assert_eq!(
            http_date(LEAP_DAY_2024_235959),
            "Thu, 29 Feb 2024 23:59:59 GMT"
        );
    }

    #[test]
    fn http_date_handles_instants_before_the_epoch() {
        assert_eq!(http_date(-1), "Wed, 31 Dec 1969 23:59:59 GMT");
    }

    #[test]
    fn iso8601_basic_matches_the_v4_x_oss_date_form() {
        assert_eq!(iso8601_basic(MARCH_15_2024_080910), "20240315T080910Z");
        assert_eq!(iso8601_basic(LEAP_DAY_2024_235959), "20240229T235959Z");
        assert_eq!(iso8601_basic(LEAP_DAY_2024_235959 + 1), "20240301T000000Z");
    }

    #[test]
    fn iso8601_basic_matches_cpp_sdk_signer_test_times() {
        assert_eq!(iso8601_basic(1_702_743_657), "20231216T162057Z");
        assert_eq!(iso8601_basic(1_702_781_677), "20231217T025437Z");
    }

    #[test]
    fn iso8601_millis_renders_server_time_with_milliseconds() {
        assert_eq!(
            iso8601_millis(MARCH_15_2024_080910 * 1000),
            "2024-03-15T08:09:10.000Z"
        );
        assert_eq!(iso8601_millis(1_234), "1970-01-01T00:00:01.234Z");
        assert_eq!(iso8601_millis(-1), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn parse_http_date_inverts_http_date() {
        for unix in [
            0,
            1_520_411_719,
            MARCH_15_2024_080910,
            LEAP_DAY_2024_235959,
            -1,
        ] {
            assert_eq!(parse_http_date(&http_date(unix)), Some(unix), "{unix}");
        }
    }

    #[test]
    fn parse_http_date_rejects_a_weekday_that_does_not_match_the_date() {
        assert_eq!(parse_http_date("Mon, 15 Mar 2024 08:09:10 GMT"), None);
    }

    #[test]
    fn parse_http_date_rejects_other_zones_widths_and_trailing_text() {
        assert_eq!(parse_http_date("Fri, 15 Mar 2024 08:09:10 UTC"), None);
        assert_eq!(parse_http_date("Fri, 5 Mar 2024 08:09:10 GMT"), None);
        assert_eq!(parse_http_date("Fri, 15 Mar 2024 08:09:10 GMT "), None);
        assert_eq!(parse_http_date("Friday, 15-Mar-24 08:09:10 GMT"), None);
        assert_eq!(parse_http_date(""), None);
    }

    #[test]
    fn parse_http_date_rejects_impossible_dates() {
        assert_eq!(parse_http_date("Fri, 29 Feb 2023 00:00:00 GMT"), None);
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 24:00:00 GMT"), None);
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:60 GMT"), None);
    }

    #[test]
    fn parse_iso8601_basic_inverts_iso8601_basic() {
        assert_eq!(
            parse_iso8601_basic("20240315T080910Z"),
            Some(MARCH_15_2024_080910)
        );
        assert_eq!(
            parse_iso8601_basic("20240229T235959Z"),
            Some(LEAP_DAY_2024_235959)
        );
    }

    #[test]
    fn parse_iso8601_basic_rejects_malformed_input() {
        assert_eq!(parse_iso8601_basic("20240315T080910"), None);
        assert_eq!(parse_iso8601_basic("2024-03-15T08:09:10Z"), None);
        assert_eq!(parse_iso8601_basic("20230229T000000Z"), None);
        assert_eq!(parse_iso8601_basic("20240315T080910Z0"), None);
        assert_eq!(parse_iso8601_basic("2024031５T080910Z"), None);
    }

    #[test]
    fn parse_rfc3339_reads_the_vector_signing_time_form() {
        assert_eq!(
            parse_rfc3339("2024-03-15T08:09:10Z"),
            Some(MARCH_15_2024_080910)
        );
        assert_eq!(
            parse_rfc3339("2024-02-29T23:59:59Z"),
            Some(LEAP_DAY_2024_235959)
        );
    }

    #[test]
    fn parse_rfc3339_truncates_fractional_seconds() {
        assert_eq!(
            parse_rfc3339("2024-03-15T08:09:10.999Z"),
            Some(MARCH_15_2024_080910)
        );
        assert_eq!(parse_rfc3339("2024-03-15T08:09:10.Z"), None);
    }

    #[test]
    fn parse_rfc3339_applies_numeric_offsets() {
        assert_eq!(
            parse_rfc3339("2024-03-15T16:09:10+08:00"),
            Some(MARCH_15_2024_080910)
        );
        assert_eq!(
            parse_rfc3339("2024-03-15T03:39:10.5-04:30"),
            Some(MARCH_15_2024_080910)
        );
        assert_eq!(
            parse_rfc3339("2024-03-15t08:09:10z"),
            Some(MARCH_15_2024_080910)
        );
    }

    #[test]
    fn parse_rfc3339_rejects_missing_zone_and_bad_fields() {
        assert_eq!(parse_rfc3339("2024-03-15T08:09:10"), None);
        assert_eq!(parse_rfc3339("2024-03-15 08:09:10Z"), None);
        assert_eq!(parse_rfc3339("2024-13-15T08:09:10Z"), None);
        assert_eq!(parse_rfc3339("2024-03-15T08:09:10+0800"), None);
        assert_eq!(parse_rfc3339("2024-03-15T08:09:10+24:00"), None);
    }

    #[test]
    fn calendar_conversion_round_trips_across_four_centuries() {
        // Every day from 1900-01-01 to 2300-01-01, including the non-leap 2100 and leap 2000.
        let start = days_from_civil(1900, 1, 1);
        let end = days_from_civil(2300, 1, 1);
        for days in start..end {
            let (y, m, d) = civil_from_days(days);
            assert!(d <= days_in_month(y, m), "{y}-{m}-{d}");
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(days_from_civil(2000, 2, 29)), (2000, 2, 29));
        assert_eq!(days_in_month(2100, 2), 28);
    }

    #[test]
    fn now_unix_is_after_2024() {
        assert!(now_unix() > MARCH_15_2024_080910);
    }

    #[test]
    fn sdk_gmt_time_matches_cpp_sdk_examples() {
        assert_eq!(
            sdk_gmt_time(0).as_deref(),
            Some("Thu, 01 Jan 1970 00:00:00 GMT")
        );
        assert_eq!(
            sdk_gmt_time(1_520_411_719).as_deref(),
            Some("Wed, 07 Mar 2018 08:35:19 GMT")
        );
        assert_eq!(
            sdk_gmt_time(951_782_400).as_deref(),
            Some("Tue, 29 Feb 2000 00:00:00 GMT")
        );
    }

    #[test]
    fn sdk_utc_time_matches_cpp_sdk_examples() {
        assert_eq!(sdk_utc_time(0).as_deref(), Some("1970-01-01T00:00:00.000Z"));
        assert_eq!(
            sdk_utc_time(1_700_000_000).as_deref(),
            Some("2023-11-14T22:13:20.000Z")
        );
    }

    #[test]
    fn sdk_time_formats_cover_exactly_the_four_digit_years() {
        let first = days_from_civil(1000, 1, 1) * SECONDS_PER_DAY;
        let last = days_from_civil(10_000, 1, 1) * SECONDS_PER_DAY - 1;
        assert_eq!(
            sdk_utc_time(first).as_deref(),
            Some("1000-01-01T00:00:00.000Z")
        );
        assert_eq!(
            sdk_gmt_time(last).as_deref(),
            Some("Fri, 31 Dec 9999 23:59:59 GMT")
        );
        for outside in [first - 1, last + 1, i64::MIN, i64::MAX] {
            assert_eq!(sdk_gmt_time(outside), None, "{outside}");
            assert_eq!(sdk_utc_time(outside), None, "{outside}");
        }
    }

    #[test]
    fn parse_sdk_utc_time_matches_cpp_sdk_examples() {
        assert_eq!(
            parse_sdk_utc_time("2018-03-07T08:35:19.123Z"),
            Some(1_520_411_719)
        );
        assert_eq!(
            parse_sdk_utc_time("2023-11-14T22:13:20.000Z"),
            Some(1_700_000_000)
        );
        assert_eq!(parse_sdk_utc_time("2018-03-07T08:35:19Z"), None);
        assert_eq!(parse_sdk_utc_time("1969-12-31T23:59:59.000Z"), None);
        assert_eq!(parse_sdk_utc_time("2018-03-07 08:35:19.000Z"), None);
        assert_eq!(parse_sdk_utc_time(""), None);
    }

    #[test]
    fn parse_sdk_utc_time_is_as_lenient_as_sscanf() {
        assert_eq!(
            parse_sdk_utc_time("2018-3-7T8:35:19.1Z"),
            Some(1_520_411_719)
        );
        assert_eq!(
            parse_sdk_utc_time(" 2018-03-07T08:35:19.123"),
            Some(1_520_411_719)
        );
        assert_eq!(
            parse_sdk_utc_time("2018-03-07T08:35:19.123Z trailing"),
            Some(1_520_411_719)
        );
        assert_eq!(parse_sdk_utc_time("1970-01-01T00:00:00.-5Z"), Some(0));
        assert_eq!(
            parse_sdk_utc_time("2018-03-07T08:35:19.123456789012345678901234Z"),
            Some(1_520_411_719)
        );
        assert_eq!(parse_sdk_utc_time("2018-03-07T08:35:19.Z"), None);
        assert_eq!(parse_sdk_utc_time("20180-03-07T08:35:19.0Z"), None);
    }

    #[test]
    fn parse_sdk_utc_time_carries_out_of_range_fields_as_timegm() {
        assert_eq!(
            parse_sdk_utc_time("2017-15-07T08:35:19.0Z"),
            Some(1_520_411_719)
        );
        assert_eq!(
            parse_sdk_utc_time("2018-03-06T32:35:19.0Z"),
            Some(1_520_411_719)
        );
        assert_eq!(parse_sdk_utc_time("1970-01-01T00:00:-1.0Z"), None);
        assert_eq!(parse_sdk_utc_time("1970-01-01T00:00:99.0Z"), Some(99));
    }
}
