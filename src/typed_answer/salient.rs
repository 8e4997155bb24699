//! Salient words, for answers with little markup: names, acronyms,
//! compounds and repeated technical words.

use super::*;

/// Up to `want` significant words or phrases of the answer's text, with
/// their position, skipping any that share a unit with `taken`.
pub(super) fn salient(
    reader: &Reader,
    taken: &HashSet<String>,
    want: usize,
    min_score: f32,
) -> Vec<(String, usize)> {
    if want == 0 {
        return Vec::new();
    }
    let sentences = sentences_of(reader);
    let capitals = Capitals::of(&sentences);
    let total_words: usize = sentences
        .iter()
        .map(|sentence| sentence.words.len())
        .sum::<usize>()
        .max(1);
    let mut tally = Tally::default();
    let mut global = 0usize;
    for sentence in &sentences {
        tally_sentence(sentence, &capitals, &mut tally, &mut global);
    }
    best_distinct(ranked(tally, total_words), taken, want, min_score)
}

/// One sentence of the answer, as words.
struct Sentence {
    words: Vec<String>,
    /// Whether it sits in an example.
    example: bool,
    /// The position of its first word.
    base: usize,
    /// Whether it is a line of a table pasted as text.
    table: bool,
}

/// The answer's sentences worth reading for salient words.
fn sentences_of(reader: &Reader) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    for block in &reader.blocks {
        // the text of a filler heading ("Example bucket policy") says nothing
        if block.heading && block.owner.is_some_and(|o| !reader.nodes[o].is_point()) {
            continue;
        }
        let (_, example, _) = chain(reader, block.owner);
        let lines: Vec<&str> = block
            .text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect();
        let table = lines.len() >= 3
            && lines
                .iter()
                .all(|l| !l.trim_end().ends_with(['.', '!', '?', ':', ';', ',']));
        let mut offset = 0;
        for sentence in split_sentences(&block.text) {
            let spaced = sentence.replace(['—', '–'], " — ");
            let words: Vec<String> = spaced.split_whitespace().map(str::to_string).collect();
            let base = block.order.saturating_add(offset);
            offset += words.len();
            let lower = sentence.to_lowercase();
            if lower.contains("interview") || lower.starts_with("this shows") {
                continue;
            }
            if !words.is_empty() {
                sentences.push(Sentence {
                    words,
                    example,
                    base,
                    table,
                });
            }
        }
    }
    sentences
}

/// How the answer capitalises its words: a word written capitalised
/// mid-sentence, or only ever capitalised, is a name.
#[derive(Default)]
struct Capitals {
    mid_sentence: HashSet<String>,
    /// How often each word is written capitalised.
    any: HashMap<String, usize>,
    lower_seen: HashSet<String>,
}

impl Capitals {
    fn of(sentences: &[Sentence]) -> Capitals {
        let mut capitals = Capitals::default();
        for sentence in sentences {
            for (i, word) in sentence.words.iter().enumerate() {
                let core = core_word(word);
                let Some(first) = core.chars().next() else {
                    continue;
                };
                let key = core.to_lowercase();
                if first.is_uppercase() {
                    *capitals.any.entry(key.clone()).or_default() += 1;
                    if i > 0 {
                        capitals.mid_sentence.insert(key);
                    }
                } else {
                    capitals.lower_seen.insert(key);
                }
            }
        }
        capitals
    }

    fn is_proper(&self, core: &str) -> bool {
        let key = core.to_lowercase();
        self.mid_sentence.contains(&key)
            || (self.any.get(&key).copied().unwrap_or(0) >= 2 && !self.lower_seen.contains(&key))
    }
}

/// Notes the names (runs of capitalised or technical words) and the
/// notable single words of one sentence; `global` counts words across
/// sentences.
fn tally_sentence(sentence: &Sentence, capitals: &Capitals, tally: &mut Tally, global: &mut usize) {
    let Sentence {
        words,
        example,
        base,
        table,
    } = sentence;
    let mut run = Run::default();
    let title_case = *table || is_title_case(words);
    for (i, word) in words.iter().enumerate() {
        let at = base
            .saturating_add(i)
            .saturating_mul(1024)
            .saturating_add(1023);
        let core = core_word(word);
        if word.starts_with(['(', '"', '“', '\'']) {
            run.close(tally, *example);
        }
        let hyphenated = core.contains('-');
        let tech = is_technical(core) && !hyphenated;
        let capital = core.chars().next().is_some_and(char::is_uppercase);
        let clause_start = run.words.is_empty() && opens_a_clause(words, i);
        let joins = tech
            || (capital
                && !hyphenated
                && !title_case
                && !clause_start
                && (i > 0 || capitals.is_proper(core)));
        let connector = core == "of"
            && !run.words.is_empty()
            && words
                .get(i + 1)
                .is_some_and(|n| core_word(n).chars().next().is_some_and(char::is_uppercase));
        if has_letter(core) && (joins || connector) {
            if run.words.is_empty() {
                run.global = *global;
                run.at = at;
            }
            run.words.push(core.to_string());
            run.tech |= tech;
        } else {
            run.close(tally, *example);
            if let Some(score) = single_word_score(core) {
                tally.note(core, score, *global, at, *example);
            }
        }
        if word.ends_with([',', ';', ':', '.', ')', '"', '”', '!', '?']) {
            run.close(tally, *example);
        }
        *global += 1;
    }
    run.close(tally, *example);
}

/// A line of Title Case Words (a table pasted as text): capitals say
/// nothing there.
fn is_title_case(words: &[String]) -> bool {
    let alphabetic: Vec<&str> = words
        .iter()
        .map(|w| core_word(w))
        .filter(|w| w.chars().next().is_some_and(char::is_alphabetic))
        .filter(|w| !is_stop(&w.to_lowercase()))
        .collect();
    let capitals = alphabetic
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    alphabetic.len() >= 4 && capitals * 10 >= alphabetic.len() * 7
}

/// "... logic locally Find mistakes early": a verb opening a new clause
/// (a table pasted as text), not a name.
fn opens_a_clause(words: &[String], i: usize) -> bool {
    i > 0
        && in_list(VERBS, &core_word(&words[i]).to_lowercase())
        && words
            .get(i + 1)
            .map(|w| core_word(w))
            .is_some_and(|w| w.chars().next().is_some_and(char::is_lowercase))
}

/// The score of a word outside any name, if it is worth noting: a
/// compound, or a long word that is no filler.
fn single_word_score(core: &str) -> Option<f32> {
    let lower = core.to_lowercase();
    if core.contains(['-', '/']) && has_letter(core) && core.len() >= 4 {
        Some(2.0)
    } else if lower.chars().count() >= 4
        && lower.chars().all(char::is_alphabetic)
        && !is_stop(&lower)
        && !is_weak(&lower)
        && !is_filler_word(&lower)
        && !is_generic(&lower)
        && !lower.ends_with("ly")
    {
        Some(1.0)
    } else {
        None
    }
}

/// The words noted, best first: repeated ones and those early in the
/// answer score more, those only in examples less.
fn ranked(tally: Tally, total_words: usize) -> Vec<Seen> {
    let mut ranked: Vec<Seen> = tally.seen.into_values().collect();
    for s in &mut ranked {
        s.score += (s.count.saturating_sub(1).min(3)) as f32;
        if s.first * 10 < total_words * 3 {
            s.score += 0.25;
        }
        if s.example_only {
            s.score *= 0.3;
        }
    }
    ranked.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.display.len().cmp(&b.display.len()))
            .then(a.first.cmp(&b.first))
    });
    ranked
}

/// Up to `want` of the ranked words scoring `min_score` or more, no two
/// (nor one and `taken`) sharing a unit, in reading order.
fn best_distinct(
    ranked: Vec<Seen>,
    taken: &HashSet<String>,
    want: usize,
    min_score: f32,
) -> Vec<(String, usize)> {
    let mut used: HashSet<String> = taken.clone();
    let mut out = Vec::new();
    for s in ranked {
        if out.len() >= want {
            break;
        }
        if s.score < min_score {
            break;
        }
        let atoms = Matcher::new(&s.display).atoms();
        if atoms.is_empty() || atoms.iter().any(|k| used.contains(k)) {
            continue;
        }
        used.extend(atoms);
        out.push((s.display, s.at));
    }
    out.sort_by_key(|(_, at)| *at);
    out
}

pub(super) struct Seen {
    pub(super) display: String,
    pub(super) score: f32,
    pub(super) count: usize,
    /// Word index in the whole text, and reading position.
    pub(super) first: usize,
    pub(super) at: usize,
    pub(super) example_only: bool,
}

#[derive(Default)]
pub(super) struct Tally {
    pub(super) seen: HashMap<String, Seen>,
}

impl Tally {
    pub(super) fn note(
        &mut self,
        display: &str,
        score: f32,
        first: usize,
        at: usize,
        example: bool,
    ) {
        let mut keys: Vec<String> = Matcher::new(display).keys().into_iter().collect();
        if keys.is_empty() {
            return;
        }
        keys.sort();
        let entry = self.seen.entry(keys.join(" ")).or_insert(Seen {
            display: display.to_string(),
            score,
            count: 0,
            first,
            at,
            example_only: true,
        });
        entry.count += 1;
        entry.score = entry.score.max(score);
        entry.example_only &= example;
    }
}

/// A run of capitalised or technical words: a name.
#[derive(Default)]
pub(super) struct Run {
    pub(super) words: Vec<String>,
    pub(super) tech: bool,
    pub(super) global: usize,
    pub(super) at: usize,
}

impl Run {
    pub(super) fn close(&mut self, tally: &mut Tally, example: bool) {
        let mut words = std::mem::take(&mut self.words);
        let tech = std::mem::take(&mut self.tech);
        let idle = |w: &String| {
            let lower = w.to_lowercase();
            is_stop(&lower) || is_filler_word(&lower) || is_generic(&lower)
        };
        while words.first().is_some_and(idle) {
            words.remove(0);
        }
        while words.last().is_some_and(idle) {
            words.pop();
        }
        if words.is_empty() || words.len() > 4 {
            return;
        }
        if words.iter().all(|w| is_weak(&w.to_lowercase())) {
            return;
        }
        let score = if tech { 2.5 } else { 2.1 } + if words.len() > 1 { 0.25 } else { 0.0 };
        tally.note(&words.join(" "), score, self.global, self.at, example);
    }
}

pub(super) fn split_sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' {
            out.push(std::mem::take(&mut current));
            continue;
        }
        current.push(c);
        let next_space = chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        let prev_digit = i > 0 && chars[i - 1].is_ascii_digit();
        if matches!(c, '.' | '!' | '?') && next_space && !prev_digit {
            out.push(std::mem::take(&mut current));
        }
    }
    out.push(current);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// A word without the punctuation around it.
pub(super) fn core_word(word: &str) -> &str {
    word.trim_matches(|c: char| !(c.is_alphanumeric()))
}

/// An acronym, a mixed-case name or a name with digits ("IRSA", "DynamoDB", "EC2").
pub(super) fn is_technical(core: &str) -> bool {
    let letters = core.chars().filter(|c| c.is_alphabetic()).count();
    if letters == 0 {
        return false;
    }
    let digits = core.chars().any(|c| c.is_ascii_digit());
    let inner_upper = core.chars().skip(1).any(char::is_uppercase);
    let all_upper = letters >= 2
        && core
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
    digits || inner_upper || all_upper
}
