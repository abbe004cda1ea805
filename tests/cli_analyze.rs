//! End-to-end tests of `akhbar analyze`.

mod common;

use common::Dir;

#[test]
fn analyze_shows_offsets_into_the_diacritized_text() {
    let text = "وَلِلْمُعْتَقَلِينَ في سُورِيَا";
    let run = Dir::new().akhbar(&["analyze", text]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("#0 [0..38] وَلِلْمُعْتَقَلِينَ"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("normalized: وللمعتقلين"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("معتقل"), "{}", run.stdout);
}

#[test]
fn analyze_json_offsets_slice_the_original_words() {
    let text = "قالَ الوزيـــرُ: «الأَمْنُ أوّلاً» في ٢٠٢٤.";
    let run = Dir::new().akhbar(&["analyze", "--json", text]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    let tokens = json["tokens"].as_array().expect("tokens");
    assert_eq!(tokens.len(), 6);
    for t in tokens {
        let start = t["start"].as_u64().expect("start") as usize;
        let end = t["end"].as_u64().expect("end") as usize;
        assert_eq!(&text[start..end], t["original"].as_str().expect("original"));
    }
    assert_eq!(tokens[1]["normalized"], "الوزير");
    assert_eq!(tokens[5]["normalized"], "2024");
}

#[test]
fn analyze_one_analyzer_only() {
    let run = Dir::new().akhbar(&["analyze", "--analyzer", "exact", "--json", "بالعراق"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let token = &run.json()["tokens"][0];
    assert!(token.get("keyword").is_none());
    let exact: Vec<&str> = token["exact"]
        .as_array()
        .expect("exact")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert_eq!(exact, ["بالعراق", "العراق", "عراق"]);
}

#[test]
fn analyze_unknown_analyzer_is_a_clear_error() {
    let run = Dir::new().akhbar(&["analyze", "--analyzer", "snowball", "نص"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unknown analyzer"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"));
}

#[test]
fn output_closed_by_the_reader_is_a_quiet_success() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    // Far more output than a pipe buffers, read 16 bytes of, then closed.
    let text = "وَلِلْمُعْتَقَلِينَ في سُورِيَا ".repeat(1500);
    let mut child = Command::new(env!("CARGO_BIN_EXE_akhbar"))
        .args(["analyze", "--json", &text])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("akhbar starts");
    let mut stdout = child.stdout.take().expect("stdout piped");
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).expect("some output");
    drop(stdout);
    let output = child.wait_with_output().expect("akhbar ends");
    assert!(output.status.success(), "{:?}", output.status);
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn analyze_file_shows_articles_and_left_out_lines() {
    let page = common::sample_corpus().join("pages/101-read-also-second-article.txt");
    let page = page.to_str().expect("utf8 path");
    let run = Dir::new().akhbar(&["analyze", "--file", page]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for expected in [
        "2 articles;",
        "article 1  id 101-read-also-second-article.txt\n",
        "article 2  id 101-read-also-second-article.txt#2\n",
        "  title:  زراعة الزعفران تنجح في المرتفعات الجنوبية بعد ثلاثة مواسم من التجارب",
        "  date:   2024-10-03",
        "  source: بوابة السنبلة",
        "  body:   126 words: نجحت مجموعة من المزارعين",
        "left out (4 lines):",
        "  line 10    read-also markers: إقرأ أيضاً:",
        "  line 12    boilerplate: تابع أحدث الأخبار عبر تطبيق",
        "  line 15    links to other stories: للمزيد.. مزارعو الهضبة",
    ] {
        assert!(
            run.stdout.contains(expected),
            "{expected:?} not in:\n{}",
            run.stdout
        );
    }

    let run = Dir::new().akhbar(&["analyze", "--file", page, "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    let articles = json["articles"].as_array().expect("articles");
    assert_eq!(articles.len(), 2);
    assert_eq!(articles[1]["id"], "101-read-also-second-article.txt#2");
    assert_eq!(articles[1]["date"], "2024-10-03");
    let reasons: Vec<(u64, &str)> = json["left_out"]
        .as_array()
        .expect("left_out")
        .iter()
        .map(|l| {
            let line = l["line"].as_u64().expect("line");
            (line, l["reason"].as_str().expect("reason"))
        })
        .collect();
    assert_eq!(
        reasons,
        [
            (10, "read_also_marker"),
            (12, "boilerplate"),
            (15, "related_link"),
            (18, "related_link")
        ]
    );
    let chars: u64 = json["left_out"]
        .as_array()
        .expect("left_out")
        .iter()
        .map(|l| l["chars"].as_u64().expect("chars"))
        .sum();
    assert_eq!(json["chars_left_out"], chars);
}

#[test]
fn analyze_file_lists_json_lines_articles_and_bad_lines() {
    let dir = Dir::new();
    dir.write(
        "feed.jsonl",
        "{\"id\": \"a-1\", \"title\": \"خبر أول\", \"body\": \"نص الخبر الأول\", \"date\": \"2024-01-02\"}\n\
         {broken\n\
         {\"title\": \"خبر بلا معرف\", \"body\": \"نص\"}\n",
    );
    let run = dir.akhbar(&["analyze", "--file", "feed.jsonl", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["format"], "jsonl");
    let ids: Vec<&str> = json["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .map(|a| a["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["a-1", "feed.jsonl#2"]);
    assert_eq!(json["left_out"].as_array().map(Vec::len), Some(0));
    assert_eq!(json["problems"][0]["line"], 2);
}

#[test]
fn analyze_file_that_cannot_be_read_exits_2() {
    let dir = Dir::new();
    let run = dir.akhbar(&["analyze", "--file", "missing.txt"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("cannot read missing.txt: file not found"),
        "{}",
        run.stderr
    );
    let run = dir.akhbar(&["analyze"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}
