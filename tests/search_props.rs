//! Property test: any string as a query returns (results or a one-line
//! error) without panicking, through the same library path the CLI uses.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use akhbar::corpus::Problem;
use akhbar::index::{build, IndexOptions, Reporter};
use akhbar::index::{open_existing, OpenIndex};
use akhbar::search::{search, Page, SearchError, SearchRequest};
use proptest::prelude::*;

struct Quiet;

impl Reporter for Quiet {
    fn start(&mut self, _: usize, _: u64) {}
    fn advance(&mut self, _: u64, _: usize) {}
    fn problem(&mut self, path: &Path, problem: &Problem) {
        panic!(
            "sample corpus file skipped: {}: {}",
            path.display(),
            problem.reason
        );
    }
    fn finish(&mut self) {}
}

fn index() -> &'static OpenIndex {
    static INDEX: OnceLock<OpenIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("props-index-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let options = IndexOptions {
            roots: vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")],
            index_dir: dir.clone(),
            ..IndexOptions::default()
        };
        build(&options, &mut Quiet).expect("index the sample corpus");
        open_existing(&dir).expect("open the index")
    })
}

fn check(query: &str) -> Result<(), TestCaseError> {
    check_with(query, false)
}

fn check_with(query: &str, fuzzy: bool) -> Result<(), TestCaseError> {
    let request = SearchRequest {
        query: query.to_string(),
        page: Page {
            limit: 5,
            offset: 0,
        },
        fuzzy,
        ..SearchRequest::default()
    };
    match search(index(), &request) {
        Ok(results) => {
            for hit in &results.hits {
                for s in &hit.snippets {
                    for r in &s.highlights {
                        prop_assert!(
                            s.text.is_char_boundary(r.start) && s.text.is_char_boundary(r.end)
                        );
                    }
                }
            }
        }
        Err(SearchError::Query(message)) => prop_assert!(!message.contains('\n')),
        Err(other) => prop_assert!(false, "unexpected error {other}"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_unicode_query(query in "\\PC{0,40}") {
        check(&query)?;
    }

    #[test]
    fn operator_soup(query in "([\"()«» -]|OR|NOT|أو|title:|source:|سوريا|داعش|~|سوريا~|\u{064E}|\u{0640}|\u{200F}|\u{0000}){0,16}") {
        check(&query)?;
        check_with(&query, true)?;
    }

    #[test]
    fn any_unicode_query_fuzzy(query in "\\PC{0,40}") {
        check_with(&query, true)?;
    }
}
