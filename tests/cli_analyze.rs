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
