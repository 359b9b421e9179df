//! A retry policy as a collection writes it: how many retries, the backoff, and which failures
//! are worth retrying. What to do after a failed attempt is decided in `http::retry`.
//!
//! A collection writes a policy as an inline table:
//! ```toml
//! retries = { max = 3, backoff = "exponential", base = "500ms", max_delay = "30s", jitter = true, on = [429, 502, 503, 504, "connect", "timeout"] }
//! ```
//! Missing keys take the defaults above; `retries = false` or `retries = 0` turns retries off,
//! `retries = true` is the default policy and `retries = N` the default policy with `max = N`.

use std::fmt;
use std::time::Duration;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::model::duration::{format_duration, parse_duration};

/// The largest `max` a policy accepts: more retries than this is a loop, not a policy.
pub const MAX_RETRIES: u32 = 100;

/// How the wait grows from one retry to the next (before jitter and the `max_delay` cap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Backoff {
    /// `base * 2^(n-1)` before retry n: 500ms, 1s, 2s, 4s, …
    #[default]
    Exponential,
    /// `base * n`: 500ms, 1s, 1.5s, …
    Linear,
    /// `base` every time.
    Constant,
}

impl Backoff {
    pub const ALL: [Backoff; 3] = [Backoff::Exponential, Backoff::Linear, Backoff::Constant];

    pub fn as_str(self) -> &'static str {
        match self {
            Backoff::Exponential => "exponential",
            Backoff::Linear => "linear",
            Backoff::Constant => "constant",
        }
    }
}

impl fmt::Display for Backoff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failure worth retrying: a response status, a connection failure, or a timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryOn {
    Status(u16),
    Connect,
    Timeout,
}

impl fmt::Display for RetryOn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RetryOn::Status(code) => write!(f, "{code}"),
            RetryOn::Connect => f.write_str("connect"),
            RetryOn::Timeout => f.write_str("timeout"),
        }
    }
}

/// When and how often a request is retried. `max` counts retries, so a request is sent at most
/// `max + 1` times; `max == 0` means retries are off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max: u32,
    pub backoff: Backoff,
    pub base: Duration,
    pub max_delay: Duration,
    /// Equal jitter: the wait is drawn uniformly from `[d/2, d]`, where `d` is the capped backoff.
    /// Half the wait is kept so a retry never fires at once against a server that is recovering
    /// (an interactive client is one caller, not a herd); the other half spreads the retries.
    pub jitter: bool,
    pub on: Vec<RetryOn>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max: 3,
            backoff: Backoff::Exponential,
            base: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            jitter: true,
            on: vec![
                RetryOn::Status(429),
                RetryOn::Status(502),
                RetryOn::Status(503),
                RetryOn::Status(504),
                RetryOn::Connect,
                RetryOn::Timeout,
            ],
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn off() -> RetryPolicy {
        RetryPolicy {
            max: 0,
            ..RetryPolicy::default()
        }
    }

    pub fn is_off(&self) -> bool {
        self.max == 0
    }

    /// The most attempts this policy allows: the first one plus `max` retries.
    pub fn max_attempts(&self) -> u32 {
        self.max.saturating_add(1)
    }

    /// The backoff wait after failed attempt `attempt` (1-based), capped at `max_delay`, with
    /// equal jitter when `jitter` is on (see [`RetryPolicy::jitter`]).
    pub fn backoff_delay(&self, attempt: u32, rng: &mut fastrand::Rng) -> Duration {
        let n = attempt.max(1);
        let raw = match self.backoff {
            Backoff::Exponential => {
                let factor = 2u32.checked_pow(n - 1).unwrap_or(u32::MAX);
                self.base.saturating_mul(factor)
            }
            Backoff::Linear => self.base.saturating_mul(n),
            Backoff::Constant => self.base,
        };
        let capped = raw.min(self.max_delay);
        if !self.jitter {
            return capped;
        }
        let half = capped / 2;
        let span = u64::try_from((capped - half).as_nanos()).unwrap_or(u64::MAX);
        half + Duration::from_nanos(rng.u64(0..=span))
    }

    /// The conditions retried, for messages: `429, 503, connect`.
    pub fn on_list(&self) -> String {
        if self.on.is_empty() {
            return "empty".to_string();
        }
        let items: Vec<String> = self.on.iter().map(RetryOn::to_string).collect();
        items.join(", ")
    }

    /// The policy as the TOML inline table a collection stores, every key written.
    pub fn to_toml_value(&self) -> toml_edit::Value {
        let mut on = toml_edit::Array::new();
        for condition in &self.on {
            match condition {
                RetryOn::Status(code) => on.push(i64::from(*code)),
                RetryOn::Connect => on.push("connect"),
                RetryOn::Timeout => on.push("timeout"),
            }
        }
        let mut table = toml_edit::InlineTable::new();
        table.insert("max", i64::from(self.max).into());
        table.insert("backoff", self.backoff.as_str().into());
        table.insert("base", format_duration(self.base).into());
        table.insert("max_delay", format_duration(self.max_delay).into());
        table.insert("jitter", self.jitter.into());
        table.insert("on", toml_edit::Value::Array(on));
        toml_edit::Value::InlineTable(table)
    }
}

// ---- serde: the collection format ----

impl Serialize for RetryOn {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            RetryOn::Status(code) => s.serialize_u16(*code),
            RetryOn::Connect => s.serialize_str("connect"),
            RetryOn::Timeout => s.serialize_str("timeout"),
        }
    }
}

impl Serialize for RetryPolicy {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(6))?;
        map.serialize_entry("max", &self.max)?;
        map.serialize_entry("backoff", self.backoff.as_str())?;
        map.serialize_entry("base", &format_duration(self.base))?;
        map.serialize_entry("max_delay", &format_duration(self.max_delay))?;
        map.serialize_entry("jitter", &self.jitter)?;
        map.serialize_entry("on", &self.on)?;
        map.end()
    }
}

fn unknown_condition(shown: impl fmt::Display) -> String {
    format!(
        "unknown retry condition {shown}: expected a status code 100-599, \"connect\" or \"timeout\""
    )
}

impl<'de> Deserialize<'de> for RetryOn {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = RetryOn;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a status code 100-599, \"connect\" or \"timeout\"")
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RetryOn, E> {
                match u16::try_from(v) {
                    Ok(code @ 100..=599) => Ok(RetryOn::Status(code)),
                    _ => Err(E::custom(unknown_condition(v))),
                }
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RetryOn, E> {
                match u64::try_from(v) {
                    Ok(v) => self.visit_u64(v),
                    Err(_) => Err(E::custom(unknown_condition(v))),
                }
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<RetryOn, E> {
                let word = v.trim();
                if word.eq_ignore_ascii_case("connect") {
                    Ok(RetryOn::Connect)
                } else if word.eq_ignore_ascii_case("timeout") {
                    Ok(RetryOn::Timeout)
                } else if let Ok(code @ 100..=599) = word.parse::<u16>() {
                    Ok(RetryOn::Status(code))
                } else {
                    Err(E::custom(unknown_condition(format_args!("{v:?}"))))
                }
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Backoff {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Backoff::ALL
            .into_iter()
            .find(|b| b.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                de::Error::custom(format!(
                    "unknown backoff {s:?}: expected \"exponential\", \"linear\" or \"constant\""
                ))
            })
    }
}

/// A duration written as text ("500ms", "30s").
struct DurationText(Duration);

impl<'de> Deserialize<'de> for DurationText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = DurationText;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration such as \"500ms\" or \"30s\"")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<DurationText, E> {
                parse_duration(v)
                    .map(DurationText)
                    .map_err(|e| E::custom(format!("invalid duration {e}")))
            }
        }
        d.deserialize_str(V)
    }
}

/// The table form as written; missing keys take the defaults.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyTable {
    max: Option<i64>,
    backoff: Option<Backoff>,
    base: Option<DurationText>,
    max_delay: Option<DurationText>,
    jitter: Option<bool>,
    on: Option<Vec<RetryOn>>,
}

/// The number of retries, from a `max = N` or `retries = N`.
fn checked_max<E: de::Error>(max: i64) -> Result<u32, E> {
    if max < 0 {
        return Err(E::custom(format!(
            "{max} retries: the number of retries cannot be negative (0 turns retries off)"
        )));
    }
    match u32::try_from(max) {
        Ok(max) if max <= MAX_RETRIES => Ok(max),
        _ => Err(E::custom(format!(
            "{max} retries is too many: the limit is {MAX_RETRIES} (0 turns retries off)"
        ))),
    }
}

impl<'de> Deserialize<'de> for RetryPolicy {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RetryPolicy;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a retry table such as { max = 3, backoff = \"exponential\" }, a number of retries, or false",
                )
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RetryPolicy, E> {
                Ok(if v {
                    RetryPolicy::default()
                } else {
                    RetryPolicy::off()
                })
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RetryPolicy, E> {
                Ok(RetryPolicy {
                    max: checked_max(v)?,
                    ..RetryPolicy::default()
                })
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RetryPolicy, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RetryPolicy, A::Error> {
                let table = PolicyTable::deserialize(de::value::MapAccessDeserializer::new(map))?;
                let defaults = RetryPolicy::default();
                Ok(RetryPolicy {
                    max: match table.max {
                        Some(max) => checked_max(max)?,
                        None => defaults.max,
                    },
                    backoff: table.backoff.unwrap_or(defaults.backoff),
                    base: table.base.map_or(defaults.base, |d| d.0),
                    max_delay: table.max_delay.map_or(defaults.max_delay, |d| d.0),
                    jitter: table.jitter.unwrap_or(defaults.jitter),
                    on: table.on.unwrap_or(defaults.on),
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// Proptest strategies for policies, shared by the tests of the policy and of the decisions.
#[cfg(test)]
pub(crate) mod strategies {
    use proptest::prelude::*;

    use super::*;

    pub fn any_policy() -> impl Strategy<Value = RetryPolicy> {
        (
            0u32..=MAX_RETRIES,
            prop::sample::select(Backoff::ALL.to_vec()),
            0u64..=86_400_000,
            0u64..=86_400_000,
            any::<bool>(),
            prop::collection::vec(
                prop_oneof![
                    (100u16..600).prop_map(RetryOn::Status),
                    Just(RetryOn::Connect),
                    Just(RetryOn::Timeout),
                ],
                0..8,
            ),
        )
            .prop_map(|(max, backoff, base, max_delay, jitter, on)| RetryPolicy {
                max,
                backoff,
                base: Duration::from_millis(base),
                max_delay: Duration::from_millis(max_delay),
                jitter,
                on,
            })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::strategies::any_policy;
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn rng() -> fastrand::Rng {
        fastrand::Rng::with_seed(7)
    }

    fn no_jitter(backoff: Backoff) -> RetryPolicy {
        RetryPolicy {
            max: 10,
            backoff,
            jitter: false,
            ..RetryPolicy::default()
        }
    }

    #[derive(Debug, Deserialize, Serialize)]
    struct Doc {
        retries: RetryPolicy,
    }

    fn parse(toml_text: &str) -> Result<RetryPolicy, String> {
        toml::from_str::<Doc>(toml_text)
            .map(|d| d.retries)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn reads_the_documented_table() {
        let policy = parse(
            r#"retries = { max = 3, backoff = "exponential", base = "500ms", max_delay = "30s", jitter = true, on = [429, 502, 503, 504, "connect", "timeout"] }"#,
        )
        .unwrap();
        assert_eq!(policy, RetryPolicy::default());
    }

    #[test]
    fn missing_keys_take_defaults_and_shorthands_work() {
        let policy = parse(r#"retries = { max = 5, backoff = "linear", on = [503] }"#).unwrap();
        assert_eq!(policy.max, 5);
        assert_eq!(policy.backoff, Backoff::Linear);
        assert_eq!(policy.base, ms(500));
        assert_eq!(policy.on, vec![RetryOn::Status(503)]);

        assert_eq!(parse("retries = false").unwrap(), RetryPolicy::off());
        assert!(parse("retries = 0").unwrap().is_off());
        assert_eq!(parse("retries = true").unwrap(), RetryPolicy::default());
        assert_eq!(parse("retries = 2").unwrap().max, 2);
        assert_eq!(parse("retries = {}").unwrap(), RetryPolicy::default());
    }

    #[test]
    fn bad_values_say_what_is_wrong() {
        let err = parse(r#"retries = { on = [503, "foo"] }"#).unwrap_err();
        assert!(
            err.contains(
                r#"unknown retry condition "foo": expected a status code 100-599, "connect" or "timeout""#
            ),
            "{err}"
        );
        let err = parse("retries = { on = [600] }").unwrap_err();
        assert!(err.contains("unknown retry condition 600"), "{err}");
        let err = parse("retries = { on = [-1] }").unwrap_err();
        assert!(err.contains("unknown retry condition -1"), "{err}");

        let err = parse("retries = { max = 3, retry = true }").unwrap_err();
        assert!(err.contains("unknown field `retry`"), "{err}");

        let err = parse(r#"retries = { backoff = "fibonacci" }"#).unwrap_err();
        assert!(err.contains(r#"unknown backoff "fibonacci""#), "{err}");

        let err = parse(r#"retries = { base = "soon" }"#).unwrap_err();
        assert!(err.contains("invalid duration `soon`"), "{err}");
        let err = parse("retries = { base = 500 }").unwrap_err();
        assert!(err.contains("a duration such as \"500ms\""), "{err}");

        let err = parse("retries = { max = 1000 }").unwrap_err();
        assert!(err.contains("1000 retries is too many"), "{err}");
        let err = parse("retries = { max = -2 }").unwrap_err();
        assert!(err.contains("cannot be negative"), "{err}");
        let err = parse("retries = -1").unwrap_err();
        assert!(err.contains("cannot be negative"), "{err}");
        let err = parse(r#"retries = "yes""#).unwrap_err();
        assert!(err.contains("a retry table"), "{err}");
    }

    #[test]
    fn conditions_accept_words_and_quoted_codes() {
        let policy = parse(r#"retries = { on = ["CONNECT", "503", " timeout "] }"#).unwrap();
        assert_eq!(
            policy.on,
            vec![RetryOn::Connect, RetryOn::Status(503), RetryOn::Timeout]
        );
    }

    #[test]
    fn writes_back_the_same_shape() {
        let policy = RetryPolicy::default();
        let inline = policy.to_toml_value().to_string();
        assert_eq!(
            inline.trim(),
            r#"{ max = 3, backoff = "exponential", base = "500ms", max_delay = "30s", jitter = true, on = [429, 502, 503, 504, "connect", "timeout"] }"#
        );
        assert_eq!(parse(&format!("retries = {inline}")).unwrap(), policy);

        let text = toml::to_string(&Doc {
            retries: policy.clone(),
        })
        .unwrap();
        assert_eq!(parse(&text).unwrap(), policy);
    }

    #[test]
    fn backoff_grows_as_configured_and_is_capped() {
        let mut r = rng();
        let exp = no_jitter(Backoff::Exponential);
        let waits: Vec<Duration> = (1..=8).map(|n| exp.backoff_delay(n, &mut r)).collect();
        assert_eq!(
            waits,
            [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000].map(ms)
        );
        let linear = no_jitter(Backoff::Linear);
        let waits: Vec<Duration> = (1..=3).map(|n| linear.backoff_delay(n, &mut r)).collect();
        assert_eq!(waits, [500, 1000, 1500].map(ms));
        let constant = no_jitter(Backoff::Constant);
        assert_eq!(constant.backoff_delay(9, &mut r), ms(500));
        // Huge attempt numbers saturate instead of overflowing.
        assert_eq!(exp.backoff_delay(u32::MAX, &mut r), exp.max_delay);
        assert_eq!(linear.backoff_delay(u32::MAX, &mut r), linear.max_delay);
    }

    #[test]
    fn jitter_keeps_at_least_half_and_is_reproducible_with_a_seed() {
        let policy = RetryPolicy {
            max: 10,
            ..RetryPolicy::default()
        };
        let mut seen = std::collections::HashSet::new();
        let mut a = rng();
        let mut b = rng();
        for _ in 0..50 {
            let d = policy.backoff_delay(3, &mut a);
            assert!((ms(1000)..=ms(2000)).contains(&d), "{d:?}");
            assert_eq!(d, policy.backoff_delay(3, &mut b));
            seen.insert(d);
        }
        assert!(seen.len() > 1, "jitter never varied");
    }

    proptest! {
        #[test]
        fn toml_round_trips(policy in any_policy()) {
            let inline = policy.to_toml_value().to_string();
            prop_assert_eq!(parse(&format!("retries = {inline}")), Ok(policy.clone()));
            let text = toml::to_string(&Doc { retries: policy.clone() }).unwrap();
            prop_assert_eq!(parse(&text), Ok(policy));
        }
    }
}
