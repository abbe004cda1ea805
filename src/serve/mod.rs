//! Serve (floor 6): `akhbar serve`, an HTTP JSON API and a search page
//! over one index, safe to leave running. It uses the library (search,
//! output printers, index) and only the command line uses it.
//!
//! - `server`: the listener and HTTP/1.1 connections (hyper), graceful
//!   shutdown, the index refresher;
//! - `routes`: the endpoints (axum) and the checks before them;
//! - `app`: what requests share, the limits, the bounded search pool;
//! - `state`: the served index, reopened on commit, 503 while unusable;
//! - `params`: strict query-string parsing; `request`: a request's
//!   search parameters as a search;
//! - `error`: JSON errors; `canned`: JSON for the answers the HTTP layer
//!   makes by itself (a malformed or oversized request head);
//! - `export`: the hits streamed as CSV or JSON Lines (bounded memory);
//! - `feed`: followed searches as Atom feeds, with conditional GET;
//! - `trends`: several searches counted period by period;
//! - `suggest`: names and words as the reader types them;
//! - `mentions`: where an article names each entity (the article view's
//!   marks);
//! - `page`: the search page for people, its files embedded from `page/`
//!   beside this module.
//!
//! Why axum on tokio: the ecosystem's common, well-kept choice, whose
//! router is a plain tower service, so connections can be served by hyper
//! directly with the limits axum's own `serve` does not expose (request
//! head size, header read timeout, connection count).

mod app;
mod canned;
mod error;
mod export;
mod feed;
mod mentions;
mod page;
mod params;
mod request;
mod routes;
mod server;
mod state;
mod suggest;
mod trends;

pub use app::Limits;
pub use server::{is_loopback, ServeOptions, Server};
