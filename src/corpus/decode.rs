//! Corpus: raw bytes to text. Gunzips `.gz` files, drops a UTF-8 BOM, and
//! decodes UTF-8 or, when the bytes are not UTF-8 but read as Arabic in
//! Windows-1256 (common in older Arabic news archives), Windows-1256 via
//! encoding_rs. The encoding is detected, never assumed.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;
use serde::Serialize;

use super::Problem;

/// Largest file akhbar reads, after decompression (bytes).
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// The encoding a file's text was decoded from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextEncoding {
    /// UTF-8 (with or without BOM).
    #[default]
    Utf8,
    /// Windows-1256 (CP-1256), detected because the bytes were not UTF-8.
    Windows1256,
}

/// Decoded text and where it came from.
#[derive(Debug)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// The encoding it was decoded from.
    pub encoding: TextEncoding,
}

/// Reads a file's bytes, gunzipping `.gz` files.
///
/// # Errors
/// A [`Problem`] naming the I/O failure, a truncated or corrupt gzip
/// stream, or a file over [`MAX_FILE_BYTES`].
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Problem> {
    let file = File::open(path).map_err(|e| Problem::file(io_reason(&e)))?;
    let gz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    let mut bytes = Vec::new();
    let limit = MAX_FILE_BYTES + 1;
    let read = if gz {
        MultiGzDecoder::new(file)
            .take(limit)
            .read_to_end(&mut bytes)
    } else {
        file.take(limit).read_to_end(&mut bytes)
    };
    read.map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof if gz => Problem::file("truncated gzip file"),
        _ if gz => Problem::file(format!("corrupt gzip file: {e}")),
        _ => Problem::file(io_reason(&e)),
    })?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Problem::file(format!(
            "file larger than {} MiB",
            MAX_FILE_BYTES / 1024 / 1024
        )));
    }
    Ok(bytes)
}

fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::NotFound => "file not found".to_string(),
        _ => e.to_string(),
    }
}

/// Decodes bytes to text, detecting UTF-8 or Windows-1256.
///
/// # Errors
/// A [`Problem`] for an empty file, binary data (NUL bytes), or bytes that
/// are neither UTF-8 nor Arabic in Windows-1256.
pub fn decode(bytes: &[u8]) -> Result<Decoded, Problem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Problem::file("empty file"));
    }
    if bytes.contains(&0) {
        return Err(Problem::file("binary file (contains NUL bytes)"));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: text.to_string(),
            encoding: TextEncoding::Utf8,
        }),
        Err(err) => decode_windows_1256(bytes).ok_or_else(|| {
            Problem::file(format!(
                "not UTF-8 (invalid byte at offset {}) and not Arabic Windows-1256 text",
                err.valid_up_to()
            ))
        }),
    }
}

/// Decodes as Windows-1256 when the result reads as Arabic text: most
/// non-ASCII characters Arabic letters or marks, and no control characters
/// besides tab and line breaks.
fn decode_windows_1256(bytes: &[u8]) -> Option<Decoded> {
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
    (non_ascii > 0 && arabic * 10 >= non_ascii * 7).then(|| Decoded {
        text: text.into_owned(),
        encoding: TextEncoding::Windows1256,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_bom() {
        let d = decode("\u{FEFF}مرحبا".as_bytes()).expect("decodes");
        assert_eq!(d.text, "مرحبا");
        assert_eq!(d.encoding, TextEncoding::Utf8);
    }

    #[test]
    fn windows_1256_detected() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode("أخبار اليوم من بيروت");
        let d = decode(&bytes).expect("decodes");
        assert_eq!(d.text, "أخبار اليوم من بيروت");
        assert_eq!(d.encoding, TextEncoding::Windows1256);
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
            let err = decode(bytes).expect_err("must fail");
            assert!(err.reason.contains(expected), "{bytes:?}: {}", err.reason);
        }
    }
}
