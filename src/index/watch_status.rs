//! Index: what a watcher (`akhbar index --watch`, `akhbar serve --watch`)
//! tells the others about itself, in `akhbar-watch.json` in the index
//! folder: the folders it follows, how many files wait to be indexed, when
//! it last indexed one, the problems it is retrying. It rewrites the file
//! (atomically: a temporary file renamed into place) whenever that changes
//! and every few seconds besides, so a reader can tell a live watcher from
//! a dead one: [`WatchStatus::running`]. `akhbar stats` and `/api/stats`
//! show it.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// File name of the watcher's status inside an index folder.
pub const WATCH_FILE: &str = "akhbar-watch.json";

/// A status not rewritten for this long is a watcher that stopped (it
/// rewrites it every [`HEARTBEAT_SECS`]).
const STALE_SECS: i64 = 30;

/// How often a watcher rewrites its status even when nothing changed.
pub const HEARTBEAT_SECS: u64 = 5;

/// What a watcher says about itself.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct WatchStatus {
    /// Its process id.
    pub pid: u32,
    /// The folders (and files) it follows.
    pub folders: Vec<PathBuf>,
    /// When it started (RFC 3339, UTC).
    pub started: String,
    /// When it last wrote this status (RFC 3339, UTC).
    pub updated: String,
    /// Files waiting to be indexed: still being written (settling), ready
    /// for the next pass, or in the pass running now.
    pub queued: usize,
    /// Of those, files still being written (not yet stable).
    pub settling: usize,
    /// Seconds since the oldest queued file changed (0 when none is).
    pub behind_secs: f64,
    /// Passes made since it started.
    pub passes: u64,
    /// When a pass last indexed or deleted something (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_indexed: Option<String>,
    /// Problems it is retrying now (a folder gone, the index locked).
    pub problems: Vec<String>,
}

impl WatchStatus {
    /// The status in `dir`, if a watcher ever wrote one there.
    pub fn read(dir: &Path) -> Option<WatchStatus> {
        let text = fs::read_to_string(dir.join(WATCH_FILE)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Writes the status into `dir` atomically.
    ///
    /// # Errors
    /// The folder cannot be written.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        let tmp = dir.join(format!("{WATCH_FILE}.tmp"));
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        fs::write(&tmp, text)?;
        fs::rename(&tmp, dir.join(WATCH_FILE))
    }

    /// True when the watcher that wrote it still runs: its process exists
    /// and the status is fresh.
    pub fn running(&self) -> bool {
        let fresh = chrono::DateTime::parse_from_rfc3339(&self.updated)
            .is_ok_and(|t| (chrono::Utc::now() - t.to_utc()).num_seconds() < STALE_SECS);
        fresh && process_exists(self.pid)
    }
}

/// True when a process with this id exists (Linux: `/proc`; elsewhere
/// assumed from the status's freshness alone).
fn process_exists(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

/// Now, as the status writes times.
pub fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_status_reads_back_and_runs_while_fresh() {
        let tmp = tempfile::tempdir().expect("tmp");
        assert!(WatchStatus::read(tmp.path()).is_none());
        let status = WatchStatus {
            pid: std::process::id(),
            updated: now_text(),
            queued: 3,
            ..WatchStatus::default()
        };
        status.write(tmp.path()).expect("write");
        let read = WatchStatus::read(tmp.path()).expect("read");
        assert_eq!(read, status);
        assert!(read.running());
        let old = WatchStatus {
            updated: "2020-01-01T00:00:00Z".into(),
            ..read
        };
        assert!(!old.running(), "a stale status is a stopped watcher");
    }
}
