/*!
Cards people already wrote for other flashcard tools, inside their notes,
read as those tools read them, before the ordinary detector looks at the
rest of the document. Each syntax is one rule over the lines outside fenced
code; the lines a rule takes become cards and are blanked for the detector
(keeping every line number), so one file may mix these cards with ordinary
headings-and-answers notes.

The syntaxes, from each tool's own documentation:

- Obsidian spaced repetition (st3v3nmw/obsidian-spaced-repetition, default
  settings; stephenmwangi.com/obsidian-spaced-repetition/flashcards/):
  `question::answer` and `question:::answer` (both ways) on one line; a
  question, a line holding only `?` (or `??`, both ways), and an answer,
  ended by a blank line; `==highlight==` cloze deletions in a file tagged
  `#flashcards`; deck tags `#flashcards/NAME`; schedule comments
  `<!--SR:!2026-01-05,3,250-->`, which are kept out of the card.
- hashcards (eudoxia0/hashcards, its format documentation): `Q:`/`A:`
  blocks are ordinary labelled questions; `C:` blocks are cloze cards, each
  `[deletion]` a card, running on (blank lines too) to the next label.
- carddown (martintrojer/carddown README, "Writing flashcards"):
  `prompt : response 🧠 #tag` on one line
  (`#flashcard` in place of 🧠 too), or a prompt line marked so, the answer
  on the lines below up to `---` or `***`; a file holding
  `@carddown-ignore` is not read for these cards.
- Logseq (docs.logseq.com, Flashcards): a block tagged `#card`, whose child
  blocks are the answer; `{{cloze text}}` in a block is a cloze deletion.
- Obsidian_to_Anki (Pseudonium/Obsidian_to_Anki wiki, Note formatting):
  `START` / note type / fields / `END` blocks: `Back: ...` names a field,
  which runs on to the next field name; the first field's name may be left
  out; `<!--ID: ...-->` lines are dropped.

Cloze deletions come out in prep's own form, `{{c1::text}}`, and two-way
cards with `reverse`, so the deck drills them as the tool did.
*/

use std::fmt;

/// The tool whose syntax a card was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Syntax {
    ObsidianSpacedRepetition,
    Hashcards,
    Carddown,
    Logseq,
    ObsidianToAnki,
    /// Read by [`super::drill`], in Org files.
    OrgDrill,
    OrgFc,
}

impl fmt::Display for Syntax {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Syntax::ObsidianSpacedRepetition => "Obsidian spaced repetition",
            Syntax::Hashcards => "hashcards",
            Syntax::Carddown => "carddown",
            Syntax::Logseq => "Logseq",
            Syntax::ObsidianToAnki => "Obsidian_to_Anki",
            Syntax::OrgDrill => "org-drill",
            Syntax::OrgFc => "org-fc",
        })
    }
}

/// A card one of the syntaxes gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxCard {
    pub question: String,
    /// Empty for a cloze card with nothing more to show.
    pub answer: String,
    pub tags: Vec<String>,
    /// 1-based line the card starts on.
    pub line: usize,
    /// Drilled both ways.
    pub reverse: bool,
    pub syntax: Syntax,
}

/// What the rules took from a document.
#[derive(Debug, Default)]
pub struct Extracted {
    pub cards: Vec<SyntaxCard>,
    /// The document with the lines the cards came from blanked, for the
    /// ordinary detector; `None` when no rule took anything.
    pub rest: Option<String>,
}

/// Reads the cards of every syntax in `text`.
pub fn extract(text: &str) -> Extracted {
    // Most notes hold none of these marks: one cheap search per syntax
    // decides whether its rule runs at all, so ordinary imports pay next
    // to nothing (a `==` in code, say, runs no rule in a file that is no
    // Obsidian flashcard file).
    let file_tags = FileTags::of(text);
    let runs = Rules {
        obsidian_to_anki: text.contains("START") && text.contains("END"),
        logseq: contains_ignoring_case(text, "#card")
            || contains_ignoring_case(text, "#[[card]]")
            || text.contains("{{cloze "),
        carddown: (text.contains('🧠') || text.contains("#flashcard"))
            && !text.contains("@carddown-ignore"),
        hashcards: text.contains("C:"),
        obsidian_multi_line: text.contains("\n?"),
        obsidian_single_line: text.contains("::"),
        obsidian_cloze: file_tags.flashcards && text.contains("=="),
    };
    if !runs.any() {
        return Extracted::default();
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let code = fenced_code_lines(&lines);
    let mut taken = vec![false; lines.len()];
    let mut cards = Vec::new();
    if runs.obsidian_to_anki {
        obsidian_to_anki(&lines, &code, &mut taken, &mut cards);
    }
    if runs.logseq {
        logseq(&lines, &code, &mut taken, &mut cards);
    }
    if runs.carddown {
        carddown(&lines, &code, &mut taken, &mut cards);
    }
    if runs.hashcards {
        hashcards_cloze(&lines, &code, &mut taken, &mut cards);
    }
    if runs.obsidian_multi_line {
        obsidian_multi_line(&lines, &code, &mut taken, &mut cards, &file_tags);
    }
    if runs.obsidian_single_line {
        obsidian_single_line(&lines, &code, &mut taken, &mut cards, &file_tags);
    }
    if runs.obsidian_cloze {
        obsidian_cloze(&lines, &code, &mut taken, &mut cards, &file_tags);
    }
    if cards.is_empty() {
        return Extracted::default();
    }
    cards.sort_by_key(|card| card.line);
    let rest = blank_taken(&lines, &taken);
    Extracted {
        cards,
        rest: Some(rest),
    }
}

/// The document's lines joined again, those a card took blanked, so every
/// line keeps its number for the detector.
pub(super) fn blank_taken(lines: &[&str], taken: &[bool]) -> String {
    lines
        .iter()
        .zip(taken)
        .map(|(line, taken)| if *taken { "" } else { line })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether `text` holds `needle` (ASCII), in any case.
fn contains_ignoring_case(text: &str, needle: &str) -> bool {
    text.as_bytes()
        .windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Which rules a document's marks call for.
struct Rules {
    obsidian_to_anki: bool,
    logseq: bool,
    carddown: bool,
    hashcards: bool,
    obsidian_multi_line: bool,
    obsidian_single_line: bool,
    obsidian_cloze: bool,
}

impl Rules {
    fn any(&self) -> bool {
        self.obsidian_to_anki
            || self.logseq
            || self.carddown
            || self.hashcards
            || self.obsidian_multi_line
            || self.obsidian_single_line
            || self.obsidian_cloze
    }
}

/// Which lines are inside fenced code blocks (fences included) or HTML
/// comments: no card syntax is read there. (A schedule comment at the end
/// of a card's line is the card's, and is read with it.)
fn fenced_code_lines(lines: &[&str]) -> Vec<bool> {
    let mut inside = vec![false; lines.len()];
    let mut fence: Option<(char, usize)> = None;
    let mut comment = false;
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if fence.is_none() && (comment || trimmed.starts_with("<!--")) {
            inside[index] = true;
            comment = !line.contains("-->");
            continue;
        }
        let run = |ch: char| trimmed.chars().take_while(|c| *c == ch).count();
        match fence {
            Some((ch, len)) => {
                inside[index] = true;
                if run(ch) >= len && trimmed.trim_end().chars().all(|c| c == ch) {
                    fence = None;
                }
            }
            None => {
                for ch in ['`', '~'] {
                    if run(ch) >= 3 {
                        fence = Some((ch, run(ch)));
                        inside[index] = true;
                    }
                }
            }
        }
    }
    inside
}

/// The tags that make a file an Obsidian flashcard file, and its deck.
#[derive(Debug, Default)]
struct FileTags {
    /// Tagged `#flashcards` (or a `#flashcards/...` deck), in the text or
    /// in the front matter's tags.
    flashcards: bool,
    /// The deck tags, `flashcards/aws`, without the `#`.
    decks: Vec<String>,
}

impl FileTags {
    fn of(text: &str) -> FileTags {
        let mut tags = FileTags::default();
        for (at, _) in text.match_indices("#flashcards") {
            let rest = &text[at + 1..];
            let tag: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '/' | '-' | '_'))
                .collect();
            let before_ok = text[..at]
                .chars()
                .next_back()
                .is_none_or(|c| c.is_whitespace() || c == '(');
            if before_ok && (tag == "flashcards" || tag.starts_with("flashcards/")) {
                tags.flashcards = true;
                if tag != "flashcards" && !tags.decks.contains(&tag) {
                    tags.decks.push(tag);
                }
            }
        }
        // Front matter `tags: [flashcards]` or a `- flashcards` item.
        if let Some(front) = text.strip_prefix("---\n")
            && let Some(end) = front.find("\n---")
        {
            let front = &front[..end];
            for line in front.lines().map(str::trim) {
                if !(line.starts_with("tags:") || line.starts_with("- ")) {
                    continue;
                }
                let words =
                    line.split(|c: char| !(c.is_alphanumeric() || matches!(c, '/' | '-' | '_')));
                for word in words {
                    if word == "flashcards" {
                        tags.flashcards = true;
                    } else if word.starts_with("flashcards/") {
                        tags.flashcards = true;
                        if !tags.decks.iter().any(|deck| deck == word) {
                            tags.decks.push(word.to_string());
                        }
                    }
                }
            }
        }
        tags
    }
}

/// An Obsidian schedule comment (`<!--SR:...-->`) and a block's deck tag
/// taken off the end of a card's text.
fn without_schedule(text: &str) -> &str {
    let mut text = text.trim_end();
    if let Some(at) = text.rfind("<!--SR:")
        && text.ends_with("-->")
    {
        text = text[..at].trim_end();
    }
    text
}

/// The list marker of a line (`- `, `* `, `+ `, `1. `) and the rest.
fn without_list_marker(line: &str) -> &str {
    let trimmed = line.trim_start();
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = trimmed.strip_prefix(marker) {
            return rest;
        }
    }
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0
        && let Some(rest) = trimmed[digits..]
            .strip_prefix(". ")
            .or_else(|| trimmed[digits..].strip_prefix(") "))
    {
        return rest;
    }
    trimmed
}

/// Whether byte `at` of `line` is inside an inline code span.
fn in_code_span(line: &str, at: usize) -> bool {
    line[..at].matches('`').count() % 2 == 1
}

fn obsidian_single_line(
    lines: &[&str],
    code: &[bool],
    taken: &mut [bool],
    cards: &mut Vec<SyntaxCard>,
    file_tags: &FileTags,
) {
    for (index, line) in lines.iter().enumerate() {
        if taken[index] || code[index] || !line.contains("::") {
            continue;
        }
        // (`cout << ::my_var;` in unfenced code is C++, not a card)
        if !file_tags.flashcards && super::code::is_code_line(line) {
            continue;
        }
        let body = without_list_marker(line);
        let Some((question, answer, reverse)) = split_double_colon(body, file_tags.flashcards)
        else {
            continue;
        };
        let answer = without_schedule(answer);
        if question.is_empty() || answer.is_empty() {
            continue;
        }
        taken[index] = true;
        cards.push(SyntaxCard {
            question: question.to_string(),
            answer: answer.to_string(),
            tags: file_tags.decks.clone(),
            line: index + 1,
            reverse,
            syntax: Syntax::ObsidianSpacedRepetition,
        });
    }
}

/// `question::answer` or `question:::answer`, split at the first
/// separator outside code. A `::` between two parts of one name
/// (`std::vector`, `Foo::bar`) is a path, not a separator, and neither is
/// one inside a heading or a table row. In a file the tool reads (tagged
/// `#flashcards`) any other `::` separates, as there; elsewhere only one
/// after a question of two words or more (not a Dataview `key:: value`)
/// whose answer does not run on from it in lower case (`such as
/// std::vector is`).
fn split_double_colon(body: &str, flashcard_file: bool) -> Option<(&str, &str, bool)> {
    if body.starts_with('#') || body.starts_with('|') || body.starts_with('>') {
        return None;
    }
    let mut search = 0;
    while let Some(found) = body[search..].find("::") {
        let at = search + found;
        let run = body[at..].bytes().take_while(|b| *b == b':').count();
        search = at + run;
        if run > 3 || in_code_span(body, at) {
            continue;
        }
        let question = body[..at].trim();
        let answer = body[at + run..].trim();
        let before = body[..at].chars().next_back();
        let after = body[at + run..].chars().next();
        let joins_a_name = before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && after.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && !question.contains(char::is_whitespace);
        // `{{c1::text}}` is a cloze, not a card separator.
        let in_cloze = body[..at]
            .rfind("{{")
            .is_some_and(|open| body[open..at].find("}}").is_none());
        // `list[::-1]`, `a[1::2]`: a slice, not a separator
        let slice = before == Some('[') || after.is_some_and(|c| c == ']' || c == '-');
        if joins_a_name
            || in_cloze
            || slice
            || in_ipv6_address(body, at)
            || question.is_empty()
            || answer.is_empty()
        {
            continue;
        }
        if !flashcard_file {
            let words = question.split_whitespace().count();
            let runs_on = after.is_some_and(|c| c.is_lowercase())
                && before.is_some_and(|c| c.is_alphanumeric());
            if words < 2 || runs_on {
                continue;
            }
        }
        return Some((question, answer, run == 3));
    }
    None
}

/// Whether the `::` at byte `at` of `line` is inside an IPv6 address
/// (`fe80::1`, `[::1]:8080`, `2001:db8::/32`, `fe80::1%eth0`): the word
/// around it, less brackets, a port, a prefix length, a zone and the
/// punctuation of the sentence, reads as one.
fn in_ipv6_address(line: &str, at: usize) -> bool {
    let start = line[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace() || "([<\"'`".contains(*c))
        .map_or(0, |(found, c)| found + c.len_utf8());
    let end = line[at..]
        .find(|c: char| c.is_whitespace() || ")]>\"'`,;".contains(c))
        .map_or(line.len(), |found| at + found);
    let word = line[start..end].trim_end_matches(['.', '!', '?']);
    let word = word.split(['/', '%']).next().unwrap_or(word);
    word.parse::<std::net::Ipv6Addr>().is_ok()
}

fn obsidian_multi_line(
    lines: &[&str],
    code: &[bool],
    taken: &mut [bool],
    cards: &mut Vec<SyntaxCard>,
    file_tags: &FileTags,
) {
    let blank = |index: usize| lines[index].trim().is_empty();
    let mut index = 0;
    while index < lines.len() {
        // The separator line is `?` or `??` as written, from its first
        // column: an indented `?` belongs to something else.
        let separator = lines[index].trim_end();
        if taken[index] || code[index] || !(separator == "?" || separator == "??") {
            index += 1;
            continue;
        }
        // The question: the lines above, up to a blank line or a heading.
        let mut start = index;
        while start > 0
            && !blank(start - 1)
            && !taken[start - 1]
            && !code[start - 1]
            && !lines[start - 1].trim_start().starts_with('#')
        {
            start -= 1;
        }
        // The answer: the lines below, up to a blank line.
        let mut end = index + 1;
        while end < lines.len() && !blank(end) && !taken[end] {
            end += 1;
        }
        if start == index || end == index + 1 {
            index += 1;
            continue;
        }
        let question = lines[start..index].join("\n");
        let answer = lines[index + 1..end].join("\n");
        let answer = without_schedule(&answer);
        for taken in &mut taken[start..end] {
            *taken = true;
        }
        cards.push(SyntaxCard {
            question: question.trim().to_string(),
            answer: answer.trim().to_string(),
            tags: file_tags.decks.clone(),
            line: start + 1,
            reverse: separator == "??",
            syntax: Syntax::ObsidianSpacedRepetition,
        });
        index = end;
    }
}

/// A paragraph of a flashcard file holding `==highlights==`: each
/// highlight a deletion of its own card.
fn obsidian_cloze(
    lines: &[&str],
    code: &[bool],
    taken: &mut [bool],
    cards: &mut Vec<SyntaxCard>,
    file_tags: &FileTags,
) {
    let mut index = 0;
    while index < lines.len() {
        if taken[index] || code[index] || lines[index].trim().is_empty() {
            index += 1;
            continue;
        }
        let start = index;
        while index < lines.len()
            && !taken[index]
            && !code[index]
            && !lines[index].trim().is_empty()
        {
            index += 1;
        }
        let paragraph = lines[start..index].join("\n");
        let paragraph = without_schedule(&paragraph);
        if paragraph.trim_start().starts_with('#') {
            continue;
        }
        if let Some(question) = numbered_clozes(paragraph, "==", "==") {
            for taken in &mut taken[start..index] {
                *taken = true;
            }
            cards.push(SyntaxCard {
                question,
                answer: String::new(),
                tags: file_tags.decks.clone(),
                line: start + 1,
                reverse: false,
                syntax: Syntax::ObsidianSpacedRepetition,
            });
        }
    }
}

/// `text` with every `open…close` deletion outside code written
/// `{{cN::…}}`, numbered from 1 in order; `None` when it has none.
fn numbered_clozes(text: &str, open: &str, close: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    let mut number = 0;
    let mut consumed = 0;
    while let Some(at) = rest.find(open) {
        let absolute = consumed + at;
        let after = &rest[at + open.len()..];
        let Some(end) = after.find(close) else {
            break;
        };
        let inner = &after[..end];
        if in_code_span(text, absolute) || inner.trim().is_empty() || inner.contains('\n') {
            out.push_str(&rest[..at + open.len()]);
            consumed += at + open.len();
            rest = after;
            continue;
        }
        number += 1;
        out.push_str(&rest[..at]);
        out.push_str(&format!("{{{{c{number}::{inner}}}}}"));
        let advance = at + open.len() + end + close.len();
        consumed += advance;
        rest = &rest[advance..];
    }
    out.push_str(rest);
    (number > 0).then_some(out)
}

/// hashcards' `C:` cloze cards: the text after `C:` (and the lines under
/// it, up to a blank line or the next label), each `[deletion]` a card.
fn hashcards_cloze(lines: &[&str], code: &[bool], taken: &mut [bool], cards: &mut Vec<SyntaxCard>) {
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index].trim_start();
        // `C: ` as hashcards writes it; `C:\Users` is a path.
        let Some(first) = line
            .strip_prefix("C:")
            .filter(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
        else {
            index += 1;
            continue;
        };
        if taken[index] || code[index] {
            index += 1;
            continue;
        }
        let start = index;
        let mut text = vec![first.trim()];
        index += 1;
        // A cloze card runs on, blank lines too, to the next label; in a
        // file that mixes it with ordinary notes, to a heading or a
        // paragraph with no deletion in it.
        while index < lines.len()
            && !is_label_line(lines[index])
            && !taken[index]
            && !code[index]
            && !lines[index].trim_start().starts_with('#')
        {
            let line = lines[index].trim();
            if line.is_empty() {
                let next = (index + 1..lines.len()).find(|&at| !lines[at].trim().is_empty());
                let continues = next.is_some_and(|at| {
                    !is_label_line(lines[at])
                        && !lines[at].trim_start().starts_with('#')
                        && bracket_clozes(lines[at]).is_some()
                });
                if !continues {
                    break;
                }
            }
            text.push(line);
            index += 1;
        }
        while text.last().is_some_and(|line| line.is_empty()) {
            text.pop();
        }
        let text = text.join("\n").trim().to_string();
        let Some(question) = bracket_clozes(&text) else {
            continue;
        };
        for taken in &mut taken[start..index] {
            *taken = true;
        }
        cards.push(SyntaxCard {
            question,
            answer: String::new(),
            tags: Vec::new(),
            line: start + 1,
            reverse: false,
            syntax: Syntax::Hashcards,
        });
    }
}

fn is_label_line(line: &str) -> bool {
    let line = line.trim_start();
    ["Q:", "A:", "C:"]
        .iter()
        .any(|label| line.starts_with(label))
}

/// hashcards' `[deletion]`s as `{{cN::deletion}}`; a bracket that opens a
/// markdown link (`[text](url)`) or an image is not a deletion.
fn bracket_clozes(text: &str) -> Option<String> {
    rewrite_bracket_spans(
        text,
        |inner, _| !inner.trim().is_empty(),
        |out, number, inner| out.push_str(&format!("{{{{c{number}::{inner}}}}}")),
    )
}

/// Rewrites the `[text]` spans of `text` that `is_deletion` takes (given
/// the span's text and the byte its `[` stands at), each written by `write`
/// with its number, 1 up, in order; `None` when it takes none. A bracket
/// that opens a markdown link (`[text](url)`, `[text][ref]`) or an image,
/// or holds another, is never a deletion. The one reader of bracket
/// clozes, for every tool that writes them (hashcards, org-drill).
pub(super) fn rewrite_bracket_spans(
    text: &str,
    is_deletion: impl Fn(&str, usize) -> bool,
    mut write: impl FnMut(&mut String, usize, &str),
) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 16);
    let mut number = 0;
    let mut rest = text;
    while let Some(at) = rest.find('[') {
        let after = &rest[at + 1..];
        let Some(end) = after.find(']') else {
            break;
        };
        let inner = &after[..end];
        let next = after[end + 1..].chars().next();
        let is_link = matches!(next, Some('(' | '[')) || rest[..at].ends_with('!');
        if is_link || inner.contains('[') || !is_deletion(inner, text.len() - rest.len() + at) {
            out.push_str(&rest[..at + 1]);
            rest = after;
            continue;
        }
        number += 1;
        out.push_str(&rest[..at]);
        write(&mut out, number, inner);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    (number > 0).then_some(out)
}

/// The tags of a carddown line (`#tag` words), and whether it is marked a
/// card (🧠 or `#flashcard`); the text without them.
fn carddown_marks(line: &str) -> (bool, Vec<String>, String) {
    let mut card = false;
    let mut tags = Vec::new();
    let mut words = Vec::new();
    for word in line.split(' ') {
        // a 🧠 opening the line decorates it (`🧠 Data Structures`): the
        // mark follows the prompt
        if word == "🧠" && !words.is_empty() {
            card = true;
        } else if word == "🧠" {
        } else if let Some(tag) = word.strip_prefix('#')
            && !tag.is_empty()
            && tag
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '/'))
        {
            if tag == "flashcard" {
                card = true;
            } else {
                tags.push(tag.to_string());
            }
        } else {
            words.push(word);
        }
    }
    (card, tags, words.join(" ").trim().to_string())
}

fn carddown(lines: &[&str], code: &[bool], taken: &mut [bool], cards: &mut Vec<SyntaxCard>) {
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        let marked = line.contains("🧠") || line.contains("#flashcard");
        // a markdown heading is a title, not a prompt (`# 🧠 Review`)
        let heading = {
            let text = line.trim_start();
            let hashes = text.len() - text.trim_start_matches('#').len();
            (1..=6).contains(&hashes) && text[hashes..].starts_with(' ')
        };
        if taken[index] || code[index] || !marked || heading || line.contains("#flashcards") {
            index += 1;
            continue;
        }
        let (card, tags, text) = carddown_marks(without_list_marker(line));
        if !card || text.is_empty() {
            index += 1;
            continue;
        }
        // One line: `prompt : response`.
        if let Some((prompt, response)) = text.split_once(" : ")
            && !prompt.trim().is_empty()
            && !response.trim().is_empty()
        {
            taken[index] = true;
            cards.push(SyntaxCard {
                question: prompt.trim().to_string(),
                answer: response.trim().to_string(),
                tags,
                line: index + 1,
                reverse: false,
                syntax: Syntax::Carddown,
            });
            index += 1;
            continue;
        }
        // Several lines: the answer runs to a `---` or `***` line.
        let Some(end) = (index + 1..lines.len())
            .find(|&at| matches!(lines[at].trim(), "---" | "***") && !code[at])
        else {
            index += 1;
            continue;
        };
        let answer = lines[index + 1..end].join("\n");
        if answer.trim().is_empty() {
            index += 1;
            continue;
        }
        for taken in &mut taken[index..=end] {
            *taken = true;
        }
        cards.push(SyntaxCard {
            question: text,
            answer: answer.trim().to_string(),
            tags,
            line: index + 1,
            reverse: false,
            syntax: Syntax::Carddown,
        });
        index = end + 1;
    }
}

/// The indentation of a line, tabs counted as four spaces.
fn indent(line: &str) -> usize {
    line.chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

fn logseq(lines: &[&str], code: &[bool], taken: &mut [bool], cards: &mut Vec<SyntaxCard>) {
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        let trimmed = line.trim_start();
        let is_block = trimmed.starts_with("- ");
        let untagged = is_block.then(|| without_card_tag(&trimmed[2..])).flatten();
        let tagged = untagged.is_some();
        let cloze = trimmed.contains("{{cloze ");
        if taken[index] || code[index] || !is_block || !(tagged || cloze) {
            index += 1;
            continue;
        }
        let own = indent(line);
        let mut end = index + 1;
        while end < lines.len()
            && (lines[end].trim().is_empty() || indent(lines[end]) > own)
            && !taken[end]
        {
            end += 1;
        }
        // Blank lines at the end are not the card's.
        while end > index + 1 && lines[end - 1].trim().is_empty() {
            end -= 1;
        }
        let front = untagged.unwrap_or_else(|| trimmed[2..].to_owned());
        // A heading block (`- ## What is a pod?`) asks its text.
        let front = front.trim();
        let marks = front.len() - front.trim_start_matches('#').len();
        let front = match front[marks..].strip_prefix(' ') {
            Some(heading) if (1..=6).contains(&marks) => heading.trim(),
            _ => front,
        };
        let question = match logseq_clozes(front) {
            Some(cloze) => cloze,
            None if tagged => front.to_string(),
            None => {
                index += 1;
                continue;
            }
        };
        // Block properties (`card-last-interval:: 4`, `id:: …`: Logseq's
        // own schedule and ids) are no part of the answer.
        let children: Vec<&str> = lines[index + 1..end]
            .iter()
            .copied()
            .filter(|child| !is_block_property(child))
            .collect();
        let answer = dedent(&children.join("\n"));
        if question.is_empty() || (answer.trim().is_empty() && !question.contains("{{c")) {
            index += 1;
            continue;
        }
        for taken in &mut taken[index..end] {
            *taken = true;
        }
        cards.push(SyntaxCard {
            question,
            answer: answer.trim().to_string(),
            tags: Vec::new(),
            line: index + 1,
            reverse: false,
            syntax: Syntax::Logseq,
        });
        index = end;
    }
}

/// A Logseq block's text without its card tag, if it has one: `#card` (or
/// `#[[card]]`) as a word anywhere, in any case (Logseq's page names are
/// case-blind), or glued to the end of the text (`What is a pod?#Card`).
fn without_card_tag(text: &str) -> Option<String> {
    let is_tag =
        |word: &str| word.eq_ignore_ascii_case("#card") || word.eq_ignore_ascii_case("#[[card]]");
    if text.split_whitespace().any(is_tag) {
        let words: Vec<&str> = text.split(' ').filter(|word| !is_tag(word)).collect();
        return Some(words.join(" "));
    }
    let trimmed = text.trim_end();
    let cut = trimmed.len().checked_sub("#card".len())?;
    let (front, tag) = (trimmed.get(..cut)?, trimmed.get(cut..)?);
    (is_tag(tag) && !front.ends_with('#') && !front.trim().is_empty()).then(|| front.to_owned())
}

/// A Logseq block property line: `name:: value`, the name one word.
fn is_block_property(line: &str) -> bool {
    let line = line.trim();
    line.split_once(":: ").is_some_and(|(name, _)| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
    })
}

/// Logseq's `{{cloze text}}` as `{{cN::text}}`.
fn logseq_clozes(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut number = 0;
    let mut rest = text;
    while let Some(at) = rest.find("{{cloze ") {
        let after = &rest[at + "{{cloze ".len()..];
        let Some(end) = after.find("}}") else {
            break;
        };
        number += 1;
        out.push_str(&rest[..at]);
        out.push_str(&format!("{{{{c{number}::{}}}}}", after[..end].trim()));
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    (number > 0).then_some(out)
}

/// Lines with their common leading white space removed.
fn dedent(text: &str) -> String {
    let common = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    text.lines()
        .map(|line| line.get(common..).unwrap_or(line.trim_start()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn obsidian_to_anki(
    lines: &[&str],
    code: &[bool],
    taken: &mut [bool],
    cards: &mut Vec<SyntaxCard>,
) {
    let mut index = 0;
    while index < lines.len() {
        if lines[index].trim() != "START" || code[index] {
            index += 1;
            continue;
        }
        // A block needs its note type line between START and END.
        if lines
            .get(index + 1)
            .is_none_or(|line| matches!(line.trim(), "END" | "START"))
        {
            index += 1;
            continue;
        }
        let Some(end) = (index + 2..lines.len()).find(|&at| lines[at].trim() == "END") else {
            index += 1;
            continue;
        };
        let note_type = lines.get(index + 1).map_or("", |line| line.trim());
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut tags = Vec::new();
        for line in &lines[index + 2..end] {
            let trimmed = line.trim();
            if trimmed.starts_with("<!--ID:") && trimmed.ends_with("-->") {
                continue;
            }
            if let Some(listed) = trimmed.strip_prefix("Tags:") {
                tags.extend(listed.split_whitespace().map(str::to_string));
                continue;
            }
            let field = trimmed.split_once(':').filter(|(name, _)| {
                !name.is_empty()
                    && name.len() <= 30
                    && name.chars().all(|c| c.is_alphanumeric() || c == ' ')
                    && name.chars().next().is_some_and(char::is_uppercase)
            });
            match field {
                Some((name, value)) => fields.push((name.to_string(), value.trim().to_string())),
                None => match fields.last_mut() {
                    Some((_, value)) => {
                        value.push('\n');
                        value.push_str(line);
                    }
                    // The first field, its name left out.
                    None => fields.push((String::new(), line.to_string())),
                },
            }
        }
        let field = |names: &[&str]| {
            fields
                .iter()
                .find(|(name, _)| names.iter().any(|wanted| name.eq_ignore_ascii_case(wanted)))
                .map(|(_, value)| value.trim().to_string())
        };
        let first = || {
            field(&["Front", "Text"]).or_else(|| {
                fields
                    .first()
                    .filter(|(name, _)| name.is_empty())
                    .map(|(_, value)| value.trim().to_string())
            })
        };
        let is_cloze = note_type.to_lowercase().contains("cloze");
        let card = if is_cloze {
            first().map(|text| (text, field(&["Back Extra", "Extra"]).unwrap_or_default()))
        } else {
            match (first(), field(&["Back"])) {
                (Some(front), Some(back)) => Some((front, back)),
                _ => None,
            }
        };
        if let Some((question, answer)) = card
            && !question.is_empty()
            && (is_cloze || !answer.is_empty())
        {
            for taken in &mut taken[index..=end] {
                *taken = true;
            }
            cards.push(SyntaxCard {
                question,
                answer,
                tags,
                line: index + 1,
                reverse: note_type.to_lowercase().contains("reversed"),
                syntax: Syntax::ObsidianToAnki,
            });
        }
        index = end + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cards(text: &str) -> Vec<(String, String, bool, Syntax)> {
        extract(text)
            .cards
            .into_iter()
            .map(|card| (card.question, card.answer, card.reverse, card.syntax))
            .collect()
    }

    fn card(q: &str, a: &str, reverse: bool, syntax: Syntax) -> (String, String, bool, Syntax) {
        (q.to_string(), a.to_string(), reverse, syntax)
    }

    const OSR: Syntax = Syntax::ObsidianSpacedRepetition;

    #[test]
    fn obsidian_single_line_cards_and_their_schedule_comments() {
        let text = "#flashcards/networking\n\nWhat does DNS stand for::Domain Name System\nWhat port does HTTPS use:::443 <!--SR:!2026-01-05,3,250-->\n- In a list::it works too\nUse `std::vector` for a growable array.\n";
        assert_eq!(
            cards(text),
            [
                card("What does DNS stand for", "Domain Name System", false, OSR),
                card("What port does HTTPS use", "443", true, OSR),
                card("In a list", "it works too", false, OSR),
            ]
        );
        let extracted = extract(text);
        assert_eq!(extracted.cards[0].tags, ["flashcards/networking"]);
        // The lines taken are blank for the detector; the others stay.
        let rest = extracted.rest.unwrap();
        assert_eq!(rest.lines().count(), text.lines().count());
        assert!(rest.contains("std::vector"));
        assert!(!rest.contains("Domain Name System"));
        // In a file the tool would not read, a card still needs a question
        // of some words, and a path in prose or a Dataview field is none.
        let untagged = "What does DNS stand for::Domain Name System\nA C++ path such as std::vector is no card.\nauthor:: Someone\n";
        assert_eq!(
            cards(untagged),
            [card(
                "What does DNS stand for",
                "Domain Name System",
                false,
                OSR
            )]
        );
    }

    #[test]
    fn ipv6_addresses_are_no_single_line_cards() {
        for text in [
            "Ping the router at fe80::1 first\n",
            "The loopback address is ::1.\n",
            "Route 2001:db8::/32 via the tunnel\n",
            "Listen on [::1]:8080 and fe80::1%eth0 too\n",
            "A no-break\u{a0}fe80::1 space\n",
        ] {
            assert_eq!(cards(text), [], "{text}");
        }
        assert_eq!(
            cards("The IPv6 loopback address::Written ::1\n"),
            [card("The IPv6 loopback address", "Written ::1", false, OSR)]
        );
    }

    #[test]
    fn a_logseq_tag_in_any_case_or_glued_to_a_heading_block_marks_a_card() {
        let text = "- # 1、What is a pod?#Card\n  - The smallest unit.\n- ## What is a Service? #CARD\n  - A stable address.\n- Not a card#cards\n  - child\n";
        assert_eq!(
            cards(text),
            [
                card(
                    "1、What is a pod?",
                    "- The smallest unit.",
                    false,
                    Syntax::Logseq
                ),
                card(
                    "What is a Service?",
                    "- A stable address.",
                    false,
                    Syntax::Logseq
                ),
            ]
        );
    }

    #[test]
    fn obsidian_multi_line_cards_end_at_a_blank_line() {
        let text = "# Networking\n\nWhat happens in a TCP handshake?\n?\nSYN, SYN-ACK, ACK.\nThe client then sends data.\n<!--SR:!2026-01-05,3,250-->\n\nTCP\n??\nTransmission Control Protocol\n\nA line with a ? inside is no separator.\n";
        assert_eq!(
            cards(text),
            [
                card(
                    "What happens in a TCP handshake?",
                    "SYN, SYN-ACK, ACK.\nThe client then sends data.",
                    false,
                    OSR
                ),
                card("TCP", "Transmission Control Protocol", true, OSR),
            ]
        );
    }

    #[test]
    fn obsidian_highlights_are_clozes_only_in_a_flashcard_file() {
        let tagged = "---\ntags: [flashcards]\n---\n\nThe capital of ==France== is ==Paris==.\n\nPlain text stays.\n";
        assert_eq!(
            cards(tagged),
            [card(
                "The capital of {{c1::France}} is {{c2::Paris}}.",
                "",
                false,
                OSR
            )]
        );
        let untagged = "The capital of ==France== is ==Paris==.\n";
        assert!(cards(untagged).is_empty());
    }

    #[test]
    fn hashcards_cloze_cards_have_a_card_per_deletion() {
        let text = "Q: What is the capital of France?\nA: Paris.\n\nC: The [capital] of France is [Paris], see [the map](https://example.com).\n";
        assert_eq!(
            cards(text),
            [card(
                "The {{c1::capital}} of France is {{c2::Paris}}, see [the map](https://example.com).",
                "",
                false,
                Syntax::Hashcards
            )]
        );
        // The Q:/A: pair is left to the ordinary detector.
        assert!(
            extract(text)
                .rest
                .unwrap()
                .contains("Q: What is the capital")
        );
    }

    #[test]
    fn a_hashcards_cloze_runs_on_over_blank_lines_to_the_next_label() {
        let text = "C:\nBetter is the sight of the eyes than the wandering of the desire.\n\n— [Ecclesiastes] [6]:[9]\n\nQ: Next?\nA: Yes.\n";
        assert_eq!(
            cards(text),
            [card(
                "Better is the sight of the eyes than the wandering of the desire.\n\n— {{c1::Ecclesiastes}} {{c2::6}}:{{c3::9}}",
                "",
                false,
                Syntax::Hashcards
            )]
        );
    }

    #[test]
    fn carddown_one_line_and_multi_line_cards() {
        let text = "What does LRU evict? : The least recently used entry 🧠 #caching\n\nExplain write-back caching #flashcard\nWrites go to the cache first\nand reach the store later.\n---\n\nAn ordinary line : with a colon.\n";
        let found = extract(text);
        assert_eq!(
            cards(text),
            [
                card(
                    "What does LRU evict?",
                    "The least recently used entry",
                    false,
                    Syntax::Carddown
                ),
                card(
                    "Explain write-back caching",
                    "Writes go to the cache first\nand reach the store later.",
                    false,
                    Syntax::Carddown
                ),
            ]
        );
        assert_eq!(found.cards[0].tags, ["caching"]);
        assert!(cards("@carddown-ignore\nWhat? : This 🧠\n").is_empty());
        // a 🧠 decorating a title or opening a line marks no card
        assert!(cards("# 🧠 Data structures\n\nLegend\n\n---\n").is_empty());
        assert!(cards("🧠 Notes for the night before\nsome text\n---\n").is_empty());
    }

    #[test]
    fn logseq_cards_take_their_child_blocks_and_clozes() {
        let text = "- What is a pod? #card\n  card-last-interval:: 4\n  card-repeats:: 1\n  - The smallest deployable unit\n  - One or more containers sharing a network\n- A note that is no card\n- The {{cloze kubelet}} runs on every node\n";
        assert_eq!(
            cards(text),
            [
                card(
                    "What is a pod?",
                    "- The smallest deployable unit\n- One or more containers sharing a network",
                    false,
                    Syntax::Logseq
                ),
                card(
                    "The {{c1::kubelet}} runs on every node",
                    "",
                    false,
                    Syntax::Logseq
                ),
            ]
        );
    }

    #[test]
    fn obsidian_to_anki_blocks_and_their_ids() {
        let text = "START\nBasic\nFront: What is IAM?\nBack: Identity and Access Management,\nwhich decides who may do what.\nTags: aws security\n<!--ID: 1612345678901-->\nEND\n\nSTART\nBasic (and reversed card)\nS3\nBack: Simple Storage Service\nEND\n\nSTART\nCloze\nText: The {{c1::VPC}} isolates a network.\nEND\n";
        let found = extract(text);
        assert_eq!(
            cards(text),
            [
                card(
                    "What is IAM?",
                    "Identity and Access Management,\nwhich decides who may do what.",
                    false,
                    Syntax::ObsidianToAnki
                ),
                card("S3", "Simple Storage Service", true, Syntax::ObsidianToAnki),
                card(
                    "The {{c1::VPC}} isolates a network.",
                    "",
                    false,
                    Syntax::ObsidianToAnki
                ),
            ]
        );
        assert_eq!(found.cards[0].tags, ["aws", "security"]);
    }

    #[test]
    fn an_obsidian_to_anki_block_without_its_note_type_is_no_card() {
        assert!(cards("START\nEND\n").is_empty());
        assert!(cards("START\nBasic\nEND\n").is_empty());
        assert!(cards("START\nEND\nFront: x\nBack: y\nEND\n").is_empty());
    }

    #[test]
    fn nothing_inside_code_and_ordinary_notes_pay_nothing() {
        let text = "```cpp\nstd::cout << a::b;\nWhat::Is this\n```\n";
        assert!(extract(text).cards.is_empty());
        let comment = "<!-- cards are written `prompt : response` 🧠\nor question::answer -->\n";
        assert!(extract(comment).cards.is_empty());
        let plain = "# Questions\n\n## What is DNS?\n\nIt resolves names.\n";
        let extracted = extract(plain);
        assert!(extracted.cards.is_empty() && extracted.rest.is_none());
    }
}
