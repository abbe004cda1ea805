//! Index: small caches of values computed from one searcher generation
//! (the index as of one commit), shared by every search on an open index.
//!
//! The search layer keeps in them what a query would otherwise recompute
//! from the term dictionaries and postings each time: the readings a stem
//! stands for, and a query word's scored matches. A new commit gives a new
//! generation and empties a cache, so nothing stale is ever served. Each
//! cache is bounded by a budget in bytes (each value says what it costs)
//! and is emptied when full: simple, and searches of a long-running
//! process (`search --stdin`, `serve`) repeat words far more often than a
//! budget of recent ones is overrun.

use std::any::Any;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use tantivy::postings::TermInfo;
use tantivy::Searcher;

/// Index terms by segment ordinal, each with where its postings are.
pub type SegmentTerms = Vec<Vec<(String, TermInfo)>>;

/// Default budget of the word cache, MiB (`$AKHBAR_CACHE_MB` overrides it;
/// 0 turns the caches off).
pub const WORD_CACHE_MB: usize = 64;

/// Values by key for one searcher generation, within a byte budget.
pub struct GenerationCache<K, V: ?Sized> {
    budget: usize,
    inner: Mutex<Entries<K, V>>,
}

struct Entries<K, V: ?Sized> {
    generation: u64,
    bytes: usize,
    map: HashMap<K, Arc<V>>,
}

impl<K, V: ?Sized> std::fmt::Debug for GenerationCache<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GenerationCache")
            .field("budget", &self.budget)
            .finish()
    }
}

impl<K, V: ?Sized> GenerationCache<K, V> {
    /// An empty cache of at most `budget` bytes (0: keeps nothing).
    pub fn new(budget: usize) -> Self {
        GenerationCache {
            budget,
            inner: Mutex::new(Entries {
                generation: u64::MAX,
                bytes: 0,
                map: HashMap::new(),
            }),
        }
    }
}

impl<K: Eq + Hash + Clone, V: ?Sized> GenerationCache<K, V> {
    /// The value for `key` in `searcher`'s generation, made by `make` when
    /// absent; `make` also says what the value costs in bytes. A value
    /// `make` fails to build is not kept.
    ///
    /// # Errors
    /// What `make` returns.
    pub fn get_or_try<E>(
        &self,
        searcher: &Searcher,
        key: &K,
        make: impl FnOnce() -> Result<(Arc<V>, usize), E>,
    ) -> Result<Arc<V>, E> {
        let generation = searcher.generation().generation_id();
        if let Ok(mut guard) = self.inner.lock() {
            if guard.generation != generation {
                guard.generation = generation;
                guard.bytes = 0;
                guard.map.clear();
            }
            if let Some(v) = guard.map.get(key) {
                return Ok(Arc::clone(v));
            }
        }
        let (value, cost) = make()?;
        let cost = cost + std::mem::size_of::<K>() + 64;
        if cost <= self.budget {
            if let Ok(mut guard) = self.inner.lock() {
                if guard.generation == generation {
                    if guard.bytes + cost > self.budget {
                        guard.map.clear();
                        guard.bytes = 0;
                    }
                    guard.bytes += cost;
                    guard.map.insert(key.clone(), Arc::clone(&value));
                }
            }
        }
        Ok(value)
    }
}

/// The caches of one open index, by what they hold.
#[derive(Debug)]
pub struct SearchCaches {
    /// The index terms a (field, stem) stands for, by segment.
    pub stems: GenerationCache<(tantivy::schema::Field, String), SegmentTerms>,
    /// A query word's gathered matches, by a key the search layer makes
    /// (type-erased: the index layer does not know the search's types).
    pub words: GenerationCache<String, dyn Any + Send + Sync>,
    /// How many articles hold a word as written, the larger of its title
    /// and body counts (the search layer's suggestions ask it of every
    /// query word).
    pub written: GenerationCache<String, u64>,
    /// Values read once a generation from the index as a whole (a fast
    /// field's column in every segment), by a name the search layer
    /// gives (type-erased, as `words`).
    pub readers: GenerationCache<&'static str, dyn Any + Send + Sync>,
}

impl Default for SearchCaches {
    fn default() -> Self {
        let mb = std::env::var("AKHBAR_CACHE_MB")
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap_or(WORD_CACHE_MB);
        SearchCaches {
            stems: GenerationCache::new((mb << 20) / 4),
            words: GenerationCache::new(mb << 20),
            written: GenerationCache::new((mb << 20) / 16),
            readers: GenerationCache::new(if mb == 0 { 0 } else { 1 << 20 }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn searcher() -> Searcher {
        let mut schema = tantivy::schema::Schema::builder();
        schema.add_text_field("t", tantivy::schema::TEXT);
        let index = tantivy::Index::create_in_ram(schema.build());
        index.reader().expect("reader").searcher()
    }

    #[test]
    fn keeps_values_within_budget_and_rebuilds_after_clearing() {
        let s = searcher();
        let cache: GenerationCache<u32, Vec<u8>> = GenerationCache::new(1_000);
        let mut made = 0;
        for _ in 0..3 {
            let v = cache
                .get_or_try(&s, &1, || {
                    made += 1;
                    Ok::<_, ()>((Arc::new(vec![1u8]), 100))
                })
                .expect("value");
            assert_eq!(*v, vec![1u8]);
        }
        assert_eq!(made, 1, "cached after the first call");
        // Too big to keep: made every time.
        for _ in 0..2 {
            cache
                .get_or_try(&s, &2, || {
                    made += 1;
                    Ok::<_, ()>((Arc::new(vec![2u8]), 5_000))
                })
                .expect("value");
        }
        assert_eq!(made, 3);
        // Failures are not kept.
        assert!(cache
            .get_or_try(&s, &3, || Err::<(Arc<Vec<u8>>, usize), _>("no"))
            .is_err());
    }
}
