//! Negation: the words a text only says in the negative, and what a
//! negation stands for.
//!
//! "Python can't do threads" names threads but says the opposite of "one
//! thread executes at a time", and "the deploy never happens" agrees with
//! "the deployment does not proceed". So each word of a text gets a
//! polarity, negated when it is the first content word after `not`, `no`,
//! `never`, `without`, `less`, `fewer` or an `n't` in the same clause
//! ("less reliable" is no claim of being reliable), and a typed word only
//! counts for a reference word when the two are not said one way each
//! (see [`TypedIndex::has`]). A negated word also stands for its negative
//! form: `without a connection` is *connectionless*, `doesn't block` is
//! *non-blocking*, `not public` is *private*.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Polarity {
    Affirmed,
    Negated,
    Both,
}

impl Polarity {
    /// Whether a word said `self` way agrees with one said `other` way.
    pub(super) fn agrees(self, other: Polarity) -> bool {
        !matches!(
            (self, other),
            (Polarity::Affirmed, Polarity::Negated) | (Polarity::Negated, Polarity::Affirmed)
        )
    }
}

/// Whether `word` negates what follows (`t` is what is left of "doesn't").
fn is_negator(word: &str) -> bool {
    matches!(
        word,
        "not" | "no" | "never" | "without" | "cannot" | "t" | "nor" | "neither" | "less" | "fewer"
    )
}
/// After a negator, these do not end its reach ("not only" is no negation).
const NOT_NEGATED_AFTER: &str = "only just merely matter doubt";
/// Words a negation reaches over ("does not really block").
const REACHED_OVER: &str = "longer really always necessarily quite actually even";
/// What ends a clause, and the reach of a negation in it.
const CLAUSE_ENDS: &[char] = &[',', ';', ':', '.', '!', '?', '(', ')', '\n', '—', '–'];
/// How many words a negation reaches over to find what it negates.
const REACH: usize = 3;

/// Antonyms a negation stands for: `not public` is `private`.
const ANTONYMS: &str = "public=private private=public internal=external external=internal \
    static=dynamic dynamic=static open=closed closed=open visible=hidden hidden=visible \
    enabled=disabled disabled=enabled local=remote remote=local";

pub(super) struct Negations {
    /// Stems the text says in the negative, and whether it also says each
    /// plainly; any other word of the text is affirmed.
    negated: FastMap<String, bool>,
    /// The negative forms negations stand for ("connectionless", "private").
    pub(super) implied: Vec<String>,
}

impl Negations {
    pub(super) fn none() -> Negations {
        Negations {
            negated: FastMap::default(),
            implied: Vec::new(),
        }
    }

    /// How the text says the word `stem` (a word it has).
    pub(super) fn polarity(&self, stem: &str) -> Polarity {
        match self.negated.get(stem) {
            None => Polarity::Affirmed,
            Some(false) => Polarity::Negated,
            Some(true) => Polarity::Both,
        }
    }
}

/// The words `text` says in the negative, and what its negations imply.
pub(super) fn read_negations(text: &str) -> Negations {
    let mut out = Negations::none();
    let said = words_said(text, &mut out.implied);
    for &(word, negated) in &said {
        let hyphened = word.contains(['-', '_', '/']);
        if !negated && !hyphened {
            continue;
        }
        for (part, non) in word_parts(word) {
            if negated || non {
                out.negated
                    .entry(Tok::new(&part).stem.clone())
                    .or_insert(false);
            }
        }
    }
    if out.negated.is_empty() {
        return out;
    }
    mark_said_plainly(&said, &mut out.negated);
    out
}

/// Each word of `text`, and whether it is negated (a "non-" inside it
/// aside); what each negated word implies goes to `implied`.
fn words_said<'t>(text: &'t str, implied: &mut Vec<String>) -> Vec<(&'t str, bool)> {
    let mut said: Vec<(&str, bool)> = Vec::new();
    let mut lower = String::new();
    // words over the reach of a pending negation, or None
    let mut pending: Option<usize> = None;
    let mut last_end = 0;
    for word in word_spans(text).into_iter().take(MAX_TYPED_WORDS) {
        // a clause ends the reach of a negation
        let start = word.as_ptr() as usize - text.as_ptr() as usize;
        if text[last_end..start].contains(CLAUSE_ENDS) {
            pending = None;
        }
        last_end = start + word.len();
        // negators and the words a negation looks at are short
        if pending.is_none() && word.len() > 7 {
            said.push((word, false));
            continue;
        }
        lower.clear();
        lower.extend(word.chars().flat_map(char::to_lowercase));
        if is_negator(&lower) {
            pending = Some(0);
            continue;
        }
        let negated = match pending {
            // "not only"; "without making the bucket public": a generic
            // verb's object is not what is negated
            Some(_) if in_list(NOT_NEGATED_AFTER, &lower) || is_weak(&lower) => {
                pending = None;
                false
            }
            Some(skipped) if is_stop(&lower) || in_list(REACHED_OVER, &lower) => {
                pending = (skipped < REACH).then_some(skipped + 1);
                false
            }
            Some(_) => {
                pending = None;
                true
            }
            None => false,
        };
        if negated {
            let plain: String = lower.chars().filter(|c| c.is_alphanumeric()).collect();
            implied.push(format!("{plain}less"));
            implied.push(format!("non{plain}"));
            implied.push(format!("un{plain}"));
            if let Some(opposite) = antonym(&plain) {
                implied.push(opposite.to_string());
            }
        }
        said.push((word, negated));
    }
    said
}

/// The parts of a word written with `-`, `_` or `/`, lowercase, each with
/// whether it follows a "non" ("non-blocking": what follows is negated).
fn word_parts(word: &str) -> Vec<(String, bool)> {
    let mut negated = false;
    let mut out = Vec::new();
    for part in word.split(['-', '_', '/']).filter(|p| !p.is_empty()) {
        if part.eq_ignore_ascii_case("non") {
            negated = true;
        } else {
            out.push((part.to_lowercase(), negated));
        }
    }
    out
}

/// Marks which of the negated stems are said plainly too (a word starts
/// with its stem, but for a synonym's: those are looked up whole).
fn mark_said_plainly(said: &[(&str, bool)], negated_stems: &mut FastMap<String, bool>) {
    let stems: Vec<String> = negated_stems.keys().cloned().collect();
    let may_be = |word: &str| {
        stems.iter().any(|stem| {
            word.get(..stem.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(stem))
        }) || abbreviation(&word.to_lowercase()).is_some()
    };
    for &(word, negated) in said {
        if negated || !(word.contains(['-', '_', '/']) || may_be(word)) {
            continue;
        }
        for (part, non) in word_parts(word) {
            if non {
                continue;
            }
            if let Some(plain) = negated_stems.get_mut(Tok::new(&part).stem.as_str()) {
                *plain = true;
            }
        }
    }
}

fn antonym(word: &str) -> Option<&'static str> {
    ANTONYMS
        .split_ascii_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .find(|(from, _)| *from == word)
        .map(|(_, to)| to)
}
