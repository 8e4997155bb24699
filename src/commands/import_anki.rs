//! `prep import` of Anki material ([`crate::anki::read`]): notes become
//! cards in one deck per Anki deck (or the `--deck` one), their HTML turned
//! into markdown; notes prep exported come back with their card ids. With
//! `--with-progress`, a package's review log is replayed through prep's
//! scheduler, so the cards keep their memory states; cards that already
//! have a history in prep keep it, and gain the reviews made in Anki after
//! it (a deck taken to Anki with its progress and reviewed there comes
//! back with those reviews).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::Result;
use chrono::{DateTime, TimeDelta, Utc};

use super::import::{Options, PendingDecks, Report, Source, file_deck_name, merge_into};
use crate::Settings;
use crate::anki::{self, html, read::Material};
use crate::collection::Collection;
use crate::deck::slug;
use crate::import::{FoundCard, SkipReason, Skipped};
use crate::schedule::Grade;
use crate::store::{NewReview, Store};

pub(super) fn import(
    settings: &Settings,
    options: &Options,
    file: &Path,
    label: &str,
    material: Material,
    decks: &mut PendingDecks,
) -> Result<Vec<Report>> {
    let collection = Collection::new(settings);
    let fallback = match &options.deck {
        Some(name) => name.clone(),
        None => file_deck_name(file)?,
    };
    // Notes grouped by the deck they go to, decks in order of appearance.
    let mut groups: Vec<(String, Vec<FoundCard>, Vec<Skipped>)> = Vec::new();
    // A title for each deck, from its Anki description (as text).
    let mut titles: HashMap<String, String> = HashMap::new();
    // Anki's card id of each found card: (group, index in group).
    let mut anki_cards: HashMap<i64, (usize, usize)> = HashMap::new();
    let mut with_media = 0;
    for note in material.notes {
        let anki_deck = note.deck.as_deref();
        let deck_name = match (&options.deck, anki_deck) {
            (Some(name), _) => name.clone(),
            (None, Some(deck)) if !slug(deck).is_empty() => slug(deck),
            _ => fallback.clone(),
        };
        let group = match groups.iter().position(|(name, _, _)| *name == deck_name) {
            Some(group) => group,
            None => {
                groups.push((deck_name.clone(), Vec::new(), Vec::new()));
                groups.len() - 1
            }
        };
        if let Some(description) = &note.deck_description {
            titles
                .entry(deck_name.clone())
                .or_insert_with(|| html::to_markdown(description).markdown);
        }
        let mut media = false;
        let mut fields: Vec<String> = note
            .fields
            .iter()
            .map(|field| {
                if note.html {
                    let read = html::to_markdown(field);
                    media |= !read.media.is_empty();
                    read.markdown
                } else {
                    field.trim().to_string()
                }
            })
            .collect();
        with_media += usize::from(media);
        let question = if fields.is_empty() {
            String::new()
        } else {
            fields.remove(0)
        };
        let answer = fields
            .into_iter()
            .filter(|field| !field.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
        if question.is_empty() || answer.is_empty() {
            groups[group].2.push(Skipped {
                first_line: note.position,
                last_line: note.position,
                reason: SkipReason::Unanswered,
                excerpt: if question.is_empty() {
                    "(a note with an empty first field)".to_string()
                } else {
                    question
                        .lines()
                        .next()
                        .unwrap_or("")
                        .chars()
                        .take(60)
                        .collect()
                },
            });
            continue;
        }
        // prep adds the deck's name as a tag on the way out.
        let deck_tags: Vec<String> = [anki_deck.unwrap_or(""), deck_name.as_str()]
            .iter()
            .map(|deck| deck.split_whitespace().collect::<Vec<_>>().join("_"))
            .collect();
        let tags = note
            .tags
            .into_iter()
            .filter(|tag| !deck_tags.contains(tag))
            .collect();
        if let Some(card) = note.card {
            anki_cards.insert(card, (group, groups[group].1.len()));
        }
        groups[group].1.push(FoundCard {
            question,
            answer,
            tags,
            line: note.position,
            id: note
                .guid
                .as_deref()
                .and_then(anki::card_id_of)
                .map(str::to_string),
        });
    }

    let format = if material.reviews.is_empty() && anki_cards.is_empty() {
        "anki text"
    } else {
        "anki package"
    };
    let mut reports = Vec::with_capacity(groups.len());
    for (deck_name, found, skipped) in groups {
        reports.push(merge_into(
            &collection,
            options,
            Source {
                file,
                label,
                title: titles.get(&deck_name).cloned(),
                format,
                notes_file: None,
            },
            &deck_name,
            found,
            skipped,
            decks,
        )?);
    }
    let Some(first) = reports.first_mut() else {
        return Ok(reports);
    };
    if with_media > 0 || material.media_files > 0 {
        let mut note = format!(
            "media: {} to images or sounds",
            if with_media == 1 {
                "1 note refers".to_string()
            } else {
                format!("{with_media} notes refer")
            }
        );
        if material.media_files > 0 {
            note.push_str(&format!(
                ", and the package holds {}",
                super::format::count(material.media_files as u64, "media file")
            ));
        }
        note.push_str("; prep does not copy media, so the references stay in the text as they are");
        first.notes.push(note);
    }
    if options.with_progress {
        let note = history(settings, options, &material.reviews, &anki_cards, &reports)?;
        if let Some(first) = reports.first_mut() {
            first.notes.push(note);
        }
    }
    Ok(reports)
}

/// Replays the review log of the imported cards into the store and says
/// what it did.
fn history(
    settings: &Settings,
    options: &Options,
    reviews: &[anki::read::Review],
    anki_cards: &HashMap<i64, (usize, usize)>,
    reports: &[Report],
) -> Result<String> {
    if !reviews
        .iter()
        .any(|review| anki_cards.contains_key(&review.card))
    {
        return Ok("the package holds no review history for these cards".to_string());
    }
    // A dry run reads the store if there is one, so that it says what the
    // import would add, and creates nothing.
    let store = if options.dry_run {
        Store::open_existing(&settings.home)?
    } else {
        Some(Store::open(&settings.home)?)
    };
    let in_prep = match &store {
        Some(store) => store.card_states()?,
        None => HashMap::new(),
    };
    let mut schedulers = super::schedulers(settings)?;
    // The reviews in the order of the log, so that the history reads as
    // it was made; each card's replayed through prep's scheduler, from
    // its state in prep if it has one.
    let mut states = HashMap::new();
    let mut replayed = Vec::new();
    let mut kept = HashSet::new();
    let mut continued = HashSet::new();
    for review in reviews {
        let Some(&(group, index)) = anki_cards.get(&review.card) else {
            continue;
        };
        let report = &reports[group];
        let Some(card_id) = report.ids.get(index) else {
            continue;
        };
        let stored = in_prep.get(card_id);
        if let Some(stored) = stored {
            kept.insert(card_id);
            if !made_after(review.at, stored.state.last_review) {
                continue;
            }
            continued.insert(card_id);
        }
        let scheduler = schedulers.for_deck(&report.deck)?;
        let state = states
            .entry(card_id.clone())
            .or_insert_with(|| stored.map(|stored| stored.state));
        let grade = Grade::from_rating(i64::from(review.ease)).unwrap_or(Grade::Good);
        let transition = scheduler.answer(card_id, state.as_ref(), grade, review.at)?;
        *state = Some(transition.state);
        replayed.push(NewReview {
            card_id: card_id.clone(),
            deck: report.deck.clone(),
            answer_ms: review.time_ms,
            transition,
        });
    }
    let kept = kept.len();
    let read = format!(
        "{} of {}",
        super::format::count(replayed.len() as u64, "review"),
        super::format::count(states.len() as u64, "card"),
    );
    let mut note = match store {
        Some(mut store) if !options.dry_run => {
            store.append(&replayed)?;
            format!(
                "read {read} from the history into {}",
                store.path().display()
            )
        }
        _ => format!("would read {read} from the history"),
    };
    if kept > 0 {
        note.push_str(&format!(
            "; {} already had a history in prep, which is kept",
            super::format::count(kept as u64, "card")
        ));
        if !continued.is_empty() {
            note.push_str(&format!(
                ", {} of them with reviews made in Anki after it",
                continued.len()
            ));
        }
    }
    Ok(note)
}

/// Whether a review in Anki's log was made after a card's last review in
/// prep, rather than being one prep exported. The export keeps each
/// review's millisecond, moving reviews made in the same millisecond (a
/// script, a fixed clock) a millisecond apart, so a review within a second
/// of prep's last one is taken for prep's own.
fn made_after(at: DateTime<Utc>, last_in_prep: DateTime<Utc>) -> bool {
    at > last_in_prep + TimeDelta::seconds(1)
}
