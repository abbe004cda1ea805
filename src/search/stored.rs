//! Search: reading a hit's stored fields.
//!
//! tantivy's own document type builds a tree of values for every stored
//! field; a hit needs a handful of strings and the date, so this reader
//! keeps just those, as plain strings (a quarter of the instructions per
//! hit, measured with callgrind on ten-hit searches).

use tantivy::schema::document::{
    DeserializeError, DocumentDeserialize, DocumentDeserializer, ValueDeserialize,
    ValueDeserializer, ValueVisitor,
};
use tantivy::schema::Field;
use tantivy::DateTime;

/// One stored value of akhbar's schema.
#[derive(Clone, Debug, PartialEq)]
pub enum StoredValue {
    /// A string field.
    Text(String),
    /// The date field, Unix seconds.
    Date(i64),
    /// An unsigned number (the `line` field).
    Number(u64),
    /// A value of another type (none in akhbar's schema).
    Other,
}

/// A document's stored fields, in stored order.
#[derive(Clone, Debug, Default)]
pub struct StoredDoc {
    /// Each field with its value.
    pub values: Vec<(Field, StoredValue)>,
}

impl StoredDoc {
    /// The first string of `field`, or "".
    pub fn text(&self, field: Field) -> &str {
        self.values
            .iter()
            .find_map(|(f, v)| match v {
                StoredValue::Text(s) if *f == field => Some(s.as_str()),
                _ => None,
            })
            .unwrap_or("")
    }

    /// Takes the first string of `field` out of the document.
    pub fn take_text(&mut self, field: Field) -> String {
        self.values
            .iter_mut()
            .find_map(|(f, v)| match v {
                StoredValue::Text(s) if *f == field => Some(std::mem::take(s)),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// The first number of `field`.
    pub fn number(&self, field: Field) -> Option<u64> {
        self.values.iter().find_map(|(f, v)| match v {
            StoredValue::Number(n) if *f == field => Some(*n),
            _ => None,
        })
    }

    /// The first date of `field`, Unix seconds.
    pub fn date(&self, field: Field) -> Option<i64> {
        self.values.iter().find_map(|(f, v)| match v {
            StoredValue::Date(ts) if *f == field => Some(*ts),
            _ => None,
        })
    }
}

struct Visitor;

impl ValueVisitor for Visitor {
    type Value = StoredValue;

    fn visit_string(&self, val: String) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Text(val))
    }

    fn visit_datetime(&self, val: DateTime) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Date(val.into_timestamp_secs()))
    }

    fn visit_u64(&self, val: u64) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Number(val))
    }

    fn visit_i64(&self, _val: i64) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Other)
    }

    fn visit_bytes(&self, _val: Vec<u8>) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Other)
    }
}

impl ValueDeserialize for StoredValue {
    fn deserialize<'de, D>(deserializer: D) -> Result<Self, DeserializeError>
    where
        D: ValueDeserializer<'de>,
    {
        deserializer.deserialize_any(Visitor)
    }
}

impl DocumentDeserialize for StoredDoc {
    fn deserialize<'de, D>(mut deserializer: D) -> Result<Self, DeserializeError>
    where
        D: DocumentDeserializer<'de>,
    {
        let mut values = Vec::with_capacity(deserializer.size_hint());
        while let Some(entry) = deserializer.next_field::<StoredValue>()? {
            values.push(entry);
        }
        Ok(StoredDoc { values })
    }
}
