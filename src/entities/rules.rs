//! Entities: which extraction rules are on for this process (all, unless
//! `AKHBAR_ENTITY_RULES=-written,-model …` switches some off, to measure
//! what each is worth).

/// Which rules are on (all, unless `AKHBAR_ENTITY_RULES` switches some
/// off; see `extract`'s module documentation).
#[derive(Clone, Copy, Debug)]
pub struct Rules {
    /// Table names must agree with what the writer wrote.
    pub written: bool,
    /// Names that are also common words need context.
    pub context: bool,
    /// New names avoid the common words of `entities::lexicon`.
    pub lexicon: bool,
    /// The span model decides where a new name ends (off: the longest
    /// name the rules allow).
    pub model: bool,
}

/// The rules in force for this process.
pub fn rules() -> Rules {
    static RULES: std::sync::LazyLock<Rules> = std::sync::LazyLock::new(|| {
        let off = std::env::var("AKHBAR_ENTITY_RULES").unwrap_or_default();
        let on = |name: &str| !off.split(',').any(|r| r.trim() == format!("-{name}"));
        Rules {
            written: on("written"),
            context: on("context"),
            lexicon: on("lexicon"),
            model: on("model"),
        }
    });
    *RULES
}
