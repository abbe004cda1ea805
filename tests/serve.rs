//! `akhbar serve` end to end: a real server process on 127.0.0.1 and a
//! free port, a real HTTP client. The API against the CLI's `--json`,
//! errors, hostile input (proptest), fresh results after a commit, faults
//! (the index deleted or damaged while serving, a full disk while
//! indexing), graceful shutdown, CORS, and a load test with `akhbar index`
//! writing the served folder at the same time.
//!
//! The heavy versions (10,000 hostile requests; 8 clients × 500 requests)
//! are `#[ignore]`d release tests that `.ci/run` runs; the default suite
//! runs the same code with fewer requests.

mod common;
#[path = "common/server.rs"]
mod server;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;

use common::{copy_sample_corpus, Dir};
use server::{enc, Answer, Server};

/// Articles in the sample corpus, as `akhbar index` counts them (once).
fn sample_count() -> u64 {
    static COUNT: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *COUNT.get_or_init(|| {
        let dir = Dir::new();
        copy_sample_corpus(&dir);
        let run = dir.akhbar(&["index", "corpus", "--index", "idx", "--quiet", "--json"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.json()["articles_total"]
            .as_u64()
            .expect("articles_total")
    })
}

/// A temp folder with the sample corpus indexed into `idx/`.
fn indexed_sample() -> (Dir, PathBuf) {
    let dir = Dir::new();
    copy_sample_corpus(&dir);
    let run = dir.akhbar(&["index", "corpus", "--index", "idx", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let idx = dir.path().join("idx");
    (dir, idx)
}

/// The JSON of a CLI run, with `took_ms` dropped.
fn cli_json(dir: &Dir, args: &[&str]) -> Value {
    let run = dir.akhbar(args);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    without_timing(run.json())
}

fn without_timing(mut value: Value) -> Value {
    if let Some(obj) = value.as_object_mut() {
        obj.remove("took_ms");
    }
    value
}

/// Asserts a JSON error answer with this status and code.
fn assert_error(answer: &Answer, status: u16, code: &str, what: &str) {
    assert_eq!(answer.status, status, "{what}: {}", answer.body);
    assert!(
        answer.content_type.starts_with("application/json"),
        "{what}: content type {:?}",
        answer.content_type
    );
    assert_eq!(
        answer.json()["error"]["code"],
        code,
        "{what}: {}",
        answer.body
    );
}

// ---------------------------------------------------------------------------
// The endpoints
// ---------------------------------------------------------------------------

#[test]
fn search_answers_the_cli_json_object_with_facets_over_all_hits() {
    let (dir, idx) = indexed_sample();
    let server = Server::start(dir.path(), &idx, &[]);
    let q = "سوريا";
    for (params, cli_args) in [
        (
            format!("q={}", enc(q)),
            vec!["search", q, "--index", "idx", "--json"],
        ),
        (
            format!("q={}&limit=2&offset=1&facets=1", enc(q)),
            vec![
                "search", q, "--index", "idx", "--json", "--limit", "2", "--offset", "1",
                "--facets",
            ],
        ),
        (
            format!("entity={}&from=2024-01-01&to=2025-12-31", enc("قسد")),
            vec![
                "search",
                "--entity",
                "قسد",
                "--index",
                "idx",
                "--json",
                "--from",
                "2024-01-01",
                "--to",
                "2025-12-31",
            ],
        ),
        (
            format!("q={}&sort=date&limit=20", enc(q)),
            vec![
                "search", q, "--index", "idx", "--json", "--sort", "date", "--limit", "20",
            ],
        ),
        (
            format!("q={}&sort=-date&offset=1", enc(q)),
            vec![
                "search",
                q,
                "--index",
                "idx",
                "--json",
                "--sort=-date",
                "--offset",
                "1",
            ],
        ),
    ] {
        let answer = server.get(&format!("/api/search?{params}"));
        assert_eq!(answer.status, 200, "{params}: {}", answer.body);
        assert!(answer.content_type.starts_with("application/json"));
        let api = answer.json();
        assert!(api["took_ms"].is_number());
        assert_eq!(without_timing(api), cli_json(&dir, &cli_args), "{params}");
    }
    let bad = server.get(&format!("/api/search?q={}&sort=newest", enc(q)));
    assert_error(&bad, 400, "bad_request", "sort=newest");
    // Facets count all hits, not the page: one hit shown, months and
    // undated add up to every hit.
    let api = server
        .get(&format!("/api/search?q={}&limit=1&facets=1", enc(q)))
        .json();
    let total = api["total_hits"].as_u64().expect("total");
    assert!(total > 1 && api["hits"].as_array().map(Vec::len) == Some(1));
    let facets = &api["facets"];
    let months: u64 = facets["months"]
        .as_array()
        .expect("months")
        .iter()
        .map(|m| {
            let month = m["month"].as_str().expect("month");
            assert!(month.len() == 7 && month.as_bytes()[4] == b'-', "{month}");
            m["articles"].as_u64().expect("count")
        })
        .sum();
    assert_eq!(months + facets["undated"].as_u64().expect("undated"), total);
    let sources: u64 = facets["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .map(|s| s["articles"].as_u64().expect("count"))
        .sum();
    assert_eq!(sources, total, "every sample article has a source");
    assert!(facets["entities"][0]["name"].is_string());
    // snippets=0: the stored fields only.
    let bare = server
        .get(&format!("/api/search?q={}&snippets=0", enc(q)))
        .json();
    assert_eq!(bare["hits"][0]["snippets"], serde_json::json!([]));
    assert_eq!(bare["total_hits"], total);
}

#[test]
fn articles_entities_stats_analyze_and_health() {
    let (dir, idx) = indexed_sample();
    let server = Server::start(dir.path(), &idx, &[]);
    // An article found by a search, fetched whole with its highlights.
    let hit = server
        .get(&format!("/api/search?q={}", enc("الحسكة")))
        .json()["hits"][0]
        .clone();
    let id = hit["id"].as_str().expect("id");
    let article = server.get(&format!("/api/articles/{}?q={}", enc(id), enc("الحسكة")));
    assert_eq!(article.status, 200, "{}", article.body);
    let article = article.json();
    assert_eq!(article["id"], id);
    assert_eq!(article["title"], hit["title"]);
    let body = article["body"].as_str().expect("body");
    assert!(body.chars().count() > 200, "the whole body");
    let marks = article["body_highlights"].as_array().expect("highlights");
    assert!(!marks.is_empty());
    for m in marks {
        let (s, e) = (
            m[0].as_u64().expect("s") as usize,
            m[1].as_u64().expect("e") as usize,
        );
        assert!(
            body.get(s..e).is_some_and(|w| w.contains("حسك")),
            "{:?}",
            body.get(s..e)
        );
    }
    assert!(article["entities"]
        .as_array()
        .is_some_and(|e| !e.is_empty()));
    // The same id with its slashes unencoded reaches the same article.
    if id.contains('/') && !id.contains('#') {
        assert_eq!(server.get(&format!("/api/articles/{id}")).json()["id"], id);
    }
    // Without q: no highlights.
    let plain = server.get(&format!("/api/articles/{}", enc(id))).json();
    assert_eq!(plain["body_highlights"], serde_json::json!([]));

    for (path, args) in [
        (
            "/api/entities?type=LOC&top=5",
            vec![
                "entities", "--index", "idx", "--type", "LOC", "--top", "5", "--json",
            ],
        ),
        (
            &*format!("/api/entities?q={}", enc("سوريا")),
            vec!["entities", "--index", "idx", "--query", "سوريا", "--json"],
        ),
        // the CLI always counts stories; the API when asked (stories=1)
        (
            "/api/stats?stories=1",
            vec!["stats", "--index", "idx", "--json"],
        ),
        (
            &*format!("/api/search?q={}&fuzzy=1", enc("ترنب غزة")),
            vec!["search", "--index", "idx", "ترنب غزة", "--fuzzy", "--json"],
        ),
        (
            "/api/similar/afaq-2024-0090?limit=3&from=2024-01-01",
            vec![
                "search",
                "--index",
                "idx",
                "--like",
                "afaq-2024-0090",
                "--limit",
                "3",
                "--from",
                "2024-01-01",
                "--json",
            ],
        ),
        (
            "/api/similar/txt/012-opec-plus-extends-cuts.txt",
            vec![
                "similar",
                "--index",
                "idx",
                "txt/012-opec-plus-extends-cuts.txt",
                "--json",
            ],
        ),
        (
            &*format!("/api/analyze?text={}", enc("والعراقيون")),
            vec!["analyze", "والعراقيون", "--json"],
        ),
        (
            &*format!("/api/analyze?text={}&entity=1", enc("ترمب")),
            vec!["analyze", "ترمب", "--entity", "--json"],
        ),
    ] {
        let answer = server.get(path);
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
        assert_eq!(
            without_timing(answer.json()),
            cli_json(&dir, &args),
            "{path}"
        );
    }
    let plain = server.get("/api/stats").json();
    assert!(plain["articles"].as_u64().is_some(), "{plain}");
    assert_eq!(
        plain.get("stories"),
        None,
        "stories only when asked: {plain}"
    );
    let health = server.get("/healthz").json();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["articles"], sample_count());
    assert!(health["index_version"]["analyzer"].is_number());
    assert!(server.get("/api").json()["endpoints"].is_array());
}

#[test]
fn errors_are_json_with_the_right_status() {
    let (dir, idx) = indexed_sample();
    let server = Server::start(dir.path(), &idx, &[]);
    let long_query = "س".repeat(2_001);
    let cases: Vec<(String, u16, &str)> = vec![
        ("/api/search?q=".into(), 400, "bad_request"),
        (
            format!("/api/search?q={}", enc("في من على")),
            400,
            "bad_request",
        ),
        ("/api/search?q=x&from=2024-13-45".into(), 400, "bad_request"),
        ("/api/search?q=x&limit=-1".into(), 400, "bad_request"),
        ("/api/search?q=x&offset=10001".into(), 400, "bad_request"),
        ("/api/search?q=x&facets=perhaps".into(), 400, "bad_request"),
        ("/api/search?query=x".into(), 400, "bad_request"),
        ("/api/search?q=a&q=b".into(), 400, "bad_request"),
        ("/api/search?q=%FF%FE".into(), 400, "bad_request"),
        (
            format!("/api/search?q={}", enc(&long_query)),
            400,
            "bad_request",
        ),
        ("/api/entities?type=XYZ".into(), 400, "bad_request"),
        ("/api/analyze".into(), 400, "bad_request"),
        (
            "/api/analyze?text=x&analyzer=nope".into(),
            400,
            "bad_request",
        ),
        ("/api/articles/no-such-article".into(), 404, "not_found"),
        ("/api/similar/no-such-article".into(), 404, "not_found"),
        ("/api/similar/x?limit=lots".into(), 400, "bad_request"),
        (
            "/api/articles/..%2F..%2F..%2Fetc%2Fpasswd".into(),
            404,
            "not_found",
        ),
        ("/api/articles/../../etc/passwd".into(), 404, "not_found"),
        ("/api/articles/%FF".into(), 400, "bad_request"),
        ("/index.html".into(), 404, "not_found"),
        ("/page/nothing.js".into(), 404, "not_found"),
        ("/page/..%2Fmod.rs".into(), 404, "not_found"),
        ("/api/nothing".into(), 404, "not_found"),
        (
            format!("/api/search?q={}", "a".repeat(20_000)),
            414,
            "uri_too_long",
        ),
    ];
    for (path, status, code) in &cases {
        let shown: String = path.chars().take(80).collect();
        assert_error(&server.get(path), *status, code, &shown);
    }
    // limit above the cap is capped, with a warning, not refused.
    let capped = server.get("/api/search?q=x&limit=1000000000000").json();
    assert!(
        capped["warnings"].to_string().contains("capped at 1000"),
        "{capped}"
    );
    // Offset past the end: an empty page.
    let past = server.get(&format!("/api/search?q={}&offset=9000", enc("سوريا")));
    assert_eq!(past.status, 200);
    assert_eq!(past.json()["hits"], serde_json::json!([]));
    // Methods other than GET, oversize heads and bodies, garbage.
    let raw_cases: [(Vec<u8>, u16); 6] = [
        (
            b"POST /api/search?q=x HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\n{}".to_vec(),
            405,
        ),
        (
            b"DELETE /api/articles/x HTTP/1.1\r\nHost: t\r\n\r\n".to_vec(),
            405,
        ),
        (
            b"GET /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\n".to_vec(),
            413,
        ),
        (
            [
                b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: ".to_vec(),
                vec![b'b'; 20_000],
                b"\r\n\r\n".to_vec(),
            ]
            .concat(),
            431,
        ),
        (
            [
                b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: ".to_vec(),
                vec![b'b'; 200_000],
                b"\r\n\r\n".to_vec(),
            ]
            .concat(),
            431,
        ),
        (b"NONSENSE\r\n\r\n".to_vec(), 400),
    ];
    for (request, status) in raw_cases {
        let (got, body) = server.raw(&request);
        let head = String::from_utf8_lossy(&request[..40.min(request.len())]).into_owned();
        assert_eq!(got, status, "{head}: {body}");
        let json: Value =
            serde_json::from_str(&body).unwrap_or_else(|e| panic!("{head}: {e}: {body}"));
        assert!(json["error"]["code"].is_string(), "{head}: {body}");
    }
}

#[test]
fn cors_headers_only_when_asked() {
    let (dir, idx) = indexed_sample();
    let closed = Server::start(dir.path(), &idx, &[]);
    let answer = closed.get("/healthz");
    assert!(answer.header("access-control-allow-origin").is_none());
    assert_eq!(answer.header("x-content-type-options"), Some("nosniff"));
    let (status, _) = closed.raw(b"OPTIONS /api/search HTTP/1.1\r\nHost: t\r\nOrigin: https://news.example\r\nAccess-Control-Request-Method: GET\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 405);
    let open = Server::start(dir.path(), &idx, &["--cors", "https://news.example"]);
    let answer = open.get("/healthz");
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("https://news.example")
    );
    let (status, _) = open.raw(b"OPTIONS /api/search HTTP/1.1\r\nHost: t\r\nOrigin: https://news.example\r\nAccess-Control-Request-Method: GET\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 204);
}

#[test]
fn serving_beyond_loopback_warns_that_there_is_no_authentication() {
    let (dir, idx) = indexed_sample();
    let mut child = Command::new(env!("CARGO_BIN_EXE_akhbar"))
        .args(["serve", "--index"])
        .arg(&idx)
        .args(["--addr", "0.0.0.0:0"])
        .current_dir(dir.path())
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stderr));
    let mut seen = Vec::new();
    while let Some(Ok(line)) = lines.next() {
        let serving = line.contains("serving");
        seen.push(line);
        if serving {
            break;
        }
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    let warning: Vec<&String> = seen
        .iter()
        .filter(|l| l.contains("no authentication"))
        .collect();
    assert_eq!(warning.len(), 1, "{seen:?}");
}

#[test]
fn graceful_shutdown_lets_requests_in_flight_finish() {
    let (dir, idx) = indexed_sample();
    let mut server = Server::start(dir.path(), &idx, &["--workers", "1"]);
    let server_ref = &server;
    let done = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..6)
            .map(|_| {
                scope.spawn(move || {
                    server_ref.try_get(&format!(
                        "/api/search?q={}&limit=50&facets=1",
                        enc("سوريا OR مصر OR العراق")
                    ))
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(30));
        let _ = Command::new("kill")
            .args(["-TERM", &server_ref.pid().to_string()])
            .status();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect::<Vec<_>>()
    });
    let code = server.stop();
    assert_eq!(code, 0, "{}", server.log());
    let answered: Vec<Answer> = done.into_iter().flatten().collect();
    assert!(
        !answered.is_empty(),
        "requests sent before the signal are answered"
    );
    for answer in answered {
        // Whatever was answered was answered whole.
        assert_eq!(answer.status, 200, "{}", answer.body);
        answer.json();
    }
    assert!(server.log().contains("stopped"), "{}", server.log());
}

// ---------------------------------------------------------------------------
// Fresh results, faults
// ---------------------------------------------------------------------------

/// An article of ours as a JSON Lines record.
fn record(id: &str, marker: &str, n: usize) -> String {
    let body = format!(
        "أعلنت البلدية اليوم خطة {marker} لتحسين شبكة النقل في المدينة، وقال المتحدث إن المرحلة رقم {n} \
         تشمل طرقاً جديدة وحافلات أكثر. وأضاف أن السكان سيرون النتائج خلال أشهر."
    );
    serde_json::json!({
        "id": id,
        "title": format!("خطة النقل {marker} رقم {n}"),
        "body": body,
        "date": format!("2025-{:02}-{:02}", n % 12 + 1, n % 27 + 1),
        "source": "نشرة المدينة",
    })
    .to_string()
}

fn write_records(path: &Path, prefix: &str, ids: std::ops::Range<usize>, marker: &str) {
    let lines: Vec<String> = ids
        .map(|n| record(&format!("{prefix}-{n}"), marker, n))
        .collect();
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("mkdir");
    }
    fs::write(path, lines.join("\n") + "\n").expect("write records");
}

fn total(server: &Server, q: &str) -> Option<u64> {
    let answer = server.get(&format!("/api/search?q={}&limit=0", enc(q)));
    (answer.status == 200)
        .then(|| answer.json()["total_hits"].as_u64())
        .flatten()
}

#[test]
fn a_commit_is_searchable_within_seconds_without_a_restart() {
    let (dir, idx) = indexed_sample();
    let server = Server::start(dir.path(), &idx, &[]);
    assert_eq!(total(&server, "fresha"), Some(0));
    write_records(
        &dir.path().join("corpus/new/fresh.jsonl"),
        "fresh",
        0..7,
        "fresha",
    );
    let run = dir.akhbar(&["index", "corpus", "--index", "idx", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let took = server
        .wait_for(
            "/api/search?q=fresha&limit=0",
            Duration::from_secs(5),
            |a| a.json()["total_hits"] == 7,
        )
        .unwrap_or_else(|a| panic!("not seen after 5 s: {}", a.body));
    eprintln!("a new commit was searchable {took:?} after `akhbar index` exited");
    assert_eq!(
        server.get("/healthz").json()["articles"],
        sample_count() + 7
    );
}

#[test]
fn deleted_or_damaged_index_is_503_with_the_reason_and_recovers_when_rebuilt() {
    let (dir, idx) = indexed_sample();
    let server = Server::start(dir.path(), &idx, &[]);
    let q = format!("/api/search?q={}", enc("سوريا"));
    let healthy = |a: &Answer| a.status == 200;
    let down = |a: &Answer| a.status == 503;
    let rebuild = |what: &str| {
        let run = dir.akhbar(&["index", "corpus", "--index", "idx", "--quiet", "--rebuild"]);
        assert_eq!(run.code, 0, "{what}: {}", run.stderr);
        // Every article, not the empty index the rebuild starts with.
        server
            .wait_for("/healthz", Duration::from_secs(10), |a| {
                healthy(a) && a.json()["articles"] == sample_count()
            })
            .unwrap_or_else(|a| panic!("{what}: not back after a rebuild: {}", a.body));
        assert_eq!(server.get(&q).status, 200, "{what}");
    };
    let expect_503 = |what: &str, reason: &str| {
        // The reason settles once the damage is done (a folder being
        // deleted is first missing some files, then gone).
        let says =
            |a: &Answer| down(a) && a.json()["error"]["message"].to_string().contains(reason);
        server
            .wait_for(&q, Duration::from_secs(10), says)
            .unwrap_or_else(|a| panic!("{what}: no 503 naming {reason:?} after 10 s: {}", a.body));
        let answer = server.get(&q);
        assert_error(&answer, 503, "index_unavailable", what);
        assert_eq!(answer.header("retry-after"), Some("1"));
        assert_error(&server.get("/healthz"), 503, "index_unavailable", what);
    };

    fs::remove_dir_all(&idx).expect("delete the index");
    expect_503("folder deleted", "no index here");
    rebuild("folder deleted");

    fs::write(idx.join("akhbar.json"), b"{ not json").expect("damage manifest");
    expect_503("manifest damaged", "damaged akhbar.json");
    rebuild("manifest damaged");

    let segment = fs::read_dir(&idx)
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "idx"))
        .expect("a segment file");
    fs::remove_file(&segment).expect("delete a segment file");
    expect_503("segment file deleted", "rebuild");
    rebuild("segment file deleted");

    fs::write(idx.join("meta.json"), b"garbage").expect("damage meta.json");
    expect_503("meta.json damaged", "rebuild");
    rebuild("meta.json damaged");
}

/// A small tmpfs, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Result<Tmpfs, String> {
        fs::create_dir_all(at).map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
        }
        Ok(Tmpfs(at.to_path_buf()))
    }

    fn resize(&self, size: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(&self.0)
            .status()
            .expect("remount");
        assert!(status.success(), "remount {size}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[test]
fn full_disk_while_indexing_keeps_the_last_commit_served_and_the_next_run_completes() {
    let dir = Dir::new();
    let disk = match Tmpfs::mount(&dir.path().join("disk"), "3m") {
        Ok(disk) => disk,
        Err(why) => {
            eprintln!(
                "skipped: cannot mount a small tmpfs here ({why}); run as root to test a full disk"
            );
            return;
        }
    };
    copy_sample_corpus(&dir);
    let idx = disk.0.join("idx");
    let idx_arg = idx.to_string_lossy().into_owned();
    let run = dir.akhbar(&["index", "corpus", "--index", &idx_arg, "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let server = Server::start(dir.path(), &idx, &[]);
    let before = total(&server, "سوريا").expect("searchable");
    // About 12 MiB of new articles (words drawn at random, so they do not
    // compress away) for a 3 MiB disk.
    let words: Vec<&str> = "قال الوزير إن الحكومة ستعلن خطة جديدة لدعم المزارعين في المناطق \
        الريفية بعد موسم جاف طويل وأكد أن الميزانية تكفي لتغطية التكاليف حتى نهاية العام المقبل"
        .split_whitespace()
        .collect();
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let lines: Vec<String> = (0..4_000)
        .map(|n| {
            let mut r: Value =
                serde_json::from_str(&record(&format!("big-{n}"), "ممتلئ", n)).expect("json");
            let filler: Vec<&str> = (0..300)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    words[(seed % words.len() as u64) as usize]
                })
                .collect();
            let body = format!(
                "{} {}",
                r["body"].as_str().unwrap_or_default(),
                filler.join(" ")
            );
            r["body"] = Value::String(body);
            r.to_string()
        })
        .collect();
    fs::write(dir.path().join("corpus/big.jsonl"), lines.join("\n")).expect("write");
    let full = dir.akhbar(&[
        "index",
        "corpus",
        "--index",
        &idx_arg,
        "--quiet",
        "--commit-every",
        "1000000",
    ]);
    assert_ne!(full.code, 0, "the run cannot succeed on a full disk");
    assert!(
        full.stderr.contains("no space left on the device"),
        "a clear message: {}",
        full.stderr
    );
    assert!(
        full.stderr.lines().count() <= 3,
        "no stack trace: {}",
        full.stderr
    );
    // The server still answers from the last commit.
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(total(&server, "سوريا"), Some(before));
    assert_eq!(server.get("/healthz").json()["articles"], sample_count());
    assert_eq!(total(&server, "ممتلئ"), Some(0));
    // With space, the next run completes, nothing lost.
    disk.resize("96m");
    let again = dir.akhbar(&["index", "corpus", "--index", &idx_arg, "--quiet"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    server
        .wait_for("/healthz", Duration::from_secs(5), |a| {
            a.json()["articles"] == 4_000 + sample_count()
        })
        .unwrap_or_else(|a| panic!("not all articles served: {}", a.body));
    assert_eq!(total(&server, "سوريا"), Some(before));
    assert_eq!(total(&server, "ممتلئ"), Some(4_000));
    drop(server);
}

// ---------------------------------------------------------------------------
// Hostile input
// ---------------------------------------------------------------------------

/// Parameter names, the known and some not.
const NAMES: &[&str] = &[
    "q", "entity", "from", "to", "source", "limit", "offset", "snippets", "facets", "type", "top",
    "text", "analyzer", "_", "query", "",
];
const PATHS: &[&str] = &[
    "/api/search",
    "/api/entities",
    "/api/stats",
    "/api/analyze",
    "/healthz",
    "/api/articles/",
];

/// A random request target: a path, then parameters whose names and
/// values are random text, random bytes (percent-encoded, so invalid UTF-8
/// too), broken escapes, numbers out of range, markup.
fn hostile_target() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        any::<String>().prop_map(|s| enc(&s)),
        proptest::collection::vec(any::<u8>(), 0..40)
            .prop_map(|b| b.iter().map(|x| format!("%{x:02X}")).collect::<String>()),
        "[%+&=#;/?a-z0-9]{0,20}",
        Just("-1".to_string()),
        Just("1000000000000".to_string()),
        Just("99999999999999999999999999999".to_string()),
        Just(enc("<script>alert(1)</script>")),
        Just(enc("\"قوات سوريا\" OR (داعش -")),
        Just("%".to_string()),
        Just("%E2%80%AE%D8%B3".to_string()),
    ];
    let param = (proptest::sample::select(NAMES), value).prop_map(|(n, v)| format!("{n}={v}"));
    (
        proptest::sample::select(PATHS),
        any::<String>().prop_map(|s| enc(&s)),
        proptest::collection::vec(param, 0..5),
    )
        .prop_map(|(path, id, params)| {
            let path = if path.ends_with('/') {
                format!("{path}{id}")
            } else {
                path.to_string()
            };
            format!("{path}?{}", params.join("&"))
        })
}

/// Sends `cases` random hostile requests; each must get a 2xx or 4xx JSON
/// answer, and the server must stay up.
fn hostile_requests(cases: u32) {
    let (dir, idx) = indexed_sample();
    let mut server = Server::start(dir.path(), &idx, &[]);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let started = Instant::now();
    let result = runner.run(&hostile_target(), |target| {
        let answer = server
            .try_get(&target)
            .map_err(|e| TestCaseError::fail(format!("{target}: {e}")))?;
        prop_assert!(
            (200..500).contains(&answer.status),
            "{} for {}: {}",
            answer.status,
            target,
            answer.body
        );
        let json: Value = serde_json::from_str(&answer.body).map_err(|e| {
            TestCaseError::fail(format!("{target}: not JSON ({e}): {}", answer.body))
        })?;
        if answer.status >= 400 {
            prop_assert!(json["error"]["code"].is_string(), "{}", answer.body);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}\n{}", server.log());
    }
    eprintln!("{cases} hostile requests in {:?}", started.elapsed());
    // Raw abuse a client library would not send.
    let megabyte = "%D8%B3".repeat(1_000_000 / 6);
    let raw: Vec<Vec<u8>> = vec![
        format!("GET /api/search?q={megabyte} HTTP/1.1\r\nHost: t\r\n\r\n").into_bytes(),
        b"GET /api/search?q=\xff\xfe\xfd HTTP/1.1\r\nHost: t\r\n\r\n".to_vec(),
        "GET /api/search?q=<script>alert(1)</script> HTTP/1.1\r\nHost: t\r\n\r\n"
            .as_bytes()
            .to_vec(),
        "GET /api/articles/سوريا HTTP/1.1\r\nHost: t\r\n\r\n"
            .as_bytes()
            .to_vec(),
        b"GET /api/search?q=%%%%%25%2 HTTP/1.1\r\nHost: t\r\n\r\n".to_vec(),
        b"GET /api/articles/..%2f..%2f..%2fetc%2fpasswd HTTP/1.1\r\nHost: t\r\n\r\n".to_vec(),
        b"GET ../../etc/passwd HTTP/1.1\r\nHost: t\r\n\r\n".to_vec(),
        b"GET /healthz HTTP/1.1\r\nHost: t\r\nX: \x00\x01\r\n\r\n".to_vec(),
        b"GET /healthz HTTP/9.9\r\nHost: t\r\n\r\n".to_vec(),
        [
            b"GET /healthz HTTP/1.1\r\n".to_vec(),
            b"X-A: b\r\n".repeat(200),
            b"\r\n".to_vec(),
        ]
        .concat(),
    ];
    for request in raw {
        let head: String = String::from_utf8_lossy(&request).chars().take(50).collect();
        let (status, body) = server.raw(&request);
        assert!((200..500).contains(&status), "{head}: {status} {body}");
        let json: Value =
            serde_json::from_str(&body).unwrap_or_else(|e| panic!("{head}: {e}: {body:?}"));
        assert!(
            status < 400 || json["error"]["code"].is_string(),
            "{head}: {body}"
        );
    }
    // A query in markup comes back as a JSON string, not as markup.
    let script = "<script>alert(1)</script>";
    let answer = server.get(&format!("/api/search?q={}", enc(script)));
    assert!(answer.content_type.starts_with("application/json"));
    assert!(
        answer.status == 200 || answer.status == 400,
        "{}",
        answer.body
    );
    if answer.status == 200 {
        assert_eq!(answer.json()["query"], script);
    }
    assert!(server.alive(), "the server stays up");
    assert_eq!(server.get("/healthz").json()["status"], "ok");
}

#[test]
fn hostile_requests_get_json_answers_and_the_server_stays_up() {
    hostile_requests(300);
}

#[test]
#[ignore = "10,000 requests: run in release by .ci/run"]
fn ten_thousand_hostile_requests_get_json_answers_and_the_server_stays_up() {
    hostile_requests(10_000);
}

// ---------------------------------------------------------------------------
// Load
// ---------------------------------------------------------------------------

/// What a load run measured.
struct Load {
    requests: usize,
    seconds: f64,
    latencies_ms: Vec<f64>,
    commits: usize,
}

impl Load {
    fn percentile(&self, p: f64) -> f64 {
        let mut sorted = self.latencies_ms.clone();
        sorted.sort_by(f64::total_cmp);
        let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted.get(i).copied().unwrap_or(0.0)
    }
}

/// `clients` threads × `per_client` mixed requests while `akhbar index`
/// adds and changes articles in the served folder; every answer must be
/// JSON with the status its request deserves.
fn load(clients: usize, per_client: usize) -> Load {
    let (dir, idx) = indexed_sample();
    let server = Server::start(dir.path(), &idx, &[]);
    let ids: Vec<String> = server
        .get(&format!(
            "/api/search?q={}&limit=20&snippets=0",
            enc("سوريا OR مصر OR العراق")
        ))
        .json()["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["id"].as_str().map(str::to_string))
        .collect();
    assert!(ids.len() >= 5);
    let stop = AtomicBool::new(false);
    let words = [
        "سوريا",
        "الحكومة",
        "بيروت",
        "\"قوات سوريا الديمقراطية\"",
        "مستشفى",
        "النفط OR الاقتصاد",
    ];
    let started = Instant::now();
    let (latencies, commits, last_marker) = std::thread::scope(|scope| {
        let indexer = scope.spawn(|| {
            let mut generation = 0;
            while !stop.load(Ordering::SeqCst) {
                generation += 1;
                let marker = format!("gen{generation}x");
                let added = format!("corpus/load/add-{generation}.jsonl");
                write_records(&dir.path().join(added), &marker, 0..5, &marker);
                // A changed file: the same ids, new text.
                let changing = dir.path().join("corpus/load/changing.jsonl");
                write_records(&changing, "changing", 0..3, &marker);
                let run = dir.akhbar(&["index", "corpus", "--index", "idx", "--quiet"]);
                assert_eq!(run.code, 0, "{}", run.stderr);
            }
            (generation, format!("gen{generation}x"))
        });
        let workers: Vec<_> = (0..clients)
            .map(|c| {
                let (server, ids, words) = (&server, &ids, &words);
                scope.spawn(move || {
                    let mut times = Vec::with_capacity(per_client);
                    for i in 0..per_client {
                        let n = c * 7919 + i;
                        let word = enc(words[n % words.len()]);
                        let (path, want) = match n % 10 {
                            0..=2 => (format!("/api/search?q={word}&limit=10"), 200),
                            3 => (format!("/api/search?q={word}&facets=1&limit=5"), 200),
                            4 => (
                                format!("/api/search?entity={}&from=2020-01-01", enc("سوريا")),
                                200,
                            ),
                            5 => (
                                format!("/api/articles/{}?q={word}", enc(&ids[n % ids.len()])),
                                200,
                            ),
                            6 => (format!("/api/search?q={word}&limit=-1"), 400),
                            7 => (format!("/api/articles/missing-{n}"), 404),
                            8 => (
                                ["/api/stats", "/healthz", "/api/entities?top=5"][n % 3]
                                    .to_string(),
                                200,
                            ),
                            _ => (format!("/api/search?q={word}&offset=20&snippets=0"), 200),
                        };
                        let t = Instant::now();
                        let answer = server.get(&path);
                        times.push(t.elapsed().as_secs_f64() * 1000.0);
                        assert_eq!(answer.status, want, "{path}: {}", answer.body);
                        let json = answer.json();
                        if want >= 400 {
                            assert!(json["error"]["code"].is_string(), "{path}: {}", answer.body);
                        }
                    }
                    times
                })
            })
            .collect();
        let latencies: Vec<f64> = workers
            .into_iter()
            .flat_map(|w| w.join().expect("client thread"))
            .collect();
        stop.store(true, Ordering::SeqCst);
        let (commits, marker) = indexer.join().expect("indexer thread");
        (latencies, commits, marker)
    });
    let seconds = started.elapsed().as_secs_f64();
    // A search after the run sees the last commit: its 5 new articles and
    // the 3 changed ones.
    server
        .wait_for(
            &format!("/api/search?q={last_marker}&limit=0"),
            Duration::from_secs(5),
            |a| a.json()["total_hits"] == 8,
        )
        .unwrap_or_else(|a| panic!("last commit not seen: {}", a.body));
    let articles = sample_count() + 5 * commits as u64 + 3;
    assert_eq!(server.get("/healthz").json()["articles"], articles);
    assert!(!server.log().contains("panicked"), "{}", server.log());
    Load {
        requests: latencies.len(),
        seconds,
        latencies_ms: latencies,
        commits,
    }
}

fn report(load: &Load, clients: usize) {
    eprintln!(
        "load: {clients} clients, {} requests in {:.1} s ({:.0} requests/s), p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {} commits by `akhbar index` meanwhile",
        load.requests,
        load.seconds,
        load.requests as f64 / load.seconds,
        load.percentile(0.50),
        load.percentile(0.99),
        load.percentile(1.0),
        load.commits,
    );
}

#[test]
fn mixed_requests_while_indexing_all_succeed() {
    let result = load(8, 40);
    assert_eq!(result.requests, 320);
    report(&result, 8);
}

#[test]
#[ignore = "8 clients × 500 requests: run in release by .ci/run; the figures go to BENCHMARKS.md"]
fn eight_clients_times_500_requests_while_indexing_all_succeed() {
    let result = load(8, 500);
    assert_eq!(result.requests, 4_000);
    report(&result, 8);
}
