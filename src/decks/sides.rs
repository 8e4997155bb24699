/*!
The cards a written card gives. What a deck file holds is, in Anki's words,
notes; what a quiz shows, grades and schedules are the cards they give:

- a plain card gives itself (its forward side), under its own id;
- a card with `reverse: true` (or in a deck with `reverse: true`) gives a
  second card, answer to question, under `ID:r`;
- a card whose question holds cloze deletions (`{{c1::...}}`) gives one
  card per cloze number, under `ID:c1`, `ID:c2`, ..., and no forward side.

The forward side keeps the written id, so a card's history never moves
when it gains a reversed side. The suffix begins with `:`, which no
generated id holds and no shell needs quoted, so `prep grade 3f2a:r` works
as typed. This module is the one definition of those ids.
*/

use std::path::Path;

use anyhow::{Result, bail};

use crate::decks::cloze;
use crate::decks::deck::{Card, Deck};

/// Which card of its written card a review card is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Side {
    /// The card as written: question, then answer.
    #[default]
    Forward,
    /// Answer, then question.
    Reversed,
    /// The card of cloze `number`; `of` is the highest number the card
    /// holds.
    Cloze { number: u32, of: u32 },
}

impl Side {
    /// What the id of this side adds to the written card's id.
    pub fn suffix(self) -> String {
        match self {
            Side::Forward => String::new(),
            Side::Reversed => ":r".to_string(),
            Side::Cloze { number, .. } => format!(":c{number}"),
        }
    }

    /// The id this side of the card written as `card_id` is reviewed under.
    pub fn review_id(self, card_id: &str) -> String {
        format!("{card_id}{}", self.suffix())
    }

    /// The id of the written card a review card of this side came from.
    pub fn written_id(self, review_id: &str) -> &str {
        let suffix = self.suffix();
        review_id.strip_suffix(suffix.as_str()).unwrap_or(review_id)
    }

    /// The word JSON outputs use: `forward`, `reversed` or `cloze`.
    pub fn kind(self) -> &'static str {
        match self {
            Side::Forward => "forward",
            Side::Reversed => "reversed",
            Side::Cloze { .. } => "cloze",
        }
    }

    /// The cloze number, for a cloze card.
    pub fn cloze(self) -> Option<u32> {
        match self {
            Side::Cloze { number, .. } => Some(number),
            _ => None,
        }
    }

    /// What the reviewer says of the side: `reversed`, `cloze 1 of 2`;
    /// nothing for a forward card.
    pub fn label(self) -> Option<String> {
        match self {
            Side::Forward => None,
            Side::Reversed => Some("reversed".to_string()),
            Side::Cloze { number, of } => Some(format!("cloze {number} of {of}")),
        }
    }

    /// The side a suffix typed after an id names (`r`, `c2`), if any: for
    /// reading ids people type.
    pub fn parse_suffix(text: &str) -> Option<Side> {
        if text == "r" {
            return Some(Side::Reversed);
        }
        let digits = text.strip_prefix('c')?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let number: u32 = digits.parse().ok().filter(|&n| n > 0)?;
        Some(Side::Cloze { number, of: number })
    }

    /// Whether two sides are the same card of a written card (the `of`
    /// of a typed suffix is unknown).
    pub fn same_card(self, other: Side) -> bool {
        match (self, other) {
            (Side::Cloze { number: a, .. }, Side::Cloze { number: b, .. }) => a == b,
            (a, b) => a == b,
        }
    }
}

/// The sides `card` of `deck` gives, in the order a quiz introduces them.
pub fn sides_of(deck: &Deck, card: &Card) -> Vec<Side> {
    if cloze::may_have_deletions(&card.question)
        && let Ok(numbers) = cloze::numbers(&card.question)
        && let Some(&of) = numbers.last()
    {
        return numbers
            .into_iter()
            .map(|number| Side::Cloze { number, of })
            .collect();
    }
    if card.reverse.unwrap_or(deck.reverse) {
        vec![Side::Forward, Side::Reversed]
    } else {
        vec![Side::Forward]
    }
}

/// Whether every card of `deck` gives just itself, so that its review
/// cards are its written cards. Cheap: a flag and a substring test.
pub fn only_forward(deck: &Deck) -> bool {
    !deck.reverse
        && deck
            .cards
            .iter()
            .all(|card| card.reverse != Some(true) && !cloze::may_have_deletions(&card.question))
}

/// How many cards `deck` gives.
pub fn card_count(deck: &Deck) -> usize {
    if only_forward(deck) {
        return deck.cards.len();
    }
    deck.cards
        .iter()
        .map(|card| sides_of(deck, card).len())
        .sum()
}

/// The review cards of `deck` and their sides, or `None` when they are
/// its written cards. A reversed card's question is the written answer and
/// its answer the written question; a cloze card's question is its front
/// and its answer its back, then the written answer (Anki's "Back Extra").
pub fn review_cards(deck: &Deck) -> Option<(Vec<Card>, Vec<Side>)> {
    if only_forward(deck) {
        return None;
    }
    let mut cards = Vec::with_capacity(deck.cards.len() + deck.cards.len() / 4);
    let mut sides = Vec::with_capacity(cards.capacity());
    for card in &deck.cards {
        for side in sides_of(deck, card) {
            cards.push(review_card(card, side));
            sides.push(side);
        }
    }
    Some((cards, sides))
}

/// The card `side` of `card` shows.
pub fn review_card(card: &Card, side: Side) -> Card {
    let mut shown = card.clone();
    shown.id = side.review_id(&card.id);
    match side {
        Side::Forward => {}
        Side::Reversed => std::mem::swap(&mut shown.question, &mut shown.answer),
        Side::Cloze { number, .. } => {
            // The text was validated when the deck loaded.
            shown.question = cloze::front(&card.question, number).unwrap_or_default();
            let back = cloze::back(&card.question, number).unwrap_or_default();
            shown.answer = if card.answer.trim().is_empty() {
                back
            } else {
                format!("{back}\n\n{}", card.answer)
            };
        }
    }
    shown
}

/// Checks that no derived card's id is a written card's: `ID:r` written by
/// hand beside a reversed `ID` would make two cards share a history.
/// `place(index)` names the file and line of card `index`.
pub fn check_ids(deck: &Deck, path: &Path, place: impl Fn(usize) -> String) -> Result<()> {
    if only_forward(deck) {
        return Ok(());
    }
    let written: std::collections::HashMap<&str, usize> = deck
        .cards
        .iter()
        .enumerate()
        .map(|(index, card)| (card.id.as_str(), index))
        .collect();
    for (index, card) in deck.cards.iter().enumerate() {
        for side in sides_of(deck, card) {
            if side == Side::Forward {
                continue;
            }
            let id = side.review_id(&card.id);
            if let Some(&other) = written.get(id.as_str()) {
                bail!(
                    "{}: card {} gives the card {id:?}, and card {} of {} is written with that id; give that card another id",
                    place(index),
                    card.id,
                    other + 1,
                    path.display()
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(id: &str, question: &str, answer: &str, reverse: Option<bool>) -> Card {
        Card {
            id: id.into(),
            question: question.into(),
            answer: answer.into(),
            reverse,
            tags: Vec::new(),
            source: None,
        }
    }

    /// The ids are stored in the history: pinned.
    #[test]
    fn derived_ids_are_pinned() {
        assert_eq!(Side::Forward.review_id("3f2a9c01b2d4"), "3f2a9c01b2d4");
        assert_eq!(Side::Reversed.review_id("3f2a9c01b2d4"), "3f2a9c01b2d4:r");
        let cloze = Side::Cloze { number: 12, of: 12 };
        assert_eq!(cloze.review_id("mine"), "mine:c12");
        assert_eq!(cloze.written_id("mine:c12"), "mine");
        assert_eq!(Side::Reversed.written_id("a:r"), "a");
        assert_eq!(Side::parse_suffix("r"), Some(Side::Reversed));
        assert_eq!(
            Side::parse_suffix("c3"),
            Some(Side::Cloze { number: 3, of: 3 })
        );
        for text in ["", "c", "c0", "cx", "R", "r1"] {
            assert_eq!(Side::parse_suffix(text), None, "{text}");
        }
    }

    #[test]
    fn a_deck_gives_its_cards_sides() {
        let deck = Deck {
            reverse: true,
            cards: vec![
                card("a", "Q?", "A.", None),
                card("b", "Q2?", "A2.", Some(false)),
                card("c", "{{c2::x}} and {{c1::y}}", "", None),
            ],
            ..Deck::default()
        };
        let (cards, sides) = review_cards(&deck).unwrap();
        let ids: Vec<&str> = cards.iter().map(|card| card.id.as_str()).collect();
        assert_eq!(ids, ["a", "a:r", "b", "c:c1", "c:c2"]);
        assert_eq!(sides[1], Side::Reversed);
        assert_eq!(
            (cards[1].question.as_str(), cards[1].answer.as_str()),
            ("A.", "Q?")
        );
        assert_eq!(cards[3].question, "x and [...]");
        assert_eq!(cards[3].answer, "x and **y**");
        assert_eq!(sides[4].label().as_deref(), Some("cloze 2 of 2"));
        // A deck of plain cards is its own review cards: no copy.
        let plain = Deck {
            cards: vec![card("a", "Q?", "A.", Some(false))],
            ..Deck::default()
        };
        assert!(review_cards(&plain).is_none());
    }

    #[test]
    fn a_derived_id_written_by_hand_is_an_error() {
        let deck = Deck {
            cards: vec![
                card("a:r", "Q?", "A.", None),
                card("a", "Q2?", "A2.", Some(true)),
            ],
            ..Deck::default()
        };
        let err = check_ids(&deck, Path::new("d.yaml"), |index| {
            format!("d.yaml:{index}")
        })
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "d.yaml:1: card a gives the card \"a:r\", and card 1 of d.yaml is written with that id; give that card another id"
        );
    }
}
