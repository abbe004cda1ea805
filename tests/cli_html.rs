//! End-to-end tests of issue 19: saved web pages are read (main text
//! only), through `akhbar index`, `akhbar search` and `akhbar analyze
//! --file`. Every page here was written for the project.

mod common;

use std::io::Write;

use serde_json::Value;

use common::{stored_docs, Dir};

/// The page of the issue: an `<article>` with `<h1>`, `<time datetime>`,
/// two paragraphs, plus `<nav>` and `<footer>`.
const PAGE: &str = r#"<!doctype html>
<html lang="ar"><head><meta charset="utf-8"><title>وصول وفد تجاري إلى بغداد - صحيفة الرافدين</title>
<meta property="og:site_name" content="صحيفة الرافدين"></head>
<body>
<nav><a href="/">الرئيسية</a> <a href="/sport">رياضة</a> <a href="/culture">ثقافة</a></nav>
<article>
<h1>وصول وفد تجاري إلى بغداد</h1>
<time datetime="2026-05-02T10:00:00+03:00">٢ أيار ٢٠٢٦</time>
<p>وصل إلى بغداد اليوم وفد تجاري يضم ممثلين عن عشرين شركة للبحث في فرص الاستثمار في قطاع البناء.</p>
<p>ومن المنتظر أن يلتقي الوفد غرفة التجارة قبل أن يزور عددا من المشاريع المتوقفة في ضواحي العاصمة.</p>
</article>
<footer><p>جميع الحقوق محفوظة لصحيفة الرافدين</p></footer>
</body></html>
"#;

fn index(dir: &Dir, args: &[&str]) -> (common::Run, Value) {
    let mut all = vec!["index", "--json", "--quiet", "--index", "index"];
    all.extend_from_slice(args);
    let run = dir.akhbar(&all);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let json = run.json();
    (run, json)
}

fn search(dir: &Dir, query: &str) -> Vec<Value> {
    let run = dir.akhbar(&["search", "--json", "--index", "index", query]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()["hits"].as_array().expect("hits").clone()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).expect("gzip");
    e.finish().expect("gzip")
}

#[test]
fn a_saved_page_is_indexed_and_found_by_its_main_text_only() {
    let dir = Dir::new();
    dir.write("web/a.html", PAGE);
    dir.write(
        "web/old/b.htm.gz",
        gzip(PAGE.replace("بغداد", "البصرة").as_bytes()),
    );
    let (run, s) = index(&dir, &["web"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(s["files_seen"], 2);
    assert_eq!(s["files_indexed"], 2);
    assert_eq!(s["articles_added"], 2);
    assert_eq!(s["files_unsupported"], serde_json::json!({}));
    assert!(
        s["chars_left_out_by_reason"]["page_chrome"].as_u64() > Some(0),
        "{s:#}"
    );
    // Navigation and footer are no note: every web page has them.
    assert_eq!(s["notes"], serde_json::json!([]));

    let hits = search(&dir, "بغداد");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["id"], "a.html");
    assert_eq!(hits[0]["title"], "وصول وفد تجاري إلى بغداد");
    assert_eq!(search(&dir, "البصرة").len(), 1);
    // Navigation and footer text was left out.
    assert!(search(&dir, "الرئيسية").is_empty());
    assert!(search(&dir, "الحقوق").is_empty());

    let docs = stored_docs(&dir.path().join("index"));
    let doc = docs
        .iter()
        .find(|d| d["id"] == "a.html")
        .expect("a.html stored");
    assert_eq!(doc["source"], "صحيفة الرافدين");
    assert!(doc["body"]
        .as_str()
        .expect("body")
        .starts_with("وصل إلى بغداد اليوم"));
    assert!(doc["date_text"]
        .as_str()
        .expect("date")
        .starts_with("2026-05-02"));

    // A second run: nothing changed.
    let (_, s) = index(&dir, &["web"]);
    assert_eq!(s["files_unchanged"], 2);
    assert_eq!(s["articles_added"], 0);
}

#[test]
fn broken_pages_are_reported_with_their_path_and_the_run_goes_on() {
    let dir = Dir::new();
    dir.write("web/good.html", PAGE);
    dir.write("web/image.html", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0");
    dir.write("web/empty.html", b"");
    dir.write(
        "web/script-only.html",
        "<html><body><script>var x = 1;</script></body></html>",
    );
    let cut = gzip(PAGE.as_bytes());
    dir.write("web/cut.html.gz", &cut[..cut.len() / 2]);
    // Over the 16 MiB page limit.
    let big = format!(
        "<html><body><p>{}</p></body></html>",
        "كلمة ".repeat(2_000_000)
    );
    dir.write("web/huge.html", big);
    let (run, s) = index(&dir, &["web"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(s["files_indexed"], 1);
    assert_eq!(s["files_skipped"], 5);
    let skipped: Vec<&str> = s["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for (file, why) in [
        ("image.html", "binary"),
        ("empty.html", "empty"),
        ("script-only.html", "no text"),
        ("cut.html.gz", "gzip"),
        ("huge.html", "larger than 16 MiB"),
    ] {
        assert!(
            skipped.iter().any(|l| l.contains(file) && l.contains(why)),
            "{file}: {why} not in {skipped:#?}"
        );
    }
    assert_eq!(search(&dir, "بغداد").len(), 1);
}

#[test]
fn analyze_file_shows_what_a_page_gave_and_left_out() {
    let dir = Dir::new();
    let path = dir.write("a.html", PAGE);
    let run = dir.akhbar(&["analyze", "--file", path.to_str().expect("utf8"), "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["format"], "html");
    assert_eq!(json["articles"][0]["title"], "وصول وفد تجاري إلى بغداد");
    assert_eq!(json["articles"][0]["date"], "2026-05-02");
    let left: Vec<(&str, &str)> = json["left_out"]
        .as_array()
        .expect("left_out")
        .iter()
        .map(|l| {
            (
                l["reason"].as_str().unwrap_or(""),
                l["text"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(
        left.contains(&("page_chrome", "الرئيسية رياضة ثقافة")),
        "{left:?}"
    );
    assert!(
        left.contains(&("page_chrome", "جميع الحقوق محفوظة لصحيفة الرافدين")),
        "{left:?}"
    );
}

/// A WARC record with its headers and block.
fn record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{kind}-{}>\r\nWARC-Date: 2026-06-01T08:00:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        uri.len(),
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

/// An HTTP response record.
fn http(uri: &str, status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut block = format!("HTTP/1.1 {status}\r\n{headers}\r\n").into_bytes();
    block.extend_from_slice(body);
    record(
        "response",
        uri,
        "application/http; msgtype=response",
        &block,
    )
}

fn article_page(title: &str, paragraph: &str) -> String {
    format!(
        "<html><head><title>{title}</title></head><body><nav><a href=\"/\">الصفحة الأولى</a></nav>\
         <article><h1>{title}</h1><p>{paragraph}</p></article><footer>حقوق النشر محفوظة</footer></body></html>"
    )
}

/// The test archive's records, and the byte where the truncated last one
/// starts.
fn archive() -> (Vec<Vec<u8>>, usize) {
    let page1 = article_page(
        "مزارعو الزيتون يبدأون موسم القطاف",
        "بدأ مزارعو الزيتون في السهول الشمالية موسم القطاف مبكرا هذا العام بسبب ارتفاع درجات الحرارة.",
    );
    let page2 = article_page(
        "قطار سريع يربط المدينتين الساحليتين",
        "أعلنت وزارة النقل أن القطار السريع سيختصر الرحلة بين المدينتين الساحليتين إلى ساعة واحدة.",
    );
    let page3 = article_page(
        "معرض للحرف اليدوية في السوق القديم",
        "يعرض الحرفيون في السوق القديم منتجاتهم من النحاس والفخار والسجاد طوال الأسبوع المقبل.",
    );
    // Page 2: gzip content encoding, chunked transfer.
    let gz = gzip(page2.as_bytes());
    let mut chunked = Vec::new();
    for chunk in gz.chunks(100) {
        chunked.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        chunked.extend_from_slice(chunk);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    // Page 3: Windows-1256, named only by the HTTP header.
    let (w1256, _, _) = encoding_rs::WINDOWS_1256.encode(&page3);
    let records =
        vec![
        record("warcinfo", "", "application/warc-fields", b"software: akhbar-tests\r\n"),
        record(
            "request",
            "https://news.example/olive",
            "application/http; msgtype=request",
            b"GET /olive HTTP/1.1\r\nHost: news.example\r\n\r\n",
        ),
        http(
            "https://news.example/olive",
            "200 OK",
            "Content-Type: text/html; charset=utf-8\r\n",
            page1.as_bytes(),
        ),
        record(
            "metadata",
            "https://news.example/olive",
            "application/warc-fields",
            "note: صفحة محفوظة للاختبار\r\n".as_bytes(),
        ),
        http(
            "https://news.example/logo.png",
            "200 OK",
            "Content-Type: image/png\r\n",
            b"\x89PNG\r\n\x1a\n\0\0",
        ),
        http(
            "https://news.example/train",
            "200 OK",
            "Content-Type: text/html\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
            &chunked,
        ),
        http(
            "https://news.example/missing",
            "404 Not Found",
            "Content-Type: text/html\r\n",
            article_page("صفحة غير موجودة", "لم نعثر على الصفحة المطلوبة في الموقع.").as_bytes(),
        ),
        http(
            "https://news.example/crafts",
            "200 OK",
            "Content-Type: text/html; charset=windows-1256\r\n",
            &w1256,
        ),
    ];
    let last = http(
        "https://news.example/cut",
        "200 OK",
        "Content-Type: text/html\r\n",
        article_page("خبر مقطوع", "هذا الخبر لن يكتمل أبدا في الأرشيف.").as_bytes(),
    );
    let start: usize = records.iter().map(Vec::len).sum();
    let mut all = records;
    all.push(last[..last.len() - 60].to_vec());
    (all, start)
}

fn check_archive_run(dir: &Dir, name: &str, truncated_at: usize) {
    let (run, s) = index(dir, &["web"]);
    // The cut last record gives what it holds, with a note (as warcio
    // reads it): nothing is skipped.
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(s["files_indexed"], 1, "{s:#}");
    assert_eq!(s["articles_added"], 4, "{s:#}");
    assert_eq!(s["records_skipped"], 0, "{s:#}");
    assert_eq!(s["pages_noted"], 1, "{s:#}");
    let note = s["notes"][0].as_str().expect("note");
    let expected = format!(
        "web/{name}: WARC record at byte {truncated_at} (https://news.example/cut): truncated (Content-Length "
    );
    assert!(
        note.starts_with(&expected) && note.contains("the page was read from what it holds"),
        "{note}"
    );
    assert!(
        run.stderr
            .contains(&format!("akhbar: note: {}", &expected[..20])),
        "{}",
        run.stderr
    );
    for (query, uri) in [
        ("الزيتون", "https://news.example/olive"),
        ("القطار", "https://news.example/train"),
        ("الحرفيون", "https://news.example/crafts"),
    ] {
        let hits = search(dir, query);
        assert_eq!(hits.len(), 1, "{query}: {hits:?}");
        assert_eq!(hits[0]["id"], uri);
    }
    let cut = search(dir, "الأرشيف");
    assert_eq!(cut.len(), 1, "{cut:?}");
    assert_eq!(cut[0]["id"], "https://news.example/cut");
    for absent in ["غير موجودة", "للاختبار", "الصفحة الأولى", "حقوق"]
    {
        assert!(search(dir, absent).is_empty(), "{absent}");
    }
    let docs = stored_docs(&dir.path().join("index"));
    let olive = docs
        .iter()
        .find(|d| d["id"] == "https://news.example/olive")
        .expect("olive");
    assert_eq!(olive["url"], "https://news.example/olive");
    // where its record starts: the line of its `WARC/1.1` (of the
    // gunzipped text for `.warc.gz`)
    let (records, _) = archive();
    let before = records[..2].concat();
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count() as u64;
    assert_eq!(olive["line"], line, "{olive:?}");
    let hits = search(dir, "الزيتون");
    assert_eq!(hits[0]["line"], line);
    assert!(olive["date_text"]
        .as_str()
        .expect("date")
        .starts_with("2026-06-01"));
}

#[test]
fn warc_responses_become_articles_once_and_a_truncated_record_is_reported() {
    let (records, truncated_at) = archive();
    let dir = Dir::new();
    let path = dir.write("web/crawl.warc", records.concat());
    check_archive_run(&dir, "crawl.warc", truncated_at);

    // analyze --file: the pages, the other records by kind, the damage.
    let path = path.to_str().expect("utf8");
    let run = dir.akhbar(&["analyze", "--file", path, "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["format"], "warc");
    assert_eq!(json["articles"].as_array().map(Vec::len), Some(4));
    assert_eq!(json["articles"][0]["id"], "https://news.example/olive");
    assert_eq!(
        json["other_records"],
        serde_json::json!({"warcinfo": 1, "request": 1, "metadata": 1,
            "response image/png": 1, "response 404": 1})
    );
    assert_eq!(json["problems"].as_array().map(Vec::len), Some(0));
    assert_eq!(json["notes"].as_array().map(Vec::len), Some(1));
    let text = dir.akhbar(&["analyze", "--file", path]);
    assert!(
        text.stdout.contains("\nleft out (7 blocks):\n  block 1 "),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("other records, not pages: metadata 1, request 1, response 404 1"),
        "{}",
        text.stdout
    );

    // Gzipped as crawlers write it: one gzip member per record.
    let dir = Dir::new();
    let members: Vec<u8> = records.iter().flat_map(|r| gzip(r)).collect();
    dir.write("web/crawl.warc.gz", members);
    check_archive_run(&dir, "crawl.warc.gz", truncated_at);
}

#[test]
fn an_archive_without_pages_is_skipped_with_that_reason() {
    let (records, _) = archive();
    let dir = Dir::new();
    // warcinfo, request, metadata: no HTML response.
    dir.write(
        "web/empty.warc",
        [records[0].clone(), records[1].clone(), records[3].clone()].concat(),
    );
    let run = dir.akhbar(&["index", "web", "--index", "idx", "--json", "--quiet"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let skipped = run.json()["skipped"].to_string();
    assert!(
        skipped.contains("empty.warc: no HTML page among the WARC records"),
        "{skipped}"
    );
}

#[test]
fn a_lying_content_length_costs_its_record_only() {
    let (records, _) = archive();
    // The olive response claims 40 bytes fewer than it has.
    let olive = String::from_utf8_lossy(&records[2]).into_owned();
    let length: usize = olive
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .and_then(|n| n.trim().parse().ok())
        .expect("length");
    let lying = olive.replacen(
        &format!("Content-Length: {length}"),
        &format!("Content-Length: {}", length - 40),
        1,
    );
    let mut bytes = records[..2].concat();
    let at = bytes.len();
    bytes.extend_from_slice(lying.as_bytes());
    bytes.extend_from_slice(&records[3..records.len() - 1].concat());
    let dir = Dir::new();
    dir.write("web/lying.warc", bytes);
    let (run, s) = index(&dir, &["web"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(s["articles_added"], 2, "{s:#}");
    assert_eq!(
        s["skipped"][0],
        format!(
            "web/lying.warc: WARC record at byte {at}: Content-Length {} does not end at the record's end; record skipped",
            length - 40
        )
    );
    assert_eq!(search(&dir, "القطار").len(), 1);
    assert_eq!(search(&dir, "الحرفيون").len(), 1);
}

/// Issue 27: pages that used to be skipped or read as empty. An ASP.NET
/// page (everything inside one `<form>`), an undeclared Windows-1252
/// page, a page holding a NUL byte: indexed by their main text. A page
/// whose visible text is only links: indexed with an empty body and a
/// note naming it, counted in `pages_noted`.
#[test]
fn issue_27_no_page_skipped_for_its_bytes_or_read_empty_silently() {
    let dir = Dir::new();
    let form = PAGE
        .replace("<body>", "<body><form method=\"post\" action=\"./a.aspx\" id=\"aspnetForm\">")
        .replace("</body>", "<div class=\"sidebar\"><p>اشترك في النشرة البريدية لتصلك الأخبار كل صباح</p></div></form></body>");
    dir.write("web/form.html", form);
    let french = "<html><head><title>La gare rouvre</title></head><body><article><p>Le café de la gare a rouvert ses portes après des mois de travaux, à la grande joie des habitués du quartier.</p></article></body></html>";
    dir.write("web/latin.html", encoding_rs::WINDOWS_1252.encode(french).0);
    dir.write(
        "web/nul.html",
        PAGE.replace("<p>وصل", "<p>\0وصل")
            .replace("بغداد", "الموصل"),
    );
    let links: String = (1..=10)
        .map(|n| format!("<li><a href=\"/n/{n}\">عنوان خبر آخر رقم {n} في القائمة</a></li>"))
        .collect();
    dir.write(
        "web/shell.html",
        format!(
            "<html><head><title>واجهة الموقع</title></head><body><ul>{links}</ul></body></html>"
        ),
    );
    let (run, s) = index(&dir, &["web"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(s["files_indexed"], 4, "{s:#}");
    assert_eq!(s["files_skipped"], 0, "{s:#}");
    assert_eq!(s["pages_noted"], 1, "{s:#}");
    assert_eq!(s["empty_bodies"], 1, "{s:#}");
    assert!(
        run.stderr
            .contains("akhbar: note: web/shell.html: its main text is empty")
            && run
                .stderr
                .contains("(see akhbar analyze --file web/shell.html)"),
        "{}",
        run.stderr
    );
    assert_eq!(search(&dir, "بغداد").len(), 1);
    assert_eq!(search(&dir, "الموصل").len(), 1);
    assert!(search(&dir, "النشرة").is_empty(), "the sidebar is left out");
    let hits = search(&dir, "café");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["id"], "latin.html");

    // analyze --file says which block the body came from.
    let run = dir.akhbar(&["analyze", "--file", "web/form.html", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let explain = run.json()["articles"][0]["explain"][0]
        .as_str()
        .map(str::to_string)
        .unwrap_or_default();
    assert!(
        explain.starts_with("body from the page's main block <article>"),
        "{explain}"
    );
    let run = dir.akhbar(&["analyze", "--file", "web/shell.html"]);
    assert!(
        run.stdout.contains("\nnote: its main text is empty"),
        "{}",
        run.stdout
    );
}
