/*!
Where a card starts in a deck file, for an editor's `+LINE` and for the
place named in deck errors.

The YAML model keeps no positions, and counting `- ` lines in the text
miscounts as soon as a card has tags, an answer with a list in a block
scalar, or a comment. So the line comes from the YAML parser itself:
serde_yaml gives an error raised while a value is being read the position
of that value's first event, and a card is a value. Walking the deck to
the wanted card and stopping there with an error yields the line where
libyaml saw the card begin, whatever the layout: tags, block scalars,
flow sequences, comments, any order of keys, any indentation.
*/

use std::cell::Cell;
use std::fmt;
use std::path::Path;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::decks::deck::Deck;

/// Which card of a deck to look for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardAt<'a> {
    /// The card at this index of `cards:` (0-based).
    Index(usize),
    /// The first card with this id.
    Id(&'a str),
}

/// The 1-based line where the card starts, or `None` when the text is not
/// YAML or holds no such card. A card written as `-` alone on a line, its
/// keys below, starts on the `-` line.
pub fn card_line(text: &str, at: CardAt<'_>) -> Option<usize> {
    let found = Cell::new(false);
    let search = Search { at, found: &found };
    let err = search
        .deserialize(serde_yaml::Deserializer::from_str(text))
        .err()?;
    // The walk fails only where it found the card, unless the YAML itself
    // is broken; the flag tells the two apart.
    if !found.get() {
        return None;
    }
    let location = err.location()?;
    Some(item_line(text, location.line(), location.column()))
}

/// The line of the `index`th card, or 1 when there is none (for messages
/// about a deck that did parse, so there always is one).
pub fn line_of_card(text: &str, index: usize) -> usize {
    card_line(text, CardAt::Index(index)).unwrap_or(1)
}

/// The line where each card starts in a deck's text as prep writes it
/// ([`Deck::to_yaml`]), in one pass: there every card, and nothing else,
/// is a `- ` line at the margin below `cards:` (nested lists and block
/// scalars are indented). For a report that names many cards of a large
/// deck just written, where walking the deck once per card would be
/// quadratic; text a person wrote goes through [`card_line`].
pub fn written_card_lines(text: &str) -> Vec<usize> {
    let mut in_cards = false;
    let mut lines = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.starts_with("cards:") {
            in_cards = true;
        } else if in_cards && (line.starts_with("- ") || line == "-") {
            lines.push(number + 1);
        }
    }
    lines
}

/// `text` with an `id:` line written into each card that loading gave an
/// id (`deck` is `text` loaded), the rest of the file byte for byte: a
/// person's comments, order and layout stay. `None` when a card is laid
/// out in a way the insertion does not handle (a flow mapping) or the
/// result would not load as the same cards; the caller then writes the
/// deck whole.
pub fn write_assigned_ids(text: &str, deck: &Deck, path: &Path) -> Option<String> {
    if deck.assigned_ids.is_empty() {
        return Some(text.to_string());
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    // What to do to which line (0-based): insert a line before it, or
    // replace it. Each card changes its own line, so applying them from
    // the last line up keeps the others' numbers right.
    enum Change {
        InsertBefore(usize, String),
        Replace(usize, String),
    }
    let mut changes = Vec::new();
    for (index, card) in deck.cards.iter().enumerate() {
        if !deck.assigned_ids.contains(&card.id) {
            continue;
        }
        let line = card_line(text, CardAt::Index(index))? - 1;
        let this = lines.get(line)?;
        let indent = this.len() - this.trim_start().len();
        let rest = this.trim_start().strip_prefix('-')?;
        let after_dash = rest.trim_start();
        if after_dash.is_empty() || after_dash.starts_with('#') {
            // `-` alone: the keys are on the lines below, at their own
            // indentation.
            let (offset, below) = lines[line + 1..]
                .iter()
                .enumerate()
                .find(|(_, next)| !next.trim().is_empty() && !next.trim_start().starts_with('#'))?;
            let key_indent = below.len() - below.trim_start().len();
            changes.push(Change::InsertBefore(
                line + 1 + offset,
                format!("{}id: {}\n", " ".repeat(key_indent), card.id),
            ));
        } else if after_dash.starts_with('{') {
            return None;
        } else {
            // `- question: ...`: the id goes first, the key moves below it
            // at the same column.
            let key_column = indent + 1 + (rest.len() - after_dash.len());
            changes.push(Change::Replace(
                line,
                format!(
                    "{}- id: {}\n{}{after_dash}",
                    &this[..indent],
                    card.id,
                    " ".repeat(key_column)
                ),
            ));
        }
    }
    let mut out: Vec<String> = lines.iter().map(|line| line.to_string()).collect();
    changes.sort_by_key(|change| match change {
        Change::InsertBefore(line, _) | Change::Replace(line, _) => std::cmp::Reverse(*line),
    });
    for change in changes {
        match change {
            Change::InsertBefore(line, text) => out.insert(line, text),
            Change::Replace(line, text) => out[line] = text,
        }
    }
    let written = out.concat();
    let reread = Deck::parse(&written, path).ok()?;
    (reread.cards == deck.cards && reread.assigned_ids.is_empty()).then_some(written)
}

/// Where an editor should open the deck at `path` to work on card `id`.
/// When the deck loads, the line of the card the loaded deck holds under
/// that id (found by its place, so a card whose id is not written in the
/// file is found too). When the file does not read as a deck (a YAML slip,
/// a misspelt key), the line of that problem, which is what needs fixing
/// first. When it reads but does not validate (an empty answer, an id used
/// twice), the card with that id written. Else 1.
pub fn edit_line(text: &str, path: &Path, id: &str) -> usize {
    if let Ok(deck) = Deck::parse(text, path) {
        return deck
            .cards
            .iter()
            .position(|card| card.id == id)
            .and_then(|index| card_line(text, CardAt::Index(index)))
            .unwrap_or(1);
    }
    if let Err(err) = serde_yaml::from_str::<Deck>(text)
        && let Some(at) = err.location()
    {
        return at.line();
    }
    card_line(text, CardAt::Id(id)).unwrap_or(1)
}

/// The line a card that starts at `line`, `column` (1-based) begins on
/// for a reader: the line of its `-` when that stands alone above it.
fn item_line(text: &str, line: usize, column: usize) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let Some(this) = lines.get(line - 1) else {
        return line;
    };
    let before: String = this.chars().take(column - 1).collect();
    if !before.trim().is_empty() {
        return line;
    }
    // Blank and comment lines may stand between the dash and the keys.
    for (number, above) in lines[..line - 1].iter().enumerate().rev() {
        let content = above.trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let dash = content
            .strip_prefix('-')
            .is_some_and(|rest| rest.is_empty() || rest.trim_start().starts_with('#'));
        return if dash { number + 1 } else { line };
    }
    line
}

/// The walk: the top-level mapping, its `cards:` sequence, each card.
struct Search<'a> {
    at: CardAt<'a>,
    found: &'a Cell<bool>,
}

impl Search<'_> {
    /// The error that stops the walk at the card, whose position serde_yaml
    /// fills in.
    fn stop<E: de::Error>(&self) -> E {
        self.found.set(true);
        E::custom("the card is here")
    }
}

impl<'de> DeserializeSeed<'de> for Search<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(Top(self))
    }
}

struct Top<'a>(Search<'a>);

impl<'de> Visitor<'de> for Top<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a deck")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<serde_yaml::Value>()? {
            if key.as_str() == Some("cards") {
                map.next_value_seed(Cards(&self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct Cards<'s, 'a>(&'s Search<'a>);

impl<'de> DeserializeSeed<'de> for Cards<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Cards<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of cards")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        loop {
            let more = match self.0.at {
                CardAt::Index(wanted) if wanted != index => {
                    seq.next_element::<IgnoredAny>()?.is_some()
                }
                CardAt::Index(_) => seq.next_element_seed(Card::here(self.0))?.is_some(),
                CardAt::Id(id) => seq.next_element_seed(Card::with_id(self.0, id))?.is_some(),
            };
            if !more {
                return Ok(());
            }
            index += 1;
        }
    }
}

/// One card of the list: the wanted one by index (`id` is `None`), which
/// stops the walk as soon as it begins, whatever it is; or a card that
/// stops it once its `id` turns out to be the wanted one.
struct Card<'s, 'a> {
    search: &'s Search<'a>,
    id: Option<&'a str>,
}

impl<'s, 'a> Card<'s, 'a> {
    fn here(search: &'s Search<'a>) -> Self {
        Card { search, id: None }
    }

    fn with_id(search: &'s Search<'a>, id: &'a str) -> Self {
        Card {
            search,
            id: Some(id),
        }
    }

    /// What a card that is not a mapping does: stops the walk if it is the
    /// wanted one, else fails it (such a deck does not load anyway).
    fn not_a_mapping<E: de::Error>(self) -> Result<(), E> {
        match self.id {
            None => Err(self.search.stop()),
            Some(_) => Err(E::custom("a card is a mapping")),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Card<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Card<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a card")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some(wanted) = self.id else {
            return Err(self.search.stop());
        };
        while let Some(key) = map.next_key::<serde_yaml::Value>()? {
            if key.as_str() != Some("id") {
                map.next_value::<IgnoredAny>()?;
            // Read as `Card::id` reads it, as text: `id: 0123` is "0123",
            // not a number.
            } else if map.next_value::<String>()? == wanted {
                // At once, before the rest of the card: an edit may have
                // broken the YAML further down.
                return Err(self.search.stop());
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        self.not_a_mapping()
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.not_a_mapping()
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.not_a_mapping()
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.not_a_mapping()
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.not_a_mapping()
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.not_a_mapping()
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.not_a_mapping()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_written_into_a_hand_written_deck_keeping_its_text() {
        let text = "# my cards\ncards:\n- id: a\n  question: Q?\n  answer: A.\n\n# typed later\n- question: What is X?\n  answer: |-\n    - a list\n-\n    question: Y?\n    answer: B.\n";
        let path = Path::new("mine.yaml");
        let deck = Deck::parse(text, path).unwrap();
        assert_eq!(deck.assigned_ids.len(), 2);
        let written = write_assigned_ids(text, &deck, path).unwrap();
        let (x, y) = (&deck.assigned_ids[0], &deck.assigned_ids[1]);
        assert_eq!(
            written,
            format!(
                "# my cards\ncards:\n- id: a\n  question: Q?\n  answer: A.\n\n# typed later\n- id: {x}\n  question: What is X?\n  answer: |-\n    - a list\n-\n    id: {y}\n    question: Y?\n    answer: B.\n"
            )
        );
        let reread = Deck::parse(&written, path).unwrap();
        assert!(reread.assigned_ids.is_empty());
        assert_eq!(reread.cards, deck.cards);
        // A flow mapping is left to a whole rewrite.
        let flow = "cards:\n- {question: Q?, answer: A.}\n";
        let deck = Deck::parse(flow, path).unwrap();
        assert_eq!(write_assigned_ids(flow, &deck, path), None);
    }
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Whatever the text, looking for a card returns, never panics.
        #[test]
        fn any_text_is_searched_without_a_panic(text in "(cards:|- |id: |  |\\||-|#|:|\\[|\\]|\\{|\\}|a|\n|\t|'|\"){0,40}") {
            for index in 0..3 {
                let _ = card_line(&text, CardAt::Index(index));
            }
            let _ = card_line(&text, CardAt::Id("a"));
            let _ = edit_line(&text, Path::new("d.yaml"), "a");
        }

        /// In a deck prep writes, whatever its text, each card starts on
        /// its `- ` line, and the lines rise with the cards.
        #[test]
        fn cards_of_a_written_deck_start_at_their_dashes(
            texts in proptest::collection::vec(("[a-z\\-: \n|>#]{1,30}", "[a-z\\-: \n|>#]{1,30}", proptest::collection::vec("[a-z\\- ]{1,8}", 0..3)), 1..6)
        ) {
            let cards: Vec<crate::decks::deck::Card> = texts
                .into_iter()
                .enumerate()
                .filter(|(_, (question, answer, _))| !question.trim().is_empty() && !answer.trim().is_empty())
                .map(|(index, (question, answer, tags))| crate::decks::deck::Card {
                    id: format!("c{index}"),
                    question,
                    answer,
                    reverse: None,
                    tags,
                    source: None,
                })
                .collect();
            let deck = Deck { cards, ..Deck::default() };
            let text = deck.to_yaml();
            let lines: Vec<&str> = text.lines().collect();
            let written = written_card_lines(&text);
            prop_assert_eq!(written.len(), deck.cards.len());
            let mut last = 0;
            for (index, &written_line) in written.iter().enumerate() {
                let line = card_line(&text, CardAt::Index(index)).unwrap();
                prop_assert!(lines[line - 1].starts_with("- "), "{line}: {text}");
                prop_assert_eq!(written_line, line);
                prop_assert!(line > last);
                last = line;
            }
        }
    }

    /// Every card's line, by index, and the same found by id.
    fn lines(text: &str) -> Vec<usize> {
        let deck = Deck::parse(text, Path::new("d.yaml")).unwrap();
        let by_index: Vec<usize> = (0..deck.cards.len())
            .map(|index| card_line(text, CardAt::Index(index)).unwrap())
            .collect();
        let by_id: Vec<usize> = deck
            .cards
            .iter()
            .map(|card| card_line(text, CardAt::Id(&card.id)).unwrap())
            .collect();
        assert_eq!(by_index, by_id);
        assert_eq!(card_line(text, CardAt::Index(deck.cards.len())), None);
        assert_eq!(card_line(text, CardAt::Id("no such card")), None);
        by_index
    }

    #[test]
    fn the_bundled_aws_deck() {
        let text = crate::decks::collection::bundled("aws").unwrap();
        let found = lines(text);
        assert_eq!(found[..3], [4, 19, 94]);
        // Each is the line of that card's `- id:`.
        let dashes: Vec<usize> = text
            .lines()
            .enumerate()
            .filter(|(_, line)| line.starts_with("- id: "))
            .map(|(number, _)| number + 1)
            .collect();
        assert_eq!(found, dashes);
    }

    #[test]
    fn every_bundled_deck_starts_its_cards_at_their_dashes() {
        for name in crate::decks::collection::bundled_names() {
            let text = crate::decks::collection::bundled(name).unwrap();
            let dashes: Vec<usize> = text
                .lines()
                .enumerate()
                .filter(|(_, line)| line.starts_with("- id: "))
                .map(|(number, _)| number + 1)
                .collect();
            assert_eq!(lines(text), dashes, "{name}");
        }
    }

    #[test]
    fn block_scalars_with_dashes_tags_and_comments() {
        let text = "\
# a comment
cards:
# - id: commented-out
- id: a
  question: Q?
  answer: |-
    - not a card
    - nor this
  tags: [x, y]
- question: Keys in another order?
  # - id: nope
  id: b
  answer: >
    - folded
- id: c
  question: Plain
    - continued
  answer: Yes.
  tags:
    - deep
    - deeper
";
        assert_eq!(lines(text), [4, 10, 15]);
    }

    #[test]
    fn indented_sequences_flow_style_and_a_lone_dash() {
        let text = "\
title: T
cards:
    -   id: a
        question: Q?
        answer: A.
    -
        # the keys on the next lines
        id: b
        question: Q?
        answer: A.
    - {id: c, question: Q?,
       answer: A.}
";
        assert_eq!(lines(text), [3, 6, 11]);
        let flow =
            "cards: [{id: a, question: Q?, answer: A.},\n  {id: b, question: Q?, answer: A.}]\n";
        assert_eq!(lines(flow), [1, 2]);
    }

    #[test]
    fn ids_are_text_and_not_found_is_none() {
        let text = "cards:\n- id: 0123\n  question: Q?\n  answer: A.\n- id: 'x'\n  question: Q?\n  answer: A.\n";
        assert_eq!(card_line(text, CardAt::Id("0123")), Some(2));
        assert_eq!(card_line(text, CardAt::Id("x")), Some(5));
        assert_eq!(card_line("not: [yaml", CardAt::Index(0)), None);
        assert_eq!(card_line("", CardAt::Index(0)), None);
        assert_eq!(card_line("- a list\n", CardAt::Index(0)), None);
        assert_eq!(card_line("cards: 3\n", CardAt::Index(0)), None);
        // A stray item that is not a card has a place, but no id.
        let stray = "cards:\n- just text\n- id: b\n  question: Q?\n";
        assert_eq!(card_line(stray, CardAt::Index(0)), Some(2));
        assert_eq!(card_line(stray, CardAt::Index(1)), Some(3));
        assert_eq!(card_line(stray, CardAt::Id("just text")), None);
    }

    #[test]
    fn a_card_in_a_deck_that_does_not_validate_is_still_found() {
        // An empty answer and a second card with the same id: the deck
        // does not load, but the editor should still open at the card.
        let text = "cards:\n- id: a\n  question: Q?\n  answer: ''\n- id: b\n  question: Q?\n  answer: A.\n";
        assert_eq!(edit_line(text, Path::new("d.yaml"), "b"), 5);
        assert_eq!(line_of_card(text, 1), 5);
    }

    #[test]
    fn deck_errors_name_the_cards_line() {
        let text = "cards:\n- id: a\n  question: Q?\n  answer: A.\n  tags:\n  - t\n  - u\n- id: b\n  question: Q?\n  answer: ' '\n";
        let err = Deck::parse(text, Path::new("d.yaml")).unwrap_err();
        assert!(
            format!("{err:#}").starts_with("d.yaml:8: card b has an empty answer"),
            "{err:#}"
        );
    }

    #[test]
    fn the_editor_opens_a_broken_deck_where_it_is_broken() {
        let text = "cards:\n- id: a\n  question: Q?\n  answer: A.\n- id: b\n  question: [Q?\n";
        assert_eq!(edit_line(text, Path::new("d.yaml"), "a"), 6);
        // The card the edit broke is still found, for `prep edit`.
        assert_eq!(card_line(text, CardAt::Id("b")), Some(5));
        let misspelt = "cards:\n- id: a\n  question: Q?\n  anser: A.\n";
        assert_eq!(edit_line(misspelt, Path::new("d.yaml"), "a"), 4);
        assert_eq!(edit_line(misspelt, Path::new("d.yaml"), "gone"), 4);
        assert_eq!(edit_line("", Path::new("d.yaml"), "gone"), 1);
        assert_eq!(edit_line("cards: []\n", Path::new("d.yaml"), "gone"), 1);
    }
}
