//! Output: the sources table — the name a reader knows an outlet by, and
//! its home page, for the raw ids articles carry in `source` («skynews» →
//! «سكاي نيوز عربية»). Lookup data for what is shown (`source_name` in
//! JSON, exports, facets and the page); the index and the filters keep
//! the ids.
//!
//! Format (TSV, UTF-8): `id<TAB>name<TAB>url` (the url may be empty or
//! left out), an optional header row `id<TAB>name…`, `#` comments and
//! blank lines ignored. The built-in table is `data/sources.tsv`
//! (compiled in: the shared corpora's outlets); a user's file
//! (`--sources FILE`, or `$AKHBAR_SOURCES`) is read on top, its lines
//! overriding the built-in ones with the same id. Ids are compared
//! ignoring ASCII case and surrounding spaces. A bad line is reported as
//! `file:line: reason` and skipped, as the alias table's are. An id in no
//! table is shown as it is.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::entities::TableProblem;

/// The built-in table.
const BUILTIN: &str = include_str!("../../data/sources.tsv");

/// One outlet's entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceEntry {
    /// The name shown.
    pub name: String,
    /// Its home page (empty when not known).
    pub url: String,
}

/// Display names of sources by id; cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    by_id: Arc<HashMap<String, SourceEntry>>,
}

/// An id as compared.
fn key(id: &str) -> String {
    id.trim().to_ascii_lowercase()
}

impl Sources {
    /// The built-in table only.
    pub fn builtin() -> Sources {
        let mut by_id = HashMap::new();
        let problems = add_text(&mut by_id, BUILTIN, Path::new("<built-in>"));
        debug_assert!(problems.is_empty(), "{problems:?}");
        Sources {
            by_id: Arc::new(by_id),
        }
    }

    /// The built-in table plus the user's file (if any); problems are
    /// returned, the bad lines skipped. A file that cannot be read is a
    /// problem too (line 0).
    pub fn load(user_file: Option<&Path>) -> (Sources, Vec<TableProblem>) {
        let mut by_id = HashMap::new();
        let mut problems = add_text(&mut by_id, BUILTIN, Path::new("<built-in>"));
        if let Some(file) = user_file {
            match std::fs::read_to_string(file) {
                Ok(text) => problems.extend(add_text(&mut by_id, &text, file)),
                Err(e) => problems.push(TableProblem {
                    file: file.to_path_buf(),
                    line: 0,
                    reason: format!("cannot read the sources table: {e}"),
                }),
            }
        }
        let sources = Sources {
            by_id: Arc::new(by_id),
        };
        (sources, problems)
    }

    /// The user's table: `explicit` if given, else `$AKHBAR_SOURCES` when
    /// set and not empty.
    pub fn user_file(explicit: Option<&Path>) -> Option<PathBuf> {
        explicit.map(Path::to_path_buf).or_else(|| {
            std::env::var_os("AKHBAR_SOURCES")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
    }

    /// The entry for `id`, if a table names it.
    pub fn get(&self, id: &str) -> Option<&SourceEntry> {
        self.by_id.get(&key(id))
    }

    /// The name to show for `id`: the table's, else `id` as it is.
    pub fn name<'a>(&'a self, id: &'a str) -> &'a str {
        self.get(id).map_or(id, |e| e.name.as_str())
    }
}

/// Adds the lines of `text` (read from `file`) to `by_id`.
fn add_text(
    by_id: &mut HashMap<String, SourceEntry>,
    text: &str,
    file: &Path,
) -> Vec<TableProblem> {
    let mut problems = Vec::new();
    let mut first = true;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        let line = if i == 0 {
            line.trim_start_matches('\u{feff}')
        } else {
            line
        };
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let header = first && is_header(line);
        first = false;
        if header {
            continue;
        }
        match parse_line(line) {
            Ok((id, entry)) => {
                by_id.insert(id, entry);
            }
            Err(reason) => problems.push(TableProblem {
                file: file.to_path_buf(),
                line: i + 1,
                reason,
            }),
        }
    }
    problems
}

/// True for the header row: its first column is `id`.
fn is_header(line: &str) -> bool {
    line.split('\t')
        .next()
        .is_some_and(|c| c.trim().eq_ignore_ascii_case("id"))
}

/// One line as (key, entry), or why it is not one.
fn parse_line(line: &str) -> Result<(String, SourceEntry), String> {
    let columns: Vec<&str> = line.split('\t').map(str::trim).collect();
    if columns.len() < 2 || columns.len() > 3 {
        return Err(format!(
            "expected id<TAB>name<TAB>url (2 or 3 columns), found {} column{}",
            columns.len(),
            if columns.len() == 1 { "" } else { "s" }
        ));
    }
    let (id, name) = (columns[0], columns[1]);
    let url = columns.get(2).copied().unwrap_or("");
    if id.is_empty() {
        return Err("the id (first column) is empty".into());
    }
    if name.is_empty() {
        return Err(format!("no name for «{id}» (second column empty)"));
    }
    let web = url.starts_with("https://") || url.starts_with("http://");
    if !url.is_empty() && !web {
        return Err(format!(
            "the url «{url}» of «{id}» does not start with http:// or https://"
        ));
    }
    let entry = SourceEntry {
        name: name.to_string(),
        url: url.to_string(),
    };
    Ok((key(id), entry))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> (Sources, Vec<TableProblem>) {
        let dir = std::env::temp_dir().join(format!("akhbar-sources-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join(format!("t{}.tsv", text.len()));
        std::fs::write(&file, text).expect("write");
        let loaded = Sources::load(Some(&file));
        let _ = std::fs::remove_file(&file);
        loaded
    }

    #[test]
    fn builtin_names_the_shared_corpora_sources() {
        let s = Sources::builtin();
        assert_eq!(s.name("skynews"), "سكاي نيوز عربية");
        assert_eq!(s.name("alriyadh"), "جريدة الرياض");
        // ids compared ignoring ASCII case
        assert_eq!(s.name("bbc"), s.name("BBC"));
        assert_eq!(
            s.get("skynews").map(|e| e.url.as_str()),
            Some("https://www.skynewsarabia.com/")
        );
        // unknown ids as they are
        assert_eq!(s.name("وكالة النهار للأنباء"), "وكالة النهار للأنباء");
    }

    #[test]
    fn user_table_overrides_and_extends() {
        let (s, problems) = table(
            "\u{feff}id\tname\turl\n# a comment\n\nskynews\tسكاي\n\
             nahar\tوكالة النهار\thttps://example.org/\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(s.name("skynews"), "سكاي");
        assert_eq!(s.get("skynews").map(|e| e.url.as_str()), Some(""));
        assert_eq!(s.name("nahar"), "وكالة النهار");
        assert_eq!(s.name("alriyadh"), "جريدة الرياض");
    }

    #[test]
    fn bad_lines_are_reported_with_their_line_and_skipped() {
        // (line, reason must mention)
        let text = "id\tname\turl\nok\tجيد\n\
                    only-one-column\n\
                    \tبلا معرف\n\
                    empty-name\t\n\
                    badurl\tاسم\tftp://x\n\
                    four\ta\tb\tc\n\
                    also-ok\tجيد أيضا\thttp://example.org\n";
        let (s, problems) = table(text);
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6, 7], "{problems:?}");
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(shown[0].contains(":3: expected id<TAB>name"), "{shown:?}");
        assert!(shown[1].contains("id (first column) is empty"));
        assert!(shown[2].contains("no name for «empty-name»"));
        assert!(shown[3].contains("ftp://x"));
        assert!(shown[4].contains("found 4 columns"));
        assert_eq!(s.name("ok"), "جيد");
        assert_eq!(s.name("also-ok"), "جيد أيضا");
        assert_eq!(s.name("badurl"), "badurl");
    }

    #[test]
    fn a_missing_file_is_a_problem_and_the_builtin_table_stays() {
        let missing = Path::new("/nonexistent/akhbar/sources.tsv");
        let (s, problems) = Sources::load(Some(missing));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 0);
        assert!(problems[0].to_string().contains("cannot read"));
        assert_eq!(s.name("okaz"), "عكاظ");
    }
}
