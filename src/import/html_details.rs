//! The HTML inside markdown notes that carries structure: `<details>`
//! elements (a question in its `<summary>`, the answer folded below it,
//! topics nesting questions), and the text of an HTML fragment without its
//! tags.

use super::document::Details;

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
    tags.sort_by_key(|&(start, _, _)| start);
    // A tag runs to its `>` (to the end of its fragment when it has none),
    // and what stands inside it is its attributes, not more tags: so tags
    // never overlap, and every body starts before its element closes.
    let mut tag_end = 0;
    tags.retain(|&(start, end, _)| {
        let outside = start >= tag_end;
        if outside {
            tag_end = end;
        }
        outside
    });

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
                        let lower = raw.to_ascii_lowercase();
                        details.summary_is_heading = lower.match_indices("<h").any(|(at, _)| {
                            matches!(lower.as_bytes().get(at + 2), Some(b'1'..=b'6'))
                        });
                        details.summary = strip_tags(raw);
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

/// The `<details>` and `<summary>` tags of one HTML fragment, in order:
/// where each starts, where it ends (past its `>`, or the fragment's end)
/// and which it is. One pass over the fragment's `<`s, matching each
/// tag's name whatever its case.
fn details_tags(fragment: &str) -> impl Iterator<Item = (usize, usize, HtmlTag)> + '_ {
    const NAMES: [(&[u8], HtmlTag); 4] = [
        (b"details", HtmlTag::DetailsOpen),
        (b"/details", HtmlTag::DetailsClose),
        (b"summary", HtmlTag::SummaryOpen),
        (b"/summary", HtmlTag::SummaryClose),
    ];
    let bytes = fragment.as_bytes();
    fragment.match_indices('<').filter_map(move |(at, _)| {
        let name = &bytes[at + 1..];
        NAMES.iter().find_map(|&(pattern, tag)| {
            let matches = name.len() > pattern.len()
                && name[..pattern.len()].eq_ignore_ascii_case(pattern)
                // `<details` must not match `<detailsfoo`.
                && matches!(name[pattern.len()], b'>' | b' ' | b'\t' | b'\n' | b'/');
            matches.then(|| {
                let end = fragment[at..]
                    .find('>')
                    .map_or(fragment.len(), |gt| at + gt + 1);
                (at, end, tag)
            })
        })
    })
}

#[derive(Debug, Clone, Copy)]
enum HtmlTag {
    DetailsOpen,
    DetailsClose,
    SummaryOpen,
    SummaryClose,
}

/// Whether an HTML fragment has any letter or digit outside its tags
/// (what [`strip_tags`] would keep), without building the text.
pub fn has_text_outside_tags(html: &str) -> bool {
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag && ch.is_alphanumeric() => return true,
            _ => {}
        }
    }
    false
}

/// Text of an HTML fragment: tags dropped, common entities decoded,
/// whitespace collapsed.
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

pub fn strip_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(ch),
            _ => {}
        }
    }
    // Entities are rare in a summary: without a `&` there are none to
    // replace, and no six copies to make.
    let text = if text.contains('&') {
        text.replace("&nbsp;", " ")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    } else {
        text
    };
    let mut words = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !words.is_empty() {
            words.push(' ');
        }
        words.push_str(word);
    }
    words
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
