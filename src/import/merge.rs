/*!
Merging freshly imported cards into a deck that may already exist, three
ways: the notes now, the deck now, and the notes as last imported (the
deck's [`ImportRecord`]).

Per card and per field (question, answer, tags): what changed only in the
notes is taken from the notes; what changed only in the deck is the user's
edit and is kept; what changed in both is a conflict, and the deck's
version is kept (the notes' with `from_notes`) and reported, so nothing
either side holds is lost without a word. A card whose import is not on
record (a deck typed by hand, or written by an earlier prep) has no third
version, so any difference is a conflict; its tags, which prep makes from
the notes' sections, are joined rather than fought over.

Which old card a found card is comes from [`card_matching`](super::card_matching).
Cards that came from the same file but are gone from it are kept unless
the user asks to prune them, and cards from elsewhere (typed into the
YAML, imported from another file) are never touched.
*/

use foldhash::{HashMap, HashMapExt, HashSet};

use serde::Serialize;

use super::assemble::FoundCard;
use super::card_matching::{self, Sides};
use crate::decks::card_identity::{Fingerprint, new_id};
use crate::decks::deck::{Card, Deck};
use crate::decks::import_record::Reported;

mod deletions;
mod fields;

use deletions::{deleted_and_unchanged, deleted_coming_back, deleted_in_deck};
use fields::{Outcome, seen_outside_conflicts, three_way, versions_in_conflict};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CardStatus {
    Added,
    /// Changed from the notes (an edit in the deck may be kept beside it).
    Updated,
    Unchanged,
    /// The notes did not change; an edit made in the deck was kept.
    Kept,
    /// Changed in the notes and in the deck; the deck's version was kept,
    /// or the notes' with `from_notes`.
    Conflict,
}

/// A card field, for reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Question,
    Answer,
    Tags,
}

impl Field {
    pub fn name(self) -> &'static str {
        match self {
            Field::Question => "question",
            Field::Answer => "answer",
            Field::Tags => "tags",
        }
    }
}

/// A card whose deck version and notes version were both looked at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reconciled {
    pub id: String,
    /// The line of the question in the notes.
    pub notes_line: usize,
    /// Fields edited in the deck and kept.
    pub kept: Vec<Field>,
    /// Fields changed on both sides.
    pub conflicts: Vec<Field>,
    /// Whether the conflicts were settled in this import (`--from-notes`
    /// or `--from-deck`, for every card or for this one).
    pub settled: bool,
    /// For each field in conflict: the deck's text and the notes' (tags
    /// joined by spaces), for the report to show what differs.
    pub versions: Vec<(Field, String, String)>,
}

/// What an import of one notes file into one deck is asked to do.
pub struct MergeInput<'a> {
    pub existing: &'a Deck,
    /// The fields of each card as last imported, by id.
    pub imported: &'a HashMap<String, Fingerprint>,
    /// The deck edits the last import reported as kept, by id: an edit
    /// still the same is not reported again.
    pub reported: &'a HashMap<String, Reported>,
    pub deck_name: &'a str,
    /// The notes file's name, as cards' `source` fields carry it.
    pub file_label: &'a str,
    pub title: Option<String>,
    pub found: Vec<FoundCard>,
    pub prune: bool,
    /// What to do with a field changed on both sides.
    pub conflicts: Resolve,
    /// The cards `conflicts` settles, by id or unique prefix; every card
    /// when empty. The others' conflicts are reported.
    pub settle_only: &'a [String],
    /// The cards deleted from this deck and kept (`deleted/DECK.cards.yaml`):
    /// one the notes hold again comes back under its own id.
    pub deleted_earlier: &'a [Card],
}

/// How a field changed in both the notes and the deck is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Resolve {
    /// Keep the deck's version and report the conflict; it stays a
    /// conflict, import after import, until settled.
    #[default]
    Report,
    /// Take the notes' version.
    FromNotes,
    /// Keep the deck's version, and record the notes' as seen.
    FromDeck,
}

#[derive(Debug, Clone, Default)]
pub struct Merged {
    pub deck: Deck,
    /// The status of each found card, in the order found.
    pub statuses: Vec<(String, CardStatus)>,
    /// Cards from this file that it no longer holds: (id, question).
    pub removed: Vec<(String, String)>,
    /// Cards with a kept edit or a conflict, in the order found.
    pub decisions: Vec<Reconciled>,
    /// The fields as imported now, for every card the notes hold, to
    /// record for the next import.
    pub imported: HashMap<String, Fingerprint>,
    /// Cards deleted from the deck since the last import whose notes did
    /// not change: (id, question). They stay deleted; the deletion is the
    /// deck's edit, kept as any other. Those reported by the last import
    /// are not listed again.
    pub left_deleted: Vec<(String, String)>,
    /// The deck edits of this file's cards kept now (reported now or
    /// before), by id, to record for the next import.
    pub reported: HashMap<String, Reported>,
    /// With `prune`: the cards removed, whole, to be kept elsewhere.
    pub pruned: Vec<Card>,
    /// Cards deleted earlier (of [`MergeInput::deleted_earlier`]) that the
    /// notes hold again, back under their own ids: (id, question).
    pub restored: Vec<(String, String)>,
}

/// Merges without an import record or conflicts to resolve: a first
/// import, or a benchmark of one.
pub fn merge(
    existing: &Deck,
    deck_name: &str,
    file_label: &str,
    title: Option<String>,
    found: Vec<FoundCard>,
    prune: bool,
) -> Merged {
    merge_three_way(MergeInput {
        existing,
        imported: &HashMap::new(),
        reported: &HashMap::new(),
        deck_name,
        file_label,
        title,
        found,
        prune,
        conflicts: Resolve::Report,
        settle_only: &[],
        deleted_earlier: &[],
    })
}

pub fn merge_three_way(input: MergeInput) -> Merged {
    let MergeInput {
        existing,
        imported,
        reported,
        deck_name,
        file_label,
        title,
        found,
        prune,
        conflicts: resolve_asked,
        settle_only,
        deleted_earlier,
    } = input;
    let matched = match_to_deck(existing, imported, file_label, &found);
    let deleted = deleted_in_deck(existing, imported);
    let stays_deleted = deleted_and_unchanged(&found, &matched, &deleted);
    let taken: HashSet<String> = existing.cards.iter().map(|card| card.id.clone()).collect();
    let came_back = deleted_coming_back(
        deleted_earlier,
        &found,
        &matched,
        &stays_deleted,
        &taken,
        imported,
    );
    let mut merging = FileMerge {
        existing,
        imported,
        reported,
        deck_name,
        file_label,
        resolve_asked,
        settle_only,
        deleted_earlier,
        taken,
        statuses: Vec::with_capacity(found.len()),
        decisions: Vec::new(),
        now_imported: HashMap::with_capacity(found.len()),
        now_reported: HashMap::new(),
        restored: Vec::new(),
        left_deleted: Vec::new(),
    };
    let cards_of_file = merging.merge_found(found, &matched, &stays_deleted, &came_back, &deleted);
    let Placed {
        mut cards,
        removed,
        kept_removed,
        pruned,
    } = place_file_cards(existing, cards_of_file, &matched, prune, file_label);
    merging.keep_removed(&mut cards, kept_removed);

    let title = title.or_else(|| existing.title.clone());
    // A deck-wide `reverse` is the deck's: no notes say it.
    let mut deck = Deck::new(title, cards);
    deck.reverse = existing.reverse;
    Merged {
        deck,
        statuses: merging.statuses,
        removed,
        decisions: merging.decisions,
        imported: merging.now_imported,
        left_deleted: merging.left_deleted,
        reported: merging.now_reported,
        pruned,
        restored: merging.restored,
    }
}

/// For each found card, the deck's card it is, if any.
fn match_to_deck(
    existing: &Deck,
    imported: &HashMap<String, Fingerprint>,
    file_label: &str,
    found: &[FoundCard],
) -> Vec<Option<usize>> {
    let old_sides: Vec<Sides> = existing
        .cards
        .iter()
        .map(|card| Sides {
            question: &card.question,
            answer: &card.answer,
            imported: imported.get(&card.id).copied(),
            same_file: card.source_file() == Some(file_label),
        })
        .collect();
    let found_sides: Vec<Sides> = found
        .iter()
        .map(|card| Sides {
            question: &card.question,
            answer: &card.answer,
            imported: None,
            same_file: true,
        })
        .collect();
    let found_ids: Vec<Option<&str>> = found.iter().map(|card| card.id.as_deref()).collect();
    let old_ids: Vec<&str> = existing.cards.iter().map(|card| card.id.as_str()).collect();
    card_matching::match_cards(&old_sides, &found_sides, &found_ids, &old_ids)
}

/// One file's merge under way: what it was asked, and what it has found
/// so far about the cards merged.
struct FileMerge<'a> {
    existing: &'a Deck,
    imported: &'a HashMap<String, Fingerprint>,
    reported: &'a HashMap<String, Reported>,
    deck_name: &'a str,
    file_label: &'a str,
    resolve_asked: Resolve,
    settle_only: &'a [String],
    deleted_earlier: &'a [Card],
    /// The ids the deck uses, and those given to new cards so far.
    taken: HashSet<String>,
    statuses: Vec<(String, CardStatus)>,
    decisions: Vec<Reconciled>,
    now_imported: HashMap<String, Fingerprint>,
    now_reported: HashMap<String, Reported>,
    restored: Vec<(String, String)>,
    left_deleted: Vec<(String, String)>,
}

impl FileMerge<'_> {
    fn is_from_file(&self, card: &Card) -> bool {
        card.source_file() == Some(self.file_label)
    }

    fn source(&self, card: &FoundCard) -> Option<String> {
        Some(format!("{}:{}", self.file_label, card.line))
    }

    /// How this card's conflicts are settled: as asked, if the card is
    /// among those to settle, else reported.
    fn resolve_for(&self, id: &str) -> Resolve {
        let settles = self.settle_only.is_empty()
            || self
                .settle_only
                .iter()
                .any(|wanted| id.starts_with(wanted.as_str()));
        if settles {
            self.resolve_asked
        } else {
            Resolve::Report
        }
    }

    /// Merges each found card: a deletion kept in the deck, a card the
    /// deck holds, or one it does not. The cards of the file, in the order
    /// found.
    fn merge_found(
        &mut self,
        found: Vec<FoundCard>,
        matched: &[Option<usize>],
        stays_deleted: &[bool],
        came_back: &[Option<usize>],
        deleted: &HashMap<(u64, u64), &str>,
    ) -> Vec<Card> {
        let mut cards_of_file: Vec<Card> = Vec::with_capacity(found.len());
        for (index, card) in found.into_iter().enumerate() {
            let fingerprint = Fingerprint::of(&card.question, &card.answer, &card.tags);
            if stays_deleted[index]
                && let Some(id) = deleted.get(&(fingerprint.question, fingerprint.answer))
            {
                self.leave_deleted(id, card.question);
                continue;
            }
            let (merged, status, fingerprint) = match matched[index] {
                Some(old) => self.merge_held(&self.existing.cards[old], card, fingerprint),
                None => self.add(card, came_back[index], fingerprint),
            };
            self.statuses.push((merged.id.clone(), status));
            if let Some(fingerprint) = fingerprint {
                self.now_imported.insert(merged.id.clone(), fingerprint);
            }
            cards_of_file.push(merged);
        }
        cards_of_file
    }

    /// Cards gone from the file stay right after the file's cards, with
    /// their record, so that they are still known if they come back.
    fn keep_removed(&mut self, cards: &mut Vec<Card>, kept_removed: Vec<Card>) {
        for card in &kept_removed {
            if let Some(print) = self.imported.get(&card.id) {
                self.now_imported.insert(card.id.clone(), *print);
            }
        }
        let insert_at = cards
            .iter()
            .rposition(|card| card.source_file() == Some(self.file_label))
            .map_or(cards.len(), |at| at + 1);
        cards.splice(insert_at..insert_at, kept_removed);
    }

    /// A found card that is a deletion kept in the deck.
    fn leave_deleted(&mut self, id: &str, question: String) {
        // Recorded still, so that it stays deleted import after import.
        self.now_imported.insert(id.to_string(), self.imported[id]);
        if self.reported.get(id) != Some(&Reported::Deletion) {
            self.left_deleted.push((id.to_string(), question));
        }
        self.now_reported.insert(id.to_string(), Reported::Deletion);
    }

    /// A found card the deck holds as `old`: the two merged field by
    /// field, with the status, and the fingerprint to record (if any).
    fn merge_held(
        &mut self,
        old: &Card,
        card: FoundCard,
        fingerprint: Fingerprint,
    ) -> (Card, CardStatus, Option<Fingerprint>) {
        let mut fingerprint = Some(fingerprint);
        let resolve = self.resolve_for(&old.id);
        let base = self.imported.get(&old.id);
        let mut outcome = three_way(old, &card, base, resolve == Resolve::FromNotes);
        let keeps_an_edit = !outcome.kept.is_empty();
        if keeps_an_edit
            && self.reported.get(&old.id)
                == Some(&Reported::Edit(
                    Fingerprint::of(&old.question, &old.answer, &old.tags).digest(),
                ))
        {
            // Reported when first kept; the deck has not changed
            // since.
            outcome.kept.clear();
        }
        let settled = resolve != Resolve::Report && !outcome.conflicts.is_empty();
        if resolve == Resolve::FromDeck {
            // Settled for the deck: reported as the deck's edits.
            let settled = std::mem::take(&mut outcome.conflicts);
            outcome.kept.extend(settled);
        }
        if resolve == Resolve::Report && !outcome.conflicts.is_empty() {
            // The notes' version is not recorded as seen for a
            // field left in conflict, so the next import finds the
            // conflict again (and --from-notes can still take it).
            fingerprint = base.map(|base| seen_outside_conflicts(base, &outcome.conflicts, &card));
        }
        // A card prep sent out (to Anki) that came back naming
        // its id, as it went, is still the card of its own
        // source: nothing of it was imported from here.
        let came_back_unchanged = card.id.as_deref() == Some(old.id.as_str())
            && !outcome.from_notes
            && outcome.kept.is_empty()
            && outcome.conflicts.is_empty();
        let from_file = self.is_from_file(old);
        let status = held_status(&outcome, resolve, from_file, came_back_unchanged);
        // A card whose text did not change keeps its source line,
        // wherever it now stands in the notes: lines added above
        // it are no edit of it, and rewriting its line would be
        // churn in git and conflicts in sync. An updated card
        // takes its new line.
        let source = match status {
            CardStatus::Updated => self.source(&card),
            _ if from_file || came_back_unchanged => old.source.clone(),
            _ => self.source(&card),
        };
        if came_back_unchanged && !from_file {
            // Its record stays its source's, so that the next
            // import of that source still knows what the deck
            // changed (a copy's fields would hide a deck edit).
            fingerprint = base.copied();
            if let Some(was) = self.reported.get(&old.id) {
                self.now_reported.insert(old.id.clone(), *was);
            }
        }
        self.record_decision(old, &card, &outcome, keeps_an_edit, settled);
        // A `reverse` the card has in the deck is the deck's word
        // (the notes never say `false`); a source that drills the
        // card both ways turns it on where the deck says nothing
        // and does not already.
        let reverse = match old.reverse {
            Some(reverse) => Some(reverse),
            None => (card.reverse && !self.existing.reverse).then_some(true),
        };
        let merged = Card {
            id: old.id.clone(),
            question: outcome.question,
            answer: outcome.answer,
            reverse,
            tags: outcome.tags,
            source,
        };
        (merged, status, fingerprint)
    }

    /// Records what the merge of a held card kept of the deck's and what
    /// is in conflict: for the report, and for the next import to know
    /// what it reported.
    fn record_decision(
        &mut self,
        old: &Card,
        card: &FoundCard,
        outcome: &Outcome,
        keeps_an_edit: bool,
        settled: bool,
    ) {
        if keeps_an_edit || !outcome.kept.is_empty() {
            // The card as the deck holds it after this import.
            let digest =
                Fingerprint::of(&outcome.question, &outcome.answer, &outcome.tags).digest();
            self.now_reported
                .insert(old.id.clone(), Reported::Edit(digest));
        }
        if !outcome.kept.is_empty() || !outcome.conflicts.is_empty() {
            self.decisions.push(Reconciled {
                id: old.id.clone(),
                notes_line: card.line,
                kept: outcome.kept.clone(),
                conflicts: outcome.conflicts.clone(),
                settled,
                versions: versions_in_conflict(&outcome.conflicts, old, card),
            });
        }
    }

    /// A found card the deck does not hold: a card deleted earlier back
    /// under its own id, or a new card under the id it names or a new one.
    fn add(
        &mut self,
        card: FoundCard,
        came_back: Option<usize>,
        fingerprint: Fingerprint,
    ) -> (Card, CardStatus, Option<Fingerprint>) {
        let source = self.source(&card);
        let id = match (came_back, &card.id) {
            (Some(earlier), _) => {
                let id = self.deleted_earlier[earlier].id.clone();
                self.restored.push((id.clone(), card.question.clone()));
                id
            }
            (None, Some(id)) if !self.taken.contains(id) => id.clone(),
            _ => new_id(self.deck_name, &card.question, &self.taken),
        };
        self.taken.insert(id.clone());
        let merged = Card {
            id,
            question: card.question,
            answer: card.answer,
            reverse: (card.reverse && !self.existing.reverse).then_some(true),
            tags: card.tags,
            source,
        };
        (merged, CardStatus::Added, Some(fingerprint))
    }
}

/// The status of a card the deck held.
fn held_status(
    outcome: &Outcome,
    resolve: Resolve,
    from_file: bool,
    came_back_unchanged: bool,
) -> CardStatus {
    if !outcome.conflicts.is_empty() && resolve == Resolve::Report {
        CardStatus::Conflict
    } else if outcome.from_notes {
        CardStatus::Updated
    } else if !outcome.kept.is_empty() {
        CardStatus::Kept
    } else if !from_file && !came_back_unchanged {
        // (taken from another notes file: its source changes)
        CardStatus::Updated
    } else {
        CardStatus::Unchanged
    }
}

/// The deck's cards with this file's in place.
struct Placed {
    cards: Vec<Card>,
    /// Cards from this file that it no longer holds: (id, question).
    removed: Vec<(String, String)>,
    /// Of those, the ones kept in the deck (without `prune`), not yet
    /// placed.
    kept_removed: Vec<Card>,
    /// Of those, the ones pruned (with `prune`).
    pruned: Vec<Card>,
}

/// The file's cards take the place of its first old card; the rest of
/// the deck keeps its order.
fn place_file_cards(
    existing: &Deck,
    mut cards_of_file: Vec<Card>,
    matched: &[Option<usize>],
    prune: bool,
    file_label: &str,
) -> Placed {
    let mut used = vec![false; existing.cards.len()];
    for old in matched.iter().flatten() {
        used[*old] = true;
    }
    let mut removed = Vec::new();
    let mut cards = Vec::with_capacity(existing.cards.len() + cards_of_file.len());
    let mut placed = false;
    let mut kept_removed = Vec::new();
    let mut pruned = Vec::new();
    for (index, card) in existing.cards.iter().enumerate() {
        let ours = card.source_file() == Some(file_label) || used[index];
        if !ours {
            cards.push(card.clone());
            continue;
        }
        if !placed {
            cards.append(&mut cards_of_file);
            placed = true;
        }
        if !used[index] {
            removed.push((card.id.clone(), card.question.clone()));
            if prune {
                pruned.push(card.clone());
            } else {
                kept_removed.push(card.clone());
            }
        }
    }
    if !placed {
        cards.append(&mut cards_of_file);
    }
    Placed {
        cards,
        removed,
        kept_removed,
        pruned,
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
            reverse: false,
        }
    }

    /// An import of `notes` over `deck` with its record, as the command
    /// does it.
    fn again(first: &Merged, deck: &Deck, notes: Vec<FoundCard>, from_notes: bool) -> Merged {
        merge_three_way(MergeInput {
            existing: deck,
            imported: &first.imported,
            reported: &first.reported,
            deck_name: "d",
            file_label: "n.md",
            title: None,
            found: notes,
            prune: false,
            conflicts: if from_notes {
                Resolve::FromNotes
            } else {
                Resolve::Report
            },
            settle_only: &[],
            deleted_earlier: &[],
        })
    }

    fn statuses(merged: &Merged) -> Vec<CardStatus> {
        merged.statuses.iter().map(|(_, status)| *status).collect()
    }

    #[test]
    fn reverse_is_the_decks_word_and_a_reversed_source_turns_it_on() {
        let reversed = |question: &str, answer: &str, line| FoundCard {
            reverse: true,
            ..found(question, answer, line)
        };
        let first = merge(
            &Deck::default(),
            "d",
            "n.md",
            None,
            vec![reversed("What is X?", "X.", 1), found("Y?", "Y.", 3)],
            false,
        );
        let reverse = |merged: &Merged| -> Vec<Option<bool>> {
            merged.deck.cards.iter().map(|card| card.reverse).collect()
        };
        assert_eq!(reverse(&first), [Some(true), None]);
        // Set by hand in the deck, either way, it stays.
        let mut deck = first.deck.clone();
        deck.cards[0].reverse = Some(false);
        deck.cards[1].reverse = Some(true);
        let merged = again(
            &first,
            &deck,
            vec![reversed("What is X?", "X.", 1), found("Y?", "Y.", 3)],
            false,
        );
        assert_eq!(reverse(&merged), [Some(false), Some(true)]);
        // A deck reversed as a whole needs no card to say it.
        let whole = Deck {
            reverse: true,
            ..Deck::default()
        };
        let merged = merge(
            &whole,
            "d",
            "n.md",
            None,
            vec![reversed("Z?", "Z.", 1)],
            false,
        );
        assert_eq!(reverse(&merged), [None]);
        assert!(merged.deck.reverse, "the deck's own `reverse` is kept");
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
        let again = again(&first, &first.deck, notes(), false);
        assert!(statuses(&again).iter().all(|s| *s == CardStatus::Unchanged));
        assert_eq!(again.deck, first.deck);
    }

    #[test]
    fn reimport_keeps_ids_and_reports_changes() {
        let notes = vec![found("What is X?", "X.", 1), found("What is Y?", "Y.", 3)];
        let first = merge(&Deck::default(), "d", "n.md", None, notes.clone(), false);
        assert!(statuses(&first).iter().all(|s| *s == CardStatus::Added));
        let same = again(&first, &first.deck, notes, false);
        assert!(statuses(&same).iter().all(|s| *s == CardStatus::Unchanged));
        assert_eq!(same.deck, first.deck);

        // A light edit keeps the id; a removed question is kept and reported.
        let edited = again(
            &first,
            &first.deck,
            vec![found("What is X ?!", "X!", 1)],
            false,
        );
        assert_eq!(
            edited.statuses[0],
            (first.deck.cards[0].id.clone(), CardStatus::Updated)
        );
        assert_eq!(edited.deck.cards[0].answer, "X!");
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
    fn a_card_deleted_in_the_deck_stays_deleted_until_the_notes_change_it() {
        let notes = || vec![found("What is X?", "X.", 1), found("What is Y?", "Y.", 3)];
        let first = merge(&Deck::default(), "d", "n.md", None, notes(), false);
        let mut deck = first.deck.clone();
        let deleted = deck.cards.remove(0);
        let kept = again(&first, &deck, notes(), false);
        assert_eq!(kept.deck, deck);
        assert_eq!(
            kept.left_deleted,
            [(deleted.id.clone(), deleted.question.clone())]
        );
        // Still recorded, so the next import keeps it deleted too.
        let later = again(&kept, &kept.deck, notes(), false);
        assert_eq!(later.deck, deck);

        let changed = vec![
            found("What is X?", "X, said better.", 1),
            found("What is Y?", "Y.", 3),
        ];
        let back = again(&kept, &kept.deck, changed, false);
        assert_eq!(back.deck.cards.len(), 2);
        assert!(back.left_deleted.is_empty());
    }

    #[test]
    fn an_edit_in_the_deck_is_kept_when_the_notes_did_not_change() {
        let notes = || vec![found("What is X?", "X.", 1), found("What is Y?", "Y.", 3)];
        let first = merge(&Deck::default(), "d", "n.md", None, notes(), false);
        let mut deck = first.deck.clone();
        deck.cards[1].answer = "Y, as I put it.".into();
        deck.cards[0].question = "What, exactly, is X?".into();
        let merged = again(&first, &deck, notes(), false);
        assert_eq!(merged.deck, deck);
        assert_eq!(statuses(&merged), vec![CardStatus::Kept, CardStatus::Kept]);
        assert_eq!(merged.decisions[0].kept, vec![Field::Question]);
        assert_eq!(merged.decisions[1].kept, vec![Field::Answer]);
    }

    #[test]
    fn notes_and_deck_edits_to_different_fields_are_both_taken() {
        let first = merge(
            &Deck::default(),
            "d",
            "n.md",
            None,
            vec![found("What is X?", "X.", 1)],
            false,
        );
        let mut deck = first.deck.clone();
        deck.cards[0].answer = "X, in my words.".into();
        let merged = again(
            &first,
            &deck,
            vec![found("What is X really?", "X.", 1)],
            false,
        );
        let card = &merged.deck.cards[0];
        assert_eq!(
            (card.question.as_str(), card.answer.as_str()),
            ("What is X really?", "X, in my words.")
        );
        assert_eq!(statuses(&merged), vec![CardStatus::Updated]);
        assert_eq!(merged.decisions[0].kept, vec![Field::Answer]);
    }

    #[test]
    fn an_edit_on_both_sides_is_a_conflict_that_keeps_the_deck_unless_asked() {
        let first = merge(
            &Deck::default(),
            "d",
            "n.md",
            None,
            vec![found("What is X?", "X.", 1)],
            false,
        );
        let mut deck = first.deck.clone();
        deck.cards[0].answer = "Deck's X.".into();
        let notes = || vec![found("What is X?", "Notes' X.", 1)];
        let merged = again(&first, &deck, notes(), false);
        assert_eq!(merged.deck.cards[0].answer, "Deck's X.");
        assert_eq!(statuses(&merged), vec![CardStatus::Conflict]);
        assert_eq!(merged.decisions[0].conflicts, vec![Field::Answer]);
        // The conflict stays one until it is settled.
        let later = again(&merged, &merged.deck, notes(), false);
        assert_eq!(statuses(&later), vec![CardStatus::Conflict]);
        let resolved = again(&later, &deck, notes(), true);
        assert_eq!(resolved.deck.cards[0].answer, "Notes' X.");
        assert_eq!(statuses(&resolved), vec![CardStatus::Updated]);
        let settled = again(&resolved, &resolved.deck, notes(), false);
        assert_eq!(statuses(&settled), vec![CardStatus::Unchanged]);
        // Or settled for the deck: the notes' version is recorded as seen.
        let for_deck = merge_three_way(MergeInput {
            existing: &deck,
            imported: &later.imported,
            reported: &later.reported,
            deck_name: "d",
            file_label: "n.md",
            title: None,
            found: notes(),
            prune: false,
            conflicts: Resolve::FromDeck,
            settle_only: &[],
            deleted_earlier: &[],
        });
        assert_eq!(for_deck.deck.cards[0].answer, "Deck's X.");
        assert_eq!(statuses(&for_deck), vec![CardStatus::Kept]);
        // The deck's version, kept and reported once, is news no more.
        let after = again(&for_deck, &for_deck.deck, notes(), false);
        assert_eq!(statuses(&after), vec![CardStatus::Unchanged]);
        assert!(after.decisions.is_empty());
        assert_eq!(after.reported, for_deck.reported);
    }

    #[test]
    fn without_a_record_a_difference_is_a_conflict_and_tags_are_joined() {
        let mut first = merge(
            &Deck::default(),
            "d",
            "n.md",
            None,
            vec![found("What is X?", "X.", 1)],
            false,
        );
        first.imported.clear();
        first.deck.cards[0].tags = vec!["mine".into()];
        let mut notes = found("What is X?", "X!", 1);
        notes.tags = vec!["section".into()];
        let merged = again(&first, &first.deck, vec![notes], false);
        let card = &merged.deck.cards[0];
        assert_eq!(card.answer, "X.");
        assert_eq!(card.tags, vec!["mine".to_string(), "section".into()]);
        assert_eq!(statuses(&merged), vec![CardStatus::Conflict]);
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
            reverse: Some(false),
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
}
