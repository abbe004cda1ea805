//! Command line: what several commands share — the argument groups they
//! flatten into their own (`--index`, `--aliases`, `--sources`, paging,
//! output format, story threshold) and the helpers behind them (opening or first building
//! the index, the alias table, dates, colour).

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::anyhow;
use clap::Args;

use crate::analysis::THRESHOLD;
use crate::corpus::FieldMap;
use crate::entities::AliasTable;
use crate::index::{build, open_existing, IndexOptions, OpenIndex, MANIFEST_FILE};
use crate::output::{Sources, StderrReporter};
use crate::search::{date_bound, parse_story_threshold, Op, Page};

/// `--index DIR` of the commands that read an index.
#[derive(Args, Debug, Clone)]
pub struct IndexArg {
    /// Index folder (default: index/, or $AKHBAR_INDEX).
    #[arg(long, env = "AKHBAR_INDEX")]
    pub index: Option<PathBuf>,
}

impl IndexArg {
    /// Opens the index (see [`open_or_build_with`]).
    ///
    /// # Errors
    /// The index cannot be opened or built.
    pub fn open(&self, aliases: Option<&Path>) -> anyhow::Result<OpenIndex> {
        open_or_build_with(self.index.as_ref(), aliases)
    }
}

/// `--aliases FILE` of the commands that recognize entities.
#[derive(Args, Debug, Clone)]
pub struct AliasesArg {
    /// Your alias file (TSV), added to the built-in entity table.
    #[arg(long, value_name = "FILE")]
    pub aliases: Option<PathBuf>,
}

/// `--map FIELD=COLUMN,…` of the commands that read article files.
#[derive(Args, Debug, Clone)]
pub struct MapArg {
    /// Your data set's names for fields, e.g. `body=article_text,title=headline_ar`
    /// (fields: id, title, body, date, source, url, category, keywords),
    /// looked up before the common names in CSV, TSV, Parquet and JSON.
    /// `akhbar index` keeps the map: without --map the last one is used,
    /// `--map ""` clears it, and a changed map reads those files again.
    #[arg(long, value_name = "FIELD=COLUMN,…", value_parser = FieldMap::parse)]
    pub map: Option<FieldMap>,
}

/// `--sources FILE` of the commands that show sources.
#[derive(Args, Debug, Clone)]
pub struct SourcesArg {
    /// Your sources table (TSV: id, name, url; a header row, # comments):
    /// the names shown for the articles' source ids, over the built-in
    /// table of the shared corpora's outlets (default: $AKHBAR_SOURCES).
    #[arg(long, value_name = "FILE")]
    pub sources: Option<PathBuf>,
}

impl SourcesArg {
    /// The built-in table plus the user's, bad lines reported on stderr as
    /// `file:line: reason` and skipped (as the alias table's are).
    pub fn load(&self) -> Sources {
        let (sources, problems) =
            Sources::load(Sources::user_file(self.sources.as_deref()).as_deref());
        for p in problems {
            eprintln!("akhbar: skipped source line {p}");
        }
        sources
    }
}

/// `--limit` and `--offset` of the commands that list hits.
#[derive(Args, Debug, Clone)]
pub struct PageArgs {
    /// Hits to show.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Hits to skip (for paging).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
}

impl PageArgs {
    /// The page asked for.
    pub fn page(&self) -> Page {
        Page {
            limit: self.limit,
            offset: self.offset,
        }
    }
}

/// How the commands that list hits print them.
#[derive(Args, Debug, Clone)]
pub struct OutputArgs {
    /// Print JSON (the same as --format json).
    #[arg(long)]
    pub json: bool,
    /// Output: text for people, one JSON object, or one line per hit
    /// (jsonl: JSON Lines; csv: a header row, then one row per hit).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,
    /// Start CSV output with a UTF-8 byte order mark (Excel needs it to
    /// read Arabic).
    #[arg(long)]
    pub bom: bool,
    /// No colour, even on a terminal.
    #[arg(long)]
    pub no_color: bool,
}

impl OutputArgs {
    /// The output format from `--format` and `--json` (its shorthand).
    ///
    /// # Errors
    /// Both given, naming different formats.
    pub fn format(&self) -> anyhow::Result<FormatArg> {
        match (self.format, self.json) {
            (Some(f), false) | (Some(f @ FormatArg::Json), true) => Ok(f),
            (None, true) => Ok(FormatArg::Json),
            (None, false) => Ok(FormatArg::Text),
            (Some(_), true) => Err(anyhow!("--json is --format json: give one of them")),
        }
    }
}

/// `--story-threshold` of the commands that group near copies into stories.
#[derive(Args, Debug, Clone)]
pub struct StoryArg {
    /// How alike two articles must be to count as one story, from 0.6 (the
    /// default) to 1 (exact copies of the normalized text only).
    #[arg(long, value_name = "SIMILARITY", default_value_t = THRESHOLD, value_parser = parse_story_threshold)]
    pub story_threshold: f64,
}

/// `--format` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// Ranked hits with snippets, for people.
    Text,
    /// One JSON object (as --json).
    Json,
    /// One JSON object per hit, a line each.
    Jsonl,
    /// A header row, then one row per hit.
    Csv,
    /// An Atom feed of the newest hits (as `akhbar serve`'s /feed).
    Atom,
}

/// `--op` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OpArg {
    /// Every word must match.
    And,
    /// Any word may match.
    Or,
}

impl From<OpArg> for Op {
    fn from(op: OpArg) -> Op {
        match op {
            OpArg::And => Op::And,
            OpArg::Or => Op::Or,
        }
    }
}

/// Opens the index `given` (or `index/`), building `index/` from `corpus/`
/// first when the user named no index and none exists yet, with the
/// user's alias file.
///
/// # Errors
/// The index cannot be opened or built.
pub fn open_or_build_with(
    given: Option<&PathBuf>,
    aliases: Option<&Path>,
) -> anyhow::Result<OpenIndex> {
    let dir = given.cloned().unwrap_or_else(|| PathBuf::from("index"));
    let missing = !dir.join(MANIFEST_FILE).exists();
    if given.is_none() && missing && PathBuf::from("corpus").is_dir() {
        eprintln!("akhbar: no index yet; building index/ from corpus/ first");
        let options = IndexOptions {
            aliases: aliases.map(Path::to_path_buf),
            ..IndexOptions::default()
        };
        let mut reporter = StderrReporter::new(false);
        build(&options, &mut reporter)?;
    }
    Ok(open_existing(&dir)?)
}

/// The built-in alias table plus the user's file, bad lines reported on
/// stderr as `file:line: reason`.
pub fn load_table(explicit: Option<&Path>) -> Arc<AliasTable> {
    let (table, problems) = AliasTable::load(&AliasTable::user_files(explicit));
    for p in problems {
        eprintln!("akhbar: skipped alias line {p}");
    }
    Arc::new(table)
}

/// A date argument as Unix seconds (see [`date_bound`]): the start of the
/// day, or its end (`end_of_day`) for an inclusive upper bound.
///
/// # Errors
/// A date akhbar cannot read.
pub fn date_arg(text: Option<&str>, end_of_day: bool) -> anyhow::Result<Option<i64>> {
    text.map(|t| date_bound(t, end_of_day).map_err(|e| anyhow!(e)))
        .transpose()
}

/// True when marks may be coloured: stdout is a terminal, the user allowed
/// it (`allowed`: no `--no-color`) and `NO_COLOR` is unset or empty.
pub fn use_color(out: &io::StdoutLock<'_>, allowed: bool) -> bool {
    out.is_terminal() && allowed && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Prints a command's result on stdout, as JSON or as text, and flushes.
pub fn print_stdout(
    json: bool,
    as_json: impl FnOnce(&mut io::StdoutLock<'static>) -> io::Result<()>,
    as_text: impl FnOnce(&mut io::StdoutLock<'static>) -> io::Result<()>,
) -> io::Result<()> {
    let mut out = io::stdout().lock();
    if json {
        as_json(&mut out)?;
    } else {
        as_text(&mut out)?;
    }
    out.flush()
}

/// A duration option in seconds: a positive, finite number.
///
/// # Errors
/// Anything else, naming the option.
pub fn seconds_arg(name: &str, secs: f64) -> anyhow::Result<std::time::Duration> {
    if !(secs > 0.0 && secs.is_finite() && secs < 1e9) {
        anyhow::bail!("{name} must be a positive number of seconds, not {secs}");
    }
    Ok(std::time::Duration::from_secs_f64(secs))
}

/// A flag set by the first Ctrl-C (SIGINT) or SIGTERM; a second one ends
/// the process at once (what a killed run leaves is safe: see
/// `akhbar index`).
pub fn stop_on_signal() -> Arc<std::sync::atomic::AtomicBool> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        runtime.block_on(async {
            shutdown_signal().await;
            eprintln!("akhbar: stopping after the pass in progress (again to stop now)");
            flag.store(true, Ordering::SeqCst);
            shutdown_signal().await;
            std::process::exit(130);
        });
    });
    stop
}

/// Completes on Ctrl-C (SIGINT) or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    let terminate = async {
        match term.as_mut() {
            Some(t) => {
                t.recv().await;
            }
            None => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = interrupt => {}
        () = terminate => {}
    }
}
