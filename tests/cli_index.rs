//! End-to-end tests of `akhbar index`: the incremental cycle, the JSON
//! summary, skipped files and lines, exit codes, article ids, the index
//! folder checks, and large inputs. Every run goes through the binary in a
//! temporary folder; the index is read back with tantivy directly
//! (`common::stored_docs`) only to look at what was stored.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use common::{copy_sample_corpus, files_under, shared_corpora, stored_docs, Dir, Run};

/// The keys of the `--json` summary.
const SUMMARY_KEYS: &[&str] = &[
    "files_seen",
    "files_indexed",
    "files_unchanged",
    "files_skipped",
    "files_deleted",
    "files_unsupported",
    "articles_added",
    "articles_updated",
    "articles_deleted",
    "articles_unchanged",
    "articles_kept",
    "resumed_files",
    "articles_skipped_as_committed",
    "resumed",
    "records_skipped",
    "empty_bodies",
    "unparsed_dates",
    "windows_1256_files",
    "skipped",
    "chars_indexed",
    "chars_left_out",
    "chars_left_out_by_reason",
    "pages_noted",
    "notes",
    "commits",
    "bytes",
    "elapsed_secs",
    "articles_per_sec",
    "mb_per_sec",
    "articles_total",
];

/// Runs `akhbar index --json --quiet ARGS` in `dir`; returns the run and
/// its summary. Fails on a panic or a summary without every key.
fn index(dir: &Dir, args: &[&str]) -> (Run, Value) {
    let mut all = vec!["index", "--json", "--quiet"];
    all.extend_from_slice(args);
    let run = dir.akhbar(&all);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let summary = run.json();
    for key in SUMMARY_KEYS {
        assert!(summary.get(key).is_some(), "no {key} in {summary:#}");
    }
    (run, summary)
}

/// A count of the summary.
fn count(summary: &Value, key: &str) -> u64 {
    summary[key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key} is not a count in {summary:#}"))
}

/// Asserts several counts of a summary at once, naming every mismatch.
fn assert_counts(summary: &Value, expected: &[(&str, u64)]) {
    let wrong: Vec<String> = expected
        .iter()
        .filter(|(key, value)| count(summary, key) != *value)
        .map(|(key, value)| format!("{key}: expected {value}, got {}", summary[key]))
        .collect();
    assert!(wrong.is_empty(), "{}\n{summary:#}", wrong.join("\n"));
}

/// The `skipped` list of a summary.
fn skipped(summary: &Value) -> Vec<String> {
    summary["skipped"]
        .as_array()
        .expect("skipped is a list")
        .iter()
        .map(|v| v.as_str().expect("skipped entries are strings").to_string())
        .collect()
}

/// The stored articles of an index by id; fails on a duplicated id.
fn docs_by_id(index: &Path) -> BTreeMap<String, Map<String, Value>> {
    let mut by_id = BTreeMap::new();
    for doc in stored_docs(index) {
        let id = doc["id"].as_str().expect("stored id").to_string();
        assert!(
            by_id.insert(id.clone(), doc).is_none(),
            "id {id} is in the index twice"
        );
    }
    by_id
}

/// A stored text field of an article.
fn text<'a>(doc: &'a Map<String, Value>, field: &str) -> &'a str {
    doc.get(field).and_then(Value::as_str).unwrap_or_default()
}

/// Pages of the sample corpus whose read-also block holds a second
/// article (issue 18; tests/CORPUS-MANIFEST.md, "Scraped pages").
const TWO_ARTICLE_PAGES: &[&str] = &[
    "pages/101-read-also-second-article.txt",
    "pages/105-two-read-also-blocks.txt",
];

/// What the contract says a folder of .txt and .jsonl files holds: files,
/// articles (one per .txt file, two for [`TWO_ARTICLE_PAGES`], one per
/// non-empty JSON Lines line) and bytes.
fn corpus_counts(root: &Path) -> (u64, u64, u64) {
    let (mut files, mut articles, mut bytes) = (0, 0, 0);
    for path in files_under(root) {
        let content = fs::read_to_string(&path).expect("read corpus file");
        files += 1;
        bytes += content.len() as u64;
        match path.extension().and_then(|e| e.to_str()) {
            Some("txt") if TWO_ARTICLE_PAGES.contains(&relative(&path, root).as_str()) => {
                articles += 2
            }
            Some("txt") => articles += 1,
            Some("jsonl") => articles += non_empty_lines(&content),
            other => panic!("unexpected corpus file type {other:?}: {}", path.display()),
        }
    }
    (files, articles, bytes)
}

/// Lines with something besides white space.
fn non_empty_lines(text: &str) -> u64 {
    text.lines().filter(|l| !l.trim().is_empty()).count() as u64
}

/// `path` relative to `root`, with `/`.
fn relative(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .expect("under root")
        .to_string_lossy()
        .replace('\\', "/")
}

/// One JSON Lines line.
fn line(value: &Value) -> String {
    format!("{value}\n")
}

/// A short article in the scraped .txt layout.
fn page(title: &str, body: &str) -> String {
    format!("{title}\nتاريخ النشر: 2024-03-10\n{body}\nالمصدر: نشرة الاختبار\n")
}

const PARAGRAPH: &str =
    "أعلنت البلدية عن خطة لتجديد شبكة المياه في الأحياء القديمة خلال العام المقبل، \
    على أن تبدأ الأعمال في الشوارع الرئيسية قبل أن تمتد إلى الأزقة الضيقة.";

#[test]
fn incremental_cycle_on_the_sample_corpus() {
    let dir = Dir::new();
    let corpus = copy_sample_corpus(&dir);
    let index_dir = dir.path().join("index");
    let (files, total, bytes) = corpus_counts(&corpus);
    assert!(files > 2 && total > files, "sample corpus too small");

    // First run, with the defaults: corpus/ into index/.
    let (run, s) = index(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(
        &s,
        &[
            ("files_seen", files),
            ("files_indexed", files),
            ("files_unchanged", 0),
            ("files_skipped", 0),
            ("files_deleted", 0),
            ("articles_added", total),
            ("articles_updated", 0),
            ("articles_deleted", 0),
            ("articles_unchanged", 0),
            ("records_skipped", 0),
            ("empty_bodies", 0),
            ("unparsed_dates", 0),
            ("windows_1256_files", 0),
            ("bytes", bytes),
            ("articles_total", total),
        ],
    );
    assert!(skipped(&s).is_empty(), "{s:#}");
    assert!(s["elapsed_secs"].as_f64().expect("elapsed_secs") > 0.0);
    assert!(index_dir.join("akhbar.json").is_file());
    assert_eq!(docs_by_id(&index_dir).len() as u64, total);

    // Nothing changed.
    let (run, s) = index(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(
        &s,
        &[
            ("files_seen", files),
            ("files_indexed", 0),
            ("files_unchanged", files),
            ("articles_added", 0),
            ("articles_updated", 0),
            ("articles_deleted", 0),
            ("articles_unchanged", total),
            ("bytes", 0),
            ("articles_total", total),
        ],
    );

    // One .txt file edited: a paragraph inserted after the date line (a
    // one-article file of txt/).
    let txts: Vec<PathBuf> = files_under(&corpus)
        .into_iter()
        .filter(|p| relative(p, &corpus).starts_with("txt/"))
        .collect();
    let edited = &txts[0];
    let edited_id = relative(edited, &corpus);
    let original = fs::read_to_string(edited).expect("read");
    let mut lines: Vec<&str> = original.lines().collect();
    let added = "وأكد المشاركون في ختام الاجتماع ضرورة متابعة تنفيذ القرارات خلال الأشهر المقبلة.";
    lines.insert(2, added);
    fs::write(edited, lines.join("\n") + "\n").expect("edit");
    let (run, s) = index(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(
        &s,
        &[
            ("files_seen", files),
            ("files_indexed", 1),
            ("files_unchanged", files - 1),
            ("articles_added", 0),
            ("articles_updated", 1),
            ("articles_deleted", 1),
            ("articles_unchanged", total - 1),
            ("articles_total", total),
        ],
    );
    let docs = docs_by_id(&index_dir);
    assert_eq!(docs.len() as u64, total);
    assert!(
        text(&docs[&edited_id], "body").contains(added),
        "{:#?}",
        docs[&edited_id]
    );

    // Two files touched: new modification time, same content.
    for path in [edited, &txts[1]] {
        let before = fs::metadata(path).expect("stat").modified().expect("mtime");
        let touched = before - Duration::from_secs(86_400);
        fs::File::options()
            .write(true)
            .open(path)
            .expect("open for touch")
            .set_modified(touched)
            .expect("set mtime");
        assert_ne!(
            fs::metadata(path).expect("stat").modified().expect("mtime"),
            before
        );
    }
    for _ in 0..2 {
        let (run, s) = index(&dir, &[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_counts(
            &s,
            &[
                ("files_indexed", 0),
                ("files_unchanged", files),
                ("articles_added", 0),
                ("articles_updated", 0),
                ("articles_deleted", 0),
                ("articles_unchanged", total),
                ("articles_total", total),
            ],
        );
    }

    // One .txt file deleted.
    let removed = txts.last().expect("a txt file");
    let removed_id = relative(removed, &corpus);
    fs::remove_file(removed).expect("delete");
    let (run, s) = index(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(
        &s,
        &[
            ("files_seen", files - 1),
            ("files_indexed", 0),
            ("files_unchanged", files - 1),
            ("files_deleted", 1),
            ("articles_added", 0),
            ("articles_updated", 0),
            ("articles_deleted", 1),
            ("articles_unchanged", total - 1),
            ("articles_total", total - 1),
        ],
    );
    let docs = docs_by_id(&index_dir);
    assert!(
        !docs.contains_key(&removed_id),
        "{removed_id} still indexed"
    );
    assert!(docs.contains_key(&edited_id));

    // --rebuild: everything added again, nothing doubled.
    let (run, s) = index(&dir, &["--rebuild"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(
        &s,
        &[
            ("files_seen", files - 1),
            ("files_indexed", files - 1),
            ("files_unchanged", 0),
            ("files_deleted", 0),
            ("articles_added", total - 1),
            ("articles_updated", 0),
            ("articles_unchanged", 0),
            ("articles_total", total - 1),
        ],
    );
    assert_eq!(docs_by_id(&index_dir).len() as u64, total - 1);

    // And the rebuilt manifest knows every file again.
    let (run, s) = index(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(
        &s,
        &[
            ("files_unchanged", files - 1),
            ("files_indexed", 0),
            ("articles_total", total - 1),
        ],
    );
}

#[test]
fn malformed_json_line_is_skipped_with_its_line_number() {
    let dir = Dir::new();
    let good = |n: u32, title: &str| {
        line(&json!({"id": format!("feed-{n}"), "title": title, "body": PARAGRAPH}))
    };
    let content = [
        good(1, "افتتاح مكتبة عامة في وسط المدينة"),
        good(2, "ارتفاع أسعار الخضار في الأسواق الشعبية"),
        "\n".to_string(),
        "{\"id\": \"feed-4\", \"title\": \"خبر لم يكتمل\", \"body\": \"نص مقطوع\n".to_string(),
        good(5, "مهرجان للشعر في ختام الأسبوع الثقافي"),
    ]
    .concat();
    dir.write("feed/news.jsonl", content);

    let (run, s) = index(&dir, &["feed"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_counts(
        &s,
        &[
            ("files_seen", 1),
            ("files_indexed", 1),
            ("files_skipped", 0),
            ("records_skipped", 1),
            ("articles_added", 3),
            ("articles_total", 3),
        ],
    );
    assert!(
        run.stderr
            .contains("akhbar: skipped feed/news.jsonl:4: invalid JSON"),
        "{}",
        run.stderr
    );
    let list = skipped(&s);
    assert_eq!(list.len(), 1, "{list:?}");
    assert!(
        list[0].starts_with("feed/news.jsonl:4: invalid JSON"),
        "{list:?}"
    );
    let ids: Vec<String> = docs_by_id(&dir.path().join("index")).into_keys().collect();
    assert_eq!(ids, ["feed-1", "feed-2", "feed-5"]);
}

#[test]
fn bad_files_are_skipped_with_a_reason_and_the_run_goes_on() {
    use flate2::write::GzEncoder;
    use flate2::Compression;
    use std::os::unix::fs::PermissionsExt;

    let dir = Dir::new();
    let gzip = |text: &str| {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(text.as_bytes()).expect("gzip");
        encoder.finish().expect("gzip")
    };

    // Skipped.
    dir.write("mixed/empty.txt", b"");
    dir.write(
        "mixed/binary.txt",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0",
    );
    let many: String = (1..=40)
        .map(|n| {
            line(&json!({
                "id": format!("cut-{n}"),
                "title": format!("خبر مضغوط رقم {n}"),
                "body": format!("{PARAGRAPH} وهذه الفقرة رقم {n} من الملف المضغوط."),
            }))
        })
        .collect();
    let full = gzip(&many);
    dir.write("mixed/cut.jsonl.gz", &full[..full.len() / 2]);

    // Indexed.
    let packed = [
        line(&json!({"id": "gz-1", "title": "خبر أول من ملف مضغوط", "body": PARAGRAPH})),
        line(&json!({"id": "gz-2", "title": "خبر ثان من ملف مضغوط", "body": PARAGRAPH})),
    ]
    .concat();
    dir.write("mixed/packed.jsonl.gz", gzip(&packed));
    let bom_title = "وزارة النقل تفتتح جسراً جديداً فوق النهر";
    dir.write(
        "mixed/bom.txt",
        format!("\u{FEFF}{}", page(bom_title, PARAGRAPH)),
    );
    let cp_title = "سقوط أمطار غزيرة على المناطق الساحلية";
    let cp_body =
        "توقعت دائرة الأرصاد الجوية استمرار هطول الأمطار حتى نهاية الأسبوع، ودعت السائقين إلى الحذر.";
    let cp_text = page(cp_title, cp_body);
    let (cp_bytes, _, unmappable) = encoding_rs::WINDOWS_1256.encode(&cp_text);
    assert!(!unmappable, "test text must fit Windows-1256");
    dir.write("mixed/cp1256.txt", &cp_bytes);
    dir.write(
        "mixed/no-body.jsonl",
        line(&json!({"id": "no-body-1", "title": "عنوان خبر بلا متن", "body": ""})),
    );
    dir.write(
        "mixed/good.txt",
        page("افتتاح حديقة عامة جديدة في الحي الشرقي", PARAGRAPH),
    );

    // Unreadable, unless the tests run as root (chmod 000 does not stop root).
    let locked = dir.write("mixed/locked.txt", page("خبر لا يمكن قراءته", PARAGRAPH));
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
    let permissions_enforced = fs::read(&locked).is_err();
    if !permissions_enforced {
        eprintln!("skipped the permission-denied part: chmod 000 does not stop this user (root?)");
        fs::remove_file(&locked).expect("remove locked file");
    }
    let mut expected_skips = vec![
        "mixed/binary.txt: binary file",
        "mixed/cut.jsonl.gz: truncated gzip file",
        "mixed/empty.txt: empty file",
    ];
    if permissions_enforced {
        expected_skips.push("mixed/locked.txt: permission denied");
    }
    let skips = expected_skips.len() as u64;

    for run_number in 1..=2 {
        let (run, s) = index(&dir, &["mixed"]);
        assert_eq!(run.code, 1, "run {run_number}: {}", run.stderr);
        let list = skipped(&s);
        assert_eq!(list.len() as u64, skips, "{list:?}");
        for expected in &expected_skips {
            assert!(
                list.iter().any(|l| l.starts_with(expected)),
                "no {expected:?} in {list:?}"
            );
            assert!(
                run.stderr.contains(&format!("akhbar: skipped {expected}")),
                "no {expected:?} on stderr:\n{}",
                run.stderr
            );
        }
        if run_number == 1 {
            assert_counts(
                &s,
                &[
                    ("files_seen", 5 + skips),
                    ("files_indexed", 5),
                    ("files_skipped", skips),
                    ("records_skipped", 0),
                    ("articles_added", 6),
                    ("empty_bodies", 1),
                    ("windows_1256_files", 1),
                    ("articles_total", 6),
                ],
            );
        } else {
            // Skipped files are tried again; indexed ones are not.
            assert_counts(
                &s,
                &[
                    ("files_indexed", 0),
                    ("files_unchanged", 5),
                    ("files_skipped", skips),
                    ("articles_added", 0),
                    ("articles_total", 6),
                ],
            );
        }
    }

    let docs = docs_by_id(&dir.path().join("index"));
    let ids: BTreeSet<&str> = docs.keys().map(String::as_str).collect();
    assert_eq!(
        ids,
        BTreeSet::from([
            "bom.txt",
            "cp1256.txt",
            "good.txt",
            "gz-1",
            "gz-2",
            "no-body-1"
        ])
    );
    assert_eq!(text(&docs["bom.txt"], "title"), bom_title);
    assert_eq!(text(&docs["cp1256.txt"], "title"), cp_title);
    assert_eq!(text(&docs["cp1256.txt"], "body"), cp_body);
    assert_eq!(text(&docs["no-body-1"], "body"), "");

    if permissions_enforced {
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).expect("chmod back");
    }
}

#[test]
fn missing_path_is_fatal_and_creates_no_index() {
    let dir = Dir::new();
    dir.write("corpus/a.txt", page("خبر موجود", PARAGRAPH));
    let run = dir.akhbar(&["index", "corpus", "no-such-folder"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("no-such-folder: no such file or folder"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(!dir.path().join("index").exists());

    // The default corpus/ is missing too.
    let empty = Dir::new();
    let run = empty.akhbar(&["index"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("corpus: no such file or folder"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn same_json_id_in_two_files_is_indexed_once() {
    let dir = Dir::new();
    let first = "الحكومة تقر موازنة العام المقبل";
    let second = "الحكومة تقر موازنة العام المقبل بعد تعديلات البرلمان";
    dir.write(
        "corpus/a.jsonl",
        line(&json!({"id": "shared-7", "title": first, "body": PARAGRAPH})),
    );
    dir.write(
        "corpus/b.json",
        json!({"id": "shared-7", "title": second, "body": PARAGRAPH}).to_string(),
    );
    let index_dir = dir.path().join("index");

    let (run, s) = index(&dir, &["corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(&s, &[("files_indexed", 2), ("articles_total", 1)]);
    let docs = docs_by_id(&index_dir);
    assert_eq!(docs.len(), 1);
    // Files are read in name order: b.json came last and replaced a.jsonl's.
    assert_eq!(text(&docs["shared-7"], "title"), second);

    let (run, s) = index(&dir, &["corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(&s, &[("files_unchanged", 2), ("articles_total", 1)]);

    // a.jsonl changes: its copy of the shared id is not sent to the index,
    // since b.json (after it in path order) holds the id; b.json is not
    // read again and still wins; still once.
    let more = [
        line(&json!({"id": "shared-7", "title": first, "body": PARAGRAPH})),
        line(&json!({"id": "other-1", "title": "افتتاح معرض للكتاب", "body": PARAGRAPH})),
    ]
    .concat();
    dir.write("corpus/a.jsonl", more);
    let (run, s) = index(&dir, &["corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(&s, &[("files_indexed", 1), ("articles_total", 2)]);
    let docs = docs_by_id(&index_dir);
    assert_eq!(docs.len(), 2);
    assert_eq!(text(&docs["shared-7"], "title"), second);
}

#[test]
fn file_read_last_keeps_a_shared_id_through_new_changed_and_deleted_files() {
    let dir = Dir::new();
    let doc = |title: &str| line(&json!({"id": "shared-9", "title": title, "body": PARAGRAPH}));
    dir.write("corpus/a.jsonl", doc("نسخة أ"));
    dir.write("corpus/c.jsonl", doc("نسخة ج"));
    let index_dir = dir.path().join("index");
    let title = || text(&docs_by_id(&index_dir)["shared-9"], "title").to_string();
    let (run, _) = index(&dir, &["corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(title(), "نسخة ج");

    // A new file sorted between them does not take the id from c.jsonl,
    // and c.jsonl is not read again.
    dir.write("corpus/b.jsonl", doc("نسخة ب"));
    let (run, s) = index(&dir, &["corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(
        &s,
        &[
            ("files_indexed", 1),
            ("files_unchanged", 2),
            ("articles_total", 1),
        ],
    );
    assert_eq!(title(), "نسخة ج");

    // c.jsonl changes: it might have dropped the id, so the files before
    // it that hold the id are read again too; c.jsonl, read last, keeps it.
    dir.write("corpus/c.jsonl", doc("نسخة ج المعدلة"));
    let (run, s) = index(&dir, &["corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(&s, &[("files_indexed", 3), ("articles_total", 1)]);
    assert_eq!(title(), "نسخة ج المعدلة");

    // c.jsonl goes: the files before it that hold the id are read again,
    // and the last of them, b.jsonl, wins.
    fs::remove_file(dir.path().join("corpus/c.jsonl")).expect("delete");
    let (run, s) = index(&dir, &["corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(
        &s,
        &[
            ("files_deleted", 1),
            ("files_indexed", 2),
            ("articles_total", 1),
        ],
    );
    assert_eq!(title(), "نسخة ب");
}

/// A JSON Lines article with an id.
fn with_id(id: &str, title: &str, body: &str) -> String {
    line(&json!({"id": id, "title": title, "body": body}))
}

#[test]
fn changed_file_keeps_its_unchanged_articles_and_deletes_those_that_left() {
    let dir = Dir::new();
    let other = "نص آخر مختلف عن الخبر الأول في كلماته وجمله.";
    dir.write(
        "corpus/feed.jsonl",
        [
            with_id("k1", "خبر أول", PARAGRAPH),
            with_id("k2", "خبر ثان", PARAGRAPH),
            with_id("k3", "خبر ثالث سيحذف", PARAGRAPH),
            with_id("k4", "خبر رابع", PARAGRAPH),
            with_id("twice", "النسخة الأولى", PARAGRAPH),
            with_id("twice", "النسخة الثانية", PARAGRAPH),
        ]
        .concat(),
    );
    let index_dir = dir.path().join("index");
    let (run, s) = index(&dir, &["corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(&s, &[("articles_total", 5)]);
    assert_eq!(
        text(&docs_by_id(&index_dir)["twice"], "title"),
        "النسخة الثانية"
    );

    // k2 changes, k3 leaves, k5 arrives; k1, k4 and both copies of
    // "twice" are as they were, but k4 is now a line higher.
    dir.write(
        "corpus/feed.jsonl",
        [
            with_id("k1", "خبر أول", PARAGRAPH),
            with_id("k2", "خبر ثان", other),
            with_id("k4", "خبر رابع", PARAGRAPH),
            with_id("twice", "النسخة الأولى", PARAGRAPH),
            with_id("twice", "النسخة الثانية", PARAGRAPH),
            with_id("k5", "خبر خامس جديد", PARAGRAPH),
        ]
        .concat(),
    );
    let (run, s) = index(&dir, &["corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Kept: k1. k4 is indexed again: it moved from line 4 to line 3, and
    // the line it is shown at must not be its old one. "twice" is added
    // again: its first copy differs from the one the index held (the
    // second), which must then win again.
    assert_counts(
        &s,
        &[
            ("files_indexed", 1),
            ("articles_kept", 1),
            ("articles_updated", 5),
            ("articles_deleted", 4),
            ("articles_total", 5),
        ],
    );
    let docs = docs_by_id(&index_dir);
    assert_eq!(docs["k1"]["line"], 1);
    assert_eq!(docs["k4"]["line"], 3);
    let ids: BTreeSet<&str> = docs.keys().map(String::as_str).collect();
    assert_eq!(ids, BTreeSet::from(["k1", "k2", "k4", "k5", "twice"]));
    assert_eq!(text(&docs["k2"], "body"), other);
    assert_eq!(text(&docs["k1"], "body"), PARAGRAPH);
    assert_eq!(text(&docs["twice"], "title"), "النسخة الثانية");
    let found = dir.akhbar(&["search", "سيحذف", "--json"]);
    let hits: Value = serde_json::from_str(&found.stdout).expect("json");
    assert_eq!(hits["total_hits"], 0, "{hits:#}");

    // Unchanged since: nothing is read.
    let (_, s) = index(&dir, &["corpus"]);
    assert_counts(&s, &[("files_unchanged", 1), ("articles_total", 5)]);
}

#[test]
fn shared_id_keeps_the_later_files_copy_when_both_files_change() {
    let dir = Dir::new();
    dir.write(
        "corpus/a.jsonl",
        [
            with_id("s", "نسخة أ", PARAGRAPH),
            with_id("a1", "خبر أ", PARAGRAPH),
        ]
        .concat(),
    );
    dir.write(
        "corpus/b.jsonl",
        [
            with_id("s", "نسخة ب", PARAGRAPH),
            with_id("b1", "خبر ب", PARAGRAPH),
        ]
        .concat(),
    );
    let index_dir = dir.path().join("index");
    let (run, _) = index(&dir, &["corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(text(&docs_by_id(&index_dir)["s"], "title"), "نسخة ب");

    // a.jsonl's copy of s changes (it is read first and claims the id);
    // b.jsonl changes elsewhere: its unchanged copy of s must win again.
    dir.write(
        "corpus/a.jsonl",
        [
            with_id("s", "نسخة أ المعدلة", PARAGRAPH),
            with_id("a1", "خبر أ المعدل", PARAGRAPH),
        ]
        .concat(),
    );
    dir.write(
        "corpus/b.jsonl",
        [
            with_id("s", "نسخة ب", PARAGRAPH),
            with_id("b1", "خبر ب المعدل", PARAGRAPH),
        ]
        .concat(),
    );
    let (run, s) = index(&dir, &["corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(&s, &[("files_indexed", 2), ("articles_total", 3)]);
    let docs = docs_by_id(&index_dir);
    assert_eq!(text(&docs["s"], "title"), "نسخة ب");
    assert_eq!(text(&docs["a1"], "title"), "خبر أ المعدل");
    assert_eq!(text(&docs["b1"], "title"), "خبر ب المعدل");
}

#[test]
fn id_that_left_the_later_file_comes_back_from_the_earlier_one() {
    let dir = Dir::new();
    dir.write(
        "corpus/a.jsonl",
        [
            with_id("s", "نسخة أ", PARAGRAPH),
            with_id("a1", "خبر أ", PARAGRAPH),
        ]
        .concat(),
    );
    dir.write(
        "corpus/b.jsonl",
        [
            with_id("s", "نسخة ب", PARAGRAPH),
            with_id("b1", "خبر ب", PARAGRAPH),
        ]
        .concat(),
    );
    let index_dir = dir.path().join("index");
    let (run, _) = index(&dir, &["corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // b.jsonl drops s: a.jsonl is read again and its copy, added before
    // b.jsonl's old one is deleted, must survive that delete; a1 stays
    // as it was; b1, now on line 1, is indexed again with its new line.
    dir.write("corpus/b.jsonl", with_id("b1", "خبر ب", PARAGRAPH));
    let (run, s) = index(&dir, &["corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(
        &s,
        &[
            ("files_indexed", 2),
            ("articles_kept", 1),
            ("articles_total", 3),
        ],
    );
    assert_eq!(docs_by_id(&index_dir)["b1"]["line"], 1);
    let docs = docs_by_id(&index_dir);
    assert_eq!(text(&docs["s"], "title"), "نسخة أ");
    assert_eq!(text(&docs["b1"], "title"), "خبر ب");
}

#[test]
fn shared_id_survives_deleting_one_of_its_files() {
    let dir = Dir::new();
    dir.write(
        "corpus/a.jsonl",
        line(&json!({"id": "shared-7", "title": "الخبر الأول", "body": PARAGRAPH})),
    );
    dir.write(
        "corpus/b.jsonl",
        line(&json!({"id": "shared-7", "title": "الخبر الثاني", "body": PARAGRAPH})),
    );
    let (run, s) = index(&dir, &["corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(&s, &[("articles_total", 1)]);

    // a.jsonl still holds shared-7 and is unchanged, so the article must
    // stay searchable.
    fs::remove_file(dir.path().join("corpus/b.jsonl")).expect("delete");
    let (run, s) = index(&dir, &["corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(&s, &[("files_deleted", 1), ("articles_total", 1)]);
}

#[test]
fn folder_that_is_not_an_index_is_refused_and_left_alone() {
    let dir = Dir::new();
    dir.write("corpus/a.txt", page("خبر عادي", PARAGRAPH));
    let notes = dir.write("notes/todo.md", "قائمة المهام: شراء الخبز\n");
    for extra in [&[][..], &["--rebuild"][..]] {
        let mut args = vec!["index", "corpus", "--index", "notes"];
        args.extend_from_slice(extra);
        let run = dir.akhbar(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("notes: not an akhbar index"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        assert_eq!(
            fs::read_to_string(&notes).expect("read"),
            "قائمة المهام: شراء الخبز\n"
        );
        let names: Vec<_> = fs::read_dir(dir.path().join("notes"))
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["todo.md"], "{args:?}");
    }

    // A folder with only hidden files is taken, and its files kept.
    let gitignore = dir.write("fresh/.gitignore", "*\n");
    let (run, s) = index(&dir, &["corpus", "--index", "fresh"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(&s, &[("articles_total", 1)]);
    assert_eq!(fs::read_to_string(gitignore).expect("read"), "*\n");
}

/// Sets a top-level key of the manifest `index/akhbar.json`.
fn set_manifest_key(index_dir: &Path, key: &str, value: Value) {
    let path = index_dir.join("akhbar.json");
    let mut manifest: Value =
        serde_json::from_str(&fs::read_to_string(&path).expect("read manifest")).expect("JSON");
    assert!(manifest.get(key).is_some(), "no {key} in the manifest");
    manifest[key] = value;
    fs::write(&path, manifest.to_string()).expect("write manifest");
}

fn manifest_key(index_dir: &Path, key: &str) -> Value {
    let path = index_dir.join("akhbar.json");
    let manifest: Value =
        serde_json::from_str(&fs::read_to_string(path).expect("read manifest")).expect("JSON");
    manifest[key].clone()
}

#[test]
fn version_mismatch_asks_for_rebuild_and_rebuild_fixes_it() {
    let dir = Dir::new();
    let corpus = copy_sample_corpus(&dir);
    let (_, total, _) = corpus_counts(&corpus);
    let index_dir = dir.path().join("index");
    let (run, _) = index(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    for (key, what) in [
        ("analyzer_version", "analyzer"),
        ("schema_version", "schema"),
    ] {
        let current = manifest_key(&index_dir, key);
        assert!(current.is_u64(), "{key}: {current}");
        set_manifest_key(&index_dir, key, json!(999));

        let run = dir.akhbar(&["index", "--quiet"]);
        assert_eq!(run.code, 2, "{key}: {}", run.stderr);
        assert!(run.stderr.contains("--rebuild"), "{}", run.stderr);
        assert!(
            run.stderr.contains(&format!("{what} version 999")),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        assert_eq!(
            manifest_key(&index_dir, key),
            json!(999),
            "manifest touched"
        );

        let (run, s) = index(&dir, &["--rebuild"]);
        assert_eq!(run.code, 0, "{key}: {}", run.stderr);
        assert_counts(&s, &[("articles_added", total), ("articles_total", total)]);
        assert_eq!(manifest_key(&index_dir, key), current);
        assert_eq!(docs_by_id(&index_dir).len() as u64, total);
    }
}

#[test]
fn damaged_index_asks_for_rebuild_and_rebuild_fixes_it() {
    let dir = Dir::new();
    let corpus = copy_sample_corpus(&dir);
    let (_, total, _) = corpus_counts(&corpus);
    let index_dir = dir.path().join("index");

    type Damage = fn(&Path);
    let damages: [(&str, Damage); 2] = [
        ("garbage akhbar.json", |d| {
            fs::write(d.join("akhbar.json"), "{ليس JSON").expect("write")
        }),
        ("no meta.json", |d| {
            fs::remove_file(d.join("meta.json")).expect("remove meta.json")
        }),
    ];
    for (what, damage) in damages {
        let (run, _) = index(&dir, &[]);
        assert_eq!(run.code, 0, "{what}: {}", run.stderr);
        damage(&index_dir);

        let run = dir.akhbar(&["index", "--quiet"]);
        assert_eq!(run.code, 2, "{what}: {}", run.stderr);
        assert!(run.stderr.contains("--rebuild"), "{what}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{what}: {}", run.stderr);

        let (run, s) = index(&dir, &["--rebuild"]);
        assert_eq!(run.code, 0, "{what}: {}", run.stderr);
        assert_counts(&s, &[("articles_added", total), ("articles_total", total)]);
    }
}

#[test]
fn locked_index_exits_3() {
    let dir = Dir::new();
    dir.write("corpus/a.txt", page("خبر عن الطقس", PARAGRAPH));
    let (run, _) = index(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // Hold the writer lock from this process while akhbar runs.
    let held = tantivy::Index::open_in_dir(dir.path().join("index")).expect("open");
    let writer: tantivy::IndexWriter = held
        .writer_with_num_threads(1, 15_000_000)
        .expect("take the writer lock");
    dir.write("corpus/b.txt", page("خبر عن الرياضة", PARAGRAPH));
    let run = dir.akhbar(&["index", "--quiet"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("another process"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    drop(writer);

    let (run, s) = index(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(&s, &[("files_indexed", 1), ("articles_total", 2)]);
}

#[test]
fn scraped_page_layout_with_a_read_also_article() {
    let dir = Dir::new();
    let title = "\"الهيئة\" تطلق برنامجاً لدعم صغار المزارعين";
    let first = "أطلقت الهيئة العامة للزراعة برنامجاً جديداً يقدم قروضاً ميسرة لصغار المزارعين في القرى النائية.";
    let second = "وقال رئيس الهيئة إن البرنامج يشمل تدريب المزارعين على أساليب الري الحديثة وترشيد استهلاك المياه.";
    let other = "تستمر موجة البرد في المرتفعات الشمالية حتى نهاية الأسبوع";
    let other_body = "توقعت الأرصاد تساقط الثلوج على القمم الجبلية خلال الليل.";
    let content = format!(
        "{title}\n\
         تاريخ النشر: 3rd, December 2023 GMT\n\
         {first}\n\
         \n\
         {second}\n\
         المصدر: جريدة الساحل\n\
         كلمات دلالية: الزراعة، المزارعين، الري\n\
         إقرأ أيضاً:\n\
         {other}\n\
         {other_body}\n"
    );
    dir.write("seed/agri.txt", content);

    let (run, s) = index(&dir, &["seed"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Issue 18: the block after "read also" holds a headline and a
    // paragraph, so it is a second article (before, it was dropped).
    assert_counts(
        &s,
        &[
            ("files_indexed", 1),
            ("articles_added", 2),
            ("articles_total", 2),
            ("unparsed_dates", 0),
            ("empty_bodies", 0),
        ],
    );
    let docs = docs_by_id(&dir.path().join("index"));
    let doc = &docs["agri.txt"];
    assert_eq!(text(doc, "title"), title);
    assert_eq!(text(doc, "date_text"), "3rd, December 2023 GMT");
    assert_eq!(text(doc, "date"), "2023-12-03T00:00:00Z");
    assert_eq!(text(doc, "source"), "جريدة الساحل");
    assert_eq!(text(doc, "keywords"), "الزراعة، المزارعين، الري");
    let body = text(doc, "body");
    assert!(body.contains(first) && body.contains(second), "{body}");
    for leaked in [
        other,
        "الثلوج",
        "المصدر",
        "كلمات دلالية",
        "تاريخ النشر",
        "أيضاً",
    ] {
        assert!(!body.contains(leaked), "{leaked:?} in the body: {body}");
    }
    let doc = &docs["agri.txt#2"];
    assert_eq!(text(doc, "title"), other);
    assert_eq!(text(doc, "body"), other_body);
    assert_eq!(text(doc, "date"), "2023-12-03T00:00:00Z");
    assert_eq!(text(doc, "source"), "جريدة الساحل");
    assert_eq!(text(doc, "keywords"), "");
}

#[test]
fn read_also_block_ends_the_body_even_without_a_source_line() {
    let dir = Dir::new();
    let title = "افتتاح سوق شعبي جديد في الضاحية الغربية";
    let body = "افتتح محافظ المدينة سوقاً شعبياً جديداً يضم أكثر من مئة محل لبيع الخضار والفواكه.";
    let other = "انطلاق حملة لتشجير الطرق السريعة بمشاركة المتطوعين";
    dir.write(
        "seed/market.txt",
        format!("{title}\n{body}\nاقرأ أيضا:\n{other}\nتاريخ النشر: 2020-01-01\n"),
    );
    let (run, s) = index(&dir, &["seed"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(&s, &[("articles_total", 1), ("empty_bodies", 0)]);
    let docs = docs_by_id(&dir.path().join("index"));
    let doc = &docs["market.txt"];
    assert_eq!(text(doc, "title"), title);
    assert_eq!(text(doc, "body"), body);
    assert_eq!(text(doc, "date_text"), "");
}

#[test]
fn ids_are_json_ids_or_relative_paths_numbered_in_multi_article_files() {
    let dir = Dir::new();
    dir.write("news/sub/page.txt", page("خبر في صفحة واحدة", PARAGRAPH));
    dir.write(
        "news/feed.jsonl",
        [
            line(&json!({"title": "الخبر الأول بلا معرف", "body": PARAGRAPH})),
            line(&json!({"title": "الخبر الثاني بلا معرف", "body": PARAGRAPH})),
            line(&json!({"id": "own-id", "title": "خبر له معرف", "body": PARAGRAPH})),
        ]
        .concat(),
    );
    dir.write(
        "news/list.json",
        json!([
            {"title": "أول عنصر في المصفوفة", "body": PARAGRAPH},
            {"title": "ثاني عنصر في المصفوفة", "body": PARAGRAPH},
        ])
        .to_string(),
    );
    let doc = |docno: &str, title: &str| {
        format!("<DOC>\n{docno}<TITLE>{title}</TITLE>\n<TEXT>\n{PARAGRAPH}\n</TEXT>\n</DOC>\n")
    };
    dir.write(
        "news/trec.txt",
        doc("", "وثيقة أولى بلا رقم") + &doc("", "وثيقة ثانية بلا رقم"),
    );
    dir.write(
        "news/one.json",
        json!({"title": "مقال واحد في ملف JSON", "body": PARAGRAPH}).to_string(),
    );
    dir.write(
        "news/trec-numbered.txt",
        doc("<DOCNO>TR-1</DOCNO>\n", "وثيقة مرقمة أولى")
            + &doc("<DOCNO>TR-2</DOCNO>\n", "وثيقة مرقمة ثانية"),
    );
    let index_dir = dir.path().join("index");

    let (run, s) = index(&dir, &["news"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(&s, &[("files_indexed", 6), ("articles_total", 11)]);
    let expected = BTreeSet::from([
        "sub/page.txt",
        "one.json",
        "feed.jsonl#1",
        "feed.jsonl#2",
        "own-id",
        "list.json#1",
        "list.json#2",
        "trec.txt#1",
        "trec.txt#2",
        "TR-1",
        "TR-2",
    ]);
    let docs = docs_by_id(&index_dir);
    let ids: BTreeSet<&str> = docs.keys().map(String::as_str).collect();
    assert_eq!(ids, expected);
    assert_eq!(text(&docs["feed.jsonl#2"], "title"), "الخبر الثاني بلا معرف");
    assert_eq!(text(&docs["trec.txt#2"], "title"), "وثيقة ثانية بلا رقم");

    // A changed file replaces its articles under the same ids.
    dir.write(
        "news/feed.jsonl",
        [
            line(&json!({"title": "الخبر الأول بلا معرف", "body": PARAGRAPH})),
            line(&json!({"title": "الخبر الثاني بعد التصحيح", "body": PARAGRAPH})),
            line(&json!({"id": "own-id", "title": "خبر له معرف", "body": PARAGRAPH})),
        ]
        .concat(),
    );
    let (run, s) = index(&dir, &["news"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(
        &s,
        &[
            ("files_indexed", 1),
            ("articles_updated", 1),
            ("articles_deleted", 1),
            ("articles_kept", 2),
            ("articles_unchanged", 8),
            ("articles_total", 11),
        ],
    );
    let docs = docs_by_id(&index_dir);
    let ids: BTreeSet<&str> = docs.keys().map(String::as_str).collect();
    assert_eq!(ids, expected);
    assert_eq!(
        text(&docs["feed.jsonl#2"], "title"),
        "الخبر الثاني بعد التصحيح"
    );
}

#[test]
fn index_folder_from_akhbar_index_env() {
    let dir = Dir::new();
    dir.write("corpus/a.txt", page("خبر عن المرور", PARAGRAPH));
    let run = dir.akhbar_with_env(
        &["index", "--json", "--quiet"],
        &[("AKHBAR_INDEX", "elsewhere")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(&run.json(), &[("articles_total", 1)]);
    assert!(dir.path().join("elsewhere/akhbar.json").is_file());
    assert!(!dir.path().join("index").exists());

    // --index wins over the variable.
    let run = dir.akhbar_with_env(
        &["index", "--json", "--quiet", "--index", "chosen"],
        &[("AKHBAR_INDEX", "elsewhere")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(&run.json(), &[("files_indexed", 1), ("articles_total", 1)]);
    assert!(dir.path().join("chosen/akhbar.json").is_file());
}

#[test]
fn writer_options_do_not_change_the_result() {
    let dir = Dir::new();
    let corpus = copy_sample_corpus(&dir);
    let (files, total, _) = corpus_counts(&corpus);
    let (run, s) = index(
        &dir,
        &[
            "--memory",
            "16",
            "--threads",
            "1",
            "--commit-every",
            "1",
            "--index",
            "small",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(
        &s,
        &[
            ("files_indexed", files),
            ("articles_added", total),
            ("articles_total", total),
        ],
    );
    let (run, s) = index(&dir, &["--index", "small"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(&s, &[("files_unchanged", files), ("articles_total", total)]);
    let small = docs_by_id(&dir.path().join("small"));
    assert_eq!(small.len() as u64, total);
}

#[test]
#[ignore = "slow in debug (40-100 s on 2 cores); run with --release --ignored"]
fn real_corpus_file_ant_jawharafm() {
    let Some(shared) = shared_corpora() else {
        return;
    };
    let file = shared.join("ant-jawharafm/ant-jawharafm-00.jsonl");
    if !file.is_file() {
        eprintln!("skipped: {} is absent", file.display());
        return;
    }
    let expected = non_empty_lines(&fs::read_to_string(&file).expect("read corpus"));
    let dir = Dir::new();
    let path = file.to_string_lossy().into_owned();
    let started = Instant::now();
    let (run, s) = index(&dir, &[&path]);
    eprintln!(
        "indexed {expected} articles of {} in {:.1} s",
        file.display(),
        started.elapsed().as_secs_f64()
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(
        &s,
        &[
            ("files_indexed", 1),
            ("records_skipped", 0),
            ("articles_added", expected),
            ("articles_total", expected),
        ],
    );
}

/// Sentences the large generated articles are made of.
const SENTENCES: &[&str] = &[
    "أعلنت وزارة الزراعة عن خطة لتوسيع المساحات المزروعة بالقمح في المحافظات الجنوبية خلال الموسم المقبل.",
    "وقال المتحدث باسم الوزارة إن الخطة تشمل توزيع بذور محسنة على المزارعين وتقديم قروض ميسرة لشراء معدات الري.",
    "ويتوقع خبراء الاقتصاد أن تسهم هذه الإجراءات في خفض فاتورة الاستيراد وتعزيز الأمن الغذائي.",
    "وشهدت الأسواق المحلية ارتفاعاً ملحوظاً في أسعار الخبز والدقيق خلال الأشهر الماضية.",
    "ودعا نواب في البرلمان إلى مراقبة توزيع الدعم حتى يصل إلى مستحقيه في القرى البعيدة.",
];

#[test]
#[ignore = "slow in debug (90-145 s on 2 cores); run with --release --ignored"]
fn fifty_megabyte_json_lines_file() {
    const ARTICLES: usize = 2_500;
    const BODY_BYTES: usize = 20_000;
    let dir = Dir::new();
    let path = dir.path().join("big/big.jsonl");
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    let mut out = std::io::BufWriter::new(fs::File::create(&path).expect("create"));
    for n in 0..ARTICLES {
        let mut body = String::with_capacity(BODY_BYTES + 256);
        let mut k = n;
        while body.len() < BODY_BYTES {
            body.push_str(SENTENCES[k % SENTENCES.len()]);
            body.push_str(&format!(" ({k}) "));
            k += 1;
        }
        let article = json!({
            "id": format!("big-{n}"),
            "title": format!("تقرير رقم {n} عن الزراعة والأسواق"),
            "date": "2024-05-01",
            "body": body,
        });
        out.write_all(line(&article).as_bytes()).expect("write");
    }
    out.into_inner().expect("flush").sync_all().expect("sync");
    let size = fs::metadata(&path).expect("stat").len();
    assert!(size >= 50_000_000, "generated only {size} bytes");

    let started = Instant::now();
    let (run, s) = index(&dir, &["big", "--commit-every", "1000"]);
    eprintln!(
        "indexed {ARTICLES} articles, {:.1} MiB, in {:.1} s",
        size as f64 / 1_048_576.0,
        started.elapsed().as_secs_f64()
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(
        &s,
        &[
            ("files_indexed", 1),
            ("records_skipped", 0),
            ("articles_added", ARTICLES as u64),
            ("articles_total", ARTICLES as u64),
            ("bytes", size),
        ],
    );
}

/// A page whose read-also block lists many bare headlines.
fn page_with_headlines(headlines: usize) -> String {
    let list: Vec<String> = (1..=headlines)
        .map(|n| format!("عنوان خبر متصل رقم {n} عن أحوال الطقس في الجبال"))
        .collect();
    format!(
        "خبر عن المرور\n{PARAGRAPH}\nالمصدر: نشرة الاختبار\nاقرأ أيضاً:\n{}\n",
        list.join("\n")
    )
}

#[test]
fn left_out_text_is_counted_and_a_file_losing_over_a_fifth_gets_a_note() {
    let dir = Dir::new();
    dir.write("news/few.txt", page_with_headlines(0));
    dir.write("news/many.txt", page_with_headlines(6));
    dir.write(
        "news/feed.jsonl",
        line(&json!({"title": "خبر", "body": PARAGRAPH})),
    );
    let (run, s) = index(&dir, &["news"]);
    // A note is no skip: the run succeeds.
    assert_eq!(run.code, 0, "{}", run.stderr);
    let notes: Vec<&str> = s["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .map(|n| n.as_str().expect("note"))
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("many.txt: "), "{notes:?}");
    assert!(
        notes[0].contains("% of the text was left out as related headlines, read-also markers"),
        "{notes:?}"
    );
    let stderr: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(stderr.len(), 1, "{}", run.stderr);
    assert!(
        stderr[0].starts_with("akhbar: note: ") && stderr[0].contains("many.txt: "),
        "{}",
        run.stderr
    );

    // The counts: every headline line and both markers, white space aside.
    let chars = |t: &str| t.chars().filter(|c| !c.is_whitespace()).count() as u64;
    let headlines: u64 = [0, 6]
        .iter()
        .map(|&n| {
            page_with_headlines(n)
                .lines()
                .skip(4)
                .map(chars)
                .sum::<u64>()
        })
        .sum();
    let markers = 2 * chars("اقرأ أيضاً:");
    let by_reason = &s["chars_left_out_by_reason"];
    assert_eq!(by_reason["related_headline"], headlines, "{s:#}");
    assert_eq!(by_reason["read_also_marker"], markers, "{s:#}");
    assert_eq!(count(&s, "chars_left_out"), headlines + markers);
    // Indexed: title, body and source of each article (JSON included).
    let page_chars = chars("خبر عن المرور") + chars(PARAGRAPH) + chars("نشرة الاختبار");
    let json_chars = chars("خبر") + chars(PARAGRAPH);
    assert_eq!(count(&s, "chars_indexed"), 2 * page_chars + json_chars);

    // An unchanged run reads nothing and counts nothing.
    let (run, s) = index(&dir, &["news"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(&s, &[("chars_indexed", 0), ("chars_left_out", 0)]);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn text_files_read_by_an_older_page_reader_are_read_again() {
    let dir = Dir::new();
    dir.write("news/page.txt", page("خبر عن المرور", PARAGRAPH));
    dir.write(
        "news/feed.jsonl",
        line(&json!({"title": "خبر", "body": PARAGRAPH})),
    );
    let index_dir = dir.path().join("index");
    let (run, _) = index(&dir, &["news"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let current = manifest_key(&index_dir, "text_reader_version");
    assert!(current.as_u64().is_some_and(|v| v > 1), "{current}");

    set_manifest_key(&index_dir, "text_reader_version", json!(1));
    let (run, s) = index(&dir, &["news"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_counts(
        &s,
        &[
            ("files_indexed", 1),
            ("files_unchanged", 1),
            // Read again; the same article came out, so it stays as it was.
            ("articles_kept", 1),
            ("articles_updated", 0),
            ("articles_deleted", 0),
            ("articles_total", 2),
        ],
    );
    assert_eq!(manifest_key(&index_dir, "text_reader_version"), current);
    let (_, s) = index(&dir, &["news"]);
    assert_counts(&s, &[("files_indexed", 0), ("files_unchanged", 2)]);
}

#[test]
fn files_of_unread_types_are_counted_by_extension_and_noted() {
    let dir = Dir::new();
    dir.write(
        "news/feed.jsonl",
        line(&json!({"id": "n1", "title": "خبر", "body": PARAGRAPH})),
    );
    dir.write("news/scan.pdf", b"%PDF-1.4\n");
    dir.write("news/old/scan2.PDF", b"%PDF-1.4\n");
    dir.write("news/notes.docx", b"PK\x03\x04");
    dir.write("news/README", "ملاحظات");
    // Hidden files stay skipped quietly, as documented.
    dir.write("news/.cache.pdf", b"%PDF-1.4\n");
    let (run, s) = index(&dir, &["news"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        s["files_unsupported"],
        json!({".pdf": 2, ".docx": 1, "(none)": 1})
    );
    assert_eq!(count(&s, "files_seen"), 1);
    assert_eq!(count(&s, "files_skipped"), 0);
    assert!(
        run.stderr
            .lines()
            .any(|l| l == "akhbar: note: 4 files not read: .pdf 2, (none) 1, .docx 1"),
        "{}",
        run.stderr
    );
    // The text summary says it too.
    let text = dir.akhbar(&["index", "--quiet", "news"]);
    assert!(
        text.stdout.contains("4 files not read: .pdf 2"),
        "{}",
        text.stdout
    );
    // Nothing unread: an empty object and no note.
    let clean = Dir::new();
    clean.write(
        "news/feed.jsonl",
        line(&json!({"id": "n1", "title": "خبر", "body": PARAGRAPH})),
    );
    let (run, s) = index(&clean, &["news"]);
    assert_eq!(s["files_unsupported"], json!({}));
    assert!(!run.stderr.contains("not read"), "{}", run.stderr);
}
