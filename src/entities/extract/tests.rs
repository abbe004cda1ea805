//! Entity extraction tables: text, and the entities (and mention counts)
//! that must or must not be found.

use std::sync::Arc;

use super::*;

fn extractor() -> Extractor {
    Extractor::new(Arc::new(AliasTable::builtin()))
}

fn names(text: &str) -> Vec<(String, usize)> {
    extractor()
        .extract(&[text])
        .into_iter()
        .map(|(f, _)| (f.name, f.mentions.len()))
        .collect()
}

/// The entities listed for a text (weak ones left out): (shown name, type).
fn listed(text: &str) -> Vec<(String, EntityType)> {
    extractor()
        .extract(&[text])
        .into_iter()
        .filter(|(f, _)| !f.weak)
        .map(|(f, _)| (f.display, f.kind))
        .collect()
}

fn has(text: &str, name: &str) -> bool {
    names(text).iter().any(|(n, _)| n == name)
}

#[test]
fn clitics_before_one_and_multi_word_names() {
    let cases: &[(&str, &str)] = &[
        ("زار الوفد وبغداد", "بغداد"),
        ("ثم فبغداد", "بغداد"),
        ("وصل ببغداد", "بغداد"),
        ("رسالة لبغداد", "بغداد"),
        ("مدن كبغداد", "بغداد"),
        ("عاد إلى العراق", "العراق"),
        ("وبالعراق أيضا", "العراق"),
        ("قال ممثل الأمم المتحدة", "الأمم المتحدة"),
        ("رسالة للأمم المتحدة", "الأمم المتحدة"),
        ("وللأمم المتحدة دور", "الأمم المتحدة"),
        ("وبالأمم المتحدة", "الأمم المتحدة"),
        ("دعم لقوات سوريا الديمقراطية", "قوات سوريا الديمقراطية"),
        ("واتهمت وداعش", "تنظيم الدولة الإسلامية"),
        ("التقى بترامب", "دونالد ترامب"),
    ];
    for (text, name) in cases {
        assert!(
            has(text, name),
            "{text:?} should name {name}: {:?}",
            names(text)
        );
    }
}

#[test]
fn aliases_map_to_the_canonical_entity() {
    let found = names("قالت قسد إن قوات سوريا الديمقراطية ستنسحب، وأكد ترمب وترامب ذلك");
    let sdf = found.iter().find(|(n, _)| n == "قوات سوريا الديمقراطية");
    assert_eq!(sdf.map(|s| s.1), Some(2), "{found:?}");
    let trump = found.iter().find(|(n, _)| n == "دونالد ترامب");
    assert_eq!(trump.map(|s| s.1), Some(2), "{found:?}");
}

#[test]
fn a_name_inside_a_longer_name_counts_for_the_longer_one() {
    let found = names("اجتمع وزراء جامعة الدول العربية في القاهرة");
    assert!(
        found.iter().any(|(n, _)| n == "جامعة الدول العربية"),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(n, _)| n == "الدول العربية"),
        "{found:?}"
    );
}

#[test]
fn common_words_sharing_letters_are_not_names() {
    for (text, name) in [
        ("قدم فكرة جديدة", "دونالد ترامب"),
        ("لبن وجبن", "لبنان"),
        ("مصري الأصل", "مصر"),
        ("قضية العراقيين", "العراق"),
    ] {
        assert!(
            !has(text, name),
            "{text:?} must not name {name}: {:?}",
            names(text)
        );
    }
}

#[test]
fn new_names_after_trigger_words() {
    let cases: &[(&str, &str, EntityType)] = &[
        (
            "قال الرئيس الكيني وليام روتو إن",
            "وليام",
            EntityType::Person,
        ),
        (
            "في مدينة تمنراست الجزائرية",
            "تمنراست",
            EntityType::Location,
        ),
        (
            "أكد وزير الخارجية كريم منصور أن",
            "كريم",
            EntityType::Person,
        ),
    ];
    for (text, name, kind) in cases {
        let found = extractor().extract(&[text]);
        assert!(
            found
                .iter()
                .any(|(f, _)| f.name.starts_with(name) && f.kind == *kind && !f.known),
            "{text:?}: {found:?}"
        );
    }
}

#[test]
fn mentions_are_byte_ranges_of_original_words() {
    let text = "قالَ مُمثِّلُ لِلأُمَمِ المُتَّحِدَةِ";
    let found = extractor().extract(&[text]);
    let un = found
        .iter()
        .find(|(f, _)| f.name == "الأمم المتحدة")
        .expect("found");
    assert_eq!(&text[un.0.mentions[0].clone()], "لِلأُمَمِ المُتَّحِدَةِ");
}

/// Lines of the bundled corpus, and of the shared corpora when present.
fn sample_texts() -> Vec<String> {
    let mut texts = Vec::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in walkdir::WalkDir::new(root.join("corpus"))
        .into_iter()
        .flatten()
    {
        if let Ok(text) = std::fs::read_to_string(entry.path()) {
            texts.extend(text.lines().map(str::to_string));
        }
    }
    let shared = root.join("../shared/corpora");
    if shared.is_dir() {
        for entry in walkdir::WalkDir::new(&shared).into_iter().flatten() {
            if entry.path().extension().is_some_and(|e| e == "jsonl") {
                if let Ok(text) = std::fs::read_to_string(entry.path()) {
                    texts.extend(text.lines().take(300).map(str::to_string));
                }
            }
        }
    } else {
        eprintln!("../shared/corpora absent: checking the bundled corpus only");
    }
    texts
}

#[test]
fn fast_reading_finds_what_full_reading_finds() {
    let mut fast = extractor();
    let full = extractor();
    let mut analyzer = crate::analysis::Analyzer::Exact.build();
    let texts = sample_texts();
    let mut entities = 0;
    for text in &texts {
        let words = vec![crate::analysis::words(&mut analyzer, text)];
        let expected = full.extract_words(&[text], &words);
        let got = fast.extract(&[text]);
        assert_eq!(got, expected, "{text}");
        entities += got.len();
    }
    assert!(entities > 100, "the sample names entities ({entities})");
}

/// Each rule of new names: what must become a name (as written), and what
/// must not.
#[test]
fn new_name_rules_must_and_must_not() {
    use EntityType::{Location as L, Organisation as O, Person as P};
    let must: &[(&str, &str, EntityType)] = &[
        // people: title, origin adjective, first and family name
        ("قال الرئيس الكيني وليام روتو إن", "وليام روتو", P),
        ("وصل الوزير سامر الحلبوسي أمس", "سامر الحلبوسي", P),
        (
            "استقبل الشيخ عبد الرحمن الراشد الوفد",
            "عبد الرحمن الراشد",
            P,
        ),
        ("أكد وزير الخارجية كريم منصور أن", "كريم منصور", P),
        // organisations: trigger and name words, spelled as written
        ("قاتلت جماعة جند الشام", "جماعة جند الشام", O),
        // places
        ("في مدينة تمنراست الجزائرية", "تمنراست", L),
    ];
    for (text, name, kind) in must {
        let got = listed(text);
        assert!(
            got.iter().any(|(n, k)| n == name && k == kind),
            "{text:?} must name {name}: {got:?}"
        );
    }
    let must_not: &[(&str, &str)] = &[
        // the head of an institution is no person
        ("قال رئيس مجلس الإدارة إن", "مجلس"),
        ("صرح رئيس الوزراء أمس", "وزراء"),
        ("الرئيس التنفيذي لشركة أرامكو", "شركة"),
        ("أكد وزير خارجية فرنسا", "خارجية"),
        ("رئيس هيئة الأركان", "هيئة"),
        ("رئيس الاتحاد السعودي لكرة القدم", "لكرة القدم"),
        ("وزير الشؤون البلدية والقروية", "والقروية"),
        // a first name alone is nobody in particular
        ("استقبل الأمير فيصل الوفد", "فيصل"),
        ("قال الشيخ محمد إن", "محمد"),
        // descriptors of forces and groups are no organisations
        ("انتشرت قوات الأمن في المدينة", "قوات الأمن"),
        ("قالت القوات المسلحة", "القوات المسلحة"),
        ("تبنى التنظيم الإرهابي الهجوم", "التنظيم الإرهابي"),
        ("تقدم الجيش الوطني", "الجيش الوطني"),
        ("هاجمت قوات موالية للحكومة", "قوات موالية"),
        ("قالت الهيئة العامة للإحصاء", "الهيئة العامة"),
        // after a trigger with the article, a word without it is a predicate
        ("قال إن الحركة منفتحة على الجميع", "منفتحة"),
        ("وأكد أن المدينة آمنة", "آمنة"),
        // a word joined by و does not continue a name
        ("قتل عنصر من حركة أحرار الشام وإصابة آخرين", "وإصابة"),
        // no name after the trigger
        ("في مدينة على الساحل", "على"),
        ("زار محافظة الشمالية", "الشمالية"),
    ];
    for (text, name) in must_not {
        let got = listed(text);
        assert!(
            !got.iter().any(|(n, _)| n.contains(name)),
            "{text:?} must not name {name}: {got:?}"
        );
    }
}

/// Where names end and start (issue 29, third step): each sentence names
/// exactly this, or must not name a person (or anything) with this word.
#[test]
fn names_end_where_the_name_ends() {
    use EntityType::{Location as L, Organisation as O, Person as P};
    let exact: &[(&str, &str, EntityType)] = &[
        // a first name with a hamza and ل is no article and no title
        (
            "وقال وزير الطاقة الروسي ألكسندر نوفاك في تصريحات",
            "ألكسندر نوفاك",
            P,
        ),
        // بيت and قصر head a place's name and do not end it
        ("غربي مدينة بيت الفقيه جنوبي الحديدة", "بيت الفقيه", L),
        ("وكان مواطن بمدينة قصر هلال قد قدم وثيقة", "قصر هلال", L),
        // آل and a title: a family's name
        (
            "وصف الشيخ عبدالعزيز بن عبدالله آل الشيخ حادثة التفجير",
            "عبدالعزيز بن عبدالله آل الشيخ",
            P,
        ),
        // three generations of first names
        ("وكان وزير المال علي حسن خليل قال", "علي حسن خليل", P),
        // a verbal noun, ب with the article or a hamza, بشأن end a name
        (
            "إعلان الأمير خالد بن عبدالله الابتعاد عن الأهلي",
            "خالد بن عبدالله",
            P,
        ),
        (
            "تنقل الرادار إلى مدينة قصر هلال بالمنستير وذلك",
            "قصر هلال",
            L,
        ),
        (
            "محادثات مع الرئيس الأفغاني أشرف عبد الغني بشأن سبل التعاون",
            "أشرف عبد الغني",
            P,
        ),
        (
            "أدان وزير الخارجية الشيخ عبدالله بن زايد آل نهيان بأشد العبارات",
            "عبدالله بن زايد آل نهيان",
            P,
        ),
        // a participle's plural is the object; a family name ending in ين is not
        (
            "وحيرت رسائل الملك فرديناند المؤرخين على مدى قرون",
            "فرديناند",
            P,
        ),
        (
            "الشيخ محمد بن صالح العثيمين – رحمه الله",
            "محمد بن صالح العثيمين",
            P,
        ),
        // a name with the article does not run into a verb (the headline
        // alone, without a verb before the trigger, is a known miss of
        // the model trained in stop 40: `span_model_known_misses`)
        (
            "أعلنت منظمة الأعراف تقترح دعوة الموقعين على وثيقة قرطاج",
            "منظمة الأعراف",
            O,
        ),
    ];
    for (text, name, kind) in exact {
        let got = listed(text);
        assert!(
            got.iter().any(|(n, k)| n == name && k == kind),
            "{text:?} must name {name}: {got:?}"
        );
    }
    let no_person: &[(&str, &str)] = &[
        // a country after رئيس (in the table now) and an adjective after it
        ("وقال رئيس زيمبابوي إنه يريد", "زيمبابوي"),
        (
            "حتى وإن تم الاتفاق مع رئيس صوري ما يلبث أن يغير القرار",
            "صوري",
        ),
        // an adverb after a first name
        ("كتب للشيخ محمد قائلا : هذه هي المرة", "قائلا"),
        // «of Nestlé» after a title; «as minister»
        (
            "وكان مارك شنايدر الرئيس التنفيذي الجديد لنستله وصف القهوة",
            "لنستله",
        ),
        (
            "خلال عملي كوزيرة للصحة، قابلت كثيرين ممن فقدوا ذويهم",
            "قابلت",
        ),
        // و after a comma starts another person
        (
            "لهجة ديسيلبلوم، وزير المالية الهولندي، وفولفجانج شويبله ، نظيره",
            "وفولفجانج",
        ),
    ];
    for (text, word) in no_person {
        let got = listed(text);
        assert!(
            !got.iter().any(|(n, k)| n.contains(word) && *k == P),
            "{text:?} must not name a person {word}: {got:?}"
        );
    }
    // a front line is no organisation
    let got = listed("تقدم للجيش اليمني في جبهة حيفان وفرار جماعي");
    assert!(!got.iter().any(|(n, _)| n.contains("حيفان")), "{got:?}");
    assert!(listed("وقال رئيس زيمبابوي إنه يريد").contains(&("زيمبابوي".to_string(), L)));
}

#[test]
fn new_names_are_shown_as_written() {
    let text = "قاتلت جماعة جند الشام في الريف، وأكد رئيس هيئة النزاهة أن جماعه جند الشام";
    let found = extractor().extract(&[text]);
    let group = found
        .iter()
        .find(|(f, _)| f.name == "جماعه جند الشام")
        .expect("found");
    // two spellings in the text: the first written, used as often, wins
    assert_eq!(group.0.display, "جماعة جند الشام");
    for (f, _) in &found {
        assert!(!f.display.contains('ء') || f.known, "{f:?}");
        assert!(text.contains(&f.display) || f.known, "{f:?}");
    }
}

/// Where names end, second round (stop 40): each case a sentence written
/// for one error class of the judged samples.
#[test]
fn names_end_before_verbs_and_other_people() {
    use EntityType::{Location as L, Person as P};
    let exact: &[(&str, &str, EntityType)] = &[
        // و and a consonant: a second person, not the name going on
        (
            "جرت المراسلات بين الملك فرديناند وغونزالو سرا",
            "فرديناند",
            P,
        ),
        // a foreign surname with و and a vowel goes on
        (
            "وقال وزير الدفاع البريطاني غافين ويليامسون للصحفيين",
            "غافين ويليامسون",
            P,
        ),
        // ولد never ends a name; a plural verb ends one
        ("وكان الأمير بدر بن عبدالله ولد في جدة", "بدر بن عبدالله", P),
        (
            "وقال إن أنصار الرئيس السابق علي عبدالله صالح تلقوا ضربات",
            "علي عبدالله صالح",
            P,
        ),
        // آنذاك qualifies the title; فال starts a first name, not ف + the article
        (
            "وقال الرئيس الفرنسي آنذاك فاليري جيسكار ديستان إن القمة نجحت",
            "فاليري جيسكار ديستان",
            P,
        ),
        // a house's name after a chain; a feminine adjective is the government's
        (
            "بتوجيهات من الشيخ مكتوم بن حمد الشرقي عاد المدرب",
            "مكتوم بن حمد الشرقي",
            P,
        ),
        ("ورحب الشيخ فهد الأحمد الصباح بالضيوف", "فهد الأحمد الصباح", P),
        (
            "وقال مكتب الرئيس الأميركي السابق جورج بوش الأب في بيان",
            "جورج بوش الأب",
            P,
        ),
        (
            "وافقت حكومة رئيس الوزراء توني أبوت المصغرة على الخطة",
            "توني أبوت",
            P,
        ),
        // three syllables of an East Asian name
        (
            "وأعلن وزير النقل الماليزي ليو تيونغ لاي إرسال فريق",
            "ليو تيونغ لاي",
            P,
        ),
        (
            "وقع زلزال قرب مدينة سونغ يوان بمقاطعة جيلين",
            "سونغ يوان",
            L,
        ),
        // لكي and ولي end a name
        (
            "أرسل قائد الجيش إلى الرئيس السابق عبدالله غول لكي يعدل عن الترشح",
            "عبدالله غول",
            P,
        ),
        ("وحضر الأمير هنري ولي عهد هولندا الحفل", "هنري", P),
    ];
    for (text, name, kind) in exact {
        let got = listed(text);
        assert!(
            got.iter().any(|(n, k)| n == name && k == kind),
            "{text:?} must name {name}: {got:?}"
        );
    }
    let no_name: &[(&str, &str)] = &[
        // a verb, a future, a plural noun after a title
        ("وأضاف البيان أن رئيس الوزراء عبرت عن قلقها", "عبرت"),
        ("وقال إن محامي الرئيس الأسبق سيطلبون تعليق الحكم", "سيطلبون"),
        ("ونقل وزير الخارجية تحيات القيادة إلى الضيوف", "تحيات"),
        // ولد الشيخ is a name, الشيخ no title there
        ("وقال إسماعيل ولد الشيخ كفى تأخيرا في الحل", "كفى"),
        // after a first name a title is a family name
        ("وطالب المهندس إبراهيم السلطان، متطلعين إلى الحل", "متطلعين"),
        // whose party; one word after جبهة is a front line
        ("وقال إن حزب صالح وجماعة الحوثي اختلفا", "صالح"),
        ("وأسر الجيش مقاتلين من جبهة الحرور شرق المدينة", "الحرور"),
    ];
    for (text, word) in no_name {
        let got = listed(text);
        assert!(
            !got.iter().any(|(n, _)| n.contains(word)),
            "{text:?} must not name {word}: {got:?}"
        );
    }
}

/// What follows a complete name and is no part of it: a descriptor, a
/// participle, a verb, a blessing; and what is part of one: a table name
/// after بن, a foreign W written و (stop 41's judged sample).
#[test]
fn names_end_before_descriptions() {
    use EntityType::{Location as L, Organisation as O, Person as P};
    let exact: &[(&str, &str, EntityType)] = &[
        (
            "والتقى الرئيس الأمريكي مايك بنس الزعيم الكوري الشمالي",
            "مايك بنس",
            P,
        ),
        (
            "وصادرت السلطات أموال الرئيس السابق عمر حسن عبدالقادر المتحالف مع المعارضة",
            "عمر حسن عبدالقادر",
            P,
        ),
        (
            "وبتوجيه من الأمير فهد بن سعود بن محمد تابعت اللجنة الحالات",
            "فهد بن سعود بن محمد",
            P,
        ),
        (
            "وحضر الحفل وزير الدولة المكلف سالم بن علي المطيري ومرافقوه",
            "سالم بن علي المطيري",
            P,
        ),
        (
            "واستقبل وزير الدفاع البريطاني غافين وليامسون نظيره في لندن",
            "غافين وليامسون",
            P,
        ),
        (
            "وتقدمت القوات في محافظة وصاب الملاصقة لمحافظة الحديدة",
            "وصاب",
            L,
        ),
        (
            "وكان عضوا في تنظيم الخمير الحمر المتشدد قبل أن ينشق",
            "تنظيم الخمير الحمر",
            O,
        ),
        (
            "وأوقفت الشرطة رجلا في مدينة صغيرة بولاية ساوث كارولينا أمس",
            "ساوث كارولينا",
            L,
        ),
        (
            "وألقى الشيخ علي الطنطاوي المؤرخ والأديب محاضرة",
            "علي الطنطاوي",
            P,
        ),
        (
            "وقال إن الشيخ ناصر العبدالكريم ممن يكتبون الشعر النبطي",
            "ناصر العبدالكريم",
            P,
        ),
        (
            "وقال إن وزير النقل سالم بارجاء سيعودون إلى العاصمة غدا",
            "سالم بارجاء",
            P,
        ),
        (
            "وفي كلمة لمدير المكتب الشيخ خالد بن سويلم رحب فيها بالضيوف",
            "خالد بن سويلم",
            P,
        ),
        (
            "وتلقى أبناء الشيخ صالح الدغيثر خالد وفهد التعازي",
            "صالح الدغيثر",
            P,
        ),
        (
            "وقال مدير الشرطة بمحافظة الخرمة فهد العتيبي إن الحادث وقع ليلا",
            "الخرمة",
            L,
        ),
        (
            "وصافح الشيخ حمدان الراشد نجل أمير المنطقة الفائزين",
            "حمدان الراشد",
            P,
        ),
        (
            "وجدد الرئيس الكوري الجنوبي مون جاي-إن التزامهما بالاتفاق مع الضيف",
            "مون جاي إن",
            P,
        ),
        (
            "وقال إن فرق الإنقاذ بمحافظة صبيا تمكنت من إخلاء الأسر",
            "صبيا",
            L,
        ),
        (
            "وشكر الشيخ سعد بن ناصر الشثري المشرف العام على البرنامج",
            "سعد بن ناصر الشثري",
            P,
        ),
        // طيب is a name's word before anything but الله
        (
            "وقال الرئيس التركي رجب طيب أردوغان إن بلاده",
            "رجب طيب أردوغان",
            P,
        ),
    ];
    for (text, name, kind) in exact {
        let got = listed(text);
        assert!(
            got.iter().any(|(n, k)| n == name && k == kind),
            "{text:?} must name {name}: {got:?}"
        );
    }
    // a clause after a title and a comma; what kind of holder a bare
    // title has
    for (text, word) in [
        ("وقال إن بلاده تحتاج للرئيس، كنت أتمنى لو نجح", "كنت"),
        ("وصار أول رئيس تركي منتخب بالاقتراع المباشر", "منتخب"),
        ("وقد يشعر المريض بحركة طفيفة في صدره", "طفيفة"),
    ] {
        let got = listed(text);
        assert!(
            !got.iter().any(|(n, _)| n.contains(word)),
            "{text:?} must not name {word}: {got:?}"
        );
    }
    let got = listed("ونستذكر مآثر الشيخ راشد بن حميد طيب الله ثراه في كل عام");
    assert!(
        got.iter().all(|(n, _)| !n.contains("ثراه")),
        "a blessing is no name: {got:?}"
    );
}

/// ك before a one-word table name is «like» (كمصر) unless a name follows
/// it (كلاوس شواب: Klaus, not «like Laos»).
#[test]
fn kaf_before_a_name_is_the_names_letter() {
    let got = listed("وقال رئيس المنتدى كلاوس شواب في دافوس");
    assert!(
        got.iter().all(|(n, _)| n != "لاوس" && n != "شواب"),
        "Klaus is no Laos, and no title: {got:?}"
    );
    let got = listed("إن دولا كمصر والأردن تدعم الخطة");
    assert!(got.iter().any(|(n, _)| n == "مصر"), "{got:?}");
}

/// Homographs in table names, both directions: the name is found where the
/// writer wrote it and not where the writer wrote the other word.
#[test]
fn table_names_respect_what_the_writer_wrote() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("mine.tsv");
    std::fs::write(
        &file,
        "بان كي مون\tPER\tبان\nفان دايك\tPER\tفان\nعلي\tPER\t\nمأرب\tLOC\t\nمصطفى الكاظمي\tPER\tمصطفى\n",
    )
    .expect("write");
    let (table, problems) = AliasTable::load(std::slice::from_ref(&file));
    assert!(problems.is_empty(), "{problems:?}");
    let mut ex = Extractor::new(Arc::new(table));
    let mut names = |text: &str| -> Vec<String> {
        ex.extract(&[text])
            .into_iter()
            .map(|(f, _)| f.name)
            .collect()
    };
    let cases: &[(&str, &str, bool)] = &[
        ("صرح بان بأن الوضع خطير", "بان كي مون", true),
        ("وأكد الوزير بأن الوضع خطير", "بان كي مون", false),
        ("سجل فان هدفا", "فان دايك", true),
        ("فإن الفريق فاز", "فان دايك", false),
        ("التقى علي بالوفد", "علي", true),
        ("وقال علي إن الوفد وصل", "علي", true),
        ("وقع الاتفاق على الحدود", "علي", false),
        ("وصل الوفد إلى مأرب", "مأرب", true),
        ("وصل الوفد إلى مارب", "مأرب", true),
        ("لتحقيق مآرب سياسية", "مأرب", false),
        ("قال مصطفي", "مصطفى الكاظمي", true),
        ("قال مصطفى", "مصطفى الكاظمي", true),
    ];
    for (text, name, want) in cases {
        let got = names(text);
        assert_eq!(got.iter().any(|n| n == name), *want, "{text:?}: {got:?}");
    }
}

/// A person of the table named by part of their name after another first
/// name is somebody else.
#[test]
fn part_of_a_name_after_another_first_name_is_another_person() {
    assert!(has("فازت رواية حسن نصر الله", "حسن نصر الله"));
    assert!(has("قال نصر الله إن", "حسن نصر الله"));
    assert!(!has("فازت رواية إبراهيم نصر الله بالجائزة", "حسن نصر الله"));
    // a first name that ends another name does not count
    assert!(has("التقى محمد بن سلمان ترامب", "دونالد ترامب"));
}

/// A name that is also a common word counts with context only; without,
/// the entity is weak (not listed).
#[test]
fn ambiguous_names_need_context() {
    let weak = |text: &str, name: &str| -> Option<bool> {
        extractor()
            .extract(&[text])
            .into_iter()
            .find(|(f, _)| f.name == name)
            .map(|(f, _)| f.weak)
    };
    // حماس: "zeal" or the movement
    assert_eq!(
        weak("استقبل الجمهور الفريق بحماس كبير", "حركة حماس"),
        Some(true)
    );
    assert_eq!(weak("قالت حماس إن", "حركة حماس"), Some(true));
    assert_eq!(
        weak("قالت حركة حماس إن الوفد وصل، وأكدت حماس أن", "حركة حماس"),
        Some(false)
    );
    // المملكة: confirmed by another name of the entity in the article
    assert_eq!(weak("أعلنت المملكة خطة جديدة", "السعودية"), Some(true));
    assert_eq!(
        weak("أعلنت السعودية أن المملكة ستستضيف القمة", "السعودية"),
        Some(false)
    );
    // دوما: the Syrian town, or دوماً "always"
    assert_eq!(weak("كان النادي دوماً في المقدمة", "دوما"), Some(true));
    assert_eq!(weak("وصل المحققون إلى مدينة دوما", "دوما"), Some(false));
}

/// What the span model must drop of what the rules propose after a
/// trigger word (issue 29: «تنظيم بطولة», «حزب الفائز», «تنظيم صفوفه»),
/// and where a name must end.
#[test]
fn span_model_drops_what_the_rules_only_propose() {
    let cases: &[(&str, &str)] = &[
        ("قرر الاتحاد تنظيم بطولة للشباب في الصيف المقبل", "بطولة"),
        ("وعد حزب الفائز في الانتخابات بخفض الضرائب", "الفائز"),
        ("يسعى الفريق إلى إعادة تنظيم صفوفه قبل الموسم", "صفوفه"),
        (
            "في مدينة تمنراست الجزائرية ارتفعت درجات الحرارة",
            "الجزائرية",
        ),
        ("وقال الرئيس الكيني وليام روتو إن الانتخابات ستجري", "إن"),
    ];
    for (text, word) in cases {
        let mut rules = Extractor::rules_only(Arc::new(AliasTable::builtin()));
        let proposed: Vec<String> = rules
            .extract(&[text])
            .into_iter()
            .map(|(f, _)| f.display)
            .collect();
        // the rules alone propose it (else this case tests nothing)
        let proposed_it = proposed.iter().any(|n| n.contains(word));
        let got = listed(text);
        assert!(
            !got.iter().any(|(n, _)| n.contains(word)),
            "{text:?}: the model must not keep {word}: {got:?} (rules: {proposed:?})"
        );
        assert!(
            proposed_it || *word == "إن",
            "{text:?}: the rules alone no longer propose {word}: {proposed:?}"
        );
    }
    // OPEC whole, by the table (not cut after المصدرة)
    let got = listed("خفضت منظمة البلدان المصدرة للنفط إنتاجها في الاجتماع الأخير");
    assert!(got.iter().any(|(n, _)| n == "أوبك"), "{got:?}");
}

/// Names the span model misses that the rules before it found (issue 29,
/// left open): one-word surnames after a title with nothing after them,
/// and new organisations of two or three words, which the silver labels
/// rarely show as names (BENCHMARKS.md: the judged samples' recall).
#[test]
#[ignore = "known misses of the span model (issue 29): run with --ignored"]
fn span_model_known_misses() {
    use EntityType::{Location as L, Organisation as O, Person as P};
    let must: &[(&str, &str, EntityType)] = &[
        ("وقال الرئيس روتو", "روتو", P),
        ("أعلنت جبهة الخلاص فوزها", "جبهة الخلاص", O),
        ("بيان من هيئة النزاهة الليلة", "هيئة النزاهة", O),
        (
            "قتل عنصر من حركة أحرار الشام وإصابة آخرين",
            "حركة أحرار الشام",
            O,
        ),
        (
            "أعلنت حركة الجهاد المتجدد مسؤوليتها",
            "حركة الجهاد المتجدد",
            O,
        ),
        ("سكان بلدة القرنة", "القرنة", L),
        // found by the models before stop 40 (bagged, keyed order)
        (
            "منظمة الأعراف تقترح دعوة الموقعين على وثيقة قرطاج",
            "منظمة الأعراف",
            O,
        ),
    ];
    let missed: Vec<&str> = must
        .iter()
        .filter(|(text, name, kind)| !listed(text).iter().any(|(n, k)| n == name && k == kind))
        .map(|(_, name, _)| *name)
        .collect();
    assert!(missed.is_empty(), "missed: {missed:?}");
}

#[test]
fn names_end_before_time_words_function_words_and_verbs() {
    // (text, the name as it must be listed, a longer form it must not be)
    let cases: &[(&str, &str, &str)] = &[
        (
            "أعلن الرئيس الإيطالي سيرجيو ماتاريلا مجددا أن الحكومة باقية",
            "سيرجيو ماتاريلا",
            "ماتاريلا مجددا",
        ),
        (
            "قالت منظمة هيومن رايتس واتش أمس الأربعاء إن السجون مكتظة",
            "منظمة هيومن رايتس واتش",
            "واتش أمس",
        ),
        (
            "أشاد الأمير خالد الفيصل بما حققه الطلاب في المسابقة",
            "خالد الفيصل",
            "الفيصل بما",
        ),
        (
            "وكانت ولاية تكساس أمرت بإغلاق المدارس بعد العاصفة",
            "تكساس",
            "تكساس أمرت",
        ),
    ];
    for (text, name, longer) in cases {
        let got = listed(text);
        assert!(
            got.iter().any(|(n, _)| n == name),
            "{text:?} must name {name}: {got:?}"
        );
        assert!(
            !got.iter().any(|(n, _)| n.contains(longer)),
            "{text:?} must not name {longer}: {got:?}"
        );
    }
    // a stadium named after a prince is no person
    let got = listed("أقيمت المباراة على ستاد الأمير محمد بن فهد في الدمام");
    assert!(
        !got.iter()
            .any(|(n, k)| n.contains("محمد بن فهد") && *k == EntityType::Person),
        "{got:?}"
    );
    // الشيخ زويد is a town in Sinai
    let got = listed("اشتباكات جديدة في مدينة الشيخ زويد شمال سيناء");
    assert!(
        got.iter()
            .any(|(n, k)| n == "الشيخ زويد" && *k == EntityType::Location),
        "{got:?}"
    );
}
