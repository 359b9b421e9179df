//! How sizes, durations and counts read on screen and in messages.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

/// A count and its noun, the noun in the plural unless the count is one: `1 cookie`,
/// `3 cookies`, `0 cookies`, `1,234 records` (for the nouns scout counts, all plural with an
/// `s`).
///
/// ```
/// use scout::model::counted;
/// assert_eq!(counted(1, "redirect"), "1 redirect");
/// assert_eq!(counted(3, "redirect"), "3 redirects");
/// assert_eq!(counted(0, "check"), "0 checks");
/// assert_eq!(counted(1234, "record"), "1,234 records");
/// ```
pub fn counted(n: usize, noun: &str) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("{} {noun}{s}", thousands(n))
}

/// Formats a byte count the way the status line and history show it: `512 B`, `1.2 KB`, `3.4 MB`.
///
/// ```
/// use scout::model::human_size;
/// assert_eq!(human_size(512), "512 B");
/// assert_eq!(human_size(1536), "1.5 KB");
/// assert_eq!(human_size(10 * 1024 * 1024), "10 MB");
/// ```
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if value < 10.0 {
        format!("{value:.1} {}", UNITS[unit])
    } else {
        format!("{value:.0} {}", UNITS[unit])
    }
}

/// Formats a duration for the status line and history: `850 µs`, `12 ms`, `1.25 s`.
pub fn human_duration(d: Duration) -> String {
    let micros = d.as_micros();
    if micros < 1000 {
        format!("{micros} µs")
    } else if micros < 10_000_000 {
        let ms = d.as_secs_f64() * 1000.0;
        if ms < 1000.0 {
            format!("{ms:.0} ms")
        } else {
            format!("{:.2} s", d.as_secs_f64())
        }
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A wall-clock time in unix milliseconds (0 before 1970).
pub fn wall_ms(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// `14:03:12 UTC`: the time of day of a unix-milliseconds time.
pub fn utc_time(ms: u64) -> String {
    let secs = ms / 1000;
    format!(
        "{:02}:{:02}:{:02} UTC",
        secs / 3600 % 24,
        secs / 60 % 60,
        secs % 60
    )
}

/// `2026-12-03 14:03:12 UTC`: the date and time of a unix-milliseconds time.
pub fn utc_date_time(ms: u64) -> String {
    let days = (ms / 1000 / 86_400) as i64;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {}", utc_time(ms))
}

/// "a string", "an object", … for messages.
pub fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A size as written in the config file: bytes (`1048576`), or a number with a unit `KB`, `MB`,
/// `GB` (powers of 1024, as [`human_size`] shows them; `K`, `M`, `G`, `KiB`, `MiB`, `GiB` too,
/// any case).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = (&t[..split], t[split..].trim());
    let shift = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => {
            return Err(format!(
                "`{text}` is not a size: write bytes, or a number with KB, MB or GB (e.g. \"64MB\")"
            ));
        }
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size: it needs a number, e.g. \"64MB\""))?;
    Ok((value * (1u64 << shift) as f64) as u64)
}

/// How much of `bytes` is kept when at most `max` may be: all of it if it fits, else `max` moved
/// back to the start of a character the cut would split.
pub fn cut_len(bytes: &[u8], max: usize) -> usize {
    if bytes.len() <= max {
        return bytes.len();
    }
    match std::str::from_utf8(&bytes[..max]) {
        // Only a character split at the end is wrong: text up to it is kept.
        Err(e) if e.error_len().is_none() => e.valid_up_to(),
        _ => max,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_read_with_their_units() {
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("64MB"), Ok(64 << 20));
        assert_eq!(parse_size(" 1.5 gb "), Ok(3 << 29));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("12 parsecs").is_err());
    }

    #[test]
    fn wall_times_are_unix_milliseconds() {
        assert_eq!(
            wall_ms(UNIX_EPOCH + Duration::from_millis(1_700_000_000_123)),
            1_700_000_000_123
        );
        assert_eq!(wall_ms(UNIX_EPOCH - Duration::from_secs(1)), 0);
    }

    #[test]
    fn utc_times_read_as_written() {
        assert_eq!(utc_time(0), "00:00:00 UTC");
        assert_eq!(utc_date_time(0), "1970-01-01 00:00:00 UTC");
        // 2026-12-03 14:03:12 UTC
        assert_eq!(utc_date_time(1_796_306_592_000), "2026-12-03 14:03:12 UTC");
        assert_eq!(utc_date_time(951_782_400_000), "2000-02-29 00:00:00 UTC");
    }

    #[test]
    fn sizes_and_durations_read_naturally() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(1536), "1.5 KB");
        assert_eq!(human_size(13 * 1024 * 1024), "13 MB");
        assert_eq!(human_duration(Duration::from_micros(850)), "850 µs");
        assert_eq!(human_duration(Duration::from_millis(12)), "12 ms");
        assert_eq!(human_duration(Duration::from_millis(1250)), "1.25 s");
    }
}
