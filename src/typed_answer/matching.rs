//! What the typed answer contains, and whether it covers one point: its
//! words (allowing typos and acronyms) or, failing that, enough of the
//! explanation under it.

use super::*;

pub(super) struct TypedIndex {
    /// Words as written and expanded, joined compounds and joined neighbours.
    pub(super) exact: FastSet<String>,
    pub(super) stems: FastSet<String>,
    /// Short letter-only words, for acronyms of a point's words.
    pub(super) short: FastSet<String>,
    /// Initials of runs of typed words, for a point's acronyms.
    pub(super) initials: FastSet<String>,
    /// Words for typo matching, by first letter: (as written, stem).
    pub(super) fuzzy: FastMap<char, Vec<(String, String)>>,
    /// How the typed words are said, and how the reference says its own,
    /// once known: a word said one way on each side does not count.
    pub(super) polarity: Negations,
    pub(super) reference: Negations,
}

/// The typed words in order, lowercase, up to [`MAX_TYPED_WORDS`]; the
/// words of a chunk written as several (a compound) are also added
/// joined to `exact` and `stems`.
fn word_sequence(
    typed: &str,
    exact: &mut FastSet<String>,
    stems: &mut FastSet<String>,
) -> Vec<String> {
    let mut sequence: Vec<String> = Vec::new();
    for chunk in chunks(typed) {
        if sequence.len() >= MAX_TYPED_WORDS {
            break;
        }
        for alt in &chunk.alts {
            let lower: Vec<String> = alt.iter().map(|p| p.to_lowercase()).collect();
            if lower.len() > 1 {
                let joined = lower.concat();
                stems.insert(stem(&joined));
                exact.insert(joined);
            }
            sequence.extend(lower);
        }
    }
    sequence
}

/// A word as written and in its canonical spelling, with their stems.
fn add_word(word: &str, exact: &mut FastSet<String>, stems: &mut FastSet<String>) {
    let tok = Tok::new(word);
    stems.insert(tok.stem.clone());
    if tok.canon != tok.orig {
        stems.insert(stem(&tok.orig));
        exact.insert(tok.canon.clone());
    }
    exact.insert(tok.orig.clone());
}

/// Initials of 3-5 consecutive content words (stop words may sit between
/// them and count or not), for a point's acronyms.
fn initials_of(sequence: &[String]) -> FastSet<String> {
    let mut initials = FastSet::default();
    let content: Vec<(usize, char)> = sequence
        .iter()
        .enumerate()
        .filter(|(_, w)| {
            w.chars().count() >= 3 && w.chars().all(char::is_alphabetic) && !is_stop(w)
        })
        .filter_map(|(i, w)| w.chars().next().map(|c| (i, c)))
        .collect();
    for start in 0..content.len() {
        let mut plain = String::new();
        let mut with_stops = String::new();
        for k in start..content.len().min(start + 5) {
            let (at, c) = content[k];
            if k > start {
                let prev = content[k - 1].0;
                if at - prev > 3 {
                    break;
                }
                for w in &sequence[prev + 1..at] {
                    if let Some(s) = w.chars().next() {
                        with_stops.push(s);
                    }
                }
            }
            plain.push(c);
            with_stops.push(c);
            if k - start >= 2 {
                initials.insert(plain.clone());
                initials.insert(with_stops.clone());
            }
        }
    }
    initials
}

impl TypedIndex {
    /// The index of a typed answer.
    pub(super) fn new(typed: &str) -> TypedIndex {
        TypedIndex::build(typed, read_negations(typed))
    }

    /// The index of a reference text, to look typed words up in (how it
    /// says them aside).
    pub(super) fn of_reference(text: &str) -> TypedIndex {
        TypedIndex::build(text, Negations::none())
    }

    fn build(typed: &str, negations: Negations) -> TypedIndex {
        let mut exact = FastSet::default();
        let mut stems = FastSet::default();
        let mut short = FastSet::default();
        let mut fuzzy: FastMap<char, Vec<(String, String)>> = FastMap::default();
        let mut seen_fuzzy = FastSet::default();
        let sequence = word_sequence(typed, &mut exact, &mut stems);
        for (i, word) in sequence.iter().enumerate() {
            add_word(word, &mut exact, &mut stems);
            if let Some(next) = sequence.get(i + 1) {
                let joined = format!("{word}{next}");
                stems.insert(stem(&joined));
                exact.insert(joined);
            }
            let letters = word.chars().all(char::is_alphabetic);
            if letters && !is_stop(word) {
                let n = word.chars().count();
                if (2..=6).contains(&n) {
                    short.insert(word.clone());
                }
                if n >= 4
                    && seen_fuzzy.insert(word.clone())
                    && let Some(first) = word.chars().next()
                {
                    fuzzy
                        .entry(first)
                        .or_default()
                        .push((word.clone(), stem(word)));
                }
            }
        }
        let initials = initials_of(&sequence);
        for word in &negations.implied {
            stems.insert(stem(word));
            exact.insert(word.clone());
        }
        TypedIndex {
            exact,
            stems,
            short,
            initials,
            fuzzy,
            polarity: negations,
            reference: Negations::none(),
        }
    }

    /// Sets how the reference says its words, from its text.
    pub(super) fn set_reference(&mut self, reference_text: &str) {
        self.reference = read_negations(reference_text);
    }

    /// Whether the typed text says the reference word `tok` (in any of its
    /// spellings, an abbreviation, a typo of it), and not the other way
    /// round from the reference.
    pub(super) fn has(&self, tok: &Tok) -> bool {
        self.said_as(tok, self.reference.polarity(&tok.stem))
    }

    /// Whether this text says `tok` (as [`TypedIndex::has`] finds it) in a
    /// way that agrees with `how` another text says it.
    pub(super) fn said_as(&self, tok: &Tok, how: Polarity) -> bool {
        let said = if self.exact.contains(&tok.orig) || self.exact.contains(&tok.canon) {
            true
        } else if tok.digit {
            false
        } else {
            self.stems.contains(&tok.stem) || self.fuzzy_has(tok) || self.part_has(tok)
        };
        said && self.polarity.polarity(&tok.stem).agrees(how)
    }

    /// Whether a part of the closed compound `tok` was typed: "lighter"
    /// for `lightweight`, "name" for `hostname` (not "state" for
    /// `stateless`, nor "blocking" for `nonblocking`).
    pub(super) fn part_has(&self, tok: &Tok) -> bool {
        let word = tok.orig.as_str();
        if word.len() < MIN_COMPOUND || !word.chars().all(|c| c.is_ascii_lowercase()) {
            return false;
        }
        let says = |part: &str| !is_stop(part) && !is_weak(part) && !is_generic(part);
        let a_word = |rest: &str| rest.len() >= MIN_PART && !in_list(DERIVATIONAL_SUFFIXES, rest);
        // the typed word (or its stem) opens the compound, a word follows
        let head = word
            .chars()
            .next()
            .and_then(|c| self.fuzzy.get(&c))
            .is_some_and(|bucket| {
                bucket.iter().any(|(typed, typed_stem)| {
                    let rest = if word.starts_with(typed.as_str()) {
                        &word[typed.len()..]
                    } else if typed_stem.len() >= MIN_PART && word.starts_with(typed_stem.as_str())
                    {
                        &word[typed_stem.len()..]
                    } else {
                        return false;
                    };
                    a_word(rest) && says(typed) && says(typed_stem)
                })
            });
        // a word opens the compound, the typed word (or its stem) ends it
        head || (MIN_HEAD..=word.len() - MIN_PART).any(|at| {
            let (first, tail) = word.split_at(at);
            (self.exact.contains(tail) || self.stems.contains(tail))
                && says(tail)
                && a_word(tail)
                && !in_list(NEGATING_PREFIXES, first)
        })
    }

    pub(super) fn fuzzy_has(&self, tok: &Tok) -> bool {
        let Some(first) = tok.orig.chars().next() else {
            return false;
        };
        let Some(bucket) = self.fuzzy.get(&first) else {
            return false;
        };
        bucket.iter().any(|(word, word_stem)| {
            close(&tok.orig, word) || close(&tok.canon, word) || close(&tok.stem, word_stem)
        })
    }
}

/// A closed compound has this many letters at least, its parts four (the
/// first of a compound may have three: "hostname").
const MIN_COMPOUND: usize = 8;
const MIN_PART: usize = 4;
const MIN_HEAD: usize = 3;
/// Endings that make a word of another rather than a compound of two.
const DERIVATIONAL_SUFFIXES: &str = "less ness able ible ment ments tion tions sion ings ship \
    ships hood ance ence ward wards wise like ably ness ities ists isms ized izes ised ises";
/// Beginnings that turn a word into its opposite.
const NEGATING_PREFIXES: &str = "non dis mis anti";

/// A likely typo of `a` (the reference word): same first letter, at least
/// five letters; one insertion, deletion or transposition; one substitution
/// too from eight letters; two edits from ten.
pub(super) fn close(a: &str, b: &str) -> bool {
    let la = a.chars().count();
    let lb = b.chars().count();
    if la < 5 || lb < 4 || la.abs_diff(lb) > 2 || a == b {
        return a == b && la >= 5;
    }
    if a.chars().next() != b.chars().next() {
        return false;
    }
    let osa = strsim::osa_distance(a, b);
    if la >= 10 {
        return osa <= 2;
    }
    if osa != 1 {
        return false;
    }
    if la >= 8 || la != lb {
        return true;
    }
    // same length, short word: only a transposition, not a substitution
    // ("roles" is not "rules")
    strsim::levenshtein(a, b) == 2
}

// ---------------------------------------------------------------------------
// Matching a point

/// One content word of a point: alternatives, each a set of tokens that must
/// all be present.
#[derive(Debug, Clone)]
pub(super) struct Unit {
    pub(super) alts: Vec<Vec<Tok>>,
    pub(super) weak: bool,
    pub(super) filler: bool,
    /// First letter, and the first letters of the stop words just before it,
    /// for acronyms of runs of words.
    pub(super) initial: char,
    pub(super) stops_before: String,
    pub(super) acronym: Option<String>,
    pub(super) key: String,
}

/// One wording of a point.
#[derive(Debug, Clone)]
pub(super) struct Phrase {
    pub(super) units: Vec<Unit>,
}

impl Phrase {
    pub(super) fn new(text: &str) -> Phrase {
        let mut units: Vec<Unit> = Vec::new();
        let mut stops = String::new();
        for chunk in chunks(text) {
            let mut alts: Vec<Vec<Tok>> = Vec::new();
            let mut initial = None;
            for alt in &chunk.alts {
                let toks: Vec<Tok> = alt.iter().map(|p| Tok::new(p)).collect();
                if initial.is_none() {
                    initial = toks.first().and_then(|t| t.orig.chars().next());
                }
                let content: Vec<Tok> = toks.iter().filter(|t| !t.stop()).cloned().collect();
                if content.is_empty() {
                    continue;
                }
                if toks.len() == 1 {
                    alts.push(content);
                } else {
                    let strong: Vec<Tok> = content.iter().filter(|t| !t.weak()).cloned().collect();
                    alts.push(if strong.is_empty() { content } else { strong });
                    let joined: String = toks.iter().map(|t| t.orig.as_str()).collect();
                    alts.push(vec![Tok::new(&joined)]);
                }
            }
            let Some(initial) = initial else {
                continue;
            };
            if alts.is_empty() {
                stops.push(initial);
                continue;
            }
            let key: String = alts[0].iter().map(|t| t.stem.as_str()).collect();
            let weak = alts.iter().all(|a| a.iter().all(|t| t.weak()));
            let filler = alts.iter().all(|a| a.iter().all(|t| t.filler()));
            if units.iter().any(|u| u.key == key) {
                stops.clear();
                continue;
            }
            units.push(Unit {
                alts,
                weak,
                filler,
                initial,
                stops_before: std::mem::take(&mut stops),
                acronym: acronym_of(&chunk.raw),
                key,
            });
        }
        Phrase { units }
    }

    /// Indices of the units that count: the non-weak ones, or all if every
    /// unit is weak.
    pub(super) fn counted(&self) -> Vec<usize> {
        let strong: Vec<usize> = (0..self.units.len())
            .filter(|&i| !self.units[i].weak)
            .collect();
        if strong.is_empty() {
            (0..self.units.len()).collect()
        } else {
            strong
        }
    }

    pub(super) fn keys(&self) -> HashSet<String> {
        self.counted()
            .into_iter()
            .map(|i| self.units[i].key.clone())
            .collect()
    }

    /// (covered, counted) units.
    pub(super) fn matched(&self, index: &TypedIndex) -> (usize, usize) {
        let units = &self.units;
        let mut hit: Vec<bool> = units
            .iter()
            .map(|u| {
                u.alts.iter().any(|alt| alt.iter().all(|t| index.has(t)))
                    || u.acronym
                        .as_ref()
                        .is_some_and(|a| a.len() >= 3 && index.initials.contains(a))
            })
            .collect();
        // neighbours written as one word ("cloud trail" / "CloudTrail")
        for i in 0..units.len().saturating_sub(1) {
            if hit[i] && hit[i + 1] {
                continue;
            }
            let joined = format!(
                "{}{}",
                units[i].alts[0][0].orig,
                units[i + 1].alts[0][0].orig
            );
            if index.exact.contains(&joined) {
                hit[i] = true;
                hit[i + 1] = true;
            }
        }
        // an acronym of a run of the point's words ("PoLP", "PR")
        for i in 0..units.len() {
            let mut plain = String::new();
            let mut with_stops = String::new();
            plain.push(units[i].initial);
            with_stops.push(units[i].initial);
            for j in i + 1..units.len().min(i + 6) {
                plain.push(units[j].initial);
                with_stops.push_str(&units[j].stops_before);
                with_stops.push(units[j].initial);
                if index.short.contains(&plain) || index.short.contains(&with_stops) {
                    for h in &mut hit[i..=j] {
                        *h = true;
                    }
                }
            }
        }
        let counted = self.counted();
        let covered = counted.iter().filter(|&&i| hit[i]).count();
        (covered, counted.len())
    }
}

/// Units needed to cover a point of `n` units: all of 1-2, else 60 % rounded up.
pub(super) fn needed(n: usize) -> usize {
    if n <= 2 { n } else { (3 * n).div_ceil(5) }
}

#[derive(Debug, Clone)]
pub(super) struct Matcher {
    /// The point's wordings; the first is the main one.
    pub(super) phrases: Vec<Phrase>,
    /// Content words of the explanation under the point, and whether each is
    /// distinctive (not used all over the answer).
    pub(super) context: Vec<(Tok, bool)>,
}

impl Matcher {
    pub(super) fn new(display: &str) -> Matcher {
        let (main, parens) = split_parens(display);
        let mut phrases: Vec<Phrase> = if main.contains(" / ") {
            main.split(" / ").map(Phrase::new).collect()
        } else {
            vec![Phrase::new(&main)]
        };
        phrases.retain(|p| !p.units.is_empty());
        if phrases.is_empty() {
            phrases.push(Phrase::new(&main));
        }
        for paren in parens.iter().filter(|p| is_alternative_paren(p)) {
            let alt = Phrase::new(paren);
            if alt.units.is_empty() {
                continue;
            }
            // an expansion of an acronym of the main text ("EFS (Elastic File System)")
            if alt.units.len() >= 2 {
                let plain: String = alt.units.iter().map(|u| u.initial).collect();
                let with_stops: String = alt
                    .units
                    .iter()
                    .enumerate()
                    .map(|(i, u)| {
                        if i == 0 {
                            u.initial.to_string()
                        } else {
                            format!("{}{}", u.stops_before, u.initial)
                        }
                    })
                    .collect();
                let expansion: Vec<Tok> = alt
                    .units
                    .iter()
                    .filter(|u| !u.weak)
                    .flat_map(|u| u.alts[0].clone())
                    .collect();
                for unit in &mut phrases[0].units {
                    let names = [unit.acronym.clone(), Some(unit.key.clone())];
                    if names
                        .iter()
                        .flatten()
                        .any(|n| *n == plain || *n == with_stops)
                    {
                        unit.alts.push(expansion.clone());
                    }
                }
            }
            phrases.push(alt);
        }
        Matcher {
            phrases,
            context: Vec::new(),
        }
    }

    /// Sets the content words of the explanation under the point, keeping
    /// those `distinctive` accepts.
    pub(super) fn set_context(&mut self, context: &str, distinctive: impl Fn(&str) -> bool) {
        let own: HashSet<&str> = self
            .phrases
            .iter()
            .flat_map(|p| p.units.iter())
            .flat_map(|u| u.alts.iter().flatten())
            .map(|t| t.stem.as_str())
            .collect();
        let mut seen = HashSet::new();
        let mut context_toks = Vec::new();
        'all: for chunk in chunks(context) {
            for alt in &chunk.alts {
                for part in alt {
                    if context_toks.len() >= 24 {
                        break 'all;
                    }
                    let tok = Tok::new(part);
                    if tok.stop()
                        || tok.weak()
                        || tok.filler()
                        || is_generic(&tok.orig)
                        || is_stop(&tok.stem)
                        || is_weak(&tok.stem)
                        || tok.orig.chars().count() < 2
                        || own.contains(tok.stem.as_str())
                        || !seen.insert(tok.stem.clone())
                    {
                        continue;
                    }
                    let distinct = distinctive(&tok.stem);
                    context_toks.push((tok, distinct));
                }
            }
        }
        self.context = context_toks;
    }

    pub(super) fn is_empty(&self) -> bool {
        self.phrases.iter().all(|p| p.units.is_empty())
    }

    pub(super) fn keys(&self) -> HashSet<String> {
        self.phrases.first().map(Phrase::keys).unwrap_or_default()
    }

    /// Every stem and spelling in any wording, for overlap tests.
    pub(super) fn atoms(&self) -> HashSet<String> {
        let mut out = HashSet::new();
        for phrase in &self.phrases {
            for unit in phrase.units.iter().filter(|u| !u.weak) {
                for tok in unit.alts.iter().flatten() {
                    out.insert(tok.stem.clone());
                    out.insert(tok.orig.clone());
                }
            }
        }
        out
    }

    pub(super) fn covered(&self, index: &TypedIndex) -> bool {
        let mut main = (0, 0);
        for (i, phrase) in self.phrases.iter().enumerate() {
            let (covered, counted) = phrase.matched(index);
            if i == 0 {
                main = (covered, counted);
            }
            if counted > 0 && covered >= needed(counted) {
                return true;
            }
        }
        // explained rather than named: the text under the point
        let (covered, _) = main;
        if self.context.is_empty() {
            return false;
        }
        let hits: Vec<(bool, bool)> = self
            .context
            .iter()
            .map(|(t, distinct)| (index.has(t), *distinct))
            .collect();
        if covered >= 1 {
            // partly named: 40 % of the explanation, at least two words
            let found = hits.iter().filter(|(hit, _)| *hit).count();
            found >= 2 && 5 * found >= 2 * hits.len()
        } else {
            // not named at all: half of the explanation's own words (not
            // those used all over the answer), at least three
            let total = hits.iter().filter(|(_, distinct)| *distinct).count();
            let found = hits
                .iter()
                .filter(|(hit, distinct)| *hit && *distinct)
                .count();
            found >= 3 && 2 * found >= total
        }
    }
}
