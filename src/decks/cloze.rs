/*!
Cloze deletions, as Anki writes them: `{{c1::text}}` or `{{c1::text::hint}}`
in a card's question. A card with deletions gives one card per number, and
the card of number N hides only the deletions of N.

This module parses the markers and renders the two sides of one number as
markdown, so the reviewer, `prep show` and the line protocol render them as
they render any card: the front has each of N's deletions as `[...]` (or
`[hint]`) and the others' text in place; the back has N's deletions in bold.

Markers are found where markdown would show them as text: a `{{c1::` in a
code span or a fenced block is code, not a deletion (a card about Anki's
syntax stays a plain card), and code spans inside a deletion are kept
whole, so `{{c1::`a}}b`}}` deletes the span. Inside a deletion, braces
pair up (`{{c1::fn f() { x }}}` deletes `fn f() { x }`) and a nested
deletion (`{{c1::outer {{c2::inner}}}}`) is a deletion of its own.
*/

use std::fmt::Write as _;

/// The marker that opens a deletion starts with this; text without it has
/// no deletion, which is the cheap check a load makes first.
const OPEN: &str = "{{c";

/// A malformed deletion: where (byte offset in the text) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClozeError {
    pub offset: usize,
    pub message: String,
}

/// One piece of a parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Deletion {
        number: u32,
        content: Vec<Piece<'a>>,
        hint: Option<&'a str>,
    },
}

/// The cloze numbers of `text`, sorted and without repeats: empty for a
/// text without deletions.
pub fn numbers(text: &str) -> Result<Vec<u32>, ClozeError> {
    if !may_have_deletions(text) {
        return Ok(Vec::new());
    }
    let pieces = parse(text)?;
    let mut numbers = Vec::new();
    collect_numbers(&pieces, &mut numbers);
    numbers.sort_unstable();
    numbers.dedup();
    Ok(numbers)
}

/// Whether `text` may hold a deletion: false means it certainly does not.
/// Asked of every card of every deck as it loads, so it looks for a `{`
/// with memchr and only then compares (a substring search, `str::contains`
/// or memmem, costs more to set up per call than a short question takes
/// to scan).
pub fn may_have_deletions(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(found) = memchr::memchr(b'{', &bytes[from..]) {
        let at = from + found;
        if bytes[at..].starts_with(OPEN.as_bytes()) {
            return true;
        }
        from = at + 1;
    }
    false
}

/// The front of cloze `number`: its deletions hidden as `[...]` (or their
/// hint in brackets), every other deletion shown as its text.
pub fn front(text: &str, number: u32) -> Result<String, ClozeError> {
    let pieces = parse(text)?;
    let mut out = String::with_capacity(text.len());
    write_side(&pieces, number, Side::Front, &mut out);
    Ok(out)
}

/// The back of cloze `number`: the whole text, its deletions in bold so
/// the eye finds what was hidden.
pub fn back(text: &str, number: u32) -> Result<String, ClozeError> {
    let pieces = parse(text)?;
    let mut out = String::with_capacity(text.len() + 8);
    write_side(&pieces, number, Side::Back, &mut out);
    Ok(out)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Front,
    Back,
}

fn collect_numbers(pieces: &[Piece], out: &mut Vec<u32>) {
    for piece in pieces {
        if let Piece::Deletion {
            number, content, ..
        } = piece
        {
            out.push(*number);
            collect_numbers(content, out);
        }
    }
}

fn write_side(pieces: &[Piece], number: u32, side: Side, out: &mut String) {
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Deletion {
                number: own,
                content,
                hint,
            } if *own == number => match side {
                Side::Front => {
                    let _ = write!(out, "[{}]", hint.map_or("...", str::trim));
                }
                Side::Back => {
                    let mut shown = String::new();
                    write_side(content, number, Side::Back, &mut shown);
                    out.push_str(&emphasised(&shown));
                }
            },
            Piece::Deletion { content, .. } => write_side(content, number, side, out),
        }
    }
}

/// `text` in bold, its surrounding spaces left outside the markers (which
/// CommonMark needs to see a strong span). Text bold cannot span (a blank
/// line, a code block) is left as it is.
fn emphasised(text: &str) -> String {
    let inner = text.trim();
    if inner.is_empty() || inner.contains("\n\n") || inner.contains("```") || inner.contains("~~~")
    {
        return text.to_string();
    }
    let start = text.len() - text.trim_start().len();
    let end = start + inner.len();
    format!("{}**{inner}**{}", &text[..start], &text[end..])
}

/// Parses `text` into text and deletions.
fn parse(text: &str) -> Result<Vec<Piece<'_>>, ClozeError> {
    let mut parser = Parser { text, at: 0 };
    let pieces = parser.pieces(false)?;
    Ok(pieces)
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
}

/// How a deletion's content ended.
enum End<'a> {
    Closed,
    Hint(&'a str),
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    /// The pieces up to the end of the text, or (inside a deletion) up to
    /// its closing `}}` or its hint's `::`, which are left for the caller.
    fn pieces(&mut self, inside: bool) -> Result<Vec<Piece<'a>>, ClozeError> {
        let mut pieces = Vec::new();
        let mut start = self.at;
        let mut depth = 0usize;
        let bytes = self.text.as_bytes();
        while self.at < bytes.len() {
            let rest = self.rest();
            if let Some((number, length)) = opener(rest) {
                if start < self.at {
                    pieces.push(Piece::Text(&self.text[start..self.at]));
                }
                let opened = self.at;
                self.at += length;
                pieces.push(self.deletion(number, opened)?);
                start = self.at;
                continue;
            }
            match bytes[self.at] {
                b'`' => self.skip_code(),
                b'{' if inside => {
                    depth += 1;
                    self.at += 1;
                }
                b'}' if inside && depth > 0 => {
                    depth -= 1;
                    self.at += 1;
                }
                b'}' if inside && rest.starts_with("}}") => break,
                b':' if inside && depth == 0 && rest.starts_with("::") => break,
                _ => self.at += rest.chars().next().map_or(1, char::len_utf8),
            }
        }
        if start < self.at {
            pieces.push(Piece::Text(&self.text[start..self.at]));
        }
        Ok(pieces)
    }

    /// The deletion whose opener (at `opened`) was just read.
    fn deletion(&mut self, number: u32, opened: usize) -> Result<Piece<'a>, ClozeError> {
        let content = self.pieces(true)?;
        let end = if self.rest().starts_with("}}") {
            self.at += 2;
            End::Closed
        } else if self.rest().starts_with("::") {
            self.at += 2;
            // A hint is text up to the closing braces.
            let Some(close) = self.rest().find("}}") else {
                return Err(unclosed(number, opened));
            };
            let hint = &self.rest()[..close];
            self.at += close + 2;
            End::Hint(hint)
        } else {
            return Err(unclosed(number, opened));
        };
        if content.iter().all(|piece| match piece {
            Piece::Text(text) => text.trim().is_empty(),
            Piece::Deletion { .. } => false,
        }) {
            return Err(ClozeError {
                offset: opened,
                message: format!(
                    "the deletion {{{{c{number}::}}}} is empty; write the text it hides"
                ),
            });
        }
        Ok(Piece::Deletion {
            number,
            content,
            hint: match end {
                End::Closed => None,
                End::Hint(hint) => Some(hint).filter(|hint| !hint.trim().is_empty()),
            },
        })
    }

    /// Moves past a code span (a run of backticks up to the next run of
    /// the same length), or past the backticks alone if none closes it.
    fn skip_code(&mut self) {
        let bytes = self.text.as_bytes();
        let run = bytes[self.at..].iter().take_while(|&&b| b == b'`').count();
        let mut at = self.at + run;
        while at < bytes.len() {
            if bytes[at] == b'`' {
                let closing = bytes[at..].iter().take_while(|&&b| b == b'`').count();
                if closing == run {
                    self.at = at + closing;
                    return;
                }
                at += closing;
            } else {
                at += 1;
            }
        }
        self.at += run;
    }
}

fn unclosed(number: u32, opened: usize) -> ClozeError {
    ClozeError {
        offset: opened,
        message: format!("the deletion {{{{c{number}:: is not closed; end it with }}}}"),
    }
}

/// The number and length of a deletion's opener at the start of `text`:
/// `{{c`, digits, `::`. Number 0 is no cloze number (Anki counts from 1),
/// nor is one too large to be a card's.
fn opener(text: &str) -> Option<(u32, usize)> {
    let rest = text.strip_prefix(OPEN)?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 4 || !rest[digits..].starts_with("::") {
        return None;
    }
    let number: u32 = rest[..digits].parse().ok()?;
    (number > 0).then_some((number, OPEN.len() + digits + 2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any text parses or is an error, never a panic; each number it
        /// holds renders both sides, its front with a placeholder where a
        /// deletion was.
        #[test]
        fn any_text_parses_and_renders_without_panic(
            pieces in proptest::collection::vec(
                prop_oneof![
                    Just("{{c1::"), Just("{{c2::"), Just("{{c10::"), Just("::"), Just("}}"),
                    Just("{"), Just("}"), Just("`"), Just("``"), Just("é"), Just("日本"),
                    Just("a"), Just(" "), Just("\n"), Just("{{c"), Just("c1::"),
                ],
                0..24,
            )
        ) {
            let text = pieces.concat();
            if let Ok(numbers) = numbers(&text) {
                for number in numbers {
                    let front = front(&text, number).unwrap();
                    back(&text, number).unwrap();
                    prop_assert!(front.contains('['), "{text:?} gives {front:?}");
                }
            }
        }
    }

    fn sides(text: &str, number: u32) -> (String, String) {
        (front(text, number).unwrap(), back(text, number).unwrap())
    }

    #[test]
    fn each_number_hides_only_its_own_deletions() {
        let text = "{{c1::Paris}} is the capital of {{c2::France::country}}.";
        assert_eq!(numbers(text).unwrap(), [1, 2]);
        assert_eq!(
            sides(text, 1),
            (
                "[...] is the capital of France.".to_string(),
                "**Paris** is the capital of France.".to_string()
            )
        );
        assert_eq!(
            sides(text, 2),
            (
                "Paris is the capital of [country].".to_string(),
                "Paris is the capital of **France**.".to_string()
            )
        );
    }

    #[test]
    fn deletions_of_one_number_are_hidden_together() {
        let text = "{{c1::a}} then {{c2::b}} then {{c1::c}}";
        assert_eq!(numbers(text).unwrap(), [1, 2]);
        assert_eq!(
            sides(text, 1),
            (
                "[...] then b then [...]".to_string(),
                "**a** then b then **c**".to_string()
            )
        );
    }

    #[test]
    fn code_and_braces_inside_a_deletion_are_kept_whole() {
        let text = "Run {{c1::`kubectl get {{pods}}`}} or {{c2::fn f() { x }}}.";
        assert_eq!(numbers(text).unwrap(), [1, 2]);
        assert_eq!(
            sides(text, 1),
            (
                "Run [...] or fn f() { x }.".to_string(),
                "Run **`kubectl get {{pods}}`** or fn f() { x }.".to_string()
            )
        );
        assert_eq!(
            front(text, 2).unwrap(),
            "Run `kubectl get {{pods}}` or [...]."
        );
        // `::` inside code is code, not a hint.
        assert_eq!(back("{{c1::`std::vec`}}", 1).unwrap(), "**`std::vec`**");
    }

    #[test]
    fn markers_in_code_are_text() {
        assert_eq!(
            numbers("What does `{{c1::x}}` do in Anki?").unwrap(),
            [0u32; 0]
        );
        assert_eq!(numbers("```\n{{c1::x}}\n```").unwrap(), [0u32; 0]);
        assert_eq!(
            numbers("{{cat}} and {{c0::x}} and {{c::y}}").unwrap(),
            [0u32; 0]
        );
    }

    #[test]
    fn nested_deletions_are_deletions_of_their_own() {
        let text = "{{c1::outer {{c2::inner}} end}}";
        assert_eq!(numbers(text).unwrap(), [1, 2]);
        assert_eq!(front(text, 1).unwrap(), "[...]");
        assert_eq!(back(text, 1).unwrap(), "**outer inner end**");
        assert_eq!(front(text, 2).unwrap(), "outer [...] end");
        assert_eq!(back(text, 2).unwrap(), "outer **inner** end");
    }

    #[test]
    fn markdown_inside_a_deletion_stays_markdown() {
        let text = "The {{c1::*first* step}} and {{c1:: spaced }}.";
        assert_eq!(
            back(text, 1).unwrap(),
            "The ***first* step** and  **spaced** ."
        );
        // Bold cannot span paragraphs: such a deletion is shown as it is.
        assert_eq!(back("{{c1::a\n\nb}}", 1).unwrap(), "a\n\nb");
    }

    #[test]
    fn malformed_deletions_say_where_and_what() {
        let err = numbers("ok {{c1::never closed").unwrap_err();
        assert_eq!(err.offset, 3);
        assert_eq!(
            err.message,
            "the deletion {{c1:: is not closed; end it with }}"
        );
        let err = numbers("{{c2::  }}").unwrap_err();
        assert_eq!(
            err.message,
            "the deletion {{c2::}} is empty; write the text it hides"
        );
        assert!(numbers("{{c1::a::hint").is_err());
        // A hint left empty is no hint.
        assert_eq!(front("{{c1::a::}}", 1).unwrap(), "[...]");
    }

    #[test]
    fn text_without_deletions_is_left_alone() {
        assert!(!may_have_deletions("plain {c1} text"));
        assert_eq!(numbers("plain text").unwrap(), [0u32; 0]);
        assert_eq!(front("é {{c1::ñ}} 日本", 1).unwrap(), "é [...] 日本");
    }
}
