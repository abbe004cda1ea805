//! Corpus: the extent of one JSON value in a stream (an item of a JSON
//! array), found without parsing it, for [`super::RecordReader`].

use crate::corpus::source::Source;

/// How scanning one JSON value ended.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Scan {
    Complete,
    TooLong,
    Eof,
}

/// Consumes one JSON value (object, array, string or scalar) from the
/// source, keeping it in `out` up to `cap` bytes. Only its extent is
/// found here (brackets outside strings, with escapes); serde_json parses
/// it. Works on UTF-8 and Windows-1256 alike: every byte it looks at is
/// ASCII.
pub(super) fn scan_value(source: &mut Source, out: &mut Vec<u8>, cap: usize) -> Scan {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut fits = true;
    let mut started = false;
    loop {
        if source.fill(1) == 0 {
            return if fits { Scan::Eof } else { Scan::TooLong };
        }
        let avail = source.buffered();
        let mut done = None;
        for (i, &b) in avail.iter().enumerate() {
            if in_string {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    in_string = false;
                    if depth == 0 {
                        done = Some(i + 1);
                        break;
                    }
                }
                continue;
            }
            match b {
                b'"' => {
                    in_string = true;
                    started = true;
                }
                b'{' | b'[' => {
                    depth += 1;
                    started = true;
                }
                b'}' | b']' if depth > 0 => {
                    depth -= 1;
                    if depth == 0 {
                        done = Some(i + 1);
                        break;
                    }
                }
                b',' | b']' | b'}' if depth == 0 => {
                    done = Some(i);
                    break;
                }
                b if b.is_ascii_whitespace() && depth == 0 && started => {
                    done = Some(i);
                    break;
                }
                _ => started = true,
            }
        }
        let n = done.unwrap_or(avail.len());
        fits &= source.take_capped(n, out, cap);
        if done.is_some() {
            return if fits { Scan::Complete } else { Scan::TooLong };
        }
    }
}
