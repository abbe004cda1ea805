//! Entities: the alias table.
//!
//! Format (TSV, UTF-8): `canonical<TAB>TYPE<TAB>alias1|alias2|…`, TYPE one
//! of PER ORG LOC MISC, `#` comments and blank lines ignored. The built-in
//! table is `data/entities.tsv` (compiled in); a user's files are added on
//! top (`--aliases FILE`, or `$AKHBAR_ALIASES`, or
//! `~/.config/akhbar/entities.tsv` when it exists). A user line whose
//! canonical name is already known adds its aliases to that entity. A bad
//! line is reported as `file:line: reason` and skipped.
//!
//! Names are compared in normalized form, word by word ([`name_key`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use serde::Serialize;

use super::written::clean;
use crate::analysis::clitic_forms;
use crate::analysis::normalize;

/// The built-in table.
const BUILTIN: &str = include_str!("../../data/entities.tsv");

/// Kinds of entities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum EntityType {
    /// A person.
    #[serde(rename = "PER")]
    Person,
    /// An organisation, party, armed group, company.
    #[serde(rename = "ORG")]
    Organisation,
    /// A country, city, region.
    #[serde(rename = "LOC")]
    Location,
    /// Anything else (events, agreements).
    #[serde(rename = "MISC")]
    Misc,
}

impl EntityType {
    /// Every type, in display order.
    pub const ALL: [EntityType; 4] = [
        EntityType::Person,
        EntityType::Organisation,
        EntityType::Location,
        EntityType::Misc,
    ];

    /// The code used in the table and on the command line.
    pub fn code(self) -> &'static str {
        match self {
            EntityType::Person => "PER",
            EntityType::Organisation => "ORG",
            EntityType::Location => "LOC",
            EntityType::Misc => "MISC",
        }
    }

    /// Parses a code (case-insensitive).
    pub fn from_code(code: &str) -> Option<EntityType> {
        EntityType::ALL
            .into_iter()
            .find(|t| t.code().eq_ignore_ascii_case(code.trim()))
    }
}

/// One entity of the table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entity {
    /// The name shown for it.
    pub canonical: String,
    /// Its kind.
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// Other names it goes by.
    pub aliases: Vec<String>,
}

impl Entity {
    /// The canonical name, then the aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.canonical.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// A bad line of a table file (an alias file, a sources table).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableProblem {
    /// The file (`<built-in>` for the compiled-in table).
    pub file: PathBuf,
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub reason: String,
}

impl std::fmt::Display for TableProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.reason)
    }
}

/// The alias table: entities, and every name's normalized key.
#[derive(Clone, Debug, Default)]
pub struct AliasTable {
    /// The entities.
    pub entities: Vec<Entity>,
    by_key: HashMap<String, usize>,
    /// A hash of the table's content, recorded in the index manifest.
    pub fingerprint: String,
    /// Names by first normalized word, built once for all extractors.
    by_first: OnceLock<FirstWordIndex>,
    /// Every written form of a first word (with proclitics), with the
    /// longest name it starts, in words; built once.
    first_forms: OnceLock<FxHashMap<String, usize>>,
    /// Every spelling of each name key, word by word as written (marks
    /// dropped): what homograph checks compare a text word with.
    written: FxHashMap<String, Vec<Vec<String>>>,
    /// Entities by canonical name as written.
    canonical: FxHashMap<String, usize>,
}

/// Table names by their first normalized word: (all words, entity index).
pub type FirstWordIndex = FxHashMap<String, Vec<(Vec<String>, usize)>>;

/// The normalized key of a name: its words normalized, joined by a space.
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .map(normalize)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

impl AliasTable {
    /// The built-in table only.
    pub fn builtin() -> AliasTable {
        let mut table = AliasTable::default();
        let problems = table.add_text(BUILTIN, Path::new("<built-in>"));
        debug_assert!(problems.is_empty(), "{problems:?}");
        table.finish();
        table
    }

    /// The built-in table plus the user's files; problems are returned, the
    /// bad lines skipped. Files that cannot be read are problems too.
    pub fn load(user_files: &[PathBuf]) -> (AliasTable, Vec<TableProblem>) {
        let mut table = AliasTable::default();
        let mut problems = table.add_text(BUILTIN, Path::new("<built-in>"));
        for file in user_files {
            match std::fs::read_to_string(file) {
                Ok(text) => problems.extend(table.add_text(&text, file)),
                Err(e) => problems.push(TableProblem {
                    file: file.clone(),
                    line: 0,
                    reason: format!("cannot read: {e}"),
                }),
            }
        }
        table.finish();
        (table, problems)
    }

    /// The user's alias files: `explicit` if given, else `$AKHBAR_ALIASES`,
    /// else `~/.config/akhbar/entities.tsv` when it exists.
    pub fn user_files(explicit: Option<&Path>) -> Vec<PathBuf> {
        if let Some(path) = explicit {
            return vec![path.to_path_buf()];
        }
        if let Some(env) = std::env::var_os("AKHBAR_ALIASES").filter(|v| !v.is_empty()) {
            return vec![PathBuf::from(env)];
        }
        std::env::var_os("HOME")
            .map(|home| PathBuf::from(home).join(".config/akhbar/entities.tsv"))
            .filter(|p| p.is_file())
            .into_iter()
            .collect()
    }

    fn add_text(&mut self, text: &str, file: &Path) -> Vec<TableProblem> {
        let mut problems = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            if let Err(reason) = self.add_line(line) {
                problems.push(TableProblem {
                    file: file.to_path_buf(),
                    line: i + 1,
                    reason,
                });
            }
        }
        problems
    }

    fn add_line(&mut self, line: &str) -> Result<(), String> {
        let columns: Vec<&str> = line.split('\t').collect();
        if columns.len() < 2 || columns.len() > 3 {
            return Err(format!(
                "expected canonical<TAB>TYPE<TAB>aliases, found {} column(s)",
                columns.len()
            ));
        }
        let canonical = columns[0].trim();
        if name_key(canonical).is_empty() {
            return Err("empty canonical name".to_string());
        }
        let kind = EntityType::from_code(columns[1])
            .ok_or_else(|| format!("unknown type {:?} (use PER, ORG, LOC or MISC)", columns[1]))?;
        let aliases: Vec<String> = columns
            .get(2)
            .map(|a| {
                a.split('|')
                    .map(str::trim)
                    .filter(|a| !name_key(a).is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let key = name_key(canonical);
        match self.by_key.get(&key) {
            Some(&i) => self.entities[i].aliases.extend(aliases),
            None => {
                self.by_key.insert(key, self.entities.len());
                self.entities.push(Entity {
                    canonical: canonical.to_string(),
                    kind,
                    aliases,
                });
            }
        }
        Ok(())
    }

    /// Indexes every name's key; the first entity to claim a key keeps it.
    fn finish(&mut self) {
        for (i, entity) in self.entities.iter().enumerate() {
            self.canonical.entry(entity.canonical.clone()).or_insert(i);
            for name in entity.names() {
                let key = name_key(name);
                let spelling: Vec<String> = name.split_whitespace().map(clean).collect();
                let spellings = self.written.entry(key.clone()).or_default();
                if !spellings.contains(&spelling) {
                    spellings.push(spelling);
                }
                self.by_key.entry(key).or_insert(i);
            }
        }
        let mut hasher = blake3::Hasher::new();
        for e in &self.entities {
            hasher.update(e.canonical.as_bytes());
            hasher.update(e.kind.code().as_bytes());
            for a in &e.aliases {
                hasher.update(b"|");
                hasher.update(a.as_bytes());
            }
            hasher.update(b"\n");
        }
        self.fingerprint = hasher.finalize().to_hex()[..16].to_string();
    }

    /// The entity a name (canonical or alias, any spelling the analyzer
    /// normalizes away) belongs to.
    pub fn find(&self, name: &str) -> Option<&Entity> {
        self.by_key.get(&name_key(name)).map(|&i| &self.entities[i])
    }

    /// The entity whose canonical name is `name` exactly (عمّان, not
    /// عُمان: two entities whose names normalize alike).
    pub fn by_canonical(&self, name: &str) -> Option<usize> {
        self.canonical.get(name).copied()
    }

    /// The spellings of a name key as the table writes them, word by word.
    pub fn spellings(&self, key: &str) -> &[Vec<String>] {
        self.written.get(key).map_or(&[], Vec::as_slice)
    }

    /// The entity for a name as typed: [`AliasTable::find`], else with the
    /// first word read without its proclitics (لترمب → دونالد ترامب).
    pub fn resolve(&self, name: &str) -> Option<&Entity> {
        if let Some(e) = self.find(name) {
            return Some(e);
        }
        let mut analyzer = crate::analysis::Analyzer::Exact.build();
        let words = crate::analysis::words(&mut analyzer, name);
        let (first, rest) = words.split_first()?;
        let rest: Vec<&str> = rest.iter().map(|w| w.readings[0].as_str()).collect();
        first.readings.iter().skip(1).find_map(|reading| {
            let mut parts = vec![reading.as_str()];
            parts.extend(&rest);
            self.find(&parts.join(" "))
        })
    }

    /// Every word that reads as the first word of a name once its
    /// proclitics are set aside ([`clitic_forms`] of every first word),
    /// with the number of words of the longest such name: where
    /// index-time extraction must look closer, and how far. Built on first
    /// use.
    pub fn first_word_forms(&self) -> &FxHashMap<String, usize> {
        self.first_forms.get_or_init(|| {
            let mut forms: FxHashMap<String, usize> = FxHashMap::default();
            for (first, names) in self.by_first_word() {
                let longest = names
                    .iter()
                    .map(|(words, _)| words.len())
                    .max()
                    .unwrap_or(1);
                for form in clitic_forms(first) {
                    let slot = forms.entry(form).or_insert(0);
                    *slot = (*slot).max(longest);
                }
            }
            forms
        })
    }

    /// Every name, by its first normalized word, for matchers; built on
    /// first use and shared (a search builds an extractor per query).
    pub fn by_first_word(&self) -> &FirstWordIndex {
        self.by_first.get_or_init(|| {
            let mut index = FirstWordIndex::default();
            for (key, &i) in &self.by_key {
                let words: Vec<String> = key.split(' ').map(str::to_string).collect();
                if let Some(first) = words.first().cloned() {
                    index.entry(first).or_default().push((words, i));
                }
            }
            index
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_loads_without_problems() {
        let (table, problems) = AliasTable::load(&[]);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(table.entities.len() >= 300, "{}", table.entities.len());
        let trump = table.find("ترمب").expect("alias known");
        assert_eq!(trump.canonical, "دونالد ترامب");
        assert_eq!(trump.kind, EntityType::Person);
        assert_eq!(
            table.find("قسد").map(|e| e.canonical.as_str()),
            Some("قوات سوريا الديمقراطية")
        );
        assert_eq!(
            table.find("الامم المتحده").map(|e| e.kind),
            Some(EntityType::Organisation)
        );
    }

    #[test]
    fn user_file_adds_and_reports_bad_lines() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("mine.tsv");
        std::fs::write(
            &file,
            "# mine\nنادي الزمالك\tORG\tالزمالك|القلعة البيضاء\nبلا نوع\nخطأ\tXYZ\t\nدونالد ترامب\tPER\tالرئيس السابق ترامب\n",
        )
        .expect("write");
        let (table, problems) = AliasTable::load(std::slice::from_ref(&file));
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![3, 4]);
        assert!(problems[1].to_string().contains("mine.tsv:4: unknown type"));
        assert_eq!(
            table.find("القلعة البيضاء").map(|e| e.canonical.as_str()),
            Some("نادي الزمالك")
        );
        assert_eq!(
            table
                .find("الرئيس السابق ترامب")
                .map(|e| e.canonical.as_str()),
            Some("دونالد ترامب")
        );
    }
}
