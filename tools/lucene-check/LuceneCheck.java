// Checks an `akhbar export opensearch` folder with Lucene itself.
//
// 1. Builds the analyzers of index.json with the Lucene classes OpenSearch's
//    analysis factories instantiate for these types (mapping char filter,
//    standard tokenizer, keep_types, pattern_replace, length, pattern_capture,
//    unique with only_on_same_position, stop), and compares them token by
//    token (term, position, start/end offsets) with `akhbar analyze --batch`
//    over the title and body of every exported article.
// 2. Indexes the export into Lucene (IndexWriter, the same analyzers, the
//    mapping's fields) and runs the query DSL that `akhbar export opensearch
//    --query` prints for each query of a queries file with IndexSearcher:
//    hit counts and top-10 overlap against `akhbar search --json`.
//
// Usage (see tools/lucene-check/run.sh, which compiles it):
//   java -cp JAR:CLASSES LuceneCheck EXPORT_DIR AKHBAR_BIN [--limit N]
//        [--queries FILE --akhbar-index DIR [--lucene-index DIR] [--skip-tokens]]
//        [--examples N] [--speed N]
// --lucene-index keeps the Lucene index in a folder and reuses it when it
// exists; --skip-tokens runs the queries only; --speed N first times the
// exported analyzers against Lucene's ArabicAnalyzer on N articles.
//
// The analysis chain is assembled by hand from the Lucene classes rather than
// through CustomAnalyzer's factories: the factories read word lists and
// mappings from resource files, while index.json carries them inline, as
// OpenSearch's own factories (which construct these same classes) read them.

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.time.Instant;
import java.util.*;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.*;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.core.TypeTokenFilter;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.miscellaneous.LengthFilter;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.miscellaneous.RemoveDuplicatesTokenFilter;
import org.apache.lucene.analysis.pattern.PatternCaptureGroupTokenFilter;
import org.apache.lucene.analysis.pattern.PatternReplaceFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.*;
import org.apache.lucene.document.*;
import org.apache.lucene.index.*;
import org.apache.lucene.search.*;
import org.apache.lucene.store.*;
import org.apache.lucene.util.QueryBuilder;

public class LuceneCheck {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The export is pre-analyzed (index.json's `_meta.akhbar_layout`). */
  static boolean pre = false;

  // ---------------------------------------------------------------- analysis

  /** One step of a chain: wraps a token stream. */
  interface Step {
    TokenStream wrap(TokenStream in);
  }

  /** An analyzer as index.json defines it. */
  static final class EsAnalyzer extends Analyzer {
    final List<NormalizeCharMap> charMaps;
    final List<Step> steps;
    /** The `whitespace` tokenizer (else `standard`). */
    final boolean whitespace;
    /** The whitespace tokenizer's longest token. */
    final int maxToken;

    EsAnalyzer(List<NormalizeCharMap> charMaps, List<Step> steps) {
      this(charMaps, steps, false, 255);
    }

    EsAnalyzer(List<NormalizeCharMap> charMaps, List<Step> steps, boolean whitespace, int maxToken) {
      this.charMaps = charMaps;
      this.steps = steps;
      this.whitespace = whitespace;
      this.maxToken = maxToken;
    }

    @Override
    protected Reader initReader(String field, Reader reader) {
      for (NormalizeCharMap map : charMaps) reader = new MappingCharFilter(map, reader);
      return reader;
    }

    @Override
    protected TokenStreamComponents createComponents(String field) {
      Tokenizer tokenizer = whitespace
          ? new WhitespaceTokenizer(TokenStream.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, maxToken)
          : new StandardTokenizer();
      TokenStream ts = tokenizer;
      for (Step s : steps) ts = s.wrap(ts);
      return new TokenStreamComponents(tokenizer, ts);
    }

    @Override
    public int getPositionIncrementGap(String field) {
      return 100; // OpenSearch's position_increment_gap for text fields
    }
  }

  /** OpenSearch's mapping rule syntax: `a => b`, with \\uXXXX escapes. */
  static final Pattern RULE = Pattern.compile("(.*)\\s*=>\\s*(.*)\\s*$");

  static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        switch (n) {
          case 'u':
            out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
            i += 4;
            break;
          case 'n': out.append('\n'); break;
          case 't': out.append('\t'); break;
          case 'r': out.append('\r'); break;
          case 'b': out.append('\b'); break;
          case 'f': out.append('\f'); break;
          default: out.append(n);
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  static NormalizeCharMap mapping(JsonNode def) {
    NormalizeCharMap.Builder b = new NormalizeCharMap.Builder();
    for (JsonNode rule : def.get("mappings")) {
      Matcher m = RULE.matcher(rule.asText());
      if (!m.find()) throw new IllegalArgumentException("bad mapping rule " + rule);
      b.add(unescape(m.group(1).trim()), unescape(m.group(2).trim()));
    }
    return b.build();
  }

  static Step filter(String name, JsonNode def) {
    String type = def.get("type").asText();
    switch (type) {
      case "keep_types": {
        Set<String> types = new HashSet<>();
        for (JsonNode t : def.get("types")) types.add(t.asText());
        boolean include = !"exclude".equals(def.path("mode").asText("include"));
        return in -> new TypeTokenFilter(in, types, include);
      }
      case "pattern_replace": {
        Pattern p = Pattern.compile(def.get("pattern").asText());
        String r = def.path("replacement").asText("");
        boolean all = def.path("all").asBoolean(true);
        return in -> new PatternReplaceFilter(in, p, r, all);
      }
      case "length": {
        int min = def.path("min").asInt(0);
        int max = def.path("max").asInt(Integer.MAX_VALUE);
        return in -> new LengthFilter(in, min, max);
      }
      case "pattern_capture": {
        List<Pattern> ps = new ArrayList<>();
        for (JsonNode p : def.get("patterns")) ps.add(Pattern.compile(p.asText()));
        Pattern[] arr = ps.toArray(new Pattern[0]);
        boolean keep = def.path("preserve_original").asBoolean(true);
        return in -> new PatternCaptureGroupTokenFilter(in, keep, arr);
      }
      case "unique": {
        if (!def.path("only_on_same_position").asBoolean(false))
          throw new IllegalArgumentException(name + ": unique without only_on_same_position");
        return RemoveDuplicatesTokenFilter::new;
      }
      case "stop": {
        List<String> words = new ArrayList<>();
        for (JsonNode w : def.get("stopwords")) words.add(w.asText());
        CharArraySet set = new CharArraySet(words, def.path("ignore_case").asBoolean(false));
        return in -> new StopFilter(in, set);
      }
      default:
        throw new IllegalArgumentException(name + ": filter type " + type + " not supported");
    }
  }

  static Map<String, EsAnalyzer> analyzers(JsonNode analysis) {
    Map<String, EsAnalyzer> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = analysis.get("analyzer").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode a = e.getValue();
      String tokenizer = a.get("tokenizer").asText();
      int maxToken = 255;
      JsonNode custom = analysis.path("tokenizer").path(tokenizer);
      if (!custom.isMissingNode()) { // a configured tokenizer: whitespace with its longest token
        if (!"whitespace".equals(custom.path("type").asText()))
          throw new IllegalArgumentException(tokenizer + ": tokenizer type not supported");
        maxToken = custom.path("max_token_length").asInt(255);
        tokenizer = "whitespace";
      }
      if (!"standard".equals(tokenizer) && !"whitespace".equals(tokenizer))
        throw new IllegalArgumentException(e.getKey() + ": tokenizer must be standard or whitespace");
      List<NormalizeCharMap> maps = new ArrayList<>();
      for (JsonNode c : a.path("char_filter")) {
        JsonNode def = analysis.get("char_filter").get(c.asText());
        if (!"mapping".equals(def.get("type").asText()))
          throw new IllegalArgumentException(c + ": char filter type not supported");
        maps.add(mapping(def));
      }
      List<Step> steps = new ArrayList<>();
      for (JsonNode f : a.path("filter")) steps.add(filter(f.asText(), analysis.get("filter").get(f.asText())));
      out.put(e.getKey(), new EsAnalyzer(maps, steps, "whitespace".equals(tokenizer), maxToken));
    }
    return out;
  }

  /** A token: position, UTF-16 offsets, term. */
  record Tok(int pos, int start, int end, String term) {}

  static List<Tok> analyze(Analyzer a, String text) throws IOException {
    List<Tok> out = new ArrayList<>();
    try (TokenStream ts = a.tokenStream("f", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
      OffsetAttribute off = ts.addAttribute(OffsetAttribute.class);
      ts.reset();
      int pos = -1;
      while (ts.incrementToken()) {
        pos += inc.getPositionIncrement();
        out.add(new Tok(pos, off.startOffset(), off.endOffset(), term.toString()));
      }
      ts.end();
    }
    return out;
  }

  // -------------------------------------------------------------- comparison

  /** Agreement counts and disagreement classes of one analyzer. */
  static final class Tally {
    final String name;
    long akhbarTokens, luceneTokens, termsAgree, positionsAgree, offsetsAgree;
    final Map<String, long[]> classes = new TreeMap<>();
    final Map<String, List<String>> examples = new HashMap<>();
    final int maxExamples;

    Tally(String name, int maxExamples) {
      this.name = name;
      this.maxExamples = maxExamples;
    }

    void note(String cls, long tokens, String example) {
      classes.computeIfAbsent(cls, k -> new long[2]);
      classes.get(cls)[0] += 1;
      classes.get(cls)[1] += tokens;
      List<String> ex = examples.computeIfAbsent(cls, k -> new ArrayList<>());
      if (ex.size() < maxExamples) ex.add(example);
    }
  }

  /** UTF-16 index of every UTF-8 byte offset of `text` (at char starts). */
  static int[] utf16At(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int[] at = new int[bytes.length + 1];
    int b = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      for (int k = 0; k < n; k++) at[b + k] = i;
      b += n;
      i += Character.charCount(cp);
    }
    at[bytes.length] = text.length();
    return at;
  }

  static String shortText(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }

  /**
   * Compares Lucene's tokens with akhbar's for one text. Words are matched
   * by start offset; a word agrees on terms when both sides have the same
   * set of terms there, on positions when its position is also the same,
   * on offsets when the end offset is also the same.
   */
  static void compare(Tally t, String text, JsonNode akhbar, String key, List<Tok> lucene, boolean phrase) {
    int[] at = utf16At(text);
    Map<Integer, List<Tok>> byStart = new TreeMap<>();
    for (Tok k : lucene) byStart.computeIfAbsent(k.start, x -> new ArrayList<>()).add(k);
    t.luceneTokens += lucene.size();
    Set<Integer> seen = new HashSet<>();
    for (JsonNode w : akhbar.get("tokens")) {
      List<String> terms = new ArrayList<>();
      for (JsonNode x : w.path(key)) terms.add(x.asText());
      if (phrase) {
        List<String> keep = new ArrayList<>();
        for (String r : terms) if (!terms.contains("ال" + r)) keep.add(r);
        if (!keep.isEmpty()) terms = keep;
      }
      int start = at[w.get("start").asInt()];
      int end = at[w.get("end").asInt()];
      int pos = w.get("position").asInt();
      String original = w.get("original").asText();
      List<Tok> ls = byStart.getOrDefault(start, List.of());
      seen.add(start);
      t.akhbarTokens += terms.size();
      if (terms.isEmpty() && ls.isEmpty()) continue;
      Set<String> a = new TreeSet<>(terms);
      Set<String> l = new TreeSet<>();
      for (Tok k : ls) l.add(k.term);
      String ex = original + " → akhbar " + a + " lucene " + l;
      if (ls.isEmpty()) {
        t.note(classify(original, "word dropped by Lucene"), terms.size(), ex);
        continue;
      }
      if (terms.isEmpty()) {
        t.note(classify(original, "word dropped by akhbar, kept by Lucene"), 0, ex);
        continue;
      }
      Set<String> common = new TreeSet<>(a);
      common.retainAll(l);
      t.termsAgree += common.size();
      boolean posOk = ls.get(0).pos == pos;
      boolean endOk = ls.get(0).end == end;
      if (posOk) t.positionsAgree += common.size();
      if (posOk && endOk) t.offsetsAgree += common.size();
      if (!a.equals(l)) {
        Set<String> missing = new TreeSet<>(a);
        missing.removeAll(l);
        Set<String> extra = new TreeSet<>(l);
        extra.removeAll(a);
        String cls = missing.isEmpty() ? "Lucene adds readings" : extra.isEmpty() ? "Lucene lacks readings" : "readings differ";
        t.note(classify(original, cls), missing.size(), ex);
      } else if (!posOk) {
        t.note("position differs (an earlier word dropped or split differently)", 0, ex + " pos " + pos + " vs " + ls.get(0).pos);
      } else if (!endOk) {
        t.note("end offset differs", 0, ex + " end " + end + " vs " + ls.get(0).end + " in " + shortText(text.substring(start, Math.min(text.length(), Math.max(end, ls.get(0).end)))));
      }
    }
    for (Map.Entry<Integer, List<Tok>> e : byStart.entrySet()) {
      if (seen.contains(e.getKey())) continue;
      Tok k = e.getValue().get(0);
      String word = text.substring(k.start, Math.min(text.length(), k.end));
      Set<String> l = new TreeSet<>();
      for (Tok x : e.getValue()) l.add(x.term);
      t.note(classify(word, "word only in Lucene (tokenized differently)"), 0, word + " → lucene " + l);
    }
  }

  /** A disagreement class, refined by the kind of word. */
  static String classify(String word, String what) {
    String kind;
    if (word.codePoints().anyMatch(c -> c >= 0x0600 && c <= 0x06FF || c >= 0xFB50 && c <= 0xFEFF)) {
      kind = word.codePoints().allMatch(c -> c >= 0x0621 && c <= 0x064A) ? "Arabic word" : "Arabic word with marks/other characters";
    } else if (word.codePoints().anyMatch(Character::isDigit)) {
      kind = "number or mixed";
    } else if (word.codePoints().allMatch(c -> c < 0x250)) {
      kind = "Latin";
    } else {
      kind = "other script or symbol";
    }
    return what + " — " + kind;
  }

  // ------------------------------------------------------------------ export

  /** The bulk files, in order. */
  static List<Path> bulkFiles(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "bulk-*.ndjson")) {
      for (Path p : ds) out.add(p);
    }
    Collections.sort(out);
    return out;
  }

  interface DocSink {
    boolean accept(JsonNode doc) throws Exception;
  }

  static void eachDoc(Path dir, int limit, DocSink sink) throws Exception {
    int n = 0;
    for (Path p : bulkFiles(dir)) {
      try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
        String action;
        while ((action = r.readLine()) != null) {
          String doc = r.readLine();
          if (doc == null) throw new IOException(p + ": action line without a document");
          // story `update`s (the last files) change no text
          if (!JSON.readTree(action).has("index")) continue;
          if (limit > 0 && n >= limit) return;
          n++;
          if (!sink.accept(JSON.readTree(doc))) return;
        }
      }
    }
  }

  // ------------------------------------------------------------------- main

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: LuceneCheck EXPORT_DIR AKHBAR_BIN [--limit N] [--queries FILE --akhbar-index DIR] [--examples N] [--lucene-index DIR] [--speed N] [--skip-tokens]");
      System.exit(2);
    }
    Path dir = Paths.get(args[0]);
    String akhbar = args[1];
    int limit = 0, examples = 2;
    String queries = null, akhbarIndex = null, luceneIndex = null;
    boolean skipTokens = false;
    int speed = 0;
    for (int i = 2; i < args.length; i++) {
      switch (args[i]) {
        case "--limit": limit = Integer.parseInt(args[++i]); break;
        case "--queries": queries = args[++i]; break;
        case "--akhbar-index": akhbarIndex = args[++i]; break;
        case "--examples": examples = Integer.parseInt(args[++i]); break;
        case "--lucene-index": luceneIndex = args[++i]; break;
        case "--skip-tokens": skipTokens = true; break;
        case "--speed": speed = Integer.parseInt(args[++i]); break;
        default: throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    JsonNode index = JSON.readTree(dir.resolve("index.json").toFile());
    Map<String, EsAnalyzer> an = analyzers(index.at("/settings/index/analysis"));
    pre = "pre-analyzed".equals(index.at("/mappings/_meta/akhbar_layout").asText(""));
    System.out.println("# Lucene check of " + dir + (pre ? " (pre-analyzed)" : ""));
    System.out.println();
    if (speed > 0) measureSpeed(dir, an, speed);
    if (!skipTokens) {
      if (pre) checkPreAnalyzed(dir, akhbar, an, limit, examples);
      else checkTokens(dir, akhbar, an, limit, examples);
    }
    if (queries != null && akhbarIndex != null) {
      runQueries(dir, akhbar, akhbarIndex, an, queries, limit, luceneIndex);
    }
  }

  /**
   * Analysis speed of the exported analyzers against Lucene's own
   * ArabicAnalyzer (what a cluster's stock `arabic` analyzer runs), over
   * the title and body of the first `n` articles, in one JVM: a warm-up
   * pass, then three timed passes each, alternating, best pass kept.
   */
  static void measureSpeed(Path dir, Map<String, EsAnalyzer> an, int n) throws Exception {
    List<String> texts = new ArrayList<>();
    long[] chars = {0};
    eachDoc(dir, n, doc -> {
      for (String f : new String[] {"title", "body"}) {
        String t = doc.path(f).asText("");
        texts.add(t);
        chars[0] += t.length();
      }
      return true;
    });
    if (pre) {
      measurePreSpeed(dir, an, n);
      return;
    }
    Map<String, Analyzer> which = new LinkedHashMap<>();
    which.put("Lucene ArabicAnalyzer (stock `arabic`)", new org.apache.lucene.analysis.ar.ArabicAnalyzer());
    which.put("akhbar_exact", an.get("akhbar_exact"));
    which.put("akhbar_keyword", an.get("akhbar_keyword"));
    which.put("akhbar_phrase", an.get("akhbar_phrase"));
    // akhbar_exact step by step: where the time goes
    EsAnalyzer ex = an.get("akhbar_exact");
    which.put("akhbar_exact: char filter + tokenizer", new EsAnalyzer(ex.charMaps, List.of()));
    for (int k = 1; k < ex.steps.size(); k++)
      which.put("akhbar_exact: first " + k + " filters", new EsAnalyzer(ex.charMaps, ex.steps.subList(0, k)));
    Map<String, Double> best = new LinkedHashMap<>();
    for (int pass = 0; pass < 4; pass++) {
      for (Map.Entry<String, Analyzer> e : which.entrySet()) {
        long t0 = System.nanoTime();
        long tokens = 0;
        for (String t : texts) {
          try (TokenStream ts = e.getValue().tokenStream("f", t)) {
            ts.reset();
            while (ts.incrementToken()) tokens++;
            ts.end();
          }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (pass > 0) best.merge(e.getKey(), secs, Math::min);
      }
    }
    double base = best.values().iterator().next();
    System.out.printf("## Analysis speed: %,d articles, %,d characters, best of 3 passes%n%n", texts.size() / 2, chars[0]);
    System.out.println("| analyzer | seconds | million chars/s | time / ArabicAnalyzer |");
    System.out.println("|---|---|---|---|");
    for (Map.Entry<String, Double> e : best.entrySet())
      System.out.printf("| %s | %.2f | %.2f | %.2f |%n", e.getKey(), e.getValue(), chars[0] / e.getValue() / 1e6, e.getValue() / base);
    System.out.println();
  }

  /**
   * Ingest speed of a pre-analyzed export: Lucene's ArabicAnalyzer over the
   * title and body as written, against the export's own analyzers over the
   * word and stem fields akhbar wrote for them (what the cluster runs at
   * ingest), per character of the original text; best of 3 passes.
   */
  static void measurePreSpeed(Path dir, Map<String, EsAnalyzer> an, int n) throws Exception {
    List<String> texts = new ArrayList<>(), words = new ArrayList<>(), stems = new ArrayList<>();
    long[] chars = {0};
    eachDoc(dir, n, doc -> {
      for (String f : new String[] {"title", "body"}) {
        String t = doc.path(f).asText("");
        texts.add(t);
        chars[0] += t.length();
        JsonNode w = doc.path(f + "_words"), st = doc.path(f + "_stems");
        words.add(w.isArray() ? (w.size() > 0 ? w.get(0).asText("") : "") : w.asText(""));
        stems.add(st.isArray() ? (st.size() > 0 ? st.get(0).asText("") : "") : st.asText(""));
      }
      return true;
    });
    Object[][] jobs = {
      {"Lucene ArabicAnalyzer (stock `arabic`), text as written", new org.apache.lucene.analysis.ar.ArabicAnalyzer(), texts},
      {"akhbar_words on the word fields", an.get("akhbar_words"), words},
      {"akhbar_stems on the stem fields", an.get("akhbar_stems"), stems},
    };
    Map<String, Double> best = new LinkedHashMap<>();
    for (int pass = 0; pass < 4; pass++) {
      for (Object[] j : jobs) {
        long t0 = System.nanoTime();
        long tokens = 0;
        @SuppressWarnings("unchecked") List<String> in = (List<String>) j[2];
        for (String t : in) {
          try (TokenStream ts = ((Analyzer) j[1]).tokenStream("f", t)) {
            ts.reset();
            while (ts.incrementToken()) tokens++;
            ts.end();
          }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (pass > 0) best.merge((String) j[0], secs, Math::min);
      }
    }
    double base = best.values().iterator().next();
    double both = 0;
    System.out.printf("## Ingest analysis speed, pre-analyzed: %,d articles, %,d characters as written, best of 3 passes%n%n", texts.size() / 2, chars[0]);
    System.out.println("| analyzer | seconds | million chars (as written)/s | time / ArabicAnalyzer |");
    System.out.println("|---|---|---|---|");
    int k = 0;
    for (Map.Entry<String, Double> e : best.entrySet()) {
      if (k++ > 0) both += e.getValue();
      System.out.printf("| %s | %.3f | %.2f | %.2f |%n", e.getKey(), e.getValue(), chars[0] / e.getValue() / 1e6, e.getValue() / base);
    }
    System.out.printf("| both fields (what ingest costs) | %.3f | %.2f | %.2f |%n%n", both, chars[0] / both / 1e6, both / base);
  }

  /**
   * The fields of a pre-analyzed export against akhbar's analysis: Lucene's
   * `akhbar_words` over `*_words` must give each word akhbar's normalized
   * form at akhbar's position, and `akhbar_stems` over `*_stems` the keyword
   * stems akhbar gives the text (as a multiset: the stem fields keep no
   * positions).
   */
  static void checkPreAnalyzed(Path dir, String akhbar, Map<String, EsAnalyzer> an, int limit, int examples) throws Exception {
    long started = System.nanoTime();
    Process proc = new ProcessBuilder(akhbar, "analyze", "--batch").redirectError(ProcessBuilder.Redirect.INHERIT).start();
    final int lim = limit;
    Thread feeder = new Thread(() -> {
      try (Writer w = new BufferedWriter(new OutputStreamWriter(proc.getOutputStream(), StandardCharsets.UTF_8), 1 << 20)) {
        eachDoc(dir, lim, doc -> {
          for (String f : new String[] {"title", "body"}) {
            w.write(JSON.writeValueAsString(doc.path(f).asText("")));
            w.write('\n');
          }
          return true;
        });
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    feeder.start();
    BufferedReader fromAkhbar = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8), 1 << 20);
    long[] n = new long[6]; // docs, words, words agreeing, stems, stems agreeing, texts differing
    List<String> bad = new ArrayList<>();
    eachDoc(dir, limit, doc -> {
      n[0]++;
      for (String f : new String[] {"title", "body"}) {
        JsonNode a = JSON.readTree(fromAkhbar.readLine());
        JsonNode w = doc.path(f + "_words"), st = doc.path(f + "_stems");
        String words = w.isArray() ? w.path(0).asText("") : w.asText("");
        String stems = st.isArray() ? st.path(0).asText("") : st.asText("");
        Map<Integer, String> want = new TreeMap<>();
        List<String> wantStems = new ArrayList<>();
        for (JsonNode t : a.path("tokens")) {
          // a word normalization empties makes no term in akhbar's index either
          if (!t.get("normalized").asText().isEmpty())
            want.put(t.get("position").asInt(), t.get("normalized").asText());
          for (JsonNode k : t.path("keyword")) wantStems.add(k.asText());
        }
        Map<Integer, String> got = new TreeMap<>();
        for (Tok k : analyze(an.get("akhbar_words"), words)) got.put(k.pos, k.term);
        List<String> gotStems = new ArrayList<>();
        for (Tok k : analyze(an.get("akhbar_stems"), stems)) gotStems.add(k.term);
        n[1] += want.size();
        for (Map.Entry<Integer, String> e : want.entrySet())
          if (e.getValue().equals(got.get(e.getKey()))) n[2]++;
        Collections.sort(wantStems);
        Collections.sort(gotStems);
        n[3] += wantStems.size();
        if (wantStems.equals(gotStems)) n[4] += wantStems.size();
        if (!want.equals(got) || !wantStems.equals(gotStems)) {
          n[5]++;
          if (bad.size() < examples) bad.add(doc.path("id").asText() + " " + f);
        }
      }
      return true;
    });
    feeder.join();
    proc.waitFor();
    System.out.printf("## Pre-analyzed fields against akhbar's analysis: %,d articles, %.0f s%n%n", n[0], (System.nanoTime() - started) / 1e9);
    System.out.println("| field | akhbar tokens | same in Lucene |");
    System.out.println("|---|---|---|");
    System.out.printf("| words (term and position) | %,d | %.4f%% |%n", n[1], 100.0 * n[2] / Math.max(1, n[1]));
    System.out.printf("| stems (multiset per text) | %,d | %.4f%% |%n", n[3], 100.0 * n[4] / Math.max(1, n[3]));
    System.out.printf("%ntexts differing: %,d%s%n%n", n[5], bad.isEmpty() ? "" : " (" + String.join(", ", bad) + ")");
  }

  static void checkTokens(Path dir, String akhbar, Map<String, EsAnalyzer> an, int limit, int examples) throws Exception {
    long started = System.nanoTime();
    Process proc = new ProcessBuilder(akhbar, "analyze", "--batch").redirectError(ProcessBuilder.Redirect.INHERIT).start();
    final int lim = limit;
    Thread feeder = new Thread(() -> {
      try (Writer w = new BufferedWriter(new OutputStreamWriter(proc.getOutputStream(), StandardCharsets.UTF_8), 1 << 20)) {
        eachDoc(dir, lim, doc -> {
          for (String f : new String[] {"title", "body"}) {
            w.write(JSON.writeValueAsString(doc.path(f).asText("")));
            w.write('\n');
          }
          return true;
        });
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    feeder.start();
    BufferedReader fromAkhbar = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8), 1 << 20);
    Tally exact = new Tally("exact (akhbar_exact)", examples);
    Tally keyword = new Tally("keyword (akhbar_keyword)", examples);
    Tally phrase = new Tally("phrase search (akhbar_phrase)", examples);
    long[] docs = {0};
    eachDoc(dir, limit, doc -> {
      docs[0]++;
      for (String f : new String[] {"title", "body"}) {
        String text = doc.path(f).asText("");
        String line = fromAkhbar.readLine();
        if (line == null) throw new IOException("akhbar analyze --batch ended early");
        JsonNode a = JSON.readTree(line);
        compare(exact, text, a, "exact", analyze(an.get("akhbar_exact"), text), false);
        compare(keyword, text, a, "keyword", analyze(an.get("akhbar_keyword"), text), false);
        compare(phrase, text, a, "exact", analyze(an.get("akhbar_phrase"), text), true);
      }
      return true;
    });
    feeder.join();
    proc.waitFor();
    double secs = (System.nanoTime() - started) / 1e9;
    System.out.printf("## Token agreement: %d articles (title and body), %.0f s%n%n", docs[0], secs);
    System.out.println("| analyzer | akhbar tokens | Lucene tokens | same term, same word | + same position | + same offsets |");
    System.out.println("|---|---|---|---|---|---|");
    for (Tally t : List.of(exact, keyword, phrase)) {
      System.out.printf("| %s | %,d | %,d | %.4f%% | %.4f%% | %.4f%% |%n", t.name, t.akhbarTokens, t.luceneTokens,
          100.0 * t.termsAgree / Math.max(1, t.akhbarTokens), 100.0 * t.positionsAgree / Math.max(1, t.akhbarTokens),
          100.0 * t.offsetsAgree / Math.max(1, t.akhbarTokens));
    }
    for (Tally t : List.of(exact, keyword, phrase)) {
      System.out.println();
      System.out.println("### Disagreements: " + t.name);
      System.out.println();
      if (t.classes.isEmpty()) {
        System.out.println("none");
        continue;
      }
      System.out.println("| class | words | akhbar tokens missed | examples |");
      System.out.println("|---|---|---|---|");
      for (Map.Entry<String, long[]> e : t.classes.entrySet()) {
        String ex = String.join(" ; ", t.examples.get(e.getKey())).replace("|", "\\|");
        System.out.printf("| %s | %,d | %,d | %s |%n", e.getKey(), e.getValue()[0], e.getValue()[1], ex);
      }
    }
    System.out.println();
  }

  // ----------------------------------------------------------------- queries

  static Analyzer fieldAnalyzers(Map<String, EsAnalyzer> an) {
    Map<String, Analyzer> per = new HashMap<>();
    if (pre) {
      for (String f : new String[] {"title", "body"}) {
        per.put(f + "_words", an.get("akhbar_words"));
        per.put(f + "_stems", an.get("akhbar_stems"));
      }
    }
    per.put("title.stem", an.get("akhbar_keyword"));
    per.put("body.stem", an.get("akhbar_keyword"));
    return new PerFieldAnalyzerWrapper(an.get("akhbar_exact"), per);
  }

  static void indexExport(Path dir, Map<String, EsAnalyzer> an, Directory directory, int limit) throws Exception {
    IndexWriterConfig cfg = new IndexWriterConfig(fieldAnalyzers(an));
    cfg.setRAMBufferSizeMB(256);
    cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    try (IndexWriter w = new IndexWriter(directory, cfg)) {
      eachDoc(dir, limit, doc -> {
        Document d = new Document();
        String id = doc.get("id").asText();
        d.add(new StringField("id", id, Field.Store.YES));
        if (pre) addPreAnalyzed(d, doc);
        else for (String f : new String[] {"title", "body"}) {
          String text = doc.path(f).asText("");
          d.add(new TextField(f, text, Field.Store.NO));
          d.add(new TextField(f + ".stem", text, Field.Store.NO));
        }
        String kw = doc.path("keywords").asText("");
        if (!kw.isEmpty() && !pre) { // copy_to body
          d.add(new TextField("keywords", kw, Field.Store.NO));
          d.add(new TextField("body", kw, Field.Store.NO));
          d.add(new TextField("body.stem", kw, Field.Store.NO));
        }
        for (String f : new String[] {"entity", "entity_weak"})
          for (JsonNode e : doc.path(f)) d.add(new StringField(f, e.asText(), Field.Store.NO));
        for (String f : new String[] {"source_key", "source", "category"})
          if (doc.hasNonNull(f)) d.add(new StringField(f, doc.get(f).asText(), Field.Store.NO));
        if (doc.hasNonNull("date"))
          d.add(new LongPoint("date", Instant.parse(doc.get("date").asText()).getEpochSecond()));
        w.updateDocument(new Term("id", id), d); // a later copy of an id replaces, as _bulk index does
        return true;
      });
      w.forceMerge(1);
    }
  }

  /** The stem fields keep frequencies, no positions (`index_options: freqs`). */
  static final FieldType STEMS = new FieldType(TextField.TYPE_NOT_STORED);
  static {
    STEMS.setIndexOptions(IndexOptions.DOCS_AND_FREQS);
    STEMS.freeze();
  }

  /** The word and stem fields of a pre-analyzed document (arrays: one value each). */
  static void addPreAnalyzed(Document d, JsonNode doc) {
    for (String f : new String[] {"title", "body"}) {
      for (String kind : new String[] {"_words", "_stems"}) {
        JsonNode v = doc.path(f + kind);
        List<String> values = new ArrayList<>();
        if (v.isArray()) for (JsonNode x : v) values.add(x.asText(""));
        else values.add(v.asText(""));
        for (String value : values) {
          if (kind.equals("_words")) d.add(new TextField(f + kind, value, Field.Store.NO));
          else d.add(new Field(f + kind, value, STEMS));
        }
      }
    }
  }

  static Query dsl(JsonNode q, Map<String, EsAnalyzer> an) {
    Map.Entry<String, JsonNode> e = q.fields().next();
    String type = e.getKey();
    JsonNode body = e.getValue();
    switch (type) {
      case "bool": {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        int required = 0, should = 0;
        for (String occ : new String[] {"must", "filter", "should", "must_not"}) {
          for (JsonNode c : body.path(occ)) {
            BooleanClause.Occur o = switch (occ) {
              case "must" -> BooleanClause.Occur.MUST;
              case "filter" -> BooleanClause.Occur.FILTER;
              case "should" -> BooleanClause.Occur.SHOULD;
              default -> BooleanClause.Occur.MUST_NOT;
            };
            if (o == BooleanClause.Occur.MUST || o == BooleanClause.Occur.FILTER) required++;
            if (o == BooleanClause.Occur.SHOULD) should++;
            b.add(dsl(c, an), o);
          }
        }
        if (body.has("minimum_should_match")) b.setMinimumNumberShouldMatch(body.get("minimum_should_match").asInt());
        else if (required == 0 && should > 0) b.setMinimumNumberShouldMatch(1);
        if (required == 0 && should == 0) b.add(new MatchAllDocsQuery(), BooleanClause.Occur.MUST);
        return b.build();
      }
      case "match":
      case "match_phrase": {
        Map.Entry<String, JsonNode> f = body.fields().next();
        String field = f.getKey();
        JsonNode p = f.getValue();
        String text = p.isObject() ? p.get("query").asText() : p.asText();
        String analyzer = p.path("analyzer").asText(field.endsWith(".stem") ? "akhbar_keyword" : "akhbar_exact");
        QueryBuilder qb = new QueryBuilder(an.get(analyzer));
        Query built;
        if (type.equals("match_phrase")) built = qb.createPhraseQuery(field, text, 0);
        else {
          if (p.has("fuzziness")) throw new IllegalArgumentException("fuzziness not supported by the checker");
          boolean and = "and".equals(p.path("operator").asText("or"));
          built = qb.createBooleanQuery(field, text, and ? BooleanClause.Occur.MUST : BooleanClause.Occur.SHOULD);
        }
        if (built == null) built = new MatchNoDocsQuery();
        return boost(built, p.path("boost").asDouble(1.0));
      }
      case "term": {
        Map.Entry<String, JsonNode> f = body.fields().next();
        JsonNode p = f.getValue();
        String value = p.isObject() ? p.get("value").asText() : p.asText();
        return boost(new TermQuery(new Term(f.getKey(), value)), p.path("boost").asDouble(1.0));
      }
      case "constant_score":
        return boost(new ConstantScoreQuery(dsl(body.get("filter"), an)), body.path("boost").asDouble(1.0));
      case "range": {
        JsonNode r = body.get("date");
        long lo = r.has("gte") ? Instant.parse(r.get("gte").asText()).getEpochSecond() : Long.MIN_VALUE;
        long hi = r.has("lte") ? Instant.parse(r.get("lte").asText()).getEpochSecond() : Long.MAX_VALUE;
        return LongPoint.newRangeQuery("date", lo, hi);
      }
      default:
        throw new IllegalArgumentException("query type " + type + " not supported by the checker");
    }
  }

  static Query boost(Query q, double b) {
    return b == 1.0 ? q : new BoostQuery(q, (float) b);
  }

  static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  static void runQueries(Path dir, String akhbar, String akhbarIndex, Map<String, EsAnalyzer> an, String queries, int limit, String luceneIndex) throws Exception {
    long started = System.nanoTime();
    Directory directory = luceneIndex != null ? FSDirectory.open(Paths.get(luceneIndex)) : new ByteBuffersDirectory();
    // an index folder given and already built is reused (several query files, one index)
    if (luceneIndex == null || !DirectoryReader.indexExists(directory)) indexExport(dir, an, directory, limit);
    double indexSecs = (System.nanoTime() - started) / 1e9;
    try (DirectoryReader reader = DirectoryReader.open(directory)) {
      IndexSearcher searcher = new IndexSearcher(reader);
      System.out.printf("## Queries: Lucene index of the export (%,d documents, %.0f s to build)%n%n", reader.numDocs(), indexSecs);
      System.out.println("| id | query | akhbar hits | Lucene hits | equal | top-10 overlap |");
      System.out.println("|---|---|---|---|---|---|");
      int equal = 0, total = 0;
      double overlapSum = 0;
      for (String line : Files.readAllLines(Paths.get(queries), StandardCharsets.UTF_8)) {
        if (line.isBlank() || line.startsWith("#")) continue;
        String[] parts = line.split("\t", 2);
        String id = parts.length == 2 ? parts[0] : "q" + (total + 1);
        String query = parts.length == 2 ? parts[1] : parts[0];
        // `@entity:NAME` lines are `--entity NAME` searches
        boolean entity = query.startsWith("@entity:");
        String what = entity ? query.substring("@entity:".length()) : query;
        String flag = entity ? "--entity" : "--query";
        JsonNode a = JSON.readTree(entity
            ? run(akhbar, "search", "--json", "--no-collapse", "-n", "10", "--index", akhbarIndex, "--entity", what)
            : run(akhbar, "search", "--json", "--no-collapse", "-n", "10", "--index", akhbarIndex, what));
        String dslText = pre ? run(akhbar, "export", "opensearch", "--pre-analyzed", flag, what)
            : run(akhbar, "export", "opensearch", flag, what);
        long aHits = a.path("total_hits").asLong(-1);
        Set<String> aTop = new LinkedHashSet<>();
        for (JsonNode h : a.path("hits")) aTop.add(h.get("id").asText());
        String lHits;
        double overlap = 0;
        boolean same = false;
        if (dslText.isBlank()) {
          lHits = "(no query)";
        } else {
          Query q = dsl(JSON.readTree(dslText).get("query"), an);
          int count = searcher.count(q);
          TopDocs top = searcher.search(q, 10);
          Set<String> lTop = new LinkedHashSet<>();
          for (ScoreDoc sd : top.scoreDocs) lTop.add(searcher.storedFields().document(sd.doc).get("id"));
          Set<String> common = new HashSet<>(aTop);
          common.retainAll(lTop);
          int denom = Math.max(1, Math.min(10, (int) Math.max(aHits, count)));
          overlap = (double) common.size() / Math.min(denom, Math.max(1, aTop.size()));
          same = count == aHits;
          lHits = String.format("%,d", count);
        }
        total++;
        if (same) equal++;
        overlapSum += overlap;
        System.out.printf("| %s | %s | %,d | %s | %s | %.1f |%n", id, query.replace("|", "\\|"), aHits, lHits, same ? "yes" : "**no**", overlap);
      }
      System.out.printf("%nequal hit counts: %d of %d queries; mean top-10 overlap %.2f%n", equal, total, overlapSum / Math.max(1, total));
    }
  }
}
