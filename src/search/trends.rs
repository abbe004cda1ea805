//! Search: how often something was written about, period by period, for
//! up to [`MAX_SERIES`] searches side by side (`akhbar trends`,
//! `/api/trends`, the page's «اتجاهات»).
//!
//! Each series is an ordinary search (words, or a name as `--entity`
//! finds it) with the request's dates and outlets, counted, never
//! reranked: per month it is the search's own timeline (the `facets`
//! months, over every matching article), so a series' months are the
//! page's timeline and add up to `search --count` for the same dates
//! (undated articles counted apart). Years add months up. Weeks (for
//! spans of up to [`WEEKS_UP_TO_DAYS`] days) are counted by one
//! date-bounded search per week, Monday to Sunday. Every period between
//! the first and the last with articles is listed, empty ones as 0, so
//! the series share one axis.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use super::error::SearchError;
use super::filters::{Filters, Page};
use super::plan::Op;
use super::request::SearchRequest;
use super::run::search_with;
use crate::entities::AliasTable;
use crate::index::OpenIndex;

/// Most series in one request.
pub const MAX_SERIES: usize = 5;
/// The automatic period is the week up to this span, in days.
pub const WEEKS_UP_TO_DAYS: i64 = 183;
/// … the month up to this many months, the year beyond.
const MONTHS_UP_TO: usize = 120;

/// The length of a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Interval {
    /// Weeks, Monday to Sunday (labelled by their Monday).
    Week,
    /// Calendar months (`YYYY-MM`).
    Month,
    /// Calendar years (`YYYY`).
    Year,
}

impl Interval {
    /// Parses `week`, `month`, `year`; `auto` (or nothing) is `None`.
    ///
    /// # Errors
    /// Another value, named.
    pub fn parse(text: &str) -> Result<Option<Interval>, String> {
        match text.trim() {
            "" | "auto" => Ok(None),
            "week" => Ok(Some(Interval::Week)),
            "month" => Ok(Some(Interval::Month)),
            "year" => Ok(Some(Interval::Year)),
            other => Err(format!(
                "interval must be auto, week, month or year, not {other:?}"
            )),
        }
    }
}

/// One series asked for: words, or a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeriesAsk {
    /// The query (may be empty with `entity`).
    pub query: String,
    /// A name, searched as `--entity` does.
    pub entity: Option<String>,
}

impl SeriesAsk {
    /// How the series is labelled: the name, or the words.
    pub fn label(&self) -> String {
        match (&self.entity, self.query.trim()) {
            (Some(e), "") => e.clone(),
            (Some(e), q) => format!("{e} + {q}"),
            (None, q) => q.to_string(),
        }
    }
}

/// What is asked.
#[derive(Clone, Debug, Default)]
pub struct TrendRequest {
    /// The series, at most [`MAX_SERIES`].
    pub series: Vec<SeriesAsk>,
    /// Dates and outlets, for every series.
    pub filters: Filters,
    /// The period, or `None` to choose by span.
    pub interval: Option<Interval>,
    /// How words side by side combine.
    pub op: Op,
}

/// One series counted.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SeriesCounts {
    /// Its label (the name, or the words).
    pub label: String,
    /// The words searched.
    pub query: String,
    /// The name searched, if any.
    pub entity: Option<String>,
    /// Articles found (dated and undated).
    pub total: u64,
    /// Articles found without a readable date (in no period).
    pub undated: u64,
    /// Articles per period, in the order of [`Trends::periods`].
    pub counts: Vec<u64>,
    /// What the search noted (common words left out …).
    pub warnings: Vec<String>,
}

/// The answer.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Trends {
    /// The period used.
    pub interval: Interval,
    /// Every period from the first to the last with articles, oldest first.
    pub periods: Vec<String>,
    /// The series, in the order asked.
    pub series: Vec<SeriesCounts>,
    /// Time taken, milliseconds.
    pub took_ms: f64,
}

/// Counts the series.
///
/// # Errors
/// A series with nothing to search for (named), more than
/// [`MAX_SERIES`] series, none, or an unreadable index.
pub fn trends(
    open: &OpenIndex,
    req: &TrendRequest,
    table: &Arc<AliasTable>,
) -> Result<Trends, SearchError> {
    let started = Instant::now();
    if req.series.is_empty() || req.series.len() > MAX_SERIES {
        return Err(SearchError::Query(format!(
            "give from 1 to {MAX_SERIES} series (queries or names), not {}",
            req.series.len()
        )));
    }
    let mut monthly = Vec::new();
    for ask in &req.series {
        let request = counting(ask, req, &req.filters);
        let results = search_with(open, &request, table).map_err(|e| match e {
            SearchError::Query(m) => SearchError::Query(format!("series «{}»: {m}", ask.label())),
            other => other,
        })?;
        let facets = results.facets.unwrap_or_default();
        let months: BTreeMap<String, u64> = facets
            .months
            .iter()
            .map(|m| (m.month.clone(), m.articles))
            .collect();
        monthly.push((
            ask,
            results.total_hits as u64,
            facets.undated,
            months,
            results.warnings,
        ));
    }
    let first = monthly
        .iter()
        .filter_map(|m| m.3.keys().next())
        .min()
        .cloned();
    let last = monthly
        .iter()
        .filter_map(|m| m.3.keys().next_back())
        .max()
        .cloned();
    let (Some(first), Some(last)) = (first, last) else {
        let interval = req.interval.unwrap_or(Interval::Month);
        let series = monthly
            .into_iter()
            .map(|(ask, total, undated, _, warnings)| {
                counts_of(ask, total, undated, Vec::new(), warnings)
            })
            .collect();
        return Ok(Trends {
            interval,
            periods: Vec::new(),
            series,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
        });
    };
    let months = month_range(&first, &last);
    let (start, end) = span(&months, &req.filters);
    let interval = req
        .interval
        .unwrap_or(if (end - start).num_days() <= WEEKS_UP_TO_DAYS {
            Interval::Week
        } else if months.len() <= MONTHS_UP_TO {
            Interval::Month
        } else {
            Interval::Year
        });
    let mut series = Vec::new();
    let periods = match interval {
        Interval::Month => {
            for (ask, total, undated, by_month, warnings) in monthly {
                let counts = months
                    .iter()
                    .map(|m| by_month.get(m).copied().unwrap_or(0))
                    .collect();
                series.push(counts_of(ask, total, undated, counts, warnings));
            }
            months
        }
        Interval::Year => {
            let years: Vec<String> =
                months
                    .iter()
                    .map(|m| m[..4].to_string())
                    .fold(Vec::new(), |mut v, y| {
                        if v.last() != Some(&y) {
                            v.push(y);
                        }
                        v
                    });
            for (ask, total, undated, by_month, warnings) in monthly {
                let counts = years
                    .iter()
                    .map(|y| {
                        by_month
                            .iter()
                            .filter(|(m, _)| m.starts_with(y.as_str()))
                            .map(|(_, n)| n)
                            .sum()
                    })
                    .collect();
                series.push(counts_of(ask, total, undated, counts, warnings));
            }
            years
        }
        Interval::Week => {
            let weeks = week_range(start, end);
            for (ask, total, undated, _, warnings) in monthly {
                let mut counts = Vec::with_capacity(weeks.len());
                for monday in &weeks {
                    counts.push(week_count(open, table, ask, req, *monday)?);
                }
                series.push(counts_of(ask, total, undated, counts, warnings));
            }
            weeks
                .iter()
                .map(|d| d.format("%Y-%m-%d").to_string())
                .collect()
        }
    };
    Ok(Trends {
        interval,
        periods,
        series,
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
    })
}

fn counts_of(
    ask: &SeriesAsk,
    total: u64,
    undated: u64,
    counts: Vec<u64>,
    warnings: Vec<String>,
) -> SeriesCounts {
    SeriesCounts {
        label: ask.label(),
        query: ask.query.clone(),
        entity: ask.entity.clone(),
        total,
        undated,
        counts,
        warnings,
    }
}

/// The counting search of a series within `filters` (no hits, no
/// snippets, months counted).
fn counting(ask: &SeriesAsk, req: &TrendRequest, filters: &Filters) -> SearchRequest {
    SearchRequest {
        query: ask.query.clone(),
        entity: ask.entity.clone(),
        filters: filters.clone(),
        page: Page {
            limit: 0,
            offset: 0,
        },
        snippets: false,
        facets: true,
        op: req.op,
        ..SearchRequest::default()
    }
}

/// Articles of a series in the week starting `monday`.
fn week_count(
    open: &OpenIndex,
    table: &Arc<AliasTable>,
    ask: &SeriesAsk,
    req: &TrendRequest,
    monday: NaiveDate,
) -> Result<u64, SearchError> {
    let day = |d: NaiveDate, end: bool| {
        let t = if end {
            d.and_hms_opt(23, 59, 59)
        } else {
            d.and_hms_opt(0, 0, 0)
        };
        t.map(|t| t.and_utc().timestamp())
    };
    let mut filters = req.filters.clone();
    let (from, to) = (day(monday, false), day(monday + Duration::days(6), true));
    filters.from = match (filters.from, from) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    filters.to = match (filters.to, to) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    if filters.from > filters.to {
        return Ok(0);
    }
    let mut request = counting(ask, req, &filters);
    request.facets = false;
    Ok(search_with(open, &request, table)?.total_hits as u64)
}

/// Every month from `first` to `last` (`YYYY-MM`), inclusive.
fn month_range(first: &str, last: &str) -> Vec<String> {
    let parse = |m: &str| -> Option<(i32, u32)> {
        Some((m.get(..4)?.parse().ok()?, m.get(5..7)?.parse().ok()?))
    };
    let (Some((mut y, mut m)), Some(end)) = (parse(first), parse(last)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while (y, m) <= end && out.len() < 10_000 {
        out.push(format!("{y:04}-{m:02}"));
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
    }
    out
}

/// The first and last day the months cover, within the request's dates.
fn span(months: &[String], filters: &Filters) -> (NaiveDate, NaiveDate) {
    let first_day = |m: &str| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok();
    let start = months
        .first()
        .and_then(|m| first_day(m))
        .unwrap_or_default();
    let end = months
        .last()
        .and_then(|m| first_day(m))
        .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
        .map_or(start, |d| d - Duration::days(1));
    let clip = |ts: Option<i64>| {
        ts.and_then(|t| chrono::DateTime::from_timestamp(t, 0))
            .map(|d| d.date_naive())
    };
    let start = clip(filters.from).map_or(start, |f| f.max(start));
    let end = clip(filters.to).map_or(end, |t| t.min(end));
    (start, end.max(start))
}

/// The Mondays of the weeks from `start` to `end`.
fn week_range(start: NaiveDate, end: NaiveDate) -> Vec<NaiveDate> {
    let mut monday = start - Duration::days(i64::from(start.weekday().num_days_from_monday()));
    let mut out = Vec::new();
    while monday <= end && out.len() < 1_000 {
        out.push(monday);
        monday += Duration::days(7);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(
            month_range("2023-11", "2024-02"),
            ["2023-11", "2023-12", "2024-01", "2024-02"]
        );
        assert_eq!(month_range("2024-02", "2024-02"), ["2024-02"]);
        assert!(month_range("junk", "2024-02").is_empty());
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        // 2024-06-05 is a Wednesday: its week starts on Monday the 3rd.
        assert_eq!(
            week_range(d("2024-06-05"), d("2024-06-17")),
            [d("2024-06-03"), d("2024-06-10"), d("2024-06-17")]
        );
        let months = vec!["2024-01".to_string(), "2024-02".to_string()];
        assert_eq!(
            span(&months, &Filters::default()),
            (d("2024-01-01"), d("2024-02-29"))
        );
        assert_eq!(Interval::parse("auto"), Ok(None));
        assert!(Interval::parse("decade").is_err());
    }
}
