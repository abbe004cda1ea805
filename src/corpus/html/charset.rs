//! HTML: bytes to text, in any WHATWG encoding (through encoding_rs).
//! The encoding is taken, in this order, from a byte order mark, the HTTP
//! `Content-Type` charset (WARC responses), a `<meta charset>` or `<meta
//! http-equiv="Content-Type">` in the page's first [`PRESCAN_BYTES`],
//! else detected: UTF-8 when the bytes are valid UTF-8; else chardetng's
//! guess (Firefox's detector, every legacy encoding: Arabic, Windows-1252,
//! Cyrillic, CJK …, helped by the address's top-level domain), and when
//! it guesses Arabic, whichever of Windows-1256 and ISO-8859-6 reads as
//! more Arabic (at least 70% of the non-ASCII characters Arabic). A page that declares UTF-8 but is
//! not valid UTF-8 (a common mistake of old Arabic sites) is detected
//! instead of being decoded with replacement marks; UTF-16 without a byte
//! order mark is recognised by its zero bytes.
//!
//! A page is never skipped for its bytes, only when it is empty or is
//! binary data (over [`MAX_CONTROL_SHARE`] of its first bytes control
//! bytes): NUL bytes and other control characters are dropped from the
//! text.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, ISO_8859_6, REPLACEMENT, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1256};

use crate::corpus::TextEncoding;

/// Bytes of the page searched for a `<meta>` charset (the HTML standard
/// says 1,024; real pages put long comments and scripts first).
pub const PRESCAN_BYTES: usize = 8 * 1024;

/// Share of control bytes (NUL and others, white space aside) in a
/// page's first [`PRESCAN_BYTES`] above which it is binary data.
pub const MAX_CONTROL_SHARE: f64 = 0.05;

/// Decodes a page; `http_charset` is the charset of an HTTP header,
/// `url` its address (its top-level domain helps detection).
///
/// # Errors
/// Why the bytes are not a page's text: empty, or binary data.
pub fn decode(
    bytes: &[u8],
    http_charset: Option<&str>,
    url: Option<&str>,
) -> Result<(String, TextEncoding), String> {
    let (mut text, encoding) = decode_raw(bytes, http_charset, url)?;
    if text.chars().any(unwanted_control) {
        text.retain(|c| !unwanted_control(c));
    }
    Ok((text, encoding))
}

/// True for control characters other than tab, line breaks and form feed.
fn unwanted_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}')
}

fn decode_raw(
    bytes: &[u8],
    http_charset: Option<&str>,
    url: Option<&str>,
) -> Result<(String, TextEncoding), String> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return Ok((text.into_owned(), label(encoding)));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("empty file".to_string());
    }
    let prefix = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    if let Some(e) = utf16_without_bom(prefix) {
        let (text, _) = e.decode_without_bom_handling(bytes);
        return Ok((text.into_owned(), label(e)));
    }
    let controls = prefix
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    if controls as f64 > MAX_CONTROL_SHARE * prefix.len() as f64 {
        return Err(format!(
            "binary data ({controls} control bytes in the first {} bytes), not an HTML page",
            prefix.len()
        ));
    }
    let declared = http_charset
        .and_then(|c| Encoding::for_label(c.trim().as_bytes()))
        .or_else(|| meta_charset(prefix))
        .filter(|&e| e != REPLACEMENT);
    match declared {
        // A page that says UTF-8 (or UTF-16, which a byte stream read as
        // ASCII-compatible cannot be) is checked, not trusted.
        Some(e) if e == UTF_8 || e.output_encoding() == UTF_8 => Ok(detect(bytes, url)),
        Some(e) => {
            let (text, _, _) = e.decode(bytes);
            Ok((text.into_owned(), label(e)))
        }
        None => Ok(detect(bytes, url)),
    }
}

/// UTF-16 without a byte order mark: ASCII markup with a zero byte
/// beside every character (over 40% of the even or odd bytes zero).
fn utf16_without_bom(prefix: &[u8]) -> Option<&'static Encoding> {
    let pairs = prefix.len() / 2;
    if pairs < 8 {
        return None;
    }
    let zeros = |offset: usize| {
        prefix
            .iter()
            .skip(offset)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    if odd * 10 > pairs * 4 && even * 10 < pairs {
        Some(UTF_16LE)
    } else if even * 10 > pairs * 4 && odd * 10 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Valid UTF-8, else chardetng's guess; when that is an Arabic encoding,
/// whichever of Windows-1256 and ISO-8859-6 reads as more Arabic.
fn detect(bytes: &[u8], url: Option<&str>) -> (String, TextEncoding) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_string(), TextEncoding::Utf8);
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let tld = url.and_then(top_level_domain);
    let e = detector.guess(tld.as_deref().map(str::as_bytes), Utf8Detection::Deny);
    if e == WINDOWS_1256 || e == ISO_8859_6 {
        if let Some(found) = arabic(bytes) {
            return found;
        }
    }
    let (text, _, _) = e.decode(bytes);
    (text.into_owned(), label(e))
}

/// The top-level domain of an address (`sa` for `https://x.gov.sa/a`).
fn top_level_domain(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let tld = host.rsplit('.').next()?.to_ascii_lowercase();
    (tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic())).then_some(tld)
}

/// The page in Windows-1256 or ISO-8859-6 when it reads as Arabic there.
fn arabic(bytes: &[u8]) -> Option<(String, TextEncoding)> {
    let candidates = [WINDOWS_1256, ISO_8859_6];
    candidates
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
        .max_by_key(|(e, _, arabic, _, _)| (*arabic, *e == WINDOWS_1256))
        .map(|(e, text, ..)| (text, label(e)))
}

/// Arabic letters, non-ASCII characters, and whether C1 control
/// characters appear (bytes an encoding maps to nothing printable).
fn arabic_share(text: &str) -> (usize, usize, bool) {
    let (mut arabic, mut non_ascii) = (0, 0);
    for c in text.chars() {
        if ('\u{80}'..='\u{9f}').contains(&c) {
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
            let (text, encoding) = decode(&bytes, http, None).expect("decodes");
            assert_eq!(encoding, expected, "{text}");
            assert!(text.contains("القافلة إلى المدينة"), "{expected:?}: {text}");
        }
    }

    #[test]
    fn empty_and_binary_are_errors() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "empty"),
            (b" \n ", "empty"),
            (
                b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\0\xc8",
                "binary",
            ),
        ];
        for (bytes, expected) in cases {
            let err = decode(bytes, None, None).expect_err("must fail");
            assert!(err.contains(expected), "{bytes:?}: {err}");
        }
    }

    /// Pages in other WHATWG encodings, declared or not, and stray
    /// control bytes: decoded, never skipped.
    #[test]
    fn every_encoding_declared_or_detected_and_control_bytes_dropped() {
        let french = "<p>Le café de la gare a rouvert ses portes après des mois de travaux, à la grande joie des habitués.</p>";
        let russian = "<p>Новая библиотека открылась в центре города после долгого ремонта здания и площади.</p>";
        let greek = "<p>Η νέα βιβλιοθήκη άνοιξε στο κέντρο της πόλης μετά από μακρές εργασίες ανακαίνισης.</p>";
        let enc = |e: &'static Encoding, t: &str| e.encode(t).0.into_owned();
        let utf16le: Vec<u8> = french.encode_utf16().flat_map(u16::to_le_bytes).collect();
        // (bytes, HTTP charset, address, text expected)
        type Case<'a> = (Vec<u8>, Option<&'a str>, Option<&'a str>, &'a str);
        let cases: Vec<Case> = vec![
            // undeclared Windows-1252 and Latin-1 declared in <meta>
            (
                enc(encoding_rs::WINDOWS_1252, french),
                None,
                None,
                "café de la gare",
            ),
            (
                [
                    b"<meta charset=iso-8859-1>".as_slice(),
                    &enc(encoding_rs::WINDOWS_1252, french),
                ]
                .concat(),
                None,
                None,
                "après des mois",
            ),
            // Cyrillic: declared by HTTP, and detected with the .ru hint
            (
                enc(encoding_rs::WINDOWS_1251, russian),
                Some("windows-1251"),
                None,
                "библиотека",
            ),
            (
                enc(encoding_rs::KOI8_R, russian),
                None,
                Some("https://gazeta.ru/a"),
                "библиотека",
            ),
            (
                enc(encoding_rs::ISO_8859_7, greek),
                Some("iso-8859-7"),
                None,
                "βιβλιοθήκη",
            ),
            // UTF-16 without a byte order mark
            (utf16le, None, None, "café de la gare"),
            // A NUL byte and other control bytes inside a UTF-8 page
            (
                "<html><body><p>نص\0 الخبر\u{1} الكامل كما نشرته الصحيفة صباح اليوم</p></body></html>"
                    .as_bytes()
                    .to_vec(),
                None,
                None,
                "نص الخبر الكامل",
            ),
        ];
        for (bytes, http, url, expected) in cases {
            let (text, _) = decode(&bytes, http, url).expect("decodes");
            assert!(text.contains(expected), "{expected}: {text}");
            assert!(!text.chars().any(unwanted_control), "{text:?}");
        }
        assert_eq!(
            top_level_domain("https://news.example.sa:8080/x"),
            Some("sa".to_string())
        );
    }
}
