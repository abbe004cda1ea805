//! Taking results away through the API (issue 35): `GET /api/search?…
//! &format=csv|jsonl&all=1` over 10,100 articles, end to end: every story
//! a row (every article with `collapse=0`), the CSV parsed back with its
//! byte order mark and Arabic intact, the same rows as `akhbar search
//! --all --format csv`, the server's anonymous memory flat while a slow
//! client reads a 20 MB export, a client that leaves mid-way harmless,
//! and bad requests answered with JSON errors before any byte.

mod common;
#[path = "common/server.rs"]
mod server;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use common::{Dir, XorShift};
use server::{enc, Server};

/// The word every article holds.
const WORD: &str = "القرنفل";
const ARTICLES: usize = 10_000;
/// Articles that also have a near copy (same body, another id).
const COPIED: usize = 100;

const WORDS: [&str; 24] = [
    "السوق",
    "المطر",
    "الحقل",
    "المدينة",
    "القرية",
    "النهر",
    "الجسر",
    "المدرسة",
    "الطريق",
    "الميناء",
    "المصنع",
    "الحديقة",
    "الجبل",
    "البحر",
    "الغابة",
    "الصحراء",
    "الوادي",
    "السهل",
    "المزرعة",
    "المكتبة",
    "المتحف",
    "الملعب",
    "المستشفى",
    "المطار",
];

/// A body of its own (random words): no two are near copies.
fn body(n: usize, rng: &mut XorShift) -> String {
    let mut text = format!("تقرير رقم {n} عن {WORD}:");
    for _ in 0..110 {
        text.push(' ');
        text.push_str(WORDS[rng.below(WORDS.len())]);
    }
    text
}

fn title(n: usize) -> String {
    format!("«{WORD}» في تقرير، رقم {n}, مع \"علامات\"")
}

/// 10,000 articles in one JSON Lines file, the first 100 with a copy.
fn corpus() -> (Dir, Server) {
    let dir = Dir::new();
    let mut rng = XorShift::new(35);
    let mut text = String::new();
    for n in 0..ARTICLES {
        let b = body(n, &mut rng);
        let line = json!({"id": format!("x-{n:05}"), "title": title(n), "body": b,
                          "date": format!("2024-{:02}-{:02}", n % 12 + 1, n % 28 + 1),
                          "source": "نشرة القرنفل"});
        text.push_str(&format!("{line}\n"));
        if n < COPIED {
            let copy = json!({"id": format!("copy-{n:05}"), "title": title(n), "body": b,
                              "date": "2024-12-30", "source": "صحيفة أخرى"});
            text.push_str(&format!("{copy}\n"));
        }
    }
    dir.write("corpus/many.jsonl", text);
    let run = dir.akhbar(&["index", "corpus", "--index", "idx", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let server = Server::start(dir.path(), &dir.path().join("idx"), &[]);
    (dir, server)
}

/// Anonymous resident memory of a process, bytes.
fn rss_anon(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("RssAnon:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

/// CPU seconds a process has used (user and system), from /proc.
fn cpu_secs(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // After the command name in parentheses: fields 14 and 15 (utime, stime).
    let rest = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<u64> = rest
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    fields
        .get(11..13)
        .map_or(0.0, |t| (t[0] + t[1]) as f64 / 100.0)
}

/// What a slow download showed.
struct Download {
    /// The answer's body.
    body: Vec<u8>,
    /// Peak growth of the server's anonymous memory, bytes.
    growth: u64,
    /// Server CPU seconds used while the client stopped reading for 2 s
    /// after the first megabyte.
    paused_cpu: f64,
}

/// Reads a whole answer over a raw connection, slowly (a small read and a
/// pause each time, and a 2 s stop after the first megabyte), while another
/// thread samples the server's memory.
fn slow_download(server: &Server, path: &str) -> Download {
    let pid = server.pid();
    let before = rss_anon(pid);
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let done = Arc::clone(&done);
        std::thread::spawn(move || {
            let mut peak = 0;
            while !done.load(Ordering::SeqCst) {
                peak = peak.max(rss_anon(pid));
                std::thread::sleep(Duration::from_millis(10));
            }
            peak
        })
    };
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut raw = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let mut reads = 0u64;
    let mut paused_cpu = None;
    loop {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => raw.extend_from_slice(&chunk[..n]),
        }
        if paused_cpu.is_none() && raw.len() > 1 << 20 {
            // A client that stops reading: a streaming server stops too.
            std::thread::sleep(Duration::from_millis(300));
            let cpu = cpu_secs(pid);
            std::thread::sleep(Duration::from_secs(2));
            paused_cpu = Some(cpu_secs(pid) - cpu);
        }
        reads += 1;
        if reads.is_multiple_of(16) {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    done.store(true, Ordering::SeqCst);
    let peak = sampler.join().expect("sampler");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a head");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "streamed: {head}"
    );
    Download {
        body: dechunk(&raw[split + 4..]),
        growth: peak.saturating_sub(before),
        paused_cpu: paused_cpu.unwrap_or(0.0),
    }
}

/// The body of a chunked answer.
fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk size");
        let size = usize::from_str_radix(
            std::str::from_utf8(&data[..line_end]).expect("hex").trim(),
            16,
        )
        .expect("chunk size");
        data = &data[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

/// CSV rows (header first) of a UTF-8 CSV with a byte order mark.
fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "a byte order mark first"
    );
    let text = std::str::from_utf8(&bytes[3..]).expect("UTF-8");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            r.expect("a CSV record")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

#[test]
fn ten_thousand_hits_stream_out_with_flat_memory() {
    let (dir, server) = corpus();
    let q = enc(WORD);
    let count = server.get(&format!("/api/search?q={q}&limit=0")).json();
    assert_eq!(count["total_hits"], ARTICLES + COPIED);

    // A first, small export warms the server (readers, caches, threads):
    // what that costs is the same whatever the size of the export.
    let warm = slow_download(&server, &format!("/api/search?q={q}&format=csv&all=1"));
    // Every article, with bodies: about 18 MB, read by a slow client.
    let big = slow_download(
        &server,
        &format!("/api/search?q={q}&format=csv&all=1&collapse=0&fields=body"),
    );
    let (bytes, growth) = (big.body, big.growth);
    let rows = csv_rows(&bytes);
    assert_eq!(
        rows[0][..12],
        [
            "rank",
            "id",
            "score",
            "date",
            "source",
            "title",
            "url",
            "path",
            "entities",
            "duplicates",
            "source_name",
            "line"
        ]
    );
    assert_eq!(rows[0][12], "body");
    assert_eq!(
        rows.len() - 1,
        ARTICLES + COPIED,
        "one row per article with collapse=0"
    );
    let by_id: std::collections::HashMap<&str, &Vec<String>> =
        rows[1..].iter().map(|r| (r[1].as_str(), r)).collect();
    for n in [0, 4_321, ARTICLES - 1] {
        let row = by_id[format!("x-{n:05}").as_str()];
        assert_eq!(row[5], title(n), "Arabic, commas and quotes intact");
        assert_eq!(row[4], "نشرة القرنفل");
        assert_eq!(row[10], "نشرة القرنفل", "an id in no table named as it is");
        assert!(row[12].starts_with(&format!("تقرير رقم {n} عن {WORD}:")));
    }
    eprintln!(
        "warm-up export of {:.1} MB: server anonymous memory +{:.1} MB; export of {} rows, \
         {:.1} MB: +{:.1} MB at most, {:.2} s of server CPU while the client stopped for 2 s",
        warm.body.len() as f64 / 1e6,
        warm.growth as f64 / 1e6,
        rows.len() - 1,
        bytes.len() as f64 / 1e6,
        growth as f64 / 1e6,
        big.paused_cpu
    );
    assert!(
        bytes.len() > 15_000_000,
        "a large export: {} bytes",
        bytes.len()
    );
    // A server that made the export in memory would go on working while
    // the client stops, and hold it all.
    assert!(
        big.paused_cpu < 0.3,
        "the server kept working while the client read nothing: {:.2} s of CPU",
        big.paused_cpu
    );
    assert!(
        growth < 16 << 20,
        "the server's memory grew by +{growth} bytes for a {}-byte export",
        bytes.len()
    );

    // One row per story by default, as the CLI writes them.
    let answer = server.get(&format!("/api/search?q={q}&format=csv&all=1"));
    assert_eq!(answer.status, 200);
    assert!(
        answer.content_type.starts_with("text/csv"),
        "{}",
        answer.content_type
    );
    let disposition = answer.header("content-disposition").unwrap_or_default();
    assert!(
        disposition.starts_with("attachment;") && disposition.contains(".csv"),
        "{disposition}"
    );
    let rows = csv_rows(answer.body.as_bytes());
    assert_eq!(rows.len() - 1, ARTICLES, "one row per story");
    let cli = dir.akhbar(&[
        "search", WORD, "--index", "idx", "--all", "--format", "csv", "--bom",
    ]);
    assert_eq!(cli.code, 0, "{}", cli.stderr);
    let cli_ids: Vec<String> = csv_rows(cli.stdout.as_bytes())[1..]
        .iter()
        .map(|r| r[1].clone())
        .collect();
    let api_ids: Vec<String> = rows[1..].iter().map(|r| r[1].clone()).collect();
    assert_eq!(api_ids, cli_ids, "the API and the CLI write the same rows");
    let copied = rows[1..].iter().filter(|r| !r[9].is_empty()).count();
    assert_eq!(copied, COPIED, "the folded copies named in `duplicates`");

    // JSON Lines: one object a line.
    let answer = server.get(&format!("/api/search?q={q}&format=jsonl&all=1&sort=date"));
    assert!(answer.content_type.starts_with("application/x-ndjson"));
    let lines: Vec<serde_json::Value> = answer
        .body
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), ARTICLES);
    assert!(
        lines
            .windows(2)
            .all(|w| w[0]["date"].as_str() >= w[1]["date"].as_str()),
        "newest first"
    );
}

#[test]
fn export_errors_are_json_before_any_byte_and_leaving_early_is_harmless() {
    let dir = Dir::new();
    let mut text = String::new();
    let mut rng = XorShift::new(7);
    for n in 0..300 {
        let line = json!({"id": format!("e-{n}"), "title": title(n), "body": body(n, &mut rng)});
        text.push_str(&format!("{line}\n"));
    }
    dir.write("corpus/few.jsonl", text);
    let run = dir.akhbar(&["index", "corpus", "--index", "idx", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let server = Server::start(dir.path(), &dir.path().join("idx"), &[]);
    let q = enc(WORD);
    for (path, says) in [
        (format!("/api/search?q={q}&format=xml"), "format"),
        (format!("/api/search?q={q}&all=1"), "exports"),
        (format!("/api/search?q={q}&fields=body"), "exports"),
        (
            format!("/api/search?q={q}&format=csv&fields=title"),
            "fields",
        ),
        (
            "/api/search?format=csv&all=1".to_string(),
            "nothing to search for",
        ),
        (
            format!("/api/search?q={}&format=csv&all=1", enc("في")),
            "nothing to search for",
        ),
    ] {
        let answer = server.get(&path);
        assert_eq!(answer.status, 400, "{path}: {}", answer.body);
        let message = answer.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(message.contains(says), "{path}: {message}");
    }
    // A client that reads a little and leaves.
    for _ in 0..5 {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
        write!(
            stream,
            "GET /api/search?q={q}&format=jsonl&all=1&fields=body HTTP/1.1\r\nHost: x\r\n\r\n"
        )
        .expect("request");
        let mut some = [0u8; 1024];
        let _ = stream.read(&mut some);
    }
    let answer = server.get(&format!("/api/search?q={q}&format=jsonl&all=1"));
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body.lines().count(), 300);
}
