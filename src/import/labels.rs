//! The labels of Q&A notes, in the languages they are written in: the
//! `Q:`/`A:` markers and their spellings (`**Answer:**`, `ANS :`, `答：`,
//! `**Ответ:**`), headings that only label an answer (`#### Answer`), and
//! numbered labels (`### Card 17`) that name a question without asking
//! it. Pure functions of a line, like the rest of [`super::markers`].

use super::markers::strip_bold;

/// `text` without `word` at its start, compared case-insensitively (in
/// any script) when `fold`.
fn strip_word<'a>(text: &'a str, word: &str, fold: bool) -> Option<&'a str> {
    // An ASCII word, as most labels are, is compared byte by byte: a byte
    // of a non-ASCII character never equals an ASCII one, so this says
    // what the comparison of characters below says.
    if word.is_ascii() {
        let head = text.as_bytes().get(..word.len())?;
        let same = if fold {
            head.eq_ignore_ascii_case(word.as_bytes())
        } else {
            head == word.as_bytes()
        };
        return same.then(|| &text[word.len()..]);
    }
    let mut end = 0;
    let mut chars = text.char_indices();
    for expected in word.chars() {
        let (at, ch) = chars.next()?;
        let same = if fold {
            same_folded(ch, expected)
        } else {
            ch == expected
        };
        if !same {
            return None;
        }
        end = at + ch.len_utf8();
    }
    Some(&text[end..])
}

/// Whether two characters are the same letter in either case; ASCII, by
/// far the most common, without the Unicode tables.
#[inline]
fn same_folded(a: char, b: char) -> bool {
    match (a.is_ascii(), b.is_ascii()) {
        (true, true) => a.eq_ignore_ascii_case(&b),
        (false, false) => a == b || a.to_lowercase().eq(b.to_lowercase()),
        _ => false,
    }
}

/// Scripts written without spaces, where a label's colon is followed
/// directly by the text (`答：TCP`).
pub(crate) fn is_cjk(ch: char) -> bool {
    matches!(ch as u32, 0x3000..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// Strips a leading marker from a list of alternatives, case-insensitively
/// for words, allowing the `**Q:**` and `**Q**:` spellings, a space before
/// the colon (`ANS :`) and the full-width colon (`答案：`).
fn strip_marker<'a>(text: &'a str, words: &[&str], exact: &[&str]) -> Option<&'a str> {
    strip_marker_with(text, words, exact, initials(words) | initials(exact))
}

/// The ASCII letters (lowercased) the words open with, as bits, so that a
/// line can be told it opens none of them in one step.
const fn initials(words: &[&str]) -> u128 {
    let mut bits = 0u128;
    let mut i = 0;
    while i < words.len() {
        let bytes = words[i].as_bytes();
        if !bytes.is_empty() && bytes[0].is_ascii() {
            bits |= 1 << bytes[0].to_ascii_lowercase();
        }
        i += 1;
    }
    bits
}

const ANSWER_INITIALS: u128 = initials(ANSWER_MARKERS) | initials(&["A"]);
const QUESTION_INITIALS: u128 = initials(QUESTION_MARKERS) | initials(&["Q"]);

/// [`strip_marker`] with the words' [`initials`] worked out already.
fn strip_marker_with<'a>(
    text: &'a str,
    words: &[&str],
    exact: &[&str],
    opening: u128,
) -> Option<&'a str> {
    let trimmed = text.trim_start();
    let (bold, body) = match trimmed
        .strip_prefix("**")
        .or_else(|| trimmed.strip_prefix("__"))
    {
        Some(body) => (true, body),
        None => (false, trimmed),
    };
    // Most lines open with no label: one look at the first character
    // settles them before any word is compared.
    let first = body.chars().next()?;
    if !first.is_alphabetic() {
        return None;
    }
    // An ASCII first letter that opens none of the words, compared as
    // bytes (the words' own first letters are lowercase): the common case,
    // settled without folding a character.
    if first.is_ascii() && opening & (1 << first.to_ascii_lowercase() as u8) == 0 {
        return None;
    }
    let candidates = words
        .iter()
        .map(|word| (*word, true))
        .chain(exact.iter().map(|word| (*word, false)));
    for (word, fold) in candidates {
        let opens = opens_with(word, first, fold);
        if !opens {
            continue;
        }
        let Some(mut rest) = strip_word(body, word, fold) else {
            continue;
        };
        // A numbered answer to a numbered question: `A1:`, `A12.`, `A1)`.
        let mut numbered = false;
        if !fold {
            let digits = rest.trim_start_matches(|ch: char| ch.is_ascii_digit());
            numbered = digits.len() < rest.len();
            rest = digits;
        }
        // French typography puts a space before the colon, often a
        // no-break one (`Question : ...`, `Réponse\u{a0}: ...`)
        let colon = |rest: &'a str| {
            let rest = rest.trim_start_matches([' ', '\u{a0}', '\u{202f}', '\u{2009}']);
            rest.strip_prefix(':').or_else(|| rest.strip_prefix('：'))
        };
        // `**A**:` or `**A:**`
        if bold {
            if let Some(after) = rest
                .strip_prefix("**")
                .or_else(|| rest.strip_prefix("__"))
                .and_then(|after| colon(after.trim_start()))
            {
                rest = after;
            } else if let Some(after) = colon(rest).and_then(|after| {
                after
                    .strip_prefix("**")
                    .or_else(|| after.strip_prefix("__"))
            }) {
                rest = after;
            } else if let Some(after) = rest.strip_prefix(".**") {
                rest = after;
            } else {
                continue;
            }
        } else if let Some(after) = colon(rest)
            .or_else(|| rest.strip_prefix(" -"))
            .or_else(|| rest.strip_prefix(' ').and_then(colon))
        {
            rest = after;
        } else if numbered && rest.starts_with(')') {
            // `Q1)` over `A1)`; a lone `A)` is an option of a list.
            rest = &rest[1..];
        } else if (word.eq_ignore_ascii_case("ans") || !fold) && rest.starts_with('.') {
            // `Ans.`, and `Q.`/`A.` pairs; a lone `A.` in a list of options
            // only counts where the detector finds it after a question.
            rest = &rest[1..];
        } else {
            continue;
        }
        // `A:` must end its word: `A: yes`, `A:\`code\``, `答：是`, but not
        // `A:B`.
        if rest.is_empty()
            || rest.starts_with(|ch: char| !ch.is_alphanumeric())
            || (rest.starts_with(is_cjk) && word.chars().any(is_cjk))
        {
            return Some(rest.trim_start_matches(['-', ')']).trim_start());
        }
    }
    None
}

/// Whether `word` opens with `first`, case-insensitively when `fold`. An
/// ASCII `first` is compared with the word's first byte, without decoding
/// it: a non-ASCII character never matches an ASCII one.
#[inline]
fn opens_with(word: &str, first: char, fold: bool) -> bool {
    if first.is_ascii() {
        return word.as_bytes().first().is_some_and(|&head| {
            if fold {
                head.eq_ignore_ascii_case(&(first as u8))
            } else {
                head == first as u8
            }
        });
    }
    word.chars().next().is_some_and(|head| {
        if fold {
            same_folded(head, first)
        } else {
            head == first
        }
    })
}

/// Labels that open an answer, longest first where one starts another.
const ANSWER_MARKERS: &[&str] = &[
    // the turns of an interview transcript: `**Me:** ...`
    "candidate",
    "interviewee",
    "me",
    // the back of a flashcard as Anki names its fields
    "back",
    "sample answer",
    "model answer",
    "suggested answer",
    "example answer",
    "short answer",
    "answer",
    "ans",
    "solution",
    "ответ",
    "решение",
    "respuesta",
    "solución",
    "réponse",
    "antwort",
    "lösung",
    "resposta",
    "risposta",
    "odpowiedź",
    "cevap",
    "参考答案",
    "答案",
    "回答",
    "解答",
    "答",
    "정답",
    "답",
    "答え",
];

/// Labels that open a question.
const QUESTION_MARKERS: &[&str] = &[
    // `**Interviewer:** What does volatile guarantee?`
    "interviewer",
    // the front of a flashcard as Anki names its fields
    "front",
    "question",
    "вопрос",
    "pregunta",
    "frage",
    "pergunta",
    "domanda",
    "pytanie",
    "soru",
    "问题",
    "問題",
    "题目",
    "问",
    "問",
    "질문",
];

/// `Ans:`, `Answer:`, `A:`, `**A:**`, `**Ответ:**` and friends at the start
/// of `text`: the text after the marker.
pub fn strip_answer_marker(text: &str) -> Option<&str> {
    strip_marker_with(text, ANSWER_MARKERS, &["A"], ANSWER_INITIALS)
        .or_else(|| strip_emoji(text, ANSWER_EMOJI))
        .or_else(|| strip_callout(text, ANSWER_CALLOUTS))
}

/// Where the answer label of a one-line pair stands: `Q: What is DNS? A:
/// It turns names into addresses.`, `Q. What is UDP? A. Datagrams.`,
/// `Question: … Answer: …`, `**Вопрос:** … **Ответ:** …`. The line opens
/// with a question label; a later answer label (a word of the same
/// vocabulary, or `answer_label`, the user's own) counts only where a
/// label can stand: after the end of a sentence (`?`, `.`, `!`, `。`) and
/// a space, or set apart by two spaces or a tab. `Q: Why plan A: the
/// cheap one?` has none. The single letter `A.` answers only a `Q.`
/// question and is no label before options (`A. 3 B. 4`), and a question
/// still being asked after the label (`Q: Two hosts. A: sends to B. Who
/// receives?`) was never answered. The byte offset of the label in `line`.
pub fn one_line_answer(line: &str, answer_label: Option<&str>) -> Option<usize> {
    let ask = |text| strip_marker_with(text, QUESTION_MARKERS, &["Q"], QUESTION_INITIALS);
    let trimmed = line.trim_start();
    // (`**Q: What is ARP?** A: …`: the label inside the bold question)
    let asked = ask(line).or_else(|| {
        trimmed
            .strip_prefix("**")
            .or_else(|| trimmed.strip_prefix("__"))
            .and_then(ask)
    })?;
    let base = line.len() - asked.len();
    let head = line[..base].trim_end().trim_end_matches(['*', '_']);
    let dotted_question = head.ends_with('.');
    let mut previous = ' ';
    for (at, ch) in asked.char_indices() {
        // (a label opens with a letter or its bold, once: each place is
        // weighed in one look back, so a long line is read in linear time)
        let opens =
            ch.is_alphabetic() || (matches!(ch, '*' | '_') && !matches!(previous, '*' | '_'));
        previous = ch;
        if at == 0 || !opens {
            continue;
        }
        let before = &asked[..at];
        let question = before.trim_end_matches([' ', '\t', '\u{a0}', '\u{3000}']);
        let gap = &before[question.len()..];
        let Some(last) = question.trim_end_matches(['*', '_']).chars().last() else {
            continue;
        };
        // (full-width marks and `?` need no space after them: `问：…？答：…`)
        let sentence_end = (matches!(last, '.' | '!') && !gap.is_empty())
            || matches!(last, '?' | '？' | '؟' | '。' | '！');
        let set_apart = gap.contains('\t') || gap.chars().count() >= 2;
        if !(sentence_end || set_apart) || !question.chars().any(char::is_alphanumeric) {
            continue;
        }
        let rest = &asked[at..];
        let Some(answer) = strip_marker_with(rest, ANSWER_MARKERS, &["A"], ANSWER_INITIALS)
            .or_else(|| answer_label.and_then(|label| strip_label(rest, label)))
        else {
            continue;
        };
        let letter = rest.trim_start_matches(['*', '_']);
        let dotted_answer = letter.starts_with('A')
            && letter[1..]
                .trim_start_matches(|ch: char| ch.is_ascii_digit())
                .starts_with('.');
        if dotted_answer && (!dotted_question || lists_options(answer)) {
            continue;
        }
        let asks = |text: &str| {
            text.trim_end()
                .trim_end_matches(['*', '_'])
                .ends_with(['?', '？', '؟'])
        };
        if asks(answer) && !asks(question) {
            continue;
        }
        return Some(base + at);
    }
    None
}

/// Whether `text` goes on with a second option of a multiple choice
/// (`3 B. 4 C. 5`, `3 (B) 4`): the `A.` before it opened the options.
fn lists_options(text: &str) -> bool {
    [" B. ", " B) ", " (B) ", "\tB. ", "\tB) "]
        .iter()
        .any(|option| text.contains(option))
}

/// Obsidian callouts (`> [!question] What is ...?`) that ask, and those
/// that answer; the others ([`is_other_callout`]) are notes.
const QUESTION_CALLOUTS: &[&str] = &["question", "faq", "help", "q"];
const ANSWER_CALLOUTS: &[&str] = &["answer", "success", "check", "done", "solution", "a"];

/// The text after a callout tag of one of `kinds` (`[!question]`, folded
/// `[!faq]-` or `[!faq]+`) at the start of `text`.
fn strip_callout<'a>(text: &'a str, kinds: &[&str]) -> Option<&'a str> {
    let (kind, rest) = callout(text)?;
    kinds
        .iter()
        .any(|k| k.eq_ignore_ascii_case(kind))
        .then_some(rest)
}

/// A callout's kind and the text after its tag.
fn callout(text: &str) -> Option<(&str, &str)> {
    let inner = text.trim_start().strip_prefix("[!")?;
    let close = inner.find(']')?;
    let kind = &inner[..close];
    if kind.is_empty() || !kind.chars().all(|ch| ch.is_alphanumeric() || ch == '-') {
        return None;
    }
    let rest = inner[close + 1..].trim_start_matches(['-', '+']);
    Some((kind, rest.trim_start()))
}

/// A callout that neither asks nor answers (`> [!note] Why so much on
/// signals?`, `> [!warning]`): a note, whatever its title says.
pub fn is_other_callout(text: &str) -> bool {
    callout(text).is_some_and(|(kind, _)| {
        !QUESTION_CALLOUTS
            .iter()
            .chain(ANSWER_CALLOUTS)
            .any(|k| k.eq_ignore_ascii_case(kind))
    })
}

/// Emoji that mark a question or an answer the way `Q:` and `A:` do, in
/// notes written that way (`❓ What is a heap?` over `💡 A tree ...`).
const QUESTION_EMOJI: &[&str] = &["❓", "❔"];
const ANSWER_EMOJI: &[&str] = &["💡", "✅"];

/// The text after one of `emoji` at the start of `text` (with its
/// variation selector, if any), when a space or nothing follows it.
fn strip_emoji<'a>(text: &'a str, emoji: &[&str]) -> Option<&'a str> {
    let trimmed = text.trim_start();
    emoji.iter().find_map(|mark| {
        let rest = trimmed.strip_prefix(mark)?;
        let rest = rest.strip_prefix('\u{fe0f}').unwrap_or(rest);
        (rest.is_empty() || rest.starts_with(char::is_whitespace)).then(|| rest.trim_start())
    })
}

/// The text after `label` (a word the user named, as `label:` or
/// `**label:**`) at the start of `text`.
pub fn strip_label<'a>(text: &'a str, label: &str) -> Option<&'a str> {
    strip_marker(text, &[label], &[])
}

/// `Q:`, `**Q:**`, `Question:`, `**Вопрос:**` at the start of `text`.
pub fn strip_question_marker(text: &str) -> Option<&str> {
    strip_marker_with(text, QUESTION_MARKERS, &["Q"], QUESTION_INITIALS)
        .or_else(|| strip_emoji(text, QUESTION_EMOJI))
        .or_else(|| strip_callout(text, QUESTION_CALLOUTS))
}

/// Whether `text` is a question label and nothing else (`Question:`,
/// `**Q:**`): it labels the lines or the paragraph under it. Labels are
/// short, so longer text is settled without a copy.
pub fn is_question_label_alone(text: &str) -> bool {
    let text = text.trim();
    text.len() <= 40
        && strip_question_marker(text.replace("**", "").trim())
            .is_some_and(|rest| rest.trim().is_empty())
}

/// Words that label an answer on their own line, besides the markers
/// above (a heading `#### Explanation`, a summary `答案`), but would be
/// too common to open an answer's line as a marker: a heading or a
/// summary that is only one of these or of the markers introduces the
/// answer of the question above it.
const ANSWER_HEADINGS: &[&str] = &[
    "answers",
    "solutions",
    "the answer",
    "explanation",
    "解",
    "解析",
    "解説",
];

const LABEL_INITIALS: u128 = initials(ANSWER_MARKERS) | initials(ANSWER_HEADINGS);

/// Whether `text` (a heading, a bold line) is only an answer label:
/// `Answer`, `**Solution:**`, `Ответ`, `答案：`.
pub fn is_answer_label(text: &str) -> bool {
    let mut inner = text.trim();
    while let Some(bold) = strip_bold(inner) {
        inner = bold;
    }
    let inner = inner
        .trim_end_matches([':', '：', '.', '!', ' ', '\u{a0}'])
        .trim();
    // Compared in place, without a lowercase copy: this runs on every line
    // of plain text. Most lines open with a letter no label opens with,
    // which one look settles.
    let Some(first) = inner.chars().next() else {
        return false;
    };
    if first.is_ascii() && LABEL_INITIALS & (1 << first.to_ascii_lowercase() as u8) == 0 {
        return false;
    }
    ANSWER_MARKERS
        .iter()
        .chain(ANSWER_HEADINGS)
        .filter(|label| opens_with(label, first, true))
        .any(|label| strip_word(inner, label, true).is_some_and(str::is_empty))
}

/// A name made of a word and a number (`Card 17`, `Question 1.1:`,
/// `Problem #3`, `Q10`, `问题 3`): it labels the question below it and
/// says nothing about its topic, so it is neither a question nor a section.
pub fn is_numbered_label(text: &str) -> bool {
    let mut inner = text.trim();
    while let Some(bold) = strip_bold(inner) {
        inner = bold;
    }
    let inner = inner.trim_end_matches([':', '：', '.', ')', ' ']);
    let word_end = inner
        .find(|ch: char| !ch.is_alphabetic())
        .unwrap_or(inner.len());
    if word_end == 0 || inner[..word_end].chars().count() > 12 {
        return false;
    }
    let number = inner[word_end..].trim_start_matches([' ', '\u{a0}', '#', '.', '-', '№']);
    !number.is_empty()
        && number.starts_with(|ch: char| ch.is_ascii_digit())
        && number.chars().all(|ch| ch.is_ascii_digit() || ch == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_space_before_the_colon_as_french_writes_it() {
        for text in [
            "**Question :** Qu'est-ce que le WAL ?",
            "Question\u{a0}: Qu'est-ce que le WAL ?",
            "Question\u{202f}: Qu'est-ce que le WAL ?",
            "__Question :__ Qu'est-ce que le WAL ?",
        ] {
            assert_eq!(
                strip_question_marker(text),
                Some("Qu'est-ce que le WAL ?"),
                "{text:?}"
            );
        }
        assert_eq!(
            strip_answer_marker("**Réponse :** Le journal."),
            Some("Le journal.")
        );
    }

    #[test]
    fn obsidian_callouts_ask_answer_or_note() {
        assert_eq!(
            strip_question_marker("[!question]- What is an image? ⭐"),
            Some("What is an image? ⭐")
        );
        assert_eq!(strip_question_marker("[!FAQ] Why?"), Some("Why?"));
        assert_eq!(strip_answer_marker("[!answer]"), Some(""));
        assert_eq!(
            strip_question_marker("[!note] Why so much on signals?"),
            None
        );
        assert!(is_other_callout("[!note] Why so much on signals?"));
        assert!(is_other_callout(
            "[!warning] Don't put secrets in build args"
        ));
        assert!(!is_other_callout("[!question] What?"));
        assert!(!is_other_callout("[link](#x)"));
    }

    #[test]
    fn emoji_mark_questions_and_answers() {
        assert_eq!(
            strip_question_marker("❓ What is a heap?"),
            Some("What is a heap?")
        );
        assert_eq!(strip_answer_marker("💡 A tree"), Some("A tree"));
        assert_eq!(strip_answer_marker("✅\u{fe0f} Yes"), Some("Yes"));
        assert_eq!(strip_answer_marker("💡"), Some(""));
        // an emoji inside a word or sentence is no marker
        assert_eq!(strip_answer_marker("💡idea"), None);
        assert_eq!(strip_question_marker("What ❓"), None);
    }

    #[test]
    fn answer_markers() {
        assert_eq!(strip_answer_marker("Ans: To connect"), Some("To connect"));
        assert_eq!(strip_answer_marker("Answer:"), Some(""));
        assert_eq!(strip_answer_marker("**A:** yes"), Some("yes"));
        assert_eq!(strip_answer_marker("**Answer**: yes"), Some("yes"));
        assert_eq!(strip_answer_marker("A: Although"), Some("Although"));
        assert_eq!(strip_answer_marker("Answering is"), None);
        assert_eq!(strip_answer_marker("A1) To connect"), Some("To connect"));
        assert_eq!(strip_answer_marker("A) an option"), None);
        assert_eq!(strip_answer_marker("Back: To connect"), Some("To connect"));
        assert_eq!(strip_answer_marker("Backend: a server"), None);
        assert_eq!(
            strip_question_marker("Front: What is X?"),
            Some("What is X?")
        );
        assert_eq!(strip_question_marker("Q12) What is X?"), Some("What is X?"));
        assert_eq!(strip_answer_marker("a: lower"), None);
        assert_eq!(strip_answer_marker("A1: lazily"), Some("lazily"));
        assert_eq!(strip_answer_marker("A. A runtime."), Some("A runtime."));
        assert_eq!(strip_question_marker("Q. What?"), Some("What?"));
        assert_eq!(strip_answer_marker("Ax: no"), None);
        assert_eq!(strip_question_marker("**Q:** What"), Some("What"));
        assert_eq!(strip_question_marker("Q: What"), Some("What"));
        assert_eq!(strip_answer_marker("**Ответ:** Да"), Some("Да"));
        assert_eq!(strip_question_marker("**Вопрос:** Что?"), Some("Что?"));
        assert_eq!(strip_answer_marker("**Respuesta:** Sí"), Some("Sí"));
        assert_eq!(strip_answer_marker("ANS : yes"), Some("yes"));
        assert_eq!(
            strip_answer_marker("**Sample Answer:** I led"),
            Some("I led")
        );
        assert_eq!(strip_answer_marker("**Ans**:- yes"), Some("yes"));
        assert_eq!(strip_answer_marker("答：三次握手"), Some("三次握手"));
        assert_eq!(strip_answer_marker("Answers vary"), None);
        assert_eq!(strip_answer_marker("A:`['B']`"), Some("`['B']`"));
    }

    #[test]
    fn one_line_pairs() {
        fn at(line: &str) -> Option<&str> {
            one_line_answer(line, None).map(|at| &line[at..])
        }
        assert_eq!(at("Q: What is DNS? A: Names."), Some("A: Names."));
        assert_eq!(at("Q. What is UDP? A. Datagrams."), Some("A. Datagrams."));
        assert_eq!(
            at("Question: Why? Answer: Because."),
            Some("Answer: Because.")
        );
        assert_eq!(at("**Q:** Why? **A:** Because."), Some("**A:** Because."));
        assert_eq!(at("**Q: Why?** A: Because."), Some("A: Because."));
        assert_eq!(at("Q: Explain DNS. A: Names."), Some("A: Names."));
        assert_eq!(at("Q: Name the port  A: 22"), Some("A: 22"));
        assert_eq!(at("Q1: Why? A1: Because."), Some("A1: Because."));
        assert_eq!(at("Вопрос: Что? Ответ: Это."), Some("Ответ: Это."));
        assert_eq!(at("问：什么？答：这个。"), Some("答：这个。"));
        assert_eq!(
            one_line_answer("Q: Why? Lösung: So.", Some("Lösung")).map(|_| ()),
            Some(())
        );
        for line in [
            "Q: Why did we pick plan A: the cheap one?",
            "Q: What does grade A: mean?",
            "Q: What is DNS? A.B. Smith asked.",
            "Q: Why? A:B",
            "Q: What is 2+2? A. 3 B. 4",
            "Q. What is 2+2? A. 3 B. 4 C. 5",
            "Q: Two hosts. A: sends to B. Who receives?",
            "Q: Who wrote it? A. Turing.",
            "Plan A: we ship. Q: fine? A: yes.",
            "What is DNS? A: Names.",
            "Q: What is DNS?",
        ] {
            assert_eq!(one_line_answer(line, None), None, "{line}");
        }
    }

    #[test]
    fn answer_labels_in_several_languages() {
        for label in [
            "Answer",
            "**Solution:**",
            "Ответ",
            "Respuesta:",
            "答案：",
            "Sample Answer",
        ] {
            assert!(is_answer_label(label), "{label}");
        }
        assert!(!is_answer_label("Answer: C"));
        assert!(!is_answer_label("Good to hear"));
    }

    #[test]
    fn numbered_labels() {
        for label in [
            "Card 17",
            "Question 1.1:",
            "**Problem #3**",
            "Q10",
            "Вопрос 5",
        ] {
            assert!(is_numbered_label(label), "{label}");
        }
        for text in ["Python 3 features", "What is IPv6?", "2024", "Chapter"] {
            assert!(!is_numbered_label(text), "{text}");
        }
    }
}
