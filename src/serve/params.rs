//! Serve: reading a request's query string, strictly.
//!
//! `application/x-www-form-urlencoded` rules (`+` is a space, `%XX` a
//! byte); a byte sequence that is not UTF-8 after decoding is a 400 naming
//! the parameter, never replaced silently. A malformed `%` escape is kept
//! as written (as browsers do). Every parameter an endpoint does not know
//! is a 400 listing the ones it knows (a typo such as `query=` for `q=`
//! would otherwise be ignored), except names starting with `_` (cache
//! busters); a single-valued parameter given twice is a 400 too.

use percent_encoding::percent_decode;

use super::error::ApiError;

/// The decoded parameters of one request, in order.
#[derive(Clone, Debug, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

/// Decodes one `+`-and-`%` encoded component.
fn decode(raw: &str, what: &str) -> Result<String, ApiError> {
    let spaced = raw.replace('+', " ");
    let bytes: Vec<u8> = percent_decode(spaced.as_bytes()).collect();
    String::from_utf8(bytes).map_err(|_| {
        ApiError::bad_request(format!("{what} is not valid UTF-8 once percent-decoded"))
    })
}

impl Params {
    /// Parses a raw query string (without the `?`), accepting only the
    /// names in `known` (plus `_…`).
    ///
    /// # Errors
    /// A 400 for a name or value that is not UTF-8, or an unknown name.
    pub fn parse(query: Option<&str>, known: &[&str]) -> Result<Params, ApiError> {
        let mut pairs = Vec::new();
        for part in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            let name = decode(name, "a parameter name")?;
            if name.starts_with('_') {
                continue;
            }
            if !known.contains(&name.as_str()) {
                let shown: String = name.chars().take(40).collect();
                return Err(ApiError::bad_request(format!(
                    "unknown parameter {shown:?}; this endpoint takes: {}",
                    known.join(", ")
                )));
            }
            let value = decode(value, &format!("parameter {name:?}"))?;
            pairs.push((name, value));
        }
        Ok(Params { pairs })
    }

    /// The value of a single-valued parameter.
    ///
    /// # Errors
    /// A 400 when it is given more than once.
    pub fn one<'a>(&'a self, name: &'a str) -> Result<Option<&'a str>, ApiError> {
        let mut values = self.all(name);
        let first = values.next();
        if values.next().is_some() {
            return Err(ApiError::bad_request(format!(
                "parameter {name:?} is given more than once"
            )));
        }
        Ok(first)
    }

    /// Every value of a repeatable parameter, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A text parameter, at most `max_chars` characters; empty is `None`.
    ///
    /// # Errors
    /// A 400 when it is longer, or given twice.
    pub fn text<'a>(
        &'a self,
        name: &'a str,
        max_chars: usize,
    ) -> Result<Option<&'a str>, ApiError> {
        let Some(value) = self.one(name)?.filter(|v| !v.trim().is_empty()) else {
            return Ok(None);
        };
        if value.chars().nth(max_chars).is_some() {
            return Err(ApiError::bad_request(format!(
                "parameter {name:?} is longer than {max_chars} characters"
            )));
        }
        Ok(Some(value))
    }

    /// A count such as `limit` or `offset`: digits only; `default` when
    /// absent; above `max`, an error when `clamp` is false, else `max`
    /// (the second value says it was capped).
    ///
    /// # Errors
    /// A 400 for anything but digits (`-1`, `1e3`, `ten`), or for a value
    /// above `max` when not clamping.
    pub fn count(
        &self,
        name: &str,
        default: usize,
        max: usize,
        clamp: bool,
    ) -> Result<(usize, bool), ApiError> {
        let Some(raw) = self.one(name)? else {
            return Ok((default, false));
        };
        let raw = raw.trim();
        if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
            let shown: String = raw.chars().take(40).collect();
            return Err(ApiError::bad_request(format!(
                "parameter {name:?} must be a whole number from 0 to {max}, not {shown:?}"
            )));
        }
        // Saturating: 10^30 is simply "more than max".
        let value = raw.bytes().fold(0usize, |n, b| {
            n.saturating_mul(10).saturating_add(usize::from(b - b'0'))
        });
        if value <= max {
            Ok((value, false))
        } else if clamp {
            Ok((max, true))
        } else {
            Err(ApiError::bad_request(format!(
                "parameter {name:?} must be at most {max}"
            )))
        }
    }

    /// A yes/no flag: `1`, `true`, `yes`, `on` or empty (present) are yes;
    /// `0`, `false`, `no`, `off` are no.
    ///
    /// # Errors
    /// A 400 for any other value.
    pub fn flag(&self, name: &str, default: bool) -> Result<bool, ApiError> {
        match self.one(name)?.map(str::trim) {
            None => Ok(default),
            Some("" | "1" | "true" | "yes" | "on") => Ok(true),
            Some("0" | "false" | "no" | "off") => Ok(false),
            Some(other) => {
                let shown: String = other.chars().take(40).collect();
                Err(ApiError::bad_request(format!(
                    "parameter {name:?} must be 1 or 0, not {shown:?}"
                )))
            }
        }
    }
}

/// Decodes a path segment (an article id): `%XX` escapes, no `+` rule.
///
/// # Errors
/// A 400 when the bytes are not UTF-8.
pub fn decode_path(raw: &str) -> Result<String, ApiError> {
    String::from_utf8(percent_decode(raw.as_bytes()).collect()).map_err(|_| {
        ApiError::bad_request("the article id is not valid UTF-8 once percent-decoded")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = &["q", "limit", "source", "facets"];

    fn parse(q: &str) -> Result<Params, ApiError> {
        Params::parse(Some(q), KNOWN)
    }

    #[test]
    fn decoding_table() {
        // (query string, parameter, expected value)
        let table = [
            ("q=%D8%B3%D9%88%D8%B1%D9%8A%D8%A7", "q", "سوريا"),
            ("q=a+b", "q", "a b"),
            ("q=a%2Bb", "q", "a+b"),
            ("q=%zz", "q", "%zz"),
            ("q=%", "q", "%"),
            ("q=%3Cscript%3E", "q", "<script>"),
            ("q", "q", ""),
            ("_=123&q=x", "q", "x"),
        ];
        for (query, name, want) in table {
            let p = parse(query).unwrap_or_else(|e| panic!("{query}: {e:?}"));
            assert_eq!(p.one(name).expect("once"), Some(want), "{query}");
        }
    }

    #[test]
    fn refusals_table() {
        for query in ["q=%FF", "q=%C3%28", "%FF=1", "query=x", "q=a&q=b"] {
            let err = parse(query).and_then(|p| p.one("q").map(|_| ()));
            assert_eq!(err.map_err(|e| e.status.as_u16()), Err(400), "{query}");
        }
    }

    #[test]
    fn counts_table() {
        // (value, Ok((value, capped)) or Err)
        type Want = Result<(usize, bool), ()>;
        let table: [(&str, Want); 7] = [
            ("10", Ok((10, false))),
            ("1000", Ok((1000, false))),
            ("1001", Ok((1000, true))),
            ("1000000000000", Ok((1000, true))),
            ("99999999999999999999999999", Ok((1000, true))),
            ("-1", Err(())),
            ("1e3", Err(())),
        ];
        for (value, want) in table {
            let p = parse(&format!("limit={value}")).expect("parse");
            let got = p.count("limit", 10, 1000, true).map_err(|_| ());
            assert_eq!(got, want, "{value}");
        }
        let p = parse("limit=5000").expect("parse");
        assert!(p.count("limit", 10, 1000, false).is_err());
        assert_eq!(
            parse("")
                .expect("parse")
                .count("limit", 10, 1000, true)
                .ok(),
            Some((10, false))
        );
    }

    #[test]
    fn flags_and_lengths() {
        let p = parse("facets=1&q=abcdef").expect("parse");
        assert_eq!(p.flag("facets", false).ok(), Some(true));
        assert!(parse("facets=maybe")
            .expect("parse")
            .flag("facets", false)
            .is_err());
        assert!(p.text("q", 5).is_err());
        assert_eq!(p.text("q", 6).ok().flatten(), Some("abcdef"));
        assert_eq!(
            decode_path("..%2F..%2Fetc").ok().as_deref(),
            Some("../../etc")
        );
        assert!(decode_path("%FF").is_err());
    }
}
