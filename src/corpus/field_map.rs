//! Corpus: the user's names for akhbar's fields (`--map
//! body=article_text,title=headline_ar`), for data sets whose columns or
//! keys are not among the common names [`super::json`] knows.
//!
//! A mapped name is looked up first, case-insensitively; the common names
//! still follow it, so one map serves a folder whose files name a field
//! either way. The map is kept in the index's manifest in its canonical
//! form ([`FieldMap::canonical`]): a changed map reads the record files
//! (JSON, JSON Lines, CSV, TSV, Parquet) again.

use std::fmt;

/// A field a column or key can be mapped to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// The article's id.
    Id,
    /// Headline.
    Title,
    /// Article text.
    Body,
    /// Publication date.
    Date,
    /// Outlet or newspaper.
    Source,
    /// Link to the article.
    Url,
    /// Section or category.
    Category,
    /// Keywords or tags.
    Keywords,
}

impl Field {
    /// Every field, in the canonical order.
    pub const ALL: [Field; 8] = [
        Field::Id,
        Field::Title,
        Field::Body,
        Field::Date,
        Field::Source,
        Field::Url,
        Field::Category,
        Field::Keywords,
    ];

    /// The field's name in `--map`.
    pub fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Title => "title",
            Field::Body => "body",
            Field::Date => "date",
            Field::Source => "source",
            Field::Url => "url",
            Field::Category => "category",
            Field::Keywords => "keywords",
        }
    }

    fn of(name: &str) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name.trim()))
    }
}

/// Column or key names the user gave for akhbar's fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldMap {
    names: [Option<String>; 8],
}

impl FieldMap {
    /// Parses `field=column` pairs separated by commas (`""`: no map).
    ///
    /// # Errors
    /// An unknown field (the reason lists the known ones), a pair without
    /// `=`, an empty column name, or a field named twice.
    pub fn parse(text: &str) -> Result<FieldMap, String> {
        let mut map = FieldMap::default();
        for pair in text.split(',').filter(|p| !p.trim().is_empty()) {
            let Some((field, column)) = pair.split_once('=') else {
                return Err(format!(
                    "«{}»: expected field=column, e.g. body=article_text",
                    pair.trim()
                ));
            };
            let Some(f) = Field::of(field) else {
                let known: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
                return Err(format!(
                    "«{}» is not a field akhbar reads (fields: {})",
                    field.trim(),
                    known.join(", ")
                ));
            };
            let column = column.trim();
            if column.is_empty() {
                return Err(format!("«{}»: the column name is empty", pair.trim()));
            }
            let slot = &mut map.names[f as usize];
            if slot.is_some() {
                return Err(format!("{} is mapped twice", f.name()));
            }
            *slot = Some(column.to_string());
        }
        Ok(map)
    }

    /// The column the user named for `field`, if any.
    pub fn get(&self, field: Field) -> Option<&str> {
        self.names[field as usize].as_deref()
    }

    /// True when no field is mapped.
    pub fn is_empty(&self) -> bool {
        self.names.iter().all(Option::is_none)
    }

    /// The map as `--map` takes it, fields in a fixed order (`""` when
    /// empty): what the manifest keeps.
    pub fn canonical(&self) -> String {
        Field::ALL
            .into_iter()
            .filter_map(|f| self.get(f).map(|c| format!("{}={c}", f.name())))
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl fmt::Display for FieldMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_parse_and_print_in_a_fixed_order() {
        let map = FieldMap::parse(" title = headline_ar , BODY=article_text").expect("valid");
        assert_eq!(map.get(Field::Body), Some("article_text"));
        assert_eq!(map.get(Field::Title), Some("headline_ar"));
        assert_eq!(map.get(Field::Date), None);
        assert_eq!(map.canonical(), "title=headline_ar,body=article_text");
        assert_eq!(FieldMap::parse(&map.canonical()), Ok(map));
        assert!(FieldMap::parse("").expect("empty").is_empty());
    }

    #[test]
    fn bad_maps_say_why() {
        let err = FieldMap::parse("text=x").expect_err("unknown field");
        assert!(err.contains("«text»") && err.contains("body"), "{err}");
        let err = FieldMap::parse("body").expect_err("no =");
        assert!(err.contains("field=column"), "{err}");
        let err = FieldMap::parse("body=").expect_err("empty");
        assert!(err.contains("empty"), "{err}");
        let err = FieldMap::parse("body=a,body=b").expect_err("twice");
        assert!(err.contains("twice"), "{err}");
    }
}
