//! Comparison questions ("TCP vs UDP", "the difference between WHERE and
//! HAVING"): what the typed answer says about each side, checked against
//! what the reference says about that side.
//!
//! A bag of words cannot tell "WHERE filters rows, HAVING filters groups"
//! from the same words with the sides swapped, and an answer that says one
//! right thing about each side is the essential contrast however few words
//! it has. So for a question that compares, its *sides* are read from the
//! question (the parts around `vs`, after `difference between`, around
//! `different from`; words the sides share, like `git` in "git pull and git
//! fetch", and a head only the first side spells out, like `Encryption` in
//! "Encryption In-Transit vs At-Rest", name no side, unless a side has no
//! other: `UNION` against `UNION ALL`, which is then named by its words
//! together). Operators are sides too, also by their spoken names (`===`,
//! "triple equals"). Both texts are cut into *segments* at each mention of
//! a side, a segment running to the next mention, or to the end of the
//! paragraph or list item (the next block is about no side until it names
//! one, unless the block only named its side, as a title does); sides named
//! together ("CMD and ENTRYPOINT say ...") share one. A later clause of a
//! segment that has only another side's words may name that side another
//! way ("-p" for publish) and counts for neither.
//! Each typed segment is then *misattributed* (more of its words are only
//! in what the reference says about another side than only in what it says
//! about this one), else *supported* (some of its words are only in what
//! the reference says about this side), else *unsupported* (the reference
//! never uses its words), or neither (its words are said of every side, or
//! only in the reference's preamble). A word is taken as each text says it:
//! "UDP is less reliable" does not say of UDP that it is reliable (see
//! `negation.rs`). Most segments wrong, one on the wrong side, is Again, and
//! so is calling the sides the same with nothing right said of either; one
//! on the wrong side is at most Hard; as many unfounded as right (which may
//! be right in other words) is one grade lower. With nothing wrong, one
//! supported segment for each side alone is the contrast, at least Good;
//! one for some side is at least Hard.

use super::*;

/// Words that split the sides of a comparison.
const SIDE_BREAKS: &str = "vs versus and or";
/// Function words that tell sides apart ("only matching rows", "all rows").
const QUANTIFIERS: &str = "only all both every each none";
/// Values, not claims: `1 == '1' is true` illustrates, as numbers do.
const LITERALS: &str = "true false null nil none undefined nan";
/// What ends a clause of a segment.
const CLAUSE_BREAKS: &[char] = &[',', ';', '.', ':', '!', '?', '\n'];
/// Words that call the sides the same.
const ALIKE: &str = "same identical equivalent synonym synonyms interchangeable";
/// What the sides of "X is different from Y" are split at.
const DIFFER_CUES: &[&str] = &[
    " different from ",
    " differ from ",
    " differs from ",
    " compared to ",
    " compared with ",
    " different than ",
];

/// One name of a side: as written, lowercase, compounds joined and plurals
/// singular (see [`name_key`]), and whether the question writes it in
/// capitals ("RUN", "WHERE").
#[derive(Debug, Clone)]
struct Name {
    key: String,
    capital: bool,
}

pub(super) struct Sides {
    names: Vec<Vec<Name>>,
    /// The reference's words about each side, and how it says them ("UDP
    /// is less reliable" does not say of UDP that it is reliable).
    about: Vec<TypedIndex>,
}

/// What a typed answer says about the sides.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(super) struct SideVerdict {
    pub(super) supported: usize,
    pub(super) misattributed: usize,
    pub(super) unsupported: usize,
    /// The typed answer says the sides are the same ("they're identical",
    /// "no difference").
    pub(super) alike: bool,
    /// Every side has a supported segment of its own (not one it shares
    /// with another side).
    pub(super) each_side: bool,
}

impl SideVerdict {
    /// More wrong segments than right ones, one at least on the wrong side.
    pub(super) fn mostly_wrong(&self) -> bool {
        self.misattributed >= 1 && self.misattributed + self.unsupported > self.supported
    }

    /// No contrast drawn: nothing said of a side that the reference says of
    /// it, and either something it has no ground for or the sides called
    /// the same.
    pub(super) fn no_contrast(&self) -> bool {
        self.supported == 0 && self.alike
    }

    /// The contrast drawn: something right said of each side on its own,
    /// and nothing wrong or groundless, however few the words.
    pub(super) fn contrast(&self) -> bool {
        self.each_side && self.misattributed == 0 && self.unsupported == 0 && !self.alike
    }

    /// Something right said of a side, and nothing of the wrong one: at
    /// least part of the answer, in whatever words the rest is.
    pub(super) fn some_right(&self) -> bool {
        self.supported >= 1 && self.misattributed == 0
    }

    /// Something said of the wrong side.
    pub(super) fn partly_wrong(&self) -> bool {
        self.misattributed >= 1
    }

    /// No more said right than said without ground in the reference (which
    /// may be other words for it).
    pub(super) fn unfounded(&self) -> bool {
        self.unsupported >= 1 && self.unsupported >= self.supported
    }
}

/// A run of text about the sides it names (none: before any mention).
struct Segment {
    sides: Vec<usize>,
    words: Vec<String>,
    /// For each word, the clause of the segment it is in (0: the one that
    /// names the side; a comma, semicolon or full stop starts the next).
    clauses: Vec<usize>,
}

impl Sides {
    /// The sides of `question` as `reference_text` (plain text) treats
    /// them, or None when the question compares nothing or the reference
    /// does not name every side.
    pub(super) fn new(question: &str, reference_text: &str) -> Option<Sides> {
        let names = side_names(question)?;
        let segments = segments(reference_text, &names);
        let mut about: Vec<String> = vec![String::new(); names.len()];
        for segment in &segments {
            for &side in &segment.sides {
                about[side].push_str(&segment.words.join(" "));
                about[side].push(' ');
            }
        }
        let named_all = (0..names.len()).all(|i| segments.iter().any(|s| s.sides.contains(&i)));
        if !named_all {
            return None;
        }
        Some(Sides {
            about: about.iter().map(|text| TypedIndex::new(text)).collect(),
            names,
        })
    }

    /// How the typed answer's segments stand against the reference's;
    /// `known` holds all of the reference's words, `given` the question's.
    pub(super) fn verdict(
        &self,
        typed: &str,
        known: &TypedIndex,
        given: &FastSet<String>,
    ) -> SideVerdict {
        let mut verdict = SideVerdict {
            alike: says_alike(typed),
            ..SideVerdict::default()
        };
        let typed_polarity = read_negations(typed);
        let mut told = vec![false; self.names.len()];
        for segment in segments(typed, &self.names) {
            if segment.sides.is_empty() {
                continue;
            }
            let content: Vec<(Tok, usize)> = segment
                .words
                .iter()
                .zip(&segment.clauses)
                .map(|(w, &clause)| (Tok::new(w), clause))
                .filter(|(t, _)| {
                    (says_something(t) || in_list(QUANTIFIERS, &t.orig))
                        && !given.contains(&t.stem)
                        && !t.digit
                        && !in_list(LITERALS, &t.orig)
                })
                .collect();
            // words only the reference's text on this side has, and words
            // only another side's has, by clause
            let clauses = content.last().map_or(0, |(_, clause)| clause + 1);
            let mut counts = vec![(0, 0); clauses];
            for (tok, clause) in &content {
                let how = typed_polarity.polarity(&tok.stem);
                let says = |side: usize| self.about[side].said_as(tok, how);
                let here = segment.sides.iter().any(|&side| says(side));
                let there = (0..self.names.len())
                    .filter(|side| !segment.sides.contains(side))
                    .any(says);
                match (here, there) {
                    (true, false) => counts[*clause].0 += 1,
                    (false, true) => counts[*clause].1 += 1,
                    _ => {}
                }
            }
            // a later clause with only another side's words may be about
            // that side by a name the question does not use ("expose is
            // documentation, -p makes the port reachable"): it counts for
            // neither
            let kept = |clause: usize| clause == 0 || counts[clause].0 > 0 || counts[clause].1 == 0;
            let content: Vec<Tok> = content
                .into_iter()
                .filter(|(_, clause)| kept(*clause))
                .map(|(tok, _)| tok)
                .collect();
            if content.is_empty() {
                continue;
            }
            let (own, other) = (0..clauses)
                .filter(|&clause| kept(clause))
                .fold((0, 0), |(own, other), clause| {
                    (own + counts[clause].0, other + counts[clause].1)
                });
            if other > own {
                verdict.misattributed += 1;
            } else if own > 0 {
                verdict.supported += 1;
                if let [side] = segment.sides[..] {
                    told[side] = true;
                }
            } else if !content.iter().any(|t| known.has(t)) {
                verdict.unsupported += 1;
            }
        }
        verdict.each_side = told.iter().all(|&t| t);
        verdict
    }
}

/// Whether `typed` calls the sides of a comparison the same.
fn says_alike(typed: &str) -> bool {
    let words = plain_words(typed);
    words.iter().enumerate().any(|(at, word)| {
        in_list(ALIKE, word)
            || word == "difference" && at > 0 && in_list("no nothing", &words[at - 1])
    })
}

/// A word that can carry a claim: not a function word, filler or generic
/// verb, not a single letter.
fn says_something(tok: &Tok) -> bool {
    tok.orig.chars().count() >= 2 && !tok.stop() && !tok.filler() && !tok.weak()
}

/// The names of each side of a comparison question.
fn side_names(question: &str) -> Option<Vec<Vec<Name>>> {
    let question = question.replace(['`', '*', '"'], " ");
    let lower = question.to_ascii_lowercase();
    // a question ends at its mark ("!" of "!=" is an operator)
    let end_of = |from: usize| {
        question[from..]
            .char_indices()
            .find(|&(at, c)| {
                matches!(c, '?' | '.' | ';')
                    || c == '!' && !question[from + at + 1..].starts_with('=')
            })
            .map_or(question.len(), |(at, _)| from + at)
    };
    // ASCII lowercase keeps byte offsets
    let span = if let Some(at) = lower.find("between ") {
        let from = at + "between ".len();
        question[from..end_of(from)].to_string()
    } else if let Some((at, cue)) = DIFFER_CUES
        .iter()
        .filter_map(|cue| lower.find(cue).map(|at| (at, cue)))
        .min()
    {
        let right = at + cue.len();
        format!("{} vs {}", &question[..at], &question[right..end_of(right)])
    } else if plain_words(&lower)
        .iter()
        .any(|w| w == "vs" || w == "versus")
    {
        question[..end_of(0)].to_string()
    } else {
        return None;
    };
    let span = span.replace(',', " and ").replace(" & ", " and ");
    let mut sides: Vec<Vec<Name>> = vec![Vec::new()];
    for word in side_spans(&span) {
        if let Some(spoken) = spoken_operator(word) {
            // `===` is also "triple equals"
            if let Some(side) = sides.last_mut() {
                side.push(Name {
                    key: word.to_string(),
                    capital: false,
                });
                side.extend(spoken.iter().map(|name| Name {
                    key: name_key(&name.replace(' ', "")),
                    capital: false,
                }));
            }
            continue;
        }
        let lower = word.to_lowercase();
        let lower = lower.trim_end_matches('.');
        if in_list(SIDE_BREAKS, lower) {
            if sides.last().is_some_and(|s| !s.is_empty()) {
                sides.push(Vec::new());
            }
            continue;
        }
        let joined = name_key(lower);
        if joined.chars().count() < 2 || is_stop(&joined) && !is_capital(word) {
            continue;
        }
        if is_filler_word(&joined) {
            continue;
        }
        if let Some(side) = sides.last_mut() {
            side.push(Name {
                key: joined,
                capital: is_capital(word),
            });
        }
    }
    sides.retain(|s| !s.is_empty());
    if sides.len() < 2 {
        return None;
    }
    // a head only the first side spells out ("Encryption In-Transit vs
    // At-Rest"), a tail only the last one does ("TCP vs UDP protocols")
    let longest_but = |sides: &[Vec<Name>], skip: usize| {
        sides
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, s)| s.len())
            .max()
            .unwrap_or(0)
    };
    // (unless that leaves it named as another side is: "UNION ALL")
    let same_as_another = |sides: &[Vec<Name>], at: usize, names: &[Name]| {
        sides.iter().enumerate().any(|(i, side)| {
            i != at
                && side.len() == names.len()
                && side.iter().zip(names).all(|(a, b)| a.key == b.key)
        })
    };
    let others = longest_but(&sides, 0);
    if sides[0].len() > others {
        let extra = sides[0].len() - others;
        if !same_as_another(&sides, 0, &sides[0][extra..]) {
            sides[0].drain(..extra);
        }
    }
    let last = sides.len() - 1;
    let others = longest_but(&sides, last);
    if sides[last].len() > others && !same_as_another(&sides, last, &sides[last][..others]) {
        sides[last].truncate(others);
    }
    // words the sides share name none of them ("git", "join")
    let shared: Vec<String> = sides
        .iter()
        .flat_map(|side| side.iter().map(|n| n.key.clone()))
        .filter(|key| {
            sides
                .iter()
                .filter(|side| side.iter().any(|n| n.key == *key))
                .count()
                >= 2
        })
        .collect();
    // a side named only by words another has ("UNION" against "UNION
    // ALL") keeps its name, and the other is named by its words together
    if sides
        .iter()
        .any(|side| side.iter().all(|n| shared.contains(&n.key)))
    {
        for side in &mut sides {
            if side.len() >= 2 && side.iter().any(|n| !shared.contains(&n.key)) {
                let key: String = side.iter().map(|n| n.key.as_str()).collect();
                let capital = side.iter().all(|n| n.capital);
                *side = vec![Name { key, capital }];
            }
        }
        return Some(sides);
    }
    for side in &mut sides {
        side.retain(|n| !shared.contains(&n.key));
        // "virtual machine" is also "VM"
        if side.len() >= 2 {
            let initials: String = side.iter().filter_map(|n| n.key.chars().next()).collect();
            side.push(Name {
                key: initials,
                capital: false,
            });
        }
    }
    if sides.iter().any(|s| s.is_empty()) {
        return None;
    }
    Some(sides)
}

/// Operators compared in questions, and how answers spell them out.
const OPERATORS: &[(&str, &[&str])] = &[
    ("===", &["triple equals"]),
    ("!==", &["strict not equals"]),
    ("==", &["double equals"]),
    ("!=", &["not equals"]),
    ("&&", &["logical and", "double ampersand"]),
    ("||", &["logical or", "double pipe"]),
];

/// The spelled-out names of an operator, if `word` is one of [`OPERATORS`].
fn spoken_operator(word: &str) -> Option<&'static [&'static str]> {
    OPERATORS
        .iter()
        .find(|(op, _)| *op == word)
        .map(|(_, spoken)| *spoken)
}

/// Characters an operator is made of.
const OPERATOR_CHARS: &str = "=!<>&|+-*%^~";

/// The words of `text` ([`word_spans`]) and its operators (`==`, `&&`), in
/// text order.
fn side_spans(text: &str) -> Vec<&str> {
    let mut out = word_spans(text);
    let mut from = None;
    let mut operators = Vec::new();
    for (at, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (OPERATOR_CHARS.contains(c) && at < text.len(), from) {
            (true, None) => from = Some(at),
            (false, Some(start)) => {
                let op = &text[start..at];
                if spoken_operator(op).is_some() {
                    operators.push(op);
                }
                from = None;
            }
            _ => {}
        }
    }
    if operators.is_empty() {
        return out;
    }
    out.extend(operators);
    out.sort_by_key(|word| word.as_ptr() as usize);
    out
}

/// A word as a side's name: letters and digits only, plural made singular.
/// Not stemmed: "applies" is no mention of `git stash apply`. An operator
/// is its own name.
fn name_key(lower: &str) -> String {
    if spoken_operator(lower).is_some() {
        return lower.to_string();
    }
    let mut key: String = lower.chars().filter(|c| c.is_alphanumeric()).collect();
    let n = key.len();
    if n > 4
        && key.ends_with("es")
        && ["s", "x", "z", "ch", "sh"]
            .iter()
            .any(|e| key[..n - 2].ends_with(e))
    {
        key.truncate(n - 2);
    } else if n > 3 && key.ends_with('s') && !key.ends_with("ss") && !key.ends_with("us") {
        key.truncate(n - 1);
    }
    key
}

/// All capitals, two letters at least ("RUN", "TCP").
fn is_capital(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && word
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
}

/// `text` cut at every mention of a side.
fn segments(text: &str, names: &[Vec<Name>]) -> Vec<Segment> {
    let operators = names
        .iter()
        .flatten()
        .any(|name| spoken_operator(&name.key).is_some());
    let words: Vec<&str> = if operators {
        side_spans(text)
    } else {
        word_spans(text)
    };
    let words: Vec<&str> = words.into_iter().take(MAX_TYPED_WORDS).collect();
    let keys: Vec<String> = words.iter().map(|w| name_key(&w.to_lowercase())).collect();
    // a name the question writes in capitals, written so in this text too,
    // is only a mention in capitals ("runs" is not Docker's RUN)
    let strict: Vec<Vec<bool>> = names
        .iter()
        .map(|side| {
            side.iter()
                .map(|name| {
                    name.capital
                        && words
                            .iter()
                            .zip(&keys)
                            .any(|(w, k)| *k == name.key && is_capital(w))
                })
                .collect()
        })
        .collect();
    let mention = |key: &str, word: &str| -> Option<usize> {
        names.iter().enumerate().find_map(|(side, side_names)| {
            side_names
                .iter()
                .zip(&strict[side])
                .any(|(name, strict)| name.key == key && (!strict || is_capital(word)))
                .then_some(side)
        })
    };
    let mut out: Vec<Segment> = Vec::new();
    let mut current = Segment {
        sides: Vec::new(),
        words: Vec::new(),
        clauses: Vec::new(),
    };
    let mut said = false;
    let mut clause = 0;
    let mut last_end = 0;
    let mut at = 0;
    while at < words.len() {
        let start = words[at].as_ptr() as usize - text.as_ptr() as usize;
        let gap = &text[last_end..start];
        if gap.contains(CLAUSE_BREAKS) && gap.contains(char::is_whitespace) {
            clause += 1;
        }
        // a new block (paragraph, list item) is about no side until it
        // names one, unless the block before only named its side (a title)
        if gap.contains('\n') && said && !current.sides.is_empty() {
            out.push(std::mem::replace(
                &mut current,
                Segment {
                    sides: Vec::new(),
                    words: Vec::new(),
                    clauses: Vec::new(),
                },
            ));
            said = false;
            clause = 0;
        }
        last_end = start + words[at].len();
        // a name written as two words ("In Transit", "stateful set")
        let pair = (at + 1 < words.len())
            .then(|| {
                let joined = format!("{}{}", words[at], words[at + 1]);
                mention(&name_key(&joined.to_lowercase()), &joined)
            })
            .flatten();
        let (side, width) = match pair {
            Some(side) => (Some(side), 2),
            None => (mention(&keys[at], words[at]), 1),
        };
        if width == 2 {
            let second = words[at + 1];
            last_end = second.as_ptr() as usize - text.as_ptr() as usize + second.len();
        }
        match side {
            Some(side) if !said => {
                if !current.sides.contains(&side) {
                    current.sides.push(side);
                }
            }
            Some(side) => {
                out.push(std::mem::replace(
                    &mut current,
                    Segment {
                        sides: vec![side],
                        words: Vec::new(),
                        clauses: Vec::new(),
                    },
                ));
                said = false;
                clause = 0;
            }
            None => {
                let tok = Tok::new(words[at]);
                said |= says_something(&tok);
                current.words.push(words[at].to_string());
                current.clauses.push(clause);
            }
        }
        at += width;
    }
    out.push(current);
    out
}
