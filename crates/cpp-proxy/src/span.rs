//! A span of time as people write it in flags and the config file: `90s`, `30m`, `8h`, `2d`
//! (a bare number is seconds).

use std::time::Duration;

/// A span of time, at least a second.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span(pub Duration);

impl std::str::FromStr for Span {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let split = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let (digits, unit) = text.split_at(split);
        let scale = match unit.trim() {
            "" | "s" => 1,
            "m" => 60,
            "h" => 3_600,
            "d" => 86_400,
            _ => {
                return Err(format!(
                    "{text:?}: write a number with s, m, h or d, like 30m"
                ))
            }
        };
        let n: u64 = digits
            .parse()
            .map_err(|_| format!("{text:?}: write a number with s, m, h or d, like 30m"))?;
        match n.checked_mul(scale) {
            Some(secs) if secs > 0 && secs <= 366 * 86_400 => Ok(Self(Duration::from_secs(secs))),
            _ => Err(format!("{text:?}: between one second and a year")),
        }
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.0.as_secs();
        match s {
            _ if s.is_multiple_of(86_400) => write!(f, "{}d", s / 86_400),
            _ if s.is_multiple_of(3_600) => write!(f, "{}h", s / 3_600),
            _ if s.is_multiple_of(60) => write!(f, "{}m", s / 60),
            _ => write!(f, "{s}s"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_as_written_and_print_back() {
        for (text, secs, shown) in [
            ("30m", 1_800, "30m"),
            ("8h", 28_800, "8h"),
            ("90", 90, "90s"),
            ("90s", 90, "90s"),
            ("2d", 172_800, "2d"),
            ("120m", 7_200, "2h"),
        ] {
            let span: Span = text.parse().expect(text);
            assert_eq!(span.0.as_secs(), secs, "{text}");
            assert_eq!(span.to_string(), shown);
        }
        for bad in [
            "",
            "0s",
            "m",
            "5 weeks",
            "-5m",
            "1.5h",
            "400d",
            "99999999999999999999d",
        ] {
            assert!(bad.parse::<Span>().is_err(), "{bad:?}");
        }
    }
}
