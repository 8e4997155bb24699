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

mod names;

use names::{Name, is_capital, name_key, side_names, side_spans, spoken_operator};

/// Function words that tell sides apart ("only matching rows", "all rows").
const QUANTIFIERS: &str = "only all both every each none";
/// Values, not claims: `1 == '1' is true` illustrates, as numbers do.
const LITERALS: &str = "true false null nil none undefined nan";
/// What ends a clause of a segment.
const CLAUSE_BREAKS: &[char] = &[',', ';', '.', ':', '!', '?', '\n'];
/// Words that call the sides the same.
const ALIKE: &str = "same identical equivalent synonym synonyms interchangeable";
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
    let mentions = Mentions::in_text(names, &words, &keys);
    let mut out: Vec<Segment> = Vec::new();
    let mut current = Segment::about(Vec::new());
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
            out.push(std::mem::replace(&mut current, Segment::about(Vec::new())));
            said = false;
            clause = 0;
        }
        last_end = start + words[at].len();
        // a name written as two words ("In Transit", "stateful set")
        let pair = (at + 1 < words.len())
            .then(|| {
                let joined = format!("{}{}", words[at], words[at + 1]);
                mentions.side_of(&name_key(&joined.to_lowercase()), &joined)
            })
            .flatten();
        let (side, width) = match pair {
            Some(side) => (Some(side), 2),
            None => (mentions.side_of(&keys[at], words[at]), 1),
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
                out.push(std::mem::replace(&mut current, Segment::about(vec![side])));
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

impl Segment {
    /// An empty segment about `sides`.
    fn about(sides: Vec<usize>) -> Segment {
        Segment {
            sides,
            words: Vec::new(),
            clauses: Vec::new(),
        }
    }
}

/// The sides' names as one text mentions them.
struct Mentions<'a> {
    names: &'a [Vec<Name>],
    /// For each name: whether it is only a mention in capitals here. A
    /// name the question writes in capitals, written so in this text too,
    /// is only a mention in capitals ("runs" is not Docker's RUN).
    strict: Vec<Vec<bool>>,
}

impl<'a> Mentions<'a> {
    fn in_text(names: &'a [Vec<Name>], words: &[&str], keys: &[String]) -> Mentions<'a> {
        let strict = names
            .iter()
            .map(|side| {
                side.iter()
                    .map(|name| {
                        name.capital
                            && words
                                .iter()
                                .zip(keys)
                                .any(|(w, k)| *k == name.key && is_capital(w))
                    })
                    .collect()
            })
            .collect();
        Mentions { names, strict }
    }

    /// The side a word (as `key`) names, if any.
    fn side_of(&self, key: &str, word: &str) -> Option<usize> {
        self.names
            .iter()
            .enumerate()
            .find_map(|(side, side_names)| {
                side_names
                    .iter()
                    .zip(&self.strict[side])
                    .any(|(name, strict)| name.key == key && (!strict || is_capital(word)))
                    .then_some(side)
            })
    }
}
