//! Helpers shared by the examples (bench, latency, serve_latency, scale):
//! command-line values, percentiles, peak memory, folder sizes, a silent
//! progress reporter.
#![allow(dead_code)]

use std::path::Path;

use akhbar::corpus::Problem;
use akhbar::index::build::Reporter;

/// A reporter that shows nothing.
pub struct Silent;

impl Reporter for Silent {
    fn start(&mut self, _: usize, _: u64) {}
    fn advance(&mut self, _: u64, _: usize) {}
    fn problem(&mut self, _: &Path, _: &Problem) {}
    fn finish(&mut self) {}
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
