//! akhbar: full-text search for Arabic news, built on tantivy.
//!
//! The modules follow the pipeline: `corpus` → [`analysis`] → `index` →
//! `search` → `output`, with [`cli`] parsing the command line.
#![warn(missing_docs)]

pub mod analysis;
pub mod cli;
pub mod corpus;
pub mod entities;
pub mod export;
pub mod index;
pub mod output;
pub mod search;
pub mod serve;
