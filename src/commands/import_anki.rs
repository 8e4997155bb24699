//! `prep import` of Anki material ([`crate::anki::read`]): notes become
//! cards in one deck per Anki deck (or the `--deck` one), their HTML turned
//! into markdown; notes prep exported come back with their card ids (and,
//! unchanged, as they were: their sources stay). With `--with-progress`, a
//! package's review log is taken into prep's history
//! ([`crate::anki::replay`]): copies of prep's own reviews add nothing,
//! reviews made in Anki join each card's reviews in time order, even those
//! prep made meanwhile, and every entry not taken is reported with why.
//! The media files the notes refer to are copied under
//! `decks/media/DECK/`, the references pointed at them.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::Result;

use super::import::{Options, file_deck_name};
use crate::Settings;
use crate::anki::notes::NoCard;
use crate::anki::review_log::{NotTaken, Why};
use crate::anki::{self, read::Material};
use crate::decks::deck::write_atomically;
use crate::decks::sides::Side;
use crate::format::count;
use crate::import::into_deck::{PendingDecks, Report, Source, merge_into};
use crate::schedule::Grade;

pub(super) fn import(
    settings: &Settings,
    options: &Options,
    file: &Path,
    label: &str,
    material: Material,
    decks: &mut PendingDecks,
) -> Result<Vec<Report>> {
    let collection = settings.collection();
    let fallback = match &options.deck {
        Some(name) => name.clone(),
        None => file_deck_name(file)?,
    };
    let mut cards = anki::notes::to_cards(material.notes, options.deck.as_deref(), &fallback);
    let decks_dir = collection.decks_dir().to_path_buf();
    let placed: Vec<anki::package_media::Placed> = cards
        .groups
        .iter_mut()
        .map(|group| {
            let texts = group
                .found
                .iter_mut()
                .flat_map(|card| [&mut card.question, &mut card.answer]);
            anki::package_media::place(texts, &group.deck, &material.media, &decks_dir)
        })
        .collect();
    let anki_cards = cards.anki_cards;
    let left_out = cards.left_out;
    let format = if material.reviews.is_empty() && anki_cards.is_empty() {
        "anki text"
    } else {
        "anki package"
    };
    let mut reports = Vec::with_capacity(cards.groups.len());
    for group in cards.groups {
        reports.push(merge_into(
            &collection,
            options.merge_choices(),
            Source {
                file,
                label,
                title: group.title,
                format,
                notes_file: None,
            },
            &group.deck,
            group.found,
            group.skipped,
            decks,
        )?);
    }
    // The files go in once every deck was merged, so that a failed import
    // leaves none behind.
    if !options.dry_run {
        for (path, index) in placed.iter().flat_map(|placed| &placed.writes) {
            write_atomically(path, &material.media.files[*index].bytes)?;
        }
    }
    let Some(first) = reports.first_mut() else {
        return Ok(reports);
    };
    first.notes.extend(media_notes(
        &material.media,
        &placed,
        format == "anki package",
        options.dry_run,
    ));
    if options.with_progress {
        let notes = history(
            settings,
            options,
            &material.reviews,
            &anki_cards,
            &left_out,
            &reports,
        )?;
        let suspended = suspensions(
            settings,
            options,
            &material.suspended,
            &anki_cards,
            &reports,
        )?;
        if let Some(first) = reports.first_mut() {
            first.notes.extend(notes);
            first.notes.extend(suspended);
        }
    }
    Ok(reports)
}

/// Suspends the cards Anki had suspended, as prep's own suspensions (their
/// history and schedule kept; `prep unsuspend` brings them back).
fn suspensions(
    settings: &Settings,
    options: &Options,
    suspended: &std::collections::HashSet<i64>,
    anki_cards: &HashMap<i64, (usize, usize, Side)>,
    reports: &[Report],
) -> Result<Option<String>> {
    let mut ids: Vec<String> = suspended
        .iter()
        .filter_map(|anki_card| {
            let &(group, index, side) = anki_cards.get(anki_card)?;
            let report = &reports[group];
            Some(side.review_id(report.ids.get(index)?))
        })
        .collect();
    if ids.is_empty() {
        return Ok(None);
    }
    ids.sort();
    let count = crate::format::count(ids.len() as u64, "card");
    if options.dry_run {
        return Ok(Some(format!("would suspend {count}, as Anki had them")));
    }
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut store = crate::sync::open_store(settings)?;
    store.suspend(
        &ids,
        settings.now.to_utc(),
        crate::store::SuspendReason::User,
    )?;
    Ok(Some(format!(
        "suspended {count}, as Anki had them (`prep unsuspend` brings them back)"
    )))
}

/// What the report says of media: files copied, files missing, entries
/// refused.
fn media_notes(
    media: &anki::package_media::PackageMedia,
    placed: &[anki::package_media::Placed],
    is_package: bool,
    dry_run: bool,
) -> Vec<String> {
    let mut notes = Vec::new();
    for placed in placed {
        let (written, present) = (placed.writes.len(), placed.present);
        if written == 0 && present == 0 {
            continue;
        }
        let mut note = format!(
            "media: {} {} into {}",
            if dry_run { "would copy" } else { "copied" },
            count(written as u64, "file"),
            placed.folder.display()
        );
        if present > 0 {
            note.push_str(&format!(
                ", {} there already",
                count(present as u64, "file")
            ));
        }
        notes.push(note);
    }
    let mut missing: Vec<&str> = placed
        .iter()
        .flat_map(|placed| placed.missing.iter().map(String::as_str))
        .collect();
    missing.sort_unstable();
    missing.dedup();
    if !missing.is_empty() {
        notes.push(format!(
            "media: {} the notes refer to {} not in {}, so {} as {}: {}",
            count(missing.len() as u64, "file"),
            if missing.len() == 1 { "is" } else { "are" },
            if is_package {
                "the package"
            } else {
                "a text export, which carries no files"
            },
            if missing.len() == 1 {
                "its reference stays"
            } else {
                "their references stay"
            },
            if missing.len() == 1 {
                "it is"
            } else {
                "they are"
            },
            missing.join(", ")
        ));
    }
    for refused in &media.refused {
        notes.push(format!(
            "media: refused the package's entry {:?}: {}",
            refused.name, refused.why
        ));
    }
    notes
}

/// Takes the review log of the imported cards into the store, and says
/// what it did and every entry it did not take.
fn history(
    settings: &Settings,
    options: &Options,
    reviews: &[anki::read::Review],
    anki_cards: &HashMap<i64, (usize, usize, Side)>,
    left_out: &HashMap<i64, (usize, NoCard)>,
    reports: &[Report],
) -> Result<Vec<String>> {
    if reviews.is_empty() {
        return Ok(vec![
            "the package holds no review history for these cards".to_string(),
        ]);
    }
    // A dry run reads the store if there is one, so that it says what the
    // import would add, and creates nothing.
    let store = if options.dry_run {
        crate::sync::open_existing_store(settings)?
    } else {
        Some(crate::sync::open_store(settings)?)
    };
    let mut schedulers = super::schedulers(settings)?;
    // Each Anki card's prep card: the side of the card its note became.
    let prep_cards: HashMap<i64, (String, &str)> = anki_cards
        .iter()
        .filter_map(|(&anki_card, &(group, index, side))| {
            let report = &reports[group];
            let card_id = report.ids.get(index)?;
            Some((anki_card, (side.review_id(card_id), report.deck.as_str())))
        })
        .collect();
    let in_prep = match &store {
        Some(store) => {
            let wanted: HashSet<&str> = prep_cards.values().map(|(id, _)| id.as_str()).collect();
            store.histories(&wanted)?
        }
        None => HashMap::new(),
    };
    let card_of = |anki_card: i64| match prep_cards.get(&anki_card) {
        Some((card_id, deck)) => Ok((card_id.as_str(), *deck)),
        None => Err(match left_out.get(&anki_card) {
            Some(&(note, NoCard::NoteSkipped)) => Why::NoteSkipped { note },
            Some(&(note, NoCard::NotASide)) => Why::NotASide { note },
            None => Why::NoSuchCard,
        }),
    };
    let replayed = anki::review_log::replay(reviews, card_of, &in_prep, &mut schedulers)?;
    let read = format!(
        "{} of {}",
        count(replayed.reviews.len() as u64, "review"),
        count(replayed.cards as u64, "card"),
    );
    let mut note = match store {
        Some(mut store) if !options.dry_run => {
            store.merge_reviews(&replayed.reviews)?;
            format!(
                "read {read} from the history into {}",
                store.path().display()
            )
        }
        _ => format!("would read {read} from the history"),
    };
    let was = |n: usize| if n == 1 { "was" } else { "were" };
    if replayed.held > 0 {
        note.push_str(&format!(
            "; {} {} prep's own, already in its history",
            count(replayed.held as u64, "review"),
            was(replayed.held)
        ));
    }
    let both = replayed.interleaved.len();
    if both > 0 {
        note.push_str(&format!(
            "; {} {} reviewed in prep too since the package was made: the reviews of both count, in time order ({})",
            count(both as u64, "card"),
            was(both),
            replayed.interleaved.join(", ")
        ));
    }
    let mut notes = vec![note];
    notes.extend(replayed.not_taken.iter().map(not_taken));
    Ok(notes)
}

/// The report's line for an entry of Anki's log not taken.
fn not_taken(entry: &NotTaken) -> String {
    let review = &entry.review;
    let grade = Grade::from_rating(i64::from(review.ease)).unwrap_or(Grade::Good);
    let why = match &entry.why {
        Why::NoteSkipped { note } => {
            format!("its note (note {note} of the package) was skipped, as said above")
        }
        Why::NotASide { note } => format!(
            "prep drills no such card of note {note} (a cloze number its text lacks, or a template past the second)"
        ),
        Why::NoSuchCard => {
            "the package holds no such card (Anki keeps the reviews of deleted cards)".to_string()
        }
        Why::UndoneInPrep { card } => {
            format!("it is prep's review of {card}, undone in prep since the package was made")
        }
    };
    format!(
        "history: not taken: Anki card {}, reviewed {grade} at {}: {why}",
        review.card,
        review.at.format("%Y-%m-%d %H:%M:%S UTC")
    )
}
