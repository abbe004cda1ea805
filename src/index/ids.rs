//! Index: the id log, which files hold which article ids.
//!
//! When two files carry one id, the file read last wins; a change to one
//! of them means the other must be read again. Knowing that needs every
//! file's ids, including ids whose article another file replaced. They
//! used to be listed in the manifest, rewritten whole at every commit
//! (30 MB at 727,000 articles). Now they are appended to a binary log,
//! 20 bytes an article (file number, 64-bit hash of the id, 64-bit hash of
//! its content with a flag saying whether this copy went into the index),
//! written once:
//! each commit appends the ids it added and the manifest records the
//! log's committed length, so a killed run's extra records are cut off.
//! A file indexed again gets a new number, which retires its old records;
//! when retired records outnumber live ones, a run starts a new log
//! holding only the live ones (a new file name, switched to by the
//! manifest at the next commit). A hash collision of ids can only make
//! akhbar read a file again that it did not need to.
//!
//! The content hashes let a changed file's unchanged articles stay in the
//! index as they are (see [`super::feed`]): one edited article in a file
//! of 300,000 costs one article's analysis, not the file's. Logs of the
//! first format (`ids-N.bin`, 12 bytes, no content) are converted when
//! opened, with every content unknown, so their files' articles are
//! analysed again the first time they change.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::IndexError;

/// Bytes one record takes.
const RECORD: usize = 20;
/// Bytes one record of the first format (`ids-N.bin`) takes.
const RECORD_V1: usize = 12;
/// Name prefix of the logs of the current format.
const PREFIX: &str = "records-";
/// Name prefix of the logs of the first format.
const PREFIX_V1: &str = "ids-";

/// Flag of [`Entry::content`]: this copy of the article went into the
/// index (it was not shadowed by a later file holding the same id).
pub const INDEXED: u64 = 1 << 63;

/// What the log holds of one article of one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The file's number.
    pub file_no: u32,
    /// [`id_hash`] of the article's id.
    pub id: u64,
    /// [`content_hash`] of the article, with [`INDEXED`] set when this copy
    /// was indexed; 0 when unknown (converted from the first format).
    pub content: u64,
}

/// A 63-bit hash of what makes an article's document (its fields, and
/// `salt`: the alias table's fingerprint, since the entities found depend
/// on it); never 0, never with [`INDEXED`] set.
pub fn content_hash(article: &crate::corpus::Article, salt: &str) -> u64 {
    let mut hasher = blake3::Hasher::new();
    let fields = [
        salt,
        article.id.as_deref().unwrap_or("\u{0}"),
        &article.title,
        &article.body,
        &article.date_text,
        &article.source,
        &article.url,
        &article.category,
        &article.keywords,
    ];
    for field in fields {
        hasher.update(&(field.len() as u64).to_le_bytes());
        hasher.update(field.as_bytes());
    }
    hasher.update(&article.date.unwrap_or(i64::MIN).to_le_bytes());
    // Where it starts is shown with it: an article that moved in its
    // file is indexed again, never shown at its old line.
    hasher.update(&article.line.unwrap_or(u64::MAX).to_le_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&hasher.finalize().as_bytes()[..8]);
    (u64::from_le_bytes(first) & !INDEXED).max(1)
}

/// The 64-bit hash under which an id is logged.
pub fn id_hash(id: &str) -> u64 {
    let hash = blake3::hash(id.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

/// What the manifest records of the log.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct LogRef {
    /// File name of the log in the index folder (empty: no log yet).
    pub file: String,
    /// Records committed.
    pub records: u64,
}

/// The log open for appending.
pub struct IdLog {
    dir: PathBuf,
    name: String,
    file: File,
    records: u64,
    pending: Vec<Entry>,
}

impl IdLog {
    /// Opens the log the manifest names (creating it when there is none),
    /// cut to its committed records; removes logs the manifest does not
    /// name, left by a run killed after starting a new one.
    ///
    /// # Errors
    /// [`IndexError::Io`] when the folder cannot be written.
    pub fn open(dir: &Path, at: &LogRef) -> Result<IdLog, IndexError> {
        if at.file.starts_with(PREFIX_V1) {
            return convert_v1(dir, at);
        }
        let name = if at.file.is_empty() {
            format!("{PREFIX}1.bin")
        } else {
            at.file.clone()
        };
        remove_others(dir, &name)?;
        let path = dir.join(&name);
        let file = open_log(&path, false)?;
        let len = file.metadata().map_err(|e| IndexError::io(&path, e))?.len();
        // A log shorter than recorded (damaged or deleted) keeps what it has.
        let records = at.records.min(len / RECORD as u64);
        file.set_len(records * RECORD as u64)
            .map_err(|e| IndexError::io(&path, e))?;
        Ok(IdLog {
            dir: dir.to_path_buf(),
            name,
            file,
            records,
            pending: Vec::new(),
        })
    }

    /// What the manifest must record once the pending ids are written.
    pub fn reference(&self) -> LogRef {
        LogRef {
            file: self.name.clone(),
            records: self.records + self.pending.len() as u64,
        }
    }

    /// Queues an article of file `file_no` for the next [`IdLog::write`].
    pub fn push(&mut self, entry: Entry) {
        self.pending.push(entry);
    }

    /// Appends the queued ids and syncs them to disk (before the commit
    /// that the manifest pointing past them goes with).
    ///
    /// # Errors
    /// [`IndexError::Io`] on a write failure.
    pub fn write(&mut self) -> Result<(), IndexError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let path = self.dir.join(&self.name);
        let io = |e| IndexError::io(&path, e);
        let mut bytes = Vec::with_capacity(self.pending.len() * RECORD);
        for entry in self.pending.drain(..) {
            bytes.extend_from_slice(&encode(&entry));
        }
        let offset = self.records * RECORD as u64;
        let mut file = &self.file;
        io::Seek::seek(&mut file, io::SeekFrom::Start(offset)).map_err(io)?;
        file.write_all(&bytes).map_err(io)?;
        file.sync_data().map_err(io)?;
        self.records += (bytes.len() / RECORD) as u64;
        Ok(())
    }

    /// Reads every committed record whose file number is in `live`.
    ///
    /// # Errors
    /// [`IndexError::Io`] on a read failure.
    pub fn read_live(
        &self,
        live: &HashSet<u32>,
        mut each: impl FnMut(Entry),
    ) -> Result<(), IndexError> {
        let path = self.dir.join(&self.name);
        let mut file = File::open(&path).map_err(|e| IndexError::io(&path, e))?;
        let mut reader = BufReader::with_capacity(1 << 16, &mut file);
        let mut record = [0u8; RECORD];
        for _ in 0..self.records {
            reader
                .read_exact(&mut record)
                .map_err(|e| IndexError::io(&path, e))?;
            let entry = decode(&record);
            if live.contains(&entry.file_no) {
                each(entry);
            }
        }
        Ok(())
    }

    /// When retired records outnumber `live_articles` (and there are
    /// many), starts a new log holding only the live records; the old one
    /// stays until a manifest naming the new one is saved.
    ///
    /// # Errors
    /// [`IndexError::Io`] on a read or write failure.
    pub fn compact_if_sparse(
        &mut self,
        live: &HashSet<u32>,
        live_articles: u64,
    ) -> Result<(), IndexError> {
        if self.records < 100_000 || self.records <= 2 * live_articles {
            return Ok(());
        }
        let n: u64 = self
            .name
            .trim_start_matches(PREFIX)
            .trim_end_matches(".bin")
            .parse()
            .unwrap_or(1);
        let name = format!("{PREFIX}{}.bin", n + 1);
        let path = self.dir.join(&name);
        let io = |e| IndexError::io(&path, e);
        let file = open_log(&path, true)?;
        let mut out = BufWriter::new(&file);
        let mut kept = 0u64;
        let mut failed = None;
        self.read_live(live, |entry| {
            if failed.is_none() {
                failed = out.write_all(&encode(&entry)).err();
                kept += 1;
            }
        })?;
        if let Some(e) = failed {
            return Err(io(e));
        }
        out.flush().map_err(io)?;
        drop(out);
        file.sync_data().map_err(io)?;
        self.file = file;
        self.name = name;
        self.records = kept;
        Ok(())
    }
}

/// Opens (creating it if needed) a log file for reading and writing,
/// emptied when `truncate`.
fn open_log(path: &Path, truncate: bool) -> Result<File, IndexError> {
    OpenOptions::new()
        .create(true)
        .truncate(truncate)
        .read(true)
        .write(true)
        .open(path)
        .map_err(|e| IndexError::io(path, e))
}

fn encode(entry: &Entry) -> [u8; RECORD] {
    let mut record = [0u8; RECORD];
    record[..4].copy_from_slice(&entry.file_no.to_le_bytes());
    record[4..12].copy_from_slice(&entry.id.to_le_bytes());
    record[12..].copy_from_slice(&entry.content.to_le_bytes());
    record
}

fn decode(record: &[u8; RECORD]) -> Entry {
    let mut no = [0u8; 4];
    let mut id = [0u8; 8];
    let mut content = [0u8; 8];
    no.copy_from_slice(&record[..4]);
    id.copy_from_slice(&record[4..12]);
    content.copy_from_slice(&record[12..]);
    Entry {
        file_no: u32::from_le_bytes(no),
        id: u64::from_le_bytes(id),
        content: u64::from_le_bytes(content),
    }
}

/// Opens a log of the first format as a new log of the current one (all
/// contents unknown); the old file stays until a manifest naming the new
/// one is saved, like a compaction's.
fn convert_v1(dir: &Path, at: &LogRef) -> Result<IdLog, IndexError> {
    let old = dir.join(&at.file);
    remove_others(dir, &at.file)?;
    let mut bytes = Vec::new();
    match File::open(&old) {
        Ok(mut file) => {
            file.read_to_end(&mut bytes)
                .map_err(|e| IndexError::io(&old, e))?;
        }
        // A missing log keeps what it has: nothing.
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(IndexError::io(&old, e)),
    }
    let name = format!("{PREFIX}1.bin");
    let path = dir.join(&name);
    let file = open_log(&path, true)?;
    let mut log = IdLog {
        dir: dir.to_path_buf(),
        name,
        file,
        records: 0,
        pending: Vec::new(),
    };
    let committed = (at.records as usize).min(bytes.len() / RECORD_V1);
    for record in bytes.chunks_exact(RECORD_V1).take(committed) {
        let mut no = [0u8; 4];
        let mut id = [0u8; 8];
        no.copy_from_slice(&record[..4]);
        id.copy_from_slice(&record[4..]);
        log.push(Entry {
            file_no: u32::from_le_bytes(no),
            id: u64::from_le_bytes(id),
            content: 0,
        });
    }
    log.write()?;
    Ok(log)
}

/// Deletes the id logs in `dir` (of either format) other than `keep`.
fn remove_others(dir: &Path, keep: &str) -> Result<(), IndexError> {
    let entries = fs::read_dir(dir).map_err(|e| IndexError::io(dir, e))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let log = name.starts_with(PREFIX) || name.starts_with(PREFIX_V1);
        if log && name.ends_with(".bin") && name != keep {
            let path = entry.path();
            fs::remove_file(&path).map_err(|e| IndexError::io(&path, e))?;
        }
    }
    Ok(())
}

/// Id hashes of each file number in `wanted`, from the log.
///
/// # Errors
/// [`IndexError::Io`] on a read failure.
pub fn ids_of(log: &IdLog, wanted: &HashSet<u32>) -> Result<HashMap<u32, Vec<u64>>, IndexError> {
    let mut out: HashMap<u32, Vec<u64>> = HashMap::new();
    log.read_live(wanted, |e| out.entry(e.file_no).or_default().push(e.id))?;
    Ok(out)
}

/// The articles each file number in `wanted` had: content by id hash.
///
/// # Errors
/// [`IndexError::Io`] on a read failure.
pub fn contents_of(
    log: &IdLog,
    wanted: &HashSet<u32>,
) -> Result<HashMap<u32, HashMap<u64, u64>>, IndexError> {
    let mut out: HashMap<u32, HashMap<u64, u64>> = HashMap::new();
    log.read_live(wanted, |e| {
        out.entry(e.file_no).or_default().insert(e.id, e.content);
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(file_no: u32, id: &str) -> Entry {
        Entry {
            file_no,
            id: id_hash(id),
            content: INDEXED | 5,
        }
    }

    #[test]
    fn committed_records_survive_and_extra_ones_are_cut() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut log = IdLog::open(dir.path(), &LogRef::default()).expect("open");
        log.push(entry(1, "a"));
        log.push(entry(2, "b"));
        log.write().expect("write");
        let committed = log.reference();
        log.push(entry(2, "c"));
        log.write().expect("write, then killed before the commit");
        drop(log);
        let log = IdLog::open(dir.path(), &committed).expect("reopen");
        let ids = ids_of(&log, &HashSet::from([1, 2])).expect("read");
        assert_eq!(ids[&1], [id_hash("a")]);
        assert_eq!(ids[&2], [id_hash("b")]);
        let contents = contents_of(&log, &HashSet::from([2])).expect("read");
        assert_eq!(contents[&2][&id_hash("b")], INDEXED | 5);
        assert!(!contents.contains_key(&1));
    }

    #[test]
    fn sparse_log_is_compacted_into_a_new_file() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut log = IdLog::open(dir.path(), &LogRef::default()).expect("open");
        for n in 0..120_000u64 {
            log.push(Entry {
                file_no: if n < 100 { 7 } else { 3 },
                id: n,
                content: n + 1,
            });
        }
        log.write().expect("write");
        let live = HashSet::from([7]);
        log.compact_if_sparse(&live, 100).expect("compact");
        let r = log.reference();
        assert_eq!((r.file.as_str(), r.records), ("records-2.bin", 100));
        assert!(
            dir.path().join("records-1.bin").exists(),
            "old log kept until the commit"
        );
        drop(log);
        let log = IdLog::open(dir.path(), &r).expect("reopen");
        assert!(!dir.path().join("records-1.bin").exists());
        let contents = contents_of(&log, &live).expect("read");
        assert_eq!(contents[&7].len(), 100);
        assert_eq!(contents[&7][&42], 43, "contents survive the compaction");
    }

    #[test]
    fn a_log_of_the_first_format_is_converted_with_contents_unknown() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut old = Vec::new();
        for (no, id) in [(1u32, "a"), (2, "b"), (2, "uncommitted")] {
            old.extend_from_slice(&no.to_le_bytes());
            old.extend_from_slice(&id_hash(id).to_le_bytes());
        }
        fs::write(dir.path().join("ids-3.bin"), old).expect("write");
        let at = LogRef {
            file: "ids-3.bin".into(),
            records: 2,
        };
        let log = IdLog::open(dir.path(), &at).expect("convert");
        let r = log.reference();
        assert_eq!((r.file.as_str(), r.records), ("records-1.bin", 2));
        assert!(
            dir.path().join("ids-3.bin").exists(),
            "kept until the commit"
        );
        let contents = contents_of(&log, &HashSet::from([1, 2])).expect("read");
        assert_eq!(contents[&1][&id_hash("a")], 0);
        assert_eq!(contents[&2].len(), 1);
        drop(log);
        // The manifest now names the new log: the old one goes.
        let log = IdLog::open(dir.path(), &r).expect("reopen");
        assert!(!dir.path().join("ids-3.bin").exists());
        assert_eq!(
            ids_of(&log, &HashSet::from([2])).expect("read")[&2].len(),
            1
        );
    }

    #[test]
    fn content_hash_sees_every_field_and_the_salt() {
        let a = crate::corpus::Article {
            title: "عنوان".into(),
            body: "نص الخبر".into(),
            ..Default::default()
        };
        let h = content_hash(&a, "table-1");
        assert_ne!(h, 0);
        assert_eq!(h & INDEXED, 0);
        assert_eq!(h, content_hash(&a.clone(), "table-1"));
        assert_ne!(h, content_hash(&a, "table-2"));
        let mut b = a.clone();
        b.body.push('.');
        assert_ne!(h, content_hash(&b, "table-1"));
        // Field boundaries count: moving text between fields changes it.
        let c = crate::corpus::Article {
            title: "عنوان نص".into(),
            body: "الخبر".into(),
            ..Default::default()
        };
        assert_ne!(h, content_hash(&c, "table-1"));
        let mut d = a.clone();
        d.date = Some(0);
        assert_ne!(h, content_hash(&d, "table-1"));
    }
}
