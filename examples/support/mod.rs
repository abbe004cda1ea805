//! Helpers shared by the examples (bench, latency, serve_latency, scale …):
//! the binary's allocator, command-line values, percentiles, peak memory,
//! folder sizes, a silent progress reporter.
#![allow(dead_code)]

use std::path::Path;

use akhbar::corpus::Problem;
use akhbar::index::Reporter;

/// The binary's allocator (src/main.rs), so that what the examples
/// measure is what `akhbar` does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A reporter that shows nothing.
pub struct Silent;

impl Reporter for Silent {
    fn start(&mut self, _: usize, _: u64) {}
    fn advance(&mut self, _: u64, _: usize) {}
    fn problem(&mut self, _: &Path, _: &Problem) {}
    fn finish(&mut self) {}
}

/// Runs this example again as a child process with `args` and reads the
/// JSON value it prints (a measurement with its own peak memory and CPU
/// time); `what` names the run in the error.
pub fn run_self<T: serde::de::DeserializeOwned>(
    args: &[&std::ffi::OsStr],
    what: &str,
) -> anyhow::Result<T> {
    use anyhow::Context;
    let output = std::process::Command::new(std::env::current_exe()?)
        .args(args)
        .output()?;
    if !output.status.success() {
        anyhow::bail!(
            "{what} run failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    serde_json::from_slice(&output.stdout).context("child output")
}

/// The value after `name` on the command line.
pub fn arg(args: &[String], name: &str) -> Option<String> {
    let i = args.iter().position(|a| a == name)?;
    args.get(i + 1).cloned()
}

/// The `p`th percentile (0–100) of sorted values, nearest rank; 0 when
/// there are none.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// Peak resident memory of this process (VmHWM), bytes.
pub fn peak_rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

/// Bytes of the files under `dir`.
pub fn dir_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// Peak memory of this process by kind, sampled from `/proc/self`.
///
/// VmHWM counts every resident page, including the index files tantivy
/// maps while it merges and reads segments. Those are clean file pages:
/// page cache the kernel drops under memory pressure without writing
/// anything (and faults back in when touched again). What the process
/// really holds is its anonymous memory (the writer budget, batches in
/// flight, maps) plus dirty pages; `held` is that figure.
#[derive(Clone, Copy, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct MemoryPeaks {
    /// Peak anonymous resident memory (RssAnon), MiB.
    pub anon_mib: f64,
    /// Peak file-backed resident memory (RssFile: mapped index files), MiB.
    pub file_mib: f64,
    /// Peak resident memory less its clean pages (smaps_rollup: Rss -
    /// Shared_Clean - Private_Clean), MiB: what cannot be reclaimed
    /// without swap.
    pub held_mib: f64,
    /// Samples taken.
    pub samples: u64,
}

/// Samples `/proc/self/status` and `/proc/self/smaps_rollup` on a thread
/// until stopped (a spike shorter than the interval can be missed; VmHWM
/// never misses one).
pub struct MemorySampler {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    handle: std::thread::JoinHandle<MemoryPeaks>,
}

impl MemorySampler {
    /// Starts sampling every `every`.
    pub fn start(every: std::time::Duration) -> Self {
        use std::sync::atomic::{AtomicBool, Ordering};
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let flag = std::sync::Arc::clone(&stop);
        let handle = std::thread::spawn(move || {
            let mut peaks = MemoryPeaks::default();
            loop {
                let done = flag.load(Ordering::Relaxed);
                sample(&mut peaks);
                if done {
                    return peaks;
                }
                std::thread::sleep(every);
            }
        });
        MemorySampler { stop, handle }
    }

    /// Takes a last sample and returns the peaks.
    pub fn stop(self) -> MemoryPeaks {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.handle.join().unwrap_or_default()
    }
}

/// `key:  N kB` lines of a /proc file, as bytes.
fn proc_kb(text: &str, key: &str) -> u64 {
    text.lines()
        .find(|l| l.starts_with(key) && l[key.len()..].starts_with(':'))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

fn sample(peaks: &mut MemoryPeaks) {
    const MIB: f64 = 1_048_576.0;
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        peaks.anon_mib = peaks.anon_mib.max(proc_kb(&status, "RssAnon") as f64 / MIB);
        peaks.file_mib = peaks.file_mib.max(proc_kb(&status, "RssFile") as f64 / MIB);
    }
    if let Ok(rollup) = std::fs::read_to_string("/proc/self/smaps_rollup") {
        let clean = proc_kb(&rollup, "Shared_Clean") + proc_kb(&rollup, "Private_Clean");
        let held = proc_kb(&rollup, "Rss").saturating_sub(clean);
        peaks.held_mib = peaks.held_mib.max(held as f64 / MIB);
    }
    peaks.samples += 1;
}
