//! Serve: the listener, the HTTP/1.1 connections and the shutdown.
//!
//! Connections are served by hyper with the request-head limits of
//! [`Limits`] and a header read timeout (a client that trickles its
//! request in is dropped); at most [`Limits::max_connections`] are open,
//! the next ones wait in the listen queue. A thread refreshes the served
//! index every [`Limits::refresh_every`]. On shutdown the listener
//! closes, requests in flight finish (for up to [`Limits::grace`]), idle
//! connections close.

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use super::app::{App, Limits};
use super::canned::JsonErrors;
use super::routes::router;
use super::state::Served;
use crate::entities::AliasTable;
use crate::output::Sources;

/// What `akhbar serve` was asked to do.
#[derive(Clone)]
pub struct ServeOptions {
    /// The index folder.
    pub index: PathBuf,
    /// Address to listen on (port 0: any free port).
    pub addr: SocketAddr,
    /// The alias table for `entity=` and the hits' entities.
    pub table: Arc<AliasTable>,
    /// The sources' names shown beside their ids.
    pub sources: Sources,
    /// `Access-Control-Allow-Origin` value, when cross-origin pages may
    /// call the API.
    pub cors: Option<String>,
    /// The limits.
    pub limits: Limits,
}

/// A bound server, not yet answering.
pub struct Server {
    listener: TcpListener,
    app: Arc<App>,
}

/// True for a loopback address (127.0.0.0/8, ::1).
pub fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

impl Server {
    /// Opens the index (unusable is fine: served as 503 until it opens)
    /// and binds the address.
    ///
    /// # Errors
    /// The address cannot be bound, or the `--cors` origin is not a valid
    /// header value.
    pub async fn bind(options: ServeOptions) -> anyhow::Result<Server> {
        let cors = options
            .cors
            .as_deref()
            .map(axum::http::HeaderValue::from_str)
            .transpose()
            .map_err(|_| anyhow::anyhow!("--cors: not a valid origin"))?;
        let served = Arc::new(Served::open(&options.index));
        let listener = TcpListener::bind(options.addr)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", options.addr))?;
        let app = Arc::new(App::new(
            served,
            options.table,
            options.sources,
            options.limits,
            cors,
        ));
        Ok(Server { listener, app })
    }

    /// The address actually bound (with the port chosen for port 0).
    ///
    /// # Errors
    /// The socket has no local address.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Why the index cannot be served now, if it cannot.
    pub fn index_problem(&self) -> Option<String> {
        self.app.served.get().err()
    }

    /// Answers requests until `shutdown` completes, then lets requests in
    /// flight finish.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        let Server { listener, app } = self;
        let stop = Arc::new(AtomicBool::new(false));
        let refresher = spawn_refresher(Arc::clone(&app.served), app.limits.refresh_every, &stop);
        let limits = app.limits.clone();
        let service = TowerToHyperService::new(router(app));
        let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
        let graceful = GracefulShutdown::new();
        tokio::pin!(shutdown);
        loop {
            let slot = tokio::select! {
                slot = Arc::clone(&slots).acquire_owned() => slot,
                () = &mut shutdown => break,
            };
            let Ok(slot) = slot else { break };
            let stream = tokio::select! {
                accepted = listener.accept() => accepted,
                () = &mut shutdown => break,
            };
            let stream = match stream {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait, go on.
                    eprintln!("akhbar: accept failed: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            let connection = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .max_buf_size(limits.max_head_bytes.max(8192))
                .max_headers(limits.max_headers)
                .serve_connection(TokioIo::new(JsonErrors::new(stream)), service.clone());
            let connection = graceful.watch(connection);
            tokio::spawn(async move {
                let _ = connection.await;
                drop(slot);
            });
        }
        drop(listener);
        if tokio::time::timeout(limits.grace, graceful.shutdown())
            .await
            .is_err()
        {
            eprintln!(
                "akhbar: requests still running after {:?}; stopping",
                limits.grace
            );
        }
        stop.store(true, Ordering::SeqCst);
        let _ = refresher.join();
    }
}

/// A thread that refreshes the served index until `stop` is set.
fn spawn_refresher(
    served: Arc<Served>,
    every: std::time::Duration,
    stop: &Arc<AtomicBool>,
) -> std::thread::JoinHandle<()> {
    let stop = Arc::clone(stop);
    std::thread::spawn(move || {
        while !stop.load(Ordering::SeqCst) {
            std::thread::sleep(every);
            served.refresh();
        }
    })
}
