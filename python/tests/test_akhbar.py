"""akhbar's Python package, end to end: the bundled corpus indexed from
Python, searched from Python and with the command line on the same index
(same hits, same order, same snippets), errors with akhbar's messages,
searches from threads at once, progress and Ctrl-C while indexing, and the
README's example.

The command line is `$AKHBAR_BIN`, else `target/release/akhbar` or
`target/debug/akhbar` of the repository (build it with `cargo build`);
without one the comparisons skip, saying so.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

import akhbar

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"


def bench_queries():
    """The queries of bench/queries.tsv (class, query)."""
    rows = []
    for line in (REPO / "bench" / "queries.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        _, query = line.split("\t", 1)
        rows.append(query)
    return rows


def cli_binary():
    """The akhbar binary to compare with, or None."""
    named = os.environ.get("AKHBAR_BIN")
    if named:
        assert Path(named).is_file(), f"AKHBAR_BIN={named} is not a file"
        return named
    for build in ("release", "debug"):
        found = REPO / "target" / build / "akhbar"
        if found.is_file():
            return str(found)
    return None


@pytest.fixture(scope="session")
def cli():
    binary = cli_binary()
    if binary is None:
        pytest.skip("no akhbar binary: set AKHBAR_BIN or run `cargo build` (comparisons with the CLI not run)")
    return binary


def run_cli(binary, *args):
    """`akhbar ARGS`: (exit code, stdout, stderr)."""
    done = subprocess.run([binary, *args], capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout, done.stderr


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The bundled corpus indexed from Python: (index folder, summary, progress calls)."""
    folder = tmp_path_factory.mktemp("akhbar") / "index"
    calls = []
    summary = akhbar.index([CORPUS], index=folder, progress=calls.append)
    return folder, summary, calls


@pytest.fixture(scope="session")
def index(built):
    return akhbar.Index(built[0])


def test_index_reports_a_summary_and_progress(built):
    folder, summary, calls = built
    assert summary["files_seen"] > 20
    assert summary["articles_added"] == summary["articles_total"] > 40
    assert summary["skipped"] == []
    assert len(calls) >= 3, f"progress called {len(calls)} times"
    first, last = calls[0], calls[-1]
    assert first["files"] == summary["files_seen"]
    assert first["bytes_done"] == 0 and first["articles"] == 0
    assert last["bytes_done"] == last["bytes"] == summary["bytes"]
    assert last["articles"] == summary["articles_added"]
    articles = [c["articles"] for c in calls]
    assert articles == sorted(articles), "article counts went down"


def test_search_hits_equal_the_command_lines_for_the_bench_queries(index, built, cli):
    compared = 0
    for query in bench_queries():
        code, out, err = run_cli(cli, "search", "--json", "--index", str(built[0]), "--", query)
        assert code == 0, f"{query}: {err}"
        expected = json.loads(out)["hits"]
        got = index.search(query)
        assert [h["id"] for h in got] == [h["id"] for h in expected], query
        assert [h["snippets"] for h in got] == [h["snippets"] for h in expected], query
        assert got == expected, query
        compared += bool(expected)
    assert compared >= 20, f"only {compared} bench queries have hits on the bundled corpus"


FILTERED = [
    (["--limit", "3", "--offset", "2"], {"limit": 3, "offset": 2}, "الحكومة"),
    (["--sort", "date"], {"sort": "date"}, "وزير"),
    (["--sort", "-date", "--from", "2023-01-01", "--to", "2023-12-31"],
     {"sort": "-date", "date_from": "2023-01-01", "date_to": "2023-12-31"}, "الرئيس"),
    (["--source", "وكالة النهار للأنباء"], {"source": "وكالة النهار للأنباء"}, "سوريا"),
    (["--entity", "داعش"], {"entity": "داعش"}, ""),
    (["--op", "or"], {"op": "or"}, "النفط الهلال"),
    (["--fuzzy"], {"fuzzy": True}, "الحكومه"),
    (["--no-snippets", "--no-collapse", "--no-ranker"],
     {"snippets": False, "collapse": False, "ranker": False}, "الأمم المتحدة"),
]


@pytest.mark.parametrize("flags,kwargs,query", FILTERED, ids=[" ".join(f[0]) for f in FILTERED])
def test_search_options_give_the_command_lines_hits(index, built, cli, flags, kwargs, query):
    code, out, err = run_cli(cli, "search", "--json", "--index", str(built[0]), *flags, "--", query)
    assert code == 0, err
    expected = json.loads(out)["hits"]
    assert expected, f"{flags} {query}: no hits to compare"
    assert index.search(query, **kwargs) == expected


def test_search_accepts_dates_and_source_lists(index):
    import datetime

    by_text = index.search("الحكومة", date_from="2023-01-01", source=["وكالة النهار للأنباء"])
    by_date = index.search("الحكومة", date_from=datetime.date(2023, 1, 1), source=["وكالة النهار للأنباء"])
    assert by_text == by_date


def test_similar_entities_and_article_equal_the_command_lines(index, built, cli):
    first = index.search("سوريا")[0]
    code, out, err = run_cli(cli, "similar", "--json", "--index", str(built[0]), first["id"])
    assert code == 0, err
    assert index.similar(first["id"]) == json.loads(out)["hits"]
    code, out, err = run_cli(cli, "entities", "--json", "--index", str(built[0]), "--top", "5")
    assert code == 0, err
    assert index.entities(limit=5) == json.loads(out)["entities"]
    code, out, err = run_cli(cli, "entities", "--json", "--index", str(built[0]), "--query", "سوريا")
    assert code == 0, err
    assert index.entities(query="سوريا") == json.loads(out)["entities"]
    whole = index.article(first["id"], query="سوريا")
    assert whole["id"] == first["id"] and whole["title"] == first["title"]
    assert first["snippets"][0]["text"].split()[0] in whole["body"]
    assert whole["body_highlights"], "the query's words are not marked"
    assert index.article("no-such-id") is None


def test_analyze_equals_the_command_line(cli):
    text = "وبالمستشفيات أعلن الرئيسُ"
    code, out, err = run_cli(cli, "analyze", "--json", text)
    assert code == 0, err
    assert akhbar.analyze(text) == json.loads(out)["tokens"]
    code, out, err = run_cli(cli, "analyze", "--json", "--analyzer", "keyword", text)
    assert akhbar.analyze(text, analyzer="keyword") == json.loads(out)["tokens"]


def cli_message(stderr):
    """The command line's message without `akhbar: ` and a context prefix."""
    line = stderr.strip().splitlines()[-1]
    return re.sub(r"^akhbar: (search failed: )?", "", line)


def test_missing_index_raises_with_akhbars_message(tmp_path, cli):
    missing = tmp_path / "none"
    with pytest.raises(akhbar.AkhbarError) as raised:
        akhbar.Index(missing)
    _, _, err = run_cli(cli, "search", "--index", str(missing), "x")
    assert str(raised.value) == cli_message(err)
    assert "no index here" in str(raised.value)


@pytest.mark.parametrize("query", ["", "(", '"', "-"])
def test_bad_query_raises_with_akhbars_message(index, built, cli, query):
    with pytest.raises(akhbar.QueryError) as raised:
        index.search(query)
    assert isinstance(raised.value, ValueError) and isinstance(raised.value, akhbar.AkhbarError)
    code, _, err = run_cli(cli, "search", "--index", str(built[0]), "--", query)
    assert code == 2
    assert str(raised.value) == cli_message(err)


@pytest.mark.parametrize("date", ["blah", "2024-13-45", "31/31/2024"])
def test_bad_date_raises_with_akhbars_message(index, built, cli, date):
    with pytest.raises(akhbar.QueryError) as raised:
        index.search("سوريا", date_from=date)
    code, _, err = run_cli(cli, "search", "--index", str(built[0]), "--from", date, "سوريا")
    assert code == 2
    assert str(raised.value) == cli_message(err)


def test_other_bad_arguments_raise_without_crashing(index):
    with pytest.raises(akhbar.QueryError, match="unknown sort"):
        index.search("سوريا", sort="sideways")
    with pytest.raises(akhbar.QueryError, match="unknown entity type"):
        index.entities(type="XYZ")
    with pytest.raises(akhbar.QueryError, match="unknown analyzer"):
        akhbar.analyze("نص", analyzer="nope")
    with pytest.raises(akhbar.AkhbarError, match="no article with id"):
        index.similar("no-such-id")
    with pytest.raises(akhbar.AkhbarError, match="no such file or folder"):
        akhbar.index("/no/such/corpus", index=str(Path("/tmp") / "akhbar-never-made"))
    with pytest.raises(OverflowError):
        index.search("سوريا", limit=-1)
    # Hostile queries answer (maybe with no hits) or raise QueryError: never a crash.
    for query in ["\u0000", "ـــ", "(((((((", "title:", "a" * 10_000, "~~~", "NOT", "\ud7ff" * 50]:
        try:
            index.search(query)
        except akhbar.QueryError:
            pass


def test_notes_come_as_warnings(index):
    with pytest.warns(akhbar.Note, match="did you mean"):
        index.search("بشار الأسد")
    assert issubclass(akhbar.Note, UserWarning)


def test_four_threads_search_at_once_with_the_same_results(index):
    queries = [q for q in bench_queries() if index.search(q, limit=1)]
    alone = {q: index.search(q) for q in queries}
    answers = [None] * 4
    errors = []

    def work(n):
        try:
            answers[n] = {q: index.search(q) for q in queries}
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    for answer in answers:
        assert answer == alone


def test_searches_from_four_threads_against_one(index, capsys):
    """A measurement, printed (2 shared cores: not asserted)."""
    queries = [q for q in bench_queries() if index.search(q, limit=1)]
    rounds = 8
    work = [q for _ in range(rounds) for q in queries]

    def run(threads):
        chunks = [work[n::threads] for n in range(threads)]
        started = time.perf_counter()
        pool = [threading.Thread(target=lambda c=c: [index.search(q) for q in c]) for c in chunks]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        return time.perf_counter() - started

    run(1)  # warm caches
    one = min(run(1) for _ in range(2))
    four = min(run(4) for _ in range(2))
    with capsys.disabled():
        print(
            f"\n{len(work)} searches: 1 thread {one:.3f} s, 4 threads {four:.3f} s, "
            f"speed-up {one / four:.2f}x (cores: {os.cpu_count()})"
        )


def test_keyboard_interrupt_stops_indexing_and_the_index_survives(tmp_path, index, built):
    folder = tmp_path / "index"
    calls = []

    def stop_after_five(counts):
        calls.append(counts)
        if len(calls) == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        akhbar.index(CORPUS, index=folder, progress=stop_after_five, commit_every=1)
    assert len(calls) == 5, "the run went on after the interrupt"
    stopped = akhbar.Index(folder)
    some = stopped.search("سوريا OR الرياض OR النفط", limit=100)
    full = index.search("سوريا OR الرياض OR النفط", limit=100)
    assert {h["id"] for h in some} < {h["id"] for h in full}, "the stopped run indexed all or other articles"
    summary = akhbar.index(CORPUS, index=folder)
    assert summary["files_unchanged"] + summary["resumed_files"] > 0, f"nothing was kept: {summary}"
    assert summary["articles_total"] == built[1]["articles_total"]
    again = akhbar.Index(folder)
    for query in ["سوريا", "الأمم المتحدة", "النفط"]:
        assert [h["id"] for h in again.search(query)] == [h["id"] for h in index.search(query)], query


def test_sigint_during_indexing_raises_keyboard_interrupt(tmp_path, built):
    """A real Ctrl-C (SIGINT to the process) while akhbar works, the GIL
    released: seen between the run's steps (the callback is list.append,
    which runs no Python code that could see the signal first)."""
    folder = tmp_path / "index"
    calls = []

    def press_ctrl_c():
        while len(calls) < 3:
            time.sleep(0.001)
        os.kill(os.getpid(), signal.SIGINT)

    presser = threading.Thread(target=press_ctrl_c, daemon=True)
    presser.start()
    # A commit per article: the run lasts long after the third step.
    with pytest.raises(KeyboardInterrupt):
        akhbar.index(CORPUS, index=folder, progress=calls.append, commit_every=1)
    presser.join()
    total = built[2][-1]["articles"]
    assert calls[-1]["articles"] < total, "the run went on to the end"
    summary = akhbar.index(CORPUS, index=folder)
    assert summary["files_unchanged"] + summary["resumed_files"] > 0, f"nothing was kept: {summary}"
    assert summary["articles_total"] == built[1]["articles_total"]


def test_callback_errors_stop_indexing_and_are_raised(tmp_path):
    def broken(counts):
        raise RuntimeError("callback broke")

    with pytest.raises(RuntimeError, match="callback broke"):
        akhbar.index(CORPUS, index=tmp_path / "index", progress=broken)


def test_search_df_gives_a_dataframe_or_a_clear_import_error(index):
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pip install pandas"):
            index.search_df("سوريا")
        pytest.skip("pandas is not installed: search_df's DataFrame not checked (its ImportError was)")
    frame = index.search_df("سوريا", limit=5)
    hits = index.search("سوريا", limit=5)
    assert list(frame["id"]) == [h["id"] for h in hits]
    assert list(frame.columns[:3]) == ["rank", "id", "title"]


def readme_python_blocks():
    """The ```python blocks of the README's Python section."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Python", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_readme_example_runs(tmp_path, monkeypatch, capsys):
    blocks = readme_python_blocks()
    assert blocks, "no ```python block in the README's Python section"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus").symlink_to(CORPUS)
    try:
        import pandas  # noqa: F401
        have_pandas = True
    except ImportError:
        have_pandas = False
    namespace = {}
    ran = 0
    for block in blocks:
        if "search_df" in block and not have_pandas:
            continue
        exec(compile(block, "README.md", "exec"), namespace)
        ran += 1
    out = capsys.readouterr().out
    assert "txt/002-sdf-raid-deir-ezzor.txt" in out, out
    if not have_pandas:
        pytest.skip(f"pandas is not installed: ran {ran} of the README's {len(blocks)} Python blocks")
