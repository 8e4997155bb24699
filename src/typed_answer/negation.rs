//! Negation: the words a text only says in the negative, and what a
//! negation stands for.
//!
//! "Python can't do threads" names threads but says the opposite of "one
//! thread executes at a time", and "the deploy never happens" agrees with
//! "the deployment does not proceed". So each word of a text gets a
//! polarity, negated when it is the first content word after `not`, `no`,
//! `never`, `without` or an `n't` in the same clause, and a typed word only
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
    fn with(self, other: Polarity) -> Polarity {
        if self == other { self } else { Polarity::Both }
    }

    /// Whether a word said `self` way agrees with one said `other` way.
    pub(super) fn agrees(self, other: Polarity) -> bool {
        !matches!(
            (self, other),
            (Polarity::Affirmed, Polarity::Negated) | (Polarity::Negated, Polarity::Affirmed)
        )
    }
}

/// Words that negate what follows (`t` is what is left of "doesn't").
const NEGATORS: &str = "not no never without cannot t nor neither";
/// After a negator, these do not end its reach ("not only" is no negation).
const NOT_NEGATED_AFTER: &str = "only just merely matter doubt";
/// Words a negation reaches over ("does not really block").
const REACHED_OVER: &str = "longer really always necessarily quite actually even";
/// How many words a negation reaches over to find what it negates.
const REACH: usize = 3;

/// Antonyms a negation stands for: `not public` is `private`.
const ANTONYMS: &str = "public=private private=public internal=external external=internal \
    static=dynamic dynamic=static open=closed closed=open visible=hidden hidden=visible \
    enabled=disabled disabled=enabled local=remote remote=local";

pub(super) struct Negations {
    /// By stem: how each word of the text is said.
    pub(super) polarity: FastMap<String, Polarity>,
    /// The negative forms negations stand for ("connectionless", "private").
    pub(super) implied: Vec<String>,
}

/// The polarity of every word of `text`, and what its negations imply.
pub(super) fn read_negations(text: &str) -> Negations {
    let mut polarity: FastMap<String, Polarity> = FastMap::default();
    let mut implied = Vec::new();
    let mut words = 0usize;
    for clause in text.split([',', ';', ':', '.', '!', '?', '(', ')', '\n', '—', '–']) {
        // words over the reach of a pending negation, or None
        let mut pending: Option<usize> = None;
        for word in word_spans(clause) {
            words += 1;
            if words > MAX_TYPED_WORDS {
                return Negations { polarity, implied };
            }
            let lower = word.to_lowercase();
            if in_list(NEGATORS, &lower) {
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
            let said_as = if negated {
                Polarity::Negated
            } else {
                Polarity::Affirmed
            };
            // "non-blocking": what follows "non" is negated
            let mut said = said_as;
            for part in lower.split(['-', '_', '/']).filter(|p| !p.is_empty()) {
                if part == "non" {
                    said = Polarity::Negated;
                    continue;
                }
                let key = Tok::new(part).stem.clone();
                let entry = polarity.entry(key).or_insert(said);
                *entry = entry.with(said);
            }
            if negated {
                let plain: String = lower.chars().filter(|c| c.is_alphanumeric()).collect();
                implied.push(format!("{plain}less"));
                implied.push(format!("non{plain}"));
                implied.push(format!("un{plain}"));
                if let Some(opposite) = antonym(&plain) {
                    implied.push(opposite.to_string());
                }
            }
        }
    }
    Negations { polarity, implied }
}

fn antonym(word: &str) -> Option<&'static str> {
    ANTONYMS
        .split_ascii_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .find(|(from, _)| *from == word)
        .map(|(_, to)| to)
}
