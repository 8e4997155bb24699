/*!
The cards a command works on: the decks of a home (all of them, or the ones
named), with each card's id resolvable to its deck. These are the cards a
quiz shows ([`crate::decks::sides`]): a reversed card's second side and each
cloze number are cards here, under their own ids; what the files hold is
each deck's `deck.cards`, for the commands that edit or write decks. Decks
that do not load are kept as problems, so one broken file does not stop
work on the others; commands report them as `error:` lines and exit 1.
*/

use std::collections::HashMap;

use anyhow::{Result, bail};

use crate::decks::collection::{Collection, DeckEntry};
use crate::decks::deck::{Card, Contents, Deck};
use crate::decks::sides::{self, Side};

/// One loaded deck.
#[derive(Debug)]
pub struct LoadedDeck {
    pub name: String,
    /// The deck as written.
    pub deck: Deck,
    /// The cards it gives and their sides, when they are not its written
    /// cards (which a deck of plain cards is spared copying).
    review: Option<(Vec<Card>, Vec<Side>)>,
}

impl LoadedDeck {
    pub fn new(name: String, deck: Deck) -> LoadedDeck {
        let review = sides::review_cards(&deck);
        LoadedDeck { name, deck, review }
    }

    /// [`LoadedDeck::new`] for a deck its [`DeckEntry`] already found to
    /// give only its written cards: at 100,000 cards, looking again costs
    /// milliseconds.
    fn from_entry(entry: DeckEntry, deck: Deck) -> LoadedDeck {
        if entry.forward_only {
            LoadedDeck {
                name: entry.name,
                deck,
                review: None,
            }
        } else {
            LoadedDeck::new(entry.name, deck)
        }
    }

    /// The cards a quiz shows, in deck order.
    pub fn cards(&self) -> &[Card] {
        match &self.review {
            Some((cards, _)) => cards,
            None => &self.deck.cards,
        }
    }

    /// Which side of its written card `cards()[index]` is.
    pub fn side(&self, index: usize) -> Side {
        match &self.review {
            Some((_, sides)) => sides[index],
            None => Side::Forward,
        }
    }
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
#[derive(Debug, Clone, Copy)]
pub struct Found<'a> {
    pub deck: &'a str,
    pub card: &'a Card,
    pub side: Side,
}

impl Found<'_> {
    /// The id of the card as written in its deck, which an editor opens.
    pub fn written_id(&self) -> &str {
        self.side.written_id(&self.card.id)
    }
}

impl Catalog {
    /// The decks named in `names`, or every deck when it is empty. A name
    /// that is not a deck is an error (with a suggestion); a named deck
    /// that does not load is an error too, since the user asked for it.
    pub fn load(collection: &Collection, names: &[String]) -> Result<Catalog> {
        Catalog::load_with(collection, names, Contents::Everything)
    }

    /// [`Catalog::load`] for commands that never show an answer: cards
    /// come with empty answers, which saves most of the reading and memory
    /// of a large collection.
    pub fn load_without_answers(collection: &Collection, names: &[String]) -> Result<Catalog> {
        Catalog::load_with(collection, names, Contents::WithoutAnswers)
    }

    /// Every deck, the bundled ones included even once the home has decks
    /// of its own: for commands that find a card by its id (`prep show`,
    /// `prep grade`, `prep edit`) or name the cards of a review log, which
    /// may be of any deck.
    pub fn load_every_deck(collection: &Collection, contents: Contents) -> Result<Catalog> {
        let mut catalog = Catalog::default();
        for (entry, deck) in collection.load_all(contents)? {
            catalog.push(entry, deck);
        }
        catalog.build_index();
        Ok(catalog)
    }

    /// A catalog of some of the review cards of `decks` (each with its
    /// side), as a session started from the store's deck index holds
    /// them: the decks it reads, each with the cards it shows.
    pub fn of_review_cards(decks: Vec<(String, Vec<(Card, Side)>)>) -> Catalog {
        let mut catalog = Catalog::default();
        for (name, cards) in decks {
            let (cards, sides) = cards.into_iter().unzip();
            catalog.decks.push(LoadedDeck {
                name,
                deck: Deck::default(),
                review: Some((cards, sides)),
            });
        }
        catalog.build_index();
        catalog
    }

    fn push(&mut self, entry: DeckEntry, deck: Option<Deck>) {
        match deck {
            Some(deck) => self.decks.push(LoadedDeck::from_entry(entry, deck)),
            None => self.problems.extend(entry.problem),
        }
    }

    /// The named decks, or with no name the home's decks
    /// ([`Collection::load_home`]).
    fn load_with(collection: &Collection, names: &[String], contents: Contents) -> Result<Catalog> {
        let mut catalog = Catalog::default();
        if names.is_empty() {
            for (entry, deck) in collection.load_home(contents)? {
                catalog.push(entry, deck);
            }
        } else {
            let mut seen = Vec::new();
            for name in names {
                if seen.contains(name) {
                    continue;
                }
                seen.push(name.clone());
                let (entry, deck) = collection.load(name, contents)?;
                catalog.decks.push(LoadedDeck::from_entry(entry, deck));
            }
        }
        catalog.build_index();
        Ok(catalog)
    }

    fn build_index(&mut self) {
        self.index.reserve(self.card_count());
        let mut shared: HashMap<String, Vec<String>> = HashMap::new();
        for (deck_index, loaded) in self.decks.iter().enumerate() {
            for (card_index, card) in loaded.cards().iter().enumerate() {
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
                .cards()
                .iter()
                .map(move |card| (loaded.name.as_str(), card))
        })
    }

    /// Every card with its deck name and side, in deck order.
    pub fn found_cards(&self) -> impl Iterator<Item = Found<'_>> {
        self.decks.iter().flat_map(|loaded| {
            loaded
                .cards()
                .iter()
                .enumerate()
                .map(move |(index, card)| Found {
                    deck: &loaded.name,
                    card,
                    side: loaded.side(index),
                })
        })
    }

    pub fn card_count(&self) -> usize {
        self.decks.iter().map(|loaded| loaded.cards().len()).sum()
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
        self.index
            .get(id)
            .map(|&(deck, card)| self.found(deck, card))
    }

    fn found(&self, deck: usize, card: usize) -> Found<'_> {
        let loaded = &self.decks[deck];
        Found {
            deck: &loaded.name,
            card: &loaded.cards()[card],
            side: loaded.side(card),
        }
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
            .map(|&(deck, card)| (deck, &self.decks[deck].cards()[card]))
    }

    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// The card an id given by a person means: the exact id, or the one
    /// card whose id starts with it (at least four characters), as git
    /// takes short hashes. A side can follow a shortened id (`3f2a:r`,
    /// `3f2a:c2`); without one, a prefix means the card as written (its
    /// forward side), so a card's short id keeps meaning what it did
    /// before the card gained a reversed side.
    pub fn resolve(&self, id: &str) -> Result<Found<'_>> {
        if let Some(found) = self.get(id) {
            return Ok(found);
        }
        let id = id.trim();
        let (prefix, wanted) = match id.rsplit_once(':') {
            Some((prefix, suffix)) => match Side::parse_suffix(suffix) {
                Some(side) => (prefix, Some(side)),
                None => (id, None),
            },
            None => (id, None),
        };
        let long_enough = prefix.chars().count() >= 4;
        let mut matches: Vec<(&String, Side)> = self
            .index
            .iter()
            .filter_map(|(key, &(deck, card))| {
                let side = self.decks[deck].side(card);
                let written = side.written_id(key);
                let named = written == prefix || (long_enough && written.starts_with(prefix));
                let side_matches = wanted.is_none_or(|wanted| side.same_card(wanted));
                (named && side_matches).then_some((key, side))
            })
            .collect();
        if wanted.is_none() && matches.iter().any(|(_, side)| *side == Side::Forward) {
            matches.retain(|(_, side)| *side == Side::Forward);
        }
        let mut matches: Vec<&String> = matches.into_iter().map(|(key, _)| key).collect();
        matches.sort();
        match matches.as_slice() {
            [one] => Ok(self.get(one).expect("indexed")),
            [] if !long_enough => bail!(
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
