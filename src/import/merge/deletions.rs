//! The cards deleted from a deck, as the merge meets them again in the
//! notes: a deletion in the deck kept while the notes say the same, and a
//! card deleted earlier that the notes bring back under its own id.

use foldhash::{HashMap, HashMapExt, HashSet};

use crate::decks::card_identity::Fingerprint;
use crate::decks::deck::{Card, Deck};
use crate::import::assemble::FoundCard;
use crate::import::card_matching::{self, Sides};

/// The cards the last import made that the deck no longer holds, by the
/// question and answer they were imported with: deleted in the deck (or
/// moved to another), an edit to keep while the notes say the same.
pub(super) fn deleted_in_deck<'a>(
    existing: &Deck,
    imported: &'a HashMap<String, Fingerprint>,
) -> HashMap<(u64, u64), &'a str> {
    let mut deleted = HashMap::new();
    let held: HashSet<&str> = existing.cards.iter().map(|card| card.id.as_str()).collect();
    // By id, so that of two deleted cards with the same text the same one
    // is named on every machine.
    let mut gone: Vec<(&'a String, &'a Fingerprint)> = imported
        .iter()
        .filter(|(id, _)| !held.contains(id.as_str()))
        .collect();
    gone.sort_by(|a, b| a.0.cmp(b.0));
    for (id, print) in gone {
        deleted
            .entry((print.question, print.answer))
            .or_insert(id.as_str());
    }
    deleted
}

/// For each found card, whether it is a card deleted in the deck that the
/// notes still hold as imported: the deletion is the deck's edit, kept.
pub(super) fn deleted_and_unchanged(
    found: &[FoundCard],
    matched: &[Option<usize>],
    deleted: &HashMap<(u64, u64), &str>,
) -> Vec<bool> {
    found
        .iter()
        .enumerate()
        .map(|(index, card)| {
            matched[index].is_none() && {
                let print = Fingerprint::of(&card.question, &card.answer, &card.tags);
                deleted.contains_key(&(print.question, print.answer))
            }
        })
        .collect()
}

/// For each found card, the card deleted earlier it is, if any: among the
/// found cards the deck does not hold and that are no deletion kept in the
/// deck, matched to the deleted ones by the same rules as to the deck's
/// (so a question lightly edited since still finds its card). A deleted
/// card whose id the deck uses again is not taken.
pub(super) fn deleted_coming_back(
    deleted_earlier: &[Card],
    found: &[FoundCard],
    matched: &[Option<usize>],
    stays_deleted: &[bool],
    taken: &HashSet<String>,
    imported: &HashMap<String, Fingerprint>,
) -> Vec<Option<usize>> {
    let mut came_back = vec![None; found.len()];
    // Indices into `deleted_earlier` of the cards that may come back.
    let candidates: Vec<usize> = (0..deleted_earlier.len())
        .filter(|&index| !taken.contains(&deleted_earlier[index].id))
        .collect();
    let unheld: Vec<usize> = (0..found.len())
        .filter(|&index| matched[index].is_none() && !stays_deleted[index])
        .collect();
    if candidates.is_empty() || unheld.is_empty() {
        return came_back;
    }
    let old_sides: Vec<Sides> = candidates
        .iter()
        .map(|&index| {
            let card = &deleted_earlier[index];
            Sides {
                question: &card.question,
                answer: &card.answer,
                imported: imported.get(&card.id).copied(),
                same_file: true,
            }
        })
        .collect();
    let found_sides: Vec<Sides> = unheld
        .iter()
        .map(|&index| Sides {
            question: &found[index].question,
            answer: &found[index].answer,
            imported: None,
            same_file: true,
        })
        .collect();
    let ids: Vec<Option<&str>> = unheld
        .iter()
        .map(|&index| found[index].id.as_deref())
        .collect();
    let old_ids: Vec<&str> = candidates
        .iter()
        .map(|&index| deleted_earlier[index].id.as_str())
        .collect();
    let matches = card_matching::match_cards(&old_sides, &found_sides, &ids, &old_ids);
    for (position, old) in matches.into_iter().enumerate() {
        came_back[unheld[position]] = old.map(|old| candidates[old]);
    }
    came_back
}
