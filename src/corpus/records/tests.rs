use super::*;

fn reader(bytes: &[u8], format: Format) -> RecordReader {
    RecordReader::new(Source::from_bytes(bytes.to_vec()), format).expect("opens")
}

/// One record seen from outside: (first ordinal, titles, problem lines,
/// resumable).
type Seen = (u64, Vec<String>, Vec<Option<usize>>, bool);

/// Every record of a reader.
fn all(r: &mut RecordReader) -> Vec<Seen> {
    let mut out = Vec::new();
    while let Some(rec) = r.next_record() {
        let rec = rec.expect("no stream error");
        out.push((
            rec.first,
            rec.articles.iter().map(|a| a.title.clone()).collect(),
            rec.problems.iter().map(|p| p.line).collect(),
            rec.resumable,
        ));
    }
    out
}

fn titles(r: &mut RecordReader) -> Vec<String> {
    all(r).into_iter().flat_map(|(_, t, _, _)| t).collect()
}

const LINES: &str = "{\"title\": \"أ\"}\n\n{bad\n{\"title\": \"ب\"}\n{\"title\": \"ج\"}";

#[test]
fn layouts_split_into_records() {
    let cases: &[(&str, Format, &[&str])] = &[
        (LINES, Format::JsonLines, &["أ", "ب", "ج"]),
        (
            " [ {\"title\": \"أ\"} ,\n{\"title\": \"ب\", \"x\": [\"]\", \"}\\\"\"]}]\n",
            Format::Json,
            &["أ", "ب"],
        ),
        ("{\"title\": \"أ\"}", Format::Json, &["أ"]),
        (
            "\n<DOC>\n<TITLE>أ</TITLE>\n</DOC>\n<DOC><TITLE>ب</TITLE></DOC>",
            Format::Text,
            &["أ", "ب"],
        ),
        (
            "\u{FEFF}عنوان الصفحة\nالمتن",
            Format::Text,
            &["عنوان الصفحة"],
        ),
        ("[]", Format::Json, &[]),
    ];
    for (text, format, expected) in cases {
        let got = titles(&mut reader(text.as_bytes(), *format));
        assert_eq!(got, *expected, "{text:?}");
    }
}

#[test]
fn records_carry_lines_ordinals_and_resume_points() {
    let got = all(&mut reader(LINES.as_bytes(), Format::JsonLines));
    assert_eq!(
        got,
        vec![
            (0, vec!["أ".to_string()], vec![], true),
            (1, vec![], vec![Some(3)], true),
            (1, vec!["ب".to_string()], vec![], true),
            (2, vec!["ج".to_string()], vec![], false),
        ]
    );
}

#[test]
fn resume_goes_on_after_an_unchanged_prefix_only() {
    let bytes = LINES.as_bytes();
    let mut r = reader(bytes, Format::JsonLines);
    r.next_record();
    r.next_record();
    r.next_record();
    let at = r.position();
    assert_eq!((at.line, at.articles), (5, 2));
    let mut again = reader(bytes, Format::JsonLines);
    assert!(again.resume(&at));
    assert_eq!(
        all(&mut again),
        vec![(2, vec!["ج".to_string()], vec![], false)]
    );
    assert_eq!(again.hash(), blake3::hash(bytes).to_hex().to_string());

    // Appended after the resume point: still resumable.
    let longer = format!("{LINES}\n{{\"title\": \"د\"}}\n");
    let mut appended = reader(longer.as_bytes(), Format::JsonLines);
    assert!(appended.resume(&at));
    assert_eq!(titles(&mut appended), ["ج", "د"]);

    // Edited before it: not.
    let edited = LINES.replace("أ", "ا");
    assert!(!reader(edited.as_bytes(), Format::JsonLines).resume(&at));
    assert!(!reader(&bytes[..10], Format::JsonLines).resume(&at));
}

#[test]
fn resume_inside_a_json_array_and_a_trec_file() {
    let cases: &[(&str, Format)] = &[
        (
            "[{\"title\": \"أ\"}, {\"title\": \"ب\"},\n {\"title\": \"ج\"}]",
            Format::Json,
        ),
        (
            "<DOC><TITLE>أ</TITLE></DOC>\n<DOC><TITLE>ب</TITLE></DOC>\n<DOC><TITLE>ج</TITLE></DOC>",
            Format::Text,
        ),
    ];
    for (text, format) in cases {
        let mut r = reader(text.as_bytes(), *format);
        r.next_record();
        let rec = r.next_record().expect("second").expect("ok");
        assert!(rec.resumable, "{text:?}");
        let at = r.position();
        let mut again = reader(text.as_bytes(), *format);
        assert!(again.resume(&at), "{text:?}");
        assert_eq!(titles(&mut again), ["ج"], "{text:?}");
    }
}

#[test]
fn oversized_and_broken_records_are_skipped_with_their_line() {
    let big = format!(
        "{{\"title\": \"أ\"}}\n{{\"title\": \"{}\"}}\n{{\"title\": \"ب\"}}\n",
        "x".repeat(MAX_RECORD_BYTES)
    );
    let got = all(&mut reader(big.as_bytes(), Format::JsonLines));
    let problems: Vec<Option<usize>> = got.iter().flat_map(|r| r.2.clone()).collect();
    assert_eq!(problems, [Some(2)]);
    assert_eq!(
        got.iter().flat_map(|r| r.1.clone()).collect::<Vec<_>>(),
        ["أ", "ب"]
    );

    let cut = "[{\"title\": \"أ\"},\n{\"title\": \"ب";
    let got = all(&mut reader(cut.as_bytes(), Format::Json));
    assert_eq!(got[0].1, ["أ"]);
    assert_eq!(got[1].2, [Some(2)]);
}

#[test]
fn truncated_gzip_after_the_first_records_names_the_line() {
    use std::io::Write;
    let line = "{\"title\": \"خبر\", \"body\": \"نص طويل بما يكفي لملء الذاكرة المؤقتة\"}\n";
    let text = line.repeat(4_000);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(text.as_bytes()).expect("gzip");
    let bytes = gz.finish().expect("gzip");
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("cut.jsonl.gz");
    std::fs::write(&path, &bytes[..bytes.len() * 3 / 4]).expect("write");
    let mut r = RecordReader::open(&path).expect("the first bytes are fine");
    let mut read = 0;
    let err = loop {
        match r.next_record() {
            Some(Ok(rec)) => read += rec.articles.len(),
            Some(Err(p)) => break p,
            None => panic!("no error reported"),
        }
    };
    assert!(read > 1000 && read < 4000, "{read}");
    assert_eq!(err.reason, "truncated gzip file");
    assert_eq!(err.line, Some(read + 1));
}

#[test]
fn left_out_lines_travel_with_their_record_numbered_as_file_lines() {
    use crate::corpus::left_out::Reason;
    // A TREC file: the second document's abstract is not in its body.
    let trec = "<DOC>\n<TITLE>أ</TITLE>\n<TEXT>\nمتن أول\n</TEXT>\n</DOC>\n\
        <DOC>\n<TITLE>ب</TITLE>\n<ABSTRACT>ملخص مختلف تماما</ABSTRACT>\n\
        <TEXT>\nمتن ثان\n</TEXT>\n</DOC>\n";
    let mut r = reader(trec.as_bytes(), Format::Text);
    let first = r.next_record().expect("one").expect("ok");
    assert!(first.left_out.is_empty());
    let second = r.next_record().expect("two").expect("ok");
    assert_eq!(second.left_out.len(), 1);
    assert_eq!(second.left_out[0].line, 9);
    assert_eq!(second.left_out[0].reason, Reason::Abstract);

    // A page whose read-also block has a body: two articles in one
    // record, the marker line left out.
    let page = "عنوان الصفحة\nمتن الصفحة الأول.\nاقرأ أيضاً:\nعنوان المقال الثاني\n\
        فقرة أولى من متن المقال الثاني وهي طويلة بما يكفي لتكون متنا.\n\
        فقرة ثانية من متن المقال الثاني تكمل الخبر وتزيد عليه.\n";
    let mut r = reader(page.as_bytes(), Format::Text);
    let rec = r.next_record().expect("page").expect("ok");
    let titles: Vec<&str> = rec.articles.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, ["عنوان الصفحة", "عنوان المقال الثاني"]);
    assert_eq!(rec.first, 0);
    assert!(
        rec.left_out
            .iter()
            .any(|l| l.line == 3 && l.reason == Reason::ReadAlsoMarker),
        "{:?}",
        rec.left_out
    );
    assert!(r.next_record().is_none());
}

/// Titles with the line their record starts on.
type Lines = Vec<(String, Option<u64>)>;

/// The line (or Parquet row) each article's record starts on.
fn lines(r: &mut RecordReader) -> Lines {
    let mut out = Vec::new();
    while let Some(rec) = r.next_record() {
        let rec = rec.expect("no stream error");
        out.extend(rec.articles.into_iter().map(|a| (a.title, a.line)));
    }
    out
}

#[test]
fn articles_know_the_line_their_record_starts_on() {
    let at = |pairs: &[(&str, u64)]| -> Lines {
        pairs
            .iter()
            .map(|(t, n)| (t.to_string(), Some(*n)))
            .collect()
    };
    let cases: &[(&str, Format, Lines)] = &[
        // a blank line and a bad line still count
        (
            LINES,
            Format::JsonLines,
            at(&[("أ", 1), ("ب", 4), ("ج", 5)]),
        ),
        (
            "[\n  {\"title\": \"أ\"},\n\n  {\"title\": \"ب\",\n \"body\": \"x\"}\n]",
            Format::Json,
            at(&[("أ", 2), ("ب", 4)]),
        ),
        (
            "\n<DOC>\n<TITLE>أ</TITLE>\n</DOC>\n<DOC><TITLE>ب</TITLE></DOC>",
            Format::Text,
            at(&[("أ", 2), ("ب", 5)]),
        ),
        // a quoted body over two lines: the next row starts two lines on
        (
            "title,body\r\nأ,\"سطر\r\nثان\"\r\nب,نص\r\n",
            Format::Delimited(b','),
            at(&[("أ", 2), ("ب", 4)]),
        ),
        // one article a file: no line
        (
            "{\"title\": \"أ\"}",
            Format::Json,
            vec![("أ".to_string(), None)],
        ),
        (
            "عنوان الصفحة\nالمتن",
            Format::Text,
            vec![("عنوان الصفحة".to_string(), None)],
        ),
    ];
    for (text, format, expected) in cases {
        assert_eq!(
            lines(&mut reader(text.as_bytes(), *format)),
            *expected,
            "{text:?}"
        );
    }
    // resumed: the lines go on from the resume point
    let mut r = reader(LINES.as_bytes(), Format::JsonLines);
    for _ in 0..3 {
        r.next_record();
    }
    let mut again = reader(LINES.as_bytes(), Format::JsonLines);
    assert!(again.resume(&r.position()));
    assert_eq!(lines(&mut again), at(&[("ج", 5)]));
}
