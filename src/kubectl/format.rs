//! kubectl's output conventions: the AGE column's human durations and tab-aligned tables.

use crate::sim::time::SimDuration;

/// Formats a span the way kubectl's AGE column does (apimachinery `HumanDuration`): exact
/// seconds below two minutes, minutes and seconds below ten minutes, and coarser units after.
pub fn human_duration(span: SimDuration) -> String {
    let secs = span.as_ms().div_euclid(1000);
    if secs < -1 {
        return "<invalid>".to_string();
    }
    if secs < 0 {
        return "0s".to_string();
    }
    if secs < 120 {
        return format!("{secs}s");
    }
    let mins = secs / 60;
    if mins < 10 {
        return with_remainder(mins, "m", secs % 60, "s");
    }
    if mins < 180 {
        return format!("{mins}m");
    }
    let hours = secs / 3600;
    if hours < 8 {
        return with_remainder(hours, "h", mins % 60, "m");
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        return with_remainder(hours / 24, "d", hours % 24, "h");
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        return with_remainder(hours / (24 * 365), "y", (hours / 24) % 365, "d");
    }
    format!("{}y", hours / (24 * 365))
}

fn with_remainder(whole: i64, unit: &str, rest: i64, rest_unit: &str) -> String {
    if rest == 0 {
        format!("{whole}{unit}")
    } else {
        format!("{whole}{unit}{rest}{rest_unit}")
    }
}

/// Aligns rows into columns as kubectl's tab writer does: each column as wide as its widest
/// cell plus three spaces (at least six), the last column unpadded.
pub fn table(rows: &[Vec<String>]) -> String {
    const PADDING: usize = 3;
    const MIN_WIDTH: usize = 6;
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|column| {
            let widest = rows
                .iter()
                .filter_map(|row| row.get(column))
                .map(|cell| cell.chars().count());
            (widest.max().unwrap_or(0) + PADDING).max(MIN_WIDTH)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        for (column, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if column + 1 < row.len() {
                let pad = widths[column].saturating_sub(cell.chars().count());
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn age(secs: i64) -> String {
        human_duration(SimDuration::from_secs(secs))
    }

    #[test]
    fn ages_read_like_kubectl() {
        assert_eq!(age(0), "0s");
        assert_eq!(age(119), "119s");
        assert_eq!(age(120), "2m");
        assert_eq!(age(125), "2m5s");
        assert_eq!(age(599), "9m59s");
        assert_eq!(age(600), "10m");
        assert_eq!(age(179 * 60 + 59), "179m");
        assert_eq!(age(3 * 3600), "3h");
        assert_eq!(age(3 * 3600 + 25 * 60), "3h25m");
        assert_eq!(age(8 * 3600 + 25 * 60), "8h");
        assert_eq!(age(47 * 3600), "47h");
        assert_eq!(age(50 * 3600), "2d2h");
        assert_eq!(age(8 * 86400), "8d");
        assert_eq!(age(400 * 86400), "400d");
        assert_eq!(age(3 * 365 * 86400 + 86400), "3y1d");
        assert_eq!(human_duration(SimDuration::from_ms(-500)), "0s");
        assert_eq!(age(-5), "<invalid>");
    }

    #[test]
    fn tables_pad_every_column_but_the_last() {
        let rows = vec![
            vec![
                "NAME".into(),
                "READY".into(),
                "STATUS".into(),
                "RESTARTS".into(),
                "AGE".into(),
            ],
            vec![
                "pi-abcde".into(),
                "0/1".into(),
                "Completed".into(),
                "0".into(),
                "2m".into(),
            ],
        ];
        assert_eq!(
            table(&rows),
            "NAME       READY   STATUS      RESTARTS   AGE\n\
             pi-abcde   0/1     Completed   0          2m\n"
        );
    }
}
