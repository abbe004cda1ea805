//! The entities akhbar finds in texts typed or piped in, one text a line:
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
        for (found, _) in extractor.extract(&[&line]) {
            let origin = match (found.known, found.weak) {
                (true, _) => "table",
                (false, true) => "rule, weak",
                (false, false) => "rule",
            };
            let spans: Vec<&str> = found
                .mentions
                .iter()
                .filter_map(|r| line.get(r.clone()))
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
