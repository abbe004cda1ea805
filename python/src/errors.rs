//! akhbar's errors as Python exceptions, carrying akhbar's own messages:
//! `akhbar.AkhbarError` for an index that cannot be used or written, and
//! `akhbar.QueryError` (an `AkhbarError` and a `ValueError`) for what the
//! caller asked badly: a query with nothing to search for, a bad date, an
//! unknown sort, type or analyzer.

use pyo3::create_exception;
use std::ffi::CString;

use pyo3::exceptions::{PyException, PyUserWarning, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use akhbar::search::SearchError;

create_exception!(
    akhbar,
    AkhbarError,
    PyException,
    "An error of akhbar's (an index that is missing, damaged, locked or cannot be written), with akhbar's message."
);

/// The name of the exception for bad requests in the module.
pub const QUERY_ERROR: &str = "QueryError";

/// `QueryError`: a class made at import with both `AkhbarError` and
/// `ValueError` as bases (`create_exception!` takes one base).
pub fn make_query_error(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let namespace = PyDict::new(py);
    namespace.set_item("__module__", "akhbar")?;
    namespace.set_item(
        "__doc__",
        "A request akhbar cannot answer as asked (a query with nothing to search for, \
         a bad date, an unknown sort or type), with akhbar's message.",
    )?;
    let bases = (py.get_type::<AkhbarError>(), py.get_type::<PyValueError>());
    py.import("builtins")?
        .getattr("type")?
        .call1((QUERY_ERROR, bases, namespace))
}

/// The name of the warning class of akhbar's notes in the module.
pub const NOTE: &str = "Note";

/// `Note`: the warning class of the parser's notes and "did you mean"
/// (a `UserWarning`, so that notebooks can filter them on their own).
pub fn make_note(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let namespace = PyDict::new(py);
    namespace.set_item("__module__", "akhbar")?;
    namespace.set_item(
        "__doc__",
        "A note of akhbar's on a search (the parser's notes, \"did you mean\").",
    )?;
    py.import("builtins")?.getattr("type")?.call1((
        NOTE,
        (py.get_type::<PyUserWarning>(),),
        namespace,
    ))
}

/// Issues each note as an `akhbar.Note` warning (the command line prints
/// them on stderr as `akhbar: note: …`).
pub fn warn_notes(py: Python<'_>, notes: &[String]) -> PyResult<()> {
    if notes.is_empty() {
        return Ok(());
    }
    let category = match py.import("akhbar").and_then(|m| m.getattr(NOTE)) {
        Ok(class) => class,
        Err(_) => py.get_type::<PyUserWarning>().into_any(),
    };
    for note in notes {
        let message = CString::new(format!("akhbar: note: {note}"))
            .map_err(|e| akhbar_error(e.to_string()))?;
        PyErr::warn(py, &category, &message, 2)?;
    }
    Ok(())
}

/// An `AkhbarError` with this message.
pub fn akhbar_error(message: impl Into<String>) -> PyErr {
    AkhbarError::new_err(message.into())
}

/// A `QueryError` with this message (a plain `ValueError` should the
/// module's class be unreachable).
pub fn query_error(py: Python<'_>, message: impl Into<String>) -> PyErr {
    let message = message.into();
    let made = py
        .import("akhbar")
        .and_then(|m| m.getattr(QUERY_ERROR))
        .and_then(|class| class.call1((message.clone(),)));
    match made {
        Ok(value) => PyErr::from_value(value),
        Err(_) => PyValueError::new_err(message),
    }
}

/// A search's error: the query's as `QueryError`, the rest as
/// `AkhbarError`.
pub fn search_error(py: Python<'_>, error: SearchError) -> PyErr {
    match error {
        SearchError::Query(message) => query_error(py, message),
        other => akhbar_error(other.to_string()),
    }
}
