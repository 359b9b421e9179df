//! Human-friendly durations for timeouts and delays: `10s`, `500ms`, `1m30s`, or plain seconds (`0.5`).
//!
//! Parsing is exact (integer nanoseconds, no floating point), so `format_duration` → `parse_duration`
//! round-trips every duration it can produce up to [`MAX_DURATION`].

use std::time::Duration;

/// The largest duration accepted by [`parse_duration`]: one day.
pub const MAX_DURATION: Duration = Duration::from_secs(24 * 60 * 60);

const EXAMPLES: &str = "`10s`, `500ms`, `1m30s` or `0.5` (seconds)";

/// Why a duration string was rejected. Every message names the input and shows a valid value.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DurationError {
    #[error("empty duration; expected a value such as {EXAMPLES}")]
    Empty,
    #[error("`{0}`: durations cannot be negative; use a positive value such as {EXAMPLES}")]
    Negative(String),
    #[error("`{0}`: not a finite number; use a value such as {EXAMPLES}")]
    NotFinite(String),
    #[error(
        "`{input}`: cannot read `{at}` as a number with a unit; use a value such as {EXAMPLES}"
    )]
    InvalidNumber { input: String, at: String },
    #[error(
        "`{input}`: missing unit after `{number}`; add one of h, m, s, ms, us, ns, e.g. `{number}s`"
    )]
    MissingUnit { input: String, number: String },
    #[error("`{input}`: unknown unit `{unit}`; use h, m, s, ms, us or ns, e.g. `10s` or `500ms`")]
    UnknownUnit { input: String, unit: String },
    #[error("`{0}`: too large; the maximum is 24h (one day), e.g. `30s` or `5m`")]
    TooLarge(String),
}

const NANOS_PER_SEC: u128 = 1_000_000_000;

/// Parses a duration.
///
/// Accepted: plain seconds (`1`, `0.5`), or one or more `<number><unit>` components (`500ms`, `10s`,
/// `1.5s`, `2m`, `1h`, `1m30s`, `250us`/`250µs`, `10ns`), optionally separated by spaces. Whitespace
/// around the value is ignored. Zero is accepted (the caller decides what `0` means).
/// Rejected: empty input, negatives, NaN/infinity, unknown or missing units, and anything over one day.
///
/// ```
/// use std::time::Duration;
/// use scout::model::duration::parse_duration;
/// assert_eq!(parse_duration("0.5"), Ok(Duration::from_millis(500)));
/// assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
/// assert!(parse_duration("soon").is_err());
/// ```
pub fn parse_duration(s: &str) -> Result<Duration, DurationError> {
    let input = s.trim();
    if input.is_empty() {
        return Err(DurationError::Empty);
    }
    if input.starts_with('-') {
        return Err(DurationError::Negative(input.to_string()));
    }
    let unsigned = input.strip_prefix('+').unwrap_or(input);
    if unsigned.is_empty() {
        return Err(DurationError::InvalidNumber {
            input: input.to_string(),
            at: String::new(),
        });
    }
    let lower = unsigned.to_ascii_lowercase();
    if matches!(lower.as_str(), "nan" | "inf" | "infinity") {
        return Err(DurationError::NotFinite(input.to_string()));
    }

    let too_large = || DurationError::TooLarge(input.to_string());
    let max_nanos = MAX_DURATION.as_nanos();
    let mut total: u128 = 0;
    let mut rest = unsigned;
    let mut first = true;
    while !rest.is_empty() {
        let (Some(number), after_number) = split_number(rest) else {
            return Err(DurationError::InvalidNumber {
                input: input.to_string(),
                at: rest.to_string(),
            });
        };
        let after_number = after_number.trim_start();
        let unit_len = after_number
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(after_number.len());
        let (unit, after_unit) = after_number.split_at(unit_len);
        let unit_nanos = if unit.is_empty() {
            // A bare number is only allowed as the whole input: plain seconds.
            if first && after_unit.is_empty() {
                NANOS_PER_SEC
            } else if after_unit.is_empty() || after_unit.starts_with(|c: char| c.is_ascii_digit())
            {
                return Err(DurationError::MissingUnit {
                    input: input.to_string(),
                    number: number.text.to_string(),
                });
            } else {
                return Err(DurationError::InvalidNumber {
                    input: input.to_string(),
                    at: after_unit.to_string(),
                });
            }
        } else {
            unit_nanos(unit).ok_or_else(|| DurationError::UnknownUnit {
                input: input.to_string(),
                unit: unit.to_string(),
            })?
        };
        let nanos = number.nanos(unit_nanos).ok_or_else(too_large)?;
        total = total.checked_add(nanos).ok_or_else(too_large)?;
        if total > max_nanos {
            return Err(too_large());
        }
        rest = after_unit.trim_start();
        first = false;
    }
    // `total <= max_nanos`, so both parts fit.
    let secs = u64::try_from(total / NANOS_PER_SEC).map_err(|_| too_large())?;
    let nanos = u32::try_from(total % NANOS_PER_SEC).map_err(|_| too_large())?;
    Ok(Duration::new(secs, nanos))
}

/// Formats a duration so that [`parse_duration`] reads it back exactly, choosing the most readable
/// exact form: `500ms`, `10s`, `1m30s`, `2h`, `250us`, `0s`. Fractional seconds are written in the
/// smallest exact unit (`1.5s` → `1500ms`).
pub fn format_duration(d: Duration) -> String {
    let nanos = d.subsec_nanos();
    let secs = d.as_secs();
    if !nanos.is_multiple_of(1_000) {
        return format!("{}ns", d.as_nanos());
    }
    if !nanos.is_multiple_of(1_000_000) {
        return format!("{}us", d.as_micros());
    }
    if nanos != 0 {
        return format!("{}ms", d.as_millis());
    }
    if secs == 0 {
        return "0s".to_string();
    }
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 {
        out.push_str(&format!("{s}s"));
    }
    out
}

fn unit_nanos(unit: &str) -> Option<u128> {
    Some(match unit {
        "ns" => 1,
        "us" | "µs" | "μs" => 1_000,
        "ms" => 1_000_000,
        "s" => NANOS_PER_SEC,
        "m" => 60 * NANOS_PER_SEC,
        "h" => 3600 * NANOS_PER_SEC,
        _ => return None,
    })
}

/// A decimal number as written: integer digits and fraction digits (either may be empty, not both).
struct Number<'a> {
    text: &'a str,
    int: &'a str,
    frac: &'a str,
}

impl Number<'_> {
    /// The number times `unit_nanos`, truncated to whole nanoseconds; `None` on overflow.
    fn nanos(&self, unit_nanos: u128) -> Option<u128> {
        // Leading zeros don't change the value but could overflow the parse.
        let int_digits = self.int.trim_start_matches('0');
        if int_digits.len() > 30 {
            return None;
        }
        let int: u128 = if int_digits.is_empty() {
            0
        } else {
            int_digits.parse().ok()?
        };
        // Digits past the 18th cannot add a whole nanosecond for any unit up to an hour.
        let frac_digits = &self.frac[..self.frac.len().min(18)];
        let frac_part = if frac_digits.is_empty() {
            0
        } else {
            let frac: u128 = frac_digits.parse().ok()?;
            let scale = 10u128.pow(u32::try_from(frac_digits.len()).ok()?);
            frac * unit_nanos / scale
        };
        int.checked_mul(unit_nanos)?.checked_add(frac_part)
    }
}

/// Splits a leading decimal number (`12`, `1.5`, `.5`, `5.`) off `s`.
fn split_number(s: &str) -> (Option<Number<'_>>, &str) {
    let int_len = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let int = &s[..int_len];
    let (frac, end) = match s[int_len..].strip_prefix('.') {
        Some(after_dot) => {
            let frac_len = after_dot
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after_dot.len());
            (&after_dot[..frac_len], int_len + 1 + frac_len)
        }
        None => ("", int_len),
    };
    if int.is_empty() && frac.is_empty() {
        return (None, s);
    }
    let number = Number {
        text: &s[..end],
        int,
        frac,
    };
    (Some(number), &s[end..])
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn parses_plain_seconds_and_units() {
        let cases: &[(&str, Duration)] = &[
            ("1", Duration::from_secs(1)),
            ("0.5", ms(500)),
            (".25", ms(250)),
            ("2.", Duration::from_secs(2)),
            ("0", Duration::ZERO),
            ("500ms", ms(500)),
            ("10s", Duration::from_secs(10)),
            ("1.5s", ms(1500)),
            ("2m", Duration::from_secs(120)),
            ("1h", Duration::from_secs(3600)),
            ("1m30s", Duration::from_secs(90)),
            ("1h2m3s", Duration::from_secs(3723)),
            ("1m 30s", Duration::from_secs(90)),
            ("10 s", Duration::from_secs(10)),
            ("250us", Duration::from_micros(250)),
            ("250µs", Duration::from_micros(250)),
            ("250μs", Duration::from_micros(250)),
            ("7ns", Duration::from_nanos(7)),
            ("  3s\t", Duration::from_secs(3)),
            ("+3s", Duration::from_secs(3)),
            ("0.1s", ms(100)),
            ("1.000000001s", Duration::new(1, 1)),
            ("0.0000000001s", Duration::ZERO),
            ("24h", MAX_DURATION),
            ("0024h", MAX_DURATION),
            ("1s500ms", ms(1500)),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_duration(input), Ok(*expected), "input {input:?}");
        }
    }

    #[test]
    fn rejects_bad_input_with_clear_messages() {
        let empty = parse_duration("   ").unwrap_err();
        assert_eq!(empty, DurationError::Empty);
        assert!(empty.to_string().contains("`10s`"));

        let neg = parse_duration("-5s").unwrap_err();
        assert_eq!(neg, DurationError::Negative("-5s".into()));
        assert!(neg.to_string().contains("negative"));

        for s in ["NaN", "inf", "-inf", "Infinity"] {
            assert!(parse_duration(s).is_err(), "{s}");
        }
        assert_eq!(
            parse_duration("nan"),
            Err(DurationError::NotFinite("nan".into()))
        );

        let unit = parse_duration("10x").unwrap_err();
        assert_eq!(
            unit,
            DurationError::UnknownUnit {
                input: "10x".into(),
                unit: "x".into()
            }
        );
        assert!(unit.to_string().contains("unknown unit `x`"));
        assert!(matches!(
            parse_duration("10d"),
            Err(DurationError::UnknownUnit { .. })
        ));
        assert!(matches!(
            parse_duration("10S"),
            Err(DurationError::UnknownUnit { .. })
        ));

        let missing = parse_duration("1m30").unwrap_err();
        assert_eq!(
            missing,
            DurationError::MissingUnit {
                input: "1m30".into(),
                number: "30".into()
            }
        );
        assert!(missing.to_string().contains("`30s`"));

        assert!(matches!(
            parse_duration("abc"),
            Err(DurationError::InvalidNumber { .. })
        ));
        assert!(matches!(
            parse_duration("s"),
            Err(DurationError::InvalidNumber { .. })
        ));
        assert_eq!(
            parse_duration("1..5s"),
            Err(DurationError::InvalidNumber {
                input: "1..5s".into(),
                at: ".5s".into()
            })
        );
        assert!(matches!(
            parse_duration("1 2"),
            Err(DurationError::MissingUnit { .. })
        ));
        assert!(parse_duration("+").is_err());
        assert!(parse_duration("1e3").is_err());

        let big = parse_duration("25h").unwrap_err();
        assert_eq!(big, DurationError::TooLarge("25h".into()));
        assert!(big.to_string().contains("maximum is 24h"));
        assert!(matches!(
            parse_duration("86401"),
            Err(DurationError::TooLarge(_))
        ));
        assert!(matches!(
            parse_duration("99999999999999999999999999999999999999999999h"),
            Err(DurationError::TooLarge(_))
        ));
        assert!(matches!(
            parse_duration("24h1ns"),
            Err(DurationError::TooLarge(_))
        ));
    }

    #[test]
    fn formats_in_the_most_readable_exact_unit() {
        let cases: &[(Duration, &str)] = &[
            (Duration::ZERO, "0s"),
            (ms(500), "500ms"),
            (Duration::from_secs(10), "10s"),
            (Duration::from_secs(90), "1m30s"),
            (ms(1500), "1500ms"),
            (Duration::from_secs(3600), "1h"),
            (Duration::from_secs(3661), "1h1m1s"),
            (Duration::from_secs(7200 + 5), "2h5s"),
            (Duration::from_micros(250), "250us"),
            (Duration::from_nanos(1_000_000_001), "1000000001ns"),
        ];
        for (d, expected) in cases {
            assert_eq!(format_duration(*d), *expected, "{d:?}");
        }
    }

    proptest! {
        #[test]
        fn format_then_parse_round_trips_milliseconds(millis in 0u64..=MAX_DURATION.as_millis() as u64) {
            let d = Duration::from_millis(millis);
            prop_assert_eq!(parse_duration(&format_duration(d)), Ok(d));
        }

        #[test]
        fn format_then_parse_round_trips_nanoseconds(nanos in 0u64..=MAX_DURATION.as_nanos() as u64) {
            let d = Duration::from_nanos(nanos);
            prop_assert_eq!(parse_duration(&format_duration(d)), Ok(d));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,24}") {
            let _ = parse_duration(&s);
        }

        #[test]
        fn parse_never_panics_on_duration_like_text(s in "[0-9.hmsuµn +-]{0,24}") {
            if let Ok(d) = parse_duration(&s) {
                prop_assert!(d <= MAX_DURATION);
            }
        }
    }
}
