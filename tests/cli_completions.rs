//! End-to-end tests of `akhbar completions` (sourced in a real bash, which
//! must then complete commands and flags) and `akhbar man` (rendered by
//! groff when the machine has it).

mod common;

use std::process::Command;

use common::{skipped, Dir};

/// What bash's completion function offers for the words typed so far
/// (called as bash calls it: command, current word, previous word).
fn complete(script: &std::path::Path, words: &[&str]) -> Vec<String> {
    let line = words.join(" ");
    let program = format!(
        "source '{}'; COMP_WORDS=({line}); COMP_CWORD={}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}; _akhbar akhbar \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        words.len() - 1
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_commands_and_flags() {
    if Command::new("bash").arg("--version").output().is_err() {
        skipped("bash_completes_commands_and_flags: no bash on this machine");
        return;
    }
    let dir = Dir::new();
    let run = dir.akhbar(&["completions", "bash"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let script = dir.write("akhbar.bash", &run.stdout);

    let commands = complete(&script, &["akhbar", "se"]);
    assert!(
        commands.contains(&"search".to_string()) && commands.contains(&"serve".to_string()),
        "{commands:?}"
    );
    assert!(!commands.contains(&"index".to_string()), "{commands:?}");
    let flags = complete(&script, &["akhbar", "search", "--no-c"]);
    assert!(
        flags.contains(&"--no-collapse".to_string()) && flags.contains(&"--no-color".to_string()),
        "{flags:?}"
    );
    let shells = complete(&script, &["akhbar", "completions", "z"]);
    assert_eq!(shells, ["zsh"]);
}

#[test]
fn other_shells_and_a_bad_one() {
    let dir = Dir::new();
    for (shell, mark) in [("zsh", "#compdef akhbar"), ("fish", "complete -c akhbar")] {
        let run = dir.akhbar(&["completions", shell]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stdout.contains(mark),
            "{shell}: {}",
            &run.stdout[..200.min(run.stdout.len())]
        );
    }
    let run = dir.akhbar(&["completions", "tcsh"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("possible values"), "{}", run.stderr);
}

#[test]
fn man_page_renders() {
    let dir = Dir::new();
    let run = dir.akhbar(&["man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with(".ie") || run.stdout.contains(".TH akhbar 1"),
        "{}",
        &run.stdout[..200.min(run.stdout.len())]
    );
    let page = dir.write("akhbar.1", &run.stdout);

    let run = dir.akhbar(&["man", "--out", "pages"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for name in ["akhbar.1", "akhbar-search.1", "akhbar-index.1"] {
        assert!(
            dir.path().join("pages").join(name).is_file(),
            "{name} written"
        );
    }

    let Ok(out) = Command::new("groff")
        .args(["-man", "-Tutf8", "-P-cbou"])
        .arg(&page)
        .output()
    else {
        skipped("man_page_renders: no groff here to render the page");
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for expected in ["NAME", "SYNOPSIS", "search", "completions"] {
        assert!(text.contains(expected), "no {expected} in:\n{text}");
    }
}
