/*!
Answers as cards hold them: cut from the notes, then tidied. Markdown keeps
its lists, code, tables and emphasis, and loses answer markers, layout HTML,
navigation links and stray rules; plain text becomes markdown that renders
as it read. What is not an answer at all is [`super::unanswered`]'s to
say.
*/

use super::code::split_code;
use super::detect::escape_plain;
use super::markers::{Numbering, is_anchor_link_line, split_numbering, strip_answer_marker};
use crate::html::{self, Token};

/// Removes the indentation every non-blank line shares. The first line is
/// left out of the measure when it is the tail of a line already cut.
pub fn dedent(text: &str) -> String {
    let mut lines: Vec<&str> = text.split('\n').collect();
    while lines.first().is_some_and(|line| line.trim().is_empty()) {
        lines.remove(0);
    }
    let indent = lines
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    // Only the spaces and tabs that were measured are cut: a blank line
    // may be shorter than the indent, or hold other white space (a
    // no-break space) where the indent would cut.
    lines
        .iter()
        .map(|line| {
            let own = line.len() - line.trim_start_matches([' ', '\t']).len();
            &line[own.min(indent)..]
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// HTML that only shapes the page (`<p>`, `<br/>`, `</b>`): dropped from
/// answers. Images and other content tags stay.
pub fn is_layout_html(line: &str) -> bool {
    const LAYOUT: [&str; 12] = [
        "p", "br", "hr", "div", "b", "i", "strong", "em", "span", "center", "details", "summary",
    ];
    let trimmed = line.trim();
    !trimmed.is_empty()
        && html::tokens(trimmed).all(|token| match token {
            Token::Text(text) => text.trim().is_empty(),
            Token::Tag(tag) => tag.closed && LAYOUT.iter().any(|name| tag.is(name)),
            Token::Comment(_) => false,
        })
}

pub fn is_rule(line: &str) -> bool {
    let trimmed = line.trim();
    trimmed.len() >= 3
        && (trimmed.chars().all(|ch| ch == '-' || ch == ' ')
            || trimmed.chars().all(|ch| ch == '*' || ch == ' ')
            || trimmed.chars().all(|ch| ch == '_' || ch == ' '))
}

/// Tidies a markdown answer cut from the notes: answer marker, layout
/// HTML, navigation links and stray rules go; indentation and trailing
/// spaces are normalised so the YAML stays readable.
pub fn clean_markdown(raw: &str, navigation: &mut Vec<String>) -> String {
    let text = unquote(&dedent(raw));
    let mut out: Vec<String> = Vec::new();
    let mut in_fence: Option<String> = None;
    for line in text.split('\n') {
        let trimmed = line.trim_start();
        if let Some(fence) = &in_fence {
            if trimmed.starts_with(fence.as_str()) {
                in_fence = None;
            }
            out.push(line.trim_end().to_owned());
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = Some(trimmed[..3].to_owned());
            out.push(line.trim_end().to_owned());
            continue;
        }
        if is_anchor_link_line(line) {
            navigation.push(line.trim().to_owned());
            continue;
        }
        if is_layout_html(line) {
            continue;
        }
        // `  ` at a line end is a hard break in markdown; a backslash says
        // the same without trailing spaces the YAML could not show.
        let hard_break = line.ends_with("  ") && !line.trim().is_empty();
        let mut kept = line.trim_end().to_owned();
        if hard_break {
            kept.push('\\');
        }
        out.push(kept);
    }
    // A hard break before a blank line or at the end means nothing.
    for index in 0..out.len() {
        let next_blank = out
            .get(index + 1)
            .is_none_or(|next| next.trim().is_empty() || starts_block(next));
        if next_blank && out[index].ends_with('\\') && !out[index].ends_with("\\\\") {
            out[index].pop();
        }
    }
    while out.first().is_some_and(|line| {
        line.trim().is_empty() || is_rule(line) || is_answer_label_heading(line)
    }) {
        out.remove(0);
    }
    // (a question's number label at the end, `**Question 2**`, names the
    // question after this answer)
    while out.last().is_some_and(|line| {
        line.trim().is_empty() || is_rule(line) || is_question_number_label(line)
    }) {
        out.pop();
    }
    let mut answer = out.join("\n");
    answer = strip_leading_marker(&answer);
    collapse_blank_lines(answer.trim())
}

/// An ATX heading that only labels the answer (`#### Answer`): the card
/// says that already, so it belongs to neither side.
pub fn is_answer_label_heading(line: &str) -> bool {
    let trimmed = line.trim();
    trimmed.starts_with('#')
        && super::markers::is_answer_label(trimmed.trim_start_matches('#').trim_end_matches('#'))
}

/// A label that numbers a question without asking it: `**Question 2**`,
/// `Q3.`, `Задача 4`.
fn is_question_number_label(line: &str) -> bool {
    const WORDS: &[&str] = &[
        "question",
        "q",
        "problem",
        "exercise",
        "task",
        "card",
        "pregunta",
        "frage",
        "вопрос",
        "задача",
        "questão",
        "domanda",
    ];
    let trimmed = line.trim().trim_start_matches('#').trim();
    super::markers::is_numbered_label(trimmed) && {
        let word: String = trimmed
            .trim_start_matches(['*', '_'])
            .chars()
            .take_while(|ch| ch.is_alphabetic())
            .collect();
        WORDS.contains(&word.to_lowercase().as_str())
    }
}

/// The lines of `text` without its answer-label headings.
pub fn without_answer_label_headings(text: &str) -> String {
    text.split('\n')
        .filter(|line| !is_answer_label_heading(line))
        .collect::<Vec<_>>()
        .join("\n")
}

/// An answer written wholly as a blockquote (`> **Answer:** ...`) is
/// the answer itself, not a quotation within it: its quote marks go.
fn unquote(text: &str) -> String {
    if !text.trim_start().starts_with('>') {
        return text.to_owned();
    }
    let mut lines = text.split('\n').filter(|line| !line.trim().is_empty());
    let quoted = lines.next().is_some() && lines.all(|line| line.starts_with('>'));
    if !quoted {
        return text.to_owned();
    }
    text.split('\n')
        .map(|line| {
            line.strip_prefix("> ")
                .or_else(|| line.strip_prefix('>'))
                .unwrap_or(line)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A line that opens a new block, before which a hard break is void.
fn starts_block(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.starts_with(['-', '*', '+', '#', '>', '|'])
        || trimmed.starts_with("```")
        || split_numbering(trimmed).0 != Numbering::None
}

/// `Ans: text`, `**A:** text` or a list item `- A: text` at the start of
/// an answer: the text without the marker.
fn strip_leading_marker(answer: &str) -> String {
    // (a line break written as HTML before the marker is layout too:
    // `<br>**Ans**:- ...`)
    let answer = ["<br>", "<br/>", "<br />"]
        .iter()
        .find_map(|tag| answer.strip_prefix(tag))
        .filter(|rest| strip_answer_marker(rest.lines().next().unwrap_or("")).is_some())
        .unwrap_or(answer);
    let first_end = answer.find('\n').unwrap_or(answer.len());
    let first = &answer[..first_end];
    if let Some(rest) = strip_answer_marker(first) {
        return format!("{}{}", rest, &answer[first_end..])
            .trim()
            .to_owned();
    }
    // A label alone on the first line (`**Answer**`, `Solution`) over the
    // answer: the card says that already.
    if super::markers::is_answer_label(first) && !answer[first_end..].trim().is_empty() {
        return answer[first_end..].trim().to_owned();
    }
    // A single list item carrying the marker: unwrap it.
    for bullet in ["- ", "* ", "+ "] {
        if let Some(item) = first.strip_prefix(bullet)
            && let Some(rest) = strip_answer_marker(item)
        {
            let mut lines = vec![rest.to_owned()];
            for line in answer[first_end..].split('\n').skip(1) {
                lines.push(line.strip_prefix("  ").unwrap_or(line).to_owned());
            }
            return lines.join("\n").trim().to_owned();
        }
    }
    answer.to_owned()
}

fn collapse_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    let mut in_fence = false;
    for line in text.split('\n') {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if line.trim().is_empty() && !in_fence {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.pop();
    out
}

/// Plain text becomes markdown that renders as it read: code is fenced
/// as it stands, bullets become list items, and lines of one paragraph
/// keep their breaks.
pub fn plain_to_markdown(raw: &str) -> String {
    let runs = split_code(raw);
    if !runs.iter().any(|(code, _)| *code) {
        return prose_to_markdown(raw);
    }
    let mut parts = Vec::new();
    for (code, lines) in runs {
        let text = lines.join("\n");
        if code {
            parts.push(format!("```\n{}\n```", dedent(&text).trim_end()));
        } else {
            let prose = prose_to_markdown(&text);
            if !prose.is_empty() {
                parts.push(prose);
            }
        }
    }
    parts.join("\n\n")
}

fn prose_to_markdown(raw: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut previous_text = false;
    for (number, line) in raw.split('\n').enumerate() {
        let mut trimmed = line.trim();
        if number == 0 {
            // The rest of the question's own line, if any.
            if trimmed.is_empty() {
                continue;
            }
        }
        if out.is_empty()
            && let Some(rest) = strip_answer_marker(trimmed)
        {
            trimmed = rest;
            if trimmed.is_empty() {
                continue;
            }
        }
        // A separator line (`#------#`, `*****`) only draws a line.
        if trimmed.is_empty() || (trimmed.len() >= 3 && !trimmed.chars().any(char::is_alphanumeric))
        {
            if !out.is_empty() && !out.last().is_some_and(String::is_empty) {
                out.push(String::new());
            }
            previous_text = false;
            continue;
        }
        let bullet = ['•', '▪', '◦', '·', '●', '-', '*', '+', '–']
            .iter()
            .find_map(|mark| {
                trimmed
                    .strip_prefix(*mark)
                    .filter(|rest| rest.starts_with(' '))
            });
        let (numbering, number_value, rest) = split_numbering(trimmed);
        let item = if let Some(rest) = bullet {
            Some(format!("- {}", escape_plain(rest.trim())))
        } else if matches!(numbering, Numbering::Dot | Numbering::Paren) && !rest.is_empty() {
            Some(format!(
                "{}. {}",
                number_value.unwrap_or(1),
                escape_plain(rest)
            ))
        } else {
            None
        };
        match item {
            Some(item) => {
                if previous_text && let Some(last) = out.last_mut() {
                    last.pop();
                    out.push(String::new());
                }
                out.push(item);
                previous_text = false;
            }
            None => {
                if out.last().is_some_and(|last| {
                    last.starts_with("- ")
                        || last.contains(". ") && split_numbering(last).0 != Numbering::None
                }) && !out.last().is_some_and(String::is_empty)
                {
                    out.push(String::new());
                }
                let mut text = escape_plain(trimmed);
                if text.starts_with('#') || text.starts_with('>') {
                    text.insert(0, '\\');
                }
                text.push('\\');
                out.push(text);
                previous_text = true;
            }
        }
        // A hard break goes only between two lines of text.
        if !previous_text && out.len() >= 2 {
            let before = out.len() - 2;
            if out[before].ends_with('\\') {
                out[before].pop();
            }
        }
    }
    let mut joined: Vec<String> = Vec::with_capacity(out.len());
    for (index, line) in out.iter().enumerate() {
        let next_is_text = out.get(index + 1).is_some_and(|next| {
            !next.is_empty() && !next.starts_with("- ") && !is_numbered_item(next)
        });
        let mut line = line.clone();
        if line.ends_with('\\') && !next_is_text {
            line.pop();
        }
        joined.push(line);
    }
    joined.join("\n").trim().to_owned()
}

fn is_numbered_item(line: &str) -> bool {
    let (numbering, _, rest) = split_numbering(line);
    numbering == Numbering::Dot
        && !rest.is_empty()
        && line.starts_with(|ch: char| ch.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_html_is_a_line_of_layout_tags_only() {
        for line in ["<br>", "  <p> </P>", "<br/><div class=x>", "</details>"] {
            assert!(is_layout_html(line), "{line:?}");
        }
        for line in [
            "",
            "<p>text</p>",
            "<img src=a.png>",
            "<!-- note -->",
            "<br",
            "a < b",
        ] {
            assert!(!is_layout_html(line), "{line:?}");
        }
    }

    #[test]
    fn dedent_cuts_only_measured_spaces() {
        // The blank line holds a space and a no-break space: cutting the
        // common indent of 2 bytes would land inside the no-break space.
        assert_eq!(dedent("  a\n \u{a0}\n  b"), "a\n\u{a0}\nb");
        assert_eq!(dedent("    a\n  \n    b"), "a\n\nb");
    }

    #[test]
    fn markdown_answers_lose_markers_and_navigation() {
        let mut navigation = Vec::new();
        let answer = clean_markdown(
            "\nAns: To connect:  \n\n1. **VPC**: same.  \n2. Done\n\n**[⬆ Back to Top](#table-of-contents)**\n---\n",
            &mut navigation,
        );
        assert_eq!(answer, "To connect:\n\n1. **VPC**: same.\n2. Done");
        assert_eq!(navigation, vec!["**[⬆ Back to Top](#table-of-contents)**"]);
    }

    #[test]
    fn list_answer_markers_are_unwrapped() {
        let mut navigation = Vec::new();
        let answer = clean_markdown(
            "  - A: Although they differ:\n\n    - Agile – dev only.\n\n    - DevOps – both.\n",
            &mut navigation,
        );
        assert_eq!(
            answer,
            "Although they differ:\n\n- Agile – dev only.\n\n- DevOps – both."
        );
    }

    #[test]
    fn hard_breaks_inside_paragraphs_survive() {
        let mut navigation = Vec::new();
        let answer = clean_markdown("line one  \nline two\n", &mut navigation);
        assert_eq!(answer, "line one\\\nline two");
    }

    #[test]
    fn plain_text_keeps_its_lines_and_bullets() {
        let answer =
            plain_to_markdown("\nAnswer:\n\nGit\nJenkins\n\nIt has:\n  • a <tag>\n  • b\nDone.");
        assert_eq!(
            answer,
            "Git\\\nJenkins\n\nIt has:\n\n- a \\<tag>\n- b\n\nDone."
        );
    }
}
