//! Words as matching sees them: split at punctuation and camel case,
//! lowercased and lightly stemmed, with acronyms kept.

use super::*;

/// `word` stemmed in the card's language (see `language.rs`).
pub(super) fn stem(word: &str) -> String {
    Language::current().stem(word)
}

/// English stemming: light suffix stripping; both sides go through it, so
/// it only needs to be consistent, not linguistically right.
pub(super) fn stem_english(word: &str) -> String {
    if word.chars().count() <= 3 || !word.chars().all(|c| c.is_ascii_lowercase()) {
        return word.to_string();
    }
    let mut s = word.to_string();
    // British -ise to -ize
    for (from, to) in [
        ("isations", "izations"),
        ("isation", "ization"),
        ("ising", "izing"),
        ("ised", "ized"),
        ("ises", "izes"),
        ("isers", "izers"),
        ("iser", "izer"),
        ("ise", "ize"),
    ] {
        if s.len() >= from.len() + 3 && s.ends_with(from) {
            s.truncate(s.len() - from.len());
            s.push_str(to);
            break;
        }
    }
    // plurals
    if s.len() > 4 && s.ends_with("ies") {
        s.truncate(s.len() - 3);
        s.push('y');
    } else if s.ends_with("sses")
        || (s.len() > 4
            && s.ends_with("es")
            && ["s", "x", "z", "ch", "sh"]
                .iter()
                .any(|e| s[..s.len() - 2].ends_with(e)))
    {
        s.truncate(s.len() - 2);
    } else if s.len() > 3
        && s.ends_with('s')
        && !s.ends_with("ss")
        && !s.ends_with("us")
        && !(s.ends_with("is") && s.len() > 5)
    {
        s.truncate(s.len() - 1);
    }
    // -olution is the noun of an -olve verb (resolution, solution, evolution)
    if s.len() >= 8 && s.ends_with("olution") {
        s.truncate(s.len() - "olution".len());
        s.push_str("olv");
        return s;
    }
    // suffixes, two passes ("regional" -> "region" -> "reg")
    let mut stripped = false;
    for _ in 0..2 {
        let mut changed = false;
        for (suffix, min_stem) in [
            ("ation", 3),
            ("ition", 3),
            ("ating", 3),
            ("ated", 3),
            ("ate", 3),
            ("ion", 3),
            ("ment", 4),
            ("ing", 3),
            ("ly", 4),
            ("ed", 3),
            ("er", 4),
            ("al", 5),
        ] {
            if s.len() >= suffix.len() + min_stem && s.ends_with(suffix) {
                s.truncate(s.len() - suffix.len());
                changed = true;
                stripped = true;
                break;
            }
        }
        if !changed {
            break;
        }
    }
    if s.len() >= 4 && s.ends_with('e') {
        s.pop();
    }
    if stripped {
        let bytes = s.as_bytes();
        let n = bytes.len();
        if n >= 4 && bytes[n - 1] == bytes[n - 2] && !b"lsz".contains(&bytes[n - 1]) {
            let last = bytes[n - 1];
            if !b"aeiou".contains(&last) {
                s.pop();
            }
        }
    }
    s
}

/// A normalised word; cheap to clone.
#[derive(Debug, Clone)]
pub(super) struct Tok(pub(super) Rc<TokData>);

impl std::ops::Deref for Tok {
    type Target = TokData;
    fn deref(&self) -> &TokData {
        &self.0
    }
}

#[derive(Debug)]
pub(super) struct TokData {
    /// Lowercase as written.
    pub(super) orig: String,
    /// Abbreviation expanded.
    pub(super) canon: String,
    pub(super) stem: String,
    pub(super) digit: bool,
}

impl Tok {
    pub(super) fn new(word: &str) -> Tok {
        thread_local! {
            // the language the cached words were stemmed in, and the words
            static CACHE: RefCell<(Language, FastMap<String, Tok>)> =
                RefCell::new((Language::English, FastMap::default()));
        }
        CACHE.with(|cache| {
            let (language, cache) = &mut *cache.borrow_mut();
            if *language != Language::current() {
                *language = Language::current();
                cache.clear();
            }
            if let Some(tok) = cache.get(word) {
                return tok.clone();
            }
            let tok = Tok::build(word);
            if cache.len() >= 20_000 {
                cache.clear();
            }
            cache.insert(word.to_string(), tok.clone());
            tok
        })
    }

    pub(super) fn build(word: &str) -> Tok {
        Tok(Rc::new(TokData::build(word)))
    }
}

impl TokData {
    pub(super) fn build(word: &str) -> TokData {
        let mut orig = word.to_lowercase();
        // "404s", "500s"
        if orig.len() > 1
            && orig.ends_with('s')
            && orig[..orig.len() - 1].chars().all(|c| c.is_ascii_digit())
        {
            orig.pop();
        }
        let canon = abbreviation(&orig).map_or_else(|| orig.clone(), str::to_string);
        let stem = stem(&canon);
        let digit = orig.chars().any(|c| c.is_numeric());
        TokData {
            orig,
            canon,
            stem,
            digit,
        }
    }

    pub(super) fn weak(&self) -> bool {
        is_weak(&self.orig) || is_weak(&self.canon)
    }

    pub(super) fn stop(&self) -> bool {
        is_stop(&self.orig)
    }

    pub(super) fn filler(&self) -> bool {
        is_filler_word(&self.orig) || is_filler_word(&self.canon)
    }
}

/// One written word, with its inner structure: slash alternatives, each a
/// list of parts (hyphen, underscore and camelCase pieces, original case).
#[derive(Debug)]
pub(super) struct Chunk {
    pub(super) alts: Vec<Vec<String>>,
    /// The whole word as written, for acronym tests.
    pub(super) raw: String,
}

/// Pushes the camelCase pieces of `part` ("PutObject": "Put", "Object").
pub(super) fn split_camel(part: &str, out: &mut Vec<String>) {
    let mut start = 0;
    let mut prev_lower = false;
    for (at, c) in part.char_indices() {
        if c.is_uppercase() && prev_lower && at > start {
            out.push(part[start..at].to_string());
            start = at;
        }
        prev_lower = c.is_lowercase();
    }
    if start < part.len() {
        out.push(part[start..].to_string());
    }
}

/// Splits text into words; `-`, `_` and `/` inside a word and `.` between
/// digits keep it together, any other punctuation separates.
pub(super) fn chunks(text: &str) -> Vec<Chunk> {
    let mut out = Vec::new();
    for raw in word_spans(text) {
        let raw = raw.trim_matches(['-', '_', '/', '.']);
        if raw.is_empty() {
            continue;
        }
        let simple = !raw.contains(['-', '_', '/'])
            && !raw
                .chars()
                .zip(raw.chars().skip(1))
                .any(|(a, b)| a.is_lowercase() && b.is_uppercase());
        let alts: Vec<Vec<String>> = if simple {
            vec![vec![raw.to_string()]]
        } else {
            raw.split('/')
                .filter(|a| a.chars().any(char::is_alphanumeric))
                .map(|alt| {
                    let mut parts = Vec::new();
                    for piece in alt.split(['-', '_']).filter(|p| !p.is_empty()) {
                        split_camel(piece, &mut parts);
                    }
                    parts
                })
                .filter(|parts| !parts.is_empty())
                .collect()
        };
        if !alts.is_empty() {
            out.push(Chunk {
                alts,
                raw: raw.to_string(),
            });
        }
    }
    out
}

/// The words of `text` as slices: runs of letters and digits, with `-`,
/// `_`, `/` between two of them and `.` between two digits.
pub(super) fn word_spans(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut prev: Option<char> = None;
    let mut iter = text.char_indices().peekable();
    while let Some((at, c)) = iter.next() {
        let next = iter.peek().map(|&(_, n)| n);
        let keep = c.is_alphanumeric()
            || (matches!(c, '-' | '_' | '/')
                && prev.is_some_and(char::is_alphanumeric)
                && next.is_some_and(char::is_alphanumeric))
            || (c == '.'
                && prev.is_some_and(|p| p.is_ascii_digit())
                && next.is_some_and(|n| n.is_ascii_digit()));
        if keep {
            if start.is_none() {
                start = Some(at);
            }
        } else if let Some(from) = start.take() {
            out.push(&text[from..at]);
        }
        prev = Some(c);
    }
    if let Some(from) = start {
        out.push(&text[from..]);
    }
    out
}

/// An all-caps word ("IAM", "SLIs") as a lowercase acronym.
pub(super) fn acronym_of(raw: &str) -> Option<String> {
    let core = raw.strip_suffix('s').unwrap_or(raw);
    let upper = core.chars().filter(|c| c.is_uppercase()).count();
    if upper >= 2
        && core.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
        && core.chars().next().is_some_and(char::is_alphabetic)
    {
        Some(core.to_lowercase())
    } else {
        None
    }
}
