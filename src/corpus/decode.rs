//! Corpus: bytes to text, one record at a time. Decodes UTF-8 or, when the
//! bytes are not UTF-8 but read as Arabic in Windows-1256 (common in older
//! Arabic news archives), Windows-1256 via encoding_rs. The encoding is
//! detected, never assumed: from the first [`super::source::BUFFER_BYTES`]
//! of the file (after a UTF-8 BOM), or, when that prefix is all ASCII, from
//! the first record that is not. A record that does not decode in the
//! file's encoding is skipped with its line; the rest of the file is read.

use std::borrow::Cow;

use serde::Serialize;

use super::Problem;

/// The encoding a file's text was decoded from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextEncoding {
    /// UTF-8 (with or without BOM).
    #[default]
    Utf8,
    /// Windows-1256 (CP-1256), detected because the bytes were not UTF-8.
    Windows1256,
    /// ISO-8859-6 (Arabic), declared by or detected in a web page.
    #[serde(rename = "iso-8859-6")]
    Iso88596,
    /// Another encoding a web page declared (UTF-16, Windows-1252, …).
    Other,
}

/// The UTF-8 byte order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What is known of a file's encoding so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Only ASCII seen: UTF-8 and Windows-1256 read it alike.
    Ascii,
    /// Decided.
    Known(TextEncoding),
}

/// Decodes a file's records in the encoding its first bytes show.
#[derive(Clone, Copy, Debug)]
pub struct Decoder {
    state: State,
}

impl Decoder {
    /// Detects the encoding from a file's first bytes (BOM removed);
    /// `complete` when they are the whole file.
    ///
    /// # Errors
    /// A [`Problem`] for an empty file, binary data (NUL bytes), or bytes
    /// that are neither UTF-8 nor Arabic in Windows-1256.
    pub fn sniff(prefix: &[u8], complete: bool) -> Result<Decoder, Problem> {
        if complete && prefix.iter().all(u8::is_ascii_whitespace) {
            return Err(Problem::file("empty file"));
        }
        if prefix.contains(&0) {
            return Err(Problem::file("binary file (contains NUL bytes)"));
        }
        let valid = match std::str::from_utf8(prefix) {
            Ok(_) => prefix.len(),
            // A character cut by the end of the prefix is not an error.
            Err(e) if e.error_len().is_none() && !complete => e.valid_up_to(),
            Err(e) => {
                return decode_windows_1256(prefix)
                    .map(|_| Decoder {
                        state: State::Known(TextEncoding::Windows1256),
                    })
                    .ok_or_else(|| Problem::file(not_text(e.valid_up_to())));
            }
        };
        let state = if prefix[..valid].is_ascii() {
            State::Ascii
        } else {
            State::Known(TextEncoding::Utf8)
        };
        Ok(Decoder { state })
    }

    /// A decoder for UTF-8 text (web pages decode themselves).
    pub fn utf8() -> Decoder {
        Decoder {
            state: State::Known(TextEncoding::Utf8),
        }
    }

    /// The encoding found (UTF-8 while only ASCII was seen).
    pub fn encoding(&self) -> TextEncoding {
        match self.state {
            State::Ascii => TextEncoding::Utf8,
            State::Known(e) => e,
        }
    }

    /// Decodes one record.
    ///
    /// # Errors
    /// The reason the record is not text in the file's encoding.
    pub fn decode<'a>(&mut self, bytes: &'a [u8]) -> Result<Cow<'a, str>, String> {
        if bytes.contains(&0) {
            return Err("binary data (contains NUL bytes)".to_string());
        }
        if self.state == State::Known(TextEncoding::Windows1256) {
            return decode_windows_1256(bytes)
                .map(Cow::Owned)
                .ok_or_else(|| "not Arabic Windows-1256 text".to_string());
        }
        // simdutf8 validates with vector instructions (UTF-8 validation of
        // the JSON lines was 2.3% of indexing instructions); std's check,
        // which says where the first bad byte is, runs only on failure
        let checked = match simdutf8::basic::from_utf8(bytes) {
            Ok(text) => Ok(text),
            Err(_) => std::str::from_utf8(bytes),
        };
        match checked {
            Ok(text) => {
                if self.state == State::Ascii && !text.is_ascii() {
                    self.state = State::Known(TextEncoding::Utf8);
                }
                Ok(Cow::Borrowed(text))
            }
            Err(e) if self.state == State::Ascii => {
                let text = decode_windows_1256(bytes).ok_or_else(|| not_text(e.valid_up_to()))?;
                self.state = State::Known(TextEncoding::Windows1256);
                Ok(Cow::Owned(text))
            }
            Err(e) => Err(format!(
                "not UTF-8 (invalid byte at offset {} of the record)",
                e.valid_up_to()
            )),
        }
    }
}

fn not_text(offset: usize) -> String {
    format!("not UTF-8 (invalid byte at offset {offset}) and not Arabic Windows-1256 text")
}

/// Decodes as Windows-1256 when the result reads as Arabic text: most
/// non-ASCII characters Arabic letters or marks, and no control characters
/// besides tab and line breaks.
fn decode_windows_1256(bytes: &[u8]) -> Option<String> {
    let (text, _, _) = encoding_rs::WINDOWS_1256.decode(bytes);
    let mut non_ascii = 0usize;
    let mut arabic = 0usize;
    for c in text.chars() {
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
            return None;
        }
        if !c.is_ascii() {
            non_ascii += 1;
            if ('\u{0600}'..='\u{06FF}').contains(&c) {
                arabic += 1;
            }
        }
    }
    (non_ascii == 0 || arabic * 10 >= non_ascii * 7).then(|| text.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1256_detected_from_the_prefix() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode("أخبار اليوم من بيروت");
        let mut d = Decoder::sniff(&bytes, true).expect("decodes");
        assert_eq!(d.encoding(), TextEncoding::Windows1256);
        assert_eq!(d.decode(&bytes).expect("record"), "أخبار اليوم من بيروت");
    }

    #[test]
    fn windows_1256_detected_after_an_ascii_prefix() {
        let mut d = Decoder::sniff(b"{\"id\": 1}\n", false).expect("ascii");
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode("خبر عاجل");
        assert_eq!(d.decode(&bytes).expect("record"), "خبر عاجل");
        assert_eq!(d.encoding(), TextEncoding::Windows1256);
    }

    #[test]
    fn utf8_cut_inside_a_character_is_not_an_error() {
        let text = "مرحبا".as_bytes();
        let d = Decoder::sniff(&text[..3], false).expect("cut prefix");
        assert_eq!(d.encoding(), TextEncoding::Utf8);
    }

    #[test]
    fn bad_record_in_a_utf8_file_is_an_error_for_that_record() {
        let mut d = Decoder::sniff("خبر".as_bytes(), false).expect("utf-8");
        let err = d.decode(b"caf\xe9").expect_err("not utf-8");
        assert!(err.contains("offset 3"), "{err}");
        assert_eq!(d.decode("نص".as_bytes()).expect("next record"), "نص");
    }

    #[test]
    fn rejects_empty_binary_and_garbage() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "empty"),
            (b"  \n", "empty"),
            (b"abc\0def", "binary"),
            (b"caf\xe9 cr\xe8me \xe0 la carte", "not UTF-8"),
        ];
        for (bytes, expected) in cases {
            let err = Decoder::sniff(bytes, true).expect_err("must fail");
            assert!(err.reason.contains(expected), "{bytes:?}: {}", err.reason);
        }
    }
}
