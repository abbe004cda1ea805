//! HTML: bytes to text. The encoding is taken, in this order, from a byte
//! order mark, the HTTP `Content-Type` charset (WARC responses), a `<meta
//! charset>` or `<meta http-equiv="Content-Type">` in the page's first
//! [`PRESCAN_BYTES`], else detected: UTF-8 when the bytes are valid
//! UTF-8, else whichever of Windows-1256 and ISO-8859-6 reads as more
//! Arabic (at least 70% of the non-ASCII characters Arabic). A page that
//! declares UTF-8 but is not valid UTF-8 (a common mistake of old Arabic
//! sites) is detected instead of being decoded with replacement marks.

use encoding_rs::{Encoding, ISO_8859_6, UTF_8, WINDOWS_1256};

use crate::corpus::TextEncoding;

/// Bytes of the page searched for a `<meta>` charset (the HTML standard
/// says 1,024; real pages put long comments and scripts first).
pub const PRESCAN_BYTES: usize = 8 * 1024;

/// Decodes a page; `http_charset` is the charset of an HTTP header.
///
/// # Errors
/// Why the bytes are not a page's text: empty, binary (NUL bytes without
/// a UTF-16 byte order mark), or neither UTF-8 nor Arabic in the Arabic
/// single-byte encodings.
pub fn decode(bytes: &[u8], http_charset: Option<&str>) -> Result<(String, TextEncoding), String> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return Ok((text.into_owned(), label(encoding)));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("empty file".to_string());
    }
    if bytes.contains(&0) {
        return Err("binary data (contains NUL bytes), not an HTML page".to_string());
    }
    let declared = http_charset
        .and_then(|c| Encoding::for_label(c.trim().as_bytes()))
        .or_else(|| meta_charset(&bytes[..bytes.len().min(PRESCAN_BYTES)]));
    match declared {
        // A page that says UTF-8 (or UTF-16, which a byte stream read as
        // ASCII-compatible cannot be) is checked, not trusted.
        Some(e) if e == UTF_8 || e.output_encoding() == UTF_8 => detect(bytes),
        Some(e) => {
            let (text, _, _) = e.decode(bytes);
            Ok((text.into_owned(), label(e)))
        }
        None => detect(bytes),
    }
}

fn detect(bytes: &[u8]) -> Result<(String, TextEncoding), String> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_string(), TextEncoding::Utf8));
    }
    let candidates = [WINDOWS_1256, ISO_8859_6];
    let best = candidates
        .iter()
        .map(|&e| {
            let (text, _, unmapped) = e.decode(bytes);
            let (arabic, non_ascii, control) = arabic_share(&text);
            // ISO-8859-6 reads many Latin-1 bytes as Arabic letters: it
            // must map every byte and give some Arabic words.
            let doubtful = e == ISO_8859_6 && (unmapped || arabic < 10);
            (e, text.into_owned(), arabic, non_ascii, control || doubtful)
        })
        .filter(|(_, _, arabic, non_ascii, control)| !control && arabic * 10 >= non_ascii * 7)
        .max_by_key(|(e, _, arabic, _, _)| (*arabic, *e == WINDOWS_1256));
    match best {
        Some((e, text, ..)) => Ok((text, label(e))),
        None => {
            let at = std::str::from_utf8(bytes)
                .err()
                .map_or(0, |e| e.valid_up_to());
            Err(format!(
                "not UTF-8 (invalid byte at offset {at}) and not Arabic Windows-1256 or ISO-8859-6 text"
            ))
        }
    }
}

/// Arabic letters, non-ASCII characters, and whether control characters
/// (other than tab and line breaks) appear.
fn arabic_share(text: &str) -> (usize, usize, bool) {
    let (mut arabic, mut non_ascii) = (0, 0);
    for c in text.chars() {
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}') {
            return (0, 0, true);
        }
        if !c.is_ascii() {
            non_ascii += 1;
            if ('\u{0600}'..='\u{06FF}').contains(&c) {
                arabic += 1;
            }
        }
    }
    (arabic, non_ascii, false)
}

/// The encoding named by a `<meta charset>` or `http-equiv` content type.
pub fn meta_charset(prefix: &[u8]) -> Option<&'static Encoding> {
    let lower = prefix.to_ascii_lowercase();
    let finder = memchr::memmem::Finder::new(b"<meta");
    for start in finder.find_iter(&lower) {
        let tag = &lower[start..];
        let end = memchr::memchr(b'>', tag).unwrap_or(tag.len());
        let tag = &tag[..end];
        let Some(at) = memchr::memmem::find(tag, b"charset") else {
            continue;
        };
        let rest = &tag[at + 7..];
        let rest = trim_start(rest);
        let Some(rest) = rest.strip_prefix(b"=") else {
            continue;
        };
        let rest = trim_start(rest);
        let rest = rest
            .strip_prefix(b"\"")
            .or_else(|| rest.strip_prefix(b"'"))
            .unwrap_or(rest);
        let name: Vec<u8> = rest
            .iter()
            .copied()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
            .collect();
        if let Some(e) = Encoding::for_label(&name) {
            return Some(e);
        }
    }
    None
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

/// The project's name for an encoding.
fn label(e: &'static Encoding) -> TextEncoding {
    if e == UTF_8 {
        TextEncoding::Utf8
    } else if e == WINDOWS_1256 {
        TextEncoding::Windows1256
    } else if e == ISO_8859_6 {
        TextEncoding::Iso88596
    } else {
        TextEncoding::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARABIC: &str = "<p>وصلت القافلة إلى المدينة صباح الأحد بعد رحلة طويلة</p>";

    #[test]
    fn encodings_from_bom_header_meta_or_detection() {
        let (w1256, _, _) = WINDOWS_1256.encode(ARABIC);
        let (iso, _, _) = ISO_8859_6.encode(ARABIC);
        let with_meta = |meta: &str, body: &[u8]| {
            let mut page = format!("<html><head>{meta}</head><body>").into_bytes();
            page.extend_from_slice(body);
            page
        };
        let utf8 = ARABIC.as_bytes();
        let bom = [b"\xEF\xBB\xBF".as_slice(), utf8].concat();
        let cases: Vec<(Vec<u8>, Option<&str>, TextEncoding)> = vec![
            (utf8.to_vec(), None, TextEncoding::Utf8),
            (bom, None, TextEncoding::Utf8),
            (w1256.to_vec(), None, TextEncoding::Windows1256),
            (iso.to_vec(), None, TextEncoding::Iso88596),
            (
                with_meta("<meta charset=\"windows-1256\">", &w1256),
                None,
                TextEncoding::Windows1256,
            ),
            (
                with_meta(
                    "<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=ISO-8859-6'>",
                    &iso,
                ),
                None,
                TextEncoding::Iso88596,
            ),
            // A lying UTF-8 declaration: detected instead.
            (
                with_meta("<meta charset=utf-8>", &w1256),
                None,
                TextEncoding::Windows1256,
            ),
            // The HTTP header wins over the page.
            (
                w1256.to_vec(),
                Some("windows-1256"),
                TextEncoding::Windows1256,
            ),
        ];
        for (bytes, http, expected) in cases {
            let (text, encoding) = decode(&bytes, http).expect("decodes");
            assert_eq!(encoding, expected, "{text}");
            assert!(text.contains("القافلة إلى المدينة"), "{expected:?}: {text}");
        }
    }

    #[test]
    fn empty_binary_and_garbage_are_errors() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "empty"),
            (b" \n ", "empty"),
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "binary"),
            (b"caf\xe9 cr\xe8me \xe0 la carte", "not UTF-8"),
        ];
        for (bytes, expected) in cases {
            let err = decode(bytes, None).expect_err("must fail");
            assert!(err.contains(expected), "{bytes:?}: {err}");
        }
    }
}
