//! Index: the id log, which files hold which article ids.
//!
//! When two files carry one id, the file read last wins; a change to one
//! of them means the other must be read again. Knowing that needs every
//! file's ids, including ids whose article another file replaced. They
//! used to be listed in the manifest, rewritten whole at every commit
//! (30 MB at 727,000 articles). Now they are appended to a binary log,
//! 12 bytes an article (file number, 64-bit hash of the id), written once:
//! each commit appends the ids it added and the manifest records the
//! log's committed length, so a killed run's extra records are cut off.
//! A file indexed again gets a new number, which retires its old records;
//! when retired records outnumber live ones, a run starts a new log
//! holding only the live ones (a new file name, switched to by the
//! manifest at the next commit). A hash collision can only make akhbar
//! read a file again that it did not need to.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::IndexError;

/// Bytes one record takes.
const RECORD: usize = 12;

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
    pending: Vec<(u32, u64)>,
}

impl IdLog {
    /// Opens the log the manifest names (creating it when there is none),
    /// cut to its committed records; removes logs the manifest does not
    /// name, left by a run killed after starting a new one.
    ///
    /// # Errors
    /// [`IndexError::Io`] when the folder cannot be written.
    pub fn open(dir: &Path, at: &LogRef) -> Result<IdLog, IndexError> {
        let name = if at.file.is_empty() {
            "ids-1.bin".to_string()
        } else {
            at.file.clone()
        };
        remove_others(dir, &name)?;
        let path = dir.join(&name);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| IndexError::io(&path, e))?;
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

    /// Queues ids of file `file_no` for the next [`IdLog::write`].
    pub fn push(&mut self, file_no: u32, hash: u64) {
        self.pending.push((file_no, hash));
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
        for (file_no, hash) in self.pending.drain(..) {
            bytes.extend_from_slice(&file_no.to_le_bytes());
            bytes.extend_from_slice(&hash.to_le_bytes());
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
        mut each: impl FnMut(u32, u64),
    ) -> Result<(), IndexError> {
        let path = self.dir.join(&self.name);
        let mut file = File::open(&path).map_err(|e| IndexError::io(&path, e))?;
        let mut reader = BufReader::with_capacity(1 << 16, &mut file);
        let mut record = [0u8; RECORD];
        for _ in 0..self.records {
            reader
                .read_exact(&mut record)
                .map_err(|e| IndexError::io(&path, e))?;
            let (no, hash) = decode(&record);
            if live.contains(&no) {
                each(no, hash);
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
            .trim_start_matches("ids-")
            .trim_end_matches(".bin")
            .parse()
            .unwrap_or(1);
        let name = format!("ids-{}.bin", n + 1);
        let path = self.dir.join(&name);
        let io = |e| IndexError::io(&path, e);
        let file = OpenOptions::new()
            .create(true)
            .truncate(true)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(io)?;
        let mut out = BufWriter::new(&file);
        let mut kept = 0u64;
        let mut failed = None;
        self.read_live(live, |no, hash| {
            if failed.is_none() {
                let written = out
                    .write_all(&no.to_le_bytes())
                    .and_then(|()| out.write_all(&hash.to_le_bytes()));
                failed = written.err();
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

fn decode(record: &[u8; RECORD]) -> (u32, u64) {
    let mut no = [0u8; 4];
    let mut hash = [0u8; 8];
    no.copy_from_slice(&record[..4]);
    hash.copy_from_slice(&record[4..]);
    (u32::from_le_bytes(no), u64::from_le_bytes(hash))
}

/// Deletes the id logs in `dir` other than `keep`.
fn remove_others(dir: &Path, keep: &str) -> Result<(), IndexError> {
    let entries = fs::read_dir(dir).map_err(|e| IndexError::io(dir, e))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("ids-") && name.ends_with(".bin") && name != keep {
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
    log.read_live(wanted, |no, hash| out.entry(no).or_default().push(hash))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_records_survive_and_extra_ones_are_cut() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut log = IdLog::open(dir.path(), &LogRef::default()).expect("open");
        log.push(1, id_hash("a"));
        log.push(2, id_hash("b"));
        log.write().expect("write");
        let committed = log.reference();
        log.push(2, id_hash("c"));
        log.write().expect("write, then killed before the commit");
        drop(log);
        let log = IdLog::open(dir.path(), &committed).expect("reopen");
        let ids = ids_of(&log, &HashSet::from([1, 2])).expect("read");
        assert_eq!(ids[&1], [id_hash("a")]);
        assert_eq!(ids[&2], [id_hash("b")]);
    }

    #[test]
    fn sparse_log_is_compacted_into_a_new_file() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut log = IdLog::open(dir.path(), &LogRef::default()).expect("open");
        for n in 0..120_000u64 {
            log.push(if n < 100 { 7 } else { 3 }, n);
        }
        log.write().expect("write");
        let live = HashSet::from([7]);
        log.compact_if_sparse(&live, 100).expect("compact");
        let r = log.reference();
        assert_eq!((r.file.as_str(), r.records), ("ids-2.bin", 100));
        assert!(
            dir.path().join("ids-1.bin").exists(),
            "old log kept until the commit"
        );
        drop(log);
        let log = IdLog::open(dir.path(), &r).expect("reopen");
        assert!(!dir.path().join("ids-1.bin").exists());
        assert_eq!(ids_of(&log, &live).expect("read")[&7].len(), 100);
    }
}
