//! `extraction-peers NAME DIR OUT`: runs one extractor (`rs_trafilatura`
//! or `dom_smoothie`) on every page of DIR (`.html` or `.html.gz`) three
//! times on one thread, prints the best round's pages/s on stderr and
//! writes the bodies to OUT as `{"version", "output": {PAGE:
//! {"articleBody"}}}`.

use std::io::Read;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [name, dir, out] = &args[..] else {
        eprintln!("usage: extraction-peers rs_trafilatura|dom_smoothie DIR OUT");
        std::process::exit(2);
    };
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(dir).expect("pages folder") {
        let path = entry.expect("entry").path();
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let raw = std::fs::read(&path).expect("page");
        let bytes = if file.ends_with(".gz") {
            let mut b = Vec::new();
            flate2::read::MultiGzDecoder::new(&raw[..])
                .read_to_end(&mut b)
                .expect("gzip");
            b
        } else {
            raw
        };
        pages.push((
            file.split('.').next().unwrap_or_default().to_string(),
            bytes,
        ));
    }
    pages.sort();
    let mut best = f64::MAX;
    let mut output = serde_json::Map::new();
    for _ in 0..3 {
        let start = Instant::now();
        for (key, bytes) in &pages {
            let body = match name.as_str() {
                "rs_trafilatura" => rs_trafilatura::extract_bytes(bytes)
                    .map(|r| r.content_text)
                    .unwrap_or_default(),
                "dom_smoothie" => {
                    let html = String::from_utf8_lossy(bytes);
                    dom_smoothie::Readability::new(html.as_ref(), None, None)
                        .and_then(|mut r| r.parse())
                        .map(|a| a.text_content.to_string())
                        .unwrap_or_default()
                }
                other => panic!("unknown extractor {other}"),
            };
            output.insert(key.clone(), serde_json::json!({ "articleBody": body }));
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    eprintln!(
        "{name}: {} pages in {best:.3} s (best of 3, one thread): {:.0} pages/s",
        pages.len(),
        pages.len() as f64 / best
    );
    let version = if name == "rs_trafilatura" {
        "0.2.2"
    } else {
        "0.14.0"
    };
    let json = serde_json::json!({ "version": version, "output": output });
    std::fs::write(out, serde_json::to_vec(&json).expect("json")).expect("write output");
}
