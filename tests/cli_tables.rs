//! End-to-end tests of data sets as tables: `.csv` and `.tsv` files (and
//! gzipped ones) and `.parquet` files indexed through the binary, read back by search and
//! compared with the same articles written as JSON Lines.

mod common;

use std::collections::BTreeMap;
use std::io::Write;

use serde_json::{json, Value};

use common::{stored_docs, Dir};

/// The articles as a Parquet file (string columns, one row group of two
/// and one of one).
fn parquet() -> Vec<u8> {
    use parquet::data_type::{ByteArray, ByteArrayType};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;
    use std::sync::Arc;

    let schema = "message news { REQUIRED BYTE_ARRAY id (UTF8); REQUIRED BYTE_ARRAY title (UTF8);
        REQUIRED BYTE_ARRAY content (UTF8); REQUIRED BYTE_ARRAY date (UTF8);
        REQUIRED BYTE_ARRAY publisher (UTF8); }";
    let schema = Arc::new(parse_message_type(schema).expect("schema"));
    let props = Arc::new(WriterProperties::builder().build());
    let mut out = Vec::new();
    let mut writer = SerializedFileWriter::new(&mut out, schema, props).expect("writer");
    for group in ARTICLES.chunks(2) {
        let mut rg = writer.next_row_group().expect("row group");
        let mut k = 0;
        while let Some(mut col) = rg.next_column().expect("column") {
            let values: Vec<ByteArray> = group
                .iter()
                .map(|a| ByteArray::from([a.0, a.1, a.2, a.3, a.4][k]))
                .collect();
            col.typed::<ByteArrayType>()
                .write_batch(&values, None, None)
                .expect("write");
            col.close().expect("close column");
            k += 1;
        }
        rg.close().expect("close row group");
    }
    writer.close().expect("close");
    out
}

/// Three articles: (id, title, body, date, outlet); the first body has a
/// comma, a quote and a line break, as spreadsheets write them.
const ARTICLES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "ds-1",
        "افتتاح جسر جديد فوق النهر",
        "افتتحت البلدية جسرا جديدا، وقال المهندس \"إنه الأطول\".\nوسيخفف الجسر زحام الصباح.",
        "2024-03-05",
        "صحيفة الضفة",
    ),
    (
        "ds-2",
        "موسم قطاف الزيتون يبدأ مبكرا",
        "بدأ المزارعون قطاف الزيتون قبل موعده بأسبوعين بسبب الحر.",
        "2024-10-01",
        "إذاعة السهل",
    ),
    (
        "ds-3",
        "معرض للكتب المستعملة في الساحة",
        "يعرض باعة الكتب المستعملة آلاف العناوين في الساحة القديمة.",
        "2024-11-20",
        "صحيفة الضفة",
    ),
];

/// A CSV field, quoted when it must be.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The articles as a CSV spreadsheet export: BOM, CRLF, other header names.
fn csv() -> String {
    let mut out = String::from("\u{feff}ID,Headline,Text,Published,Newspaper\r\n");
    for (id, title, body, date, outlet) in ARTICLES {
        let row = [*id, title, body, date, outlet].map(field).join(",");
        out.push_str(&row);
        out.push_str("\r\n");
    }
    out
}

/// Title, body, date and source of every stored article, by id.
fn stored(dir: &Dir, index: &str) -> BTreeMap<String, [String; 4]> {
    stored_docs(&dir.path().join(index))
        .into_iter()
        .map(|doc| {
            let text = |f: &str| doc.get(f).and_then(Value::as_str).unwrap_or("").to_string();
            (
                text("id"),
                [
                    text("title"),
                    text("body"),
                    text("date_text"),
                    text("source"),
                ],
            )
        })
        .collect()
}

#[test]
fn csv_tsv_and_gzip_index_as_json_lines_do() {
    let dir = Dir::new();
    dir.write("csv/data.csv", csv());
    let mut tsv = String::from("id\ttitle\tbody\tdate\tsource\n");
    for (id, title, body, date, outlet) in ARTICLES {
        tsv.push_str(&[*id, title, &field(body), date, outlet].join("\t"));
        tsv.push('\n');
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(tsv.as_bytes()).expect("gzip");
    dir.write("tsv/data.tsv.gz", gz.finish().expect("gzip"));
    let lines: String = ARTICLES
        .iter()
        .map(|(id, title, body, date, source)| {
            format!(
                "{}\n",
                json!({"id": id, "title": title, "body": body, "date": date, "source": source})
            )
        })
        .collect();
    dir.write("jsonl/data.jsonl", lines);
    dir.write("parquet/data.parquet", parquet());

    for folder in ["csv", "tsv", "parquet", "jsonl"] {
        let index = format!("index-{folder}");
        let run = dir.akhbar(&["index", "--quiet", "--index", &index, folder]);
        assert_eq!(run.code, 0, "{folder}: {}", run.stderr);
    }
    let expected = stored(&dir, "index-jsonl");
    assert_eq!(expected.len(), 3);
    assert_eq!(stored(&dir, "index-csv"), expected);
    assert_eq!(stored(&dir, "index-tsv"), expected);
    assert_eq!(stored(&dir, "index-parquet"), expected);

    // a word of the quoted body's second line finds its row
    let run = dir.akhbar(&["search", "--index", "index-csv", "--json", "زحام"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let hits = run.json()["hits"].clone();
    let ids: Vec<&str> = hits
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["id"].as_str())
        .collect();
    assert_eq!(ids, ["ds-1"]);

    // each article's row as the files hold it: the CSV's and TSV's line
    // (after the header, the first body over two lines), Parquet's row,
    // the JSON line
    let words = ["جسرا", "الزيتون", "المستعملة"];
    for (folder, lines) in [
        ("csv", [2, 4, 5]),
        ("tsv", [2, 4, 5]),
        ("parquet", [1, 2, 3]),
        ("jsonl", [1, 2, 3]),
    ] {
        let index = format!("index-{folder}");
        for (word, line) in words.iter().zip(lines) {
            let run = dir.akhbar(&["search", "--index", &index, "--json", word]);
            assert_eq!(run.code, 0, "{}", run.stderr);
            let hit = &run.json()["hits"][0];
            assert_eq!(hit["line"], line, "{folder} {word}: {hit}");
            let path = hit["path"].as_str().expect("path");
            assert!(path.starts_with(&format!("{folder}/data.")), "{path}");
        }
    }
}

#[test]
fn bad_tables_are_reported_and_the_rest_indexed() {
    let dir = Dir::new();
    // a row short of a field, on line 3, between two good rows
    let mut text = csv();
    let cut = text.find("ds-2").expect("row 2");
    text.insert_str(cut, "ds-x,عنوان بلا متن\r\n");
    dir.write("data/news.csv", text);
    dir.write("data/people.csv", "name,born\r\nأحد,1950\r\n");
    let whole = parquet();
    dir.write("data/cut.parquet", &whole[..whole.len() - 100]);
    let run = dir.akhbar(&["index", "--json", "--quiet", "data"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let summary = run.json();
    assert_eq!(summary["articles_total"], 3, "{summary:#}");
    let skipped: Vec<&str> = summary["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        skipped
            .iter()
            .any(|s| s.starts_with("data/news.csv:4: 2 fields where the header row has 5")),
        "{skipped:?}"
    );
    assert!(
        skipped.iter().any(|s| s.starts_with("data/people.csv")
            && s.contains("no body column")
            && s.contains("«name», «born»")),
        "{skipped:?}"
    );
    assert!(
        skipped
            .iter()
            .any(|s| s.starts_with("data/cut.parquet: not a readable Parquet file")),
        "{skipped:?}"
    );
}

/// The articles under names no common list knows, as CSV and as JSON Lines.
fn own_names(dir: &Dir) {
    let mut csv = String::from("rid,headline_ar,article_text,pub_day,outlet_name\n");
    let mut jsonl = String::new();
    for (id, title, body, date, outlet) in ARTICLES {
        let row = [*id, title, body, date, outlet].map(field).join(",");
        csv.push_str(&row);
        csv.push('\n');
        let obj = json!({"rid": format!("{id}-j"), "headline_ar": title, "article_text": body,
            "pub_day": date, "outlet_name": outlet});
        jsonl.push_str(&obj.to_string());
        jsonl.push('\n');
    }
    dir.write("data/own.csv", csv);
    dir.write("data/own.jsonl", jsonl);
}

#[test]
fn map_names_the_columns_and_the_index_keeps_it() {
    let dir = Dir::new();
    own_names(&dir);
    // Without a map: the CSV names its columns and the flag to use.
    let run = dir.akhbar(&["index", "--json", "--quiet", "data"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let summary = run.json();
    let skipped = summary["skipped"].to_string();
    assert!(
        skipped.contains("data/own.csv:1: no body column")
            && skipped.contains("«article_text»")
            && skipped.contains("--map body="),
        "{skipped}"
    );

    let map = "body=article_text,title=headline_ar,id=rid,date=pub_day,source=outlet_name";
    let run = dir.akhbar(&["index", "--json", "--quiet", "--map", map, "data"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = run.json();
    assert_eq!(summary["articles_total"], 6, "{summary:#}");
    let docs = stored(&dir, "index");
    for (id, title, body, date, outlet) in ARTICLES {
        let want = [title, body, date, outlet].map(|s| s.to_string());
        assert_eq!(docs.get(*id), Some(&want), "{id} from the CSV");
        assert_eq!(
            docs.get(&format!("{id}-j")),
            Some(&want),
            "{id} from JSON Lines"
        );
    }
    let hits = dir
        .akhbar(&["search", "--json", "--no-collapse", "الزيتون"])
        .hit_ids();
    assert_eq!(hits.len(), 2, "{hits:?}");

    // The index keeps the map: a run without --map reads nothing again.
    let again = dir.akhbar(&["index", "--json", "--quiet", "data"]).json();
    assert_eq!(again["files_unchanged"], 2, "{again:#}");
    assert_eq!(again["files_indexed"], 0, "{again:#}");

    // Another map reads the mapped files again: titles now from the outlet.
    let other = "body=article_text,title=outlet_name,id=rid";
    let run = dir.akhbar(&["index", "--json", "--quiet", "--map", other, "data"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["files_indexed"], 2, "{}", run.stdout);
    let docs = stored(&dir, "index");
    assert_eq!(docs["ds-2"][0], "إذاعة السهل", "{docs:?}");
    assert_eq!(docs.len(), 6, "{docs:?}");

    // A cleared map: the CSV is refused again, and its articles go.
    let run = dir.akhbar(&["index", "--json", "--quiet", "--map", "", "data"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.json()["skipped"].to_string().contains("no body column"));
}

#[test]
fn a_bad_map_is_refused_with_the_fields_akhbar_reads() {
    let dir = Dir::new();
    own_names(&dir);
    let run = dir.akhbar(&["index", "--quiet", "--map", "text=article_text", "data"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("«text» is not a field akhbar reads") && run.stderr.contains("body"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("index").exists(), "nothing built");
}

#[test]
fn map_reaches_parquet_columns_too() {
    let dir = Dir::new();
    dir.write("data/news.parquet", parquet());
    let run = dir.akhbar(&[
        "index",
        "--json",
        "--quiet",
        "--map",
        "title=publisher",
        "data",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let docs = stored(&dir, "index");
    assert_eq!(docs.len(), 3, "{docs:?}");
    for (id, _, body, _, outlet) in ARTICLES {
        assert_eq!(docs[*id][0], *outlet, "{id}: title from the mapped column");
        assert_eq!(docs[*id][1], *body, "{id}");
    }
}
