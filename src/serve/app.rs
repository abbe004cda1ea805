//! Serve: what every request shares — the served index, the alias table,
//! the sources' names, the limits — and the bounded pool that runs the searches.
//!
//! Searches are CPU work that tantivy cannot interrupt, so they run on
//! blocking threads, at most [`Limits::workers`] at once; a burst queues
//! for a worker (up to [`Limits::max_queued`] waiting, beyond which a 503
//! `busy` answers at once), and a request that has not finished within
//! [`Limits::timeout`] (queueing included) gets a 503 `timeout` — its
//! search finishes in the background and still holds its worker, so the
//! number of searches running never exceeds the bound.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use tokio::sync::Semaphore;

use super::error::ApiError;
use super::state::Served;
use crate::entities::AliasTable;
use crate::index::OpenIndex;
use crate::output::Sources;
use crate::search::{Names, SearchError};

/// The server's limits. The defaults suit one machine shared by a
/// newsroom; every one is a hard bound, never a hint.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Longest `q`, `entity` or `text`, in characters (400 beyond).
    pub max_query_chars: usize,
    /// Most hits per page; a larger `limit` is capped, with a warning.
    pub max_limit: usize,
    /// Largest `offset` (400 beyond): deep paging costs memory.
    pub max_offset: usize,
    /// Longest request target (path and query), in bytes (414 beyond).
    pub max_uri_bytes: usize,
    /// Most bytes of all request headers together (431 beyond).
    pub max_header_bytes: usize,
    /// Most header lines.
    pub max_headers: usize,
    /// Largest request head the HTTP layer reads at all (request line
    /// and headers; 414 or 431 beyond).
    pub max_head_bytes: usize,
    /// Largest request body (413 beyond; no endpoint reads one).
    pub max_body_bytes: u64,
    /// Time budget of one request, queueing included (503 beyond).
    pub timeout: Duration,
    /// Searches running at once.
    pub workers: usize,
    /// Requests waiting for a worker (503 `busy` beyond).
    pub max_queued: usize,
    /// Open connections (more wait to be accepted).
    pub max_connections: usize,
    /// Time a client has to send a request head.
    pub header_timeout: Duration,
    /// How often the index folder is checked for a new commit or damage.
    pub refresh_every: Duration,
    /// How long a shutdown waits for requests in flight.
    pub grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_query_chars: 2_000,
            max_limit: 1_000,
            max_offset: 10_000,
            max_uri_bytes: 16 * 1024,
            max_header_bytes: 16 * 1024,
            max_headers: 64,
            max_head_bytes: 64 * 1024,
            max_body_bytes: 16 * 1024,
            timeout: Duration::from_secs(10),
            workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
            max_queued: 1_024,
            max_connections: 512,
            header_timeout: Duration::from_secs(10),
            refresh_every: Duration::from_millis(250),
            grace: Duration::from_secs(10),
        }
    }
}

/// The names of the commit served (`/api/suggest`), built on first use.
///
/// Building them reads every article's entities and the dictionaries
/// (about 0.9 s on the shared corpora), so after a commit the names
/// already kept keep answering while one rebuild runs in the background;
/// only the very first suggestion waits for a build, and requests arriving
/// meanwhile wait for that one build rather than each starting their own.
#[derive(Default)]
pub struct NamesCache {
    /// The last names built, with the commit they were built for.
    kept: Mutex<Option<(u64, Arc<Names>)>>,
    /// Held while a build runs.
    building: Mutex<()>,
    /// A background rebuild has been started and has not finished.
    rebuilding: AtomicBool,
}

impl NamesCache {
    fn kept(&self) -> Option<(u64, Arc<Names>)> {
        let guard = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        guard.as_ref().map(|(g, n)| (*g, Arc::clone(n)))
    }

    fn put(&self, generation: u64, names: &Arc<Names>) {
        let mut guard = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        // A slower, older build never replaces a newer one.
        if guard.as_ref().is_none_or(|(g, _)| *g <= generation) {
            *guard = Some((generation, Arc::clone(names)));
        }
    }
}

/// What the handlers share.
pub struct App {
    /// The served index.
    pub served: Arc<Served>,
    /// The alias table (built-in plus the user's file).
    pub table: Arc<AliasTable>,
    /// The sources' names (built-in plus the user's table).
    pub sources: Sources,
    /// The limits.
    pub limits: Limits,
    /// `--cors ORIGIN`, when given.
    pub cors: Option<axum::http::HeaderValue>,
    /// What `/api/suggest` suggests, for the commit served.
    pub names: NamesCache,
    workers: Arc<Semaphore>,
    queued: AtomicUsize,
}

/// Counts a request as queued until it is dropped (also when the client
/// goes away while it waits).
struct Queued<'a>(&'a AtomicUsize);

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl App {
    /// The shared state of a server.
    pub fn new(
        served: Arc<Served>,
        table: Arc<AliasTable>,
        sources: Sources,
        limits: Limits,
        cors: Option<axum::http::HeaderValue>,
    ) -> App {
        App {
            served,
            table,
            sources,
            workers: Arc::new(Semaphore::new(limits.workers.max(1))),
            limits,
            cors,
            names: NamesCache::default(),
            queued: AtomicUsize::new(0),
        }
    }

    /// The names to answer with at commit `generation` of `open`: those
    /// built for it; else the last ones built (and a rebuild for this
    /// commit started in the background, one at a time); else, the first
    /// time, built now.
    ///
    /// # Errors
    /// The first build fails (an unreadable index).
    pub fn names(
        self: &Arc<Self>,
        open: &Arc<OpenIndex>,
        generation: u64,
    ) -> Result<Arc<Names>, SearchError> {
        let this = &self.names;
        match this.kept() {
            Some((g, names)) if g == generation => Ok(names),
            Some((_, stale)) => {
                if !this.rebuilding.swap(true, Ordering::AcqRel) {
                    let (app, open) = (Arc::clone(self), Arc::clone(open));
                    std::thread::spawn(move || {
                        let _building =
                            app.names.building.lock().unwrap_or_else(|p| p.into_inner());
                        if let Ok(built) = Names::build(&open, &app.table) {
                            app.names.put(generation, &Arc::new(built));
                        }
                        app.names.rebuilding.store(false, Ordering::Release);
                    });
                }
                Ok(stale)
            }
            None => {
                let _building = this.building.lock().unwrap_or_else(|p| p.into_inner());
                // Built by the request this one waited for?
                if let Some((_, names)) = this.kept() {
                    return Ok(names);
                }
                let built = Arc::new(Names::build(open, &self.table)?);
                this.put(generation, &built);
                Ok(built)
            }
        }
    }

    /// The open index, or a 503 with the reason it cannot be used.
    ///
    /// # Errors
    /// [`ApiError::unavailable`].
    pub fn index(&self) -> Result<Arc<OpenIndex>, ApiError> {
        self.served.get().map_err(ApiError::unavailable)
    }

    /// A search worker for a streamed answer (an export), waited for
    /// within the time budget; the stream then holds it as long as it
    /// runs (no time budget: a large export takes what it takes, and
    /// stops when the client goes away).
    ///
    /// # Errors
    /// A 503 when the queue is full or no worker came free in time.
    pub async fn stream_permit(&self) -> Result<tokio::sync::OwnedSemaphorePermit, ApiError> {
        if self.queued.fetch_add(1, Ordering::SeqCst) >= self.limits.max_queued {
            self.queued.fetch_sub(1, Ordering::SeqCst);
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "too many requests waiting; retry shortly",
            ));
        }
        let _queued = Queued(&self.queued);
        let acquire = Arc::clone(&self.workers).acquire_owned();
        match tokio::time::timeout(self.limits.timeout, acquire).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_)) => Err(ApiError::for_status(StatusCode::INTERNAL_SERVER_ERROR)),
            Err(_) => Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                "no search worker came free in time; retry shortly",
            )),
        }
    }

    /// Runs `job` on a search worker within the time budget.
    ///
    /// # Errors
    /// The job's own error; a 503 when the queue is full or the budget is
    /// spent; a 500 when the job panicked.
    pub async fn run<T, F>(&self, job: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    {
        let deadline = tokio::time::Instant::now() + self.limits.timeout;
        let timeout = || {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                format!(
                    "the request took longer than {} s; try a narrower query",
                    self.limits.timeout.as_secs_f64()
                ),
            )
        };
        let permit = {
            if self.queued.fetch_add(1, Ordering::SeqCst) >= self.limits.max_queued {
                self.queued.fetch_sub(1, Ordering::SeqCst);
                return Err(ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "busy",
                    "too many requests waiting; retry shortly",
                ));
            }
            let _queued = Queued(&self.queued);
            let acquire = Arc::clone(&self.workers).acquire_owned();
            match tokio::time::timeout_at(deadline, acquire).await {
                Ok(Ok(permit)) => permit,
                Ok(Err(_)) => return Err(ApiError::for_status(StatusCode::INTERNAL_SERVER_ERROR)),
                Err(_) => return Err(timeout()),
            }
        };
        let task = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            job()
        });
        match tokio::time::timeout_at(deadline, task).await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the request failed inside akhbar (a bug: please report the request)",
            )),
            Err(_) => Err(timeout()),
        }
    }
}
