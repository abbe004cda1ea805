//! Search: lenient query parsing ([`parse`]), query planning and ranking
//! ([`plan`]), execution ([`run`]), highlighting and snippets
//! ([`highlight`]), near copies folded into stories ([`collapse`]), and
//! index statistics ([`stats`]). Everything here
//! returns plain data; printing is the `output` module's job.

pub mod article;
pub mod collapse;
pub mod dates;
pub mod duplicates;
pub mod entity;
pub mod entity_counts;
pub mod facet_terms;
pub mod facets;
pub mod facets_all;
pub mod fuzzy;
pub mod highlight;
pub mod parse;
pub mod plan;
pub mod rerank;
pub mod run;
pub mod similar;
pub mod sort;
pub mod stats;
pub mod stored;
pub mod suggest;
pub mod word;
