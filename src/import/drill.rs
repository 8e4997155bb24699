/*!
Cards Emacs users keep in Org files, read as the tools that drill them
read them, before the rest of the file goes to the detector (as
[`super::card_syntax`] does for other tools). An entry's whole subtree is
the card: its lines are blanked for the detector, and its scheduling data
(`DRILL_LAST_INTERVAL` and the other properties, org-fc's `:REVIEW_DATA:`
table, the logbook) is never card text, since drawers are no content.

The syntaxes, from each tool's own documentation:

- org-drill (gitlab.com/phillord/org-drill, README "Card types"): a
  heading tagged `:drill:`; its card type in the `DRILL_CARD_TYPE`
  property. A simple card (no type) asks its body (its title when it has
  none) and answers with its sub-headings (`** Answer`); text in
  `[brackets]` is a cloze, all hidden at once, `[text||hint]` with a hint.
  `twosided` and `multisided` cards ask one side (sub-heading) for the
  other: drilled both ways. `hide1cloze`, `hide2cloze` and the other
  `hide…` types hide their clozes one at a time (a card per cloze);
  `show1cloze`, `show2cloze` and the other `show…` types show some
  clozes and hide the rest, which prep's clozes come closest to by hiding
  them all at once.
- org-fc (github.com/l3kn/org-fc, docs "Card Types"): a heading tagged
  `:fc:`, its type in `FC_TYPE`. `normal` and `text-input` cards ask the
  heading (and its text) and answer with the `Back` sub-heading; `double`
  cards are drilled both ways; `cloze` cards hide each `{{text}}` hole
  (`{{text}{hint}}`, `{{text}@1}` with a position) in its own card.
*/

use super::card_syntax::{self, Syntax, SyntaxCard};
use super::formats::org::{self, Heading};

/// Tags that mark a card for the tools, not a topic.
const TOOL_TAGS: &[&str] = &["drill", "fc", "suspended", "leech"];

/// The Emacs cards of an Org document, and the document with their lines
/// blanked (`None` when there were none).
pub fn extract(text: &str) -> (Vec<SyntaxCard>, Option<String>) {
    let lower = text.to_ascii_lowercase();
    if !lower.contains(":drill:") && !lower.contains(":fc:") {
        return (Vec::new(), None);
    }
    let keywords = org::todo_keywords(text);
    let lines: Vec<&str> = text.split('\n').collect();
    let headings: Vec<Option<Heading>> = lines
        .iter()
        .map(|line| Heading::parse(line, &keywords))
        .collect();
    let mut taken = vec![false; lines.len()];
    let mut cards = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let Some(heading) = &headings[index] else {
            index += 1;
            continue;
        };
        let syntax = if has_tag(heading, "drill") {
            Syntax::OrgDrill
        } else if has_tag(heading, "fc") {
            Syntax::OrgFc
        } else {
            index += 1;
            continue;
        };
        let end = (index + 1..lines.len())
            .find(|&next| {
                headings[next]
                    .as_ref()
                    .is_some_and(|other| other.level <= heading.level)
            })
            .unwrap_or(lines.len());
        let entry = Entry::read(&lines, &headings, index, end);
        let found = match syntax {
            Syntax::OrgDrill => drill_cards(&entry),
            _ => fc_cards(&entry),
        };
        if !found.is_empty() {
            taken[index..end].iter_mut().for_each(|line| *line = true);
            for (question, answer, reverse) in found {
                cards.push(SyntaxCard {
                    question,
                    answer,
                    tags: entry.tags.clone(),
                    line: index + 1,
                    reverse,
                    syntax,
                });
            }
        }
        index = end;
    }
    if cards.is_empty() {
        return (cards, None);
    }
    (cards, Some(card_syntax::blank_taken(&lines, &taken)))
}

fn has_tag(heading: &Heading, tag: &str) -> bool {
    heading.tags.iter().any(|own| own.eq_ignore_ascii_case(tag))
}

/// An entry's parts: its title, its properties, its body (in markdown)
/// and its direct sub-headings with their text.
struct Entry {
    title: String,
    tags: Vec<String>,
    properties: Vec<(String, String)>,
    body: String,
    children: Vec<(String, String)>,
}

impl Entry {
    fn read(lines: &[&str], headings: &[Option<Heading>], start: usize, end: usize) -> Entry {
        let heading = headings[start]
            .as_ref()
            .expect("an entry starts at a heading");
        let child_level = (start + 1..end)
            .filter_map(|index| headings[index].as_ref().map(|child| child.level))
            .min();
        let child_starts: Vec<usize> = (start + 1..end)
            .filter(|&index| {
                headings[index]
                    .as_ref()
                    .is_some_and(|child| Some(child.level) == child_level)
            })
            .collect();
        let body_end = child_starts.first().copied().unwrap_or(end);
        let children = child_starts
            .iter()
            .enumerate()
            .map(|(at, &child)| {
                let child_end = child_starts.get(at + 1).copied().unwrap_or(end);
                let title = headings[child]
                    .as_ref()
                    .map_or_else(String::new, |child| child.title.clone());
                (title, markdown_of(&lines[child + 1..child_end]))
            })
            .collect();
        Entry {
            title: org::inline_text(&heading.title),
            tags: heading
                .tags
                .iter()
                .filter(|tag| !TOOL_TAGS.iter().any(|tool| tool.eq_ignore_ascii_case(tag)))
                .cloned()
                .collect(),
            properties: properties(&lines[start + 1..body_end]),
            body: markdown_of(&lines[start + 1..body_end]),
            children,
        }
    }

    fn property(&self, name: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The text of the sub-headings from the `skip`th, each under its
    /// title when there are several or `titled` says so.
    fn children_text(&self, skip: usize, titled: bool) -> String {
        let children: Vec<&(String, String)> = self.children.iter().skip(skip).collect();
        let parts: Vec<String> = children
            .iter()
            .filter(|(_, text)| !text.is_empty())
            .map(|(title, text)| {
                if (titled || children.len() > 1) && !title.is_empty() {
                    format!("**{}**\n\n{text}", org::inline_text(title))
                } else {
                    text.clone()
                }
            })
            .collect();
        parts.join("\n\n")
    }

    fn child_named(&self, name: &str) -> Option<&str> {
        self.children
            .iter()
            .find(|(title, _)| title.trim().eq_ignore_ascii_case(name))
            .map(|(_, text)| text.as_str())
    }
}

/// The properties of the first `:PROPERTIES:` drawer among `lines`.
pub(super) fn properties(lines: &[&str]) -> Vec<(String, String)> {
    let Some(open) = lines
        .iter()
        .position(|line| line.trim().eq_ignore_ascii_case(":PROPERTIES:"))
    else {
        return Vec::new();
    };
    lines[open + 1..]
        .iter()
        .take_while(|line| !org::is_drawer_end(line))
        .filter_map(|line| {
            let rest = line.trim().strip_prefix(':')?;
            let (key, value) = rest.split_once(':')?;
            Some((key.to_owned(), value.trim().to_owned()))
        })
        .collect()
}

/// Org lines as markdown, drawers and keywords gone, blank runs joined.
fn markdown_of(lines: &[&str]) -> String {
    let markdown = org::to_markdown(&lines.join("\n")).markdown;
    let mut out: Vec<&str> = Vec::new();
    for line in markdown.lines() {
        if line.trim().is_empty() && out.last().is_none_or(|last| last.trim().is_empty()) {
            continue;
        }
        out.push(line);
    }
    out.join("\n").trim().to_owned()
}

/// The cards of an org-drill entry: (question, answer, both ways).
fn drill_cards(entry: &Entry) -> Vec<(String, String, bool)> {
    let kind = entry
        .property("DRILL_CARD_TYPE")
        .unwrap_or("simple")
        .to_ascii_lowercase();
    let asked = if entry.body.is_empty() {
        entry.title.clone()
    } else {
        entry.body.clone()
    };
    if kind == "twosided" || kind == "multisided" {
        let Some((first, side)) = entry.children.first() else {
            return Vec::new();
        };
        let Some((_, other)) = entry.children.get(1) else {
            return Vec::new();
        };
        let mut question = if entry.body.is_empty() {
            side.clone()
        } else {
            format!("{}\n\n{side}", entry.body)
        };
        if question.trim().is_empty() {
            question = first.clone();
        }
        let mut answer = other.clone();
        let notes = entry.children_text(2, true);
        if !notes.is_empty() {
            answer = format!("{answer}\n\n{notes}");
        }
        if question.trim().is_empty() || answer.trim().is_empty() {
            return Vec::new();
        }
        return vec![(question, answer, true)];
    }
    let one_at_a_time = kind.starts_with("hide") && kind != "hide_all";
    let answer = entry.children_text(0, false);
    match drill_clozes(&asked, one_at_a_time) {
        Some(cloze) => vec![(cloze, answer, false)],
        None if !asked.trim().is_empty() && !answer.is_empty() => {
            vec![(asked, answer, false)]
        }
        None => Vec::new(),
    }
}

/// org-drill's `[text]` and `[text||hint]` clozes as prep's, numbered one
/// per cloze or all the first; `None` when there are none. Links, check
/// boxes, timestamps, footnotes and cookies are no clozes.
fn drill_clozes(text: &str, one_at_a_time: bool) -> Option<String> {
    card_syntax::rewrite_bracket_spans(
        text,
        // (an Org link's `[[target][text]]` and an escaped `\[` open no
        // cloze)
        |inner, at| {
            !text[..at].ends_with(['[', ']', '\\']) && is_cloze(inner) && !in_code(text, at)
        },
        |out, number, inner| {
            let shown = if one_at_a_time { number } else { 1 };
            match inner.split_once("||") {
                Some((deleted, hint)) if !hint.trim().is_empty() => out.push_str(&format!(
                    "{{{{c{shown}::{}::{}}}}}",
                    deleted.trim(),
                    hint.trim()
                )),
                Some((deleted, _)) => {
                    out.push_str(&format!("{{{{c{shown}::{}}}}}", deleted.trim()));
                }
                None => out.push_str(&format!("{{{{c{shown}::{inner}}}}}")),
            }
        },
    )
}

fn is_cloze(inner: &str) -> bool {
    let trimmed = inner.trim();
    let deleted = trimmed.split("||").next().unwrap_or("").trim();
    !deleted.is_empty()
        && !deleted.contains('{')
        && !deleted.contains('}')
        && !matches!(trimmed, "X" | "x" | "-" | "")
        && !trimmed.starts_with("fn:")
        && !trimmed.starts_with('#')
        // A cookie (`[2/5]`, `[40%]`) or a timestamp (`[2024-01-05 Fri]`).
        && !trimmed.ends_with('%')
        && !(trimmed.contains('/') && trimmed.chars().all(|c| c.is_ascii_digit() || c == '/'))
        && !(trimmed.len() >= 10
            && trimmed.as_bytes()[..4].iter().all(u8::is_ascii_digit)
            && trimmed.as_bytes()[4] == b'-')
}

/// Whether byte `at` of `text` is inside a code span or a fenced block.
fn in_code(text: &str, at: usize) -> bool {
    let before = &text[..at];
    let fences = before
        .lines()
        .filter(|line| line.trim_start().starts_with("```"))
        .count();
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    fences % 2 == 1 || before[line_start..].matches('`').count() % 2 == 1
}

/// The cards of an org-fc entry: (question, answer, both ways).
fn fc_cards(entry: &Entry) -> Vec<(String, String, bool)> {
    let kind = entry
        .property("FC_TYPE")
        .unwrap_or("normal")
        .to_ascii_lowercase();
    if kind == "cloze" {
        let asked = if entry.body.is_empty() {
            &entry.title
        } else {
            &entry.body
        };
        return match fc_holes(asked) {
            Some(cloze) => vec![(cloze, entry.children_text(0, false), false)],
            None => Vec::new(),
        };
    }
    let question = if entry.body.is_empty() {
        entry.title.clone()
    } else {
        format!("{}\n\n{}", entry.title, entry.body)
    };
    let answer = entry
        .child_named("Back")
        .map_or_else(|| entry.children_text(0, false), str::to_owned);
    if question.trim().is_empty() || answer.trim().is_empty() {
        return Vec::new();
    }
    vec![(question, answer, kind == "double")]
}

/// org-fc's holes (`{{text}}`, `{{text}{hint}}`, either with `@N`) as
/// prep's clozes, a card per hole (per position, when they give one).
fn fc_holes(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    let mut order = 0;
    let mut found = false;
    while let Some(at) = rest.find("{{") {
        let after = &rest[at + 2..];
        let Some(close) = after.find('}') else {
            break;
        };
        let deleted = &after[..close];
        let mut tail = &after[close + 1..];
        let mut hint = None;
        if let Some(inner) = tail.strip_prefix('{')
            && let Some(end) = inner.find('}')
        {
            hint = Some(&inner[..end]);
            tail = &inner[end + 1..];
        }
        let mut position = None;
        if let Some(digits) = tail.strip_prefix('@') {
            let count = digits.bytes().take_while(u8::is_ascii_digit).count();
            position = digits[..count].parse::<u64>().ok();
            tail = &digits[count..];
        }
        let Some(tail) = tail.strip_prefix('}') else {
            out.push_str(&rest[..at + 2]);
            rest = after;
            continue;
        };
        if deleted.trim().is_empty() || deleted.starts_with('c') && deleted.contains("::") {
            out.push_str(&rest[..at + 2]);
            rest = after;
            continue;
        }
        order += 1;
        found = true;
        let number = position.map_or(order, |position| position.saturating_add(1));
        out.push_str(&rest[..at]);
        match hint {
            Some(hint) if !hint.trim().is_empty() => {
                out.push_str(&format!("{{{{c{number}::{deleted}::{hint}}}}}"))
            }
            _ => out.push_str(&format!("{{{{c{number}::{deleted}}}}}")),
        }
        rest = tail;
    }
    out.push_str(rest);
    found.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cards(text: &str) -> Vec<(String, String, bool, usize)> {
        extract(text)
            .0
            .into_iter()
            .map(|card| (card.question, card.answer, card.reverse, card.line))
            .collect()
    }

    fn card(q: &str, a: &str, reverse: bool, line: usize) -> (String, String, bool, usize) {
        (q.to_owned(), a.to_owned(), reverse, line)
    }

    #[test]
    fn a_simple_drill_card_asks_its_body_and_answers_with_its_sub_heading() {
        let org = "* Item :drill:\n:PROPERTIES:\n:ID: 1\n:DRILL_LAST_INTERVAL: 4.0\n:END:\nWhat is *TCP*?\n** Answer\nA stream protocol.\n* Notes\ntext\n";
        assert_eq!(
            cards(org),
            [card("What is **TCP**?", "A stream protocol.", false, 1)]
        );
        let (_, rest) = extract(org);
        assert_eq!(rest.unwrap(), "\n\n\n\n\n\n\n\n* Notes\ntext\n");
    }

    #[test]
    fn drill_clozes_hide_together_or_one_at_a_time() {
        let simple = "* Q :drill:\nThe capital of [France] is [Paris||city].\n";
        assert_eq!(
            cards(simple),
            [card(
                "The capital of {{c1::France}} is {{c1::Paris::city}}.",
                "",
                false,
                1
            )]
        );
        let hide = "* Q :drill:\n:PROPERTIES:\n:DRILL_CARD_TYPE: hide1cloze\n:END:\n[A] and [B] on [2024-01-05 Fri], see [[https://x][the site]], [1/2] done\n";
        assert_eq!(
            cards(hide),
            [card(
                "{{c1::A}} and {{c2::B}} on [2024-01-05 Fri], see [the site](https://x), [1/2] done",
                "",
                false,
                1
            )]
        );
    }

    #[test]
    fn a_two_sided_drill_card_goes_both_ways() {
        let org = "* Word :drill:\n  :PROPERTIES:\n  :DRILL_CARD_TYPE: twosided\n  :END:\n** English\ndog\n** Spanish\nperro\n** Notes\nmasculine\n";
        assert_eq!(
            cards(org),
            [card("dog", "perro\n\n**Notes**\n\nmasculine", true, 1)]
        );
    }

    #[test]
    fn org_fc_cards_of_each_type() {
        let org = "* What is DNS? :fc:net:\n:PROPERTIES:\n:FC_TYPE: normal\n:END:\n:REVIEW_DATA:\n| position | ease | box | interval | due |\n|----------+------+-----+----------+-----|\n| front | 2.5 | 0 | 0 | 2024-01-01T00:00:00Z |\n:END:\n** Back\nThe name system.\n* Port :fc:\n:PROPERTIES:\n:FC_TYPE: double\n:END:\n** Back\n443\n* Fact :fc:\n:PROPERTIES:\n:FC_TYPE: cloze\n:FC_CLOZE_MAX: 1\n:END:\n{{TCP}@0} is a {{stream}{kind}@1} protocol.\n";
        assert_eq!(
            cards(org),
            [
                card("What is DNS?", "The name system.", false, 1),
                card("Port", "443", true, 12),
                card(
                    "{{c1::TCP}} is a {{c2::stream::kind}} protocol.",
                    "",
                    false,
                    18
                ),
            ]
        );
        assert_eq!(extract(org).0[0].tags, ["net"]);
    }

    #[test]
    fn entries_without_a_card_are_left_to_the_detector() {
        let org = "* Empty :drill:\n:PROPERTIES:\n:END:\n* Q\nA\n";
        let (found, rest) = extract(org);
        assert!(found.is_empty());
        assert!(rest.is_none());
    }
}
