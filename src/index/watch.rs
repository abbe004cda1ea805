//! Index: the watcher behind `akhbar index --watch` and `akhbar serve
//! --watch`. After a first pass it follows the folders and indexes new,
//! changed and removed files as they happen.
//!
//! Each round of changes is indexed by an ordinary indexing pass
//! ([`build`]): the same incremental, crash-safe run as `akhbar index`, so
//! a watcher killed at any moment loses nothing and the next one (or the
//! next `akhbar index`) goes on where it committed. What the watcher adds
//! is *when* a pass runs and *which files it leaves alone*:
//!
//! - Events come from the operating system (the `notify` crate: inotify on
//!   Linux, FSEvents, kqueue, ReadDirectoryChanges elsewhere). A file
//!   renamed into place, or removed, is ready at once. A file written in
//!   place is ready once its size and modification time have not changed
//!   for [`WatchOptions::settle`]; until then a pass *holds* it (neither
//!   reads nor deletes it: what the index has of it stays), so a file
//!   still being written is never indexed half. The convention for
//!   feeders: write to a hidden name (starting with a dot, which akhbar
//!   never reads) or outside the folder on the same file system, then
//!   rename into place.
//! - A pass also holds any file modified less than `settle` ago that no
//!   event announced (files created in a folder before its watch was set,
//!   a first pass while a feeder writes), and looks at it again later.
//! - Every [`WatchOptions::rescan`] a pass runs anyway: the safety net for
//!   events the system dropped (queue overflow, network file systems that
//!   send none); an overflow asks for one at once.
//! - A folder that disappears or cannot be read is reported and looked at
//!   again every [`WatchOptions::retry`]; its files stay in the index. A
//!   pass that fails (the index locked by another `akhbar index`, a disk
//!   full) is reported and retried; the watcher does not stop for either.
//! - A JSON Lines file that grows is read from where it ended (see
//!   `feed.rs`).
//!
//! The watcher writes its state to the index folder ([`WatchStatus`]).

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use notify::event::{
    AccessKind, AccessMode, CreateKind, EventKind, MetadataKind, ModifyKind, RenameMode,
};
use notify::{RecursiveMode, Watcher};

use super::build::{build, Hold, IndexOptions, WATCH_MERGE_DOCS};
use super::summary::{Reporter, Summary};
use super::watch_status::{now_text, WatchStatus, HEARTBEAT_SECS};
use super::IndexError;

/// How often the watcher looks at its queue.
const TICK: Duration = Duration::from_millis(100);
/// Longest wait before a failed pass is tried again.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// What a watcher is asked to do.
#[derive(Clone, Debug)]
pub struct WatchOptions {
    /// The indexing run each pass makes (its roots are the folders
    /// followed).
    pub index: IndexOptions,
    /// How long a file written in place must stay unchanged (size and
    /// modification time) before it is read.
    pub settle: Duration,
    /// How often a pass runs without any event (the safety net).
    pub rescan: Duration,
    /// How often a missing folder, or a failed pass, is tried again.
    pub retry: Duration,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            index: IndexOptions::default(),
            settle: Duration::from_secs(1),
            rescan: Duration::from_secs(60),
            retry: Duration::from_secs(2),
        }
    }
}

/// Hears what a watcher does, besides what each pass reports.
pub trait WatchReporter: Reporter {
    /// A pass ended; `queued` files are still waiting.
    fn pass(&mut self, summary: &Summary, queued: usize);
    /// A problem the watcher retries (a folder gone, a failed pass), or
    /// the end of one (`solved`).
    fn watch_problem(&mut self, text: &str, solved: bool);
}

/// One file the watcher waits for.
#[derive(Clone, Copy, Debug)]
struct Pending {
    /// When it was first queued.
    since: Instant,
    /// When its size or modification time last changed.
    changed: Instant,
    /// Its size and modification time when last looked at.
    stamp: Option<(u64, SystemTime)>,
    /// Renamed into place, removed or settled: the next pass reads it.
    ready: bool,
}

impl Pending {
    fn new(now: Instant, ready: bool) -> Pending {
        Pending {
            since: now,
            changed: now,
            stamp: None,
            ready,
        }
    }
}

/// Size and modification time of a file (`None`: gone or unreadable).
fn stamp(path: &Path) -> Option<(u64, SystemTime)> {
    let meta = fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

/// The watcher's state between passes.
struct Queue {
    pending: HashMap<PathBuf, Pending>,
    /// The roots, canonical.
    roots: Vec<PathBuf>,
    /// Paths never queued: the index folder and hidden entries.
    skip_dir: Option<PathBuf>,
    settle: Duration,
    /// A pass is due even if no file is ready (rescan, overflow, a folder
    /// back).
    rescan_due: bool,
}

impl Queue {
    /// Takes in one event from the system.
    fn event(&mut self, event: notify::Result<notify::Event>, now: Instant) {
        let Ok(event) = event else {
            // The system's watch failed somewhere: look at everything.
            self.rescan_due = true;
            return;
        };
        if event.need_rescan() {
            self.rescan_due = true;
        }
        let ready = match event.kind {
            EventKind::Remove(_) => true,
            EventKind::Modify(ModifyKind::Name(mode)) => !matches!(mode, RenameMode::Any),
            EventKind::Create(CreateKind::Folder) => true,
            // Reading a file (a pass reads every file it indexes) and
            // looking at it change nothing.
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => false,
            EventKind::Access(_) => return,
            EventKind::Modify(ModifyKind::Metadata(kind))
                if !matches!(kind, MetadataKind::WriteTime | MetadataKind::Any) =>
            {
                return
            }
            _ => false,
        };
        for path in event.paths {
            if self.ignored(&path) {
                continue;
            }
            if path.is_dir() {
                // A folder created or moved in: the pass walks it.
                self.rescan_due = true;
                continue;
            }
            let entry = self
                .pending
                .entry(path)
                .or_insert_with(|| Pending::new(now, ready));
            entry.ready |= ready;
            entry.changed = now;
        }
    }

    /// Hidden entries under a root (akhbar never reads them: a feeder's
    /// temporary files; the root itself may sit in a hidden folder), paths
    /// outside the roots, and the index folder itself.
    fn ignored(&self, path: &Path) -> bool {
        let Some(inside) = self.roots.iter().find_map(|r| path.strip_prefix(r).ok()) else {
            return true;
        };
        let hidden = inside
            .components()
            .any(|c| c.as_os_str().to_str().is_some_and(|s| s.starts_with('.')));
        hidden
            || self
                .skip_dir
                .as_deref()
                .is_some_and(|d| path.starts_with(d))
    }

    /// Looks at the files still settling: a file unchanged for `settle`,
    /// or gone, becomes ready.
    fn settle(&mut self, now: Instant) {
        for (path, p) in self.pending.iter_mut().filter(|(_, p)| !p.ready) {
            let seen = stamp(path);
            if seen.is_none() {
                p.ready = true;
            } else if seen != p.stamp {
                p.stamp = seen;
                p.changed = now;
            } else if now.duration_since(p.changed) >= self.settle {
                p.ready = true;
            }
        }
    }

    fn ready(&self) -> usize {
        self.pending.values().filter(|p| p.ready).count()
    }

    /// Seconds since the oldest queued file was first seen.
    fn behind(&self, now: Instant) -> f64 {
        self.pending
            .values()
            .map(|p| now.duration_since(p.since).as_secs_f64())
            .fold(0.0, f64::max)
    }
}

/// The roots as the watcher follows them, and which are there now.
struct Roots {
    all: Vec<PathBuf>,
    watched: HashSet<PathBuf>,
    missing: HashMap<PathBuf, String>,
}

impl Roots {
    /// Watches the roots that are there, reports those that are not (once)
    /// and those that came back; true when one came back.
    fn check(
        &mut self,
        watcher: &mut notify::RecommendedWatcher,
        reporter: &mut dyn WatchReporter,
    ) -> bool {
        let mut back = false;
        for root in &self.all {
            let problem = match fs::metadata(root) {
                Err(e) => Some(format!("{}: {e}", root.display())),
                Ok(m) if m.is_dir() => fs::read_dir(root)
                    .err()
                    .map(|e| format!("{}: cannot be read: {e}", root.display())),
                Ok(_) => None,
            };
            match problem {
                Some(text) => {
                    if self.watched.remove(root) {
                        let _ = watcher.unwatch(root);
                    }
                    if self.missing.get(root) != Some(&text) {
                        reporter.watch_problem(
                            &format!(
                                "{text}; its articles stay in the index, and the folder is \
                                 looked at again every few seconds"
                            ),
                            false,
                        );
                        self.missing.insert(root.clone(), text);
                    }
                }
                None if !self.watched.contains(root) => {
                    if let Err(e) = watcher.watch(root, RecursiveMode::Recursive) {
                        let text = format!("{}: cannot be watched: {e}", root.display());
                        if self.missing.get(root) != Some(&text) {
                            reporter.watch_problem(&text, false);
                            self.missing.insert(root.clone(), text);
                        }
                        continue;
                    }
                    self.watched.insert(root.clone());
                    if self.missing.remove(root).is_some() {
                        reporter.watch_problem(&format!("{}: watched again", root.display()), true);
                        back = true;
                    }
                }
                None => {}
            }
        }
        back
    }

    /// The roots a pass can walk now.
    fn present(&self) -> Vec<PathBuf> {
        self.all
            .iter()
            .filter(|r| !self.missing.contains_key(*r))
            .cloned()
            .collect()
    }
}

/// The status shared with the heartbeat thread.
type Shared = Arc<Mutex<WatchStatus>>;

fn update(shared: &Shared, change: impl FnOnce(&mut WatchStatus)) {
    let mut status = shared.lock().unwrap_or_else(|p| p.into_inner());
    change(&mut status);
}

/// Follows the folders of `options.index.roots` until `stop` is set,
/// indexing what changes (see the module doc).
///
/// # Errors
/// Only what stops the watcher from starting: a root that does not exist
/// at the start, or no way to watch the file system. Failed passes are
/// reported to `reporter` and retried.
pub fn watch(
    options: &WatchOptions,
    stop: &AtomicBool,
    reporter: &mut dyn WatchReporter,
) -> Result<(), IndexError> {
    let mut roots = Vec::new();
    for root in &options.index.roots {
        let canonical = root
            .canonicalize()
            .map_err(|_| IndexError::NoSuchPath(root.clone()))?;
        roots.push(canonical);
    }
    let dir = &options.index.index_dir;
    let (tx, rx) = channel();
    let mut watcher = notify::recommended_watcher(tx)
        .map_err(|e| IndexError::io(dir, std::io::Error::other(e.to_string())))?;
    let mut roots = Roots {
        all: roots,
        watched: HashSet::new(),
        missing: HashMap::new(),
    };
    roots.check(&mut watcher, reporter);
    let shared: Shared = Arc::new(Mutex::new(WatchStatus {
        pid: std::process::id(),
        folders: roots.all.clone(),
        started: now_text(),
        ..WatchStatus::default()
    }));
    let beat_stop = Arc::new(AtomicBool::new(false));
    let heartbeat = spawn_heartbeat(dir.clone(), Arc::clone(&shared), Arc::clone(&beat_stop));
    let mut queue = Queue {
        pending: HashMap::new(),
        roots: roots.all.clone(),
        skip_dir: canonical_dir(dir),
        settle: options.settle,
        rescan_due: true,
    };
    let result = run_loop(
        options,
        stop,
        reporter,
        &rx,
        &mut watcher,
        &mut roots,
        &mut queue,
        &shared,
    );
    beat_stop.store(true, Ordering::SeqCst);
    let _ = heartbeat.join();
    result
}

/// The canonical path of a folder that may not exist yet.
fn canonical_dir(dir: &Path) -> Option<PathBuf> {
    dir.canonicalize().ok().or_else(|| {
        let parent = dir.parent().filter(|p| !p.as_os_str().is_empty());
        let parent = parent.unwrap_or(Path::new(".")).canonicalize().ok()?;
        Some(parent.join(dir.file_name()?))
    })
}

/// Rewrites the status file every [`HEARTBEAT_SECS`] and on each change
/// (once the index folder is an index: an empty folder must stay empty
/// for the first pass to make it one).
fn spawn_heartbeat(
    dir: PathBuf,
    shared: Shared,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut last: Option<WatchStatus> = None;
        let mut written = Instant::now();
        loop {
            let done = stop.load(Ordering::SeqCst);
            let mut now = shared.lock().map(|s| s.clone()).unwrap_or_default();
            let due = written.elapsed() >= Duration::from_secs(HEARTBEAT_SECS);
            if done || due || last.as_ref() != Some(&now) {
                now.updated = now_text();
                if done {
                    // Stopped: said at once, not after the status goes stale.
                    now.updated = "1970-01-01T00:00:00Z".to_string();
                }
                if dir.join(super::MANIFEST_FILE).exists() {
                    let _ = now.write(&dir);
                }
                written = Instant::now();
                now.updated.clear();
                last = Some(now);
            }
            if done {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    })
}

/// The watcher's loop: events in, passes out, until `stop`.
#[allow(clippy::too_many_arguments)]
fn run_loop(
    options: &WatchOptions,
    stop: &AtomicBool,
    reporter: &mut dyn WatchReporter,
    rx: &Receiver<notify::Result<notify::Event>>,
    watcher: &mut notify::RecommendedWatcher,
    roots: &mut Roots,
    queue: &mut Queue,
    shared: &Shared,
) -> Result<(), IndexError> {
    let mut last_pass = Instant::now();
    let mut last_check = Instant::now();
    let mut retry_at: Option<Instant> = None;
    let mut backoff = options.retry;
    let mut failing: Option<String> = None;
    while !stop.load(Ordering::SeqCst) {
        match rx.recv_timeout(TICK) {
            Ok(event) => {
                queue.event(event, Instant::now());
                // Take in everything already waiting before deciding.
                while let Ok(event) = rx.try_recv() {
                    queue.event(event, Instant::now());
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => queue.rescan_due = true,
        }
        let now = Instant::now();
        if now.duration_since(last_check) >= options.retry {
            last_check = now;
            if roots.check(watcher, reporter) {
                queue.rescan_due = true;
            }
        }
        queue.settle(now);
        if now.duration_since(last_pass) >= options.rescan {
            queue.rescan_due = true;
        }
        let settling = queue.pending.len() - queue.ready();
        update(shared, |s| {
            s.queued = queue.pending.len();
            s.settling = settling;
            s.behind_secs = queue.behind(now);
            s.problems = roots
                .missing
                .values()
                .cloned()
                .chain(failing.clone())
                .collect();
        });
        let due = queue.ready() > 0 || queue.rescan_due;
        if !due || retry_at.is_some_and(|t| now < t) || roots.present().is_empty() {
            continue;
        }
        last_pass = now;
        match pass(options, roots.present(), queue, shared, reporter) {
            Ok(()) => {
                retry_at = None;
                backoff = options.retry;
                if let Some(text) = failing.take() {
                    reporter.watch_problem(&format!("indexing works again ({text})"), true);
                }
            }
            Err(e) => {
                let text = e.to_string();
                if failing.as_deref() != Some(text.as_str()) {
                    reporter.watch_problem(
                        &format!("{text}; trying again in {} s", backoff.as_secs_f64()),
                        false,
                    );
                }
                failing = Some(text);
                retry_at = Some(Instant::now() + backoff);
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
    Ok(())
}

/// One pass: the ready files read (or deleted), the settling ones held.
/// On failure the ready files stay queued.
fn pass(
    options: &WatchOptions,
    roots: Vec<PathBuf>,
    queue: &mut Queue,
    shared: &Shared,
    reporter: &mut dyn WatchReporter,
) -> Result<(), IndexError> {
    let ready: HashSet<PathBuf> = queue
        .pending
        .iter()
        .filter(|(_, p)| p.ready)
        .map(|(path, _)| path.clone())
        .collect();
    let settling: HashSet<PathBuf> = queue
        .pending
        .iter()
        .filter(|(_, p)| !p.ready)
        .map(|(path, _)| path.clone())
        .collect();
    let recent = Arc::new(Mutex::new(Vec::new()));
    let hold = {
        let (ready, recent, settle) = (ready.clone(), Arc::clone(&recent), options.settle);
        Hold::new(move |path: &Path| {
            if ready.contains(path) {
                return false;
            }
            if settling.contains(path) {
                return true;
            }
            let young = stamp(path).is_some_and(|(_, modified)| {
                SystemTime::now()
                    .duration_since(modified)
                    .is_ok_and(|age| age < settle)
            });
            if young {
                recent
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(path.to_path_buf());
            }
            young
        })
    };
    // The first pass may index a whole corpus and merges as any run does;
    // the later ones merge only small segments (see WATCH_MERGE_DOCS).
    let first = shared.lock().unwrap_or_else(|p| p.into_inner()).passes == 0;
    let run = IndexOptions {
        roots,
        hold,
        skip_idle_commit: true,
        max_merge_docs: if first {
            options.index.max_merge_docs
        } else {
            WATCH_MERGE_DOCS.min(options.index.max_merge_docs)
        },
        ..options.index.clone()
    };
    let summary = build(&run, reporter)?;
    queue.rescan_due = false;
    for path in &ready {
        queue.pending.remove(path);
    }
    let now = Instant::now();
    for path in recent.lock().unwrap_or_else(|p| p.into_inner()).drain(..) {
        queue
            .pending
            .entry(path)
            .or_insert_with(|| Pending::new(now, false));
    }
    let changed = summary.files_indexed + summary.files_deleted > 0;
    update(shared, |s| {
        s.passes += 1;
        if changed {
            s.last_indexed = Some(now_text());
        }
    });
    if changed || summary.files_skipped > 0 {
        reporter.pass(&summary, queue.pending.len());
    }
    Ok(())
}
