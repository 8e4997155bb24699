//! A review session that starts from the store's deck index
//! ([`crate::store`]'s `deck_index`) instead of reading every deck: its due
//! cards come from the store's due index, its new cards from the index's
//! list of each deck's new cards, and the text of only the cards it holds
//! from the index. So the first card costs what the session shows, not
//! what the decks hold.
//!
//! Each deck file is checked at start by its stamp (size, times, inode);
//! a deck that changed is read (through the deck cache) and indexed again,
//! alone. What the index cannot answer goes to the full read of the decks,
//! which gives the same session: a cram, a filter by tags, words or state,
//! new cards in random order, decks with an interview plan, a deck that
//! does not load, holds a card id twice or cards without an id, a named
//! deck with no cards, a name that is not a deck. The full read is also
//! what reports those problems.

use std::collections::HashMap;

use anyhow::Result;

use super::{Options, Order};
use crate::config::{Config, NewOrder};
use crate::decks::catalog::Catalog;
use crate::decks::collection::{Collection, DeckSource};
use crate::decks::deck::Contents;
use crate::decks::stamp::Stamp;
use crate::store::{IndexedDeck, Store};

/// The environment variable that turns the index off (`PREP_DECK_INDEX=0`),
/// for comparing the two ways of starting.
pub const INDEX_VAR: &str = "PREP_DECK_INDEX";

/// Whether the index can answer a session with these options.
pub(super) fn serves(options: &Options, config: &Config) -> bool {
    let random_new = match options.order {
        Some(order) => order == Order::Random,
        None => config.new_order == NewOrder::Random,
    };
    let planned = config
        .plans
        .keys()
        .any(|deck| options.decks.is_empty() || options.decks.contains(deck));
    !options.cram && !options.suspended && options.filter.is_empty() && !random_new && !planned
}

/// Brings the index up to date for the decks a session reads (`sources`,
/// as [`Collection::sources`] gives them; `named` when the session named
/// them), and returns those decks in the catalog's order; `None` when the
/// decks must be read instead (see the module's doc).
pub(super) fn prepare(
    collection: &Collection,
    sources: &[(String, DeckSource)],
    named: bool,
    store: &mut Store,
) -> Result<Option<Vec<String>>> {
    let mut indexed = store.indexed_decks()?;
    let mut decks = Vec::with_capacity(sources.len());
    for (name, source) in sources {
        let Some((stamp, settled)) = stamp_of(collection, source) else {
            return Ok(None);
        };
        let current = match indexed.remove(name) {
            Some(known) if known.stamp.as_deref() == Some(stamp.as_slice()) => known,
            _ => match index_again(collection, store, name, &stamp, settled, named)? {
                Some(known) => known,
                None => return Ok(None),
            },
        };
        let named_empty = named && current.cards == 0;
        if current.shared || named_empty {
            return Ok(None);
        }
        decks.push(name.clone());
    }
    // A deck the index holds that the home no longer has: its file was
    // removed or renamed.
    if !named {
        for gone in indexed.keys() {
            store.unindex_deck(gone)?;
        }
    }
    Ok(Some(decks))
}

/// The stamp a deck's text has now, and whether it has settled (a file
/// changed in the last moments may change again within the same tick of
/// its clock, so its stamp is not yet trusted). `None` when the file
/// cannot be looked at.
fn stamp_of(collection: &Collection, source: &DeckSource) -> Option<(Vec<u8>, bool)> {
    match source {
        DeckSource::User(path) => {
            let meta = std::fs::metadata(path).ok().filter(|meta| meta.is_file())?;
            let stamp = Stamp::of(&meta);
            Some((
                stamp.to_bytes().to_vec(),
                stamp.settled(collection.settle()),
            ))
        }
        // Bundled decks change with the binary.
        DeckSource::Bundled => Some((
            concat!("bundled ", env!("CARGO_PKG_VERSION"))
                .as_bytes()
                .to_vec(),
            true,
        )),
    }
}

/// Reads deck `name` and indexes its cards under `stamp`; `None` when it
/// does not load, holds cards without an id or was `named` and holds none
/// (the full read reports the first and last, and writes the ids).
fn index_again(
    collection: &Collection,
    store: &mut Store,
    name: &str,
    stamp: &[u8],
    settled: bool,
    named: bool,
) -> Result<Option<IndexedDeck>> {
    let Ok((_, deck)) = collection.load(name, Contents::Everything) else {
        return Ok(None);
    };
    if !deck.assigned_ids.is_empty() || (named && deck.cards.is_empty()) {
        return Ok(None);
    }
    let loaded = crate::decks::catalog::LoadedDeck::new(name.to_string(), deck);
    let cards = loaded
        .cards()
        .iter()
        .enumerate()
        .map(|(index, card)| (card, loaded.side(index)));
    let known = store.index_deck(name, settled.then_some(stamp), cards)?;
    Ok(Some(known))
}

/// The catalog of the one card with this exact id, from the index, when
/// the index holds it in one deck only and that deck's file is as the
/// index read it: grading a card by its id then reads no deck. `None`
/// otherwise (the caller reads the decks).
pub fn card_from_index(
    collection: &Collection,
    store: &Store,
    id: &str,
) -> Result<Option<Catalog>> {
    let decks = store.indexed_decks_of(id)?;
    let [deck] = decks.as_slice() else {
        return Ok(None);
    };
    let deck = deck.clone();
    let Some(sources) = collection.sources(std::slice::from_ref(&deck))? else {
        return Ok(None);
    };
    let Some(known) = store.indexed_decks()?.remove(&deck) else {
        return Ok(None);
    };
    let fresh = sources
        .first()
        .and_then(|(_, source)| stamp_of(collection, source));
    let unchanged =
        fresh.is_some_and(|(stamp, _)| known.stamp.as_deref() == Some(stamp.as_slice()));
    if !unchanged || known.shared {
        return Ok(None);
    }
    catalog_of(store, &[deck], [id]).map(Some)
}

/// The catalog of the cards with these ids, from the index: the decks of
/// the session, each holding those of its cards, in deck order.
pub(super) fn catalog_of<'a>(
    store: &Store,
    decks: &[String],
    ids: impl IntoIterator<Item = &'a str>,
) -> Result<Catalog> {
    let mut by_deck: HashMap<String, Vec<_>> = HashMap::new();
    for found in store.indexed_cards(ids, decks)? {
        by_deck.entry(found.deck.clone()).or_default().push(found);
    }
    let decks = decks
        .iter()
        .map(|deck| {
            let mut cards = by_deck.remove(deck).unwrap_or_default();
            cards.sort_by_key(|found| found.position);
            let cards = cards
                .into_iter()
                .map(|found| (found.card, found.side))
                .collect();
            (deck.clone(), cards)
        })
        .collect();
    Ok(Catalog::of_review_cards(decks))
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration, Utc};

    use super::super::{Options, Session};
    use crate::Settings;
    use crate::schedule::Grade;
    use crate::store::{Store, SuspendReason};

    /// splitmix64, so that the run is the same everywhere.
    struct Sequence(u64);

    impl Sequence {
        fn below(&mut self, bound: u64) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            (z ^ (z >> 31)) % bound
        }
    }

    /// Plain cards (some tagged), reversed ones, and clozes with two
    /// deletions: every kind of card a deck gives.
    fn write_decks(home: &std::path::Path, alpha: std::ops::Range<usize>) {
        let decks = home.join("decks");
        std::fs::create_dir_all(&decks).unwrap();
        let mut text = String::from("title: Alpha\ncards:\n");
        for n in alpha {
            let tag = if n % 3 == 0 { "\n  tags: [three]" } else { "" };
            text.push_str(&format!(
                "- id: a{n:03}\n  question: Alpha {n}?\n  answer: Answer {n}.{tag}\n"
            ));
        }
        std::fs::write(decks.join("alpha.yaml"), text).unwrap();
        let mut text = String::from("reverse: true\ncards:\n");
        for n in 0..12 {
            text.push_str(&format!(
                "- id: b{n:03}\n  question: Beta {n}?\n  answer: Back {n}.\n"
            ));
        }
        std::fs::write(decks.join("beta.yaml"), text).unwrap();
        let mut text = String::from("cards:\n");
        for n in 0..8 {
            text.push_str(&format!(
                "- id: g{n:03}\n  question: 'The {{{{c1::first {n}}}}} and the {{{{c2::second}}}}.'\n"
            ));
        }
        std::fs::write(decks.join("gamma.yaml"), text).unwrap();
    }

    /// What a session holds at its start: the card shown, the queue and
    /// the deck and words of each card in it, what the limits kept out,
    /// and when the next card comes.
    fn snapshot(session: &Session, now: DateTime<Utc>) -> String {
        let cards: Vec<_> = session
            .current
            .iter()
            .chain(session.queue.entries())
            .map(|entry| {
                let found = session.catalog.get(&entry.card_id).unwrap();
                (
                    found.deck,
                    &found.card.question,
                    &found.card.answer,
                    found.side,
                )
            })
            .collect();
        format!(
            "{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
            session.current,
            session.queue,
            cards,
            session.held_back().unwrap(),
            session.summary(now).unwrap().next_due
        )
    }

    /// Starting from the deck index gives the session that reading every
    /// deck gives, day after day of grades, skips, suspensions, undos,
    /// forgotten cards, edited decks and limits that bind: two homes made
    /// alike, one reviewed through sessions started from the index, the
    /// other through sessions that read the decks, stay alike.
    #[test]
    fn the_index_starts_the_session_reading_the_decks_starts() {
        let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
        let homes = [dirs[0].path(), dirs[1].path()];
        for home in homes {
            write_decks(home, 0..45);
        }
        let start = DateTime::parse_from_rfc3339("2026-01-05T09:00:00Z").unwrap();
        let mut sequence = Sequence(7);
        let variants = [
            Options::default(),
            Options {
                decks: vec!["beta".into(), "gamma".into()],
                ..Options::default()
            },
            Options {
                limit: Some(7),
                ..Options::default()
            },
            Options {
                new_cards: Some(3),
                ..Options::default()
            },
        ];
        let mut indexed_starts = 0;
        for day in 0..14 {
            let now = start.to_utc()
                + Duration::days(day)
                + Duration::minutes(sequence.below(600) as i64);
            for home in homes {
                edit_home(home, day, now);
            }
            // Settings read config.yaml once: each day is a new command.
            let settings = homes.map(|home| Settings::new(home, start));
            let start_session = |home: usize, options: &Options| {
                Session::start_with(&settings[home], options.clone(), now, home == 1).unwrap()
            };
            for options in &variants {
                let read = start_session(0, options);
                let expected = snapshot(&read, now);
                let from_index = start_session(1, options);
                if day > 0 {
                    assert!(from_index.indexed_decks.is_some(), "day {day}: {options:?}");
                    indexed_starts += 1;
                }
                assert_eq!(
                    snapshot(&from_index, now),
                    expected,
                    "day {day}: {options:?}"
                );
            }
            let variant = &variants[day as usize % variants.len()];
            let mut sessions = [start_session(0, variant), start_session(1, variant)];
            for _ in 0..sequence.below(30) {
                let draw = sequence.below(20);
                for (home, session) in sessions.iter_mut().enumerate() {
                    if session.current().is_some() {
                        act(session, &settings[home], draw, now);
                    }
                }
                let shown = sessions.each_ref().map(current_id);
                assert_eq!(shown[0], shown[1], "day {day}");
            }
            let summaries = sessions.each_ref().map(|session| {
                let summary = session.summary(now).unwrap();
                format!("{:?} {:?}", summary.held_back, summary.next_due)
            });
            assert_eq!(summaries[0], summaries[1], "day {day}");
        }
        assert_eq!(indexed_starts, 13 * variants.len());
    }

    /// A card id two decks share is one card, which the full read
    /// resolves: a session over the deck that brought the shared id reads
    /// the decks; one over the other deck alone starts from the index and
    /// finds the card in the deck it chose.
    #[test]
    fn a_card_id_two_decks_share_leaves_the_index_to_sessions_over_both() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path();
        write_decks(home, 0..3);
        let now = DateTime::parse_from_rfc3339("2026-01-05T09:00:00Z").unwrap();
        let settings = Settings::new(home, now);
        let now = now.to_utc();
        // The store exists, and the index holds the decks as they were.
        let first = Session::start(&settings, Options::default(), now).unwrap();
        drop(first);
        let shared = "cards:\n- id: b001\n  question: Shared?\n  answer: Yes.\n\
                      - id: d001\n  question: Delta?\n  answer: D.\n";
        std::fs::write(home.join("decks/delta.yaml"), shared).unwrap();
        let options = |decks: &[&str]| Options {
            decks: decks.iter().map(|deck| deck.to_string()).collect(),
            ..Options::default()
        };
        for decks in [&[][..], &["beta", "delta"], &["delta"], &["beta"]] {
            let read = Session::start_with(&settings, options(decks), now, false).unwrap();
            let expected = snapshot(&read, now);
            let from_index = Session::start_with(&settings, options(decks), now, true).unwrap();
            let reads = decks.is_empty() || decks.contains(&"delta");
            assert_eq!(from_index.indexed_decks.is_none(), reads, "{decks:?}");
            assert_eq!(snapshot(&from_index, now), expected, "{decks:?}");
        }
    }

    fn current_id(session: &Session) -> Option<String> {
        session.current().map(|current| current.card.id.clone())
    }

    /// What changes a home on `day` besides reviews.
    fn edit_home(home: &std::path::Path, day: i64, now: DateTime<Utc>) {
        match day {
            // Limits that bind: reviews held back, new cards waiting.
            4 => std::fs::write(
                home.join("config.yaml"),
                "reviews_per_day: 1\nnew_per_day: 4\n",
            )
            .unwrap(),
            // Cards added, one removed: the deck is indexed again.
            6 => write_decks(home, 1..52),
            // New cards suspended: no candidates, and not counted.
            3 => {
                let mut store = Store::open(home).unwrap();
                let ids = ["g007:c2", "b011:r", "g006:c1"];
                store.suspend(&ids, now, SuspendReason::User).unwrap();
            }
            9 => {
                let mut store = Store::open(home).unwrap();
                store.forget(&["a001", "b000:r", "g000:c2"], now).unwrap();
            }
            11 => std::fs::remove_file(home.join("config.yaml")).unwrap(),
            _ => {}
        }
    }

    /// One thing a person does with the card on screen, by `draw`.
    fn act(session: &mut Session, settings: &Settings, draw: u64, now: DateTime<Utc>) {
        match draw {
            0 => session.skip(now).unwrap(),
            1 => session.suspend(settings, now).unwrap(),
            2 if session.can_undo() => {
                session.undo(now).unwrap();
            }
            _ => {
                let grade =
                    [Grade::Again, Grade::Hard, Grade::Good, Grade::Easy][(draw % 4) as usize];
                session.answer(grade, now, 1000).unwrap();
            }
        }
    }
}
