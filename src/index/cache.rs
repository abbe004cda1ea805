//! Index: a small cache of values computed from one searcher generation
//! (the index as of one commit), shared by every search on an open index.
//!
//! The search layer keeps in it what a query would otherwise recompute
//! from the term dictionaries each time (the readings a stem stands for).
//! A new commit gives a new generation and empties the cache, so nothing
//! stale is ever served; the cache is bounded by entries and emptied when
//! full.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use tantivy::Searcher;

/// Entries kept before the cache is emptied.
pub const CACHE_ENTRIES: usize = 20_000;

/// Values by key for one searcher generation.
#[derive(Debug)]
pub struct GenerationCache<K, V> {
    inner: Mutex<(u64, HashMap<K, Arc<V>>)>,
}

impl<K, V> Default for GenerationCache<K, V> {
    fn default() -> Self {
        GenerationCache {
            inner: Mutex::new((u64::MAX, HashMap::new())),
        }
    }
}

impl<K: Eq + Hash + Clone, V> GenerationCache<K, V> {
    /// The value for `key` in `searcher`'s generation, computed by `make`
    /// when absent (a value `make` fails to compute is not kept).
    ///
    /// # Errors
    /// What `make` returns.
    pub fn get_or_try<E>(
        &self,
        searcher: &Searcher,
        key: &K,
        make: impl FnOnce() -> Result<V, E>,
    ) -> Result<Arc<V>, E> {
        let generation = searcher.generation().generation_id();
        if let Ok(mut guard) = self.inner.lock() {
            let (current, map) = &mut *guard;
            if *current != generation {
                *current = generation;
                map.clear();
            }
            if let Some(v) = map.get(key) {
                return Ok(Arc::clone(v));
            }
        }
        let value = Arc::new(make()?);
        if let Ok(mut guard) = self.inner.lock() {
            let (current, map) = &mut *guard;
            if *current == generation {
                if map.len() >= CACHE_ENTRIES {
                    map.clear();
                }
                map.insert(key.clone(), Arc::clone(&value));
            }
        }
        Ok(value)
    }
}
