//! Export: the run. Walks the folders as `akhbar index` does
//! (`corpus::walk`, the export folder itself skipped), reads each file
//! record by record with the indexer's reader (`corpus::records`), names
//! each article as the indexer does (`corpus::article_id`), builds
//! documents on two workers (an ordered pool, so files keep their walk
//! order and the copy read last wins a shared id, as in akhbar's index)
//! and writes `index.json`, the bulk files and the README.
//!
//! A file or line that cannot be read is reported with its path and line
//! and skipped; the rest of the export goes on.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use serde::Serialize;

use super::bulk::BulkWriter;
use super::document::{DocMaker, ExportDoc};
use super::layout::Layout;
use super::mapping::index_json;
use super::readme::readme;
use super::summary::{ExportSummary, Skipped};
use crate::analysis::{Signature, THRESHOLD};
use crate::corpus::walk;
use crate::corpus::RecordReader;
use crate::corpus::{article_id, Article, FieldMap, Problem};
use crate::entities::AliasTable;
use crate::index::{index_folders, OrderedPool};
use crate::search::group;

/// What to export, and where.
#[derive(Clone, Debug)]
pub struct ExportOptions {
    /// Files and folders of articles.
    pub roots: Vec<PathBuf>,
    /// The folder written.
    pub out: PathBuf,
    /// The index name in the bulk actions and the README's commands.
    pub index_name: String,
    /// Byte budget of one bulk file.
    pub bulk_bytes: u64,
    /// Where the text is analyzed: by the cluster, or here.
    pub layout: Layout,
    /// The data set's names for fields (`--map`).
    pub map: FieldMap,
}

/// One article to turn into a document.
struct Job {
    article: Article,
    id: String,
    file: String,
}

/// Runs an export.
///
/// # Errors
/// The output folder or one of its files cannot be written.
pub fn export(options: &ExportOptions, table: Arc<AliasTable>) -> anyhow::Result<ExportSummary> {
    let started = Instant::now();
    fs::create_dir_all(&options.out)
        .with_context(|| format!("cannot create {}", options.out.display()))?;
    remove_old_bulk_files(&options.out)?;
    let index_path = options.out.join("index.json");
    let index_text = serde_json::to_string_pretty(&index_json(options.layout))?;
    fs::write(&index_path, &index_text)
        .with_context(|| format!("cannot write {}", index_path.display()))?;

    let walked = walk(&options.roots, &index_folders(&options.out));
    let mut skipped: Vec<Skipped> = walked
        .problems
        .into_iter()
        .map(|(path, p)| Skipped {
            path,
            line: p.line,
            reason: p.reason,
        })
        .collect();
    let mut writer = BulkWriter::new(&options.out, &options.index_name, options.bulk_bytes);
    let mut failure: Option<std::io::Error> = None;
    let mut articles = 0u64;
    let mut signatures = StoryInput::default();
    let mut apply = |mut doc: ExportDoc| {
        if failure.is_none() {
            match writer.add(&doc.id, &doc) {
                Ok(()) => {
                    articles += 1;
                    signatures.push(std::mem::take(&mut doc.id), doc.signature);
                }
                Err(e) => failure = Some(e),
            }
        }
    };
    let mut pool: OrderedPool<Job, ExportDoc> = OrderedPool::new(2, 256, || {
        let mut maker = DocMaker::new(Arc::clone(&table), options.layout);
        move |job: Job| maker.make(&job.article, &job.id, &job.file)
    });
    let mut files_read = 0;
    for file in &walked.files {
        let skip = |p: Problem| Skipped {
            path: file.path.clone(),
            line: p.line,
            reason: p.reason,
        };
        let mut reader = match RecordReader::open_mapped(&file.path, &options.map) {
            Ok(r) => r,
            Err(p) => {
                skipped.push(skip(p));
                continue;
            }
        };
        files_read += 1;
        let multi = reader.multi();
        while let Some(record) = reader.next_record() {
            let record = match record {
                Ok(r) => r,
                Err(p) => {
                    skipped.push(skip(p));
                    break;
                }
            };
            skipped.extend(record.problems.into_iter().map(skip));
            for (n, article) in record.articles.into_iter().enumerate() {
                let id = article_id(&article, &file.relative, multi, record.first as usize + n);
                let job = Job {
                    article,
                    id,
                    file: file.relative.clone(),
                };
                pool.submit(job, &mut apply);
            }
        }
    }
    pool.drain(&mut apply);
    drop(pool);
    if let Some(e) = failure {
        return Err(e).context("cannot write the bulk files");
    }
    let (stories, story_updates) =
        write_stories(&mut writer, signatures).context("cannot write the bulk files")?;
    let bulk_files = writer.finish().context("cannot write the bulk files")?;
    let summary = ExportSummary {
        out: options.out.clone(),
        index_name: options.index_name.clone(),
        layout: options.layout.name(),
        files_read,
        articles,
        index_json_bytes: index_text.len() as u64,
        bulk_files,
        stories,
        story_updates,
        skipped,
        seconds: started.elapsed().as_secs_f64(),
    };
    let readme_path = options.out.join("README.md");
    fs::write(&readme_path, readme(&summary))
        .with_context(|| format!("cannot write {}", readme_path.display()))?;
    Ok(summary)
}

/// The exported articles' ids and signatures, in export order; an id
/// exported again (the same id in two files) keeps only its last copy,
/// the one the cluster keeps.
#[derive(Default)]
struct StoryInput {
    ids: Vec<String>,
    signatures: Vec<Option<Signature>>,
    at: HashMap<String, usize>,
}

impl StoryInput {
    fn push(&mut self, id: String, signature: Option<Signature>) {
        if let Some(&old) = self.at.get(&id) {
            // the earlier copy is replaced in the cluster: it joins no story
            self.signatures[old] = None;
            self.ids[old].clear();
        }
        self.at.insert(id.clone(), self.ids.len());
        self.ids.push(id);
        self.signatures.push(signature);
    }
}

/// Groups the articles into near-duplicate stories (`search::collapse`,
/// in export order: a story's first article names it) and writes an
/// `update` setting `story` for every later copy. Returns the number of
/// stories and of updates.
fn write_stories(writer: &mut BulkWriter, input: StoryInput) -> std::io::Result<(usize, usize)> {
    #[derive(Serialize)]
    struct StoryField<'a> {
        story: &'a str,
    }
    let StoryInput {
        ids, signatures, ..
    } = input;
    let mut stories = 0;
    let mut updates = 0;
    for story in group(&signatures, THRESHOLD) {
        let name = &ids[story.kept];
        if name.is_empty() {
            continue; // a replaced copy
        }
        stories += 1;
        for &copy in &story.copies {
            writer.update(&ids[copy], &StoryField { story: name })?;
            updates += 1;
        }
    }
    Ok((stories, updates))
}

/// Removes the bulk files of an earlier export into the same folder, so
/// a smaller export does not leave stale files to be loaded.
fn remove_old_bulk_files(dir: &Path) -> anyhow::Result<()> {
    let entries = fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("bulk-") && name.ends_with(".ndjson") {
            fs::remove_file(entry.path())
                .with_context(|| format!("cannot remove {}", entry.path().display()))?;
        }
    }
    Ok(())
}
