//! Search: the near copies of one article, with their similarity
//! (`akhbar duplicates ID`): why a search folded two articles together.

use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::collapse::copies_of;
use super::error::SearchError;
use super::stored::StoredDoc;
use crate::index::OpenIndex;

/// An article as listed by `akhbar duplicates`.
#[derive(Clone, Debug, PartialEq)]
pub struct Listed {
    /// Article id.
    pub id: String,
    /// Title as written.
    pub title: String,
    /// Outlet.
    pub source: String,
    /// Publication date, `YYYY-MM-DD`, when known.
    pub date: Option<String>,
    /// Estimated similarity of its body to the article asked about (1 for
    /// that article itself).
    pub similarity: f64,
}

/// An article and its near copies.
#[derive(Clone, Debug, PartialEq)]
pub struct Copies {
    /// The article asked about.
    pub article: Listed,
    /// False when it has no body to compare (it is then never grouped).
    pub signed: bool,
    /// Its near copies, most similar first.
    pub copies: Vec<Listed>,
}

/// The near copies of the article `id` (similarity at least
/// `threshold`); `None` when the index has no such article.
///
/// # Errors
/// [`SearchError::Index`] when the index cannot be read.
pub fn duplicates(
    open: &OpenIndex,
    id: &str,
    threshold: f64,
) -> Result<Option<Copies>, SearchError> {
    let searcher = open.searcher()?;
    let tantivy_err = |e| SearchError::tantivy(&open.dir, e);
    let f = &open.fields;
    let by_id = TermQuery::new(Term::from_field_text(f.id, id), IndexRecordOption::Basic);
    let top = searcher
        .search(&by_id, &TopDocs::with_limit(1).order_by_score())
        .map_err(tantivy_err)?;
    let Some(&(_, me)) = top.first() else {
        return Ok(None);
    };
    let listed = |address, similarity| -> Result<Listed, SearchError> {
        let mut doc: StoredDoc = searcher.doc(address).map_err(tantivy_err)?;
        Ok(Listed {
            id: doc.take_text(f.id),
            title: doc.take_text(f.title),
            source: doc.take_text(f.source),
            date: doc
                .date(f.date)
                .and_then(|ts| chrono::DateTime::from_timestamp(ts, 0))
                .map(|d| d.format("%Y-%m-%d").to_string()),
            similarity,
        })
    };
    let (signed, found) = copies_of(&searcher, me, threshold);
    let copies = found
        .into_iter()
        .map(|(address, s)| listed(address, s))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(Copies {
        article: listed(me, 1.0)?,
        signed,
        copies,
    }))
}
