//! `akhbar index`: build or update the index from article files.
//!
//! Exit codes: 0 all files indexed; 1 the index was updated but some files
//! or lines were skipped (listed on stderr and in the summary); 2 the run
//! could not start or finish (missing path, damaged or foreign index);
//! 3 another process is writing the index.

use std::io::{self, IsTerminal};
use std::path::PathBuf;

use clap::Args;

use super::common::{print_stdout, seconds_arg, stop_on_signal, AliasesArg, MapArg};
use crate::corpus::unsupported_note;
use crate::index::{build, watch, IndexOptions, WatchOptions};
use crate::output::{print_index_json, print_index_text, StderrReporter, WatchLog};

/// Arguments of `akhbar index`.
#[derive(Args, Debug)]
pub struct IndexArgs {
    /// Files or folders of articles (default: corpus/).
    pub paths: Vec<PathBuf>,
    /// Index folder.
    #[arg(long, env = "AKHBAR_INDEX", default_value = "index")]
    pub index: PathBuf,
    /// Delete the index and build it again from scratch.
    #[arg(long)]
    pub rebuild: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Writer memory budget in MiB.
    #[arg(long, default_value_t = 256, value_name = "MIB")]
    pub memory: usize,
    /// Writer threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Commit (make searchable and safe) every N articles, inside files
    /// too.
    #[arg(long, default_value_t = 20_000, value_name = "N")]
    pub commit_every: usize,
    /// Commit at least every S seconds of work, inside files too.
    #[arg(long, default_value_t = 30.0, value_name = "S")]
    pub commit_secs: f64,
    /// The user's alias table.
    #[command(flatten)]
    pub aliases: AliasesArg,
    /// The data set's names for fields.
    #[command(flatten)]
    pub map: MapArg,
    /// After indexing, follow the folders and index new, changed and
    /// removed files as they happen, until Ctrl-C or SIGTERM (feeders:
    /// write to a hidden name, then rename into place).
    #[arg(long)]
    pub watch: bool,
    /// With --watch: how long a file written in place must stay unchanged
    /// before it is read, in seconds.
    #[arg(long, default_value_t = 1.0, value_name = "SECS", requires = "watch")]
    pub settle: f64,
    /// With --watch: look at every file this often even without events
    /// (for missed events and network file systems), in seconds.
    #[arg(long, default_value_t = 60.0, value_name = "SECS", requires = "watch")]
    pub rescan: f64,
}

/// Runs `akhbar index`; returns the exit code.
///
/// # Errors
/// A run that cannot start or finish ([`crate::index::IndexError`]), or a
/// failed write to stdout.
pub fn run(args: &IndexArgs) -> anyhow::Result<i32> {
    let roots = if args.paths.is_empty() {
        vec![PathBuf::from("corpus")]
    } else {
        args.paths.clone()
    };
    let options = IndexOptions {
        roots,
        index_dir: args.index.clone(),
        rebuild: args.rebuild,
        memory_mb: args.memory.max(16),
        threads: args.threads,
        commit_every: args.commit_every.max(1),
        commit_secs: if args.commit_secs.is_finite() {
            args.commit_secs.max(0.0)
        } else {
            30.0
        },
        aliases: args.aliases.aliases.clone(),
        field_map: args.map.map.clone(),
        ..IndexOptions::default()
    };
    if args.watch {
        let options = watch_options(options, args.settle, args.rescan)?;
        let stop = stop_on_signal();
        let mut log = WatchLog::new(args.json);
        watch(&options, &stop, &mut log)?;
        return Ok(0);
    }
    let mut reporter =
        StderrReporter::new(!args.quiet && io::stderr().is_terminal()).with_resumes(!args.quiet);
    let summary = build(&options, &mut reporter)?;
    // Files of types akhbar does not read are never ignored silently (a
    // note, not a skip: the exit code stays 0).
    if let Some(note) = unsupported_note(&summary.files_unsupported) {
        eprintln!("akhbar: note: {note}");
    }
    print_stdout(
        args.json,
        |out| print_index_json(out, &summary),
        |out| print_index_text(out, &summary),
    )?;
    Ok(i32::from(summary.skipped_anything()))
}

/// The watcher's options from `--settle` and `--rescan`.
///
/// # Errors
/// A duration that is not a positive number of seconds.
pub fn watch_options(
    index: IndexOptions,
    settle: f64,
    rescan: f64,
) -> anyhow::Result<WatchOptions> {
    Ok(WatchOptions {
        index,
        settle: seconds_arg("--settle", settle)?,
        rescan: seconds_arg("--rescan", rescan)?,
        ..WatchOptions::default()
    })
}
