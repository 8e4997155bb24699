/*!
Answers as cards hold them: cut from the notes, then tidied. Markdown keeps
its lists, code, tables and emphasis, and loses answer markers, layout HTML,
navigation links and stray rules; plain text becomes markdown that renders
as it read. Also the tests that tell an answer from a non-answer (a table
of contents, a list of further prompts).
*/

use super::code::split_code;
use super::detect::escape_plain;
use super::markers::{Numbering, is_anchor_link_line, split_numbering, strip_answer_marker};

/// Text that is mostly links to places in the same document: a table of
/// contents under a heading, not an answer.
pub fn is_table_of_contents(answer: &str) -> bool {
    let lines: Vec<&str> = answer
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    let links = lines.iter().filter(|line| line.contains("](#")).count();
    lines.len() >= 3 && links * 2 > lines.len()
}

/// An "answer" that only lists further prompts: every line a list item,
/// most of them questions or prompts of their own, or a list under a topic
/// line ending in `:`
/// ("Distributed systems:" over "- What's Paxos?"). Such a block is a
/// question without an answer, not a card.
pub fn only_prompts(question: &str, answer: &str) -> bool {
    let items: Vec<&str> = answer
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let all_items = items
        .iter()
        .all(|line| line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ "));
    if !all_items || items.is_empty() {
        return false;
    }
    // Mostly questions: the items are what to discuss, and the odd
    // keyword among them (`DNS & anycast, IP, UDP`) is a hint, not an
    // answer.
    let questions = items
        .iter()
        .filter(|line| {
            let item = line.get(2..).unwrap_or("");
            super::markers::ends_like_question(item) || super::markers::opens_like_prompt(item)
        })
        .count();
    let topic = question.trim_end().ends_with(':') && !question.contains('?');
    questions * 2 > items.len() || topic
}

/// `**Difficulty**: Intermediate` or `**Level: Senior**` opening an
/// answer: a short key and value describing the card, not answering it.
/// The key and value, as written.
fn metadata_line(line: &str) -> Option<(&str, &str)> {
    let line = line.trim();
    let (key, value) = if let Some(inner) = super::markers::strip_bold(line) {
        inner.split_once(':')?
    } else {
        let rest = line.strip_prefix("**")?;
        let (key, value) = rest.split_once("**")?;
        (key, value.strip_prefix(':')?)
    };
    let (key, value) = (key.trim(), value.trim());
    let words = |text: &str| text.split_whitespace().count();
    let plain = |text: &str| {
        !text.is_empty()
            && text
                .chars()
                .all(|ch| ch.is_alphanumeric() || " -/+#.".contains(ch) || !ch.is_ascii())
            && !text.ends_with('.')
    };
    (words(key) <= 2
        && words(value) <= 3
        && plain(key)
        && plain(value)
        && !super::markers::is_answer_label(key))
    .then_some((key, value))
}

/// Splits the metadata lines opening a markdown answer off it: the tags
/// they give (`difficulty-intermediate`) and the answer without them. An
/// answer that would be left empty keeps its lines.
pub fn split_metadata(answer: &str) -> (Vec<String>, String) {
    let mut tags = Vec::new();
    let mut rest = answer;
    while let Some(first) = rest.lines().next()
        && let Some((key, value)) = metadata_line(first)
    {
        tags.push(crate::deck::slug(&format!("{key} {value}")));
        rest = rest[first.len()..].trim_start();
    }
    if rest.trim().is_empty() {
        return (Vec::new(), answer.to_owned());
    }
    (tags, rest.to_owned())
}

/// An answer that is only a link to one somewhere else (`See 👉
/// [Answer](…)`, `[here](…)`): a placeholder, not an answer to drill. A
/// link whose text says something (`[IP Datagrams on Avian Carriers](…)`)
/// is an answer.
pub fn is_link_only(answer: &str) -> bool {
    let line = answer.trim();
    if line.contains('\n') || line.matches("](").count() != 1 {
        return false;
    }
    let (Some(open), Some(middle), Some(close)) =
        (line.find('['), line.find("]("), line.rfind(')'))
    else {
        return false;
    };
    if !(open < middle && middle < close) {
        return false;
    }
    let words = |text: &str| -> Vec<String> {
        text.split(|ch: char| !ch.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let outside = words(&format!("{} {}", &line[..open], &line[close + 1..]));
    let text = words(&line[open + 1..middle]).join(" ");
    outside.len() <= 2
        && matches!(
            text.as_str(),
            "" | "answer"
                | "the answer"
                | "solution"
                | "here"
                | "link"
                | "this"
                | "click here"
                | "see"
                | "see answer"
                | "read more"
                | "more"
                | "details"
                | "source"
        )
}

/// A list at the end of an answer whose every item is a further question
/// or prompt (`* Explain a foreign key.`, `* What is a composite key?`):
/// prompts nobody answered, not part of the answer. The answer without
/// them, and the prompts' lines; `None` when the answer does not end so,
/// or a lead-in (`Ask yourself:`) introduces the list.
pub fn split_trailing_prompts(answer: &str) -> Option<(String, Vec<String>)> {
    let lines: Vec<&str> = answer.split('\n').collect();
    let mut start = lines.len();
    while start > 0 {
        let line = lines[start - 1].trim();
        let item = ["- ", "* ", "+ "]
            .iter()
            .find_map(|bullet| line.strip_prefix(bullet));
        match item {
            Some(item)
                if super::markers::ends_like_question(item)
                    || super::markers::opens_like_prompt(item) =>
            {
                start -= 1;
            }
            _ => break,
        }
    }
    if start == lines.len() || start == 0 || !lines[start - 1].trim().is_empty() {
        return None;
    }
    let kept = lines[..start].join("\n");
    let kept = kept.trim_end();
    if kept.is_empty() || kept.ends_with(':') {
        return None;
    }
    let prompts = lines[start..]
        .iter()
        .map(|line| line.trim().to_owned())
        .collect();
    Some((kept.to_owned(), prompts))
}

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
    let trimmed = line.trim();
    if !trimmed.starts_with('<') || !trimmed.ends_with('>') {
        return false;
    }
    let mut rest = trimmed;
    while let Some(open) = rest.strip_prefix('<') {
        let Some(close) = open.find('>') else {
            return false;
        };
        let name = open[..close]
            .trim_start_matches('/')
            .split(|ch: char| ch.is_whitespace() || ch == '/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if !matches!(
            name.as_str(),
            "p" | "br"
                | "hr"
                | "div"
                | "b"
                | "i"
                | "strong"
                | "em"
                | "span"
                | "center"
                | "details"
                | "summary"
        ) {
            return false;
        }
        rest = open[close + 1..].trim_start();
    }
    rest.is_empty()
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
    while out
        .first()
        .is_some_and(|line| line.trim().is_empty() || is_rule(line) || is_label_heading(line))
    {
        out.remove(0);
    }
    while out
        .last()
        .is_some_and(|line| line.trim().is_empty() || is_rule(line))
    {
        out.pop();
    }
    let mut answer = out.join("\n");
    answer = strip_leading_marker(&answer);
    collapse_blank_lines(answer.trim())
}

/// An ATX heading that only labels the answer (`#### Answer`): the card
/// says that already, so it belongs to neither side.
pub fn is_label_heading(line: &str) -> bool {
    let trimmed = line.trim();
    trimmed.starts_with('#')
        && super::markers::is_answer_label(trimmed.trim_start_matches('#').trim_end_matches('#'))
}

/// The lines of `text` without its answer-label headings.
pub fn without_label_headings(text: &str) -> String {
    text.split('\n')
        .filter(|line| !is_label_heading(line))
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
    let first_end = answer.find('\n').unwrap_or(answer.len());
    let first = &answer[..first_end];
    if let Some(rest) = strip_answer_marker(first) {
        return format!("{}{}", rest, &answer[first_end..])
            .trim()
            .to_owned();
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
    fn metadata_lines_become_tags() {
        assert_eq!(
            split_metadata("**Difficulty**: Intermediate\n\nIt loads classes."),
            (
                vec!["difficulty-intermediate".to_owned()],
                "It loads classes.".to_owned()
            )
        );
        let note = "**Note**: use `final` here, since fields are shared.\n\nMore.";
        assert_eq!(split_metadata(note).1, note);
        assert_eq!(split_metadata("**Level: Senior**").1, "**Level: Senior**");
    }

    #[test]
    fn a_link_alone_is_no_answer() {
        assert!(is_link_only("See 👉 [Answer](https://example.com/a)"));
        assert!(is_link_only("[here](https://example.com)"));
        assert!(!is_link_only(
            "Use a bastion host; see [the docs](https://example.com)."
        ));
        assert!(!is_link_only(
            "[IP Datagrams on Avian Carriers](https://example.com)"
        ));
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
