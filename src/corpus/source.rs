//! Corpus: a file's (gunzipped) bytes as a stream, read through one fixed
//! buffer of [`BUFFER_BYTES`]. It counts what it hands out (byte offset and
//! line number, for resume points and error messages) and hashes it with
//! blake3, so that the hash of every prefix the reader stopped at is known
//! without reading the file twice. A read error (a truncated or corrupt
//! gzip stream) is kept until the bytes read before it are consumed.

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use flate2::read::MultiGzDecoder;
use memchr::memmem::Finder;

use serde::{Deserialize, Serialize};

use super::Problem;

/// Size of the read buffer (and of the prefix sniffed for the encoding).
pub const BUFFER_BYTES: usize = 64 * 1024;

/// Largest record read, as written in the file (a JSON line or array item,
/// a TREC document, a page, a WARC record): a longer one is skipped with
/// its line.
pub const MAX_RECORD_BYTES: usize = 16 << 20;

/// How a bounded read ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Until {
    /// The delimiter was found (and consumed, for a byte delimiter).
    Found,
    /// The stream ended first.
    Eof,
    /// More than the cap was read; the excess was consumed but not kept.
    TooLong,
}

/// Where a reader stands in a file after a record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// Bytes read (of the gunzipped stream, for `.gz`).
    pub offset: u64,
    /// The 1-based line the next record starts on.
    pub line: u64,
    /// Articles read before this point.
    pub articles: u64,
    /// blake3 hash (hex) of the bytes before `offset`.
    pub hash: String,
}

/// A stream of bytes with its offset, line, hash and pending error.
pub struct Source {
    inner: Box<dyn Read + Send>,
    buf: Box<[u8]>,
    pos: usize,
    end: usize,
    eof: bool,
    error: Option<io::Error>,
    gz: bool,
    offset: u64,
    newlines: u64,
    /// The hash of the bytes consumed before `hashed`; the bytes from
    /// `hashed` to `pos` are consumed and not hashed yet: they are hashed
    /// in one piece (before the buffer moves, or when the hash is asked
    /// for), so blake3 sees runs of up to 64 KiB and hashes eight 1 KiB
    /// chunks at once, not one record at a time (2.4% of indexing
    /// instructions before).
    hasher: RefCell<(blake3::Hasher, usize)>,
    raw: Arc<AtomicU64>,
}

/// Counts the bytes read from the file itself (before gunzipping).
struct Counted<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl Source {
    /// Opens a file, gunzipping it when its name ends in `.gz`.
    ///
    /// # Errors
    /// A [`Problem`] naming why the file cannot be opened.
    pub fn open(path: &Path) -> Result<Source, Problem> {
        let file = File::open(path).map_err(|e| Problem::file(io_reason(&e)))?;
        let gz = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
        let raw = Arc::new(AtomicU64::new(0));
        let counted = Counted {
            inner: file,
            count: Arc::clone(&raw),
        };
        let inner: Box<dyn Read + Send> = if gz {
            Box::new(MultiGzDecoder::new(counted))
        } else {
            Box::new(counted)
        };
        Ok(Source::new(inner, gz, raw))
    }

    /// A source over bytes already in memory (not gzipped).
    pub fn from_bytes(bytes: Vec<u8>) -> Source {
        let raw = Arc::new(AtomicU64::new(bytes.len() as u64));
        Source::new(Box::new(io::Cursor::new(bytes)), false, raw)
    }

    fn new(inner: Box<dyn Read + Send>, gz: bool, raw: Arc<AtomicU64>) -> Source {
        Source {
            inner,
            buf: vec![0; BUFFER_BYTES].into_boxed_slice(),
            pos: 0,
            end: 0,
            eof: false,
            error: None,
            gz,
            offset: 0,
            newlines: 0,
            hasher: RefCell::new((blake3::Hasher::new(), 0)),
            raw,
        }
    }

    /// Bytes consumed so far.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The 1-based line the next byte is on.
    pub fn line(&self) -> u64 {
        self.newlines + 1
    }

    /// Bytes read from the file itself so far (compressed, for `.gz`).
    pub fn raw_bytes(&self) -> u64 {
        self.raw.load(Ordering::Relaxed)
    }

    /// blake3 hash (hex) of the bytes consumed so far.
    pub fn hash(&self) -> String {
        self.catch_up();
        self.hasher.borrow().0.finalize().to_hex().to_string()
    }

    /// Hashes the bytes consumed and not hashed yet.
    fn catch_up(&self) {
        let mut hasher = self.hasher.borrow_mut();
        let (state, hashed) = &mut *hasher;
        if *hashed < self.pos {
            state.update(&self.buf[*hashed..self.pos]);
        }
        *hashed = self.pos;
    }

    /// The bytes buffered and not consumed.
    pub fn buffered(&self) -> &[u8] {
        &self.buf[self.pos..self.end]
    }

    /// True when every byte has been consumed and the stream has ended.
    pub fn at_end(&mut self) -> bool {
        self.fill(1) == 0
    }

    /// Makes at least `want` bytes (at most the buffer size) available
    /// unless the stream ends or fails first; returns how many are.
    pub fn fill(&mut self, want: usize) -> usize {
        let want = want.min(self.buf.len());
        if self.end - self.pos >= want {
            return self.end - self.pos;
        }
        if self.pos > 0 {
            self.catch_up();
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.pos = 0;
            self.hasher.get_mut().1 = 0;
        }
        while self.end < want && !self.eof && self.error.is_none() {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.end += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => self.error = Some(e),
            }
        }
        self.end - self.pos
    }

    /// The read error met after the buffered bytes, as a problem (whole
    /// file when `line` is `None`).
    pub fn error(&self, line: Option<u64>) -> Option<Problem> {
        let e = self.error.as_ref()?;
        let reason = match e.kind() {
            io::ErrorKind::UnexpectedEof if self.gz => "truncated gzip file".to_string(),
            _ if self.gz => format!("corrupt gzip file: {e}"),
            _ => io_reason(e),
        };
        Some(Problem {
            line: line.map(|l| l as usize),
            reason,
        })
    }

    /// True when a read error is pending.
    pub fn failed(&self) -> bool {
        self.error.is_some()
    }

    /// Consumes `n` buffered bytes.
    pub fn consume(&mut self, n: usize) {
        let bytes = &self.buf[self.pos..self.pos + n];
        self.newlines += memchr::memchr_iter(b'\n', bytes).count() as u64;
        self.offset += n as u64;
        self.pos += n;
    }

    /// Consumes `n` buffered bytes, appending them to `out` unless that
    /// would make it longer than `cap`; returns false when they did not fit.
    pub fn take_capped(&mut self, n: usize, out: &mut Vec<u8>, cap: usize) -> bool {
        let fits = out.len() + n <= cap;
        if fits {
            out.extend_from_slice(&self.buf[self.pos..self.pos + n]);
        }
        self.consume(n);
        fits
    }

    /// Consumes bytes up to and including `delim` (or to the end), keeping
    /// at most `cap` of them in `out`.
    pub fn read_until(&mut self, delim: u8, out: &mut Vec<u8>, cap: usize) -> Until {
        let mut fits = true;
        loop {
            if self.fill(1) == 0 {
                return if fits { Until::Eof } else { Until::TooLong };
            }
            let avail = &self.buf[self.pos..self.end];
            match memchr::memchr(delim, avail) {
                Some(i) => {
                    fits &= self.take_capped(i + 1, out, cap);
                    return if fits { Until::Found } else { Until::TooLong };
                }
                None => {
                    let n = avail.len();
                    fits &= self.take_capped(n, out, cap);
                }
            }
        }
    }

    /// Consumes bytes up to (not including) the next `pattern`, keeping at
    /// most `cap` of them in `out`.
    pub fn read_until_pattern(&mut self, pattern: &Finder, out: &mut Vec<u8>, cap: usize) -> Until {
        let len = pattern.needle().len();
        let mut fits = true;
        loop {
            let avail = self.fill(len);
            if avail == 0 {
                return if fits { Until::Eof } else { Until::TooLong };
            }
            if let Some(i) = pattern.find(self.buffered()) {
                fits &= self.take_capped(i, out, cap);
                return if fits { Until::Found } else { Until::TooLong };
            }
            if avail < len {
                // The stream ended (or failed) inside a partial pattern.
                fits &= self.take_capped(avail, out, cap);
                continue;
            }
            // Keep the last len - 1 bytes: the pattern may start there.
            fits &= self.take_capped(avail + 1 - len, out, cap);
        }
    }

    /// Consumes the rest of the stream, keeping at most `cap` bytes.
    pub fn read_until_eof(&mut self, out: &mut Vec<u8>, cap: usize) -> Until {
        let mut fits = true;
        loop {
            let avail = self.fill(BUFFER_BYTES);
            if avail == 0 {
                return if fits { Until::Eof } else { Until::TooLong };
            }
            fits &= self.take_capped(avail, out, cap);
        }
    }

    /// Consumes ASCII whitespace.
    pub fn skip_whitespace(&mut self) {
        while self.fill(1) > 0 {
            let n = self
                .buffered()
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
            let all = n == self.end - self.pos;
            self.consume(n);
            if !all {
                return;
            }
        }
    }

    /// The next byte, not consumed.
    pub fn peek(&mut self) -> Option<u8> {
        (self.fill(1) > 0).then(|| self.buf[self.pos])
    }

    /// Consumes `n` bytes, hashing them; returns false when the stream
    /// ended (or failed) first.
    pub fn skip(&mut self, mut n: u64) -> bool {
        while n > 0 {
            let avail = self.fill(BUFFER_BYTES);
            if avail == 0 {
                return false;
            }
            let k = avail.min(usize::try_from(n).unwrap_or(usize::MAX));
            self.consume(k);
            n -= k as u64;
        }
        true
    }
}

/// A short reason for an I/O error.
pub fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::NotFound => "file not found".to_string(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out one byte per call, to cross every boundary.
    struct Trickle(Vec<u8>, usize);

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.1 >= self.0.len() || buf.is_empty() {
                return Ok(0);
            }
            buf[0] = self.0[self.1];
            self.1 += 1;
            Ok(1)
        }
    }

    fn trickle(bytes: &[u8]) -> Source {
        let raw = Arc::new(AtomicU64::new(0));
        Source::new(Box::new(Trickle(bytes.to_vec(), 0)), false, raw)
    }

    #[test]
    fn lines_offsets_and_caps() {
        for mut s in [
            Source::from_bytes(b"ab\ncdef\n\nxyz".to_vec()),
            trickle(b"ab\ncdef\n\nxyz"),
        ] {
            let mut out = Vec::new();
            assert_eq!(s.read_until(b'\n', &mut out, 10), Until::Found);
            assert_eq!(out, b"ab\n");
            assert_eq!((s.offset(), s.line()), (3, 2));
            out.clear();
            assert_eq!(s.read_until(b'\n', &mut out, 3), Until::TooLong);
            assert_eq!(s.line(), 3);
            out.clear();
            assert_eq!(s.read_until(b'\n', &mut out, 10), Until::Found);
            assert_eq!(out, b"\n");
            out.clear();
            assert_eq!(s.read_until(b'\n', &mut out, 10), Until::Eof);
            assert_eq!(out, b"xyz");
            assert_eq!(s.offset(), 12);
            assert_eq!(
                s.hash(),
                blake3::hash(b"ab\ncdef\n\nxyz").to_hex().to_string()
            );
        }
    }

    #[test]
    fn pattern_found_across_reads() {
        let text = b"<DOC>one</DOC>\n<DOC>two</DOC>";
        for mut s in [Source::from_bytes(text.to_vec()), trickle(text)] {
            let finder = Finder::new(b"<DOC>");
            let mut out = Vec::new();
            assert_eq!(s.read_until_pattern(&finder, &mut out, 100), Until::Found);
            assert!(out.is_empty());
            s.consume(5);
            assert_eq!(s.read_until_pattern(&finder, &mut out, 100), Until::Found);
            assert_eq!(out, b"one</DOC>\n");
            out.clear();
            s.consume(5);
            assert_eq!(s.read_until_pattern(&finder, &mut out, 100), Until::Eof);
            assert_eq!(out, b"two</DOC>");
        }
    }
}
