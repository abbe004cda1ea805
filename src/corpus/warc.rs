//! Corpus: web archives (`.warc`, `.warc.gz`), record by record. A small
//! reader over [`Source`] (which gunzips a `.gz` member after member,
//! counts offsets and hashes what it hands out), so that WARC files get
//! the same bounded memory, resume points and incremental runs as JSON
//! Lines files. (A WARC crate would read through its own reader and
//! bypass that machinery; the format is simple enough to read here.)
//!
//! Rules (WARC 1.0/1.1): a record is a `WARC/1.x` line, header lines up
//! to an empty line, a block of exactly `Content-Length` bytes, and an
//! empty line pair. `response` records whose block is an HTTP response
//! (`application/http`) with status 2xx and an HTML content type
//! (`text/html`, `application/xhtml+xml`) become articles through
//! [`html::read`], with the record's `WARC-Target-URI` as url and id and
//! its `WARC-Date` as the date when the page gives none; chunked transfer
//! and gzip/deflate content encodings are undone. Every other record
//! (`warcinfo`, `request`, `metadata`, `revisit`, non-HTML or non-2xx
//! responses) is counted by kind and skipped.
//!
//! Damage: a record cut by the end of the file gives what it holds (as
//! warcio does): a cut HTML response is read as far as it goes, its page
//! noted as truncated with the record's offset; any other cut record is
//! reported with its offset. A record whose `Content-Length` does not end at an empty line
//! pair (a lying length), or a header that is not a WARC header, is
//! reported with its offset and the reader goes on at the next line that
//! starts with `WARC/`. Offsets are bytes of the (gunzipped) stream. A
//! gzip stream that breaks mid-file ends the file there, as for any `.gz`
//! (the articles before stay, the break is reported).

use flate2::read::{MultiGzDecoder, ZlibDecoder};
use memchr::memmem::Finder;
use std::io::Read;

use super::html::{self, Hints, Page};
use super::source::{Source, Until, BUFFER_BYTES, MAX_RECORD_BYTES};
use super::Problem;

/// Longest header line kept.
const MAX_LINE: usize = 64 * 1024;
/// Most header lines in one record.
const MAX_HEADERS: usize = 1_000;

/// What one WARC record gave.
pub enum Item {
    /// An HTML page.
    Page(Box<Page>),
    /// A record that is no HTML page, by kind (`request`, `response
    /// image/png`, `response 404` …).
    Other(String),
    /// A damaged record or one whose page could not be read.
    Bad(Problem),
}

/// A WARC record's headers that matter here.
#[derive(Debug, Default)]
struct Headers {
    kind: String,
    uri: Option<String>,
    date: Option<String>,
    content_type: String,
    length: Option<u64>,
}

/// Reads the next record; `None` at the end of the stream.
pub fn next_item(source: &mut Source, buf: &mut Vec<u8>, resync: &Finder) -> Option<Item> {
    source.skip_whitespace();
    if source.at_end() {
        return None;
    }
    let start = source.offset();
    let bad = |what: String| Problem::file(format!("WARC record at byte {start}: {what}"));
    buf.clear();
    let until = source.read_until(b'\n', buf, 256);
    if until != Until::Found || !buf.starts_with(b"WARC/") {
        if until == Until::Eof {
            return Some(Item::Bad(bad(
                "truncated (the file ends in its header)".into()
            )));
        }
        skip_to_next(source, resync);
        return Some(Item::Bad(bad(
            "not a WARC record header; skipped to the next record".into(),
        )));
    }
    let headers = match read_headers(source, buf) {
        Ok(h) => h,
        Err((reason, eof)) => {
            if !eof {
                skip_to_next(source, resync);
            }
            return Some(Item::Bad(bad(reason)));
        }
    };
    let Some(length) = headers.length else {
        skip_to_next(source, resync);
        return Some(Item::Bad(bad("no valid Content-Length".into())));
    };
    let wanted = headers.kind == "response"
        && headers.content_type.contains("application/http")
        && length <= MAX_RECORD_BYTES as u64;
    buf.clear();
    let complete = if wanted {
        read_exact(source, buf, length as usize)
    } else {
        source.skip(length)
    };
    if !complete {
        if source.failed() {
            // A broken gzip stream: the reader reports it with its line.
            return None;
        }
        let cut = format!(
            "truncated (Content-Length {length}, the file ends after {} bytes of it)",
            buf.len()
        );
        if !wanted || buf.is_empty() {
            return Some(Item::Bad(bad(cut)));
        }
        return Some(match response(buf, &headers, start, true) {
            Item::Page(mut page) => {
                let uri = headers.uri.as_deref().unwrap_or("");
                page.notes.push(format!(
                    "WARC record at byte {start} ({uri}): {cut}; the page was read from what it holds"
                ));
                Item::Page(page)
            }
            other => other,
        });
    }
    if !trailer(source) {
        skip_to_next(source, resync);
        return Some(Item::Bad(bad(format!(
            "Content-Length {length} does not end at the record's end; record skipped"
        ))));
    }
    if headers.kind == "response" && length > MAX_RECORD_BYTES as u64 {
        return Some(Item::Bad(bad(format!(
            "response larger than {} MiB",
            MAX_RECORD_BYTES >> 20
        ))));
    }
    if !wanted {
        return Some(Item::Other(headers.kind));
    }
    Some(response(buf, &headers, start, false))
}

/// Reads header lines up to the empty line; `Err((reason, at_eof))`.
fn read_headers(source: &mut Source, line: &mut Vec<u8>) -> Result<Headers, (String, bool)> {
    let mut h = Headers::default();
    for _ in 0..MAX_HEADERS {
        line.clear();
        match source.read_until(b'\n', line, MAX_LINE) {
            Until::Found => {}
            Until::Eof => return Err(("truncated (the file ends in its header)".into(), true)),
            Until::TooLong => return Err(("header line too long".into(), false)),
        }
        let text = String::from_utf8_lossy(line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            return Ok(h);
        }
        let Some((name, value)) = text.split_once(':') else {
            continue;
        };
        let value = value.trim().to_string();
        match name.trim().to_ascii_lowercase().as_str() {
            "warc-type" => h.kind = value.to_ascii_lowercase(),
            "warc-target-uri" => h.uri = Some(value.trim_matches(['<', '>']).to_string()),
            "warc-date" => h.date = Some(value),
            "content-type" => h.content_type = value.to_ascii_lowercase(),
            "content-length" => h.length = value.parse().ok(),
            _ => {}
        }
    }
    Err(("too many header lines".into(), false))
}

/// Reads exactly `n` bytes into `out`; false when the stream ends first.
fn read_exact(source: &mut Source, out: &mut Vec<u8>, n: usize) -> bool {
    while out.len() < n {
        let avail = source.fill(BUFFER_BYTES);
        if avail == 0 {
            return false;
        }
        let k = avail.min(n - out.len());
        source.take_capped(k, out, n);
    }
    true
}

/// Consumes the empty line pair after a block; false when something
/// else follows (the end of the file is accepted).
fn trailer(source: &mut Source) -> bool {
    let avail = source.fill(4);
    let next = &source.buffered()[..avail.min(4)];
    if next.starts_with(b"\r\n\r\n") {
        source.consume(4);
        true
    } else if next.starts_with(b"\n\n") {
        source.consume(2);
        true
    } else {
        // The end of the file, or only line breaks before it.
        next.iter().all(|b| matches!(b, b'\r' | b'\n')) && {
            let n = next.len();
            source.consume(n);
            source.at_end()
        }
    }
}

/// Skips to the next line starting with `WARC/` (or the end).
fn skip_to_next(source: &mut Source, resync: &Finder) {
    let mut sink = Vec::new();
    if source.read_until_pattern(resync, &mut sink, 0) == Until::Found {
        source.consume(1);
    }
}

/// An HTTP response block to an item; a `truncated` block's chunked or
/// compressed body gives what it holds.
fn response(block: &[u8], headers: &Headers, start: u64, truncated: bool) -> Item {
    let uri = headers.uri.clone().unwrap_or_default();
    let bad = |what: String| {
        Item::Bad(Problem::file(format!(
            "WARC record at byte {start} ({uri}): {what}"
        )))
    };
    let (head_end, sep) = match memchr::memmem::find(block, b"\r\n\r\n") {
        Some(i) => (i, 4),
        None => match memchr::memmem::find(block, b"\n\n") {
            Some(i) => (i, 2),
            None => return bad("HTTP response without a header end".into()),
        },
    };
    let head = String::from_utf8_lossy(&block[..head_end]);
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse::<u16>().ok());
    let Some(status) = status else {
        return bad("no HTTP status line".into());
    };
    let (mut content_type, mut chunked, mut encoding) = (String::new(), false, String::new());
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            let value = value.trim().to_ascii_lowercase();
            match name.trim().to_ascii_lowercase().as_str() {
                "content-type" => content_type = value,
                "transfer-encoding" => chunked = value.contains("chunked"),
                "content-encoding" => encoding = value,
                _ => {}
            }
        }
    }
    if !(200..300).contains(&status) {
        return Item::Other(format!("response {status}"));
    }
    let mime = content_type.split(';').next().unwrap_or("").trim();
    if !matches!(mime, "text/html" | "application/xhtml+xml") {
        let mime = if mime.is_empty() {
            "without type"
        } else {
            mime
        };
        return Item::Other(format!("response {mime}"));
    }
    let charset = content_type
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("charset="))
        .map(|c| c.trim_matches(['"', '\'']).to_string())
        .next();
    let mut body = block[head_end + sep..].to_vec();
    if chunked {
        match dechunk(&body, truncated) {
            Some(b) => body = b,
            None => return bad("broken chunked transfer encoding".into()),
        }
    }
    match encoding.as_str() {
        "" | "identity" => {}
        "gzip" | "x-gzip" | "deflate" => {
            let mut out = Vec::new();
            let limit = MAX_RECORD_BYTES as u64 + 1;
            let read = if encoding == "deflate" {
                ZlibDecoder::new(&body[..])
                    .take(limit)
                    .read_to_end(&mut out)
            } else {
                MultiGzDecoder::new(&body[..])
                    .take(limit)
                    .read_to_end(&mut out)
            };
            match read {
                Err(_) if truncated && !out.is_empty() => {}
                Err(e) => return bad(format!("{encoding} content that does not decompress: {e}")),
                Ok(_) => {}
            }
            if out.len() > MAX_RECORD_BYTES {
                return bad(format!("page larger than {} MiB", MAX_RECORD_BYTES >> 20));
            }
            body = out;
        }
        other => return bad(format!("unsupported content encoding {other}")),
    }
    let hints = Hints {
        url: headers.uri.clone(),
        date: headers.date.clone(),
        charset,
    };
    match html::read(&body, &hints) {
        Ok(page) => Item::Page(Box::new(page)),
        Err(reason) => bad(reason),
    }
}

/// Undoes HTTP chunked transfer encoding; with `truncated`, data that
/// ends inside a chunk gives the chunks so far and the cut chunk's bytes.
fn dechunk(mut data: &[u8], truncated: bool) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = memchr::memmem::find(data, b"\r\n") else {
            return truncated.then_some(out);
        };
        let size = std::str::from_utf8(&data[..eol]).ok()?;
        let size = size.split(';').next()?.trim();
        let size = usize::from_str_radix(size, 16).ok()?;
        data = &data[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        if truncated && data.len() < size {
            out.extend_from_slice(data);
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size..)?;
        data = data.strip_prefix(b"\r\n").unwrap_or(data);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::records::RecordReader;
    use crate::corpus::Format;

    fn response(uri: &str, title: &str) -> Vec<u8> {
        let page = format!("<html><head><title>{title}</title></head><body><p>{title}، نص الخبر الكامل هنا.</p></body></html>");
        let block = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{page}");
        format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http;msgtype=response\r\nContent-Length: {}\r\n\r\n{block}\r\n\r\n",
            block.len()
        )
        .into_bytes()
    }

    fn reader(bytes: &[u8]) -> RecordReader {
        RecordReader::new(Source::from_bytes(bytes.to_vec()), Format::Warc).expect("opens")
    }

    #[test]
    fn resumes_after_a_record_and_counts_other_records() {
        let info = b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 4\r\n\r\nx: y\r\n\r\n";
        let bytes = [
            info.as_slice(),
            &response("https://a.example/1", "الخبر الأول"),
            &response("https://a.example/2", "الخبر الثاني"),
        ]
        .concat();
        let mut r = reader(&bytes);
        let first = r.next_record().expect("record").expect("ok");
        assert_eq!(first.articles[0].title, "الخبر الأول");
        assert!(first.resumable);
        assert_eq!(r.other_records().get("warcinfo"), Some(&1));
        let at = r.position();
        let mut again = reader(&bytes);
        assert!(again.resume(&at));
        let second = again.next_record().expect("record").expect("ok");
        assert_eq!(
            second.articles[0].id.as_deref(),
            Some("https://a.example/2")
        );
        assert_eq!(second.first, 1);
        assert!(again.next_record().is_none());
        // A changed prefix is not resumed.
        let mut changed = bytes.clone();
        changed[info.len() + 200] ^= 1;
        assert!(!reader(&changed).resume(&at));
    }

    #[test]
    fn garbage_between_records_is_reported_and_skipped() {
        let bytes = [
            b"this is not a WARC header\r\n\r\n".as_slice(),
            &response("https://a.example/1", "الخبر الأول"),
        ]
        .concat();
        let mut r = reader(&bytes);
        let bad = r.next_record().expect("record").expect("ok");
        assert_eq!(
            bad.problems[0].reason,
            "WARC record at byte 0: not a WARC record header; skipped to the next record"
        );
        let good = r.next_record().expect("record").expect("ok");
        assert_eq!(good.articles.len(), 1);
    }

    #[test]
    fn chunked_bodies_are_joined() {
        assert_eq!(
            dechunk(b"4\r\nabcd\r\n3;x=y\r\nefg\r\n0\r\n\r\n", false).as_deref(),
            Some(b"abcdefg".as_slice())
        );
        assert_eq!(dechunk(b"zz\r\nabc", false), None);
        assert_eq!(dechunk(b"10\r\nabc", false), None);
        // A record cut inside a chunk gives what it holds.
        assert_eq!(
            dechunk(b"4\r\nabcd\r\n10\r\nefg", true).as_deref(),
            Some(b"abcdefg".as_slice())
        );
    }
}
