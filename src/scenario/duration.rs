//! Go-style durations (`90s`, `5m`, `1h30m`, `1.5s`, `250ms`) as `time.ParseDuration` reads
//! them, with its error wording.

use crate::sim::time::SimDuration;

/// Parses a Go duration into whole milliseconds (finer parts are rounded down). Negative
/// durations are refused: scenario times only move forward.
pub fn parse_duration(text: &str) -> Result<SimDuration, String> {
    let invalid = || format!("time: invalid duration {text:?}");
    if text == "0" {
        return Ok(SimDuration::from_ms(0));
    }
    if text.is_empty() || text.starts_with('-') {
        return Err(invalid());
    }
    let body = text.strip_prefix('+').unwrap_or(text);
    let mut rest = body;
    let mut total_ns: f64 = 0.0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..number_len];
        if number.is_empty() || number == "." {
            return Err(invalid());
        }
        let value: f64 = number.parse().map_err(|_| invalid())?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let scale_ns = match unit {
            "" => return Err(format!("time: missing unit in duration {text:?}")),
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            other => {
                return Err(format!("time: unknown unit {other:?} in duration {text:?}"));
            }
        };
        total_ns += value * scale_ns;
    }
    // Bounded: Go durations stop at about 292 years.
    if total_ns > 9.2e18 {
        return Err(invalid());
    }
    Ok(SimDuration::from_ms((total_ns / 1e6).floor() as i64))
}

/// Writes a duration as Go's `Duration.String` does for whole milliseconds (`1m30s`, `250ms`).
pub fn format_duration(duration: SimDuration) -> String {
    let ms = duration.as_ms();
    if ms == 0 {
        return "0s".to_string();
    }
    if ms.abs() < 1000 {
        return format!("{ms}ms");
    }
    let (hours, rest) = (ms / 3_600_000, ms % 3_600_000);
    let (mins, rest) = (rest / 60_000, rest % 60_000);
    let (whole, frac) = (rest / 1000, rest % 1000);
    let secs = if frac == 0 {
        format!("{whole}s")
    } else {
        format!("{whole}.{}s", format!("{frac:03}").trim_end_matches('0'))
    };
    match (hours, mins) {
        (0, 0) => secs,
        (0, m) => format!("{m}m{secs}"),
        (h, m) => format!("{h}h{m}m{secs}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(text: &str) -> Result<i64, String> {
        parse_duration(text).map(|d| d.as_ms())
    }

    #[test]
    fn go_durations_parse_to_milliseconds() {
        assert_eq!(ms("90s"), Ok(90_000));
        assert_eq!(ms("5m"), Ok(300_000));
        assert_eq!(ms("1h30m"), Ok(5_400_000));
        assert_eq!(ms("1.5s"), Ok(1_500));
        assert_eq!(ms("250ms"), Ok(250));
        assert_eq!(ms("0"), Ok(0));
    }

    #[test]
    fn bad_durations_are_worded_like_go() {
        assert_eq!(
            ms("5"),
            Err("time: missing unit in duration \"5\"".to_string())
        );
        assert_eq!(
            ms("5x"),
            Err("time: unknown unit \"x\" in duration \"5x\"".to_string())
        );
        assert_eq!(
            ms("soon"),
            Err("time: invalid duration \"soon\"".to_string())
        );
        assert_eq!(ms("-5s"), Err("time: invalid duration \"-5s\"".to_string()));
        assert_eq!(ms(""), Err("time: invalid duration \"\"".to_string()));
    }

    #[test]
    fn durations_format_like_go() {
        assert_eq!(format_duration(SimDuration::from_ms(90_000)), "1m30s");
        assert_eq!(format_duration(SimDuration::from_ms(3_600_000)), "1h0m0s");
        assert_eq!(format_duration(SimDuration::from_ms(250)), "250ms");
        assert_eq!(format_duration(SimDuration::from_ms(1_500)), "1.5s");
    }
}
