//! Number formatting as the article prints it: `6,900.00` ms, `4,817` req/s.

/// Microseconds as milliseconds with two decimals and thousands separators (`6,900.00`).
pub fn ms(us: f64) -> String {
    group(&format!("{:.2}", us / 1000.0))
}

/// A count rounded to an integer, with thousands separators (`96,434`).
pub fn int(value: f64) -> String {
    let rounded = value.round();
    if rounded == 0.0 {
        return "0".into();
    }
    group(&format!("{rounded:.0}"))
}

/// A number with `decimals` decimals and thousands separators.
pub fn fixed(value: f64, decimals: usize) -> String {
    group(&format!("{value:.decimals$}"))
}

/// Bytes as MiB with one decimal (`30.0`).
pub fn mib(bytes: f64) -> String {
    fixed(bytes / (1024.0 * 1024.0), 1)
}

/// Compact axis label: `950`, `1.5k`, `62k`, `1.2M`.
pub fn compact(value: f64) -> String {
    let trim = |s: String| {
        if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
    };
    let abs = value.abs();
    if abs >= 1e6 {
        format!("{}M", trim(format!("{:.1}", value / 1e6)))
    } else if abs >= 1e3 {
        format!("{}k", trim(format!("{:.1}", value / 1e3)))
    } else if abs >= 10.0 || abs == 0.0 {
        format!("{value:.0}")
    } else {
        trim(format!("{value:.2}"))
    }
}

/// Insert `,` every three digits in the integer part of a decimal string.
fn group(text: &str) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (int_part, frac) = match rest.find('.') {
        Some(dot) => rest.split_at(dot),
        None => (rest, ""),
    };
    let mut out = String::with_capacity(text.len() + int_part.len() / 3);
    out.push_str(sign);
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out.push_str(frac);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_the_article() {
        assert_eq!(ms(6_900_000.0), "6,900.00");
        assert_eq!(ms(116_110.0), "116.11");
        assert_eq!(ms(330.0), "0.33");
        assert_eq!(ms(14_000_000.0), "14,000.00");
        assert_eq!(int(4817.0), "4,817");
        assert_eq!(int(4_303_606.0), "4,303,606");
        assert_eq!(int(11.4), "11");
        assert_eq!(int(999.5), "1,000");
        assert_eq!(int(-0.2), "0");
        assert_eq!(int(-1234.0), "-1,234");
        assert_eq!(fixed(-12.345, 1), "-12.3");
        assert_eq!(mib(31_457_280.0), "30.0");
    }

    #[test]
    fn compact_labels() {
        assert_eq!(compact(0.0), "0");
        assert_eq!(compact(950.0), "950");
        assert_eq!(compact(1500.0), "1.5k");
        assert_eq!(compact(62_000.0), "62k");
        assert_eq!(compact(1_250_000.0), "1.2M");
        assert_eq!(compact(0.5), "0.5");
    }
}
