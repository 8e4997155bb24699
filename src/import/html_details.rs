//! The HTML inside markdown notes that carries structure: `<details>`
//! elements (a question in its `<summary>`, the answer folded below it,
//! topics nesting questions), read from the tags of [`crate::html`].

use super::document::Details;
use crate::html::{self, Token};

/// Finds `<details>` elements in the document's HTML fragments. Tags are
/// matched with a stack, so nested elements (topics holding questions) and
/// a stray extra `</details>` are both handled.
pub(super) fn find_details(text: &str, html: &[(usize, String)]) -> Vec<Details> {
    let mut tags: Vec<(usize, usize, HtmlTag)> = Vec::new();
    for (offset, fragment) in html {
        // Every tag looked for opens `<d`, `<s`, `</d` or `</s`: most
        // fragments (`<br>`, `<code>`, `</p>`) hold none, and are passed
        // over without reading their tags.
        if !may_hold_details_tag(fragment) {
            continue;
        }
        tags.extend(
            details_tags(fragment).map(|(start, end, tag)| (offset + start, offset + end, tag)),
        );
    }
    // (a tag runs to its `>`, to the end of its fragment when it has none,
    // and what stands inside it is its attributes, not more tags: so tags
    // never overlap, and every body starts before its element closes)
    tags.sort_by_key(|&(start, _, _)| start);

    let mut found: Vec<Details> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut summary_start: Option<usize> = None;
    for (start, end, tag) in tags {
        match tag {
            HtmlTag::DetailsOpen => {
                open.push(found.len());
                found.push(Details {
                    open: start,
                    summary: String::new(),
                    summary_is_heading: false,
                    body_start: end,
                    close: text.len(),
                    close_end: text.len(),
                    depth: open.len() - 1,
                    parent: open.len().checked_sub(2).map(|at| open[at]),
                });
            }
            HtmlTag::SummaryOpen => summary_start = Some(end),
            HtmlTag::SummaryClose => {
                if let (Some(from), Some(&index)) = (summary_start.take(), open.last()) {
                    let details = &mut found[index];
                    if from <= start && details.summary.is_empty() {
                        let raw = &text[from..start];
                        details.summary_is_heading = html::tokens(raw).any(|token| {
                            matches!(token, Token::Tag(tag) if !tag.closing && is_heading(tag.name))
                        });
                        details.summary = html::text(raw);
                        details.body_start = end;
                    }
                }
            }
            HtmlTag::DetailsClose => {
                if let Some(index) = open.pop() {
                    found[index].close = start;
                    found[index].close_end = end;
                }
            }
        }
    }
    found
}

/// `h1` to `h6`, in either case.
fn is_heading(name: &str) -> bool {
    matches!(name.as_bytes(), [b'h' | b'H', b'1'..=b'6'])
}

/// The `<details>` and `<summary>` tags of one HTML fragment, in order:
/// where each starts, where it ends (past its `>`, or the fragment's end)
/// and which it is.
fn details_tags(fragment: &str) -> impl Iterator<Item = (usize, usize, HtmlTag)> + '_ {
    html::tokens(fragment).filter_map(|token| {
        let Token::Tag(tag) = token else {
            return None;
        };
        let which = match (tag.is("details"), tag.is("summary"), tag.closing) {
            (true, _, false) => HtmlTag::DetailsOpen,
            (true, _, true) => HtmlTag::DetailsClose,
            (_, true, false) => HtmlTag::SummaryOpen,
            (_, true, true) => HtmlTag::SummaryClose,
            _ => return None,
        };
        Some((tag.start, tag.end, which))
    })
}

#[derive(Debug, Clone, Copy)]
enum HtmlTag {
    DetailsOpen,
    DetailsClose,
    SummaryOpen,
    SummaryClose,
}

/// Whether `fragment` holds a `<` followed by `d` or `s` (after a `/`,
/// for a closing tag), in either case: where a details or summary tag can
/// stand.
fn may_hold_details_tag(fragment: &str) -> bool {
    let bytes = fragment.as_bytes();
    bytes.iter().enumerate().any(|(at, &byte)| {
        if byte != b'<' {
            return false;
        }
        let name = match bytes.get(at + 1) {
            Some(b'/') => bytes.get(at + 2),
            next => next,
        };
        matches!(name, Some(b'd' | b'D' | b's' | b'S'))
    })
}

#[cfg(test)]
mod tests {
    use crate::import::document::Document;

    #[test]
    fn details_nest_and_survive_a_stray_close() {
        let text = "<details>\n<summary><h3>Topic</h3></summary>\n\n<details>\n<summary>What is A?</summary>\n\nA is.\n\n</details>\n</details>\n</details>\n";
        let document = Document::parse(text.into(), true);
        assert_eq!(document.details.len(), 2);
        assert!(document.details[0].summary_is_heading);
        assert_eq!(document.details[1].summary, "What is A?");
        assert_eq!(document.details[1].depth, 1);
        let body = &text[document.details[1].body_start..document.details[1].close];
        assert_eq!(body.trim(), "A is.");
    }

    #[test]
    fn commented_out_details_are_no_elements_and_a_bare_less_than_is_text() {
        let text = "<!-- <details><summary>Old?</summary> -->\n\n<details>\n<summary>Is a < b?</summary>\n\nYes.\n\n</details>\n";
        let document = Document::parse(text.into(), true);
        assert_eq!(document.details.len(), 1);
        assert_eq!(document.details[0].summary, "Is a < b?");
    }

    #[test]
    fn a_tag_without_its_closing_angle_bracket_holds_no_tags() {
        // `<details ?` has no `>` on its line, so it runs to the line's end
        // and the `</summary` and `</details` inside it are attributes.
        let text = "<summary>T\n<details ?</summary/s</details\nc";
        let document = Document::parse(text.into(), true);
        assert_eq!(document.details.len(), 1);
        let details = &document.details[0];
        assert!(details.open < details.body_start, "{details:?}");
        assert!(details.body_start <= details.close, "{details:?}");
        assert!(details.close <= details.close_end, "{details:?}");
    }
}
