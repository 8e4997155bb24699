//! Anki notes as cards: one card per note, grouped by the deck each goes
//! to (one prep deck per Anki deck, or the one the user names). The first
//! field is the question and the others the answer, HTML read back as
//! markdown; a note that prep exported comes back with its card id. A note
//! drilled both ways in Anki comes back with `reverse: true`, and a cloze
//! note as a cloze card (its Text the question, its Back Extra the answer);
//! each of the note's Anki cards is mapped to the prep card of its side.

use std::collections::HashMap;

use super::html;
use super::read::{Note, NoteKind};
use crate::decks::cloze;
use crate::decks::deck::slug;
use crate::decks::sides::Side;
use crate::import::{FoundCard, Skipped};

/// The cards bound for one prep deck.
#[derive(Debug, Default)]
pub struct DeckGroup {
    pub deck: String,
    /// The title of the deck, from its Anki description (as markdown).
    pub title: Option<String>,
    pub found: Vec<FoundCard>,
    /// Notes that gave no card: an empty question or answer.
    pub skipped: Vec<Skipped>,
}

/// Every note of a package or text export, as cards.
#[derive(Debug, Default)]
pub struct Cards {
    /// The decks, in the order their first note came.
    pub groups: Vec<DeckGroup>,
    /// How many notes refer to images or sounds.
    pub with_media: usize,
    /// Where each Anki card went: (group, index in group, side of that
    /// card), for replaying its review log.
    pub anki_cards: HashMap<i64, (usize, usize, Side)>,
    /// The Anki cards that became no prep card: the position of their
    /// note, and why; so that their reviews are reported, not dropped.
    pub left_out: HashMap<i64, (usize, NoCard)>,
}

/// Why an Anki card of a note became no prep card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoCard {
    /// Its note was skipped (the import report says why).
    NoteSkipped,
    /// Its template is no side prep drills: a cloze number the text does
    /// not hold, or a template past the second.
    NotASide,
}

/// Turns notes into cards. `deck` puts them all in one deck; otherwise
/// each goes to a slug of its Anki deck, or to `fallback` when it has none.
pub fn to_cards(notes: Vec<Note>, deck: Option<&str>, fallback: &str) -> Cards {
    let mut cards = Cards::default();
    for note in notes {
        let anki_deck = note.deck.as_deref();
        let deck_name = match (deck, anki_deck) {
            (Some(name), _) => name.to_string(),
            (None, Some(anki)) if !slug(anki).is_empty() => slug(anki),
            _ => fallback.to_string(),
        };
        let group = cards.group_of(&deck_name);
        if let Some(description) = &note.deck_description
            && cards.groups[group].title.is_none()
        {
            cards.groups[group].title = Some(html::to_markdown(description).markdown);
        }
        let (question, answer, media) = question_and_answer(&note);
        cards.with_media += usize::from(media);
        let unusable = if question.is_empty() {
            Some(crate::import::SkipReason::Unanswered)
        } else {
            crate::import::unusable(&question, &answer)
        };
        if let Some(reason) = unusable {
            cards.skip(group, &note, &question, reason);
            continue;
        }
        // prep adds the deck's name as a tag on the way out.
        let deck_tags: Vec<String> = [anki_deck.unwrap_or(""), deck_name.as_str()]
            .iter()
            .map(|deck| deck.split_whitespace().collect::<Vec<_>>().join("_"))
            .collect();
        let tags = note
            .tags
            .iter()
            .filter(|tag| !deck_tags.contains(tag))
            .cloned()
            .collect();
        let numbers = if cloze::may_have_deletions(&question) {
            cloze::numbers(&question).unwrap_or_default()
        } else {
            Vec::new()
        };
        let is_cloze = !numbers.is_empty();
        let reverse = note.kind == NoteKind::Reversed && !is_cloze;
        cards.map_anki_cards(&note, group, &numbers, reverse);
        cards.groups[group].found.push(FoundCard {
            question,
            answer,
            tags,
            line: note.position,
            id: note
                .guid
                .as_deref()
                .and_then(super::card_id_of)
                .map(str::to_string),
            reverse,
        });
    }
    cards
}

/// A note's question (its first field) and answer (the others, those not
/// empty), as markdown; and whether they refer to media.
fn question_and_answer(note: &Note) -> (String, String, bool) {
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
    (question, answer, media)
}

impl Cards {
    /// The group of the deck named so, added if new.
    fn group_of(&mut self, deck_name: &str) -> usize {
        match self.groups.iter().position(|group| group.deck == deck_name) {
            Some(group) => group,
            None => {
                self.groups.push(DeckGroup {
                    deck: deck_name.to_string(),
                    ..DeckGroup::default()
                });
                self.groups.len() - 1
            }
        }
    }

    /// A note that gives no card, reported with its first line; its Anki
    /// cards are left out.
    fn skip(
        &mut self,
        group: usize,
        note: &Note,
        question: &str,
        reason: crate::import::SkipReason,
    ) {
        self.groups[group].skipped.push(Skipped {
            first_line: note.position,
            last_line: note.position,
            reason,
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
        for &(card, _) in &note.cards {
            self.left_out
                .insert(card, (note.position, NoCard::NoteSkipped));
        }
    }

    /// Maps each Anki card of a note to the side of the prep card it
    /// becomes, the next of `group`: a cloze number, forward or reversed;
    /// a card that is no side is left out.
    fn map_anki_cards(&mut self, note: &Note, group: usize, numbers: &[u32], reverse: bool) {
        let is_cloze = !numbers.is_empty();
        let index_in_group = self.groups[group].found.len();
        for (index, &(card, ord)) in note.cards.iter().enumerate() {
            let side = match (is_cloze, reverse, ord) {
                (true, _, ord) => {
                    let number = ord + 1;
                    if !numbers.contains(&number) {
                        self.left_out
                            .insert(card, (note.position, NoCard::NotASide));
                        continue;
                    }
                    Side::Cloze { number, of: number }
                }
                (false, true, 0) => Side::Forward,
                (false, true, 1) => Side::Reversed,
                // A plain note's first card is the card.
                (false, false, _) if index == 0 => Side::Forward,
                _ => {
                    self.left_out
                        .insert(card, (note.position, NoCard::NotASide));
                    continue;
                }
            };
            self.anki_cards.insert(card, (group, index_in_group, side));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(deck: Option<&str>, fields: &[&str], card: i64) -> Note {
        Note {
            guid: None,
            deck: deck.map(str::to_string),
            deck_description: None,
            fields: fields.iter().map(|field| field.to_string()).collect(),
            html: true,
            tags: vec!["Networking::Basics".into(), "tcp".into()],
            kind: NoteKind::Basic,
            cards: vec![(card, 0)],
            position: card as usize,
        }
    }

    #[test]
    fn notes_become_cards_grouped_by_deck() {
        let cards = to_cards(
            vec![
                note(
                    Some("Networking::Basics"),
                    &["What is <b>TCP</b>?", "A protocol."],
                    1,
                ),
                note(None, &["Lonely?", "Yes."], 2),
                note(Some("Networking::Basics"), &["Empty answer?", ""], 3),
                note(
                    Some("Networking::Basics"),
                    &["What is UDP?", "Datagrams.", "<img src=\"u.png\">"],
                    4,
                ),
            ],
            None,
            "fallback",
        );
        let decks: Vec<&str> = cards
            .groups
            .iter()
            .map(|group| group.deck.as_str())
            .collect();
        assert_eq!(decks, ["networking-basics", "fallback"]);
        let first = &cards.groups[0];
        assert_eq!(first.found[0].question, "What is **TCP**?");
        assert_eq!(first.found[0].answer, "A protocol.");
        // The deck's own name is not kept as a tag.
        assert_eq!(first.found[0].tags, ["tcp"]);
        assert_eq!(first.skipped.len(), 1);
        assert_eq!(first.skipped[0].excerpt, "Empty answer?");
        assert_eq!(cards.with_media, 1);
        assert_eq!(cards.anki_cards[&4], (0, 1, Side::Forward));
        let one = to_cards(vec![note(None, &["Q?", "A."], 1)], Some("mine"), "fallback");
        assert_eq!(one.groups[0].deck, "mine");
    }
}
