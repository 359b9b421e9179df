//! How sizes, durations and counts read on screen and in messages.

use std::time::Duration;

use serde_json::Value;

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

#[cfg(test)]
mod tests {
    use super::*;

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
