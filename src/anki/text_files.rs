//! Decks as text: Anki's text import format (CSV or tab-separated, with
//! the header lines Anki reads: `#separator`, `#html`, `#tags column` and
//! the rest), a plain Q&A markdown document that `prep import` reads back to
//! the same cards, and Anki's "Notes in Plain Text" export read back.

use std::fmt::Write as _;

use super::{guid, html};
use crate::decks::deck::Card;

/// Anki's text formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    Comma,
    Tab,
}

impl Separator {
    fn character(self) -> char {
        match self {
            Separator::Comma => ',',
            Separator::Tab => '\t',
        }
    }

    fn name(self) -> &'static str {
        match self {
            Separator::Comma => "comma",
            Separator::Tab => "tab",
        }
    }
}

/// Decks in Anki's text import format: one line a note with its GUID (so
/// that importing again updates the notes), the question and answer as
/// HTML, the tags (the card's and the deck's) and the deck.
pub fn notes_text<'a>(
    decks: impl IntoIterator<Item = (&'a str, &'a [Card])>,
    separator: Separator,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "#separator:{}", separator.name());
    out.push_str("#html:true\n#notetype:Basic\n");
    out.push_str(
        "#columns:GUID\tFront\tBack\tTags\tDeck\n"
            .replace('\t', &separator.character().to_string())
            .as_str(),
    );
    out.push_str("#guid column:1\n#tags column:4\n#deck column:5\n");
    for (deck, cards) in decks {
        for card in cards {
            let mut tags: Vec<String> = card
                .tags
                .iter()
                .map(|tag| tag.split_whitespace().collect::<Vec<_>>().join("_"))
                .collect();
            let deck_tag = deck.split_whitespace().collect::<Vec<_>>().join("_");
            if !tags.contains(&deck_tag) {
                tags.push(deck_tag);
            }
            let fields = [
                guid(&card.id),
                html::to_html(&card.question),
                html::to_html(&card.answer),
                tags.join(" "),
                deck.to_string(),
            ];
            let line: Vec<String> = fields
                .iter()
                .map(|field| quote(field, separator.character()))
                .collect();
            out.push_str(&line.join(&separator.character().to_string()));
            out.push('\n');
        }
    }
    out
}

/// A field as Anki's CSV reader wants it: in double quotes (inner ones
/// doubled) when it holds the separator, a quote or a line break.
fn quote(field: &str, separator: char) -> String {
    if field.contains([separator, '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// A deck as one Q&A markdown document: the deck's title, then each
/// question as a `##` heading with its answer below. Headings of the first
/// two levels inside answers become `###` headings, which keeps them from
/// reading as questions.
pub fn markdown(title: &str, cards: &[Card]) -> String {
    let mut out = format!("# {title}\n");
    for card in cards {
        let question = card
            .question
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let _ = write!(out, "\n## {question}\n\n");
        let answer = demote_headings(card.answer.trim_end());
        out.push_str(&answer);
        out.push('\n');
    }
    out
}

/// `#` and `##` heading lines outside code blocks as `###` ones.
fn demote_headings(answer: &str) -> String {
    let mut out = String::with_capacity(answer.len());
    let mut fence: Option<&str> = None;
    for line in answer.lines() {
        let trimmed = line.trim_start();
        match fence {
            Some(open) => {
                if trimmed.starts_with(open) {
                    fence = None;
                }
                out.push_str(line);
            }
            None if trimmed.starts_with("```") || trimmed.starts_with("~~~") => {
                fence = Some(&trimmed[..3]);
                out.push_str(line);
            }
            None => {
                let hashes = trimmed.chars().take_while(|&c| c == '#').count();
                let text = trimmed[hashes..].trim();
                if (1..=2).contains(&hashes)
                    && trimmed[hashes..].starts_with(' ')
                    && !text.is_empty()
                {
                    let _ = write!(out, "### {text}");
                } else {
                    out.push_str(line);
                }
            }
        }
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out
}

/// A note of an Anki text file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextNote {
    pub guid: Option<String>,
    pub fields: Vec<String>,
    pub tags: Vec<String>,
    pub deck: Option<String>,
    /// The 1-based line the note starts on.
    pub line: usize,
}

/// Whether text is an Anki text export: it opens with Anki's header lines.
pub fn is_anki_text(text: &str) -> bool {
    let first = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or("");
    first.starts_with("#separator:") || first.starts_with("#html:")
}

/// Reads Anki's "Notes in Plain Text" (and prep's own text export): the
/// header lines say the separator and which columns hold the GUID, tags,
/// deck and note type; every other column is a field, in order.
pub fn read_notes_text(text: &str) -> Result<Vec<TextNote>, String> {
    let text = text.trim_start_matches('\u{feff}');
    let mut separator = '\t';
    let mut guid_column = None;
    let mut tags_column = None;
    let mut deck_column = None;
    let mut notetype_column = None;
    let mut body_start = 0;
    let mut line_number = 0;
    for line in text.split_inclusive('\n') {
        let Some(header) = line.trim_end().strip_prefix('#') else {
            break;
        };
        let Some((key, value)) = header.split_once(':') else {
            break;
        };
        let value = value.trim();
        let column = || value.parse::<usize>().ok().filter(|&column| column > 0);
        match key.trim() {
            "separator" => {
                separator = match value.to_ascii_lowercase().as_str() {
                    "tab" => '\t',
                    "comma" => ',',
                    "semicolon" => ';',
                    "space" => ' ',
                    "pipe" => '|',
                    "colon" => ':',
                    other if other.chars().count() == 1 => other.chars().next().unwrap_or('\t'),
                    other => {
                        return Err(format!(
                            "line {}: unknown separator {other:?}",
                            line_number + 1
                        ));
                    }
                }
            }
            "guid column" => guid_column = column(),
            "tags column" => tags_column = column(),
            "deck column" => deck_column = column(),
            "notetype column" => notetype_column = column(),
            _ => {}
        }
        body_start += line.len();
        line_number += 1;
    }
    let records = split_records(&text[body_start..], separator);
    let mut notes = Vec::new();
    for (offset, record) in records {
        let line = line_number + offset;
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        let take =
            |column: Option<usize>| column.and_then(|column| record.get(column - 1).cloned());
        let special = [guid_column, tags_column, deck_column, notetype_column];
        let fields: Vec<String> = record
            .iter()
            .enumerate()
            .filter(|(index, _)| !special.contains(&Some(index + 1)))
            .map(|(_, field)| field.clone())
            .collect();
        notes.push(TextNote {
            guid: take(guid_column).filter(|guid| !guid.is_empty()),
            fields,
            tags: take(tags_column)
                .map(|tags| tags.split_whitespace().map(str::to_string).collect())
                .unwrap_or_default(),
            deck: take(deck_column).filter(|deck| !deck.is_empty()),
            line,
        });
    }
    Ok(notes)
}

/// Splits CSV-style records: fields in double quotes may hold the
/// separator, quotes (doubled) and line breaks. Each record comes with the
/// 1-based line it starts on, counted from the start of `text`.
fn split_records(text: &str, separator: char) -> Vec<(usize, Vec<String>)> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut at_field_start = true;
    let mut line = 1;
    let mut record_line = 1;
    let mut chars = text.chars().peekable();
    while let Some(character) = chars.next() {
        if quoted {
            if character == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                if character == '\n' {
                    line += 1;
                }
                field.push(character);
            }
            continue;
        }
        match character {
            '"' if at_field_start => {
                quoted = true;
                at_field_start = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                line += 1;
                record.push(std::mem::take(&mut field));
                records.push((record_line, std::mem::take(&mut record)));
                record_line = line;
                at_field_start = true;
            }
            c if c == separator => {
                record.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            c => {
                field.push(c);
                at_field_start = false;
            }
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push((record_line, record));
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(id: &str, question: &str, answer: &str, tags: &[&str]) -> Card {
        Card {
            id: id.into(),
            question: question.into(),
            answer: answer.into(),
            reverse: None,
            tags: tags.iter().map(|tag| tag.to_string()).collect(),
            source: None,
        }
    }

    #[test]
    fn text_exports_read_back_to_the_same_notes() {
        let cards = [
            card(
                "a1",
                "What is S3?",
                "Object storage, \"durable\".\n\n- one\n- two",
                &["storage"],
            ),
            card("b2", "Tabs\tand, commas?", "Yes.", &[]),
        ];
        for separator in [Separator::Comma, Separator::Tab] {
            let text = notes_text([("aws", &cards[..])], separator);
            assert!(is_anki_text(&text));
            let notes = read_notes_text(&text).unwrap();
            assert_eq!(notes.len(), 2, "{text}");
            assert_eq!(notes[0].guid.as_deref(), Some("prep:a1"));
            assert_eq!(notes[0].tags, ["storage", "aws"]);
            assert_eq!(notes[0].deck.as_deref(), Some("aws"));
            assert_eq!(notes[0].fields[1], html::to_html(&cards[0].answer));
            assert_eq!(
                html::to_markdown(&notes[1].fields[0]).markdown,
                "Tabs and, commas?"
            );
        }
    }

    #[test]
    fn headings_in_answers_do_not_become_questions() {
        let text = markdown(
            "aws",
            &[card("a", "Q?", "## Part\n\n```sh\n# comment\n```", &[])],
        );
        assert_eq!(
            text,
            "# aws\n\n## Q?\n\n### Part\n\n```sh\n# comment\n```\n"
        );
    }

    proptest::proptest! {
        /// Any text with Anki's header reads without a panic.
        #[test]
        fn any_notes_text_reads_without_panic(body in "[\"\t,;a-z#:\n ]{0,200}") {
            let _ = read_notes_text(&format!("#separator:tab\n#html:true\n#tags column:2\n{body}"));
        }
    }
}
