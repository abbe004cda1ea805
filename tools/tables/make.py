#!/usr/bin/env python3
"""Writes the same articles as JSON Lines, CSV and Parquet, for issue 32's
measurements (tools/tables/bench.sh): every JSON Lines file under the given
corpora, COPIES times over (ids suffixed ~0, ~1 … so none repeats).

CSV as spreadsheets export it: a UTF-8 byte order mark, CRLF row ends,
bodies with line breaks quoted. Parquet through pyarrow: snappy, row groups
of 5,000 rows, keywords as a list column.

usage: make.py [--only jsonl|csv|parquet] OUT_DIR COPIES CORPUS_DIR...
"""
import csv
import glob
import json
import os
import sys

import pyarrow as pa
import pyarrow.parquet as pq

FIELDS = ["id", "title", "body", "date", "source", "url", "category", "keywords"]


def articles(dirs):
    for d in dirs:
        for path in sorted(glob.glob(os.path.join(d, "**", "*.jsonl"), recursive=True)):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    line = line.strip()
                    if line:
                        yield json.loads(line)


def row(obj, copy):
    def text(*names):
        for n in names:
            v = obj.get(n)
            if isinstance(v, list):
                v = "، ".join(str(x) for x in v)
            if v not in (None, ""):
                return str(v)
        return ""

    kw = obj.get("keywords") or obj.get("tags") or []
    if isinstance(kw, str):
        kw = [k for k in kw.split("،") if k.strip()]
    return {
        "id": f"{text('id')}~{copy}",
        "title": text("title", "headline"),
        "body": text("body", "text", "content"),
        "date": text("date_iso", "date", "published"),
        "source": text("source", "newspaper"),
        "url": text("url", "link"),
        "category": text("category", "section"),
        "keywords": [str(k) for k in kw],
    }


def main():
    args = sys.argv[1:]
    only = None
    if args[:1] == ["--only"]:
        only, args = args[1], args[2:]
    out, copies, dirs = args[0], int(args[1]), args[2:]
    want = lambda kind: only in (None, kind)
    for kind in ("jsonl", "csv", "parquet"):
        if want(kind):
            os.makedirs(os.path.join(out, kind), exist_ok=True)
    schema = pa.schema([(f, pa.string()) for f in FIELDS[:-1]] + [("keywords", pa.list_(pa.string()))])
    jl = open(os.path.join(out, "jsonl", "news.jsonl"), "w", encoding="utf-8") if want("jsonl") else None
    cf = open(os.path.join(out, "csv", "news.csv"), "w", encoding="utf-8", newline="") if want("csv") else None
    if cf:
        cf.write("\ufeff")
        w = csv.writer(cf, lineterminator="\r\n")
        w.writerow(FIELDS)
    pw = None
    if want("parquet"):
        pw = pq.ParquetWriter(os.path.join(out, "parquet", "news.parquet"), schema, compression="snappy")
    batch, n = [], 0
    for copy in range(copies):
        for obj in articles(dirs):
            r = row(obj, copy)
            if jl:
                jl.write(json.dumps(r, ensure_ascii=False) + "\n")
            if cf:
                w.writerow([r[f] if f != "keywords" else "، ".join(r[f]) for f in FIELDS])
            if pw:
                batch.append(r)
            n += 1
            if pw and len(batch) == 5000:
                pw.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
    if pw and batch:
        pw.write_table(pa.Table.from_pylist(batch, schema=schema))
    for f in (pw, jl, cf):
        if f:
            f.close()
    print(f"{n} articles")


if __name__ == "__main__":
    main()
