//! The project's own architecture check (ARCHITECTURE.md): reads every
//! `src/` file, resolves each `use crate::…`, `super::…` and child-module
//! path to the file that defines the item (following `use` re-exports),
//! and checks that
//!
//! - no file imports from a higher floor (the folders' order below);
//! - no two files import each other, directly or around a circle;
//! - no file has over 800 lines and no function over 150, outside tests;
//! - each folder's modules are private, reached through its `pub use`
//!   surface only.
//!
//! Test modules (`tests.rs` files, `#[cfg(test)] mod tests { … }`) may
//! import anything and are left out.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

/// The floors, lowest first: a file may import from its own folder and
/// from folders on lower floors. Folders on one floor are independent.
const FLOORS: &[&[&str]] = &[
    &["analysis"],
    &["corpus", "entities"],
    &["index"],
    &["search"],
    &["export"],
    &["output"],
    &["serve"],
    &["cli"],
];

/// Longest file, in lines, outside tests.
const MAX_FILE_LINES: usize = 800;
/// Longest function, in lines, outside tests.
const MAX_FN_LINES: usize = 150;

/// One source file.
struct File {
    /// Path under the project, for messages.
    path: PathBuf,
    /// Module path segments (`["search", "run"]`; empty for `lib.rs`).
    module: Vec<String>,
    /// The text with comments and literals blanked, test modules removed.
    code: String,
    /// Lines of the whole file.
    lines: usize,
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/` but `main.rs` (the binary, its own crate).
fn files() -> Vec<File> {
    let root = src_dir();
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        let entries = fs::read_dir(&dir).expect("src/ is readable");
        for entry in entries {
            let path = entry.expect("src/ entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(&root).expect("under src/").to_path_buf();
            if rel == Path::new("main.rs") {
                continue;
            }
            let mut module: Vec<String> = rel
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module.last().is_some_and(|m| m == "mod" || m == "lib") {
                module.pop();
            }
            if module.last().is_some_and(|m| m == "tests") {
                continue;
            }
            let text = fs::read_to_string(&path).expect("source is UTF-8");
            out.push(File {
                path: Path::new("src").join(&rel),
                module,
                code: flatten_inline_modules(&strip_tests(&blank(&text))),
                lines: text.lines().count(),
            });
        }
    }
    out.sort_by(|a, b| a.module.cmp(&b.module));
    out
}

/// The text with comments, string and char literals replaced by spaces
/// (line breaks kept), so braces and paths are read from code only.
fn blank(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let mut out = String::with_capacity(text.len());
    let keep = |ch: char| if ch == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < c.len() {
        if c[i] == '/' && at(i + 1) == '/' {
            while i < c.len() && c[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c[i] == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if c[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(keep(c[i]));
                    i += 1;
                }
            }
        } else if c[i] == 'r'
            && (at(i + 1) == '"' || at(i + 1) == '#')
            && (i == 0 || !(c[i - 1].is_alphanumeric() || c[i - 1] == '_'))
        {
            // raw string r"…", r#"…"#
            let mut j = i + 1;
            let mut hashes = 0;
            while c.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if c.get(j) != Some(&'"') {
                out.push(c[i]);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                match c.get(j) {
                    None => break,
                    Some('"') if (1..=hashes).all(|k| c.get(j + k) == Some(&'#')) => {
                        j += 1 + hashes;
                        break;
                    }
                    _ => j += 1,
                }
            }
            for &ch in &c[i..j.min(c.len())] {
                out.push(keep(ch));
            }
            i = j;
        } else if c[i] == '"' {
            out.push(' ');
            i += 1;
            while i < c.len() && c[i] != '"' {
                if c[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < c.len() {
                    out.push(keep(c[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c[i] == '\'' {
            // a char literal ('x', '\n', '\u{..}'), else a lifetime
            let end = if at(i + 1) == '\\' {
                (i + 2..c.len()).find(|&j| c[j] == '\'')
            } else if at(i + 2) == '\'' {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(end) => {
                    for _ in i..=end {
                        out.push(' ');
                    }
                    i = end + 1;
                }
                None => {
                    out.push('\'');
                    i += 1;
                }
            }
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// The index just after the brace closing the one at `open`.
fn matching(code: &str, open: usize) -> usize {
    let mut depth = 0;
    for (i, b) in code.bytes().enumerate().skip(open) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    code.len()
}

/// The code without its `#[cfg(test)]` items (test modules and helpers),
/// blanked in place so line numbers stay.
fn strip_tests(code: &str) -> String {
    let mut out = code.to_string();
    while let Some(at) = out.find("#[cfg(test)]") {
        let after = at + "#[cfg(test)]".len();
        let end = match (out[after..].find('{'), out[after..].find(';')) {
            (Some(b), Some(s)) if s < b => after + s + 1,
            (Some(b), _) => matching(&out, after + b),
            (None, Some(s)) => after + s + 1,
            (None, None) => out.len(),
        };
        let blanked: String = out[at..end]
            .chars()
            .map(|ch| if ch == '\n' { '\n' } else { ' ' })
            .collect();
        out.replace_range(at..end, &blanked);
    }
    out
}

/// The code with inline modules (`pub mod rules { pub use super::x::Y; }`)
/// read as part of the file's own module: `super::` inside one names the
/// file's module, so it is written `self::` (one nesting level, as used).
fn flatten_inline_modules(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = find_inline_module(rest) {
        let open = at + rest[at..].find('{').unwrap_or(0);
        let end = matching(rest, open);
        out.push_str(&rest[..open]);
        out.push_str(&rest[open..end].replace("super::", "self::"));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Where the next `mod name {` (an inline module) starts.
fn find_inline_module(code: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = code[from..].find("mod") {
        let at = from + found;
        from = at + 3;
        if !word_at(code, at, "mod") {
            continue;
        }
        let after = code[at + 3..].trim_start();
        let name_len = after.chars().take_while(|&c| is_ident(c)).count();
        if name_len > 0 && after[name_len..].trim_start().starts_with('{') {
            return Some(at);
        }
    }
    None
}

fn is_ident(ch: char) -> bool {
    ch.is_alphanumeric() || ch == '_'
}

/// True when `word` starts at `at` in `code` as a whole word.
fn word_at(code: &str, at: usize, word: &str) -> bool {
    code[at..].starts_with(word)
        && code[..at].chars().next_back().is_none_or(|c| !is_ident(c))
        && code[at + word.len()..]
            .chars()
            .next()
            .is_none_or(|c| !is_ident(c))
}

/// One `use` declaration: its paths, each with the name it binds (`use
/// a::b as c` binds `c`; `{self}` binds `b`).
struct Use {
    paths: Vec<(Vec<String>, String)>,
}

/// The `use` declarations of a file.
fn uses(code: &str) -> Vec<Use> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = code[from..].find("use") {
        let at = from + found;
        from = at + 3;
        if !word_at(code, at, "use") {
            continue;
        }
        let Some(semi) = code[at..].find(';') else {
            break;
        };
        let body = tidy(&code[at + 3..at + semi]);
        let mut paths = Vec::new();
        expand(&[], &body, &mut paths);
        out.push(Use { paths });
        from = at + semi;
    }
    out
}

/// A use tree on one line: white space runs made one space, none around
/// `::`, braces and commas (`a :: { b as c }` → `a::{b as c}`).
fn tidy(tree: &str) -> String {
    let spaced = tree.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(spaced.len());
    for (i, ch) in spaced.char_indices() {
        if ch == ' ' {
            let before = out.chars().next_back();
            let after = spaced[i + 1..].chars().next();
            let joins = |c: Option<char>| matches!(c, Some(':' | '{' | '}' | ','));
            if joins(before) || joins(after) {
                continue;
            }
        }
        out.push(ch);
    }
    out.trim().to_string()
}

/// Expands a use tree (`a::{b, c::{self, d as e}}`) into full paths.
fn expand(prefix: &[String], tree: &str, out: &mut Vec<(Vec<String>, String)>) {
    let tree = tree.trim_start_matches("::");
    if let Some(open) = tree.find('{') {
        let head: Vec<String> = split_path(&tree[..open]);
        let mut base = prefix.to_vec();
        base.extend(head);
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        let mut depth = 0;
        let mut start = 0;
        for (i, ch) in inner.char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&base, &inner[start..i], out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand(&base, &inner[start..], out);
        return;
    }
    if tree.is_empty() || tree == "*" || tree.ends_with("::*") {
        return;
    }
    let (path, alias) = match tree.split_once(" as ") {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (tree, None),
    };
    let mut full = prefix.to_vec();
    full.extend(split_path(path));
    if full.last().is_some_and(|s| s == "self") {
        full.pop();
    }
    let Some(last) = full.last().cloned() else {
        return;
    };
    out.push((full, alias.unwrap_or(last)));
}

fn split_path(text: &str) -> Vec<String> {
    text.split("::")
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The paths written in the code outside `use` declarations that start
/// with `crate`, `super` or `self`, or with one of `children`.
fn inline_paths(code: &str, children: &BTreeSet<String>) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = code.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (at, ch) = chars[k];
        let starts = is_ident(ch) && (k == 0 || !is_ident(chars[k - 1].1) && chars[k - 1].1 != ':');
        if !starts {
            k += 1;
            continue;
        }
        let mut end = at;
        let mut j = k;
        while j < chars.len() && (is_ident(chars[j].1) || chars[j].1 == ':') {
            end = chars[j].0 + chars[j].1.len_utf8();
            j += 1;
        }
        let path = split_path(&code[at..end]);
        let first = path.first().map(String::as_str).unwrap_or("");
        if path.len() > 1
            && (matches!(first, "crate" | "super" | "self") || children.contains(first))
            && !in_use(code, at)
        {
            out.push(path);
        }
        k = j.max(k + 1);
    }
    out
}

/// True when `at` is inside a `use` declaration.
fn in_use(code: &str, at: usize) -> bool {
    let start = code[..at].rfind([';', '{', '}']).map_or(0, |i| i + 1);
    let stmt = code[start..at].trim_start();
    let stmt = stmt
        .strip_prefix("pub(crate)")
        .or_else(|| stmt.strip_prefix("pub"))
        .unwrap_or(stmt)
        .trim_start();
    stmt.starts_with("use ") || code[..at].trim_end().ends_with("use") || {
        // inside a use tree's braces: the statement began before the brace
        let line_start = code[..at].rfind("use ").unwrap_or(0);
        let semi = code[line_start..]
            .find(';')
            .map_or(code.len(), |s| line_start + s);
        word_at(code, line_start, "use")
            && semi > at
            && !code[line_start..at].contains(['=', '(', '.'])
    }
}

/// The project's modules: path → file index.
struct Crate {
    files: Vec<File>,
    by_module: HashMap<Vec<String>, usize>,
    uses: Vec<Vec<Use>>,
}

impl Crate {
    fn load() -> Crate {
        let files = files();
        let by_module = files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.module.clone(), i))
            .collect();
        let uses = files.iter().map(|f| uses(&f.code)).collect();
        Crate {
            files,
            by_module,
            uses,
        }
    }

    fn children(&self, module: &[String]) -> BTreeSet<String> {
        self.files
            .iter()
            .filter(|f| f.module.len() == module.len() + 1 && f.module.starts_with(module))
            .filter_map(|f| f.module.last().cloned())
            .collect()
    }

    /// A path as absolute module segments, seen from `module`.
    fn absolute(&self, module: &[String], path: &[String]) -> Option<Vec<String>> {
        let mut base = module.to_vec();
        let mut rest = path;
        match path.first().map(String::as_str) {
            Some("crate") => {
                base.clear();
                rest = &path[1..];
            }
            Some("self") => rest = &path[1..],
            Some("super") => {
                while rest.first().is_some_and(|s| s == "super") {
                    base.pop()?;
                    rest = &rest[1..];
                }
            }
            Some(first) if self.children(module).contains(first) => {}
            _ => return None,
        }
        base.extend(rest.iter().cloned());
        Some(base)
    }

    /// The file that defines what an absolute path names, following `use`
    /// declarations of the file it lands in.
    fn resolve(&self, path: &[String], depth: usize) -> Option<usize> {
        let cut = (0..=path.len())
            .rev()
            .find(|&n| self.by_module.contains_key(&path[..n]))?;
        let file = self.by_module[&path[..cut]];
        let Some(item) = path.get(cut) else {
            return Some(file);
        };
        if depth > 8 {
            return Some(file);
        }
        for u in &self.uses[file] {
            for (target, name) in &u.paths {
                if name == item {
                    let module = &self.files[file].module;
                    if let Some(abs) = self.absolute(module, target) {
                        let mut next = abs;
                        next.extend(path[cut + 1..].iter().cloned());
                        return self.resolve(&next, depth + 1).or(Some(file));
                    }
                }
            }
        }
        Some(file)
    }

    /// Edges file → file, each with the path that makes it.
    fn edges(&self) -> BTreeMap<(usize, usize), String> {
        let mut out = BTreeMap::new();
        for (i, f) in self.files.iter().enumerate() {
            let mut paths: Vec<Vec<String>> = self.uses[i]
                .iter()
                .flat_map(|u| u.paths.iter().map(|(p, _)| p.clone()))
                .collect();
            paths.extend(inline_paths(&f.code, &self.children(&f.module)));
            for p in paths {
                let Some(abs) = self.absolute(&f.module, &p) else {
                    continue;
                };
                if let Some(j) = self.resolve(&abs, 0) {
                    if j != i && !self.is_surface(i, j) {
                        out.entry((i, j)).or_insert_with(|| p.join("::"));
                    }
                }
            }
        }
        out
    }

    /// True when file `from` is a folder's front door (`mod.rs`, `lib.rs`)
    /// re-exporting from `to` below it: a surface, not a dependency.
    fn is_surface(&self, from: usize, to: usize) -> bool {
        let (a, b) = (&self.files[from].module, &self.files[to].module);
        b.len() > a.len() && b.starts_with(a) && self.is_folder(from)
    }

    fn is_folder(&self, file: usize) -> bool {
        let p = &self.files[file].path;
        p.ends_with("mod.rs") || p.ends_with("lib.rs")
    }
}

fn floor(module: &[String]) -> Option<usize> {
    let top = module.first()?;
    FLOORS.iter().position(|f| f.contains(&top.as_str()))
}

#[test]
fn no_import_runs_up_a_floor_or_across_one() {
    let krate = Crate::load();
    let mut bad = Vec::new();
    for ((from, to), path) in krate.edges() {
        let (a, b) = (&krate.files[from], &krate.files[to]);
        if a.module.first() == b.module.first() || a.module.is_empty() {
            continue;
        }
        let (Some(fa), Some(fb)) = (floor(&a.module), floor(&b.module)) else {
            bad.push(format!(
                "{} → {}: a folder missing from FLOORS in tests/architecture.rs",
                a.path.display(),
                b.path.display()
            ));
            continue;
        };
        if fb >= fa {
            bad.push(format!(
                "{} imports {} ({path}): {} is not below {}",
                a.path.display(),
                b.path.display(),
                b.module[0],
                a.module[0]
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "imports against the floors:\n{}",
        bad.join("\n")
    );
}

#[test]
fn no_import_circle_between_files() {
    let krate = Crate::load();
    let edges = krate.edges();
    let n = krate.files.len();
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in edges.keys() {
        next[a].push(b);
    }
    let circles = strongly_connected(&next);
    let report: Vec<String> = circles
        .iter()
        .map(|c| {
            let names: Vec<String> = c
                .iter()
                .map(|&i| krate.files[i].path.display().to_string())
                .collect();
            let why: Vec<String> = edges
                .iter()
                .filter(|((a, b), _)| c.contains(a) && c.contains(b))
                .map(|((a, b), p)| {
                    format!(
                        "    {} → {} ({p})",
                        krate.files[*a].path.display(),
                        krate.files[*b].path.display()
                    )
                })
                .collect();
            format!("{}\n{}", names.join(", "), why.join("\n"))
        })
        .collect();
    assert!(report.is_empty(), "import circles:\n{}", report.join("\n"));
}

/// Tarjan's strongly connected components of more than one node.
fn strongly_connected(next: &[Vec<usize>]) -> Vec<Vec<usize>> {
    struct State<'a> {
        next: &'a [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on: Vec<bool>,
        stack: Vec<usize>,
        count: usize,
        out: Vec<Vec<usize>>,
    }
    fn visit(s: &mut State<'_>, v: usize) {
        s.index[v] = Some(s.count);
        s.low[v] = s.count;
        s.count += 1;
        s.stack.push(v);
        s.on[v] = true;
        for &w in &s.next[v] {
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(iw) if s.on[w] => s.low[v] = s.low[v].min(iw),
                _ => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on[w] = false;
                comp.push(w);
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort_unstable();
                s.out.push(comp);
            }
        }
    }
    let n = next.len();
    let mut s = State {
        next,
        index: vec![None; n],
        low: vec![0; n],
        on: vec![false; n],
        stack: Vec::new(),
        count: 0,
        out: Vec::new(),
    };
    for v in 0..n {
        if s.index[v].is_none() {
            visit(&mut s, v);
        }
    }
    s.out
}

#[test]
fn no_file_or_function_too_long() {
    let krate = Crate::load();
    let mut bad = Vec::new();
    for f in &krate.files {
        if f.lines > MAX_FILE_LINES {
            bad.push(format!(
                "{}: {} lines (at most {MAX_FILE_LINES})",
                f.path.display(),
                f.lines
            ));
        }
        for (name, line, lines) in functions(&f.code) {
            if lines > MAX_FN_LINES {
                bad.push(format!(
                    "{}:{line}: fn {name} has {lines} lines (at most {MAX_FN_LINES})",
                    f.path.display()
                ));
            }
        }
    }
    assert!(bad.is_empty(), "too long:\n{}", bad.join("\n"));
}

/// Each function with a body: name, first line, lines from `fn` to the
/// closing brace.
fn functions(code: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = code[from..].find("fn") {
        let at = from + found;
        from = at + 2;
        if !word_at(code, at, "fn") {
            continue;
        }
        let name: String = code[at + 2..]
            .trim_start()
            .chars()
            .take_while(|&c| is_ident(c))
            .collect();
        if name.is_empty() {
            continue; // a `fn(…)` type
        }
        let (Some(brace), semi) = (code[at..].find('{'), code[at..].find(';')) else {
            continue;
        };
        if semi.is_some_and(|s| s < brace) {
            continue; // a declaration without a body
        }
        let end = matching(code, at + brace);
        let line = code[..at].matches('\n').count() + 1;
        let lines = code[at..end].matches('\n').count() + 1;
        out.push((name, line, lines));
    }
    out
}

#[test]
fn folders_are_reached_through_their_surface() {
    let krate = Crate::load();
    let mut bad = Vec::new();
    for (i, f) in krate.files.iter().enumerate() {
        if !krate.is_folder(i) || f.module.is_empty() {
            continue;
        }
        for line in f.code.lines() {
            let line = line.trim();
            // `pub mod x;` publishes a file; an inline `pub mod x { pub use … }`
            // is a curated namespace of the surface (`analysis::rules`).
            if line.starts_with("pub mod ") && line.ends_with(';') {
                bad.push(format!(
                    "{}: `{line}` (keep it private; `pub use` what others need)",
                    f.path.display()
                ));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "public modules inside folders:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_checker_sees_what_it_checks() {
    // The resolver must find edges at all, and known ones: if it found
    // none, every check above would pass vacuously.
    let krate = Crate::load();
    let edges = krate.edges();
    let names: BTreeSet<(String, String)> = edges
        .keys()
        .map(|&(a, b)| {
            (
                krate.files[a].module.join("::"),
                krate.files[b].module.join("::"),
            )
        })
        .collect();
    assert!(edges.len() > 200, "only {} imports found", edges.len());
    assert!(
        names
            .iter()
            .any(|(a, b)| a.starts_with("search") && b.starts_with("analysis")),
        "no search → analysis import found"
    );
    assert!(
        names
            .iter()
            .any(|(a, b)| a.starts_with("cli") && b.starts_with("index")),
        "no cli → index import found"
    );
    let mut paths = Vec::new();
    expand(
        &[],
        &tidy("crate::a::{b as c, base_d, e::{self, f}}"),
        &mut paths,
    );
    let names: Vec<String> = paths.iter().map(|(_, name)| name.clone()).collect();
    assert_eq!(names, ["c", "base_d", "e", "f"]);
    let long = functions("fn a() {\n{\n}\n}\nfn b(x: fn(u8)) -> u8;\n");
    assert_eq!(long, vec![("a".to_string(), 1, 4)]);
    let code = blank("let s = \"{ use crate::x; }\"; // fn c() {\nlet c = '{';");
    assert!(!code.contains("crate::x") && !code.contains('{'));
}
