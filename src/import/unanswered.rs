//! What looks like an answer but is not one: a table of contents, a list
//! of further prompts (under the question, or trailing an answer), a link
//! to an answer kept elsewhere, and the `**Key**: value` lines that
//! describe a card rather than answer it. The assembler asks these before
//! it makes a card.

/// Text that is mostly links to places in the same document: a table of
/// contents under a heading, not an answer.
pub fn is_table_of_contents(answer: &str) -> bool {
    // Most answers hold no link to the same document: one search says so.
    if !answer.contains("](#") {
        return false;
    }
    let (mut lines, mut links) = (0, 0);
    for line in answer.lines().filter(|line| !line.trim().is_empty()) {
        lines += 1;
        links += usize::from(line.contains("](#"));
    }
    lines >= 3 && links * 2 > lines
}

/// An "answer" that only lists further prompts: every line a list item,
/// most of them questions or prompts of their own, or a list nested under
/// a topic item ending in `:` ("Distributed systems:" over "- Paxos"). Such
/// a block is a question without an answer, not a card. (Under a heading
/// ending in `:`, `### Key components of Docker:`, the list is its content.)
pub fn only_prompts(question: &str, answer: &str, heading: bool) -> bool {
    let Some(items) = list_items(answer) else {
        return false;
    };
    // Mostly questions: the items are what to discuss, and the odd
    // keyword among them (`DNS & anycast, IP, UDP`) is a hint, not an
    // answer.
    let questions = items
        .iter()
        .filter(|item| {
            super::markers::ends_like_question(item) || super::markers::opens_like_prompt(item)
        })
        .count();
    let topic = question.trim_end().ends_with(':') && !question.contains('?');
    questions * 2 > items.len() || (topic && !heading)
}

/// The items of an answer that is only a bulleted list, each with the
/// indented lines that continue it (`- Describe the boot process, from` /
/// `  power-on to the prompt.`), without their markers; `None` when a line
/// stands outside the list. Most answers open with a line that is no list
/// item: settled there, before the rest is read.
fn list_items(answer: &str) -> Option<Vec<String>> {
    let mut items: Vec<String> = Vec::new();
    for line in answer.lines().filter(|line| !line.trim().is_empty()) {
        let trimmed = line.trim();
        if let Some(item) = ["- ", "* ", "+ "]
            .iter()
            .find_map(|marker| trimmed.strip_prefix(marker))
        {
            items.push(item.trim().to_owned());
        } else if line.starts_with(char::is_whitespace)
            && let Some(last) = items.last_mut()
        {
            last.push(' ');
            last.push_str(trimmed);
        } else {
            return None;
        }
    }
    (!items.is_empty()).then_some(items)
}

/// An "answer" whose every line asks or prompts, most of them asking
/// (`How does a headless service work?` / `Explain the HPA.`), however
/// laid out: the next questions, left unanswered under this one. (Under an
/// answer label the author said it is the answer, questions or not.)
pub fn only_questions(answer: &str) -> bool {
    let (mut lines, mut asking) = (0, 0);
    for line in answer
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
    {
        let rest = line.trim_start_matches(['-', '*', '+', ' ']);
        let asks = super::markers::is_question_line(rest);
        if line.chars().count() > super::markers::QUESTION_LINE_CHARS
            || !(asks || super::markers::opens_like_prompt(rest))
        {
            return false;
        }
        lines += 1;
        asking += usize::from(asks);
    }
    asking * 2 > lines
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

/// Whether `line` is a `**Key**: value` or `**Key: value**` line describing
/// a card (`**Difficulty: Intermediate**`): metadata, never a question.
pub fn is_metadata_line(line: &str) -> bool {
    metadata_line(line).is_some()
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
        tags.push(crate::decks::deck::slug(&format!("{key} {value}")));
        rest = rest[first.len()..].trim_start();
    }
    if rest.trim().is_empty() {
        return (Vec::new(), answer.to_owned());
    }
    // the answer label under the metadata (`**Difficulty: Easy**` over
    // `**Answer:** ...`) is layout, as it is over any answer
    if !tags.is_empty()
        && let Some(after) = super::labels::strip_answer_marker(rest)
        && !after.trim().is_empty()
    {
        rest = after.trim_start();
    }
    (tags, rest.to_owned())
}

/// An answer that is only a link to one somewhere else (`See 👉
/// [Answer](…)`, `[here](…)`): a placeholder, not an answer to drill. A
/// link whose text says something (`[IP Datagrams on Avian Carriers](…)`)
/// is an answer.
pub fn is_link_only(answer: &str) -> bool {
    if is_bare_address(answer) {
        return true;
    }
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

/// An answer that is only web addresses, each perhaps after a short label
/// (`推荐: http://www.jianshu.com/p/…`, `See https://…`), or only links
/// to read: a pointer to an answer kept elsewhere.
fn is_bare_address(answer: &str) -> bool {
    // A pointer is a few short lines; most answers are settled here.
    if answer.len() > 1000 || !answer.contains("http") {
        return false;
    }
    let lines: Vec<&str> = answer
        .lines()
        .map(|line| line.trim().trim_start_matches(['>', ' ']))
        .filter(|line| !line.is_empty())
        .collect();
    // (two links or more with nothing else, `[GET vs POST](…)` over
    // `[An answer on Zhihu](…)`, are a reading list)
    let lone_link = |line: &str| {
        line.starts_with('[') && line.ends_with(')') && line.matches("](").count() == 1
    };
    !lines.is_empty()
        && lines
            .iter()
            .all(|line| is_pointer_line(line) || lines.len() >= 2 && lone_link(line))
}

/// One line of [`is_bare_address`]: an address after at most a short lead,
/// or a link after a short label that sends the reader there (`可参考：[…](…)`,
/// `See: [the docs](…)`). A link alone whose text says something is an
/// answer ([`is_link_only`]).
fn is_pointer_line(line: &str) -> bool {
    let short = |lead: &str| lead.chars().count() <= 16 && lead.split_whitespace().count() <= 2;
    if let Some(start) = line.find("http://").or_else(|| line.find("https://")) {
        let lead = line[..start].trim_end_matches(['：', ':', ' ']);
        if !line[start..].contains(char::is_whitespace)
            && !lead.contains(['[', '(', '<'])
            && short(lead)
        {
            return true;
        }
    }
    let Some(label_end) = line
        .find(['：', ':'])
        .filter(|&at| !line[..at].contains('['))
    else {
        return false;
    };
    let label = line[..label_end].trim();
    let link = line[label_end..].trim_start_matches(['：', ':', ' ']);
    !label.is_empty()
        && short(label)
        && link.starts_with('[')
        && link.ends_with(')')
        && link.matches("](").count() == 1
}

/// A list at the end of an answer whose every item is a further question
/// or prompt (`* Explain a foreign key.`, `* What is a composite key?`):
/// prompts nobody answered, not part of the answer. The answer without
/// them, and the prompts' lines; `None` when the answer does not end so,
/// or a lead-in (`Ask yourself:`) introduces the list.
pub fn split_trailing_prompts(answer: &str) -> Option<(String, Vec<String>)> {
    let is_prompt = |line: &str| {
        let line = line.trim();
        ["- ", "* ", "+ "]
            .iter()
            .find_map(|bullet| line.strip_prefix(bullet))
            .is_some_and(|item| {
                super::markers::ends_like_question(item) || super::markers::opens_like_prompt(item)
            })
    };
    // Read from the end, so that an answer ending in no prompt (most do)
    // costs one line: `prompts` is where the trailing prompt lines start.
    let mut prompts = answer.len();
    let before = loop {
        let head = &answer[..prompts];
        let line_start = head.rfind('\n').map_or(0, |at| at + 1);
        let line = &head[line_start..];
        if !is_prompt(line) {
            break Some(line);
        }
        prompts = line_start;
        if prompts == 0 {
            break None;
        }
        // Step over the line end before the prompt.
        prompts -= 1;
    };
    // No prompt at the end, only prompts, or prompts not set apart from
    // the answer by a blank line.
    let before = before?;
    if prompts == answer.len() || !before.trim().is_empty() {
        return None;
    }
    let kept = answer[..prompts].trim_end();
    if kept.is_empty() || kept.ends_with(':') {
        return None;
    }
    let prompts = answer[prompts + 1..]
        .split('\n')
        .map(|line| line.trim().to_owned())
        .collect();
    Some((kept.to_owned(), prompts))
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
    fn trailing_prompts_are_split_off() {
        assert_eq!(
            split_trailing_prompts("It loads classes.\n\n- What is X?\n* Explain Y.\n"),
            None,
            "the answer ends in a blank line, not a prompt"
        );
        assert_eq!(
            split_trailing_prompts("It loads classes.\n \n- What is X?\n  * Explain Y."),
            Some((
                "It loads classes.".to_owned(),
                vec!["- What is X?".to_owned(), "* Explain Y.".to_owned()]
            ))
        );
        assert_eq!(split_trailing_prompts("- What is X?\n- Why?"), None);
        assert_eq!(split_trailing_prompts("Text.\n- What is X?"), None);
        assert_eq!(split_trailing_prompts("Ask yourself:\n\n- Why?"), None);
        assert_eq!(split_trailing_prompts("\n\n- Why?"), None);
        assert_eq!(split_trailing_prompts("Text."), None);
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
}
