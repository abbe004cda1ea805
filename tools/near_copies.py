#!/usr/bin/env python3
"""How much of the known-item headline misses are near copies of the answer.

For each query whose answer is not first in akhbar's top 10, compares the
wrong first hit with the answer: their bodies (identical after whitespace,
or by word 3-shingle Jaccard of the folded text, in bands), their bodies'
distinct words (Jaccard), and the wrong hit's own headline against the
query; split by whether the wrong hit is from the answer's outlet. Then
MRR@10 three times: as the harness scores it (the answer or a
byte-identical body), with the answer's near copies (shingle Jaccard >=
--threshold, 0.8) counted as the answer too, and also with any article
whose headline is the query's words (folded) counted.

Usage:
  near_copies.py CORPORA_DIRS... --bodies BODIES.jsonl --queries QUERIES.tsv
                 --qrels QRELS.tsv --run RUN.jsonl --held "BBC,CNN,France 24"
QUERIES.tsv: qid<TAB>query; without --qrels (the relevance harness's
files) a query's id is its article's; QRELS.tsv: qid<TAB>outlet<TAB>ids (space-separated);
RUN.jsonl: `akhbar search --stdin --json` answers, one line per query, in
QUERIES.tsv's order. The outlet of a hit is read from the corpora (`source`).
"""
import json
import re
import sys
from pathlib import Path

FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه",
                      "ؤ": "ء", "ئ": "ء"})
MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
WORD = re.compile(r"\w+")


def shingles(body):
    words = WORD.findall(MARKS.sub("", body).translate(FOLD))
    if len(words) < 3:
        return {tuple(words)}
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


def word_set(text):
    return set(WORD.findall(MARKS.sub("", text).translate(FOLD)))


def jaccard(a, b):
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def opt(name, default=None):
    args = sys.argv[1:]
    return args[args.index(name) + 1] if name in args else default


def main():
    args = sys.argv[1:]
    corpora = []
    i = 0
    while i < len(args):
        if args[i].startswith("--"):
            i += 2
            continue
        corpora.append(args[i])
        i += 1
    threshold = float(opt("--threshold", "0.8"))
    held = set(opt("--held", "BBC,CNN,France 24").split(","))
    source, title = {}, {}
    for c in corpora:
        for f in sorted(Path(c).rglob("*.jsonl")):
            for line in f.open(encoding="utf-8"):
                if line.strip():
                    v = json.loads(line)
                    source[v.get("id", "")] = v.get("source", "")
                    title[v.get("id", "")] = v.get("title", "")
    body = {}
    for line in open(opt("--bodies"), encoding="utf-8"):
        if line.strip():
            v = json.loads(line)
            body[v["id"]] = v.get("body", "")
    queries = [l.rstrip("\n").split("\t", 1) for l in open(opt("--queries"), encoding="utf-8")]
    qrels = {}
    if opt("--qrels"):
        for l in open(opt("--qrels"), encoding="utf-8"):
            q, outlet, ids = l.rstrip("\n").split("\t")
            qrels[q] = (outlet, ids.split())
    else:
        # the relevance harness: the query's id is its article's, answered
        # by it or any article with a byte-identical body
        same = {}
        for i, b in body.items():
            same.setdefault(b, []).append(i)
        for q, _ in queries:
            qrels[q] = (source.get(q, ""), [q] + [i for i in same[body[q]] if i != q])
    runs = []
    for l in open(opt("--run"), encoding="utf-8"):
        v = json.loads(l)
        runs.append([h["id"] for h in v.get("hits", [])][:10])
    assert len(runs) == len(queries), (len(runs), len(queries))
    cache = {}

    def sh(i):
        if i not in cache:
            cache[i] = shingles(body.get(i, ""))
        return cache[i]

    rows = {"held": [0.0, 0.0, 0, 0.0], "trained": [0.0, 0.0, 0, 0.0]}
    wrong, titles, words = {}, {}, {}
    for (qid, query), ranked in zip(queries, runs):
        outlet, relevant = qrels[qid]
        group = "held" if outlet in held else "trained"
        answer = relevant[0]
        rank = next((r for r, i in enumerate(ranked) if i in relevant), None)
        alt = next((r for r, i in enumerate(ranked)
                    if i in relevant or jaccard(sh(i), sh(answer)) >= threshold), None)
        # ... or an article carrying the same headline (its own title's
        # words, normalized, the query's)
        key = " ".join(WORD.findall(MARKS.sub("", query).translate(FOLD)))
        same_title = next((r for r, i in enumerate(ranked)
                           if i in relevant or jaccard(sh(i), sh(answer)) >= threshold
                           or " ".join(WORD.findall(MARKS.sub("", title.get(i, "")).translate(FOLD))) == key),
                          None)
        row = rows[group]
        row[0] += 0 if rank is None else 1 / (rank + 1)
        row[1] += 0 if alt is None else 1 / (alt + 1)
        row[3] += 0 if same_title is None else 1 / (same_title + 1)
        row[2] += 1
        if rank == 0 or not ranked:
            continue
        first = ranked[0]
        same = "same outlet" if source.get(first) == outlet else "other outlet"
        if " ".join(body.get(first, "").split()) == " ".join(body.get(answer, "").split()):
            kind = "identical body"
        else:
            j = jaccard(sh(first), sh(answer))
            kind = ("J >= 0.8" if j >= 0.8 else "0.5 <= J < 0.8" if j >= 0.5
                    else "0.2 <= J < 0.5" if j >= 0.2 else "0.05 <= J < 0.2" if j >= 0.05
                    else "J < 0.05")
        # the wrong hit's own headline against the query (its words as a set)
        t = jaccard(word_set(title.get(first, "")), word_set(query))
        tk = ("title J >= 0.5" if t >= 0.5 else "0.3 <= title J < 0.5" if t >= 0.3
              else "title J < 0.3")
        titles[(group, tk)] = titles.get((group, tk), 0) + 1
        # the two bodies' words as sets (the same story told again)
        w = jaccard(word_set(body.get(first, "")), word_set(body.get(answer, "")))
        wk = "words J >= 0.3" if w >= 0.3 else "0.15 <= words J < 0.3" if w >= 0.15 else "words J < 0.15"
        words[(group, wk)] = words.get((group, wk), 0) + 1
        key = (group, kind)
        wrong.setdefault(key, [0, 0])
        wrong[key][0 if same == "same outlet" else 1] += 1
    for group, (mrr, alt, n, same) in rows.items():
        if n:
            print(f"{group}: {n} queries, MRR@10 {mrr / n:.4f}, "
                  f"near copies (J >= {threshold}) counted {alt / n:.4f}, "
                  f"and articles with the same headline {same / n:.4f}")
    kinds = ["identical body", "J >= 0.8", "0.5 <= J < 0.8", "0.2 <= J < 0.5",
             "0.05 <= J < 0.2", "J < 0.05"]
    for group in ("held", "trained"):
        total = sum(sum(v) for (g, _), v in wrong.items() if g == group)
        if not total:
            continue
        print(f"{group}: answer not first in {total} queries; wrong first hit vs answer "
              "(same outlet / other outlet):")
        for k in kinds:
            s, o = wrong.get((group, k), [0, 0])
            print(f"  {k:<16} {s + o:>5} ({100 * (s + o) / total:4.1f}%)  {s:>5} / {o:>5}")
        for table in (titles, words):
            print("  " + ", ".join(f"{k}: {v}" for (g, k), v in sorted(table.items()) if g == group))


if __name__ == "__main__":
    main()
