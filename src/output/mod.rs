//! Output: printers, kept apart from the work that produces their data.
//! Every printer writes to any `W: Write`, so tests print into a `Vec<u8>`.

mod analyze;
mod article;
mod atom;
mod duplicates;
mod entities;
mod entity;
mod export;
mod file;
mod index;
mod opensearch;
mod search;
mod similar;
mod sources;
mod stats;
mod trends;
mod watch;

pub use analyze::{print_analysis_json, print_analysis_json_line, print_analysis_text};
pub use article::print_article_json;
pub use atom::{feed_params, feed_subject, print_search_atom, url_encode, FeedMeta};
pub use duplicates::{print_duplicates_json, print_duplicates_text};
pub use entities::{print_top_entities_json, print_top_entities_text};
pub use entity::{print_entity_json, print_entity_text};
pub use export::{ExportFormat, Exporter, ExtraFields};
pub use file::{print_file_json, print_file_text};
pub use index::{print_index_json, print_index_text, StderrReporter};
pub use opensearch::{print_export_json, print_export_text, print_query};
pub use search::{print_search_json, print_search_text, suggestion_notes, Marks};
pub use similar::{print_similar_json, print_similar_text};
pub use sources::{SourceEntry, Sources};
pub use stats::{print_stats_json, print_stats_text};
pub use trends::{print_trends_csv, print_trends_json, print_trends_text};
pub use watch::{pass_text, print_pass_json, WatchLog};
