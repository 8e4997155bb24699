//! The words a typed answer gets for free: the question's own, the names
//! built on them, and the spelled-out form of the question's acronyms.
//!
//! Saying the subject back ("the GIL is the global interpreter lock",
//! "something in Node.js that handles events") answers nothing, so these
//! words are neither evidence for a typed answer nor points it must make.
//! Beyond the question's words themselves that means the reference's names
//! that end with one of them (`CPython` for "Python", `subprocess` for
//! "process"), and the words an acronym of the question stands for where
//! the reference spells it out next to it (`Global Interpreter Lock (GIL)`,
//! `TCP (transmission control protocol)`).

use super::*;

/// A spelled-out acronym sits at most this many words from the acronym.
const EXPANSION_REACH: usize = 3;
/// A question word is the end of a longer name from this many letters.
const MIN_HEAD_LETTERS: usize = 4;

/// Stems of the words `question` gives away for `answer_text`.
pub(super) fn given_stems(question: &str, answer_text: &str) -> FastSet<String> {
    let mut given: FastSet<String> = FastSet::default();
    let mut acronyms: Vec<String> = Vec::new();
    for chunk in chunks(question) {
        if let Some(acronym) = acronym_of(&chunk.raw)
            && (2..=6).contains(&acronym.len())
        {
            acronyms.push(acronym);
        }
        for alt in &chunk.alts {
            for part in alt {
                let tok = Tok::new(part);
                let light = tok.weak() || is_generic(&tok.orig);
                if tok.orig.chars().count() >= 2 && !tok.stop() && !tok.filler() && !light {
                    given.insert(tok.stem.clone());
                    given.insert(stem(&tok.orig));
                }
            }
            if alt.len() > 1 {
                let joined: String = alt.iter().map(|p| p.to_lowercase()).collect();
                given.insert(stem(&joined));
            }
        }
    }
    let heads: Vec<String> = given
        .iter()
        .filter(|s| s.chars().count() >= MIN_HEAD_LETTERS && s.chars().all(char::is_alphabetic))
        .cloned()
        .collect();
    let words: Vec<&str> = word_spans(answer_text)
        .into_iter()
        .take(MAX_TYPED_WORDS)
        .collect();
    // names ending with a question word: "CPython"
    for word in &words {
        let ends_with_head = word.bytes().all(|b| b.is_ascii_alphabetic())
            && heads.iter().any(|h| {
                word.len() > h.len() && word[word.len() - h.len()..].eq_ignore_ascii_case(h)
            });
        if ends_with_head {
            given.insert(Tok::new(&word.to_ascii_lowercase()).stem.clone());
        }
    }
    for acronym in &acronyms {
        for (at, _) in words
            .iter()
            .enumerate()
            .filter(|(_, w)| w.eq_ignore_ascii_case(acronym))
        {
            for stems in spelled_out(&words, at, acronym) {
                given.extend(stems);
            }
        }
    }
    given
}

/// The stems of runs of words near position `at` whose initials spell
/// `acronym` (function words between them may count or not).
fn spelled_out(words: &[&str], at: usize, acronym: &str) -> Vec<Vec<String>> {
    let letters: Vec<char> = acronym.chars().collect();
    let from = at.saturating_sub(EXPANSION_REACH + 2 * letters.len());
    let to = (at + EXPANSION_REACH + 2 * letters.len() + 1).min(words.len());
    let mut found = Vec::new();
    for start in from..to {
        if start == at {
            continue;
        }
        let mut matched = 0;
        let mut stems = Vec::new();
        let mut i = start;
        while i < to && matched < letters.len() && i != at {
            let word = words[i].to_lowercase();
            let word = word.as_str();
            let initial = word.chars().next();
            if initial == Some(letters[matched]) {
                matched += 1;
                if !is_stop(word) {
                    stems.push(Tok::new(word).stem.clone());
                }
            } else if !is_stop(word) {
                break;
            }
            i += 1;
        }
        let end = i;
        let near = end + EXPANSION_REACH >= at && start <= at + EXPANSION_REACH + 1;
        if matched == letters.len() && near && !stems.is_empty() {
            found.push(stems);
        }
    }
    found
}
