//! Decimal text to `f64`, without core's float parser.
//!
//! `str::parse::<f64>` rounds every input correctly, and pays for it with a 10 KB table of
//! powers of five and 4 KB of code, near-random bytes that brotli cannot shrink: about 5% of
//! the app's first load. The numbers the service sends as floats are percentages, durations
//! and epoch seconds of a handful of digits, which this reads exactly; longer ones it reads
//! within a few units in the last place, which no display of them can show.

/// Powers of ten that `f64` holds exactly.
const EXACT: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Reads `[+|-]digits[.digits][(e|E)[+|-]digits]`, the way JSON and people write numbers
/// (`.5` and `5.` too, not `inf` or `NaN`). `None` for anything else, surrounding spaces
/// included.
///
/// Equal to `str::parse` (correctly rounded) when the significant digits, trailing zeros
/// dropped, make an integer below 2^53 and the decimal exponent left is within ±22: the
/// single multiplication or division is then of two exact values. Otherwise within a few
/// units in the last place. Too large is infinite and too small is zero, as `str::parse`.
pub fn parse_f64(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let (negative, mut i) = match bytes.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let mut digits = Digits::default();
    let mut any = false;
    while let Some(&b) = bytes.get(i).filter(|b| b.is_ascii_digit()) {
        digits.push(b - b'0', false);
        any = true;
        i += 1;
    }
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        while let Some(&b) = bytes.get(i).filter(|b| b.is_ascii_digit()) {
            digits.push(b - b'0', true);
            any = true;
            i += 1;
        }
    }
    if !any {
        return None;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        let sign = match bytes.get(i) {
            Some(b'-') => {
                i += 1;
                -1
            }
            Some(b'+') => {
                i += 1;
                1
            }
            _ => 1,
        };
        let start = i;
        let mut written: i64 = 0;
        while let Some(&b) = bytes.get(i).filter(|b| b.is_ascii_digit()) {
            // Far beyond any finite f64 already; saturating keeps the sum below from wrapping.
            written = (written * 10 + i64::from(b - b'0')).min(1_000_000);
            i += 1;
        }
        if i == start {
            return None;
        }
        digits.exponent += sign * written;
    }
    if i != bytes.len() {
        return None;
    }
    let magnitude = digits.value();
    Some(if negative { -magnitude } else { magnitude })
}

/// The significant digits as an integer and the power of ten that scales it.
#[derive(Default)]
struct Digits {
    mantissa: u64,
    exponent: i64,
}

impl Digits {
    fn push(&mut self, digit: u8, after_point: bool) {
        if self.mantissa <= (u64::MAX - 9) / 10 {
            self.mantissa = self.mantissa * 10 + u64::from(digit);
            if after_point {
                self.exponent -= 1;
            }
        } else if !after_point {
            // Full: a further digit before the point still scales the value; one after it
            // is below the precision kept.
            self.exponent += 1;
        }
    }

    fn value(mut self) -> f64 {
        if self.mantissa == 0 {
            return 0.0;
        }
        while self.mantissa % 10 == 0 {
            self.mantissa /= 10;
            self.exponent += 1;
        }
        // The mantissa is at most 1.8e19: beyond these the result is infinite or zero.
        if self.exponent > 310 {
            return f64::INFINITY;
        }
        if self.exponent < -345 {
            return 0.0;
        }
        // Exact below 2^53. With the exponent within ±22 the loops do not run, and the one
        // multiplication or division below is of two exact values: correctly rounded.
        let mut value = self.mantissa as f64;
        let mut e = self.exponent;
        while e > 22 {
            value *= 1e22;
            e -= 22;
        }
        while e < -22 {
            value /= 1e22;
            e += 22;
        }
        // |e| <= 22 here.
        let power = EXACT[e.unsigned_abs() as usize];
        if e >= 0 {
            value * power
        } else {
            value / power
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_f64;

    #[test]
    fn reads_what_json_and_people_write() {
        assert_eq!(parse_f64("45"), Some(45.0));
        assert_eq!(parse_f64("45.5"), Some(45.5));
        assert_eq!(parse_f64("-0.25"), Some(-0.25));
        assert_eq!(parse_f64("+3"), Some(3.0));
        assert_eq!(parse_f64(".5"), Some(0.5));
        assert_eq!(parse_f64("5."), Some(5.0));
        assert_eq!(parse_f64("1.5e3"), Some(1500.0));
        assert_eq!(parse_f64("1E-2"), Some(0.01));
        assert_eq!(parse_f64("1e+2"), Some(100.0));
        assert_eq!(parse_f64("0"), Some(0.0));
        assert_eq!(parse_f64("0.000"), Some(0.0));
        assert_eq!(parse_f64("1e999999999999"), Some(f64::INFINITY));
        assert_eq!(parse_f64("1e-999999999999"), Some(0.0));
    }

    #[test]
    fn refuses_what_is_not_a_number() {
        for text in [
            "", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", " 1", "1 ", "inf", "NaN", "0x10", "1,5",
            "--1", "1e5.5", "٣",
        ] {
            assert_eq!(parse_f64(text), None, "{text:?}");
        }
    }
}
