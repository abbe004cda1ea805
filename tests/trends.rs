//! Trends (issue 35): `akhbar trends` and `GET /api/trends` end to end
//! over the sample corpus. A single series' months are the page's
//! timeline (facets) and add up to `search --count`; weeks add up to the
//! count within the same dates; CSV opens in a spreadsheet (parsed back);
//! bad requests are refused with a message, in the CLI and the API.

mod common;
#[path = "common/server.rs"]
mod server;

use std::collections::BTreeMap;

use serde_json::Value;

use common::{sample_index, Dir};
use server::{enc, Server};

fn index() -> String {
    sample_index("trends").display().to_string()
}

fn count(dir: &Dir, args: &[&str]) -> u64 {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    let idx = index();
    all.extend_from_slice(&["--index", &idx, "--count"]);
    let run = dir.akhbar(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout.trim().parse().expect("a count")
}

fn counts(series: &Value) -> Vec<u64> {
    series["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .map(|n| n.as_u64().expect("a number"))
        .collect()
}

#[test]
fn a_series_is_the_timeline_and_the_count() {
    let dir = Dir::new();
    let idx = index();
    let run = dir.akhbar(&[
        "trends",
        "سوريا",
        "--entity",
        "دونالد ترامب",
        "--index",
        &idx,
        "--interval",
        "month",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let found = run.json();
    assert_eq!(found["interval"], "month");
    let periods: Vec<String> = found["periods"]
        .as_array()
        .expect("periods")
        .iter()
        .map(|p| p.as_str().expect("text").to_string())
        .collect();
    assert!(periods.len() > 1, "{found:#}");
    assert!(periods.windows(2).all(|w| w[0] < w[1]), "oldest first");
    // The words' series: the search's timeline, month by month.
    let search = dir.akhbar(&[
        "search",
        "سوريا",
        "--index",
        &idx,
        "--facets",
        "--json",
        "--limit",
        "0",
    ]);
    assert_eq!(search.code, 0, "{}", search.stderr);
    let timeline: BTreeMap<String, u64> = search.json()["facets"]["months"]
        .as_array()
        .expect("months")
        .iter()
        .map(|m| {
            (
                m["month"].as_str().expect("m").to_string(),
                m["articles"].as_u64().expect("n"),
            )
        })
        .collect();
    let words = &found["series"][0];
    for (p, n) in periods.iter().zip(counts(words)) {
        assert_eq!(n, timeline.get(p).copied().unwrap_or(0), "{p}");
    }
    let total = count(&dir, &["سوريا"]);
    assert_eq!(words["total"], total);
    assert_eq!(
        counts(words).iter().sum::<u64>() + words["undated"].as_u64().unwrap_or(0),
        total
    );
    // The name's series: what --entity finds.
    let name = &found["series"][1];
    assert_eq!(name["label"], "دونالد ترامب");
    assert_eq!(name["total"], count(&dir, &["--entity", "دونالد ترامب"]));
    assert!(name["total"].as_u64() > Some(0));

    // Years add the months up.
    let run = dir.akhbar(&[
        "trends",
        "سوريا",
        "--index",
        &idx,
        "--interval",
        "year",
        "--format",
        "json",
    ]);
    let years = run.json();
    assert_eq!(
        counts(&years["series"][0]).iter().sum::<u64>(),
        counts(words).iter().sum::<u64>()
    );

    // CSV: a header of labels, a row per period, with a byte order mark when asked.
    let run = dir.akhbar(&[
        "trends",
        "سوريا",
        "العراق",
        "--index",
        &idx,
        "--interval",
        "month",
        "--format",
        "csv",
        "--bom",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = run
        .stdout
        .strip_prefix('\u{feff}')
        .expect("a byte order mark");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().expect("header"),
        vec!["period", "سوريا", "العراق"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    let summed: u64 = rows.iter().map(|r| r[1].parse::<u64>().expect("n")).sum();
    assert_eq!(summed, counts(words).iter().sum::<u64>());
}

#[test]
fn weeks_count_within_the_dates() {
    let dir = Dir::new();
    let server = Server::start(dir.path(), sample_index("trends"), &[]);
    let all = server
        .get(&format!("/api/trends?q={}&interval=month", enc("الحكومة")))
        .json();
    // The busiest month, then its weeks.
    let periods = all["periods"].as_array().expect("periods");
    let by_month = counts(&all["series"][0]);
    let (i, _) = by_month
        .iter()
        .enumerate()
        .max_by_key(|(_, n)| **n)
        .expect("a month");
    let month = periods[i].as_str().expect("m");
    let (from, to) = (format!("{month}-01"), format!("{month}-28"));
    let answer = server.get(&format!(
        "/api/trends?q={}&from={from}&to={to}",
        enc("الحكومة")
    ));
    assert_eq!(answer.status, 200, "{}", answer.body);
    let weeks = answer.json();
    assert_eq!(
        weeks["interval"], "week",
        "a month's span is counted by week"
    );
    let mondays: Vec<chrono::NaiveDate> = weeks["periods"]
        .as_array()
        .expect("periods")
        .iter()
        .map(|p| {
            chrono::NaiveDate::parse_from_str(p.as_str().expect("d"), "%Y-%m-%d").expect("a date")
        })
        .collect();
    assert!(
        mondays
            .iter()
            .all(|d| chrono::Datelike::weekday(d) == chrono::Weekday::Mon),
        "{mondays:?}"
    );
    assert!(mondays.windows(2).all(|w| (w[1] - w[0]).num_days() == 7));
    let in_dates = count(&dir, &["الحكومة", "--from", &from, "--to", &to]);
    assert_eq!(counts(&weeks["series"][0]).iter().sum::<u64>(), in_dates);

    // CSV from the API, with a byte order mark for spreadsheets.
    let csv = server.get(&format!("/api/trends?q={}&format=csv", enc("الحكومة")));
    assert_eq!(csv.status, 200);
    assert!(csv
        .header("content-type")
        .unwrap_or_default()
        .starts_with("text/csv"));
    assert!(csv.body.starts_with('\u{feff}'), "{}", csv.body);
}

#[test]
fn bad_requests_are_refused_with_a_reason() {
    let dir = Dir::new();
    let idx = index();
    for (args, said) in [
        (vec!["trends", "--index", &idx], "series"),
        (
            vec!["trends", "أ", "ب", "ت", "ث", "ج", "ح", "--index", &idx],
            "series",
        ),
        (
            vec!["trends", "سوريا", "--interval", "decade", "--index", &idx],
            "interval",
        ),
        (
            vec!["trends", "سوريا", "--from", "yesterday", "--index", &idx],
            "yesterday",
        ),
    ] {
        let run = dir.akhbar(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(said), "{args:?}: {}", run.stderr);
    }
    let server = Server::start(dir.path(), sample_index("trends"), &[]);
    let six = (0..6)
        .map(|i| format!("q=w{i}"))
        .collect::<Vec<_>>()
        .join("&");
    for (path, said) in [
        ("/api/trends".to_string(), "series"),
        (format!("/api/trends?{six}"), "series"),
        ("/api/trends?q=x&interval=decade".to_string(), "interval"),
        ("/api/trends?q=x&format=xml".to_string(), "format"),
        ("/api/trends?q=x&from=junk".to_string(), "junk"),
        ("/api/trends?q=x&colour=red".to_string(), "colour"),
    ] {
        let answer = server.get(&path);
        assert_eq!(answer.status, 400, "{path}: {}", answer.body);
        let message = answer.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(message.contains(said), "{path}: {message}");
    }
}
