//! How well card identity survives real edits to the notes, measured on
//! every corpus document: each is imported, every question (or answer) is
//! given a seeded random light edit, and the result imported again. The
//! share of cards that keep their id is printed and must be at least 95%,
//! and no card may take another card's id.

use std::collections::HashMap;
use std::path::Path;

use super::merge::{MergeInput, Resolve, merge, merge_three_way};
use super::{FoundCard, read_notes};

/// SplitMix64: a fixed, seeded sequence, the same on every machine.
struct Sequence(u64);

impl Sequence {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One light edit of the kinds people make: a word inserted or removed, a
/// typo made or fixed, a clause reworded, punctuation or numbering changed.
fn lightly_edit(text: &str, random: &mut Sequence) -> String {
    let mut words: Vec<String> = text.split(' ').map(str::to_string).collect();
    let kind = random.below(6);
    match kind {
        0 => {
            let at = random.below(words.len() + 1);
            let word = ["really", "exactly", "actually", "usually", "briefly"][random.below(5)];
            words.insert(at, word.to_string());
        }
        1 if words.len() >= 4 => {
            let at = random.below(words.len());
            words.remove(at);
        }
        2 => {
            // Two neighbouring letters of a longer word swapped.
            let long: Vec<usize> = (0..words.len())
                .filter(|&i| words[i].chars().filter(|c| c.is_alphabetic()).count() >= 5)
                .collect();
            if let Some(&i) = long.get(random.below(long.len().max(1))) {
                let mut chars: Vec<char> = words[i].chars().collect();
                let at = 1 + random.below(chars.len().saturating_sub(3).max(1));
                if at + 1 < chars.len() {
                    chars.swap(at, at + 1);
                }
                words[i] = chars.into_iter().collect();
            } else {
                words.push("please".into());
            }
        }
        3 if words.len() >= 6 => {
            // A clause reworded: two neighbouring words replaced.
            let at = random.below(words.len() - 1);
            words[at] = "in".into();
            words[at + 1] = "practice".into();
        }
        4 => {
            let last = words.len() - 1;
            let word = &mut words[last];
            if word.ends_with('?') {
                word.pop();
            } else {
                word.push('?');
            }
            if random.below(2) == 0 {
                words[0] = words[0].to_lowercase();
            }
        }
        _ => {
            let number = 1 + random.below(99);
            words.insert(0, format!("{number})"));
        }
    }
    words.join(" ")
}

/// A change made to a document's cards, with a seeded sequence.
type Edit = fn(&mut Vec<FoundCard>, &mut Sequence);

struct Measured {
    cards: usize,
    kept: usize,
    wrong: usize,
}

/// Imports `found`, changes it with `edit`, imports again, and counts.
fn measure(found: Vec<FoundCard>, edit: impl Fn(&mut Vec<FoundCard>)) -> Measured {
    let first = merge(&Default::default(), "d", "n.md", None, found.clone(), false);
    let ids: Vec<String> = first.statuses.iter().map(|(id, _)| id.clone()).collect();
    // Each card carries its index so its fate can be followed through a
    // reordering.
    let mut edited: Vec<FoundCard> = found
        .into_iter()
        .enumerate()
        .map(|(index, mut card)| {
            card.line = index;
            card
        })
        .collect();
    edit(&mut edited);
    let origin: Vec<usize> = edited.iter().map(|card| card.line).collect();
    let replaced = origin.iter().filter(|&&line| line == usize::MAX).count();
    let again = merge_three_way(MergeInput {
        existing: &first.deck,
        imported: &first.imported,
        reported: &first.reported,
        deck_name: "d",
        file_label: "n.md",
        title: None,
        found: edited,
        prune: false,
        conflicts: Resolve::Report,
        settle_only: &[],
        deleted_earlier: &[],
    });
    let owner: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let mut measured = Measured {
        cards: ids.len() - replaced,
        kept: 0,
        wrong: 0,
    };
    for ((id, _), original) in again.statuses.iter().zip(origin) {
        match owner.get(id.as_str()) {
            Some(&was) if was == original => measured.kept += 1,
            Some(&was) => {
                measured.wrong += 1;
                println!(
                    "  wrong: {:?} took the id of {:?}",
                    again.deck.card(id).map(|card| &card.question),
                    first.deck.cards[was].question
                );
            }
            None => {}
        }
    }
    measured
}

/// The edits measured, each with what it does.
fn scenarios() -> [(&'static str, Edit); 5] {
    [
        ("every question lightly edited", |cards, random| {
            for card in cards.iter_mut() {
                card.question = lightly_edit(&card.question, random);
            }
        }),
        (
            "two questions swapped, every answer edited",
            |cards, random| {
                if cards.len() >= 2 {
                    let a = random.below(cards.len());
                    let b = (a + 1 + random.below(cards.len() - 1)) % cards.len();
                    cards.swap(a, b);
                }
                for card in cards.iter_mut() {
                    card.answer = lightly_edit(&card.answer, random);
                }
            },
        ),
        (
            "question and answer both lightly edited",
            |cards, random| {
                for card in cards.iter_mut() {
                    card.question = lightly_edit(&card.question, random);
                    card.answer = lightly_edit(&card.answer, random);
                }
            },
        ),
        // The prose of each question reworded, its code and options left:
        // near-identical cards (one question over two slightly different
        // code blocks) must each keep their own id.
        (
            "the first line of every question reworded twice",
            |cards, random| {
                for card in cards.iter_mut() {
                    let (first, rest) = card
                        .question
                        .split_once('\n')
                        .unwrap_or((card.question.as_str(), ""));
                    let first = lightly_edit(&lightly_edit(first, random), random);
                    card.question = if rest.is_empty() {
                        first
                    } else {
                        format!("{first}\n{rest}")
                    };
                }
            },
        ),
        // Every fifth card replaced by a new question of the same shape:
        // it must get a new id, and the others keep theirs.
        (
            "a fifth of the cards replaced, the rest edited",
            |cards, random| {
                for (index, card) in cards.iter_mut().enumerate() {
                    if index % 5 == 4 {
                        let topic =
                            ["caching", "sharding", "a mutex", "DNS", "gossip"][random.below(5)];
                        card.question = format!("What is {topic} used for in system {index}?");
                        card.answer = format!("Something else entirely, number {index}.");
                        card.line = usize::MAX;
                    } else {
                        card.question = lightly_edit(&card.question, random);
                    }
                }
            },
        ),
    ]
}

/// Every corpus document's cards, by file name.
fn corpus() -> Vec<(String, Vec<FoundCard>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
    let mut documents: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension().is_some_and(|ext| ext == "md") && !path.ends_with("README.md")
        })
        .collect();
    documents.sort();
    documents
        .iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (
                name,
                read_notes(&std::fs::read(path).unwrap()).unwrap().cards,
            )
        })
        .collect()
}

#[test]
fn ids_survive_light_edits_on_every_corpus_document() {
    let read = corpus();
    let mut failures = Vec::new();
    for (scenario, edit) in scenarios() {
        let (mut cards, mut kept, mut wrong) = (0, 0, 0);
        for (seed, (name, found)) in read.iter().enumerate() {
            let measured = measure(found.clone(), |cards| {
                edit(cards, &mut Sequence(seed as u64 + 1));
            });
            println!(
                "{scenario}: {name}: {} of {} kept their id ({:.1}%), {} wrong",
                measured.kept,
                measured.cards,
                100.0 * measured.kept as f64 / measured.cards.max(1) as f64,
                measured.wrong
            );
            cards += measured.cards;
            kept += measured.kept;
            wrong += measured.wrong;
        }
        let share = kept as f64 / cards as f64;
        println!(
            "{scenario}: {kept} of {cards} kept their id ({:.1}%), {wrong} wrong matches",
            share * 100.0
        );
        if share < 0.95 || wrong > 0 {
            failures.push(format!(
                "{scenario}: {:.1}% kept, {wrong} wrong",
                share * 100.0
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
