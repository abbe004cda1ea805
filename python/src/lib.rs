//! akhbar for Python: the `akhbar` module (PyO3). It drives the akhbar
//! library as the command line does and hands back what `akhbar … --json`
//! prints, parsed by Python's `json` into dicts and lists, so a hit from
//! Python and a hit from the command line are the same object.
//!
//! The GIL is released while akhbar works (searches, indexing); an
//! indexing run calls the progress callback and checks for Ctrl-C between
//! its steps, and stops the way a periodic commit leaves an index.

mod errors;
mod indexing;
mod searching;

use pyo3::prelude::*;

/// The command line's allocator: akhbar's searches allocate many small
/// strings, and glibc's malloc made them slower from Python.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use akhbar::analysis::{explain, Analyzer};
use akhbar::output::print_analysis_json;

use errors::{query_error, NOTE, QUERY_ERROR};

/// Turns what an akhbar printer wrote (one JSON document) into Python
/// objects with `json.loads`, as a reader of `--json` would.
fn from_json<'py>(py: Python<'py>, printed: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    let text = std::str::from_utf8(printed)
        .map_err(|e| errors::akhbar_error(format!("akhbar printed invalid UTF-8: {e}")))?;
    py.import("json")?.call_method1("loads", (text,))
}

/// The tokens of `text` as `akhbar analyze --json` lists them: each word's
/// position, byte offsets, original and normalized forms, and its terms
/// under each analyzer (`analyzer`: "exact" or "keyword", default both).
#[pyfunction]
#[pyo3(signature = (text, analyzer=None))]
fn analyze<'py>(
    py: Python<'py>,
    text: &str,
    analyzer: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let analyzers = match analyzer {
        None => Analyzer::ALL.to_vec(),
        Some(name) => match Analyzer::from_name(name) {
            Some(a) => vec![a],
            None => {
                return Err(query_error(
                    py,
                    format!("unknown analyzer {name:?}: use `exact` or `keyword`"),
                ))
            }
        },
    };
    let printed = py.detach(|| {
        let report = explain(text, &analyzers);
        let mut out = Vec::new();
        print_analysis_json(&mut out, text, &report).map(|()| out)
    })?;
    from_json(py, &printed)?.get_item("tokens")
}

/// The `akhbar` module.
#[pymodule]
#[pyo3(name = "akhbar")]
fn akhbar_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("AkhbarError", py.get_type::<errors::AkhbarError>())?;
    m.add(QUERY_ERROR, errors::make_query_error(py)?)?;
    m.add(NOTE, errors::make_note(py)?)?;
    m.add_class::<searching::Index>()?;
    m.add_function(wrap_pyfunction!(analyze, m)?)?;
    m.add_function(wrap_pyfunction!(indexing::index, m)?)?;
    Ok(())
}
