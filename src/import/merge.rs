/*!
Merging freshly imported cards into a deck that may already exist.

Review history is keyed by card id, so re-importing must keep ids: a card
whose question is the same (or only lightly edited) keeps its id; a new
question gets a new one. Cards that came from the same file but are gone
from it are kept unless the user asks to prune them, and cards from
elsewhere (typed into the YAML by hand, imported from another file) are
never touched.
*/

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::assemble::FoundCard;
use crate::deck::{Card, Deck};

/// Questions at least this similar (0..1, after normalising case, spacing
/// and punctuation) are the same card, lightly edited.
const SAME_CARD: f64 = 0.8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CardStatus {
    Added,
    Updated,
    Unchanged,
}

#[derive(Debug, Clone, Default)]
pub struct Merged {
    pub deck: Deck,
    /// The status of each found card, in the order found.
    pub statuses: Vec<(String, CardStatus)>,
    /// Cards from this file that it no longer holds: (id, question).
    pub removed: Vec<(String, String)>,
}

/// A question reduced to its words, for matching.
pub fn normalize(question: &str) -> String {
    question
        .split(|ch: char| !ch.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A new card id: 12 hex digits of a hash of the deck and the question,
/// so that importing the same notes on two machines gives the same ids.
pub fn new_id(deck: &str, question: &str, taken: &HashSet<String>) -> String {
    let base = format!("{deck}\n{}", normalize(question));
    let mut attempt = 0u32;
    loop {
        let seed = if attempt == 0 {
            base.clone()
        } else {
            format!("{base}\n{attempt}")
        };
        let id = format!("{:012x}", fnv1a(seed.as_bytes()) >> 16);
        if !taken.contains(&id) {
            return id;
        }
        attempt += 1;
    }
}

/// FNV-1a, 64 bits: stable across Rust versions and platforms, unlike the
/// standard library's hasher.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Whether two questions of these lengths (in characters) could be
/// [`SAME_CARD`]-similar: an edit distance is at least the difference of
/// the lengths.
fn lengths_allow(a: usize, b: usize) -> bool {
    let longest = a.max(b);
    longest == 0 || 1.0 - a.abs_diff(b) as f64 / longest as f64 >= SAME_CARD
}

pub fn merge(
    existing: &Deck,
    deck_name: &str,
    file_label: &str,
    title: Option<String>,
    found: Vec<FoundCard>,
    prune: bool,
) -> Merged {
    let from_file = |card: &Card| card.source_file() == Some(file_label);
    let mut taken: HashSet<String> = existing.cards.iter().map(|card| card.id.clone()).collect();
    let mut matched: Vec<Option<usize>> = vec![None; found.len()];
    let mut used = vec![false; existing.cards.len()];

    // Cards that name their id (read back from Anki) first.
    let by_id: HashMap<&str, usize> = existing
        .cards
        .iter()
        .enumerate()
        .map(|(index, card)| (card.id.as_str(), index))
        .collect();
    for (index, card) in found.iter().enumerate() {
        if let Some(&old) = card.id.as_deref().and_then(|id| by_id.get(id))
            && !used[old]
        {
            used[old] = true;
            matched[index] = Some(old);
        }
    }
    // Then exact questions, preferring cards from the same file.
    let mut by_question: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, card) in existing.cards.iter().enumerate() {
        by_question
            .entry(normalize(&card.question))
            .or_default()
            .push(index);
    }
    for (index, card) in found.iter().enumerate() {
        if matched[index].is_some() {
            continue;
        }
        if let Some(candidates) = by_question.get(&normalize(&card.question)) {
            let pick = candidates
                .iter()
                .copied()
                .filter(|&c| !used[c])
                // The first of equals, so that a question asked twice keeps
                // each copy's id (and history) from one import to the next.
                .max_by_key(|&c| (from_file(&existing.cards[c]), std::cmp::Reverse(c)));
            if let Some(pick) = pick {
                used[pick] = true;
                matched[index] = Some(pick);
            }
        }
    }
    // Then light edits, among the remaining cards of the same file. Only
    // cards left unmatched on both sides are compared, and only pairs whose
    // lengths allow the similarity asked for, so that re-importing a large
    // document with a few edits stays fast.
    let mut left: Vec<(usize, String)> = existing
        .cards
        .iter()
        .enumerate()
        .filter(|&(c, old)| !used[c] && from_file(old))
        .map(|(c, old)| (c, normalize(&old.question)))
        .collect();
    for (index, card) in found.iter().enumerate() {
        if matched[index].is_some() || left.is_empty() {
            continue;
        }
        let question = normalize(&card.question);
        let length = question.chars().count();
        let best = left
            .iter()
            .enumerate()
            .filter(|(_, (_, old))| lengths_allow(length, old.chars().count()))
            .map(|(at, (_, old))| (at, strsim::normalized_levenshtein(&question, old)))
            .filter(|&(_, similarity)| similarity >= SAME_CARD)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((at, _)) = best {
            let (pick, _) = left.remove(at);
            used[pick] = true;
            matched[index] = Some(pick);
        }
    }

    let source = |card: &FoundCard| Some(format!("{file_label}:{}", card.line));
    let mut statuses = Vec::with_capacity(found.len());
    let mut imported: Vec<Card> = Vec::with_capacity(found.len());
    for (index, card) in found.into_iter().enumerate() {
        let (id, status) = match matched[index] {
            Some(old) => {
                let old = &existing.cards[old];
                let same = old.question == card.question
                    && old.answer == card.answer
                    && old.tags == card.tags
                    && old.source == source(&card);
                (
                    old.id.clone(),
                    if same {
                        CardStatus::Unchanged
                    } else {
                        CardStatus::Updated
                    },
                )
            }
            None => {
                let id = match &card.id {
                    Some(id) if !taken.contains(id) => id.clone(),
                    _ => new_id(deck_name, &card.question, &taken),
                };
                taken.insert(id.clone());
                (id, CardStatus::Added)
            }
        };
        statuses.push((id.clone(), status));
        let source = source(&card);
        imported.push(Card {
            id,
            question: card.question,
            answer: card.answer,
            tags: card.tags,
            source,
        });
    }

    // The file's cards take the place of its first old card; the rest of
    // the deck keeps its order.
    let mut removed = Vec::new();
    let mut cards = Vec::with_capacity(existing.cards.len() + imported.len());
    let mut placed = false;
    let mut kept_removed = Vec::new();
    for (index, card) in existing.cards.iter().enumerate() {
        let ours = from_file(card) || used[index];
        if !ours {
            cards.push(card.clone());
            continue;
        }
        if !placed {
            cards.append(&mut imported);
            placed = true;
        }
        if !used[index] {
            removed.push((card.id.clone(), card.question.clone()));
            if !prune {
                kept_removed.push(card.clone());
            }
        }
    }
    if !placed {
        cards.append(&mut imported);
    }
    // Cards gone from the file stay right after the file's cards.
    let insert_at = cards
        .iter()
        .rposition(|card| card.source_file() == Some(file_label))
        .map_or(cards.len(), |at| at + 1);
    cards.splice(insert_at..insert_at, kept_removed);

    let title = title.or_else(|| existing.title.clone());
    Merged {
        deck: Deck { title, cards },
        statuses,
        removed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(question: &str, answer: &str, line: usize) -> FoundCard {
        FoundCard {
            question: question.into(),
            answer: answer.into(),
            tags: Vec::new(),
            line,
            id: None,
        }
    }

    #[test]
    fn a_question_asked_twice_keeps_both_ids_on_reimport() {
        let notes = || {
            vec![
                found("What is X?", "First answer.", 3),
                found("What is X?", "Second answer.", 7),
            ]
        };
        let first = merge(&Deck::default(), "d", "n.md", None, notes(), false);
        let again = merge(&first.deck, "d", "n.md", None, notes(), false);
        assert!(
            again
                .statuses
                .iter()
                .all(|(_, s)| *s == CardStatus::Unchanged)
        );
        assert_eq!(again.deck, first.deck);
    }

    #[test]
    fn reimport_keeps_ids_and_reports_changes() {
        let first = merge(
            &Deck::default(),
            "d",
            "n.md",
            None,
            vec![found("What is X?", "X.", 1), found("What is Y?", "Y.", 3)],
            false,
        );
        assert!(first.statuses.iter().all(|(_, s)| *s == CardStatus::Added));
        let again = merge(
            &first.deck,
            "d",
            "n.md",
            None,
            vec![found("What is X?", "X.", 1), found("What is Y?", "Y.", 3)],
            false,
        );
        assert!(
            again
                .statuses
                .iter()
                .all(|(_, s)| *s == CardStatus::Unchanged)
        );
        assert_eq!(again.deck, first.deck);

        // A light edit keeps the id; a removed question is kept and reported.
        let edited = merge(
            &first.deck,
            "d",
            "n.md",
            None,
            vec![found("What is X ?!", "X!", 1)],
            false,
        );
        assert_eq!(
            edited.statuses[0],
            (first.deck.cards[0].id.clone(), CardStatus::Updated)
        );
        assert_eq!(edited.removed.len(), 1);
        assert_eq!(edited.deck.cards.len(), 2);
        let pruned = merge(
            &first.deck,
            "d",
            "n.md",
            None,
            vec![found("What is X ?!", "X!", 1)],
            true,
        );
        assert_eq!(pruned.deck.cards.len(), 1);
    }

    #[test]
    fn hand_written_cards_are_kept() {
        let mut deck = merge(
            &Deck::default(),
            "d",
            "n.md",
            None,
            vec![found("What is X?", "X.", 1)],
            false,
        )
        .deck;
        deck.cards.push(Card {
            id: "mine".into(),
            question: "Mine?".into(),
            answer: "Yes.".into(),
            tags: vec![],
            source: None,
        });
        let again = merge(
            &deck,
            "d",
            "n.md",
            None,
            vec![found("What is X?", "X.", 1), found("New?", "N.", 5)],
            true,
        );
        assert!(again.deck.card("mine").is_some());
        assert_eq!(again.deck.cards.len(), 3);
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        let taken = HashSet::new();
        assert_eq!(
            new_id("aws", "What is S3?", &taken),
            new_id("aws", "what is  S3", &taken)
        );
        assert_ne!(
            new_id("aws", "What is S3?", &taken),
            new_id("gcp", "What is S3?", &taken)
        );
        let id = new_id("aws", "Q", &taken);
        assert_eq!(id.len(), 12);
        let taken: HashSet<String> = [id.clone()].into();
        assert_ne!(new_id("aws", "Q", &taken), id);
    }
}
