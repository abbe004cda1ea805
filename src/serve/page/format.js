// Words and numbers for Arabic readers.
//
// Digits: Western (0-9) everywhere — counts, dates, page numbers. The
// articles themselves, the query syntax, the URL and the API's dates all
// use them, and most Arabic news sites do too; mixing them with
// Arabic-Indic digits (٠-٩) on one page would make a date in a snippet
// and the same date in the metadata look different. Thousands are
// grouped with a comma (13,536). Month names are the ones most Arabic
// news sites use (يناير … ديسمبر), written out here rather than taken
// from the browser's locale data, so every browser shows the same words.

/**
 * Text kept left to right inside Arabic (a first-strong isolate, U+2068…
 * U+2069). Without it the bidi algorithm turns the digits after an Arabic
 * letter into Arabic numbers, each laid out on its own: "2024-06-30"
 * showed as "30-06-2024".
 */
export function ltr(text) {
  return `\u2066${text}\u2069`;
}

/** 13536 → "13,536". */
export function num(n) {
  const value = Math.trunc(Number(n) || 0);
  const digits = String(Math.abs(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return value < 0 ? `-${digits}` : digits;
}

/**
 * A count with its noun in the right Arabic number form.
 * forms: [zero, one, two, few (3-10), many (11-99), other (100, 101, 102…)],
 * where "one" and "two" are whole phrases (مقالة واحدة, مقالتان).
 */
export function counted(n, forms) {
  const [zero, one, two, few, many, other] = forms;
  const value = Math.trunc(Number(n) || 0);
  if (value === 0) return zero;
  if (value === 1) return one;
  if (value === 2) return two;
  const rest = value % 100;
  if (rest >= 3 && rest <= 10) return `${num(value)} ${few}`;
  if (rest >= 11 && rest <= 99) return `${num(value)} ${many}`;
  return `${num(value)} ${other}`;
}

/** "5 مقالات", "مقالة واحدة", "46 مقالة". */
export function articles(n) {
  return counted(n, ["لا مقالات", "مقالة واحدة", "مقالتان", "مقالات", "مقالة", "مقالة"]);
}

/** Stories (an article and its near copies count once): "خبران", "46 خبرًا مختلفًا". */
export function stories(n) {
  return counted(n, ["لا أخبار", "خبر واحد", "خبران", "أخبار مختلفة", "خبرًا مختلفًا", "خبر مختلف"]);
}

/** The near copies folded into a hit: "نسخة أخرى", "3 نسخ أخرى". */
export function copies(n) {
  return counted(n, ["", "نسخة أخرى", "نسختان أخريان", "نسخ أخرى", "نسخة أخرى", "نسخة أخرى"]);
}

/** A bare count of articles for facets: "5". */
export function count(n) {
  return num(n);
}

export const MONTHS = [
  "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
  "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
];

/** "2024-06-20" → "20 يونيو 2024"; anything else as given. */
export function date(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
  if (!m) return iso || "";
  const month = MONTHS[Number(m[2]) - 1];
  return month ? `${Number(m[3])} ${month} ${m[1]}` : iso;
}

/** "2024-06" → "يونيو 2024". */
export function month(ym) {
  const m = /^(\d{4})-(\d{2})$/.exec(ym || "");
  const name = m && MONTHS[Number(m[2]) - 1];
  return name ? `${name} ${m[1]}` : ym || "";
}

/** Milliseconds as the time a search took: "0.01 ثانية", "2.3 ثانية". */
export function seconds(ms) {
  const s = (Number(ms) || 0) / 1000;
  if (s < 0.01) return "أقل من 0.01 ثانية";
  if (s < 10) return `${s.toFixed(2)} ثانية`;
  return `${s.toFixed(1)} ثانية`;
}

/** Entity types: the label of one and the heading of a facet group. */
export const TYPES = {
  PER: { one: "شخص", group: "أشخاص", often: "أشخاص يكثر ذكرهم" },
  ORG: { one: "منظمة", group: "منظمات", often: "منظمات يكثر ذكرها" },
  LOC: { one: "مكان", group: "أماكن", often: "أماكن يكثر ذكرها" },
  MISC: { one: "اسم", group: "أسماء أخرى", often: "أسماء أخرى يكثر ذكرها" },
};

export function typeLabel(code) {
  return (TYPES[code] || TYPES.MISC).one;
}

/**
 * The API's notes (English, from the query parser and planner) in Arabic.
 * An unknown note is shown as it is, after a short Arabic lead.
 */
const NOTES = [
  [
    /^ignored the common word "([^"]*)" \(search "[^"]*" as a phrase to require it\)$/,
    (w) =>
      `تجاهلنا الكلمة الشائعة «${w}» لأنها ترد في أغلب المقالات. ` +
      `لاشتراطها ضعها مع ما حولها بين علامتي تنصيص، مثل: "${w} …".`,
  ],
  [/^closed an unbalanced quote at the end of the query$/, () => "أغلقنا علامة تنصيص مفتوحة في آخر البحث."],
  [/^closed an unbalanced '\('$/, () => "أغلقنا قوساً مفتوحاً في البحث."],
  [/^ignored an unmatched '\)'$/, () => "تجاهلنا قوساً مغلقاً لا يقابله قوس مفتوح."],
  [/^ignored an OR with nothing after it$/, () => "تجاهلنا «أو» لم تتبعها كلمة."],
  [/^ignored an OR with nothing before it$/, () => "تجاهلنا «أو» لم تسبقها كلمة."],
  [/^ignored a NOT with nothing after it$/, () => "تجاهلنا علامة الاستثناء (-) لأنها لم تتبعها كلمة."],
  [/^ignored '(.*):' with nothing after it$/, (p) => `تجاهلنا «${p}:» لأنها لم تتبعها كلمة.`],
  [/^limit capped at (\d+) hits per page$/, (n) => `تُعرض ${num(n)} نتيجة على الأكثر في الصفحة.`],
  [
    /^the index's entity facets were built with another alias table/,
    () =>
      "بُني الفهرس بجدول أسماء آخر، فنبحث عن الأسماء كعبارات. " +
      "أعد بناء الفهرس (akhbar index --rebuild) لتحديثه.",
  ],
];

export function note(text) {
  for (const [pattern, say] of NOTES) {
    const m = pattern.exec(text);
    if (m) return { arabic: say(...m.slice(1)), original: text };
  }
  return { arabic: null, original: text };
}

/**
 * What to tell a reader about a failed request: {title, detail, retry}.
 * `failure` is {status, code, message} (status 0: no answer at all).
 */
export function problem(failure) {
  const { status, code, message } = failure;
  if (status === 0) {
    return {
      title: "تعذّر الاتصال بخادم أخبار.",
      detail: "تأكد أن الأمر akhbar serve ما زال يعمل، ثم أعد المحاولة.",
      retry: false,
    };
  }
  if (code === "index_unavailable") {
    return {
      title: "الفهرس قيد البناء أو غير متاح الآن.",
      detail: "سنعيد المحاولة تلقائياً كل بضع ثوانٍ، وتظهر النتائج حين يصبح الفهرس جاهزاً.",
      commandLead: "إن لم يكن أحد يبنيه الآن، فابنِه بالأمر:",
      command: "akhbar index",
      retry: true,
    };
  }
  if (code === "index_empty") {
    return {
      title: "الفهرس فارغ حتى الآن.",
      detail: "ربما ما زال قيد البناء: سنعيد المحاولة تلقائياً، وتظهر النتائج حين تُضاف المقالات.",
      commandLead: "إن لم يكن أحد يبنيه الآن، فابنِه بالأمر:",
      command: "akhbar index",
      retry: true,
    };
  }
  if (code === "busy") {
    return { title: "الخادم مشغول بطلبات كثيرة.", detail: "سنعيد المحاولة بعد لحظة.", retry: true };
  }
  if (code === "timeout") {
    return {
      title: "استغرق البحث وقتاً أطول من المسموح.",
      detail: "جرّب بحثاً أضيق: أضف كلمة، أو حدّد فترة زمنية أو مصدراً.",
      retry: false,
    };
  }
  if (status === 404) {
    return { title: "لم نجد هذه المقالة في الفهرس.", detail: "ربما حُذفت أو أعيد بناء الفهرس.", retry: false };
  }
  if (status === 400) {
    const nothing = /^nothing to search for in "(.*?)"(?:: (.*))?$/.exec(message || "");
    if (nothing) {
      // Several notes come joined by "; " (one per common word).
      const notes = nothing[2] ? nothing[2].split("; ").map((n) => note(n).arabic) : [];
      const why = notes.length && notes.every(Boolean) ? notes.join(" ") : null;
      return {
        title: "لا يبقى في هذا البحث ما نبحث عنه.",
        detail: why || "اكتب كلمة أو عبارة للبحث عنها.",
        retry: false,
      };
    }
    if (/^cannot read the date/.test(message || "")) {
      return {
        title: "لم نفهم التاريخ في هذا البحث.",
        detail: `اكتب التاريخ بالشكل ${ltr("2024-06-30")} (سنة-شهر-يوم).`,
        retry: false,
      };
    }
    return { title: "لم نفهم هذا البحث.", detail: "راجع ما كتبته في مربع البحث.", retry: false };
  }
  return {
    title: "حدث خطأ في الخادم أثناء البحث.",
    detail: "أعد المحاولة بعد قليل؛ إن تكرر الخطأ فأبلغ عنه مع نص البحث.",
    retry: false,
  };
}
