//! Search: what a user asks of a search ([`SearchRequest`]) and what the
//! search answers ([`SearchResults`]).

use super::entity::EntitySearched;
use super::facets::Facets;
use super::filters::{Filters, Page};
use super::hits::Hit;
use super::plan::Op;
use super::sort::SortOrder;
use super::suggest::Suggestion;

/// What the user asked for.
#[derive(Clone, Debug)]
pub struct SearchRequest {
    /// The query text.
    pub query: String,
    /// Which hits to show.
    pub page: Page,
    /// Dates and outlets the hits must have.
    pub filters: Filters,
    /// Only articles naming this entity (`--entity`).
    pub entity: Option<String>,
    /// How words side by side combine (`--op`).
    pub op: Op,
    /// Build snippets, highlights and each hit's entities (false: the
    /// stored fields only, faster: `--no-snippets`).
    pub snippets: bool,
    /// Count the facets of all hits ([`SearchResults::facets`]).
    pub facets: bool,
    /// The order of the hits (`--sort`).
    pub sort: SortOrder,
    /// Without snippets, still list each hit's entities (exports: read
    /// from the stored list, no text is analyzed).
    pub entities: bool,
    /// Every word outside a negation also matches words one edit away
    /// (`--fuzzy`, as `word~` for each word).
    pub fuzzy: bool,
    /// Keep each hit's whole body ([`Hit::body`], `--fields body`).
    pub body: bool,
    /// One hit per story, its near copies listed on it (false:
    /// `--no-collapse`); see `search::collapse`.
    pub collapse: bool,
    /// The similarity at which two articles are one story
    /// (`--story-threshold`, checked by `search::collapse::parse_story_threshold`).
    pub story_threshold: f64,
    /// Order the first stage's best hits again with the learned ranker
    /// (false: the first stage's order, `--no-ranker`).
    pub ranker: bool,
    /// Give each reranked hit its features' parts in its score
    /// ([`Hit::explain`], `--explain`).
    pub explain: bool,
}

impl Default for SearchRequest {
    /// No query, ten hits, no filters, words AND-ed, snippets on, facets
    /// off, near copies folded into stories, the learned ranker on.
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            page: Page::default(),
            filters: Filters::default(),
            entity: None,
            op: Op::And,
            snippets: true,
            facets: false,
            sort: SortOrder::Relevance,
            entities: false,
            fuzzy: false,
            body: false,
            collapse: true,
            story_threshold: crate::analysis::THRESHOLD,
            ranker: true,
            explain: false,
        }
    }
}

/// The answer to a search.
#[derive(Clone, Debug)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// Articles matching in all.
    pub total_hits: usize,
    /// Stories (an article and its near copies) among them, when
    /// collapsed (`None` with `--no-collapse`).
    pub total_stories: Option<usize>,
    /// False when `total_stories` is an estimate (see `search::collapse`).
    pub total_stories_exact: bool,
    /// Time spent searching and building snippets, milliseconds.
    pub took_ms: f64,
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// What the lenient parser repaired or ignored.
    pub warnings: Vec<String>,
    /// Entities, sources and months of all hits, when asked for.
    pub facets: Option<Facets>,
    /// What `--entity` searched, when given.
    pub entity: Option<EntitySearched>,
    /// Closest frequent words for query words found in no or few
    /// articles (only when the query found few).
    pub suggestions: Vec<Suggestion>,
}
