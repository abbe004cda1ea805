//! Index: keeps the index files that tantivy maps out of the indexing
//! process's resident memory.
//!
//! tantivy reads segments through memory maps. A merge reads whole
//! segments, and every page it touches stays mapped, counted in the
//! process's resident set, until the segment is dropped: at 10× the shared
//! corpora the peak resident memory of a build was 1.99 GiB, of which 1.69
//! GiB were such clean pages of the index's own files (see
//! docs/scaling.md). They are page cache, but a user watching `top`, a
//! container's memory limit or a batch scheduler counts them all the same.
//!
//! So while a run writes, a [`Trimmer`] thread looks every [`PERIOD`] at
//! the process's mapped file pages (`RssFile` in `/proc/self/status`) and,
//! when they pass [`ABOVE`], reads `/proc/self/maps` and asks the kernel to
//! reclaim (`MADV_PAGEOUT`) the pages of the read-only shared mappings of
//! files inside the index folder. Only above the threshold: a reclaimed
//! page that tantivy reads again comes back from the disk, and trimming
//! twice a second whatever the size doubled the wall time of a 10× build
//! (1,169 s against 553 s, CPU +16%) for a peak of 482 MiB; big merges are
//! what pass the threshold, and their pages, read once, are not missed. The advice is non-destructive: a clean file page is dropped and
//! read again if touched (so a page in use costs a re-read, not a wrong
//! result), and if a range was unmapped and reused between reading the
//! maps and advising it, its pages are at worst reclaimed too (written to
//! swap, or left alone without swap), never changed. That is why this
//! uses `PAGEOUT` and not `DONTNEED`, which would zero reused anonymous
//! memory. Linux only; elsewhere the trimmer does nothing.
//!
//! A departure from the project's no-`unsafe` code: the one `madvise` call
//! below, whose safety rests on the non-destructive advice.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// How often the mapped pages are looked at.
pub const PERIOD: Duration = Duration::from_millis(500);

/// Mapped file pages (bytes) above which they are given back.
pub const ABOVE: u64 = 384 << 20;

/// A thread giving back the index's mapped pages until dropped.
pub struct Trimmer {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Trimmer {
    /// Starts trimming the mappings of files under `dir` every `period`.
    pub fn start(dir: &Path, period: Duration) -> Trimmer {
        if !cfg!(target_os = "linux") {
            return Trimmer {
                stop: None,
                thread: None,
            };
        }
        let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        let (stop, stopped) = channel::<()>();
        let thread = thread::Builder::new()
            .name("akhbar-trim".into())
            .spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(period) {
                    if mapped_file_bytes().is_some_and(|b| b > ABOVE) {
                        trim(&dir);
                    }
                }
            })
            .ok();
        Trimmer {
            stop: Some(stop),
            thread,
        }
    }
}

impl Drop for Trimmer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Resident pages of mapped files of this process (`RssFile`), in bytes.
fn mapped_file_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    rss_file(&status)
}

/// `RssFile` of a `/proc/PID/status` text, in bytes.
fn rss_file(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("RssFile:"))?;
    let kb: u64 = line
        .trim_start_matches("RssFile:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb << 10)
}

/// A mapping of this process: address range and file.
#[derive(Debug, PartialEq, Eq)]
struct Mapping {
    start: usize,
    end: usize,
    path: PathBuf,
}

/// The read-only shared file mappings in a `/proc/self/maps` text.
fn shared_read_only(maps: &str) -> Vec<Mapping> {
    let mut out = Vec::new();
    for line in maps.lines() {
        let mut fields = line.splitn(6, ' ');
        let (Some(range), Some(perms)) = (fields.next(), fields.next()) else {
            continue;
        };
        // Offset, device and inode, then the path after padding.
        let path = fields.nth(3).map(str::trim_start).unwrap_or_default();
        if perms != "r--s" || !path.starts_with('/') {
            continue;
        }
        let Some((start, end)) = range.split_once('-') else {
            continue;
        };
        let (Ok(start), Ok(end)) = (
            usize::from_str_radix(start, 16),
            usize::from_str_radix(end, 16),
        ) else {
            continue;
        };
        if end > start {
            out.push(Mapping {
                start,
                end,
                path: PathBuf::from(path),
            });
        }
    }
    out
}

/// Gives back the pages of the mappings of files under `dir`; returns the
/// bytes advised.
fn trim(dir: &Path) -> usize {
    let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else {
        return 0;
    };
    let mut advised = 0;
    for m in shared_read_only(&maps) {
        if m.path.starts_with(dir) {
            pageout(m.start, m.end - m.start);
            advised += m.end - m.start;
        }
    }
    advised
}

#[cfg(target_os = "linux")]
fn pageout(start: usize, len: usize) {
    // SAFETY: MADV_PAGEOUT only asks the kernel to reclaim the pages of the
    // range; it never changes their contents (see the module doc), so it is
    // sound whatever is mapped there now. Errors (a range gone) are ignored.
    unsafe {
        libc::madvise(start as *mut libc::c_void, len, libc::MADV_PAGEOUT);
    }
}

#[cfg(not(target_os = "linux"))]
fn pageout(_start: usize, _len: usize) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_read_only_shared_file_mappings_are_listed() {
        let maps = "\
7f00a000-7f00b000 r--s 00000000 fd:01 123   /idx/seg.idx
7f00b000-7f00c000 r--p 00000000 fd:01 124   /idx/private.idx
7f00c000-7f00d000 rw-s 00000000 fd:01 125   /idx/writable.idx
7f00d000-7f00e000 rw-p 00000000 00:00 0 
7f00e000-7f010000 r--s 00001000 fd:01 126   /idx/with space.store
7f010000-7f011000 r--s 00000000 00:01 7   [vvar]
";
        let found = shared_read_only(maps);
        assert_eq!(
            found,
            vec![
                Mapping {
                    start: 0x7f00a000,
                    end: 0x7f00b000,
                    path: "/idx/seg.idx".into()
                },
                Mapping {
                    start: 0x7f00e000,
                    end: 0x7f010000,
                    path: "/idx/with space.store".into()
                },
            ]
        );
    }

    #[test]
    fn rss_file_is_read_from_the_status_text() {
        let status = "Name:\takhbar\nVmHWM:\t  2000 kB\nRssAnon:\t  300 kB\nRssFile:\t  1536 kB\n";
        assert_eq!(rss_file(status), Some(1536 << 10));
        assert_eq!(rss_file("Name:\tx\n"), None);
        #[cfg(target_os = "linux")]
        assert!(mapped_file_bytes().is_some());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn mapped_index_pages_are_given_back_and_read_the_same() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("segment.idx");
        let bytes: Vec<u8> = (0..8u32 << 20).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).expect("write");
        let file = std::fs::File::open(&path).expect("open");
        // SAFETY: the file is ours and nobody writes it while mapped.
        let map = unsafe { memmap2::Mmap::map(&file) }.expect("map");
        let sum = |m: &[u8]| m.iter().map(|&b| u64::from(b)).sum::<u64>();
        let expected = sum(&bytes);
        assert_eq!(sum(&map), expected);
        let dir = dir.path().canonicalize().expect("canonical");
        let advised = trim(&dir);
        assert!(advised >= 8 << 20, "the mapping was found: {advised}");
        assert_eq!(sum(&map), expected, "pages read again intact");
        assert_eq!(trim(Path::new("/nonexistent")), 0);
    }
}
