//! Estimated time frames: the service sends free text (`< 15 min`, `~2-3 days`, `< 5 day`),
//! people write more shapes (`1 hour`, `30 minutes`, `1-2 weeks`, `~4 hrs`). Readable text
//! becomes a range; anything else stays text with no range, never an error.

use std::fmt;

use chrono::TimeDelta;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A duration range: the shortest and the longest a step is expected to take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimeRange {
    /// Shortest expected duration (zero for "< N").
    pub min: TimeDelta,
    /// Longest expected duration.
    pub max: TimeDelta,
}

/// An `estimatedTimeFrame` as sent, with its range when the text could be read.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TimeFrame {
    /// The text exactly as the service sent it.
    pub text: String,
    /// The range, when the text is one of the shapes we can read.
    pub range: Option<TimeRange>,
}

impl TimeFrame {
    /// Reads `text`; never fails.
    pub fn parse(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            range: TimeRange::parse(text),
        }
    }
}

/// Units a time frame can be written in, smallest first.
const UNITS: [(i64, &str, &str); 5] = [
    (1, "sec", "sec"),
    (60, "min", "min"),
    (3_600, "hour", "hours"),
    (86_400, "day", "days"),
    (604_800, "week", "weeks"),
];

fn unit_seconds(word: &str) -> Option<i64> {
    let word = word.trim_end_matches('.');
    Some(match word {
        "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" => 60,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3_600,
        "d" | "day" | "days" => 86_400,
        "w" | "wk" | "wks" | "week" | "weeks" => 604_800,
        _ => return None,
    })
}

fn number(word: &str) -> Option<f64> {
    match word {
        "a" | "an" | "one" => return Some(1.0),
        "two" => return Some(2.0),
        "three" => return Some(3.0),
        _ => {}
    }
    let n = crate::decimal::parse_f64(word)?;
    // Any count up to 10,000 weeks' worth of seconds: a label writes a long range in a small
    // unit when its ends are not whole days ("22.2 days" reads back as "31968 min"). The
    // duration itself is bounded by `seconds`.
    (n.is_finite() && (0.0..=MOST_SECONDS).contains(&n)).then_some(n)
}

/// Splits text into number words, unit words and the punctuation that matters.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let flush = |current: &mut String, out: &mut Vec<String>| {
        if !current.is_empty() {
            out.push(std::mem::take(current));
        }
    };
    for c in text.chars().map(|c| c.to_ascii_lowercase()) {
        let class = |c: char| {
            if c.is_ascii_digit() || c == '.' {
                1
            } else if c.is_ascii_alphabetic() {
                2
            } else {
                0
            }
        };
        match c {
            '<' | '>' | '~' | '≈' | '-' | '–' | '—' | '≤' | '=' => {
                flush(&mut current, &mut out);
                out.push(match c {
                    '–' | '—' => "-".to_owned(),
                    '≈' => "~".to_owned(),
                    '≤' => "<".to_owned(),
                    other => other.to_string(),
                });
            }
            c if c.is_whitespace() || c == ',' => flush(&mut current, &mut out),
            c => {
                if let Some(last) = current.chars().last() {
                    if class(last) != class(c) {
                        flush(&mut current, &mut out);
                    }
                }
                current.push(c);
            }
        }
    }
    flush(&mut current, &mut out);
    out
}

/// 10,000 weeks, in seconds: the longest time frame read.
const MOST_SECONDS: f64 = 10_000.0 * 604_800.0;

/// `n` units, when that is at most 10,000 weeks.
fn seconds(n: f64, unit: i64) -> Option<TimeDelta> {
    let secs = (n * unit as f64).round();
    // Within 6.05e9 s, far inside TimeDelta's range, so the cast and the constructor hold.
    (secs <= MOST_SECONDS).then(|| TimeDelta::seconds(secs as i64))
}

impl TimeRange {
    /// A range from whole seconds.
    pub fn from_secs(min: i64, max: i64) -> Self {
        Self {
            min: TimeDelta::seconds(min),
            max: TimeDelta::seconds(max),
        }
    }

    /// Reads the shapes people write; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let tokens = tokens(text);
        let mut words: &[String] = &tokens;
        let mut upper_bound_only = false;
        // Leading qualifiers.
        loop {
            match words.first().map(String::as_str) {
                Some("<" | "under" | "within" | "max" | "maximum") => upper_bound_only = true,
                Some("up") if words.get(1).map(String::as_str) == Some("to") => {
                    upper_bound_only = true;
                    words = &words[1..];
                }
                Some("less") if words.get(1).map(String::as_str) == Some("than") => {
                    upper_bound_only = true;
                    words = &words[1..];
                }
                Some("~" | "about" | "approx" | "approximately" | "around" | "=" | "roughly") => {}
                _ => break,
            }
            words = &words[1..];
        }
        let first = number(words.first()?)?;
        words = &words[1..];
        let mut second = None;
        if let Some("-" | "to") = words.first().map(String::as_str) {
            second = Some(number(words.get(1)?)?);
            words = &words[2..];
        }
        let unit = unit_seconds(words.first()?)?;
        if words.len() != 1 {
            return None;
        }
        let range = match (upper_bound_only, second) {
            (true, None) => Self {
                min: TimeDelta::zero(),
                max: seconds(first, unit)?,
            },
            (false, None) => Self {
                min: seconds(first, unit)?,
                max: seconds(first, unit)?,
            },
            (_, Some(second)) if second >= first => Self {
                min: seconds(first, unit)?,
                max: seconds(second, unit)?,
            },
            (_, Some(_)) => return None,
        };
        Some(range)
    }

    /// A short label that [`TimeRange::parse`] reads back to the same range.
    pub fn label(&self) -> String {
        let (min, max) = (self.min.num_seconds(), self.max.num_seconds());
        // The largest unit both ends are whole multiples of.
        let &(size, one, many) = UNITS
            .iter()
            .rev()
            .find(|(size, ..)| min % size == 0 && max % size == 0)
            .unwrap_or(&UNITS[0]);
        let name = |n: i64| if n == 1 { one } else { many };
        if min == 0 {
            format!("< {} {}", max / size, name(max / size))
        } else if min == max {
            format!("{} {}", max / size, name(max / size))
        } else {
            format!("{}-{} {}", min / size, max / size, many)
        }
    }
}

impl fmt::Display for TimeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// The units durations are read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DurationUnit {
    /// Seconds.
    Second,
    /// Minutes.
    Minute,
    /// Hours.
    Hour,
    /// Days.
    Day,
}

impl DurationUnit {
    /// The unit's name in `Intl.NumberFormat` and `Intl.RelativeTimeFormat`.
    pub fn intl(self) -> &'static str {
        match self {
            Self::Second => "second",
            Self::Minute => "minute",
            Self::Hour => "hour",
            Self::Day => "day",
        }
    }
}

/// A duration as a whole number of the largest unit that reads naturally: 2 days, 5 hours,
/// 12 minutes. Days and hours round to the nearest, so 47 h 59 min is 2 days, not 47 hours;
/// minutes and seconds round down. Negative durations count as zero.
pub fn rounded(d: TimeDelta) -> (i64, DurationUnit) {
    let secs = d.num_seconds().max(0);
    let round = |unit: i64| (secs + unit / 2) / unit;
    if secs >= 2 * 86_400 - 1_800 {
        (round(86_400), DurationUnit::Day)
    } else if secs >= 2 * 3_600 - 30 {
        (round(3_600), DurationUnit::Hour)
    } else if secs >= 60 {
        (secs / 60, DurationUnit::Minute)
    } else {
        (secs, DurationUnit::Second)
    }
}

/// A duration in English words ("3 days", "5 hours", "12 min"), for plain-text output such
/// as support details; the page formats [`rounded`] through the browser instead.
pub fn human_duration(d: TimeDelta) -> String {
    let (n, unit) = rounded(d);
    let (one, many) = match unit {
        DurationUnit::Day => ("day", "days"),
        DurationUnit::Hour => ("hour", "hours"),
        DurationUnit::Minute => ("min", "min"),
        DurationUnit::Second => ("sec", "sec"),
    };
    format!("{n} {}", if n == 1 { one } else { many })
}

/// How a range reads, each end rounded by [`rounded`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeReading {
    /// "up to 4 days": the range starts at zero.
    UpTo(i64, DurationUnit),
    /// "about 2 hours": both ends round to the same.
    About(i64, DurationUnit),
    /// "3–4 days": both ends in one unit.
    Span(i64, i64, DurationUnit),
    /// "20 hours to 3 days".
    Between((i64, DurationUnit), (i64, DurationUnit)),
}

/// How a range reads.
pub fn range_reading(range: TimeRange) -> RangeReading {
    let (min, max) = (rounded(range.min), rounded(range.max));
    if range.min <= TimeDelta::zero() {
        RangeReading::UpTo(max.0, max.1)
    } else if min == max {
        RangeReading::About(max.0, max.1)
    } else if min.1 == max.1 {
        RangeReading::Span(min.0, max.0, max.1)
    } else {
        RangeReading::Between(min, max)
    }
}

impl Serialize for TimeFrame {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for TimeFrame {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = crate::lenient::serde_text(d)?
            .ok_or_else(|| serde::de::Error::custom("a time frame must be text"))?;
        Ok(Self::parse(&text))
    }
}

/// Seconds either side of now in which a time reads as now ("just now", "any moment").
pub const NOW_MARGIN_SECS: i64 = 5;

/// True when `then` is no later than about now: a soonest time already reached, so the thing
/// can happen "any moment", not "just now".
pub fn reached(now: chrono::DateTime<chrono::Utc>, then: chrono::DateTime<chrono::Utc>) -> bool {
    (then - now).num_seconds() < NOW_MARGIN_SECS
}

/// `then` relative to `now`, in words: "just now", "5 min ago", "in 3 hours".
pub fn relative(now: chrono::DateTime<chrono::Utc>, then: chrono::DateTime<chrono::Utc>) -> String {
    let delta = then - now;
    if delta.num_seconds().abs() < NOW_MARGIN_SECS {
        return "just now".to_owned();
    }
    if delta < TimeDelta::zero() {
        format!("{} ago", human_duration(-delta))
    } else {
        format!("in {}", human_duration(delta))
    }
}
