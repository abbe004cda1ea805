//! Search: the lenient query language.
//!
//! - words: all must match (AND);
//! - `"…"` (also `«…»` and `“…”`): a phrase, positions exact;
//! - `OR`, `|`, `||` and Arabic `أو` between alternatives; `AND`, `&&`
//!   accepted and ignored (AND is the default);
//! - `-word`, `-"phrase"`, `NOT x`: exclude;
//! - `( … )`: grouping;
//! - `word~`: the word or any word within one edit of it (words of four
//!   letters or more; see `search::fuzzy`);
//! - `title:word`, `title:"phrase"`: match in the title only;
//!   `source:name`, `source:"two words"`: articles from that outlet.
//!
//! Nothing here fails on odd input: an unbalanced quote runs to the end of
//! the query, an unbalanced parenthesis is closed or ignored, a stray
//! operator is dropped, each with a warning. Only a query with nothing
//! searchable in it is an error.

/// Where a word or phrase must match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Title or body.
    Any,
    /// Title only.
    Title,
}

/// A parsed query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// A word, matched through the keyword analyzer.
    Word(String, Scope),
    /// A word or any word within one edit of it (`word~`, `--fuzzy`).
    Fuzzy(String, Scope),
    /// A phrase, matched through the exact analyzer.
    Phrase(String, Scope),
    /// Articles from one outlet.
    Source(String),
    /// Words side by side: every child must match, or any of them with
    /// `--op or`.
    And(Vec<Node>),
    /// Children joined by an explicit `AND` (`&&`): every child must
    /// match, whatever the default operator.
    All(Vec<Node>),
    /// At least one child must match.
    Or(Vec<Node>),
    /// The child must not match.
    Not(Box<Node>),
}

/// A query and what the parser had to set aside to read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    /// The query tree.
    pub node: Node,
    /// Human-readable notes on what was ignored or repaired.
    pub warnings: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Lexeme {
    Open,
    Close,
    Or,
    And,
    Not,
    Minus,
    Word(String),
    Phrase(String),
    Prefix(String),
}

/// Parses a query leniently.
///
/// # Errors
/// A one-line message when the query has nothing to search for.
pub fn parse(query: &str) -> Result<Parsed, String> {
    let mut warnings = Vec::new();
    let lexemes = lex(query, &mut warnings);
    let mut parser = Parser {
        lexemes,
        pos: 0,
        warnings,
    };
    let mut items = Vec::new();
    while parser.pos < parser.lexemes.len() {
        if let Some(node) = parser.or_expr() {
            items.push(node);
        }
        if parser.peek() == Some(&Lexeme::Close) {
            parser.warnings.push("ignored an unmatched ')'".to_string());
            parser.pos += 1;
        }
    }
    let node = match items.len() {
        0 => return Err(format!("nothing to search for in {query:?}")),
        1 => items.remove(0),
        _ => Node::And(items),
    };
    Ok(Parsed {
        node,
        warnings: parser.warnings,
    })
}

const OPEN_QUOTES: [char; 3] = ['"', '«', '“'];

fn closing_quote(open: char) -> char {
    match open {
        '«' => '»',
        '“' => '”',
        _ => '"',
    }
}

fn lex(query: &str, warnings: &mut Vec<String>) -> Vec<Lexeme> {
    let mut out = Vec::new();
    let mut chars = query.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '(' || c == ')' {
            out.push(if c == '(' {
                Lexeme::Open
            } else {
                Lexeme::Close
            });
            chars.next();
        } else if OPEN_QUOTES.contains(&c) {
            chars.next();
            let close = closing_quote(c);
            let start = i + c.len_utf8();
            let mut end = query.len();
            for (j, d) in chars.by_ref() {
                if d == close || d == '"' {
                    end = j;
                    break;
                }
            }
            if end == query.len() {
                warnings.push("closed an unbalanced quote at the end of the query".to_string());
            }
            out.push(Lexeme::Phrase(query[start..end].to_string()));
        } else {
            let start = i;
            let mut end = query.len();
            while let Some(&(j, d)) = chars.peek() {
                if d.is_whitespace() || d == '(' || d == ')' || OPEN_QUOTES.contains(&d) {
                    end = j;
                    break;
                }
                chars.next();
            }
            out.extend(word_lexemes(&query[start..end]));
        }
    }
    out
}

/// Lexemes of one space-delimited chunk: operators, `-`, prefixes, words.
fn word_lexemes(word: &str) -> Vec<Lexeme> {
    match word {
        "OR" | "|" | "||" | "أو" | "او" => return vec![Lexeme::Or],
        "AND" | "&&" | "&" => return vec![Lexeme::And],
        "NOT" => return vec![Lexeme::Not],
        "-" => return vec![Lexeme::Minus],
        _ => {}
    }
    if let Some(rest) = word.strip_prefix('-').filter(|r| !r.is_empty()) {
        let mut out = vec![Lexeme::Minus];
        out.extend(word_lexemes(rest));
        return out;
    }
    for prefix in ["title:", "source:"] {
        if let Some(rest) = strip_prefix_ignore_case(word, prefix) {
            let mut out = vec![Lexeme::Prefix(prefix.trim_end_matches(':').to_string())];
            if !rest.is_empty() {
                out.push(Lexeme::Word(rest.to_string()));
            }
            return out;
        }
    }
    vec![Lexeme::Word(word.to_string())]
}

fn strip_prefix_ignore_case<'a>(word: &'a str, prefix: &str) -> Option<&'a str> {
    let head = word.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &word[prefix.len()..])
}

struct Parser {
    lexemes: Vec<Lexeme>,
    pos: usize,
    warnings: Vec<String>,
}

impl Parser {
    fn peek(&self) -> Option<&Lexeme> {
        self.lexemes.get(self.pos)
    }

    fn next(&mut self) -> Option<Lexeme> {
        let l = self.lexemes.get(self.pos).cloned();
        self.pos += 1;
        l
    }

    fn or_expr(&mut self) -> Option<Node> {
        let mut items = Vec::new();
        items.extend(self.and_expr());
        while self.peek() == Some(&Lexeme::Or) {
            self.pos += 1;
            match self.and_expr() {
                Some(node) => items.push(node),
                None => self
                    .warnings
                    .push("ignored an OR with nothing after it".to_string()),
            }
        }
        match items.len() {
            0 => None,
            1 => items.pop(),
            _ => Some(Node::Or(items)),
        }
    }

    fn and_expr(&mut self) -> Option<Node> {
        // Items side by side; those joined by an explicit AND are grouped.
        let mut groups: Vec<Vec<Node>> = Vec::new();
        let mut joined = false;
        loop {
            match self.peek() {
                None | Some(Lexeme::Close) => break,
                Some(Lexeme::Or) if !groups.is_empty() => break,
                Some(Lexeme::Or) => {
                    self.warnings
                        .push("ignored an OR with nothing before it".to_string());
                    self.pos += 1;
                }
                Some(Lexeme::And) => {
                    self.pos += 1;
                    joined = !groups.is_empty();
                }
                _ => {
                    if let Some(node) = self.unary() {
                        match groups.last_mut() {
                            Some(group) if joined => group.push(node),
                            _ => groups.push(vec![node]),
                        }
                    }
                    joined = false;
                }
            }
        }
        let mut items: Vec<Node> = groups
            .into_iter()
            .filter_map(|mut g| match g.len() {
                1 => g.pop(),
                _ => Some(Node::All(g)),
            })
            .collect();
        match items.len() {
            0 => None,
            1 => items.pop(),
            _ => Some(Node::And(items)),
        }
    }

    fn unary(&mut self) -> Option<Node> {
        match self.peek() {
            Some(Lexeme::Not) | Some(Lexeme::Minus) => {
                self.pos += 1;
                match self.unary() {
                    Some(node) => Some(Node::Not(Box::new(node))),
                    None => {
                        self.warnings
                            .push("ignored a NOT with nothing after it".to_string());
                        None
                    }
                }
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Option<Node> {
        match self.next()? {
            Lexeme::Open => {
                let inner = self.or_expr();
                if self.peek() == Some(&Lexeme::Close) {
                    self.pos += 1;
                } else {
                    self.warnings.push("closed an unbalanced '('".to_string());
                }
                inner
            }
            Lexeme::Word(w) => Some(word_node(w, Scope::Any)),
            Lexeme::Phrase(p) if p.trim().is_empty() => None,
            Lexeme::Phrase(p) => Some(Node::Phrase(p, Scope::Any)),
            Lexeme::Prefix(prefix) => self.prefixed(&prefix),
            Lexeme::Close | Lexeme::Or | Lexeme::And | Lexeme::Not | Lexeme::Minus => None,
        }
    }

    fn prefixed(&mut self, prefix: &str) -> Option<Node> {
        let value = match self.peek() {
            Some(Lexeme::Word(w)) => (w.clone(), false),
            Some(Lexeme::Phrase(p)) => (p.clone(), true),
            _ => {
                self.warnings
                    .push(format!("ignored '{prefix}:' with nothing after it"));
                return None;
            }
        };
        self.pos += 1;
        Some(match (prefix, value) {
            ("source", (name, _)) => Node::Source(name),
            (_, (text, true)) => Node::Phrase(text, Scope::Title),
            (_, (text, false)) => word_node(text, Scope::Title),
        })
    }
}

/// A word, or with a trailing `~` (`ترمب~`) a fuzzy word.
fn word_node(word: String, scope: Scope) -> Node {
    let bare = word.trim_end_matches('~');
    if bare.len() < word.len() && !bare.is_empty() {
        Node::Fuzzy(bare.to_string(), scope)
    } else {
        Node::Word(word, scope)
    }
}

/// The query with every word outside a negation made fuzzy (`--fuzzy`);
/// phrases, outlets and excluded words stay as they are.
pub fn fuzzy_words(node: Node) -> Node {
    match node {
        Node::Word(w, scope) => Node::Fuzzy(w, scope),
        Node::And(items) => Node::And(items.into_iter().map(fuzzy_words).collect()),
        Node::All(items) => Node::All(items.into_iter().map(fuzzy_words).collect()),
        Node::Or(items) => Node::Or(items.into_iter().map(fuzzy_words).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Node {
        Node::Word(s.to_string(), Scope::Any)
    }

    fn p(s: &str) -> Node {
        Node::Phrase(s.to_string(), Scope::Any)
    }

    #[test]
    fn grammar_table() {
        let cases: Vec<(&str, Node)> = vec![
            ("داعش", w("داعش")),
            ("داعش سوريا", Node::And(vec![w("داعش"), w("سوريا")])),
            ("\"قوات سوريا\"", p("قوات سوريا")),
            ("«قوات سوريا»", p("قوات سوريا")),
            ("داعش OR قسد", Node::Or(vec![w("داعش"), w("قسد")])),
            ("داعش أو قسد", Node::Or(vec![w("داعش"), w("قسد")])),
            (
                "داعش -العراق",
                Node::And(vec![w("داعش"), Node::Not(Box::new(w("العراق")))]),
            ),
            (
                "داعش NOT العراق",
                Node::And(vec![w("داعش"), Node::Not(Box::new(w("العراق")))]),
            ),
            (
                "(داعش OR قسد) سوريا",
                Node::And(vec![Node::Or(vec![w("داعش"), w("قسد")]), w("سوريا")]),
            ),
            ("title:بيروت", Node::Word("بيروت".to_string(), Scope::Title)),
            ("ترمب~", Node::Fuzzy("ترمب".to_string(), Scope::Any)),
            (
                "title:بيروت~~",
                Node::Fuzzy("بيروت".to_string(), Scope::Title),
            ),
            ("~", w("~")),
            (
                "-ترمب~ غزة",
                Node::And(vec![
                    Node::Not(Box::new(Node::Fuzzy("ترمب".to_string(), Scope::Any))),
                    w("غزة"),
                ]),
            ),
            (
                "title:\"وزير الخارجية\"",
                Node::Phrase("وزير الخارجية".to_string(), Scope::Title),
            ),
            (
                "source:\"صحيفة الأفق\"",
                Node::Source("صحيفة الأفق".to_string()),
            ),
            ("داعش AND قسد", Node::All(vec![w("داعش"), w("قسد")])),
            (
                "داعش && قسد سوريا",
                Node::And(vec![Node::All(vec![w("داعش"), w("قسد")]), w("سوريا")]),
            ),
        ];
        for (query, expected) in cases {
            let parsed = parse(query).unwrap_or_else(|e| panic!("{query}: {e}"));
            assert_eq!(parsed.node, expected, "{query}");
            assert!(parsed.warnings.is_empty(), "{query}: {:?}", parsed.warnings);
        }
    }

    #[test]
    fn lenient_repairs_warn() {
        let cases: Vec<(&str, Node)> = vec![
            ("\"قوات سوريا", p("قوات سوريا")),
            ("(داعش", w("داعش")),
            ("داعش)", w("داعش")),
            ("OR داعش", w("داعش")),
            ("داعش OR", w("داعش")),
            ("داعش -", w("داعش")),
            ("title:", w("title")),
        ];
        for (query, expected) in cases {
            match parse(query) {
                Ok(parsed) => {
                    if query != "title:" {
                        assert_eq!(parsed.node, expected, "{query}");
                        assert!(!parsed.warnings.is_empty(), "{query}: no warning");
                    }
                }
                Err(e) => assert_eq!(query, "title:", "{query}: {e}"),
            }
        }
    }

    #[test]
    fn nothing_to_search_is_an_error() {
        for query in ["", "   ", "()", "\"\"", "OR", "-", "NOT"] {
            assert!(parse(query).is_err(), "{query:?} should be an error");
        }
    }
}
