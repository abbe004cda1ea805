//! Analysis: near-duplicate signatures of article bodies (MinHash over
//! word shingles, with LSH band keys).
//!
//! A body is read as its normalized words (the slot text the document
//! builder already made: diacritics, letter variants and tatweel are gone,
//! so two copies that differ only there read the same), cut into
//! overlapping [`SHINGLE`]-word shingles. The signature keeps, for each of
//! [`HASHES`] hash functions, the smallest hash of any shingle: two bodies
//! agree at one position with probability equal to the Jaccard similarity
//! of their shingle sets, so the share of equal positions estimates it
//! ([`similarity`]). The positions are cut into [`BANDS`] bands of
//! [`ROWS`]; two bodies sharing a band key are *candidates*, confirmed
//! when the estimate reaches [`THRESHOLD`]. Band keys are computed when
//! needed (among the hits a search groups, or over the whole index for
//! `akhbar duplicates` and `akhbar stats`), never indexed.
//!
//! Why MinHash and not SimHash: the question a reader asks ("is this the
//! same text, re-headlined or with a changed first paragraph?") is a
//! question about shared passages, which Jaccard over shingles measures
//! directly and MinHash estimates without bias; SimHash over word weights
//! also calls two different articles on the same event similar (same
//! names, same vocabulary). Five-word shingles: shorter ones are shared by
//! different stories on the same event (set phrases, titles of office),
//! longer ones make a single changed word cost too many shingles. With 16
//! bands of 4 rows, a pair at similarity 0.5 becomes a candidate with
//! probability 0.64, at 0.7 with 0.99, at 0.8 with 0.9996: every pair the
//! threshold accepts is found. The threshold and its measurements are in
//! BENCHMARKS.md ("Near-duplicate stories"). The threshold is applied at
//! search time, so a user raises it per search (`--story-threshold`, from
//! 0.6 to 1, no rebuild); changing any other constant here changes the
//! index (`SCHEMA_VERSION`), so it needs `index --rebuild`.
//!
//! The hashes are written out here (FNV-1a for words, SplitMix64 to mix a
//! shingle's words, 32-bit multiply-shift for the hash functions) so that a
//! signature never changes with a crate version.
//!
//! Storage: each position keeps [`BITS`] bits of its minimum (b-bit
//! MinHash: two bodies agree by chance at one position with probability
//! 2^-15, which moves the estimate by less than 0.0001). The 64 positions
//! travel as [`VALUES`] `u64`s of a multi-valued fast column, each tagged
//! with its place (4 bits) so that reading never depends on the column
//! keeping a document's values in order. 128 bytes an article, no term
//! dictionary: the first version (a 256-byte bytes column, dictionary
//! encoded, and 16 indexed band keys an article, 1.16 M distinct terms on
//! the shared corpora) cost 25% of indexing CPU; see BENCHMARKS.md.

/// Words per shingle.
pub const SHINGLE: usize = 5;
/// Hash functions (signature positions).
pub const HASHES: usize = 64;
/// Bands the signature is cut into for candidate lookup.
pub const BANDS: usize = 16;
/// Positions per band.
pub const ROWS: usize = HASHES / BANDS;
/// Bits kept of each position's minimum.
pub const BITS: u32 = 15;
/// Positions packed in one stored value.
const PER_VALUE: usize = 4;
/// Stored values a signature takes.
pub const VALUES: usize = HASHES / PER_VALUE;
/// Fewest words a body needs to get a signature: shorter bodies (a
/// caption, "video", a one-line brief) say too little to call two of them
/// the same story.
pub const MIN_WORDS: usize = 12;
/// Estimated Jaccard similarity from which two bodies are one story: the
/// default and the lowest `--story-threshold`.
pub const THRESHOLD: f64 = 0.6;

/// A body's MinHash signature (`BITS` bits a position).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature(pub [u16; HASHES]);

impl Signature {
    /// The signature as stored: `VALUES` tagged `u64`s.
    pub fn to_values(&self) -> [u64; VALUES] {
        let mut out = [0u64; VALUES];
        for (v, (tag, chunk)) in out
            .iter_mut()
            .zip(self.0.chunks_exact(PER_VALUE).enumerate())
        {
            let mut packed = (tag as u64) << 60;
            for (i, &h) in chunk.iter().enumerate() {
                packed |= u64::from(h & MASK) << (i as u32 * BITS);
            }
            *v = packed;
        }
        out
    }

    /// A stored signature; `None` unless every tag appears.
    pub fn from_values(values: impl IntoIterator<Item = u64>) -> Option<Signature> {
        let mut out = [0u16; HASHES];
        let mut seen = 0u32;
        for v in values {
            let tag = (v >> 60) as usize;
            if tag >= VALUES {
                return None;
            }
            seen |= 1 << tag;
            for i in 0..PER_VALUE {
                out[tag * PER_VALUE + i] = ((v >> (i as u32 * BITS)) as u16) & MASK;
            }
        }
        (seen == (1 << VALUES) - 1).then_some(Signature(out))
    }

    /// The [`BANDS`] band keys: band number and its rows hashed together
    /// (the band number keeps equal rows in different bands apart).
    pub fn bands(&self) -> [u64; BANDS] {
        let mut out = [0u64; BANDS];
        for (b, key) in out.iter_mut().enumerate() {
            let mut h = splitmix(b as u64 ^ 0xA5A5_0000_0000_0000);
            for &row in &self.0[b * ROWS..(b + 1) * ROWS] {
                h = splitmix(h ^ u64::from(row));
            }
            *key = h;
        }
        out
    }
}

/// The low [`BITS`] bits.
const MASK: u16 = (1 << BITS) - 1;

/// The share of positions where two signatures agree: the estimated
/// Jaccard similarity of the two bodies' shingle sets.
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    let same = a.0.iter().zip(&b.0).filter(|(x, y)| x == y).count();
    same as f64 / HASHES as f64
}

/// The signature of a text given as its normalized words; `None` under
/// [`MIN_WORDS`] words.
pub fn signature<'a>(words: impl IntoIterator<Item = &'a str>) -> Option<Signature> {
    let hashes: Vec<u64> = words
        .into_iter()
        .filter(|w| !w.is_empty())
        .map(fnv1a)
        .collect();
    if hashes.len() < MIN_WORDS {
        return None;
    }
    let shingles: Vec<u32> = hashes
        .windows(SHINGLE)
        .map(|window| {
            let mut shingle = 0u64;
            for &w in window {
                shingle = splitmix(shingle ^ w);
            }
            (shingle >> 32) as u32
        })
        .collect();
    let mut sig = [u32::MAX; HASHES];
    minimums(&mut sig, &shingles);
    let mut out = [0u16; HASHES];
    for (o, h) in out.iter_mut().zip(sig) {
        *o = (h >> (32 - BITS)) as u16;
    }
    Some(Signature(out))
}

/// Lowers each position of `sig` to the smallest hash of any shingle: a
/// 32-bit multiply-shift over the (already mixed) shingle hash, one
/// multiply and add per function. With AVX2 (checked at run time) the 64
/// functions take eight vector instructions a shingle; the plain build
/// targets SSE2, which has no 32-bit vector multiply. Same result either
/// way: only the instructions differ.
fn minimums(sig: &mut [u32; HASHES], shingles: &[u32]) {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        unsafe { minimums_avx2(sig, shingles) };
        return;
    }
    minimums_plain(sig, shingles);
}

/// [`minimums`] compiled for AVX2.
///
/// # Safety
/// Only on a CPU with AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn minimums_avx2(sig: &mut [u32; HASHES], shingles: &[u32]) {
    minimums_plain(sig, shingles);
}

/// The loop of [`minimums`], inlined into each build of it.
#[inline(always)]
fn minimums_plain(sig: &mut [u32; HASHES], shingles: &[u32]) {
    for &x in shingles {
        for ((min, &a), &b) in sig.iter_mut().zip(&MULTIPLIERS).zip(&SEEDS) {
            let h = a.wrapping_mul(x).wrapping_add(b);
            *min = (*min).min(h);
        }
    }
}

/// The signature of a slot text (see [`super::normalized`]): its
/// non-empty slots are the words.
pub fn signature_of_slots(slots: &str) -> Option<Signature> {
    signature(slots.split(super::slots::SLOT_SEPARATOR))
}

/// An article's signature from its title's and body's slot texts: the
/// body's MinHash; for a body under [`MIN_WORDS`] words, a signature of
/// the title and body together that only an identical title and body
/// (once normalized) share (`exact_signature`). Such bodies are mostly
/// a byline, a caption or "comments ()", shared by different stories (on
/// the shared corpora, 80 pairs of articles repeat another's short body,
/// 3 of them under the same title), so the body alone cannot say two of
/// them are one story; the same title and body can. `None` for an empty
/// body: a cartoon or a photo page has only its title ("كاريكاتير", 42
/// times in one outlet), which says nothing about what it shows.
pub fn article_signature(title_slots: &str, body_slots: &str) -> Option<Signature> {
    signature_of_slots(body_slots).or_else(|| {
        let words = |s: &'static str, text: &str| {
            text.split(super::slots::SLOT_SEPARATOR)
                .filter(|w| !w.is_empty())
                .map(fnv1a)
                .fold(fnv1a(s), |h, w| splitmix(h ^ w))
        };
        let (title, body) = (words("title", title_slots), words("body", body_slots));
        (body != words("body", "")).then(|| exact_signature(splitmix(title ^ body.rotate_left(1))))
    })
}

/// A signature every position of which derives from one hash: two such
/// signatures agree everywhere when the hashes are equal and at about one
/// position in 2^15 otherwise, so they group exact copies only.
pub fn exact_signature(hash: u64) -> Signature {
    let mut out = [0u16; HASHES];
    for (i, o) in out.iter_mut().enumerate() {
        *o = (splitmix(hash ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)) >> 49) as u16 & MASK;
    }
    Signature(out)
}

/// One additive seed per hash function.
const SEEDS: [u32; HASHES] = seeds(1);
/// One odd multiplier per hash function.
const MULTIPLIERS: [u32; HASHES] = seeds(2);

const fn seeds(salt: u64) -> [u32; HASHES] {
    let mut out = [0u32; HASHES];
    let mut i = 0;
    while i < HASHES {
        out[i] = (splitmix(0x9E37_79B9_7F4A_7C15_u64.wrapping_mul(i as u64 + salt * 1000)) >> 32)
            as u32
            | 1;
        i += 1;
    }
    out
}

/// SplitMix64's finalizer: a fast, well-mixing 64-bit permutation.
const fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// FNV-1a, 64 bits, over a word's UTF-8 bytes.
fn fnv1a(word: &str) -> u64 {
    let mut h = 0xCBF2_9CE4_8422_2325_u64;
    for &b in word.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vector_and_plain_minimums_agree() {
        let shingles: Vec<u32> = (0..5000u64).map(|i| (splitmix(i) >> 32) as u32).collect();
        let mut plain = [u32::MAX; HASHES];
        minimums_plain(&mut plain, &shingles);
        let mut dispatched = [u32::MAX; HASHES];
        minimums(&mut dispatched, &shingles);
        assert_eq!(plain, dispatched);
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            let mut vector = [u32::MAX; HASHES];
            // SAFETY: the CPU has AVX2, checked just above.
            unsafe { minimums_avx2(&mut vector, &shingles) };
            assert_eq!(plain, vector);
        } else {
            let mut err = std::io::stderr().lock();
            let _ = std::io::Write::write_all(&mut err, b"SKIPPED the AVX2 half: no AVX2 here\n");
        }
    }
    use crate::analysis::normalized::TextNormalizer;

    /// A made-up report, about 70 words.
    const STORY: &str = "قررت بلدية المدينة الساحلية مساء الأحد إغلاق الطريق البحري \
        أمام السيارات لمدة أسبوعين، لإصلاح الأرصفة وتركيب إنارة جديدة على طول \
        الكورنيش. وأوضح رئيس البلدية في بيان أن الأعمال ستجري ليلا قدر الإمكان \
        حتى لا تتأثر المحلات التجارية، وأن حافلات إضافية ستنقل السكان بين \
        الأحياء القريبة مجانا. وأشار إلى أن كلفة المشروع تتحملها البلدية من \
        ميزانيتها السنوية، وأن مشاريع مشابهة ستشمل الشوارع الداخلية في الصيف.";

    /// Another made-up report on a different subject.
    const OTHER: &str = "افتتح المتحف الوطني مساء أمس معرضا للمخطوطات القديمة يضم \
        أكثر من مئتي قطعة نادرة جمعت من مكتبات خاصة في عدة مدن. وقالت مديرة \
        المتحف إن المعرض يستمر شهرين، وإن الدخول مجاني لطلاب المدارس والجامعات، \
        وإن ورشا لترميم الورق ستقام كل أسبوع بإشراف خبراء من الخارج.";

    fn sig(text: &str) -> Option<Signature> {
        let read = TextNormalizer::default().read(text);
        signature_of_slots(&read.slots)
    }

    fn sim(a: &str, b: &str) -> f64 {
        match (sig(a), sig(b)) {
            (Some(a), Some(b)) => similarity(&a, &b),
            _ => -1.0,
        }
    }

    #[test]
    fn similarity_by_kind_of_copy() {
        let first_line_changed = STORY.replacen(
            "قررت بلدية المدينة الساحلية مساء الأحد",
            "ذكرت مصادر محلية أن بلدية المدينة الساحلية قررت يوم الأحد",
            1,
        );
        let diacritics = STORY
            .replace("البلدية", "البَلَدِيَّة")
            .replace("الطريق", "الطَّرِيق")
            .replace("جديدة", "جـديدة");
        let tail_cut = STORY
            .split("، وأن مشاريع")
            .next()
            .unwrap_or(STORY)
            .to_string();
        let mixed = format!("{} {}", STORY, OTHER);
        // (name, text, lowest similarity, highest similarity)
        let cases: [(&str, &str, f64, f64); 6] = [
            ("exact copy", STORY, 1.0, 1.0),
            ("diacritics and tatweel", &diacritics, 1.0, 1.0),
            ("first line changed", &first_line_changed, THRESHOLD, 1.0),
            ("last sentence dropped", &tail_cut, THRESHOLD, 1.0),
            ("another story appended", &mixed, 0.3, 0.8),
            ("unrelated story", OTHER, 0.0, 0.1),
        ];
        for (name, text, low, high) in cases {
            let s = sim(STORY, text);
            assert!(
                (low..=high).contains(&s),
                "{name}: similarity {s} not in {low}..={high}"
            );
        }
    }

    #[test]
    fn short_bodies_get_no_minhash_but_an_exact_signature_with_their_title() {
        assert_eq!(sig("فيديو: لحظة وصول الوفد"), None);
        assert_eq!(sig(""), None);
        assert!(sig(STORY).is_some());
        let article = |title: &str, body: &str| {
            let mut normalizer = TextNormalizer::default();
            let (t, b) = (normalizer.read(title), normalizer.read(body));
            article_signature(&t.slots, &b.slots)
        };
        let caption = "تصوير: أحمد سالم";
        let a = article("وصول الوفد إلى المطار", caption).expect("signed");
        // (title, body, same story as `a`)
        let cases = [
            ("وصول الوفد إلى المطار", caption, true),
            ("وصولُ الوفد الى المطار", "تصوير:  أحمد سالم", true),
            ("افتتاح المعرض", caption, false),
            ("", caption, false),
        ];
        for (title, body, same) in cases {
            let b = article(title, body).expect("signed");
            assert_eq!(similarity(&a, &b) >= THRESHOLD, same, "{title} / {body}");
        }
        // an empty body is never compared, whatever the title
        assert_eq!(article("كاريكاتير", ""), None);
        assert_eq!(article("", ""), None);
        // a long body keeps its MinHash whatever the title
        assert_eq!(article("عنوان", STORY), sig(STORY));
    }

    #[test]
    fn values_round_trip_in_any_order_and_bands_follow_rows() {
        let Some(a) = sig(STORY) else {
            panic!("no signature")
        };
        let values = a.to_values();
        assert_eq!(Signature::from_values(values), Some(a.clone()));
        let mut shuffled = values;
        shuffled.reverse();
        assert_eq!(Signature::from_values(shuffled), Some(a.clone()));
        assert_eq!(Signature::from_values(values[1..].iter().copied()), None);
        assert_eq!(Signature::from_values([u64::MAX]), None);
        let mut b = a.clone();
        b.0[0] ^= 1; // first band differs, the others stay
        let (ka, kb) = (a.bands(), b.bands());
        assert_ne!(ka[0], kb[0]);
        assert_eq!(ka[1..], kb[1..]);
        // equal rows in two different bands still give different keys
        let flat = Signature([7; HASHES]).bands();
        assert_ne!(flat[0], flat[1]);
    }

    #[test]
    fn signature_is_stable() {
        // A stored index depends on these values: changing the hashing
        // needs a SCHEMA_VERSION bump.
        let words: Vec<String> = (0..20).map(|i| format!("w{i}")).collect();
        let Some(s) = signature(words.iter().map(String::as_str)) else {
            panic!("no signature")
        };
        let again = signature(words.iter().map(String::as_str));
        assert_eq!(Some(s.clone()), again);
        let reversed = signature(words.iter().rev().map(String::as_str));
        assert!(reversed.is_some_and(|r| similarity(&s, &r) < 0.2));
    }
}
