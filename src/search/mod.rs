//! Search (floor 3): queries in, plain-data hits out; printing is the
//! `output` folder's job.
//!
//! A search: `parse` (the lenient query language) → `plan` (tantivy
//! queries over `word`'s word-level BM25 terms) and `entity` (`--entity`)
//! → `run` (planned, ranked with `rerank` — the learned second stage:
//! `features` of the first 100 hits scored by `ranker`'s model, which
//! `train` fits — folded into stories by `collapse`, cut into a page) → `hits` (each hit built from `stored`
//! fields, marked by `highlight`); `spellings` gives keyword words that
//! name a person their other spellings. `request` is what is asked and
//! answered, `filters` the dates, outlets and page every request shares,
//! `error` why a search failed, `sort` and `dates` the orders and bounds.
//! The other commands: `similar`, `article`, `duplicates`, `suggest`
//! (did you mean), `fuzzy`, `facets` (a query's entities, sources and
//! months), `top_entities` (`akhbar entities`, counted by
//! `entity_counts`), `stats` (with `facet_counts`), `names` (names and
//! words as the reader types them: `/api/suggest`), `trends` (several
//! searches counted period by period).

mod article;
mod collapse;
mod dates;
mod duplicates;
mod entity;
mod entity_counts;
mod error;
mod facet_counts;
mod facets;
mod features;
mod filters;
mod fuzzy;
mod highlight;
mod hits;
mod names;
mod parse;
mod plan;
mod ranker;
mod request;
mod rerank;
mod run;
mod similar;
mod sort;
mod spellings;
mod stats;
mod stored;
mod suggest;
mod top_entities;
mod train;
mod trends;
mod word;

pub use article::{article, Article, Highlight};
pub use collapse::{group, parse_story_threshold, Signatures, Story};
pub use dates::date_bound;
pub use duplicates::{duplicates, Copies, Listed};
pub use entity::{EntitySearched, CONFIDENT};
pub use entity_counts::EntityCount;
pub use error::SearchError;
pub use facets::{Facets, MonthCount, SourceCount};
pub use features::{COUNT as FEATURE_COUNT, NAMES as FEATURE_NAMES};
pub use filters::{Filters, Page};
pub use highlight::{Highlighter, Snippet};
pub use hits::{Duplicate, Hit, HitEntity};
pub use names::{name_words, Names, Typed};
pub use parse::{parse, Node, Scope};
pub use plan::{HighlightTerms, Op, TITLE_BOOST};
pub use ranker::{Contribution, Model};
pub use request::{SearchRequest, SearchResults};
pub use rerank::{rerank_depth, DEEP_RERANK_DEPTH, RERANK_DEPTH};
pub use run::{candidates, search, search_each, search_with, Candidates};
pub use similar::{similar, similar_each, SimilarRequest, SimilarResults, Weighted};
pub use sort::SortOrder;
pub use stats::{stats, Stats, Watching};
pub use stored::StoredDoc;
pub use suggest::{did_you_mean, Suggestion};
pub use top_entities::top_entities;
pub use train::{held_out_corpus, mrr, objective, train, Group, TrainingQuery, HELD_OUT_CORPUS};
pub use trends::{trends, Interval, SeriesAsk, SeriesCounts, TrendRequest, Trends, MAX_SERIES};
