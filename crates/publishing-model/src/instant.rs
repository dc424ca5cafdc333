//! Instants read from text: the service's ISO 8601 timestamps and the HTTP dates of
//! `Retry-After`. Two small readers instead of chrono's general format parser, which cost
//! about 20 KB of the app's wasm (measured); chrono still does the calendar arithmetic.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

/// `YYYY-MM-DDTHH:MM:SS`, then an optional fraction of any length (nanoseconds are kept,
/// further digits ignored), then `Z`, `±HH:MM`, `±HHMM`, `±HH` or no zone at all (UTC, as the
/// service means it). `t`, `z` and a space instead of `T` are accepted, as RFC 3339 allows.
pub fn parse_iso8601(text: &str) -> Option<DateTime<Utc>> {
    let mut r = Reader::new(text.as_bytes());
    let year = r.number(4)?;
    r.expect(b"-")?;
    let month = r.number(2)?;
    r.expect(b"-")?;
    let day = r.number(2)?;
    r.expect(b"Tt ")?;
    let (hour, minute, second) = r.clock()?;
    let mut nanos = 0;
    if r.take(b".").is_some() {
        let mut digits = 0;
        while let Some(d) = r.digit() {
            if digits < 9 {
                nanos = nanos * 10 + d;
            }
            digits += 1;
        }
        if digits == 0 {
            return None;
        }
        nanos *= 10u32.pow(9u32.saturating_sub(digits));
    }
    let offset = match r.peek() {
        None => 0,
        Some(b'Z' | b'z') => {
            r.pos += 1;
            0
        }
        Some(b'+' | b'-') => r.offset()?,
        Some(_) => return None,
    };
    r.end()?;
    let local = NaiveDate::from_ymd_opt(year as i32, month, day)?
        .and_hms_nano_opt(hour, minute, second, nanos)?
        .and_utc();
    local.checked_sub_signed(TimeDelta::seconds(offset))
}

/// An HTTP date (RFC 9110): `Sun, 06 Nov 1994 08:49:37 GMT`. The weekday may be missing
/// and is not checked; the zone may be `GMT`, `UT`, `UTC`, `Z` or `±HHMM`.
pub fn parse_http_date(text: &str) -> Option<DateTime<Utc>> {
    let mut words = text.split_ascii_whitespace().peekable();
    if words.peek()?.ends_with(',') {
        words.next();
    }
    let day: u32 = parse_digits(words.next()?, 1, 2)?;
    let month = month_number(words.next()?)?;
    let year: u32 = parse_digits(words.next()?, 4, 4)?;
    let mut r = Reader::new(words.next()?.as_bytes());
    let (hour, minute, second) = r.clock()?;
    r.end()?;
    let offset = match words.next()? {
        "GMT" | "UT" | "UTC" | "Z" => 0,
        zone => {
            let mut r = Reader::new(zone.as_bytes());
            let offset = r.offset()?;
            r.end()?;
            offset
        }
    };
    if words.next().is_some() {
        return None;
    }
    let local = NaiveDate::from_ymd_opt(year as i32, month, day)?
        .and_hms_opt(hour, minute, second)?
        .and_utc();
    local.checked_sub_signed(TimeDelta::seconds(offset))
}

fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let position = MONTHS.iter().position(|m| name.eq_ignore_ascii_case(m))?;
    u32::try_from(position + 1).ok()
}

fn parse_digits(text: &str, min: usize, max: usize) -> Option<u32> {
    let mut r = Reader::new(text.as_bytes());
    let mut value = 0;
    let mut count = 0;
    while let Some(d) = r.digit() {
        value = value * 10 + d;
        count += 1;
    }
    r.end()?;
    (min..=max).contains(&count).then_some(value)
}

/// A cursor over ASCII text.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// The next byte when it is one of `allowed`.
    fn take(&mut self, allowed: &[u8]) -> Option<u8> {
        let byte = self.peek().filter(|b| allowed.contains(b))?;
        self.pos += 1;
        Some(byte)
    }

    fn expect(&mut self, allowed: &[u8]) -> Option<()> {
        self.take(allowed).map(|_| ())
    }

    fn digit(&mut self) -> Option<u32> {
        self.take(b"0123456789").map(|d| u32::from(d - b'0'))
    }

    /// Exactly `count` digits.
    fn number(&mut self, count: usize) -> Option<u32> {
        (0..count).try_fold(0, |n, _| Some(n * 10 + self.digit()?))
    }

    /// `HH:MM:SS`.
    fn clock(&mut self) -> Option<(u32, u32, u32)> {
        let hour = self.number(2)?;
        self.expect(b":")?;
        let minute = self.number(2)?;
        self.expect(b":")?;
        Some((hour, minute, self.number(2)?))
    }

    /// `±HH:MM`, `±HHMM` or `±HH`, in seconds east of UTC; less than a day.
    fn offset(&mut self) -> Option<i64> {
        let sign = if self.take(b"+-")? == b'-' { -1 } else { 1 };
        let hours = self.number(2)?;
        let minutes = match self.peek() {
            Some(b':') => {
                self.pos += 1;
                self.number(2)?
            }
            Some(b'0'..=b'9') => self.number(2)?,
            _ => 0,
        };
        (hours < 24 && minutes < 60).then(|| sign * i64::from(hours * 3_600 + minutes * 60))
    }

    fn end(&self) -> Option<()> {
        (self.pos == self.bytes.len()).then_some(())
    }
}
