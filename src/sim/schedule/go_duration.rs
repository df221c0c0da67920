//! Go's duration syntax (`1h30m`, `90m`, `1.5h`, `0s`), as `@every <duration>` accepts it.
//!
//! robfig/cron hands the text after `@every ` to Go's `time.ParseDuration`, so the accepted
//! spellings and the error texts are Go's. This is our own reading of that grammar:
//! `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, units `ns us µs μs ms s m h`, plus the bare `0`.

/// Nanoseconds in one unit of each suffix Go accepts. Both micro signs are Go's.
const UNITS_NS: [(&str, u64); 8] = [
    ("ns", 1),
    ("us", 1_000),
    ("\u{b5}s", 1_000),
    ("\u{3bc}s", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
];

/// The largest magnitude a Go duration holds: 2^63 nanoseconds (about 292 years).
const MAX_MAGNITUDE_NS: u64 = 1 << 63;

/// Parses a Go duration into signed nanoseconds; mirrors `time.ParseDuration`.
///
/// The error is Go's text, e.g. `time: missing unit in duration "90"`.
pub fn parse_go_duration(text: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", go_time_quote(text));
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }

    let mut total_ns: u64 = 0;
    while !rest.is_empty() {
        let (term_ns, after) = parse_term(rest, text)?;
        rest = after;
        total_ns = total_ns.checked_add(term_ns).ok_or_else(invalid)?;
        if total_ns > MAX_MAGNITUDE_NS {
            return Err(invalid());
        }
    }

    if negative {
        // 2^63 itself is allowed only when negative: it is i64::MIN.
        Ok(0i64.wrapping_sub_unsigned(total_ns))
    } else {
        i64::try_from(total_ns).map_err(|_| invalid())
    }
}

/// Parses one `<number><unit>` term at the start of `rest`; returns its nanoseconds and what
/// follows. `whole` is the full input, quoted in errors.
fn parse_term<'a>(rest: &'a str, whole: &str) -> Result<(u64, &'a str), String> {
    let invalid = || format!("time: invalid duration {}", go_time_quote(whole));
    let first = rest.as_bytes()[0];
    if !(first == b'.' || first.is_ascii_digit()) {
        return Err(invalid());
    }

    let digits_len = leading_digits(rest);
    let integer = parse_leading_int(&rest[..digits_len]).ok_or_else(invalid)?;
    let mut rest = &rest[digits_len..];
    let mut fraction = (0u64, 1f64);
    let mut has_fraction_digits = false;
    if let Some(after_dot) = rest.strip_prefix('.') {
        let fraction_len = leading_digits(after_dot);
        fraction = parse_leading_fraction(&after_dot[..fraction_len]);
        has_fraction_digits = fraction_len > 0;
        rest = &after_dot[fraction_len..];
    }
    if digits_len == 0 && !has_fraction_digits {
        return Err(invalid());
    }

    // The unit runs up to the next digit or dot, so `1h-5m` has the unit `h-`.
    let unit_len = rest
        .bytes()
        .take_while(|b| *b != b'.' && !b.is_ascii_digit())
        .count();
    if unit_len == 0 {
        return Err(format!(
            "time: missing unit in duration {}",
            go_time_quote(whole)
        ));
    }
    let unit = &rest[..unit_len];
    let Some(&(_, unit_ns)) = UNITS_NS.iter().find(|(name, _)| *name == unit) else {
        return Err(format!(
            "time: unknown unit {} in duration {}",
            go_time_quote(unit),
            go_time_quote(whole)
        ));
    };

    if integer > MAX_MAGNITUDE_NS / unit_ns {
        return Err(invalid());
    }
    let mut term_ns = integer * unit_ns;
    let (numerator, scale) = fraction;
    if numerator > 0 {
        // Go computes the fraction in float64 to stay exact to the nanosecond for hours.
        term_ns += (numerator as f64 * (unit_ns as f64 / scale)) as u64;
        if term_ns > MAX_MAGNITUDE_NS {
            return Err(invalid());
        }
    }
    Ok((term_ns, &rest[unit_len..]))
}

/// The number of ASCII digits at the start of `text`.
fn leading_digits(text: &str) -> usize {
    text.bytes().take_while(u8::is_ascii_digit).count()
}

/// The value of a digit run, or `None` once it passes 2^63 (Go's `leadingInt` overflow).
fn parse_leading_int(digits: &str) -> Option<u64> {
    let mut value: u64 = 0;
    for digit in digits.bytes() {
        if value > MAX_MAGNITUDE_NS / 10 {
            return None;
        }
        value = value * 10 + u64::from(digit - b'0');
        if value > MAX_MAGNITUDE_NS {
            return None;
        }
    }
    Some(value)
}

/// The digits after a decimal point as (numerator, scale); like Go's `leadingFraction` it stops
/// gaining precision instead of failing when the numerator would overflow.
fn parse_leading_fraction(digits: &str) -> (u64, f64) {
    let mut numerator: u64 = 0;
    let mut scale = 1f64;
    for digit in digits.bytes() {
        if numerator > (MAX_MAGNITUDE_NS - 1) / 10 {
            break;
        }
        let next = numerator * 10 + u64::from(digit - b'0');
        if next > MAX_MAGNITUDE_NS {
            break;
        }
        numerator = next;
        scale *= 10.0;
    }
    (numerator, scale)
}

/// Quotes like the Go `time` package's own `quote`: double quotes, `"` and `\` escaped, and every
/// byte of a non-ASCII or control character written as `\xNN`.
pub fn go_time_quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        if !c.is_ascii() || c < ' ' {
            let mut buffer = [0u8; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                quoted.push_str(&format!("\\x{byte:02x}"));
            }
        } else {
            if c == '"' || c == '\\' {
                quoted.push('\\');
            }
            quoted.push(c);
        }
    }
    quoted.push('"');
    quoted
}

/// Formats whole seconds the way Go's `Duration.String` does: `1s`, `1m30s`, `1h30m0s`.
pub fn format_go_duration_secs(total_secs: i64) -> String {
    let sign = if total_secs < 0 { "-" } else { "" };
    let magnitude = total_secs.unsigned_abs();
    let (hours, minutes, secs) = (magnitude / 3600, magnitude / 60 % 60, magnitude % 60);
    if hours > 0 {
        format!("{sign}{hours}h{minutes}m{secs}s")
    } else if minutes > 0 {
        format!("{sign}{minutes}m{secs}s")
    } else {
        format!("{sign}{secs}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEC_NS: i64 = 1_000_000_000;

    #[test]
    fn accepts_go_spellings() {
        assert_eq!(parse_go_duration("1h30m"), Ok(5400 * SEC_NS));
        assert_eq!(parse_go_duration("90m"), Ok(5400 * SEC_NS));
        assert_eq!(parse_go_duration("1.5h"), Ok(5400 * SEC_NS));
        assert_eq!(parse_go_duration("0"), Ok(0));
        assert_eq!(parse_go_duration("0s"), Ok(0));
        assert_eq!(parse_go_duration("-1.5s"), Ok(-1_500_000_000));
        assert_eq!(parse_go_duration("+.5s"), Ok(500_000_000));
        assert_eq!(
            parse_go_duration("1h2m3s4ms5us6\u{b5}s7ns"),
            Ok(3_723_004_011_007)
        );
        assert_eq!(parse_go_duration("-9223372036.854775808s"), Ok(i64::MIN));
    }

    #[test]
    fn rejects_with_go_error_texts() {
        assert_eq!(
            parse_go_duration(""),
            Err("time: invalid duration \"\"".into())
        );
        assert_eq!(
            parse_go_duration("90"),
            Err("time: missing unit in duration \"90\"".into())
        );
        assert_eq!(
            parse_go_duration("1h-5m"),
            Err("time: unknown unit \"h-\" in duration \"1h-5m\"".into())
        );
        assert_eq!(
            parse_go_duration(".s"),
            Err("time: invalid duration \".s\"".into())
        );
        assert_eq!(
            parse_go_duration(" 1h"),
            Err("time: invalid duration \" 1h\"".into())
        );
        assert_eq!(
            parse_go_duration("3000000h"),
            Err("time: invalid duration \"3000000h\"".into())
        );
        assert_eq!(
            parse_go_duration("1\u{e9}"),
            Err("time: unknown unit \"\\xc3\\xa9\" in duration \"1\\xc3\\xa9\"".into())
        );
    }

    #[test]
    fn formats_like_go_duration_string() {
        assert_eq!(format_go_duration_secs(1), "1s");
        assert_eq!(format_go_duration_secs(90), "1m30s");
        assert_eq!(format_go_duration_secs(5400), "1h30m0s");
        assert_eq!(format_go_duration_secs(7200), "2h0m0s");
    }
}
