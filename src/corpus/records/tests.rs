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
