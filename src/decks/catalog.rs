/*!
The cards a command works on: the decks of a home (all of them, or the ones
named), with each card's id resolvable to its deck. Decks that do not load
are kept as problems, so one broken file does not stop work on the others;
commands report them as `error:` lines and exit 1.
*/

use std::collections::HashMap;

use anyhow::{Result, bail};

use crate::decks::collection::Collection;
use crate::decks::deck::{Card, Contents, Deck};
use crate::settings::Settings;

/// One loaded deck.
#[derive(Debug)]
pub struct LoadedDeck {
    pub name: String,
    pub deck: Deck,
}

#[derive(Debug, Default)]
pub struct Catalog {
    pub decks: Vec<LoadedDeck>,
    /// Decks that did not load, one message each (naming the file).
    pub problems: Vec<String>,
    /// Card id to (deck index, card index); the first deck wins when two
    /// decks share an id, and `duplicates` lists those ids. Hashed with
    /// foldhash: summaries look up every card of a 100,000-card store, and
    /// SipHash's protection against crafted keys buys nothing for ids the
    /// user's own decks hold.
    index: foldhash::HashMap<String, (usize, usize)>,
    pub duplicates: Vec<(String, Vec<String>)>,
}

/// What a card id given on the command line resolved to.
pub struct Found<'a> {
    pub deck: &'a str,
    pub card: &'a Card,
}

impl Catalog {
    /// The decks named in `names`, or every deck when it is empty. A name
    /// that is not a deck is an error (with a suggestion); a named deck
    /// that does not load is an error too, since the user asked for it.
    pub fn load(settings: &Settings, names: &[String]) -> Result<Catalog> {
        Catalog::load_with(settings, names, Contents::Everything)
    }

    /// [`Catalog::load`] for commands that never show an answer: cards
    /// come with empty answers, which saves most of the reading and memory
    /// of a large collection.
    pub fn load_without_answers(settings: &Settings, names: &[String]) -> Result<Catalog> {
        Catalog::load_with(settings, names, Contents::WithoutAnswers)
    }

    fn load_with(settings: &Settings, names: &[String], contents: Contents) -> Result<Catalog> {
        let collection = Collection::new(settings);
        let mut catalog = Catalog::default();
        if names.is_empty() {
            for (entry, deck) in collection.load_all(contents)? {
                match deck {
                    Some(deck) => catalog.decks.push(LoadedDeck {
                        name: entry.name,
                        deck,
                    }),
                    None => catalog.problems.extend(entry.problem),
                }
            }
        } else {
            let mut seen = Vec::new();
            for name in names {
                if seen.contains(name) {
                    continue;
                }
                seen.push(name.clone());
                let (entry, deck) = collection.load(name, contents)?;
                catalog.decks.push(LoadedDeck {
                    name: entry.name,
                    deck,
                });
            }
        }
        catalog.build_index();
        Ok(catalog)
    }

    fn build_index(&mut self) {
        let cards = self
            .decks
            .iter()
            .map(|loaded| loaded.deck.cards.len())
            .sum();
        self.index.reserve(cards);
        let mut shared: HashMap<String, Vec<String>> = HashMap::new();
        for (deck_index, loaded) in self.decks.iter().enumerate() {
            for (card_index, card) in loaded.deck.cards.iter().enumerate() {
                match self.index.get(&card.id) {
                    Some(&(first, _)) => shared
                        .entry(card.id.clone())
                        .or_insert_with(|| vec![self.decks[first].name.clone()])
                        .push(loaded.name.clone()),
                    None => {
                        self.index.insert(card.id.clone(), (deck_index, card_index));
                    }
                }
            }
        }
        let mut duplicates: Vec<_> = shared.into_iter().collect();
        duplicates.sort();
        self.duplicates = duplicates;
    }

    /// Every card with its deck name, in deck order.
    pub fn cards(&self) -> impl Iterator<Item = (&str, &Card)> {
        self.decks.iter().flat_map(|loaded| {
            loaded
                .deck
                .cards
                .iter()
                .map(move |card| (loaded.name.as_str(), card))
        })
    }

    pub fn card_count(&self) -> usize {
        self.decks
            .iter()
            .map(|loaded| loaded.deck.cards.len())
            .sum()
    }

    /// The card with this id.
    /// Whether a review (made in `review_deck`, of card `card_id`) belongs
    /// to one of `decks`: to the deck that holds its card now, so a card
    /// moved to another deck takes its history along; a review of a card
    /// no deck holds any more, to the deck it was made in. `prep history
    /// --deck` and `prep optimize --deck` both count by this rule, over a
    /// catalog of every deck.
    pub fn review_in(&self, review_deck: &str, card_id: &str, decks: &[String]) -> bool {
        let deck = self.get(card_id).map_or(review_deck, |found| found.deck);
        decks.iter().any(|wanted| wanted == deck)
    }

    pub fn get(&self, id: &str) -> Option<Found<'_>> {
        self.index.get(id).map(|&(deck, card)| Found {
            deck: &self.decks[deck].name,
            card: &self.decks[deck].deck.cards[card],
        })
    }

    /// Where the card with this id is: the index of its deck in `decks`
    /// and of the card in that deck. For an id two decks share, the first
    /// deck's card.
    pub fn position(&self, id: &str) -> Option<(usize, usize)> {
        self.index.get(id).copied()
    }

    /// The card with this id and the index of its deck in `decks`.
    pub fn locate(&self, id: &str) -> Option<(usize, &Card)> {
        self.index
            .get(id)
            .map(|&(deck, card)| (deck, &self.decks[deck].deck.cards[card]))
    }

    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// The card an id given by a person means: the exact id, or the one
    /// card whose id starts with it (at least four characters), as git
    /// takes short hashes.
    pub fn resolve(&self, id: &str) -> Result<Found<'_>> {
        if let Some(found) = self.get(id) {
            return Ok(found);
        }
        let id = id.trim();
        let mut matches: Vec<&String> = if id.chars().count() >= 4 {
            self.index
                .keys()
                .filter(|key| key.starts_with(id))
                .collect()
        } else {
            Vec::new()
        };
        matches.sort();
        match matches.as_slice() {
            [one] => Ok(self.get(one).expect("indexed")),
            [] if id.chars().count() < 4 => bail!(
                "no card with id {id:?}; a shortened id needs at least 4 characters (run `prep cards` to list card ids)"
            ),
            [] => {
                let broken = if self.problems.is_empty() {
                    String::new()
                } else {
                    format!(
                        " ({} not load and may hold it)",
                        match self.problems.len() {
                            1 => "1 deck did".to_string(),
                            count => format!("{count} decks did"),
                        }
                    )
                };
                bail!(
                    "no card with id {id:?} in any deck{broken}; run `prep cards` to list card ids"
                )
            }
            many => {
                let shown: Vec<&str> = many.iter().take(5).map(|id| id.as_str()).collect();
                bail!(
                    "card id {id:?} is ambiguous: it starts {} ids ({}{}); give more of it",
                    many.len(),
                    shown.join(", "),
                    if many.len() > 5 { ", ..." } else { "" }
                )
            }
        }
    }
}
