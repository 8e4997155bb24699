/*!
What changed between two versions of a deck, card by card, by id: what
`prep sync` says of the decks another device changed.

A card changed when what is drilled changed: its question, answer, tags or
`reverse`. Its `source` line alone is no change a person needs to hear of.
*/

use foldhash::{HashMap, HashSet};

use super::deck::Card;

/// The cards a deck gained, lost and changed, each in the order of the
/// version that holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardChanges {
    pub added: Vec<Card>,
    pub removed: Vec<Card>,
    /// The cards as they are now.
    pub changed: Vec<Card>,
}

impl CardChanges {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// The changes from `before` to `after`.
pub fn between(before: &[Card], after: &[Card]) -> CardChanges {
    let old: HashMap<&str, &Card> = before.iter().map(|card| (card.id.as_str(), card)).collect();
    let now: HashSet<&str> = after.iter().map(|card| card.id.as_str()).collect();
    let mut changes = CardChanges::default();
    for card in after {
        match old.get(card.id.as_str()) {
            None => changes.added.push(card.clone()),
            Some(was) if !same_drill(was, card) => changes.changed.push(card.clone()),
            Some(_) => {}
        }
    }
    changes.removed = before
        .iter()
        .filter(|card| !now.contains(card.id.as_str()))
        .cloned()
        .collect();
    changes
}

fn same_drill(a: &Card, b: &Card) -> bool {
    a.question == b.question && a.answer == b.answer && a.tags == b.tags && a.reverse == b.reverse
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(id: &str, answer: &str, source: &str) -> Card {
        Card {
            id: id.to_string(),
            question: format!("{id}?"),
            answer: answer.to_string(),
            reverse: None,
            tags: Vec::new(),
            source: Some(source.to_string()),
        }
    }

    #[test]
    fn cards_are_told_apart_by_id_and_a_moved_source_line_is_no_change() {
        let before = [
            card("a", "1", "n.md:1"),
            card("b", "2", "n.md:3"),
            card("c", "3", "n.md:5"),
        ];
        let after = [
            card("a", "1", "n.md:9"),
            card("c", "three", "n.md:5"),
            card("d", "4", "n.md:7"),
        ];
        let changes = between(&before, &after);
        let ids = |cards: &[Card]| cards.iter().map(|card| card.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&changes.added), ["d"]);
        assert_eq!(ids(&changes.removed), ["b"]);
        assert_eq!(ids(&changes.changed), ["c"]);
        assert_eq!(changes.changed[0].answer, "three");
        assert!(between(&after, &after).is_empty());
    }
}
