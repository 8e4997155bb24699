/*!
The YAML deck: the cards a person reads, edits and keeps in git.

A deck file holds an optional title, whether its cards are also drilled
answer to question (`reverse`), and a list of cards. Loading validates it
(unique ids, non-empty question and answer, well-formed cloze deletions) and
names the file, line and column of whatever is wrong. The cards a quiz
shows are made from these in [`crate::decks::sides`]. Saving writes the canonical form atomically
(temporary file, fsync, rename), so a crash leaves either the old deck or the
new one, and loading then saving a canonical file gives the same bytes.
*/

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

/// The first line of every deck prep writes. Comments are not kept by the
/// YAML model, so this one is written back on every save.
pub const HEADER: &str =
    "# prep deck. Edit freely; keep each card's id, which ties it to its review history.\n";

/// Two decks are equal when their title and cards are: which ids a load
/// had to give is how the file was written, not what the deck holds.
#[derive(Debug, Clone, Default, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deck {
    /// The document's title, when the notes had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Every card also gives a reversed card (answer to question), unless
    /// its own `reverse` says otherwise. Not written when false, so decks
    /// written before it existed keep their bytes.
    #[serde(default, skip_serializing_if = "is_false")]
    pub reverse: bool,
    #[serde(default)]
    pub cards: Vec<Card>,
    /// Ids this load gave cards typed without one (derived from the deck's
    /// name and the question, so every load gives the same), to be written
    /// into the file the next time prep writes the deck.
    #[serde(skip)]
    pub assigned_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Card {
    /// Stable identity: review history is keyed by it. A card typed by
    /// hand may leave it out; loading then gives it one.
    #[serde(default)]
    pub id: String,
    /// Markdown, numbering stripped.
    pub question: String,
    /// Markdown as written in the notes: lists, code, tables, emphasis.
    /// May be left out on a cloze card, where it is what the back shows
    /// under the text (Anki's "Back Extra").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub answer: String,
    /// Whether the card also gives a reversed card; the deck's `reverse`
    /// when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverse: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Where the card was imported from: `file:line`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// How much of each card a command needs: answers are most of a deck's
/// text, and summaries (stats, grading by id, listings) never show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contents {
    Everything,
    /// Every field but `answer`, which is left empty.
    WithoutAnswers,
}

impl Contents {
    /// `deck` with what this leaves out removed. A reversed card keeps its
    /// answer: it is the question of its reversed side.
    pub fn apply(self, mut deck: Deck) -> Deck {
        if self == Contents::WithoutAnswers {
            let deck_reverse = deck.reverse;
            for card in &mut deck.cards {
                if !card.reverse.unwrap_or(deck_reverse) {
                    card.answer = String::new();
                }
            }
        }
        deck
    }
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl Card {
    /// The file part of `source`, if any.
    pub fn source_file(&self) -> Option<&str> {
        let source = self.source.as_deref()?;
        Some(match source.rsplit_once(':') {
            Some((file, line)) if line.bytes().all(|b| b.is_ascii_digit()) => file,
            _ => source,
        })
    }
}

impl PartialEq for Deck {
    fn eq(&self, other: &Deck) -> bool {
        self.title == other.title && self.reverse == other.reverse && self.cards == other.cards
    }
}

impl Deck {
    /// Parses and validates deck text; `path` only names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Deck> {
        let mut deck: Deck = if text.trim().is_empty() {
            Deck::default()
        } else {
            serde_yaml::from_str(text).map_err(|err| {
                yaml_error(
                    path,
                    &err,
                    "fix the YAML, or move the file away to start the deck afresh",
                )
            })?
        };
        deck.assign_missing_ids(path);
        deck.validate(text, path)?;
        Ok(deck)
    }

    /// Reads and validates a deck file.
    pub fn load(path: &Path) -> Result<Deck> {
        Deck::from_bytes(read_deck_file(path)?, path)
    }

    /// Validates deck bytes read from `path`, which names the file in
    /// errors.
    pub fn from_bytes(bytes: Vec<u8>, path: &Path) -> Result<Deck> {
        let text = String::from_utf8(bytes).map_err(|err| {
            anyhow::anyhow!(
                "{}: not valid UTF-8 (byte {}); save the deck as UTF-8",
                path.display(),
                err.utf8_error().valid_up_to()
            )
        })?;
        Deck::parse(&text, path)
    }

    /// Gives every card without an id (or with an empty one) the id an
    /// import would give its question, so a card typed into the YAML
    /// needs no invented id.
    fn assign_missing_ids(&mut self, path: &Path) {
        if self.cards.iter().all(|card| !card.id.trim().is_empty()) {
            return;
        }
        let name = path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut taken: std::collections::HashSet<String> =
            self.cards.iter().map(|card| card.id.clone()).collect();
        for card in &mut self.cards {
            if card.id.trim().is_empty() && !card.question.trim().is_empty() {
                card.id = crate::decks::card_identity::new_id(&name, &card.question, &taken);
                taken.insert(card.id.clone());
                self.assigned_ids.push(card.id.clone());
            }
        }
    }

    fn validate(&self, text: &str, path: &Path) -> Result<()> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (index, card) in self.cards.iter().enumerate() {
            let place = || {
                let line = line_of_card(text, index);
                format!("{}:{line}", path.display())
            };
            if card.id.trim().is_empty() {
                bail!(
                    "{}: card {} has an empty id; give it a unique id",
                    place(),
                    index + 1
                );
            }
            if card.question.trim().is_empty() {
                bail!(
                    "{}: card {} has an empty question; write one or remove the card",
                    place(),
                    card.id
                );
            }
            let clozes = if crate::decks::cloze::may_have_deletions(&card.question) {
                crate::decks::cloze::numbers(&card.question).map_err(|err| {
                    anyhow::anyhow!(
                        "{}: card {}: {} (at {:?})",
                        place(),
                        card.id,
                        err.message,
                        excerpt(&card.question[err.offset..])
                    )
                })?
            } else {
                Vec::new()
            };
            if clozes.is_empty() && card.answer.trim().is_empty() {
                bail!(
                    "{}: card {} has an empty answer; write one or remove the card",
                    place(),
                    card.id
                );
            }
            if !clozes.is_empty() && card.reverse == Some(true) {
                bail!(
                    "{}: card {} has cloze deletions and `reverse: true`; a cloze card has no reversed side, so remove `reverse`",
                    place(),
                    card.id
                );
            }
            if let Some(first) = seen.insert(card.id.as_str(), index) {
                bail!(
                    "{}: card id {:?} is used twice (cards {} and {}); give one of them a new id",
                    place(),
                    card.id,
                    first + 1,
                    index + 1
                );
            }
        }
        crate::decks::sides::check_ids(self, path, |index| {
            format!("{}:{}", path.display(), line_of_card(text, index))
        })
    }

    /// A deck of these cards.
    pub fn new(title: Option<String>, cards: Vec<Card>) -> Deck {
        Deck {
            title,
            reverse: false,
            cards,
            assigned_ids: Vec::new(),
        }
    }

    /// The canonical text of this deck.
    pub fn to_yaml(&self) -> String {
        let mut text = String::from(HEADER);
        // Serializing plain strings and vectors cannot fail.
        let body = serde_yaml::to_string(self).expect("a deck always serializes");
        let _ = write!(text, "{body}");
        text
    }

    /// Writes the deck atomically: a temporary file beside the target,
    /// flushed to disk, then renamed over it.
    pub fn save(&self, path: &Path) -> Result<()> {
        write_atomically(path, self.to_yaml().as_bytes())
    }

    pub fn card(&self, id: &str) -> Option<&Card> {
        self.cards.iter().find(|card| card.id == id)
    }
}

/// Writes into the deck file at `path` the ids that loading gives its
/// cards typed without one, keeping the rest of its text as it is where it
/// can (else writing the deck whole), and returns those ids. A deck that
/// does not load is left alone.
pub fn write_missing_ids(path: &Path) -> Result<Vec<String>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(_) => return Ok(Vec::new()),
    };
    let Ok(deck) = Deck::parse(&text, path) else {
        return Ok(Vec::new());
    };
    if deck.assigned_ids.is_empty() {
        return Ok(Vec::new());
    }
    let written = crate::decks::lines::write_assigned_ids(&text, &deck, path)
        .unwrap_or_else(|| deck.to_yaml());
    write_atomically(path, written.as_bytes())?;
    Ok(deck.assigned_ids)
}

/// The first words of `text`, to point at in a message.
fn excerpt(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    match line.char_indices().nth(30) {
        Some((at, _)) => format!("{}...", &line[..at]),
        None => line.to_string(),
    }
}

/// The bytes of a deck file, with the file named when it cannot be read.
fn read_deck_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read deck {}", path.display()))
}

pub use crate::files::write_atomically;

/// Where a card starts, for messages; see [`crate::decks::lines`].
pub(crate) use crate::decks::lines::line_of_card;

pub(crate) use crate::files::yaml_error;

/// A deck name made from free text: lowercase ASCII letters, digits and
/// dashes. Used for default deck names and for tags.
pub fn slug(text: &str) -> String {
    let mut slug = String::new();
    let mut dash = false;
    for ch in text.chars().flat_map(char::to_lowercase) {
        if ch.is_ascii_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            slug.push(ch);
            dash = false;
        } else if ch.is_alphanumeric() {
            // Keep letters of other scripts rather than lose the word.
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            slug.push(ch);
            dash = false;
        } else {
            dash = true;
        }
    }
    slug
}

/// Whether `name` can name a deck file: a slug, so that the same name
/// works on every file system and in `--deck`.
pub fn check_deck_name(name: &str) -> Result<()> {
    let valid = !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .all(|ch| ch.is_alphanumeric() || ch == '-' || ch == '_')
        && !name.starts_with('-');
    if !valid {
        bail!(
            "{name:?} is not a valid deck name; use letters, digits, '-' and '_' (for example {:?})",
            slug(name)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> Deck {
        Deck {
            assigned_ids: Vec::new(),
            title: Some("Notes".into()),
            reverse: false,
            cards: vec![Card {
                id: "a1".into(),
                question: "What is `x`?".into(),
                answer: "Line one.\n\n- item\n\n```sh\necho hi\n```".into(),
                reverse: None,
                tags: vec!["aws".into()],
                source: Some("notes.md:3".into()),
            }],
        }
    }

    /// Text as people paste it: YAML's special characters, quotes,
    /// markdown, leading and trailing spaces and line breaks, tabs, CRs,
    /// control characters, non-ASCII letters and emoji, numbers and words
    /// YAML would read as other types (`yes`, `null`, `1e3`).
    fn text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            "[a-zA-Z0-9 ]{1,12}",
            Just(": ".to_string()),
            Just("- ".to_string()),
            Just("# ".to_string()),
            Just("'".to_string()),
            Just("\"".to_string()),
            Just("\\".to_string()),
            Just("\n".to_string()),
            Just("\n\n".to_string()),
            Just("\t".to_string()),
            Just("\r\n".to_string()),
            Just("  ".to_string()),
            Just("|".to_string()),
            Just(">".to_string()),
            Just("{a: b}".to_string()),
            Just("[x]".to_string()),
            Just("&anchor *alias !tag %".to_string()),
            Just("---".to_string()),
            Just("...".to_string()),
            Just("yes".to_string()),
            Just("null".to_string()),
            Just("~".to_string()),
            Just("1e3".to_string()),
            Just("0x1F".to_string()),
            Just("```sh\necho hi\n```".to_string()),
            Just("é ñ 日本 🚀".to_string()),
            Just("{{c1::".to_string()),
            Just("{{c2::".to_string()),
            Just("::".to_string()),
            Just("}}".to_string()),
            Just("\u{7}\u{1b}[0m".to_string()),
            Just("\u{feff}\u{2028}\u{85}".to_string()),
            any::<char>().prop_map(String::from),
        ];
        proptest::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
    }

    fn deck() -> impl Strategy<Value = Deck> {
        let card = (
            text(),
            text(),
            proptest::option::of(any::<bool>()),
            proptest::collection::vec(text(), 0..3),
            proptest::option::of(text()),
        );
        (
            proptest::option::of(text()),
            any::<bool>(),
            proptest::collection::vec(card, 0..6),
        )
            .prop_map(|(title, reverse, cards)| Deck {
                assigned_ids: Vec::new(),
                title,
                reverse,
                cards: cards
                    .into_iter()
                    .enumerate()
                    .filter_map(|(index, (question, answer, reverse, tags, source))| {
                        // What validation takes: cloze text that reads,
                        // and an answer unless it is cloze text.
                        let clozes = crate::decks::cloze::numbers(&question).ok()?;
                        let usable = !question.trim().is_empty()
                            && (!clozes.is_empty() || !answer.trim().is_empty());
                        usable.then(|| Card {
                            // Ids are generated by prep or typed by people;
                            // both are short, so only the text varies here.
                            id: format!("card-{index}"),
                            question,
                            answer,
                            reverse: if clozes.is_empty() { reverse } else { None },
                            tags,
                            source,
                        })
                    })
                    .collect(),
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// Saving a deck and loading it back gives the same deck, and
        /// saving that again gives the same bytes, whatever the text.
        #[test]
        fn save_then_load_is_the_identity(deck in deck()) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("d.yaml");
            deck.save(&path).unwrap();
            let first = std::fs::read(&path).unwrap();
            let loaded = Deck::load(&path).unwrap();
            prop_assert_eq!(&loaded, &deck);
            loaded.save(&path).unwrap();
            prop_assert_eq!(std::fs::read(&path).unwrap(), first);
        }
    }

    #[cfg(unix)]
    #[test]
    fn saving_keeps_a_decks_mode_and_gives_a_new_one_the_usual_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        let plain = dir.path().join("plain");
        std::fs::File::create(&plain).unwrap();
        let new = dir.path().join("new.yaml");
        sample().save(&new).unwrap();
        assert_eq!(mode(&new), mode(&plain));
        let shared = dir.path().join("shared.yaml");
        std::fs::write(&shared, "cards: []\n").unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o640)).unwrap();
        sample().save(&shared).unwrap();
        assert_eq!(mode(&shared), 0o640);
    }

    #[test]
    fn save_then_load_is_identity_and_bytes_are_stable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.yaml");
        let deck = sample();
        deck.save(&path).unwrap();
        let first = std::fs::read(&path).unwrap();
        let loaded = Deck::load(&path).unwrap();
        assert_eq!(loaded, deck);
        loaded.save(&path).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), first);
    }

    #[test]
    fn duplicate_ids_name_the_line() {
        let text =
            "cards:\n- id: a\n  question: q\n  answer: a\n- id: a\n  question: q2\n  answer: a2\n";
        let err = Deck::parse(text, Path::new("x.yaml")).unwrap_err();
        let message = format!("{err:#}");
        assert!(message.starts_with("x.yaml:5:"), "{message}");
        assert!(message.contains("used twice"), "{message}");
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let err = Deck::parse("cards:\n- id: [\n", Path::new("bad.yaml")).unwrap_err();
        let message = format!("{err:#}");
        assert!(message.starts_with("bad.yaml:"), "{message}");
        assert!(!message.contains(" at line "), "{message}");
    }

    #[test]
    fn a_card_typed_without_an_id_gets_the_one_its_question_gives() {
        let text =
            "cards:\n- id: a\n  question: q\n  answer: a\n- question: What is X?\n  answer: X.\n";
        let deck = Deck::parse(text, Path::new("mine.yaml")).unwrap();
        let expected = crate::decks::card_identity::new_id(
            "mine",
            "What is X?",
            &std::collections::HashSet::new(),
        );
        assert_eq!(deck.cards[1].id, expected);
        assert_eq!(deck.assigned_ids, vec![expected]);
        assert_eq!(Deck::parse(text, Path::new("mine.yaml")).unwrap(), deck);
        // Written once, the id is the card's own, and the deck the same.
        let saved = Deck::parse(&deck.to_yaml(), Path::new("mine.yaml")).unwrap();
        assert!(saved.assigned_ids.is_empty());
        assert_eq!(saved, deck);
        // Even an id written as an empty anchor (as the deck fuzzer found).
        let anchored = "cards:\n- id: &a\n  question: Q?\n  answer: A.\n";
        let deck = Deck::parse(anchored, Path::new("mine.yaml")).unwrap();
        assert_eq!(deck.assigned_ids.len(), 1);
        assert_eq!(
            Deck::parse(&deck.to_yaml(), Path::new("mine.yaml")).unwrap(),
            deck
        );
    }

    #[test]
    fn an_unknown_key_suggests_the_key_it_is_most_like() {
        let err = Deck::parse(
            "cards:\n- id: a\n  question: q\n  anwser: a\n",
            Path::new("x.yaml"),
        )
        .unwrap_err();
        assert!(
            format!("{err:#}").contains("unknown field `anwser`, expected one of"),
            "{err:#}"
        );
        assert!(
            format!("{err:#}").contains("(did you mean `answer`?)"),
            "{err:#}"
        );
    }

    /// Inputs the deck fuzzer once failed on (`tests/fixtures/fuzz/deck/`),
    /// through the target's checks: a deck that loads saves to text that
    /// loads back to the same deck and the same text.
    #[test]
    fn fuzz_regressions() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fuzz/deck");
        let path = Path::new("fuzz.yaml");
        for entry in std::fs::read_dir(dir).unwrap() {
            let file = entry.unwrap().path();
            let Ok(deck) = Deck::from_bytes(std::fs::read(&file).unwrap(), path) else {
                continue;
            };
            let yaml = deck.to_yaml();
            let again = Deck::parse(&yaml, path).unwrap();
            assert_eq!(again, deck, "{}", file.display());
            assert_eq!(again.to_yaml(), yaml, "{}", file.display());
        }
    }

    #[test]
    fn empty_answer_is_rejected() {
        let text = "cards:\n- id: a\n  question: q\n  answer: ''\n";
        let err = Deck::parse(text, Path::new("x.yaml")).unwrap_err();
        assert!(format!("{err:#}").contains("empty answer"));
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("My Notes (2025).md"), "my-notes-2025-md");
        assert_eq!(slug("  --AWS__DevOps "), "aws-devops");
        assert_eq!(slug("Café Q&A"), "café-q-a");
    }

    #[test]
    fn source_file_strips_the_line() {
        let mut card = sample().cards.remove(0);
        assert_eq!(card.source_file(), Some("notes.md"));
        card.source = Some("C:notes".into());
        assert_eq!(card.source_file(), Some("C:notes"));
    }
}
