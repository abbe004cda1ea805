//! The entities akhbar finds in texts typed or piped in, one article a
//! line (a title and a body separated by a tab, as the index reads them;
//! `\n` for a line break):
//! each name with its type, the spellings found and whether it comes from
//! the alias table — for looking at one sentence while working on the
//! rules and the model (issue 29).
//!
//! ```sh
//! echo 'قال وزير الطاقة الروسي ألكسندر نوفاك' | cargo run --release --example entities_text
//! ```

use std::io::BufRead;
use std::sync::Arc;

use akhbar::entities::{AliasTable, Extractor};

fn main() {
    let mut extractor = Extractor::new(Arc::new(AliasTable::builtin()));
    for line in std::io::stdin().lock().lines() {
        let line = match line {
            Ok(line) => line,
            Err(problem) => {
                eprintln!("stdin: {problem}");
                std::process::exit(1);
            }
        };
        println!("{line}");
        // a written \n is a line break (paragraphs of a body on one line)
        let line = line.replace("\\n", "\n");
        let texts: Vec<&str> = line.splitn(2, '\t').collect();
        for (found, text_of) in extractor.extract(&texts) {
            let origin = match (found.known, found.weak) {
                (true, _) => "table",
                (false, true) => "rule, weak",
                (false, false) => "rule",
            };
            let spans: Vec<&str> = found
                .mentions
                .iter()
                .zip(&text_of)
                .filter_map(|(r, &t)| texts.get(t).and_then(|text| text.get(r.clone())))
                .collect();
            println!(
                "  {} {} ({origin}) forms {:?} mentions {:?}",
                found.kind.code(),
                found.display,
                found.forms,
                spans
            );
        }
    }
}
