//! The `akhbar` binary: parses the command line and hands over to the library.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than the system allocator: indexing and searching
/// allocate many small strings and vectors (glibc's malloc and free were
/// 15% of indexing instructions); see BENCHMARKS.md for the measurement.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = akhbar::cli::Cli::parse();
    match akhbar::cli::run(cli) {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(err) if akhbar::cli::is_closed_output(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("akhbar: {err:#}");
            ExitCode::from(u8::try_from(akhbar::cli::exit_code(&err)).unwrap_or(2))
        }
    }
}
