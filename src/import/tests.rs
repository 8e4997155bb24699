//! The importer on small documents, one per convention, and its
//! properties: no panic on any input, no word lost.

use proptest::prelude::*;

use super::*;

fn words(text: &str) -> usize {
    text.split(|ch: char| !ch.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .count()
}

#[test]
fn pathological_inputs_do_not_panic() {
    let long_line = "word ".repeat(2_000_000);
    // 10,000 nested list levels, on one line (`- - - ... text`) and as
    // an ordered staircase.
    let nested = "- ".repeat(10_000) + "deep?\n";
    let staircase: String = (0..10_000)
        .map(|depth| format!("{}1. level?\n", " ".repeat(depth.min(3))))
        .collect();
    let quotes = ">".repeat(10_000) + " deep?\n";
    let emphasis = "**".repeat(50_000);
    let details = "<details><summary>Q?</summary>\n".repeat(5_000);
    // one-line pairs whose answer label never comes
    let starred = format!("Q: What? {}\n", "**".repeat(100_000));
    let asking = format!("Q: What? {}\n", "A? ".repeat(100_000));
    for input in [
        String::new(),
        "\n\n\n".into(),
        long_line,
        nested,
        staircase,
        quotes,
        emphasis,
        details,
        starred.clone(),
        format!("# Q\n\n{starred}"),
        asking.clone(),
        format!("# Q\n\n{asking}"),
        "# \n## ?\n### 1.\n".into(),
        "| a | b |\n|---|---|\n| What? | |\n".into(),
    ] {
        let notes = read_text(input);
        for card in &notes.cards {
            assert!(!card.question.trim().is_empty());
            assert!(!card.answer.trim().is_empty());
        }
    }
    assert!(matches!(
        read_notes(b"\x00\x01binary\xff"),
        Err(TextError::Binary)
    ));
    assert!(read_notes(b"caf\xe9? \xff\xfe\n\nyes\n").is_ok());
}

#[test]
fn details_and_tables_become_cards() {
    let notes = read_text(
        "# T\n\n<details>\n<summary>What is A?</summary>\n\nA is a letter.\n</details>\n\n\
         | Question | Answer |\n|---|---|\n| What is B? | The second letter. |\n| What is C? | The third. |\n"
            .into(),
    );
    let questions: Vec<&str> = notes
        .cards
        .iter()
        .map(|card| card.question.as_str())
        .collect();
    assert_eq!(questions, ["What is A?", "What is B?", "What is C?"]);
    assert_eq!(notes.cards[1].answer, "The second letter.");
}

#[test]
fn question_and_answer_markers() {
    let notes = read_text(
        "Some intro.\n\n**Q:** What is DNS?\n**A:** It names hosts.\n\nQ: What is TCP?\n\nA: A transport.\n".into(),
    );
    let cards = card_pairs(&notes);
    assert_eq!(
        cards,
        [
            ("What is DNS?", "It names hosts."),
            ("What is TCP?", "A transport.")
        ]
    );
}

/// The question and answer of each card.
fn card_pairs(notes: &Notes) -> Vec<(&str, &str)> {
    notes
        .cards
        .iter()
        .map(|card| (card.question.as_str(), card.answer.as_str()))
        .collect()
}

fn pairs(text: &str) -> Vec<(String, String)> {
    read_text(text.into())
        .cards
        .into_iter()
        .map(|card| (card.question, card.answer))
        .collect()
}

fn expect(text: &str, expected: &[(&str, &str)]) {
    let found = pairs(text);
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(q, a)| ((*q).to_owned(), (*a).to_owned()))
        .collect();
    assert_eq!(found, expected, "in {text:?}");
}

/// Conventions that are in neither the seeds nor the corpus.
#[test]
fn other_conventions() {
    expect(
        "# Net\n\nWhat is DNS?\n------------\n\nIt maps names.\n\nWhat is TCP?\n------------\n\nA transport.\n",
        &[
            ("What is DNS?", "It maps names."),
            ("What is TCP?", "A transport."),
        ],
    );
    expect(
        "# Java\n\n1. What is the JVM?\n   It runs bytecode.\n\n2. What is a classloader?\n   It loads classes.\n",
        &[
            ("What is the JVM?", "It runs bytecode."),
            ("What is a classloader?", "It loads classes."),
        ],
    );
    expect(
        "## Git\n\n**Question:** What does `rebase` do?\n**Answer:** Replays commits.\n\n**Question:** What is HEAD?\n**Answer:** The current commit.\n",
        &[
            ("What does `rebase` do?", "Replays commits."),
            ("What is HEAD?", "The current commit."),
        ],
    );
    expect(
        "Q. What is Docker?\nA. A container runtime.\n\nQ. What is an image?\nA. A template.\n",
        &[
            ("What is Docker?", "A container runtime."),
            ("What is an image?", "A template."),
        ],
    );
    expect(
        "# Py\n\n## Q1: What is a generator?\nA1: A lazy function.\n\n## Q2: What is the GIL?\nA2: A lock.\n",
        &[
            ("What is a generator?", "A lazy function."),
            ("What is the GIL?", "A lock."),
        ],
    );
}

/// `### question` with its answer under `#### Answer`, which holds
/// sub-sections of its own: one card per question, the sub-sections in
/// its answer, the label in neither side.
#[test]
fn answer_under_its_own_sub_heading() {
    expect(
        "# JS\n\n### What is a closure?\n\n#### Answer\n\nA function with its scope.\n\n\
         #### Good to hear\n\n* Data privacy\n\n##### Additional links\n\n* [MDN](https://mdn.io)\n\n\
         ### What does this log?\n\n```js\nconsole.log(1)\n```\n\n#### Answer\n\n<details>\n<summary>View answer</summary>\n\n`1`.\n\n</details>\n",
        &[
            (
                "What is a closure?",
                "A function with its scope.\n\n#### Good to hear\n\n* Data privacy\n\n##### Additional links\n\n* [MDN](https://mdn.io)",
            ),
            ("What does this log?\n\n```js\nconsole.log(1)\n```", "`1`."),
        ],
    );
}

/// `### Card N` headings over `**Q:**`/`**A:**` pairs label the cards:
/// they are reported, and are no card's tag.
#[test]
fn numbered_label_headings_are_reported() {
    let notes = read_text(
        "# SQL\n\n## Basics\n\n### Card 1\n**Q:** What is a key?\n**A:** A unique column.\n\n\
         ### Card 2\n**Q:** What is a join?\n**A:** Rows of two tables combined.\n"
            .into(),
    );
    assert_eq!(notes.cards.len(), 2);
    assert_eq!(notes.cards[1].tags, ["basics"]);
    let labels: Vec<usize> = notes
        .skipped
        .iter()
        .filter(|skip| skip.reason == SkipReason::Label)
        .map(|skip| skip.first_line)
        .collect();
    assert_eq!(labels, [5, 9]);

    // A numbered heading over several questions is a section.
    let notes = read_text(
        "# Notes\n\n# Part 1\n\n## What is A?\n\nAlpha.\n\n## What is B?\n\nBeta.\n".into(),
    );
    assert_eq!(notes.cards[1].tags, ["part-1"]);
}

/// List questions, some unanswered, some followed only by the prompts
/// to discuss: only the answered ones are cards.
#[test]
fn list_questions_followed_by_prompts_are_unanswered() {
    let notes = read_text(
        "# Ops\n\n- Q1) What is DNS?\n  - A: It names hosts.\n\n- Q2) What is BGP?\n\n\
         - Q3) I type a URL and press enter. What happens?\n    - DNS, TCP, HTTP\n    - What is anycast?\n    - Explain the TLS handshake.\n\n\
         - Q4) What is TCP?\n  - A: A transport.\n"
            .into(),
    );
    let questions: Vec<&str> = notes.cards.iter().map(|c| c.question.as_str()).collect();
    assert_eq!(questions, ["What is DNS?", "What is TCP?"]);
    assert_eq!(
        notes
            .skipped
            .iter()
            .filter(|skip| skip.reason == SkipReason::Unanswered)
            .count(),
        2
    );
}

/// Setext-numbered sections of plain `Q:`/`A:` lines: what stands
/// between a `Q:` and its `A:` (code, a second sentence) is part of the
/// question, and the empty sections are no cards.
#[test]
fn labelled_question_runs_on_to_its_answer() {
    expect(
        "001\n===\n\nQ: Consider this array:\n\n```ruby\narr = [1, 2]\n```\n\nWhat is `arr[0]`?\n\nA: 1\n\n002\n===\n\n003\n===\n\nQ: What is `nil`?\n\nA: Nothing.\n",
        &[
            (
                "Consider this array:\n\n```ruby\narr = [1, 2]\n```\n\nWhat is `arr[0]`?",
                "1",
            ),
            ("What is `nil`?", "Nothing."),
        ],
    );
}

/// Answer and question labels in other languages and spellings, and
/// answers in blockquotes: the labels are in neither side.
#[test]
fn labels_in_any_language() {
    expect(
        "# Java\n\n**Вопрос:** Что такое JVM?\n\n**Ответ:** Виртуальная машина.\n\n\
         **Вопрос:** Что такое JIT?\n\n**Ответ:** Компилятор.\n",
        &[
            ("Что такое JVM?", "Виртуальная машина."),
            ("Что такое JIT?", "Компилятор."),
        ],
    );
    expect(
        "# Redes\n\n### ¿Qué es DNS?\n\n**Respuesta:** Nombres.\n\n### ¿Qué es TCP?\n\n\
         > **Answer:** Transporte.\n> Fiable.\n\n### ¿Qué es UDP?\n\nANS : Datagramas.\n\n\
         ### Why Rust?\n\n**Sample Answer:** Safety.\n",
        &[
            ("¿Qué es DNS?", "Nombres."),
            ("¿Qué es TCP?", "Transporte.\nFiable."),
            ("¿Qué es UDP?", "Datagramas."),
            ("Why Rust?", "Safety."),
        ],
    );
}

/// Chinese headings end in a full-width `？`, often after a space or a
/// no-break space.
#[test]
fn full_width_question_marks() {
    expect(
        "# 网络\n\n### 什么是三次握手\u{a0}？\n\n客户端发送 SYN。\n\n### 什么是 DNS ？\n\n域名解析。\n",
        &[
            ("什么是三次握手\u{a0}？", "客户端发送 SYN。"),
            ("什么是 DNS ？", "域名解析。"),
        ],
    );
}

/// A notes file of one question gives its card; the question does not
/// become the deck's title.
#[test]
fn a_single_question_is_a_card() {
    let notes = read_text(
        "## What is the CAP theorem?\n\nAt most two of consistency, availability, partition tolerance.\n"
            .into(),
    );
    assert_eq!(notes.cards.len(), 1);
    assert_eq!(notes.cards[0].question, "What is the CAP theorem?");
    assert_eq!(notes.title, None);
}

/// Prompts that do not end in `?`, numbered, in a bullet list, or in
/// plain text, are questions by their opening verb.
#[test]
fn imperative_prompts_are_questions() {
    expect(
        "# Behavioural\n\n1. Tell me about a time you failed.\n\n   I skipped a rollback plan.\n\n\
         2. Walk me through your last project.\n\n   A billing service.\n",
        &[
            (
                "Tell me about a time you failed.",
                "I skipped a rollback plan.",
            ),
            ("Walk me through your last project.", "A billing service."),
        ],
    );
    expect(
        "# Prompts\n\n- Explain how HTTPS works.\n\n  TLS wraps HTTP.\n\n\
         - Give an example of a race condition.\n\n  Two unlocked increments.\n",
        &[
            ("Explain how HTTPS works.", "TLS wraps HTTP."),
            (
                "Give an example of a race condition.",
                "Two unlocked increments.",
            ),
        ],
    );
    expect(
        "Behavioural\n\nDescribe a conflict with a colleague.\n\nWe settled it with data.\n\n\
         Explain your biggest mistake.\n\nA migration without a rollback.\n",
        &[
            (
                "Describe a conflict with a colleague.",
                "We settled it with data.",
            ),
            (
                "Explain your biggest mistake.",
                "A migration without a rollback.",
            ),
        ],
    );
}

/// YAML front matter gives the deck its title, and its other lines are
/// reported; it is never a heading or a card.
#[test]
fn front_matter_gives_the_title() {
    let notes = read_text(
        "---\ntitle: \"Networking cards\"\ndate: 2026-01-01\n---\n\n## What is DNS?\n\nNames.\n\n## What is TCP?\n\nA transport.\n"
            .into(),
    );
    assert_eq!(notes.title.as_deref(), Some("Networking cards"));
    assert_eq!(notes.cards.len(), 2);
    assert!(
        notes
            .skipped
            .iter()
            .any(|skip| skip.first_line <= 3 && skip.last_line >= 3),
        "{:?}",
        notes.skipped
    );
    // A rule under a heading, followed by text, is no front matter.
    let notes = read_text("# Notes\n---\n\n## What is DNS?\n\nNames.\n".into());
    assert_eq!(notes.title.as_deref(), Some("Notes"));
    assert_eq!(notes.cards.len(), 1);
}

/// A `**Difficulty**: Intermediate` line under each question is a tag,
/// not a second question nor part of the answer; level headings are
/// sections; an answer that is only a link is a placeholder.
#[test]
fn metadata_lines_levels_and_link_placeholders() {
    let notes = read_text(
        "# Java\n\n## 🟢 Beginner Level\n\n### Q1: What is the JVM?\n**Difficulty**: Beginner\n\nIt runs bytecode.\n\n\
         ## 🟡 Intermediate Level\n\n### Q2: What is a classloader?\n**Difficulty**: Intermediate\n\nIt loads classes.\n\n\
         ### Q3: What is the JIT?\n\nSee 👉 [Answer](https://example.com/jit)\n"
            .into(),
    );
    let cards: Vec<(&str, &str, Vec<String>)> = notes
        .cards
        .iter()
        .map(|c| (c.question.as_str(), c.answer.as_str(), c.tags.clone()))
        .collect();
    assert_eq!(
        cards,
        [
            (
                "What is the JVM?",
                "It runs bytecode.",
                vec![
                    "beginner-level".to_owned(),
                    "difficulty-beginner".to_owned()
                ]
            ),
            (
                "What is a classloader?",
                "It loads classes.",
                vec![
                    "intermediate-level".to_owned(),
                    "difficulty-intermediate".to_owned()
                ]
            ),
        ]
    );
    assert!(
        notes
            .skipped
            .iter()
            .any(|skip| skip.reason == SkipReason::Unanswered && skip.first_line == 17)
    );
}

/// Plain-text exercises: `Question:` / `Hints:` / `Solution:` blocks
/// between separator lines, with code as the solution. The code stays
/// code (indentation and `#` lines intact), the `Question N` labels are
/// reported, and nothing runs on into the next exercise.
#[test]
fn labelled_plain_text_exercises() {
    let text = "Python exercises\n\n#------------#\nQuestion 1\nLevel 1\n\nQuestion:\nWrite a factorial.\n\n\
                Hints:\nUse recursion.\n\nSolution:\n# -*- coding: utf-8 -*-\ndef fact(x):\n    if x == 0:\n        return 1\n    return x * fact(x - 1)\n#------------#\n\n\
                #------------#\nQuestion 2\nLevel 1\n\nQuestion:\nPrint a dict of squares.\n\nSolution:\nd = dict()\nprint(d)\n#------------#\n";
    let notes = read_text(text.into());
    assert!(!notes.markdown);
    assert_eq!(notes.title.as_deref(), Some("Python exercises"));
    let cards = card_pairs(&notes);
    assert_eq!(
        cards,
        [
            (
                "Write a factorial.\n\nHints:\\\nUse recursion.",
                "```\n# -*- coding: utf-8 -*-\ndef fact(x):\n    if x == 0:\n        return 1\n    return x * fact(x - 1)\n```"
            ),
            ("Print a dict of squares.", "```\nd = dict()\nprint(d)\n```"),
        ]
    );
    assert!(
        notes
            .skipped
            .iter()
            .all(|skip| skip.reason == SkipReason::Label)
    );
}

/// `Q:`/`A:` lines in a file without headings, whose text is written
/// in markdown (code spans): read as markdown, not escaped.
#[test]
fn markdown_in_labelled_lines_stays_markdown() {
    expect(
        "Python notes\n\nQ: What does `yield` do?\nA: It makes a generator.\n\nQ: How do you reverse a string?\nA: Use `s[::-1]`.\n",
        &[
            ("What does `yield` do?", "It makes a generator."),
            ("How do you reverse a string?", "Use `s[::-1]`."),
        ],
    );
}

/// Answers do not run on over the next question's form: a numbered
/// heading without a space, a bold `**Q11- …**` question.
#[test]
fn answers_end_at_the_next_question() {
    expect(
        "# Net\n\n#### 6. What is UDP?\n\nDatagrams.\n\n#### 7.TCP and SSL handshake?\n\nSYN, then TLS.\n\n#### 8. What is QUIC?\n\nUDP streams.\n",
        &[
            ("What is UDP?", "Datagrams."),
            ("TCP and SSL handshake?", "SYN, then TLS."),
            ("What is QUIC?", "UDP streams."),
        ],
    );
    expect(
        "# SQL\n\n**Q10- What is a view?**\n\nA stored query.\n\n**Q11- What is an index?**\n\nA lookup structure.\n",
        &[
            ("What is a view?", "A stored query."),
            ("What is an index?", "A lookup structure."),
        ],
    );
}

/// Whole documents the detector once missed: questions written as
/// HTML paragraphs over `**Ans**:-` answers, and Chinese topic headings
/// numbered in sequence, without a question mark, over explanations.
#[test]
fn html_questions_and_numbered_topics() {
    expect(
        "# Java\n\n<p>1. What is the JVM?</p>\n\n**Ans**:- It runs bytecode.\n\n<p>2. What is the JIT?</p>\n\n**Ans**:- It compiles hot code.\n",
        &[
            ("What is the JVM?", "It runs bytecode."),
            ("What is the JIT?", "It compiles hot code."),
        ],
    );
    expect(
        "# Python 面试题\n\n## 1 Python的函数参数传递\n\n对象引用传递。\n\n## 2 Python中的元类\n\n创建类的类。\n",
        &[
            ("Python的函数参数传递", "对象引用传递。"),
            ("Python中的元类", "创建类的类。"),
        ],
    );
}

/// A multiple-choice question: the options go on the front, the ticked
/// one and the explanation on the back.
#[test]
fn multiple_choice_questions() {
    expect(
        "# JS\n\n### What does `typeof null` return?\n\n- [ ] `\"null\"`\n- [x] `\"object\"`\n\nA historic bug.\n\n\
         ### Which are falsy?\n\n- [x] `0`\n- [ ] `[]`\n- [x] `\"\"`\n",
        &[
            (
                "What does `typeof null` return?\n\n- `\"null\"`\n- `\"object\"`",
                "`\"object\"`\n\nA historic bug.",
            ),
            (
                "Which are falsy?\n\n- `0`\n- `[]`\n- `\"\"`",
                "- `0`\n- `\"\"`",
            ),
        ],
    );
}

/// A definition list: each term is a question, its definition the
/// answer.
#[test]
fn definition_lists() {
    expect(
        "# Terms\n\nIdempotence\n: The same result however often it is applied.\n\nBackpressure\n: Slowing producers to the pace of consumers.\n",
        &[
            (
                "Idempotence",
                "The same result however often it is applied.",
            ),
            (
                "Backpressure",
                "Slowing producers to the pace of consumers.",
            ),
        ],
    );
}

/// A question followed only by prompts has no answer; prompts at the end
/// of an answer are reported, not appended to it.
#[test]
fn follow_up_prompts_are_not_answers() {
    let notes = read_text(
        "# SQL\n\n### What is SQL?\n\n* Explain the difference between DDL and DML.\n* Describe a join.\n\n\
         ### What is a key?\n\nA unique column.\n\n* Explain a foreign key.\n* What is a composite key?\n\n\
         ### What is an index?\n\nA lookup structure. Ask yourself:\n\n* What does it cost?\n"
            .into(),
    );
    let cards = card_pairs(&notes);
    assert_eq!(
        cards,
        [
            ("What is a key?", "A unique column."),
            (
                "What is an index?",
                "A lookup structure. Ask yourself:\n\n* What does it cost?"
            ),
        ]
    );
    let unanswered: Vec<(usize, usize)> = notes
        .skipped
        .iter()
        .filter(|skip| skip.reason == SkipReason::Unanswered)
        .map(|skip| (skip.first_line, skip.last_line))
        .collect();
    assert_eq!(unanswered, [(3, 6), (12, 13)]);
}

/// Inputs the `import` fuzz target once failed on
/// (`tests/fixtures/fuzz/import/`), put through the target's checks:
/// every card has a question and an answer, and the deck an import
/// writes from them loads back unchanged.
#[test]
fn fuzz_regressions() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fuzz/import");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {dir}");
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let name = file.display();
        // Read in each format `--format` names too, as the target does.
        for format in [Format::Org, Format::AsciiDoc, Format::Rst] {
            let reading = Reading {
                format: Some(format),
                ..Reading::default()
            };
            for card in read_notes_with(&bytes, &reading).map_or(Vec::new(), |notes| notes.cards) {
                assert!(
                    !card.question.trim().is_empty(),
                    "{name} as {format}: {card:?}"
                );
            }
        }
        let Ok(notes) = read_notes(&bytes) else {
            continue;
        };
        for card in &notes.cards {
            assert!(!card.question.trim().is_empty(), "{name}: {card:?}");
            assert!(
                crate::import::unusable(&card.question, &card.answer).is_none(),
                "{name}: {card:?}"
            );
        }
        let deck = merge(
            &crate::decks::deck::Deck::default(),
            "fuzz",
            "fuzz.md",
            notes.title.clone(),
            notes.cards.clone(),
            false,
        )
        .deck;
        let yaml = deck.to_yaml();
        let again = crate::decks::deck::Deck::parse(&yaml, std::path::Path::new("fuzz.yaml"))
            .unwrap_or_else(|err| panic!("{name}: {err:#}"));
        assert_eq!(again, deck, "{name}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = read_notes(&bytes);
    }

    /// Markdown-ish documents built from the pieces notes are made of:
    /// no panic, and no word of the input goes missing (each is in a
    /// card, the title, a tag, or a skipped line).
    #[test]
    fn markdownish_text_never_panics_or_loses_words(
        pieces in proptest::collection::vec(
            prop_oneof![
                Just("# Title\n"), Just("## 1. What is X?\n"), Just("### Why?\n"),
                Just("Ans: because\n"), Just("Answer:\n"), Just("- Q1) Item?\n"),
                Just("  - A: nested\n"), Just("**Bold question?**\n"), Just("plain words here\n"),
                Just("<details><summary>Q?</summary>\n"), Just("</details>\n"),
                Just("```\ncode\n```\n"), Just("| Question | Answer |\n|---|---|\n| a? | b |\n"),
                Just("\n"), Just("---\n"), Just("1) Numbered\n"), Just("    indented code\n"),
                Just("> quote?\n"), Just("[link](#anchor)\n"), Just("Title Line\n"),
            ],
            0..40,
        )
    ) {
        let text: String = pieces.concat();
        let notes = read_text(text.clone());
        for card in &notes.cards {
            prop_assert!(!card.question.trim().is_empty());
            prop_assert!(!card.answer.trim().is_empty());
        }
        let lines: Vec<&str> = text.lines().collect();
        let mut kept = String::new();
        kept.push_str(notes.title.as_deref().unwrap_or(""));
        for card in &notes.cards {
            kept.push(' ');
            kept.push_str(&card.question);
            kept.push(' ');
            kept.push_str(&card.answer);
            for tag in &card.tags {
                kept.push(' ');
                kept.push_str(&tag.replace('-', " "));
            }
        }
        for skip in &notes.skipped {
            for line in &lines[skip.first_line - 1..skip.last_line.min(lines.len())] {
                kept.push(' ');
                kept.push_str(line);
            }
        }
        let markers = ["ans", "answer", "a", "q1", "q", "summary", "details", "anchor", "link", "1", "title", "x"];
        let lost: Vec<String> = text
            .split(|ch: char| !ch.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(str::to_lowercase)
            .filter(|word| !markers.contains(&word.as_str()))
            .filter(|word| !kept.to_lowercase().contains(word.as_str()))
            .collect();
        prop_assert!(lost.is_empty(), "lost {:?} from {:?}", lost, text);
        let _ = words(&text);
    }
}

/// Cloze markers in notes make cloze cards; one left open would make a
/// deck that does not load, so its card is skipped with that reason.
#[test]
fn cloze_questions_are_kept_and_broken_ones_skipped() {
    let notes = read_text(
        "# Geo\n\n## {{c1::Paris}} is the capital of which country?\n\nFrance.\n\n\
         ## What does {{c1:: start in Anki?\n\nA cloze.\n"
            .into(),
    );
    let questions: Vec<&str> = notes.cards.iter().map(|c| c.question.as_str()).collect();
    assert_eq!(
        questions,
        ["{{c1::Paris}} is the capital of which country?"]
    );
    let skipped: Vec<(SkipReason, &str)> = notes
        .skipped
        .iter()
        .filter(|skip| skip.reason == SkipReason::MalformedCloze)
        .map(|skip| (skip.reason, skip.excerpt.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [(
            SkipReason::MalformedCloze,
            "What does {{c1:: start in Anki?"
        )]
    );
}

/// A bold question that leads its paragraph, the answer run on after it;
/// a bold `Note:` in an answer is no question, and a question with only a
/// note to self under it is no card.
#[test]
fn bold_question_leading_its_answer() {
    expect(
        "# K8s\n\n**What is a pod?** The smallest unit.\nIt shares a network.\n\n\
         **Note:** pods are rarely made by hand.\n\n\
         **What is a Service?** A stable address.\n\n\
         **What are taints?** TODO — write this up.\n",
        &[
            (
                "What is a pod?",
                "The smallest unit.\nIt shares a network.\n\n**Note:** pods are rarely made by hand.",
            ),
            ("What is a Service?", "A stable address."),
        ],
    );
}

/// Cards written one per block between `---` rules: the first line of each
/// block is the front, whether or not it asks (`TCP vs UDP`).
#[test]
fn cards_between_rules() {
    expect(
        "# Net\n\nOne card per block.\n\n---\n\nWhat is ARP?\n\nIt maps IP to MAC.\n\n---\n\n\
         TCP vs UDP\n\nReliable stream against datagrams.\n\n---\n\nExplain NAT.\n\n\
         It rewrites addresses.\n\n---\n\nThat's all, good luck!\n",
        &[
            ("What is ARP?", "It maps IP to MAC."),
            ("TCP vs UDP", "Reliable stream against datagrams."),
            ("Explain NAT.", "It rewrites addresses."),
        ],
    );
}

/// A heading as high as a question's heading is never inside its answer,
/// whatever its numbering (`### 7)` after `### 6.`).
#[test]
fn headings_numbered_another_way_are_still_questions() {
    expect(
        "# JS\n\n### 1. What is hoisting?\n\nDeclarations move up.\n\n\
         ### 2. What is a closure?\n\nA function with its scope.\n\n\
         ### 3) What are Promises?\n\nFuture values.\n\n### 4. What is `this`?\n\nThe receiver.\n",
        &[
            ("What is hoisting?", "Declarations move up."),
            ("What is a closure?", "A function with its scope."),
            ("What are Promises?", "Future values."),
            ("What is `this`?", "The receiver."),
        ],
    );
}

/// Blockquoted questions take their `>` along; a rule after the last
/// answer ends it, so the further reading is no part of it.
#[test]
fn blockquoted_questions_and_a_rule_after_the_last_answer() {
    expect(
        "# Design\n\n> What is sharding?\n\nSplitting data across databases.\n\n\
         > What is CAP?\n\nConsistency, availability, partitions.\n\n---\n\n\
         **Further reading**\n\n- [Primer](https://example.com)\n",
        &[
            ("What is sharding?", "Splitting data across databases."),
            ("What is CAP?", "Consistency, availability, partitions."),
        ],
    );
}

/// `❓` and `💡` mark questions and answers as `Q:` and `A:` do; a 🧠
/// decorating the title marks no card of another tool.
#[test]
fn emoji_markers() {
    expect(
        "# 🧠 Data structures\n\nLegend: ❓ question · 💡 answer\n\n---\n\n\
         ❓ What is a heap?\n💡 A tree with the smallest on top.\n⚠️ Not sorted.\n\n\
         ❓ Stack vs queue\n💡 LIFO against FIFO.\n\n❓ What is a trie?\n💡\n",
        &[
            (
                "What is a heap?",
                "A tree with the smallest on top.\\\n⚠️ Not sorted.",
            ),
            ("Stack vs queue", "LIFO against FIFO."),
        ],
    );
}

/// Exercises open with their verb (`Show`, `Reverse`, `Find`) as prompts do.
#[test]
fn exercise_prompts_in_a_numbered_list() {
    expect(
        "# Git\n\n1. **What is the index?**\n\n   The staging area.\n\n\
         2. **Show a graph of all branches.**\n\n   ```bash\n   git log --graph --all\n   ```\n\n\
         3. **What is a hook?**\n\n   A script git runs.\n",
        &[
            ("What is the index?", "The staging area."),
            (
                "Show a graph of all branches.",
                "```bash\ngit log --graph --all\n```",
            ),
            ("What is a hook?", "A script git runs."),
        ],
    );
}

/// Obsidian callouts: `[!question]` asks, `[!answer]` answers, `[!note]`
/// is a note whatever its title says.
#[test]
fn obsidian_callouts() {
    expect(
        "# Docker\n\n> [!question] What is an image?\n> A read-only template.\n\n\
         > [!note] Why so many notes?\n> A reminder to self.\n\n\
         > [!question]- What does `docker run` do?\n\n> [!answer]\n> Creates and starts a container.\n",
        &[
            (
                "What is an image?",
                "A read-only template.\n\n[!note] Why so many notes?\nA reminder to self.",
            ),
            (
                "What does `docker run` do?",
                "Creates and starts a container.",
            ),
        ],
    );
}

/// Questions in italics, across lines too; an italic note is none.
#[test]
fn italic_questions() {
    expect(
        "# Go\n\n*What is a goroutine?*\n\nA lightweight thread.\n\n\
         *What happens when you send on a closed channel,\nor receive from one?*\n\n\
         Sending panics; receiving gives the zero value.\n\n\
         _Explain the scheduler._\n\nG, M and P.\n",
        &[
            ("What is a goroutine?", "A lightweight thread."),
            (
                "What happens when you send on a closed channel, or receive from one?",
                "Sending panics; receiving gives the zero value.",
            ),
            ("Explain the scheduler.", "G, M and P."),
        ],
    );
}

/// Transcripts, French labels with a space before the colon, glossary
/// tables, one-line `question? — answer` bullets under a section heading.
#[test]
fn transcripts_french_labels_glossaries_and_one_line_answers() {
    expect(
        "# Mock\n\n**Interviewer:** What does `volatile` guarantee?\n\n**Me:** Visibility.\n\n\
         **Interviewer:** Great, let's move on.\n\n**Interviewer:** What is a record?\n\n\
         **Me:** A data carrier class.\n",
        &[
            ("What does `volatile` guarantee?", "Visibility."),
            ("What is a record?", "A data carrier class."),
        ],
    );
    expect(
        "# PG\n\n**Question :** Qu'est-ce que le WAL ?\n**Réponse :** Le journal.\n\n\
         Question\u{a0}: Qu'est-ce que le MVCC ?\nRéponse\u{a0}: Des versions de lignes.\n",
        &[
            ("Qu'est-ce que le WAL ?", "Le journal."),
            ("Qu'est-ce que le MVCC ?", "Des versions de lignes."),
        ],
    );
    expect(
        "# OS\n\n| Term | Meaning |\n|---|---|\n| inode | File metadata |\n| TLB | A page cache |\n",
        &[("inode", "File metadata"), ("TLB", "A page cache")],
    );
    expect(
        "# TF\n\n## What is state?\n\nThe mapping to real resources.\n\n\
         ## What is a module?\n\nA folder of configuration.\n\n## Quick ones\n\n\
         - Default state file name? — `terraform.tfstate`\n- Exit code with changes?: 2\n\n\
         ## Links\n\n- terraform.io\n",
        &[
            ("What is state?", "The mapping to real resources."),
            ("What is a module?", "A folder of configuration."),
            ("Default state file name?", "`terraform.tfstate`"),
            ("Exit code with changes?", "2"),
        ],
    );
}

/// A bold term with its colon leading a list item describes, it does not
/// ask: `**Write Examples:** For each concept, write a query`.
#[test]
fn bold_terms_with_a_colon_are_not_prompts() {
    expect(
        "# SQL\n\n**Q:** What is a JOIN?\n**A:** Rows combined.\n\n**Q:** What is NULL?\n**A:** No value.\n\n\
         ### Study tips\n1. **Explain Out Loud:** Don't just read it\n2. **Write Examples:** For each concept\n",
        &[
            ("What is a JOIN?", "Rows combined."),
            (
                "What is NULL?",
                "No value.\n\n### Study tips\n1. **Explain Out Loud:** Don't just read it\n2. **Write Examples:** For each concept",
            ),
        ],
    );
}

/// A bold question or prompt after a heading question's answer has begun
/// is a question of its own; one opening the answer is its sub-heading.
#[test]
fn bold_questions_after_a_headings_answer() {
    expect(
        "# TF\n\n## What is state?\n\nThe mapping to real resources.\n\n\
         **How do you import a resource?**\n`terraform import` or an import block.\n\n\
         ## What is drift?\n\nChanges made outside Terraform.\n\n\
         **How do you detect drift?**\nA nightly plan catches it.\n",
        &[
            ("What is state?", "The mapping to real resources."),
            (
                "How do you import a resource?",
                "`terraform import` or an import block.",
            ),
            ("What is drift?", "Changes made outside Terraform."),
            ("How do you detect drift?", "A nightly plan catches it."),
        ],
    );
    // opening the answer, it is the answer's own sub-heading
    expect(
        "# TF\n\n## What is state?\n\n**Why does it matter?**\nIt maps config to resources.\n\n\
         ## What is drift?\n\n**How is it found?**\nA plan shows it.\n",
        &[
            (
                "What is state?",
                "**Why does it matter?**\nIt maps config to resources.",
            ),
            ("What is drift?", "**How is it found?**\nA plan shows it."),
        ],
    );
}

/// A `---` banner over the first questions is layout, not front matter:
/// read as metadata it hid every question under it.
#[test]
fn a_banner_between_rules_is_no_front_matter() {
    let notes = read_text(
        "---\nBeginner Level\n---\nWhat is a pod?\n\nAnswer: The smallest unit Kubernetes runs.\n\n\
         ---\nWhat is a node?\n---\n\nA machine that runs pods.\n\n\
         ---\nWhat is a service?\n---\n\nA stable address for a set of pods.\n"
            .into(),
    );
    let questions: Vec<&str> = notes.cards.iter().map(|c| c.question.as_str()).collect();
    assert_eq!(
        questions,
        ["What is a pod?", "What is a node?", "What is a service?"]
    );
    // a mapping at the top still is
    let notes = read_text("---\ntitle: Pods\n---\n\n## What is a pod?\n\nA unit.\n".into());
    assert_eq!(notes.title.as_deref(), Some("Pods"));
}

/// An unanswered question never takes the next question, the next item of
/// its list or the next number as its answer.
#[test]
fn an_unanswered_question_takes_no_other_question() {
    // the heading's only "answer" is another question
    expect(
        "## What is a pod?\n\nThe smallest unit.\n\n## What is a node?\n\nWhat is a kubelet?\n\n\
         ## What is a service?\n\nA stable address.\n",
        &[
            ("What is a pod?", "The smallest unit."),
            ("What is a service?", "A stable address."),
        ],
    );
    // a list of prompts, no answers: no card
    let notes = read_text(
        "1. What is SQL?\n   * Can you define it?\n2. Explain joins.\n   * How do they differ?\n\
         3. What is an index?\n4. Give an example of a view.\n"
            .into(),
    );
    assert!(notes.cards.is_empty(), "{:?}", card_pairs(&notes));
    // nor a follow-up prompt over two lines, the next numbered item, or
    // what follows the list under the next heading
    let notes = read_text(
        "### Basics\n1. What is a Foreign Key?\n   * How does it keep rows\n     consistent?\n\
         2. Explain sharding.\n\n### More\n1. What is a view?\n   * Give an example.\n"
            .into(),
    );
    assert!(notes.cards.is_empty(), "{:?}", card_pairs(&notes));
    // while an item labelled as the answer is the answer
    expect(
        "- Q1) What is docker used for?\n- A: Running containers.\n\n\
         - Q2) How to list containers?\n  - A: `docker ps -a`\n",
        &[
            ("What is docker used for?", "Running containers."),
            ("How to list containers?", "`docker ps -a`"),
        ],
    );
}

/// `Question:` alone on its line labels the paragraph under it, past blank
/// lines; the card's line is the question's.
#[test]
fn a_question_label_alone_labels_the_next_paragraph() {
    let text = "# Exercises\n\nQuestion:\n\nWrite a program that prints the squares of 1 to 10.\n\n\
                Solution:\n\n```python\nprint([i * i for i in range(1, 11)])\n```\n\n\
                Question:\n\nDefine a function that adds two numbers.\n\nSolution:\n\n\
                ```python\ndef add(a, b):\n    return a + b\n```\n";
    let notes = read_text(text.into());
    let found: Vec<(&str, usize)> = notes
        .cards
        .iter()
        .map(|card| (card.question.as_str(), card.line))
        .collect();
    assert_eq!(
        found,
        [
            ("Write a program that prints the squares of 1 to 10.", 5),
            ("Define a function that adds two numbers.", 15),
        ]
    );
}

/// Plain text: blocks between separator lines, each opening with its
/// question, with or without a label.
#[test]
fn plain_text_blocks_between_separators() {
    let text = "Python exercises\n\n#----------------------------------------#\n\
                Write a program which prints hello.\n\nHints:\nUse print.\n\nSolution:\nprint('hello')\n\
                #----------------------------------------#\n\
                Question:\n\nDefine a class with a method area.\n\nSolution:\nclass Shape:\n    pass\n\
                #----------------------------------------#\n\
                Write a function that raises a RuntimeError.\n\nSolution:\nraise RuntimeError('x')\n\
                #----------------------------------------#\n";
    let notes = read_text(text.into());
    assert!(!notes.markdown);
    let questions: Vec<&str> = notes.cards.iter().map(|c| c.question.as_str()).collect();
    assert_eq!(
        questions,
        [
            "Write a program which prints hello.",
            "Define a class with a method area.",
            "Write a function that raises a RuntimeError."
        ]
    );
}

/// Org notes go through the markdown conventions: numbered headings under a
/// topic, and a FAQ of bold `*Q1. …*` lines.
#[test]
fn org_numbered_headings_and_bold_lines_are_questions() {
    let org = Reading {
        format: Some(Format::Org),
        ..Reading::default()
    };
    let questions = |text: &str| -> Vec<String> {
        read_text_with(text.to_owned(), &org)
            .cards
            .into_iter()
            .map(|card| card.question)
            .collect()
    };
    assert_eq!(
        questions("* 基础\n** 1. 什么是装饰器？\n一个函数。\n** 2. 什么是生成器？\n使用 yield。\n"),
        ["什么是装饰器？", "什么是生成器？"]
    );
    assert_eq!(
        questions(
            "#+TITLE: FAQ\n\n*Q1. What are goroutines?*\n\nLight threads.\n\n*Q2. What is a channel?*\n\nA typed pipe.\n"
        ),
        ["What are goroutines?", "What is a channel?"]
    );
}

/// Plain text: a title underlined by a line of marks stands alone as a title
/// between blank lines does, and a title drawn into a separator line
/// (`#------Topic`) opens a section whose first paragraph may ask.
#[test]
fn plain_text_titles_underlined_or_drawn_into_separators() {
    let underlined = "Linux notes\n~~~~~~~~~~~\n\nWhat is a process?\n------------------\nA running program.\n\n\
                      What is a thread?\n-----------------\nA path of execution in a process.\n";
    let notes = read_text(underlined.into());
    assert!(!notes.markdown);
    let cards: Vec<(&str, &str)> = notes
        .cards
        .iter()
        .map(|c| (c.question.as_str(), c.answer.as_str()))
        .collect();
    assert_eq!(
        cards,
        [
            ("What is a process?", "A running program."),
            ("What is a thread?", "A path of execution in a process."),
        ]
    );
    let topics = "#------Networking\nWhat does DNS do?\n\nIt turns names into addresses.\n\n\
                  #------Storage\nWhat is RAID 1?\n\nTwo mirrored disks.\n";
    let notes = read_text(topics.into());
    let cards: Vec<(&str, &str)> = notes
        .cards
        .iter()
        .map(|c| (c.question.as_str(), c.answer.as_str()))
        .collect();
    assert_eq!(
        cards,
        [
            ("What does DNS do?", "It turns names into addresses."),
            ("What is RAID 1?", "Two mirrored disks."),
        ]
    );
}

/// A bold `Key: value` line describes a card; topics numbered in sequence
/// are the document's questions when they outnumber the others; tab
/// numbering is numbering.
#[test]
fn metadata_lines_numbered_topics_and_tab_numbers() {
    expect(
        "### Q1: What is a signal?\n\n**Difficulty: Easy**\n\n**Answer:** A notification.\n\n\
         ### Q2: What is a zone?\n\n**Difficulty: Hard**\n\n**Answer:** A context.\n",
        &[
            ("What is a signal?", "A notification."),
            ("What is a zone?", "A context."),
        ],
    );
    let topics = "# Python\n\n## 1 函数参数传递\n\n传递的是对象的引用。\n\n## 2 元类\n\n类的类。\n\n\
                  ## 3 鸭子类型\n\n看行为，不看类型。这样写对吗？\n\n对。\n";
    let questions: Vec<String> = pairs(topics).into_iter().map(|(q, _)| q).collect();
    assert_eq!(questions, ["函数参数传递", "元类", "鸭子类型"]);
    assert_eq!(
        super::markers::split_numbering("12\tWhat is an inode?"),
        (
            super::markers::Numbering::Bare,
            Some(12),
            "What is an inode?"
        )
    );
    assert_eq!(
        super::markers::split_numbering("3 ways to scale").0,
        super::markers::Numbering::None
    );
}

/// A question that stands at the level of the questions after an answer
/// is a question of its own: a bold question after a numbered list's last
/// answer, a prompt opening as the heading prompt above it does.
#[test]
fn questions_after_an_answer_are_their_own() {
    let notes = read_text(
        "## Screen\n\n1. What is a zombie process?\n   A child whose parent has not waited.\n\
         2. What does SIGTERM do?\n   Asks the process to end.\n\n\
         **What status code for rate limiting?** 429, with Retry-After.\n\n\
         ## Stories\n\n### Tell me about a time you led.\n\n**Situation:** An outage.\n\n\
         **Result:** Back in an hour.\n\n### Tell me about a time you disagreed.\n\n\
         **Situation:** A rewrite.\n\n\
         **Result:** We tried it on one report.\n\nTell me about a time you failed.\n\n\
         **Situation:** Logging went off.\n\n**Result:** A CI check.\n"
            .into(),
    );
    let questions: Vec<&str> = notes.cards.iter().map(|c| c.question.as_str()).collect();
    assert_eq!(
        questions,
        [
            "What is a zombie process?",
            "What does SIGTERM do?",
            "What status code for rate limiting?",
            "Tell me about a time you led.",
            "Tell me about a time you disagreed.",
            "Tell me about a time you failed."
        ]
    );
}

/// Cards each complete in one paragraph are siblings: after a bold
/// question with its answer run on, a `TCP vs UDP — …` paragraph is the
/// next card. Under a heading question the same line is part of its answer.
#[test]
fn paragraph_cards_follow_each_other() {
    let notes = read_text(
        "## Screen\n\n1. What is a zombie process?\n   A child whose parent has not waited.\n\
         2. What does SIGTERM do?\n   Asks the process to end.\n\n\
         **What status code for rate limiting?** 429, with Retry-After.\n\n\
         TCP vs UDP — TCP is an ordered stream; UDP sends datagrams.\n"
            .into(),
    );
    let questions: Vec<&str> = notes.cards.iter().map(|c| c.question.as_str()).collect();
    assert_eq!(
        questions,
        [
            "What is a zombie process?",
            "What does SIGTERM do?",
            "What status code for rate limiting?",
            "TCP vs UDP"
        ]
    );
    let notes = read_text(
        "## What is a transport protocol?\n\nIt moves bytes between hosts.\n\n\
         TCP vs UDP — TCP is an ordered stream; UDP sends datagrams.\n\n\
         ## What is DNS?\n\nNames to addresses.\n"
            .into(),
    );
    let questions: Vec<&str> = notes.cards.iter().map(|c| c.question.as_str()).collect();
    assert_eq!(questions, ["What is a transport protocol?", "What is DNS?"]);
    assert!(notes.cards[0].answer.contains("TCP vs UDP"));
}

/// In plain text, the line an answer label announces is the answer,
/// whatever it looks like: `# -*- coding: utf-8 -*-` under `Solution:` is
/// no title over the next exercise.
#[test]
fn a_line_after_an_answer_label_is_the_answer() {
    let notes = read_text(
        "#------#\nQuestion:\n\nWrite a program that prints hello.\n\nSolution:\n\nprint(\"hello\")\n\n\
         #------#\nQuestion:\n\nWrite a special comment for a unicode source file.\n\nSolution:\n\n\
         # -*- coding: utf-8 -*-\n\n\
         #------#\nQuestion:\n\nWrite a program that sums two numbers.\n\nSolution:\n\nprint(1 + 2)\n"
            .into(),
    );
    let cards: Vec<(&str, &str)> = notes
        .cards
        .iter()
        .map(|c| (c.question.as_str(), c.answer.as_str()))
        .collect();
    assert_eq!(cards.len(), 3, "{cards:?}");
    assert_eq!(
        cards[1].0,
        "Write a special comment for a unicode source file."
    );
    assert!(cards[1].1.contains("coding: utf-8"), "{cards:?}");
}

/// A question written as an HTML element over a few lines, its answer
/// running on after the closing tag in the same HTML block.
#[test]
fn html_element_questions_over_lines() {
    expect(
        "<p class=\"message\">\n  <font>Question 1</font> – What is CSRF ?\n</p>\n\
         <br>**Ans**:- A forged request riding on the victim's session.\n\n\
         <p class=\"message\">\n  <font>Question 2</font> – What is XXE ?\n</p>\n\
         <br>**Ans**:- An XML parser made to read external entities.\n",
        &[
            (
                "What is CSRF ?",
                "A forged request riding on the victim's session.",
            ),
            (
                "What is XXE ?",
                "An XML parser made to read external entities.",
            ),
        ],
    );
}

/// Bold list items are siblings whatever their ending (`Fale sobre você.`
/// among bold questions), a bold question over its answer's first line is
/// a bold line as one alone is, and `Q2 How…` is numbered.
#[test]
fn bold_siblings_and_spaced_q_numbers() {
    let questions: Vec<String> = pairs(
        "1. **Fale sobre você.**\n   - Resuma sua trajetória.\n\
         2. **Por que esta vaga?**\n   - Ligue a vaga aos seus objetivos.\n\
         3. **Qual foi seu maior desafio?**\n   - Use o método STAR.\n",
    )
    .into_iter()
    .map(|(q, _)| q)
    .collect();
    assert_eq!(
        questions,
        [
            "Fale sobre você.",
            "Por que esta vaga?",
            "Qual foi seu maior desafio?"
        ]
    );
    assert_eq!(
        super::markers::split_numbering("Q2 How is KNN different?"),
        (
            super::markers::Numbering::QNumber,
            Some(2),
            "How is KNN different?"
        )
    );
}

/// An answer that is only a web address, perhaps after a short label, is a
/// pointer to an answer kept elsewhere: the question is reported.
#[test]
fn an_address_alone_is_no_answer() {
    let notes = read_text(
        "## 1 Python的List\n\n推荐: http://www.example.com/p/list\n\n\
         ## 2 Python的Dict\n\n字典是哈希表。\n\n## 3 Python的Set\n\n集合也是哈希表。\n\n\
         ## 4 DNS\n\nSee https://example.com/dns\n\n## 5 GIL\n\n> 可参考：[GIL详解](https://example.com/gil)\n\n\
         ## 6 GET和POST\n\n[GET和POST有什么区别](https://example.com/a)\n[知乎回答](https://example.com/b)\n"
            .into(),
    );
    let questions: Vec<&str> = notes.cards.iter().map(|c| c.question.as_str()).collect();
    assert_eq!(questions, ["Python的Dict", "Python的Set"]);
    assert!(
        notes
            .skipped
            .iter()
            .filter(|skip| skip.reason == SkipReason::Unanswered)
            .count()
            >= 4
    );
}

/// A `::` in unfenced code (`cout << ::my_var;`) is C++'s scope, not an
/// Obsidian card's separator.
#[test]
fn scope_operators_in_plain_code_are_no_cards() {
    let notes = read_text(
        "1. What does the scope operator do in C++?\nIt names the global scope:\n\
         cout << ::my_var << \", \" << my_var;\n\n2. What is a token?\nA name.\n"
            .into(),
    );
    let questions: Vec<&str> = notes.cards.iter().map(|c| c.question.as_str()).collect();
    assert_eq!(
        questions,
        [
            "What does the scope operator do in C++?",
            "What is a token?"
        ]
    );
    assert!(notes.syntaxes.is_empty(), "{}", notes.syntaxes);
}

/// A term in bold inside a bold question keeps it one bold line; a bold
/// line labelled `Question 3:` after heading questions is a question of its
/// own whatever it ends with.
#[test]
fn nested_bold_and_labelled_bold_after_headings() {
    assert_eq!(
        super::markers::strip_bold("**What does an **&** after a command do?**"),
        Some("What does an **&** after a command do?")
    );
    assert_eq!(super::markers::strip_bold("**a** and **b**"), None);
    let questions: Vec<String> = pairs(
        "### Question 1 How do you resolve a merge conflict?\n\nEdit, add, commit.\n\n\
         ### Question 2 How do you revert a pushed commit?\n\n`git revert`.\n\n\
         **Question 3: Your team uses Git Flow. Describe a feature branch's life.**\n\n\
         Branch from develop, merge back with --no-ff.\n",
    )
    .into_iter()
    .map(|(q, _)| q)
    .collect();
    assert_eq!(questions.len(), 3, "{questions:?}");
}

/// A polite request is a prompt (`Please write…`); `list[::-1]` is a
/// slice, not an Obsidian card; a section number between the separator
/// and the question (`7.2`) leaves the block's question its own, and the
/// separator ends the answer before it.
#[test]
fn polite_prompts_slices_and_numbered_blocks() {
    assert!(super::markers::opens_like_prompt(
        "Please write a program that sorts a list."
    ));
    assert!(!super::markers::opens_like_prompt("Please note the order."));
    let text = "Exercises\n\n#----------#\nQuestion:\nWrite a program that reverses a string.\n\n\
                Hints:\nUse list[::-1] to reverse it.\n\nSolution:\nprint(s[::-1])\n\
                #----------#\n7.2\n\nDefine a class named Circle with an area method.\n\n\
                Solution:\nclass Circle: pass\n#----------#\n7.3\n\n\
                Please write a program that prints a random number.\n\nSolution:\nprint(4)\n";
    let notes = read_text(text.into());
    assert!(notes.syntaxes.is_empty(), "{}", notes.syntaxes);
    // (a hint between the question and its solution goes with the question)
    let questions: Vec<&str> = notes
        .cards
        .iter()
        .map(|c| c.question.lines().next().unwrap_or(""))
        .collect();
    assert_eq!(
        questions,
        [
            "Write a program that reverses a string.",
            "Define a class named Circle with an area method.",
            "Please write a program that prints a random number."
        ]
    );
}

/// Bold questions under a bold question's answer stand as high as it; a
/// bold `Q19-` label over its answer's first line numbers the question
/// whatever it ends with.
#[test]
fn bold_questions_after_a_bold_answer() {
    let questions: Vec<String> = pairs(
        "**Q1 What is bagging?**\nTraining learners on resamples.\n\n\
         **How does the vote work?**\nEach learner votes.\n\n\
         **Q2 What is boosting?**\nLearners trained in sequence.\n\n\
         **Q3- What is a regression algorithm.**\nOne that models a continuous target.\n",
    )
    .into_iter()
    .map(|(q, _)| q)
    .collect();
    assert_eq!(
        questions,
        [
            "What is bagging?",
            "How does the vote work?",
            "What is boosting?",
            "What is a regression algorithm."
        ]
    );
}

/// An HTML line ending in a character of several bytes (`…ïry>`) is read
/// without cutting the character (found by the import fuzz target).
#[test]
fn html_lines_ending_in_any_character() {
    let notes = read_text("<p>\n  What is é?</summaïïïry>\n</p>\n\nAn accent.\n".into());
    assert!(notes.cards.len() <= 1);
    let notes = read_text(
        "# Web\n\n<h3>What is CSRF?</h3>\n\nA forged request.\n\n\
         <h3>What is XSS?</h3>\n\nInjected script.\n"
            .into(),
    );
    assert_eq!(notes.cards.len(), 2, "{:?}", card_pairs(&notes));
}

/// Plain text: a line that asks heading its paragraph, the answer written
/// on under it without a blank line, after a title or a separator that
/// draws a topic; a paragraph of questions one per line stays questions.
#[test]
fn plain_text_questions_with_the_answer_on_the_next_line() {
    let pairs = [
        ("What does DNS do?", "It turns names into addresses."),
        (
            "What is RAID 1?",
            "Two mirrored disks.\\\nReads can go to either.",
        ),
        ("Why use TLS?", "To encrypt traffic."),
    ];
    let body = "What does DNS do?\nIt turns names into addresses.\n\nWhat is RAID 1?\nTwo mirrored disks.\nReads can go to either.\n\nWhy use TLS?\nTo encrypt traffic.\n";
    for text in [
        format!("Networking\n\n{body}"),
        body.replace("What does DNS", "#------Networking\nWhat does DNS"),
    ] {
        assert!(!read_text(text.clone()).markdown);
        expect(&text, &pairs);
    }
    // Separators that draw topics, each question's answer on its next line.
    expect(
        "#------Networking\nWhat does DNS do?\nIt turns names into addresses.\n\n\
         #------Storage\nWhat is RAID 1?\nTwo mirrored disks.\n",
        &[
            ("What does DNS do?", "It turns names into addresses."),
            ("What is RAID 1?", "Two mirrored disks."),
        ],
    );
    // Questions one per line, then their answers: the first question does
    // not take the others as its answer.
    let listed = "Review questions\n\nWhat is DNS?\nWhat is TCP?\nWhat is UDP?\n";
    let notes = read_text(listed.into());
    assert!(
        notes.cards.iter().all(|c| !c.answer.contains("What is")),
        "{:?}",
        notes.cards
    );
}

/// Labels of flashcard tools and numbered pairs: `Front:`/`Back:` as Anki
/// names its fields, `Q1)` over `A1)`; and plain questions over answers
/// indented under them, with no blank line between the cards.
#[test]
fn front_back_labels_numbered_pairs_and_indented_answers() {
    let cards = [
        ("What is DNS?", "The name system."),
        ("What is TCP?", "A stream protocol."),
        ("What is UDP?", "A datagram protocol."),
    ];
    expect(
        "Front: What is DNS?\nBack: The name system.\n\nFront: What is TCP?\nBack: A stream protocol.\n\nFront: What is UDP?\nBack: A datagram protocol.\n",
        &cards,
    );
    expect(
        "Q1) What is DNS?\nA1) The name system.\n\nQ2) What is TCP?\nA2) A stream protocol.\n\nQ3) What is UDP?\nA3) A datagram protocol.\n",
        &cards,
    );
    expect(
        "What is DNS?\n  The name system.\nWhat is TCP?\n  A stream protocol.\nWhat is UDP?\n  A datagram protocol.\n",
        &cards,
    );
}

/// A numbered prompt with its answer run on in its item, and a table
/// that numbers its rows beside the question and answer columns.
#[test]
fn prompts_with_their_answer_in_the_item_and_numbered_tables() {
    expect(
        "Interview questions\n===================\n\n1. Explain DNS.\n   It names hosts.\n\n2. Describe TCP.\n   It streams bytes.\n\n3. Compare TCP and UDP:\n   One streams.\n",
        &[
            ("Explain DNS.", "It names hosts."),
            ("Describe TCP.", "It streams bytes."),
            ("Compare TCP and UDP:", "One streams."),
        ],
    );
    expect(
        "# Notes\n\n| # | Question | Answer |\n|---|---|---|\n| 1 | What is DNS? | The name system. |\n| 2 | What is TCP? | A stream protocol. |\n",
        &[
            ("What is DNS?", "The name system."),
            ("What is TCP?", "A stream protocol."),
        ],
    );
    // A column of text besides them would be lost from the cards: such a
    // table is not read as cards.
    let notes = read_text(
        "# Notes\n\n| Topic | Question | Answer |\n|---|---|---|\n| net | What is DNS? | The name system. |\n| net | What is TCP? | A stream protocol. |\n"
            .into(),
    );
    assert!(
        notes
            .cards
            .iter()
            .all(|card| !card.question.starts_with("What is DNS") || card.answer.contains("net")),
        "{:?}",
        notes.cards
    );
}

/// `**Question 1**` over the question and `**Answer**` over its answer:
/// neither label is card text.
#[test]
fn numbered_question_labels_and_a_bold_answer_label_are_no_card_text() {
    expect(
        "# Quiz\n\n**Question 1**\n\nWhat is DNS?\n\n**Answer**\n\nThe name system.\n\n**Question 2**\n\nWhat is TCP?\n\n**Answer**\n\nA stream protocol.\n",
        &[
            ("What is DNS?", "The name system."),
            ("What is TCP?", "A stream protocol."),
        ],
    );
}

/// A question and its answer on one line, labelled as on two (`Q: … A:
/// …`, `Q. … A. …`, `Question: … Answer: …`, the labels of other
/// languages): in plain text, in markdown paragraphs and list items, one
/// card a line, the answer running on over the lines under it.
#[test]
fn one_line_question_and_answer_pairs() {
    let plain = "Networking\n\nQ: What is DNS? A: It turns names into addresses.\n\
                 Q: What is TCP? A: A reliable stream.\n\
                 Q: Which port does HTTPS use? A: 443 by default,\nand 8443 sometimes.\n\n\
                 Q. What is UDP? A. A datagram protocol.\n\
                 Question: What is ARP? Answer: It maps IP to MAC.\n\
                 Q: Name the SSH port  A: 22\n";
    expect(
        plain,
        &[
            ("What is DNS?", "It turns names into addresses."),
            ("What is TCP?", "A reliable stream."),
            (
                "Which port does HTTPS use?",
                "443 by default,\\\nand 8443 sometimes.",
            ),
            ("What is UDP?", "A datagram protocol."),
            ("What is ARP?", "It maps IP to MAC."),
            ("Name the SSH port", "22"),
        ],
    );
    let notes = read_text(plain.into());
    let lines: Vec<usize> = notes.cards.iter().map(|card| card.line).collect();
    assert_eq!(lines, [3, 4, 5, 8, 9, 10]);
    expect(
        "# Net\n\nQ: What is DNS? A: Names to addresses.\n\
         Q: What is TCP? A: A stream,\nordered and reliable.\n\
         Q: What is UDP?\nA: Datagrams.\n\n\
         - Q: What is NAT? A: Address translation.\n\
         - **Q:** What is BGP? **A:** Routing between networks.\n\n\
         > Q: What is a pod? A: A group of containers.\n\
         > Q: What is a node? A: A machine.\n\n\
         **Вопрос:** Что такое ARP? **Ответ:** Адреса.\n\n\
         问：什么是TCP？答：传输协议。\n",
        &[
            ("What is DNS?", "Names to addresses."),
            ("What is TCP?", "A stream,\nordered and reliable."),
            ("What is UDP?", "Datagrams."),
            ("What is NAT?", "Address translation."),
            ("What is BGP?", "Routing between networks."),
            ("What is a pod?", "A group of containers."),
            ("What is a node?", "A machine."),
            ("Что такое ARP?", "Адреса."),
            ("什么是TCP？", "传输协议。"),
        ],
    );
    // `Q:` over `A:` lines in one paragraph are a card each, as they are
    // in plain text.
    expect(
        "# Net\n\nQ: What is DNS?\nA: Names.\nQ: What is TCP?\nA: A stream.\n",
        &[("What is DNS?", "Names."), ("What is TCP?", "A stream.")],
    );
}

/// An `A:` inside a line is a label only where one can stand: `plan A:`,
/// `grade A:` and prose that mentions `A:` stay as they were, and so do
/// the options of a multiple choice and a question still asked after it.
#[test]
fn an_a_inside_a_line_is_not_always_a_label() {
    expect(
        "# Plans\n\nQ: Why did the team pick plan A: the cheaper one?\nA: Cost.\n\n\
         Q: What does grade A: mean?\nA: Top marks.\n",
        &[
            ("Why did the team pick plan A: the cheaper one?", "Cost."),
            ("What does grade A: mean?", "Top marks."),
        ],
    );
    expect(
        "Quiz\n\nQ. What is 2+2? A. 3 B. 4 C. 5\nAnswer: B\n\n\
         Q: Two hosts talk. A: sends to B. Who receives first?\nA: B.\n",
        &[
            ("What is 2+2? A. 3 B. 4 C. 5", "B"),
            ("Two hosts talk. A: sends to B. Who receives first?", "B."),
        ],
    );
    // A line that opens with no question label is prose, whatever it holds.
    let notes = read_text("Plan A: we ship on Monday. Q: is it fine? A: yes.\n".into());
    assert!(notes.cards.is_empty(), "{:?}", notes.cards);
    let notes = read_text("# Plans\n\nPlan A: we ship. Plan B: we wait. Is A: better?\n".into());
    assert!(notes.cards.is_empty(), "{:?}", notes.cards);
}
