//! One card merged field by field: which of the deck's and the notes'
//! versions of its question, answer and tags wins, against the last import.

use super::Field;
use crate::decks::card_identity::{Fingerprint, hash_tags, hash_text};
use crate::decks::deck::Card;
use crate::import::assemble::FoundCard;

/// The deck's and the notes' text of each field in `conflicts`.
pub(super) fn versions_in_conflict(
    conflicts: &[Field],
    deck: &Card,
    notes: &FoundCard,
) -> Vec<(Field, String, String)> {
    conflicts
        .iter()
        .map(|&field| match field {
            Field::Question => (field, deck.question.clone(), notes.question.clone()),
            Field::Answer => (field, deck.answer.clone(), notes.answer.clone()),
            Field::Tags => (field, deck.tags.join(" "), notes.tags.join(" ")),
        })
        .collect()
}

/// The fingerprint to record of a card left in conflict: the notes' text
/// of the fields not in conflict, the last import's of those that are.
pub(super) fn seen_outside_conflicts(
    base: &Fingerprint,
    conflicts: &[Field],
    card: &FoundCard,
) -> Fingerprint {
    Fingerprint {
        question: if conflicts.contains(&Field::Question) {
            base.question
        } else {
            hash_text(&card.question)
        },
        answer: if conflicts.contains(&Field::Answer) {
            base.answer
        } else {
            hash_text(&card.answer)
        },
        tags: if conflicts.contains(&Field::Tags) {
            base.tags
        } else {
            hash_tags(&card.tags)
        },
    }
}

/// One card's fields after comparing deck, notes and the last import.
pub(super) struct Outcome {
    pub(super) question: String,
    pub(super) answer: String,
    pub(super) tags: Vec<String>,
    /// Whether any field was taken from the notes and changed the deck.
    pub(super) from_notes: bool,
    pub(super) kept: Vec<Field>,
    pub(super) conflicts: Vec<Field>,
}

pub(super) fn three_way(
    deck: &Card,
    notes: &FoundCard,
    base: Option<&Fingerprint>,
    prefer_notes: bool,
) -> Outcome {
    let mut outcome = Outcome {
        question: String::new(),
        answer: String::new(),
        tags: Vec::new(),
        from_notes: false,
        kept: Vec::new(),
        conflicts: Vec::new(),
    };
    let question = pick(
        &deck.question,
        &notes.question,
        base.map(|print| print.question),
        |text: &String| hash_text(text),
    );
    let answer = pick(
        &deck.answer,
        &notes.answer,
        base.map(|print| print.answer),
        |text: &String| hash_text(text),
    );
    outcome.question = outcome.resolve(
        Field::Question,
        question,
        &deck.question,
        &notes.question,
        prefer_notes,
    );
    outcome.answer = outcome.resolve(
        Field::Answer,
        answer,
        &deck.answer,
        &notes.answer,
        prefer_notes,
    );
    outcome.tags = match base {
        Some(base) => {
            let tags = pick(
                &deck.tags,
                &notes.tags,
                Some(base.tags),
                |tags: &Vec<String>| hash_tags(tags),
            );
            outcome.resolve(Field::Tags, tags, &deck.tags, &notes.tags, prefer_notes)
        }
        // Without a record, the deck's tags and then any new ones of the
        // notes': tags are prep's labels of where a card sits, and joining
        // them loses nothing.
        None => {
            let mut tags = deck.tags.clone();
            for tag in &notes.tags {
                if !tags.contains(tag) {
                    tags.push(tag.clone());
                    outcome.from_notes = true;
                }
            }
            tags
        }
    };
    outcome
}

/// Which side of one field wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pick {
    Same,
    Notes,
    Deck,
    Conflict,
}

fn pick<T: PartialEq>(deck: &T, notes: &T, base: Option<u64>, hash: impl Fn(&T) -> u64) -> Pick {
    if deck == notes {
        return Pick::Same;
    }
    match base {
        Some(base) if hash(deck) == base => Pick::Notes,
        Some(base) if hash(notes) == base => Pick::Deck,
        _ => Pick::Conflict,
    }
}

impl Outcome {
    fn resolve<T: Clone>(
        &mut self,
        field: Field,
        pick: Pick,
        deck: &T,
        notes: &T,
        prefer_notes: bool,
    ) -> T {
        match pick {
            Pick::Same => deck.clone(),
            Pick::Notes => {
                self.from_notes = true;
                notes.clone()
            }
            Pick::Deck => {
                self.kept.push(field);
                deck.clone()
            }
            Pick::Conflict => {
                self.conflicts.push(field);
                if prefer_notes {
                    self.from_notes = true;
                    notes.clone()
                } else {
                    deck.clone()
                }
            }
        }
    }
}
