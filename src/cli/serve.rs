//! `akhbar serve`: the HTTP JSON API over an index (see `crate::serve`),
//! until Ctrl-C or SIGTERM.
//!
//! Exit codes: 0 after a clean shutdown; 2 when the address cannot be
//! bound or an option is wrong. An index that cannot be opened does not
//! stop the server: it answers 503 with the reason until the folder can be
//! opened (for instance once `akhbar index` has built it).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Args;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::common::{load_table, shutdown_signal, AliasesArg, IndexArg, SourcesArg};
use super::index::watch_options;
use crate::index::{watch, IndexOptions};
use crate::output::WatchLog;
use crate::serve::is_loopback;
use crate::serve::{Limits, ServeOptions, Server};

/// Arguments of `akhbar serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The index to serve.
    #[command(flatten)]
    pub index: IndexArg,
    /// Address and port to listen on. Anything but loopback exposes the
    /// API, which has no authentication, to the network.
    #[arg(long, default_value = "127.0.0.1:7700")]
    pub addr: SocketAddr,
    /// The user's alias table.
    #[command(flatten)]
    pub aliases: AliasesArg,
    /// The names shown for the sources' ids.
    #[command(flatten)]
    pub sources: SourcesArg,
    /// Let web pages from this origin call the API
    /// (`Access-Control-Allow-Origin`; none without it).
    #[arg(long, value_name = "ORIGIN")]
    pub cors: Option<String>,
    /// Searches run at once (default: the number of cores); more queue.
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,
    /// Time budget of one request, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 10.0)]
    pub timeout: f64,
    /// Also index these folders into the served index, and follow them:
    /// new, changed and removed files are searchable seconds after they
    /// land (as `akhbar index --watch`).
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub watch: Vec<PathBuf>,
    /// With --watch: how long a file written in place must stay unchanged
    /// before it is read, in seconds.
    #[arg(long, default_value_t = 1.0, value_name = "SECS")]
    pub settle: f64,
    /// With --watch: look at every file this often even without events,
    /// in seconds.
    #[arg(long, default_value_t = 60.0, value_name = "SECS")]
    pub rescan: f64,
}

/// Runs `akhbar serve` until a shutdown signal; returns the exit code.
///
/// # Errors
/// The address cannot be bound, or the runtime cannot start.
pub fn run(args: &ServeArgs) -> anyhow::Result<i32> {
    let aliases = args.aliases.aliases.as_deref();
    let table = load_table(aliases);
    let sources = args.sources.load();
    let dir = args
        .index
        .index
        .clone()
        .unwrap_or_else(|| PathBuf::from("index"));
    if args.index.index.is_none() && args.watch.is_empty() {
        // Builds index/ from corpus/ when neither exists yet, as `search` does.
        let _ = args.index.open(aliases);
    }
    let watcher = start_watcher(args, &dir)?;
    if !(args.timeout > 0.0 && args.timeout.is_finite()) {
        anyhow::bail!("--timeout must be a positive number of seconds");
    }
    let mut limits = Limits {
        timeout: Duration::from_secs_f64(args.timeout),
        ..Limits::default()
    };
    if let Some(n) = args.workers {
        limits.workers = n.max(1);
    }
    let options = ServeOptions {
        index: dir.clone(),
        addr: args.addr,
        table,
        sources,
        cors: args.cors.clone(),
        limits,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(async move {
        let server = Server::bind(options).await?;
        let addr = server.local_addr()?;
        if !is_loopback(&addr) {
            eprintln!(
                "akhbar: warning: serving on {addr}, beyond this machine: the API has no \
                 authentication, anyone who can reach this address can query the index"
            );
        }
        if let Some(problem) = server.index_problem() {
            eprintln!("akhbar: warning: {problem}; answering 503 until the index can be opened");
        }
        eprintln!(
            "akhbar: serving {} on http://{addr}/api (Ctrl-C to stop)",
            dir.display()
        );
        server.run(shutdown_signal()).await;
        anyhow::Ok(0)
    })?;
    if let Some((stop, handle)) = watcher {
        stop.store(true, Ordering::SeqCst);
        // A pass in progress finishes (a long one is left: it is safe).
        let started = std::time::Instant::now();
        while !handle.is_finished() && started.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    eprintln!("akhbar: stopped");
    Ok(0)
}

/// The watcher thread of `--watch`, and the flag that stops it.
///
/// # Errors
/// A folder to watch does not exist, or a bad `--settle`/`--rescan`.
fn start_watcher(
    args: &ServeArgs,
    dir: &std::path::Path,
) -> anyhow::Result<Option<(Arc<AtomicBool>, std::thread::JoinHandle<()>)>> {
    if args.watch.is_empty() {
        return Ok(None);
    }
    for path in &args.watch {
        if !path.exists() {
            anyhow::bail!("--watch {}: no such file or folder", path.display());
        }
    }
    let index = IndexOptions {
        roots: args.watch.clone(),
        index_dir: dir.to_path_buf(),
        aliases: args.aliases.aliases.clone(),
        ..IndexOptions::default()
    };
    let options = watch_options(index, args.settle, args.rescan)?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let handle = std::thread::spawn(move || {
        let mut log = WatchLog::new(false);
        if let Err(e) = watch(&options, &flag, &mut log) {
            eprintln!("akhbar: watch: {e:#}; the server goes on without it");
        }
    });
    Ok(Some((stop, handle)))
}
