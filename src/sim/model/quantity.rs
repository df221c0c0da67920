//! Kubernetes resource quantities (`100m`, `200Mi`, `1Gi`, `2`, `1e3`).
//!
//! The model keeps a quantity as the string the user wrote, as the API does, and parses it when a
//! number is needed: CPU in millicores, memory and pod counts in whole units.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A resource quantity as written in a manifest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Quantity(pub String);

/// Why a quantity string could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuantityError {
    /// The text that failed to parse.
    pub text: String,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "quantities must match the regular expression \
             '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': {:?}",
            self.text
        )
    }
}

impl std::error::Error for QuantityError {}

impl Quantity {
    /// Wraps a literal such as `"500m"`.
    pub fn new(text: &str) -> Self {
        Quantity(text.to_string())
    }

    /// The value in thousandths, rounded up as `resource.Quantity.MilliValue` does.
    pub fn milli_value(&self) -> Result<i64, QuantityError> {
        parse_scaled(&self.0, 1000)
    }

    /// The value in whole units, rounded up as `resource.Quantity.Value` does.
    pub fn value(&self) -> Result<i64, QuantityError> {
        parse_scaled(&self.0, 1)
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The multiplier of a suffix as a fraction `numerator / denominator`.
fn suffix_factor(suffix: &str) -> Option<(i128, i128)> {
    let binary = |power: u32| Some((1i128 << (10 * power), 1));
    let decimal = |power: u32| Some((10i128.pow(power), 1));
    match suffix {
        "" => decimal(0),
        "n" => Some((1, 1_000_000_000)),
        "u" => Some((1, 1_000_000)),
        "m" => Some((1, 1000)),
        "k" => decimal(3),
        "M" => decimal(6),
        "G" => decimal(9),
        "T" => decimal(12),
        "P" => decimal(15),
        "E" => decimal(18),
        "Ki" => binary(1),
        "Mi" => binary(2),
        "Gi" => binary(3),
        "Ti" => binary(4),
        "Pi" => binary(5),
        "Ei" => binary(6),
        _ => exponent_factor(suffix),
    }
}

/// `e3` / `E-2` style decimal exponents.
fn exponent_factor(suffix: &str) -> Option<(i128, i128)> {
    let digits = suffix
        .strip_prefix('e')
        .or_else(|| suffix.strip_prefix('E'))?;
    let power: i32 = digits.parse().ok()?;
    if power.unsigned_abs() > 18 {
        return None;
    }
    let scale = 10i128.pow(power.unsigned_abs());
    Some(if power >= 0 { (scale, 1) } else { (1, scale) })
}

/// Parses `text` and returns its value times `unit`, rounded up to an integer.
fn parse_scaled(text: &str, unit: i128) -> Result<i64, QuantityError> {
    let error = || QuantityError {
        text: text.to_string(),
    };
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(trimmed.len());
    let (number, suffix) = trimmed.split_at(split);
    let (negative, number) = match number.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, number.strip_prefix('+').unwrap_or(number)),
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction) {
        return Err(error());
    }
    if whole.len() + fraction.len() > 24 {
        return Err(error());
    }
    // At most 24 digits, checked above, so the mantissa fits an i128 without overflow; folding
    // the digits avoids allocating on this hot path (the scheduler reads quantities per node).
    let mantissa = whole
        .bytes()
        .chain(fraction.bytes())
        .fold(0i128, |acc, digit| acc * 10 + i128::from(digit - b'0'));
    let fraction_scale = 10i128.pow(fraction.len() as u32);
    let (numerator, denominator) = suffix_factor(suffix).ok_or_else(error)?;
    let top = mantissa
        .checked_mul(numerator)
        .and_then(|v| v.checked_mul(unit))
        .ok_or_else(error)?;
    let bottom = fraction_scale * denominator;
    let rounded_up = (top + bottom - 1) / bottom;
    let signed = if negative {
        -(top / bottom)
    } else {
        rounded_up
    };
    i64::try_from(signed).map_err(|_| error())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_in_millicores() {
        assert_eq!(Quantity::new("100m").milli_value(), Ok(100));
        assert_eq!(Quantity::new("2").milli_value(), Ok(2000));
        assert_eq!(Quantity::new("0.5").milli_value(), Ok(500));
        assert_eq!(Quantity::new("1.5m").milli_value(), Ok(2));
    }

    #[test]
    fn memory_in_bytes() {
        assert_eq!(Quantity::new("200Mi").value(), Ok(200 * 1024 * 1024));
        assert_eq!(Quantity::new("1Gi").value(), Ok(1 << 30));
        assert_eq!(Quantity::new("100M").value(), Ok(100_000_000));
        assert_eq!(Quantity::new("1e3").value(), Ok(1000));
        assert_eq!(Quantity::new("110").value(), Ok(110));
    }

    #[test]
    fn rejects_garbage_with_the_api_message() {
        let err = Quantity::new("12Q").value().expect_err("not a quantity");
        assert!(err.to_string().ends_with(": \"12Q\""), "{err}");
        assert!(Quantity::new("").value().is_err());
        assert!(Quantity::new("abc").value().is_err());
    }
}
