//! Index: what changed since the last run, and what must be read again
//! because of it. A file is *suspect* when it is gone or its size or
//! mtime changed; the id log tells which ids it shares with other files
//! ([`sharing`]): an unchanged file that may hold the indexed copy of an
//! id a suspect also holds is read again, and every id's owner (the last
//! file holding it, in walk order) is known before the reader starts, so
//! the file read last keeps winning (see `feed.rs`).

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use super::ids::{id_hash, ids_of, Entry, IdLog};
use super::meta::Manifest;
use super::IndexError;
use crate::corpus::CorpusFile;

/// Position in the walk of a file outside this run's roots.
pub const OUTSIDE: u32 = u32::MAX;

/// For each id hash in the index, the last file holding it.
pub type Owners = HashMap<u64, Owner>;

/// The file holding an id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Owner {
    /// Its walk position ([`OUTSIDE`] for files outside this run's roots).
    pub pos: u32,
    /// It claimed the id in this run (else it is known from the log).
    pub now: bool,
}

/// A file found under the roots, with its manifest key.
pub struct Keyed {
    /// The file.
    pub file: CorpusFile,
    /// Its manifest key (the canonical path).
    pub key: String,
}

impl Keyed {
    /// The files with their keys, in walk order.
    pub fn all(files: Vec<CorpusFile>) -> Vec<Keyed> {
        files
            .into_iter()
            .map(|file| Keyed {
                key: canonical_key(&file.path),
                file,
            })
            .collect()
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.file.path
    }

    /// The manifest key of a path.
    pub fn key_of(path: &Path) -> String {
        canonical_key(path)
    }
}

/// What a run keeps as it is though it reads none of it.
#[derive(Default)]
pub struct Kept {
    /// Keys of files held (still being written).
    pub files: HashSet<String>,
    /// Keys of paths the walk could not read: the files under them are
    /// not gone.
    pub under: Vec<String>,
}

/// What changed since the manifest and the id log were written.
#[derive(Default)]
pub struct Changes {
    /// Manifest keys of files under this run's roots that disappeared.
    pub gone: Vec<String>,
    /// Files gone or whose size or mtime changed.
    pub suspects: HashSet<String>,
    /// Unchanged files to read again (see [`sharing`]).
    pub forced: HashSet<String>,
    /// The owner of every id of the files not suspected.
    pub owners: Owners,
    /// Ids logged more than once (by two files, or twice by one).
    pub shared: HashSet<u64>,
}

impl Changes {
    /// The files of `roots` that disappeared (not those `kept`), and (when
    /// the index may hold older copies: `need_deletes`) what the id log
    /// says of shared ids.
    ///
    /// # Errors
    /// The id log cannot be read.
    pub fn find(
        keyed: &[Keyed],
        manifest: &Manifest,
        log: &IdLog,
        roots: &[PathBuf],
        need_deletes: bool,
        kept: &Kept,
    ) -> Result<Changes, IndexError> {
        let present: HashSet<&str> = keyed.iter().map(|k| k.key.as_str()).collect();
        let root_keys: Vec<String> = roots.iter().map(|r| canonical_key(r)).collect();
        let gone: Vec<String> = manifest
            .files
            .keys()
            .filter(|k| !present.contains(k.as_str()) && !kept.files.contains(*k))
            .filter(|k| !kept.under.iter().any(|u| is_under(k, u)))
            .filter(|k| root_keys.iter().any(|r| is_under(k, r)))
            .cloned()
            .collect();
        let suspects = suspects(keyed, manifest, &gone);
        let Sharing {
            forced,
            owners,
            shared,
        } = if need_deletes {
            sharing(keyed, manifest, log, &suspects)?
        } else {
            Sharing::default()
        };
        Ok(Changes {
            gone,
            forced,
            owners,
            shared,
            suspects,
        })
    }
}

/// Gives the files of a manifest written before the id log a number, and
/// their listed ids to the log.
pub fn migrate_legacy_ids(manifest: &mut Manifest, log: &mut IdLog) {
    for record in manifest.files.values_mut() {
        if record.file_no != 0 {
            continue;
        }
        record.file_no = manifest.next_file_no;
        manifest.next_file_no += 1;
        for id in std::mem::take(&mut record.ids) {
            log.push(Entry {
                file_no: record.file_no,
                id: id_hash(&id),
                content: 0,
            });
        }
    }
}

/// Files that are gone or whose size or mtime changed since the manifest.
fn suspects(keyed: &[Keyed], manifest: &Manifest, gone: &[String]) -> HashSet<String> {
    let mut out: HashSet<String> = gone.iter().cloned().collect();
    for Keyed { file, key } in keyed {
        let Some(record) = manifest.files.get(key) else {
            continue;
        };
        let changed = fs::metadata(&file.path).map_or(true, |m| {
            m.len() != record.size || mtime_ns(&m) != record.mtime_ns
        });
        if changed {
            out.insert(key.clone());
        }
    }
    out
}

/// From the id log: the owner of every id (the last file holding it, in
/// walk order), and the unchanged files to read again because a suspect
/// (changed or gone) file shares an id with them and may have held the
/// copy in the index: files before the suspect in walk order, or any file
/// when the suspect is gone. (A file after it holds the winning copy,
/// which the suspect's re-reading leaves alone.) Suspects' own ids are
/// left out of the owners: they claim them again when read. A suspect a
/// killed run had partly indexed, resumed because only bytes after its
/// commit point changed, and sharing an id with an earlier file, may then
/// lose that id's copy to the earlier file (the content of one of the two
/// copies is kept, never none).
fn sharing(
    keyed: &[Keyed],
    manifest: &Manifest,
    log: &IdLog,
    suspects: &HashSet<String>,
) -> Result<Sharing, IndexError> {
    let position: HashMap<&str, u32> = keyed
        .iter()
        .enumerate()
        .map(|(i, k)| (k.key.as_str(), i as u32))
        .collect();
    let mut of_no: HashMap<u32, (&str, u32)> = HashMap::new();
    for (key, record) in &manifest.files {
        let pos = position.get(key.as_str()).copied().unwrap_or(OUTSIDE);
        of_no.insert(record.file_no, (key.as_str(), pos));
    }
    let suspect_nos: HashSet<u32> = suspects
        .iter()
        .filter_map(|k| manifest.files.get(k))
        .map(|r| r.file_no)
        .collect();
    // For each id of a suspect, the latest suspect position holding it.
    let mut suspect_ids: HashMap<u64, u32> = HashMap::new();
    let mut shared = HashSet::new();
    for (no, hashes) in ids_of(log, &suspect_nos)? {
        let pos = of_no.get(&no).map_or(OUTSIDE, |&(_, p)| p);
        for hash in hashes {
            if suspect_ids.contains_key(&hash) {
                shared.insert(hash);
            }
            let at = suspect_ids.entry(hash).or_insert(pos);
            if pos == OUTSIDE || (*at != OUTSIDE && pos > *at) {
                *at = pos;
            }
        }
    }
    let live: HashSet<u32> = of_no.keys().copied().collect();
    let mut owners = Owners::new();
    let mut forced = HashSet::new();
    log.read_live(
        &live,
        |Entry {
             file_no: no,
             id: hash,
             ..
         }| {
            let Some(&(key, pos)) = of_no.get(&no) else {
                return;
            };
            if suspect_nos.contains(&no) {
                // Read again (or gone): it claims its ids anew when read.
                return;
            }
            if owners.contains_key(&hash) || suspect_ids.contains_key(&hash) {
                shared.insert(hash);
            }
            let owner = owners.entry(hash).or_insert(Owner { pos, now: false });
            if owner.pos == OUTSIDE || (pos != OUTSIDE && pos > owner.pos) {
                owner.pos = pos;
            }
            if let Some(&suspect) = suspect_ids.get(&hash) {
                if suspect == OUTSIDE || pos < suspect {
                    forced.insert(key.to_string());
                }
            }
        },
    )?;
    Ok(Sharing {
        forced,
        owners,
        shared,
    })
}

/// What the id log says of ids that several files hold.
#[derive(Default)]
struct Sharing {
    /// Unchanged files to read again (see [`sharing`]).
    forced: HashSet<String>,
    /// The owner of every id of the files not suspected.
    owners: Owners,
    /// Ids logged more than once (by two files, or twice by one).
    shared: HashSet<u64>,
}

/// The canonical path of a file as a manifest key (the path itself when it
/// cannot be canonicalized).
fn canonical_key(path: &Path) -> String {
    path.canonicalize()
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

fn is_under(key: &str, root: &str) -> bool {
    key == root
        || key
            .strip_prefix(root)
            .is_some_and(|rest| rest.starts_with(std::path::MAIN_SEPARATOR))
}

/// A file's modification time, nanoseconds since the Unix epoch.
pub fn mtime_ns(meta: &fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}
