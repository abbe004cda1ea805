#!/usr/bin/env bash
# Writes what akhbar answers for the bench queries, so two builds can be compared byte for byte:
# a refactor or a speed-up must not change one score, snippet or count.
#
#   tools/answers.sh AKHBAR_BINARY OUT_DIR [CORPUS_PATH…]     (from the project root)
#   diff -r OUT_BEFORE OUT_AFTER                              (empty when nothing changed)
#
# It indexes the corpora (default: the shared corpora's JSON Lines folders, else corpus/) into
# OUT_DIR/index with the given binary, then writes, per query of bench/queries.tsv: `search
# --json --facets` (collapsed), `search --json --no-collapse --sort -date --limit 30`, `search
# --entity --json` for the entity class, and `similar --json` of the first hit; plus the index
# summary, `stats --json` and `entities --json` (whole index, and among each entity query's hits),
# and the index's term statistics per field (examples/term_stats, built from this tree: terms,
# document and term frequencies of live articles, and a hash of them all). Timing fields
# (took_ms, elapsed_secs, …/sec) and the segment count are removed.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 AKHBAR_BINARY OUT_DIR [CORPUS_PATH…]" >&2; exit 2; }
bin=$(realpath "$1"); out=$2; shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -eq 0 ]; then
  shared="$root/../shared/corpora"
  if [ -d "$shared/ant-multisource" ]; then
    set -- "$shared/ant-multisource" "$shared/ant-jawharafm" "$shared/saudinewsnet"
  else
    echo "answers: ../shared/corpora absent: using the bundled corpus/" >&2
    set -- "$root/corpus"
  fi
fi
mkdir -p "$out"
idx="$out/index"
# Drop timing fields, which differ from run to run.
strip() {
  python3 -c '
import json, sys
TIMING = {"took_ms", "elapsed_secs", "articles_per_sec", "mb_per_sec", "commits", "segments",
          "size_bytes"}
def clean(v):
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items() if k not in TIMING}
    if isinstance(v, list):
        return [clean(x) for x in v]
    return v
text = sys.stdin.read()
try:
    print(json.dumps(clean(json.loads(text)), ensure_ascii=False, indent=1, sort_keys=True))
except ValueError:
    sys.stdout.write(text)
'
}
"$bin" index "$@" --index "$idx" --rebuild --threads 1 --json --quiet 2>"$out/index.stderr" | strip >"$out/index.json" || true
"$bin" stats --index "$idx" --json | strip >"$out/stats.json"
(cd "$root" && cargo build --release --quiet --example term_stats) \
  && "$root/target/release/examples/term_stats" --index "$idx" >"$out/term_stats.tsv"
"$bin" entities --index "$idx" --json --top 100 | strip >"$out/entities.json" 2>&1 || true
n=0
while IFS=$'\t' read -r class query; do
  case "$class" in ''|'#'*) continue ;; esac
  n=$((n + 1)); f=$(printf '%s/q%02d' "$out" "$n")
  "$bin" search "$query" --index "$idx" --json --facets | strip >"$f.search.json" 2>&1 || true
  "$bin" search "$query" --index "$idx" --json --no-collapse --sort -date --limit 30 | strip >"$f.date.json" 2>&1 || true
  if [ "$class" = entity ]; then
    name=${query//\"/}
    "$bin" search --entity "$name" --index "$idx" --json | strip >"$f.entity.json" 2>&1 || true
    "$bin" entities --query "$query" --index "$idx" --json | strip >"$f.entities.json" 2>&1 || true
  fi
  first=$(python3 -c 'import json,sys; h=json.load(open(sys.argv[1])).get("hits",[]); print(h[0]["id"] if h else "")' "$f.search.json" 2>/dev/null || true)
  if [ -n "$first" ]; then
    "$bin" similar "$first" --index "$idx" --json | strip >"$f.similar.json" 2>&1 || true
  fi
done <"$root/bench/queries.tsv"
rm -rf "$idx"
echo "answers: $n queries written to $out" >&2
