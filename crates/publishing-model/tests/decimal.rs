//! The decimal reader agrees with `str::parse::<f64>`: to the bit where it promises to be
//! exact, within a few units in the last place everywhere else.

use proptest::prelude::*;
use publishing_model::decimal::parse_f64;

/// Numbers as JSON writes them: sign, integer digits, fraction, exponent.
fn json_number(
    integer: impl Strategy<Value = String>,
    fraction: impl Strategy<Value = String>,
    exponent: impl Strategy<Value = i32>,
) -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        integer,
        prop::option::of(fraction),
        prop::option::of((
            prop::sample::select(vec!["e", "E", "e+", "e-", "E-"]),
            exponent,
        )),
    )
        .prop_map(|(negative, int, frac, exp)| {
            let mut text = String::new();
            if negative {
                text.push('-');
            }
            text.push_str(&int);
            if let Some(frac) = frac {
                text.push('.');
                text.push_str(&frac);
            }
            if let Some((marker, e)) = exp {
                text.push_str(&format!("{marker}{e}"));
            }
            text
        })
}

fn std_f64(text: &str) -> f64 {
    text.parse().expect("std reads every generated number")
}

proptest! {
    /// Up to 15 significant digits and a small exponent: the very same bits as std.
    #[test]
    fn exact_where_the_service_writes(
        text in json_number("(0|[1-9][0-9]{0,7})", "[0-9]{1,7}", 0..8i32)
    ) {
        let ours = parse_f64(&text).expect("a number");
        prop_assert_eq!(ours.to_bits(), std_f64(&text).to_bits(), "{}", text);
    }

    /// Any length and exponent: within 1e-14 of std's, and infinite or zero where std's is.
    #[test]
    fn close_everywhere_else(
        text in json_number("(0|[1-9][0-9]{0,30})", "[0-9]{1,30}", 0..400i32)
    ) {
        let ours = parse_f64(&text).expect("a number");
        let theirs = std_f64(&text);
        if theirs.is_infinite() || theirs == 0.0 || theirs.abs() < f64::MIN_POSITIVE {
            // At the edges of the range, a rounding step may tip either way; both must at
            // least agree on the sign and be tiny or huge together.
            prop_assert!(ours.is_sign_negative() == theirs.is_sign_negative(), "{}", text);
            prop_assert!(
                (theirs.is_infinite() && ours.abs() > 1e307) || ours.abs() < 1e-300,
                "{} read as {} against {}", text, ours, theirs
            );
        } else {
            let error = ((ours - theirs) / theirs).abs();
            prop_assert!(error < 1e-14, "{} read as {} against {}", text, ours, theirs);
        }
    }

    /// Whatever the text, no panic, and never a number where std sees none.
    #[test]
    fn never_reads_what_std_refuses(text in "[-+0-9.eE ]{0,12}") {
        if let Some(ours) = parse_f64(&text) {
            let theirs: f64 = text.parse().map_err(|_| TestCaseError::fail(format!("{text:?}")))?;
            prop_assert!(ours == theirs || ((ours - theirs) / theirs).abs() < 1e-14);
        }
    }
}

#[test]
fn integral_floats_below_2_pow_53_are_exact() {
    for text in [
        "9007199254740992.0",
        "9007199254740991",
        "1.5e3",
        "12340e-1",
        "4.2e15",
    ] {
        assert_eq!(parse_f64(text), Some(std_f64(text)), "{text}");
    }
}
