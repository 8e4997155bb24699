/*!
The small vocabulary of Q&A notes: numbering (`1.`, `2)`, `Q3)`,
`Question 4.`), words that open a question, placeholder answers, and the
chrome a browser copies along with a page; the question and answer labels
(`Q:`, `**A:**`, `Ans:`, `Answer:`, in several languages) are in
[`super::labels`] and named here too. Each is a pure function of a line of
text, so the detector can weigh them and tests can pin them.
*/

use super::labels::is_cjk;
pub use super::labels::{
    is_answer_label, is_numbered_label, is_other_callout, is_question_label_alone,
    strip_answer_marker, strip_label, strip_question_marker,
};

/// How a question is numbered, part of what tells one convention from
/// another inside a document (`### 1.` questions versus `### 1. **Step**`
/// sub-headings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Numbering {
    None,
    /// `1.`
    Dot,
    /// `1)` or `(1)`
    Paren,
    /// `Q1)`, `Q1.`, `Q1:`
    QNumber,
    /// `Question 1.`, `Question 1:`
    Word,
    /// A number set apart by a tab or a `、`: `12\tWhat is inode?`,
    /// `3、什么是…`.
    Bare,
}

/// Splits leading numbering off `text`: the style, the number, the rest.
pub fn split_numbering(text: &str) -> (Numbering, Option<u64>, &str) {
    let trimmed = text.trim_start();
    // `-1. Question` (a list marker missing its space) numbers like `1.`.
    let trimmed = match trimmed.strip_prefix('-') {
        Some(rest) if rest.starts_with(|ch: char| ch.is_ascii_digit()) => rest,
        _ => trimmed,
    };
    word_numbering(trimmed)
        .or_else(|| q_numbering(trimmed))
        .or_else(|| parenthesized_numbering(trimmed))
        .or_else(|| number_numbering(trimmed))
        .unwrap_or((Numbering::None, None, text))
}

/// How many ASCII digits `s` starts with.
fn digits_at(s: &str) -> usize {
    s.bytes().take_while(u8::is_ascii_digit).count()
}

/// `Question 12.` / `Question 12:` / `Question 12 -`
fn word_numbering(trimmed: &str) -> Option<(Numbering, Option<u64>, &str)> {
    for word in ["question ", "q. ", "q "] {
        if trimmed.len() > word.len()
            && trimmed
                .get(..word.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(word))
        {
            let rest = &trimmed[word.len()..];
            let mut digits = digits_at(rest);
            // `Question 1.1:`, numbered within a section
            while digits > 0
                && rest[digits..].starts_with('.')
                && digits_at(&rest[digits + 1..]) > 0
            {
                digits += 1 + digits_at(&rest[digits + 1..]);
            }
            if digits > 0 && digits <= 9 {
                // `Question 17a.` and `Question 42 .` occur too.
                let after = rest[digits..]
                    .strip_prefix(|ch: char| ch.is_ascii_lowercase())
                    .unwrap_or(&rest[digits..]);
                let after = after
                    .strip_prefix(' ')
                    .filter(|a| a.starts_with(['.', ':']))
                    .unwrap_or(after);
                if let Some(after) = after
                    .strip_prefix(['.', ':', ')'])
                    .or_else(|| after.strip_prefix(" -"))
                    .or_else(|| after.strip_prefix(" –"))
                    && (after.is_empty() || after.starts_with(char::is_whitespace))
                {
                    return Some((
                        Numbering::Word,
                        rest[..digits_at(rest)].parse().ok(),
                        after.trim_start(),
                    ));
                }
            }
        }
    }
    None
}

/// `Q12)` / `Q12.` / `Q12:`
fn q_numbering(trimmed: &str) -> Option<(Numbering, Option<u64>, &str)> {
    let rest = trimmed.strip_prefix(['Q', 'q'])?;
    let digits = digits_at(rest);
    if digits == 0 || digits > 4 {
        return None;
    }
    let after = &rest[digits..];
    // `Q13)Command` happens too: the number is marker enough; and
    // `Q11- What…`, `Q11 - What…`.
    let after = after
        .strip_prefix(' ')
        .filter(|rest| rest.starts_with('-'))
        .unwrap_or(after);
    // `Q2 How is KNN different…`: the number and a capital
    let spaced = after
        .strip_prefix(' ')
        .filter(|rest| rest.starts_with(char::is_uppercase) && digits <= 3);
    if let Some(text) = spaced {
        return Some((Numbering::QNumber, rest[..digits].parse().ok(), text));
    }
    if let Some(after) = after.strip_prefix([')', '.', ':', '-'])
        && (after.is_empty()
            || after.starts_with(char::is_whitespace)
            || after.starts_with(char::is_alphabetic))
    {
        return Some((
            Numbering::QNumber,
            rest[..digits].parse().ok(),
            after.trim_start(),
        ));
    }
    None
}

/// `(12)`
fn parenthesized_numbering(trimmed: &str) -> Option<(Numbering, Option<u64>, &str)> {
    let rest = trimmed.strip_prefix('(')?;
    let digits = digits_at(rest);
    (digits > 0 && digits <= 4 && rest[digits..].starts_with(") ")).then(|| {
        (
            Numbering::Paren,
            rest[..digits].parse().ok(),
            rest[digits + 1..].trim_start(),
        )
    })
}

/// `12.` / `12)`, or a number set apart by a tab or a `、`.
fn number_numbering(trimmed: &str) -> Option<(Numbering, Option<u64>, &str)> {
    let digits = digits_at(trimmed);
    if digits == 0 || digits > 4 {
        return None;
    }
    let after = &trimmed[digits..];
    let style = if after.starts_with('.') {
        Numbering::Dot
    } else if after.starts_with(')') {
        Numbering::Paren
    } else if let Some(rest) = bare_number_rest(after)
        && digits <= 3
    {
        return Some((Numbering::Bare, trimmed[..digits].parse().ok(), rest));
    } else {
        return None;
    };
    let after = &after[1..];
    // `7.TCP and SSL handshake?`: a number run into its text, which a
    // decimal (`1.5`) or a version (`3.x`, lower case) is not.
    let run_in = style == Numbering::Dot && digits <= 3 && after.starts_with(char::is_uppercase);
    (after.is_empty() || after.starts_with(char::is_whitespace) || run_in)
        .then(|| (style, trimmed[..digits].parse().ok(), after.trim_start()))
}

/// What follows a number that stands apart without `.` or `)` right after
/// it: a tab (`12\tWhat is inode?`) or a `、` (`3、什么是…`). A number and a
/// space alone (`3 ways to ...`) is the text's own.
fn bare_number_rest(after: &str) -> Option<&str> {
    // (`8 . What would be the output?` keeps its number: among questions
    // that differ only in their code, the number is what tells them apart
    // to a reader, and to the matching of edited cards)
    let rest = after.strip_prefix(['\t', '、'])?.trim_start();
    (!rest.is_empty()).then_some(rest)
}

/// `**text**` or `__text__` around the whole of `text`: the inner text.
pub fn strip_bold(text: &str) -> Option<&str> {
    let trimmed = text.trim();
    for fence in ["**", "__"] {
        // (a term set in bold again inside, `**What does an **&** do?**`,
        // is still one bold line; `**a** and **b**` is two spans)
        if let Some(inner) = trimmed
            .strip_prefix(fence)
            .and_then(|rest| rest.strip_suffix(fence))
            && (!inner.contains(fence) || nested_pairs(inner, fence))
            && !inner.trim().is_empty()
        {
            return Some(inner.trim());
        }
    }
    None
}

/// Whether the `fence`s inside a bold span come in pairs that each open
/// after a space and close before one: bold within bold.
fn nested_pairs(inner: &str, fence: &str) -> bool {
    let marks: Vec<usize> = inner.match_indices(fence).map(|(at, _)| at).collect();
    marks.len().is_multiple_of(2)
        && marks.chunks(2).all(|pair| {
            let (open, close) = (pair[0], pair[1] + fence.len());
            inner[..open].ends_with(char::is_whitespace)
                && !inner[open + fence.len()..].starts_with(char::is_whitespace)
                && (close == inner.len() || inner[close..].starts_with(char::is_whitespace))
        })
}

/// Words that open questions and interview prompts.
const OPENERS: &[&str] = &[
    "what",
    "what's",
    "whats",
    "why",
    "how",
    "when",
    "where",
    "which",
    "who",
    "whom",
    "whose",
    "is",
    "are",
    "can",
    "could",
    "do",
    "does",
    "did",
    "should",
    "would",
    "will",
    "have",
    "has",
    "explain",
    "describe",
    "define",
    "compare",
    "contrast",
    "list",
    "name",
    "tell",
    "give",
    "write",
    "difference",
    "differences",
    "differentiate",
    "distinguish",
    "discuss",
    "mention",
    "state",
    "outline",
    "walk",
    "suggest",
    "implement",
    "design",
    "show",
    "identify",
    "provide",
    "elaborate",
    "illustrate",
    "summarize",
    "summarise",
    "in",
    "if",
    "suppose",
    "imagine",
];

/// Verbs an interviewer opens a prompt with: "Explain…", "Tell me about a
/// time…", "Walk me through…". Unlike the openers of a question, none
/// commonly opens an answer's sentence.
const PROMPT_VERBS: &[&str] = &[
    "explain",
    "describe",
    "define",
    "compare",
    "contrast",
    "tell",
    "give",
    "write",
    "differentiate",
    "distinguish",
    "discuss",
    "walk",
    "outline",
    "elaborate",
    "illustrate",
    "summarize",
    "summarise",
    "implement",
    "design",
    "suggest",
    "imagine",
    "suppose",
    "name",
    // exercises: `Show a compact graph of all branches`, `Reverse a
    // linked list`, `Find the 10 largest files`
    "show",
    "list",
    "find",
    "print",
    "count",
    "reverse",
    "convert",
    "calculate",
    "compute",
    "estimate",
    "predict",
    "prove",
    "derive",
    "justify",
    "enumerate",
    "identify",
    "demonstrate",
];

/// Whether `text` opens with the verb of an interview prompt, after its
/// numbering and any bold around the whole of it. A bold lead-in
/// (`**Write Examples:** for each concept…`) is a term being described.
pub fn opens_like_prompt(text: &str) -> bool {
    let (_, _, rest) = split_numbering(text.trim());
    let rest = strip_bold(rest).unwrap_or(rest);
    // an italic prompt (`*Explain the G, M, P model.*`) opens with its verb
    // (a bold lead-in, `**Write Examples:** for ...`, names a term instead)
    let rest = if rest.starts_with("**") || rest.starts_with("__") {
        rest
    } else {
        rest.trim_start_matches(['*', '_'])
    };
    // a request may be polite: `Please write a program…`
    let rest = ["please ", "Please ", "kindly ", "Kindly "]
        .iter()
        .find_map(|word| rest.strip_prefix(word))
        .unwrap_or(rest);
    let first = rest
        .split(|ch: char| !ch.is_alphanumeric())
        .next()
        .unwrap_or("");
    PROMPT_VERBS
        .iter()
        .any(|verb| first.eq_ignore_ascii_case(verb))
}

/// How questions and prompts open in scripts without spaces between words.
const CJK_OPENERS: &[&str] = &[
    "什么",
    "为什么",
    "為什麼",
    "如何",
    "怎么",
    "怎样",
    "怎麼",
    "哪",
    "是否",
    "谈谈",
    "談談",
    "简述",
    "簡述",
    "说说",
    "說說",
    "介绍",
    "介紹",
    "解释",
    "解釋",
    "描述",
    "请",
    "請",
    "なぜ",
    "どう",
    "何",
];

/// Whether `text` opens like a question or an interview prompt.
pub fn opens_like_question(text: &str) -> bool {
    let start = text.trim_start_matches(|ch: char| !ch.is_alphanumeric());
    if start.starts_with(is_cjk) {
        return CJK_OPENERS.iter().any(|opener| start.starts_with(opener));
    }
    let first = text
        .split(|ch: char| !(ch.is_alphanumeric() || ch == '\''))
        .find(|word| !word.is_empty())
        .unwrap_or("");
    OPENERS
        .iter()
        .any(|opener| first.eq_ignore_ascii_case(opener))
}

/// Whether `text` is a short comparison (`count vs for_each`, `TCP versus
/// UDP`): an interview prompt as much as a question is.
pub fn is_comparison(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.len() <= 12
        && words.iter().enumerate().any(|(at, word)| {
            let word = word.trim_matches(|ch: char| !ch.is_alphanumeric());
            (word.eq_ignore_ascii_case("vs") || word.eq_ignore_ascii_case("versus"))
                && at > 0
                && at + 1 < words.len()
        })
}

/// The question marks of the scripts notes are written in: Latin and
/// Cyrillic `?`, the full-width `？` of Chinese and Japanese, Arabic `؟`.
/// What asks is defined once, by these and the openings below.
pub const QUESTION_MARKS: [char; 3] = ['?', '？', '؟'];

/// Whether `text` ends in a question mark, ignoring the emoji, closing
/// markup and spaces some writers put after it (`Why? 👶`, `**Why?**`).
pub fn ends_like_question(text: &str) -> bool {
    let end = text.trim_end_matches(|ch: char| {
        ch.is_whitespace()
            || !(ch.is_alphanumeric() || ch.is_ascii_punctuation() || QUESTION_MARKS.contains(&ch))
            || "*_`)]".contains(ch)
    });
    if end.ends_with(QUESTION_MARKS) {
        return true;
    }
    // A question with an aside after it still asks: `What tools do you
    // use? (e.g., Prometheus, Grafana)`.
    let trimmed = text.trim_end();
    trimmed.ends_with([')', '）'])
        && trimmed
            .rfind(['(', '（'])
            .is_some_and(|open| trimmed[..open].trim_end().ends_with(QUESTION_MARKS))
}

/// The longest line read as a question standing alone: longer, it is a
/// paragraph that happens to end in `?`.
pub const QUESTION_LINE_CHARS: usize = 250;

/// Whether a line is a question on its own (`What is a Deployment?`,
/// after its numbering): under another question it is a further prompt,
/// not an answer.
pub fn is_question_line(text: &str) -> bool {
    let (_, _, rest) = split_numbering(text.trim());
    text.chars().count() <= QUESTION_LINE_CHARS && ends_like_question(rest)
}

/// Words that open a note to self in place of an answer: `TODO — write
/// this up`, `_Pendiente: repasar envelope encryption_`.
const PLACEHOLDER_OPENERS: &[&str] = &[
    "todo",
    "tbd",
    "tba",
    "tbc",
    "wip",
    "fixme",
    "pending",
    "pendiente",
    "pendent",
    "ausstehend",
];
/// A note to self is one short paragraph at most.
const PLACEHOLDER_NOTE_BYTES: usize = 200;

/// Answers that are only a promise of one: a placeholder (`TBD`, `Answer
/// coming soon`), or a short note to self that opens with one (`TODO (know
/// the idea, need the complexity)`).
pub fn is_placeholder_answer(text: &str) -> bool {
    // Every placeholder is short, and a note to self not much longer; most
    // answers are neither, and this runs on every answer.
    if text.len() > PLACEHOLDER_NOTE_BYTES {
        return false;
    }
    // a note: its first word opens one, alone or followed by a dash, colon
    // or bracket (not a sentence that uses the word: "Pending requests are
    // ..."), in one short paragraph without code
    let start = text.trim_start_matches(|ch: char| !ch.is_alphanumeric());
    let opener = start
        .split(|ch: char| !ch.is_alphanumeric())
        .next()
        .unwrap_or("");
    let after = start[opener.len()..].trim_start();
    let note = PLACEHOLDER_OPENERS
        .iter()
        .any(|word| opener.eq_ignore_ascii_case(word))
        && (after.is_empty() || after.starts_with(|ch: char| !ch.is_alphanumeric()))
        && !text.trim().contains("\n\n")
        && !text.contains("```");
    if note {
        return true;
    }
    // Every placeholder is short; most answers are not.
    if text.len() > 64 {
        return false;
    }
    let words: Vec<String> = text
        .split(|ch: char| !ch.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect();
    let joined = words.join(" ");
    matches!(
        joined.as_str(),
        "" | "answer coming soon"
            | "coming soon"
            | "answer here"
            | "answer"
            | "todo"
            | "tbd"
            | "tba"
            | "tbc"
            | "to do"
            | "wip"
            | "n a"
            | "answer todo"
            | "answer tbd"
            | "à compléter"
            | "a compléter"
            | "à faire"
            | "por hacer"
            | "por completar"
            | "zu erledigen"
    )
}

/// A summary line that only reveals the answer to the question above it
/// (`<summary><b>Answer</b></summary>`), rather than asking one.
pub fn is_reveal_label(summary: &str) -> bool {
    let lower = summary.trim().to_lowercase();
    let lower = lower.trim_end_matches([':', '.', '!']);
    lower.is_empty()
        || [
            "answer",
            "answers",
            "solution",
            "show answer",
            "show solution",
            "reveal",
            "reveal answer",
            "click to expand",
            "click to see answer",
            "click to show",
            "expand",
            "explanation",
            "show",
            "details",
            "hint",
            "view answer",
            "see answer",
        ]
        .contains(&lower)
}

/// Lines a browser copies along with a blog post: navigation, bylines,
/// comment counters.
pub fn is_page_chrome(line: &str) -> bool {
    let lower = line.trim().to_lowercase();
    const PREFIXES: &[&str] = &[
        "posted on",
        "edited on",
        "updated on",
        "originally published",
        "published on",
        "top comments",
        "comments (",
        "read more",
        "read next",
        "share this",
        "sign in",
        "sign up",
        "log in",
        "subscribe",
        "follow",
        "copy link",
        "skip to content",
        "dev community",
        "add to the discussion",
        "code of conduct",
        "report abuse",
    ];
    PREFIXES.iter().any(|prefix| lower.starts_with(prefix))
        || (lower.ends_with("min read") && lower.len() < 20)
}

/// A line that is only a link to a place in the same document (`[⬆ Back
/// to Top](#table-of-contents)`, `- [Linux](#linux)`): navigation.
pub fn is_anchor_link_line(text: &str) -> bool {
    if !text.contains("](#") {
        return false;
    }
    let mut trimmed = text.trim();
    // A line break written as HTML before the link (`<br>[⬆ Back to top](#…)`).
    for br in ["<br>", "<br/>", "<br />"] {
        if let Some(rest) = trimmed.strip_prefix(br) {
            trimmed = rest.trim_start();
        }
    }
    for prefix in ["- ", "* ", "+ "] {
        if let Some(rest) = trimmed.strip_prefix(prefix) {
            trimmed = rest.trim_start();
        }
    }
    let (_, _, rest) = split_numbering(trimmed);
    let mut inner = rest.trim();
    while let Some(bold) = strip_bold(inner) {
        inner = bold;
    }
    // Optional checkbox of a task-list table of contents.
    for checkbox in ["[X] ", "[x] ", "[ ] "] {
        if let Some(rest) = inner.strip_prefix(checkbox) {
            inner = rest;
        }
    }
    inner.starts_with('[')
        && inner.ends_with(')')
        && inner.contains("](#")
        && inner.matches("](").count() == inner.matches("](#").count()
        && !inner[..inner.find("](#").unwrap_or(0)].contains("](")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_styles() {
        assert_eq!(
            split_numbering("1. What?"),
            (Numbering::Dot, Some(1), "What?")
        );
        assert_eq!(
            split_numbering("12) Why"),
            (Numbering::Paren, Some(12), "Why")
        );
        assert_eq!(
            split_numbering("Q3) How"),
            (Numbering::QNumber, Some(3), "How")
        );
        assert_eq!(
            split_numbering("Question 17. What"),
            (Numbering::Word, Some(17), "What")
        );
        assert_eq!(split_numbering("1.5 is a number").0, Numbering::None);
        assert_eq!(split_numbering("2024 was").0, Numbering::None);
        assert_eq!(
            split_numbering("-1. Question: x"),
            (Numbering::Dot, Some(1), "Question: x")
        );
        assert_eq!(
            split_numbering("Q13)Command"),
            (Numbering::QNumber, Some(13), "Command")
        );
        assert_eq!(split_numbering("- item").0, Numbering::None);
        assert_eq!(
            split_numbering("7.TCP and SSL handshake?"),
            (Numbering::Dot, Some(7), "TCP and SSL handshake?")
        );
        assert_eq!(split_numbering("3.x is old").0, Numbering::None);
        assert_eq!(
            split_numbering("Q11- What is a view?"),
            (Numbering::QNumber, Some(11), "What is a view?")
        );
        assert_eq!(
            split_numbering("Q11 - What is a view?"),
            (Numbering::QNumber, Some(11), "What is a view?")
        );
    }

    #[test]
    fn question_shapes() {
        assert!(ends_like_question("What is regression? 👶"));
        assert!(ends_like_question("**Why?**"));
        assert!(!ends_like_question("Precision-recall trade-off ⭐️"));
        assert!(opens_like_question("Explain how HTTPS works."));
        assert!(!opens_like_question("EKS"));
        assert!(ends_like_question("什么是三次握手\u{a0}？"));
        assert!(opens_like_question("什么是三次握手"));
        assert!(opens_like_prompt("Tell me about a time you failed."));
        assert!(opens_like_prompt("3. **Walk me through your CV.**"));
        assert!(!opens_like_prompt(
            "2. **Write Examples:** for each concept"
        ));
        assert!(!opens_like_prompt("It runs bytecode."));
    }

    #[test]
    fn navigation_and_placeholders() {
        assert!(is_anchor_link_line(
            "**[⬆ Back to Top](#table-of-contents)**"
        ));
        assert!(is_anchor_link_line("- [X] [DevOps](#devops)"));
        assert!(is_anchor_link_line(
            "<br>[⬆ Back to top](#table-of-contents)"
        ));
        assert!(is_anchor_link_line("1. [General Questions](#general)"));
        assert!(!is_anchor_link_line(
            "[DNS](https://en.wikipedia.org/wiki/DNS)"
        ));
        assert!(is_placeholder_answer("*Answer coming soon!"));
        assert!(is_placeholder_answer("Answer here"));
        assert!(!is_placeholder_answer("Use a bastion host."));
        for note in [
            "TODO — write this up, came up twice.",
            "_TODO — practise this one out loud: fan-out on write vs fan-out on read._",
            "💡 TODO (know the idea, need the complexity with a binary heap)",
            "_Pendiente — repasar envelope encryption._",
            "FIXME: finish",
            "TBD.",
        ] {
            assert!(is_placeholder_answer(note), "{note}");
        }
        for answer in [
            "Pending requests are queued until a worker is free.",
            "TODO comments are how the team marks unfinished code.",
            "todo: a list app\n\n```js\nconst todo = [];\n```",
        ] {
            assert!(!is_placeholder_answer(answer), "{answer}");
        }
        assert!(is_reveal_label("Answer"));
        assert!(!is_reveal_label("What is Linux?"));
        assert!(is_page_chrome("Top comments (0)"));
        assert!(is_page_chrome("Posted on • Edited on"));
    }
}
