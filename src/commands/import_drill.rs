//! `prep import --with-progress` for Org notes: the last review org-drill
//! recorded of each entry goes into prep's history, its state seeded from
//! the entry's interval and ease ([`crate::schedule::seed`]), so a deck
//! drilled in Emacs comes due in prep when org-drill would have asked it.
//!
//! A card prep has reviews of already keeps them: its history is prep's
//! own from then on, and importing again seeds nothing twice.

use std::collections::{HashMap, HashSet};

use anyhow::Result;

use super::import::Options;
use crate::Settings;
use crate::decks::deck::Deck;
use crate::decks::sides::sides_of;
use crate::format::count;
use crate::import::drill_progress::DrillProgress;
use crate::import::into_deck::{PendingDecks, Report};
use crate::schedule::seed::Sm2Schedule;
use crate::store::{Follows, NewReview, PlacedReview, Store};

/// Takes the review data of `progress` into the history of the cards the
/// import found (`lines[i]` is the line card `report.ids[i]` starts on),
/// and says what it did in a line or two for the report.
pub(super) fn history(
    settings: &Settings,
    options: &Options,
    progress: &[DrillProgress],
    lines: &[usize],
    report: &Report,
    decks: &PendingDecks,
) -> Result<Vec<String>> {
    if progress.is_empty() {
        return Ok(vec![
            "the notes hold no org-drill review data (no :drill: entry has DRILL_LAST_REVIEWED)"
                .to_string(),
        ]);
    }
    let Some(pending) = decks.get(&report.deck) else {
        return Ok(Vec::new());
    };
    let mut seeded = review_cards(progress, lines, report, &pending.deck);
    let no_interval = seeded
        .iter()
        .filter(|(_, entry)| entry.interval_days.is_none())
        .count();
    seeded.retain(|(_, entry)| entry.interval_days.is_some());
    // A dry run reads the store if there is one and creates nothing.
    let store = if options.dry_run {
        crate::sync::open_existing_store(settings)?
    } else {
        Some(crate::sync::open_store(settings)?)
    };
    let held = match &store {
        Some(store) => with_reviews(store, &seeded)?,
        None => HashSet::new(),
    };
    let mut schedulers = super::schedulers(settings)?;
    let scheduler = schedulers.for_deck(&report.deck)?;
    let mut reviews = Vec::new();
    for (card_id, entry) in seeded.iter().filter(|(id, _)| !held.contains(id)) {
        let schedule = Sm2Schedule {
            last_review: settings.zone.instant(entry.last_reviewed),
            interval_days: entry.interval_days.unwrap_or(1.0),
            ease: entry.ease,
            grade: entry.grade,
            reps: entry.total_repeats,
            lapses: entry.failures,
        };
        reviews.push(PlacedReview {
            review: NewReview {
                card_id: card_id.clone(),
                deck: report.deck.clone(),
                answer_ms: 0,
                transition: scheduler.from_sm2(card_id, &schedule)?,
            },
            follows: Follows::Nothing,
        });
    }
    let taken = count(reviews.len() as u64, "card");
    let kept = count(held.len() as u64, "card");
    let mut note = match store {
        Some(_) if reviews.is_empty() && !held.is_empty() => {
            format!("{kept} of org-drill already had reviews in prep, kept as they are")
        }
        Some(mut store) if !options.dry_run => {
            if !reviews.is_empty() {
                store.merge_reviews(&reviews)?;
            }
            format!(
                "read the last org-drill review of {taken} into {}, each due when its interval ends",
                store.path().display()
            )
        }
        _ => format!("would read the last org-drill review of {taken}"),
    };
    if !held.is_empty() && !reviews.is_empty() {
        note.push_str(&format!(
            "; {kept} already had reviews in prep, kept as they are"
        ));
    }
    if no_interval > 0 {
        note.push_str(&format!(
            "; {} left new: their entry has DRILL_LAST_REVIEWED but neither DRILL_LAST_INTERVAL nor a SCHEDULED date",
            count(no_interval as u64, "card")
        ));
    }
    Ok(vec![note])
}

/// Each review card of each card an entry gave (`lines[i]` is the line
/// card `report.ids[i]` starts on), with its entry.
fn review_cards<'a>(
    progress: &'a [DrillProgress],
    lines: &[usize],
    report: &Report,
    deck: &Deck,
) -> Vec<(String, &'a DrillProgress)> {
    let by_line: HashMap<usize, &DrillProgress> =
        progress.iter().map(|entry| (entry.line, entry)).collect();
    let mut seeded = Vec::new();
    for (id, line) in report.ids.iter().zip(lines) {
        let (Some(entry), Some(card)) = (
            by_line.get(line),
            deck.cards.iter().find(|card| &card.id == id),
        ) else {
            continue;
        };
        for side in sides_of(deck, card) {
            seeded.push((side.review_id(id), *entry));
        }
    }
    seeded
}

/// Which of the `seeded` review cards already have reviews in the store.
fn with_reviews(store: &Store, seeded: &[(String, &DrillProgress)]) -> Result<HashSet<String>> {
    let wanted: HashSet<&str> = seeded.iter().map(|(id, _)| id.as_str()).collect();
    Ok(store
        .histories(&wanted)?
        .into_iter()
        .filter(|(_, history)| !history.reviews.is_empty())
        .map(|(id, _)| id)
        .collect())
}
