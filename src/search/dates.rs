//! Search: the `--from`/`--to` dates (and the API's `from=`/`to=`) as the
//! Unix-second bounds of the date filter.

use crate::corpus::parse_date;

/// A filter date as Unix seconds, both bounds inclusive: with `end_of_day`,
/// a date without a time moves to its last second (`--to 2024-06-30`
/// keeps the whole of that day).
///
/// # Errors
/// A message naming the text when it is not a date.
pub fn date_bound(text: &str, end_of_day: bool) -> Result<i64, String> {
    let ts = parse_date(text)
        .ok_or_else(|| format!("cannot read the date {text:?} (use YYYY-MM-DD)"))?;
    Ok(if end_of_day && !text.contains(':') {
        ts + 86_399
    } else {
        ts
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_cover_whole_days() {
        let from = date_bound("2024-06-30", false).expect("date");
        let to = date_bound("2024-06-30", true).expect("date");
        assert_eq!(to - from, 86_399);
        assert_eq!(
            date_bound("2024-06-30T10:00:00Z", true),
            date_bound("2024-06-30T10:00:00Z", false)
        );
        assert!(date_bound("yesterday-ish", false)
            .unwrap_err()
            .contains("yesterday-ish"));
    }
}
