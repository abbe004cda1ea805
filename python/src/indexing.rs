//! `akhbar.index(paths, index=…, progress=…)`: one run of the incremental
//! indexer (`akhbar index`), the GIL released while it works. Between the
//! run's steps (a batch of articles, a file) the progress callback is
//! called and Ctrl-C is checked; an exception from either (a
//! `KeyboardInterrupt`) asks the run to stop: it commits what it has read
//! when it can, as a periodic commit would, and the exception is raised.
//! The index opens and searches afterwards, and the next run goes on from
//! where this one stopped.

use std::path::{Path, PathBuf};

use pyo3::prelude::*;
use pyo3::types::PyDict;

use akhbar::corpus::Problem;
use akhbar::index::{build, IndexError, IndexOptions, Reporter};
use akhbar::output::print_index_json;

use crate::errors::{akhbar_error, query_error};
use crate::from_json;

/// Hears the run's progress on the indexing thread and hands it to the
/// Python callback, taking the GIL for each call.
struct PyReporter {
    callback: Option<Py<PyAny>>,
    files: usize,
    bytes: u64,
    bytes_done: u64,
    articles: usize,
    /// The exception that stops the run (the callback's, or Ctrl-C's).
    raised: Option<PyErr>,
}

impl PyReporter {
    /// Calls the callback with the counts so far, then checks for Ctrl-C.
    fn report(&mut self) {
        if self.raised.is_some() {
            return;
        }
        let raised = Python::attach(|py| -> PyResult<()> {
            if let Some(callback) = &self.callback {
                let counts = PyDict::new(py);
                counts.set_item("files", self.files)?;
                counts.set_item("bytes", self.bytes)?;
                counts.set_item("bytes_done", self.bytes_done)?;
                counts.set_item("articles", self.articles)?;
                callback.call1(py, (counts,))?;
            }
            py.check_signals()
        });
        self.raised = raised.err();
    }
}

impl Reporter for PyReporter {
    fn start(&mut self, files: usize, bytes: u64) {
        self.files = files;
        self.bytes = bytes;
        self.report();
    }

    fn advance(&mut self, bytes: u64, articles: usize) {
        self.bytes_done += bytes;
        self.articles = articles;
        self.report();
    }

    // Skipped files and lines, and notes, are in the summary's `skipped`
    // and `notes`.
    fn problem(&mut self, _path: &Path, _problem: &Problem) {}

    fn finish(&mut self) {}

    fn stop_requested(&mut self) -> bool {
        self.raised.is_some()
    }
}

/// The roots: one path or a list of them.
fn roots(paths: &Bound<'_, PyAny>) -> PyResult<Vec<PathBuf>> {
    match paths.extract::<PathBuf>() {
        Ok(one) => Ok(vec![one]),
        Err(_) => paths.extract::<Vec<PathBuf>>(),
    }
}

/// Indexes the files and folders `paths` (one path or a list) into the
/// index folder `index` (default `index`), as `akhbar index` does (only what changed since
/// the last run is read), and returns the summary `akhbar index --json`
/// prints. `progress(counts)` is called as the run goes on with a dict:
/// `files` and `bytes` to look at, `bytes_done`, `articles` indexed so far.
#[pyfunction]
#[pyo3(signature = (paths, index=None, progress=None, rebuild=false, aliases=None,
    memory_mb=256, threads=0, commit_every=20_000, commit_secs=30.0))]
#[allow(clippy::too_many_arguments)]
pub fn index<'py>(
    py: Python<'py>,
    paths: &Bound<'py, PyAny>,
    index: Option<PathBuf>,
    progress: Option<Py<PyAny>>,
    rebuild: bool,
    aliases: Option<PathBuf>,
    memory_mb: usize,
    threads: usize,
    commit_every: usize,
    commit_secs: f64,
) -> PyResult<Bound<'py, PyAny>> {
    if !(commit_secs.is_finite() && commit_secs >= 0.0) {
        return Err(query_error(
            py,
            format!("commit_secs must be a number of seconds, not {commit_secs}"),
        ));
    }
    let options = IndexOptions {
        roots: roots(paths)?,
        index_dir: index.unwrap_or_else(|| PathBuf::from("index")),
        rebuild,
        memory_mb: memory_mb.max(16),
        threads,
        commit_every: commit_every.max(1),
        commit_secs,
        aliases,
        ..IndexOptions::default()
    };
    let mut reporter = PyReporter {
        callback: progress,
        files: 0,
        bytes: 0,
        bytes_done: 0,
        articles: 0,
        raised: None,
    };
    let run = py.detach(|| {
        build(&options, &mut reporter).map(|summary| {
            let mut out = Vec::new();
            print_index_json(&mut out, &summary).map(|()| out)
        })
    });
    match (run, reporter.raised) {
        (Ok(printed), None) => from_json(py, &printed?),
        // An exception is never swallowed, even one raised as the run ended.
        (Ok(_) | Err(IndexError::Stopped(_)), Some(raised)) => Err(raised),
        (Err(e), None) => Err(akhbar_error(e.to_string())),
        // The run failed as it stopped (its last commit): akhbar's error,
        // caused by the interrupt.
        (Err(e), Some(raised)) => {
            let error = akhbar_error(e.to_string());
            error.set_cause(py, Some(raised));
            Err(error)
        }
    }
}
