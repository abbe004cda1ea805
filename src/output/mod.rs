//! Output: printers, kept apart from the work that produces their data.
//! Every printer writes to any `W: Write`, so tests print into a `Vec<u8>`.

pub mod analyze;
pub mod article;
pub mod duplicates;
pub mod entities;
pub mod entity;
pub mod export;
pub mod file;
pub mod index;
pub mod opensearch;
pub mod search;
pub mod similar;
pub mod stats;
