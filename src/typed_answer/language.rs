//! The card's language: whose stop words and whose stemmer both sides of
//! the comparison use.
//!
//! A card written in German and answered in German must be read with German
//! function words and German endings; with English ones, `einen`, `sich` and
//! `sind` become key points and a German answer, holding no English stop
//! word, reads as a list of keywords. So the language is found once per
//! card, from its question and reference answer ([`Language::of_card`]), and
//! the typed answer is read in that language too.
//!
//! **Detection** counts, for each language, the words of the card that are
//! on that language's stop-word list (NLTK's, from the `stop-words` crate);
//! stop words are what any sentence is made of, so the count holds up on
//! the short texts cards are, where letter-trigram detectors hesitate. Code
//! is left out, and so are words without a lowercase letter (acronyms such
//! as `OS`) and single letters (`e.g.`, and `a`, `e`, `o`, `y` are function
//! words in several languages). The language with the most hits wins when
//! it has at least [`MIN_HITS`] and more than English; a tie goes to the
//! language listed first in [`Language::ALL`]. Otherwise, and so whenever
//! unsure, the card is English. Of the 3,477 cards `prep import` makes of
//! `tests/fixtures/corpus/` and `../shared/realnotes/docs/`, it called all
//! 3,080 English cards English and all 66 Spanish and 16 Portuguese ones by
//! their language; 15 of 25 Russian cards are Russian, the other 10 hold
//! English answers under Russian questions and are English. (Chinese, which
//! no stemmer here reads, is English but for 3 cards whose Latin words are
//! Portuguese ones, such as the `com` of a web address.) A letter-trigram
//! detector (`whatlang`) was unsure of, or wrong on, 4 of 13 one- and
//! two-sentence German, French, Spanish, Portuguese, Italian and Dutch
//! answers this rule all got right.
//!
//! **Words**: every language has NLTK's stop words and spoken fillers that
//! are the same everywhere (`um`, `ok`, `etc`). English also has the
//! function words and fillers NLTK's list lacks (`also`, `really`, `stuff`,
//! `gonna`), and keeps its own light suffix stripper (`tokens.rs`), which
//! joins what Snowball keeps apart (`resolution` and `resolve`, `regional`
//! and `region`) and which the grader's agreement with a person was
//! measured on (with Snowball's English stemmer instead, the agreement of
//! `agreement.rs` falls from 72.4 % to 71.4 % exact and from 98.4 % to
//! 97.3 % within one grade); every other language uses its Snowball stemmer
//! (`rust-stemmers`).
//!
//! Nearly every word test of the grader depends on the language, some forty
//! helpers deep, so the language of the card being judged is set for the
//! length of one public call ([`Language::judging`]) rather than passed to
//! each of them; outside such a call it is English.

use std::cell::Cell;

use rust_stemmers::{Algorithm, Stemmer};

use super::*;

/// A language needs this many stop-word hits to be chosen over English.
const MIN_HITS: usize = 2;

/// Spoken fillers and abbreviations, stop words in every language.
const ANY_LANGUAGE_STOP: &str = "e eg erm etc g hmm ie ok okay uh um";

/// English function words and spoken fillers NLTK's English list lacks
/// (the grader's own list before it used NLTK's, less NLTK's words).
const ENGLISH_STOP: &str = "already also another anyone anything basically bit cannot could either else \
    even ever every everyone everything gonna gotta guess hence however kinda let lets like lot \
    lots many maybe mean might much must one others perhaps pretty probably quite rather really \
    several shall someone something sorta still stuff sure therefore thing things think though \
    thus u upon us various via wanna well whatever whether whose would yeah yes yet";

/// The languages a card can be judged in: those with both a stop-word list
/// and a Snowball stemmer. The order breaks ties in detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Language {
    English,
    Spanish,
    Portuguese,
    Russian,
    German,
    French,
    Italian,
    Turkish,
    Dutch,
    Swedish,
    Romanian,
    Hungarian,
    Greek,
    Danish,
    Finnish,
    Norwegian,
    Arabic,
    Tamil,
}

thread_local! {
    static CURRENT: Cell<Language> = const { Cell::new(Language::English) };
}

impl Language {
    pub(super) const ALL: [Language; 18] = [
        Language::English,
        Language::Spanish,
        Language::Portuguese,
        Language::Russian,
        Language::German,
        Language::French,
        Language::Italian,
        Language::Turkish,
        Language::Dutch,
        Language::Swedish,
        Language::Romanian,
        Language::Hungarian,
        Language::Greek,
        Language::Danish,
        Language::Finnish,
        Language::Norwegian,
        Language::Arabic,
        Language::Tamil,
    ];

    /// ISO 639-1 code, as the `stop-words` crate names the language.
    pub(super) fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Spanish => "es",
            Language::Portuguese => "pt",
            Language::Russian => "ru",
            Language::German => "de",
            Language::French => "fr",
            Language::Italian => "it",
            Language::Turkish => "tr",
            Language::Dutch => "nl",
            Language::Swedish => "sv",
            Language::Romanian => "ro",
            Language::Hungarian => "hu",
            Language::Greek => "el",
            Language::Danish => "da",
            Language::Finnish => "fi",
            Language::Norwegian => "no",
            Language::Arabic => "ar",
            Language::Tamil => "ta",
        }
    }

    fn algorithm(self) -> Algorithm {
        match self {
            Language::English => Algorithm::English,
            Language::Spanish => Algorithm::Spanish,
            Language::Portuguese => Algorithm::Portuguese,
            Language::Russian => Algorithm::Russian,
            Language::German => Algorithm::German,
            Language::French => Algorithm::French,
            Language::Italian => Algorithm::Italian,
            Language::Turkish => Algorithm::Turkish,
            Language::Dutch => Algorithm::Dutch,
            Language::Swedish => Algorithm::Swedish,
            Language::Romanian => Algorithm::Romanian,
            Language::Hungarian => Algorithm::Hungarian,
            Language::Greek => Algorithm::Greek,
            Language::Danish => Algorithm::Danish,
            Language::Finnish => Algorithm::Finnish,
            Language::Norwegian => Algorithm::Norwegian,
            Language::Arabic => Algorithm::Arabic,
            Language::Tamil => Algorithm::Tamil,
        }
    }

    fn index(self) -> usize {
        Language::ALL
            .iter()
            .position(|&l| l == self)
            .expect("every language is listed")
    }

    /// NLTK's stop words of the language, as the `stop-words` crate ships them.
    fn nltk_stop_words(self) -> &'static FastSet<&'static str> {
        static SETS: [OnceLock<FastSet<&'static str>>; Language::ALL.len()] =
            [const { OnceLock::new() }; Language::ALL.len()];
        SETS[self.index()].get_or_init(|| {
            stop_words::lookup(self.code())
                .unwrap_or_default()
                .iter()
                .copied()
                .collect()
        })
    }

    /// The language of a card, from its question and reference answer
    /// (markdown); English when unsure. See the module doc for the rule.
    pub(super) fn of_card(question: &str, answer_markdown: &str) -> Language {
        let mut words: Vec<String> = Vec::new();
        for text in [question, answer_markdown] {
            for prose in prose_of(cut(text, MAX_ANSWER_BYTES)) {
                words.extend(
                    prose
                        .split(|c: char| !c.is_alphanumeric())
                        .filter(|w| w.chars().count() > 1 && w.chars().any(char::is_lowercase))
                        .map(str::to_lowercase),
                );
            }
        }
        let hits = |language: Language| {
            let list = language.nltk_stop_words();
            words.iter().filter(|w| list.contains(w.as_str())).count()
        };
        let english = hits(Language::English);
        let mut best = (Language::English, english);
        for language in Language::ALL {
            let n = hits(language);
            if n > best.1 {
                best = (language, n);
            }
        }
        if best.1 >= MIN_HITS && best.1 > english {
            best.0
        } else {
            Language::English
        }
    }

    /// The language of the card being judged on this thread.
    pub(super) fn current() -> Language {
        CURRENT.with(Cell::get)
    }

    /// Runs `judge` with `self` as the language of every word test, and
    /// restores the one before after it (also when it panics).
    pub(super) fn judging<T>(self, judge: impl FnOnce() -> T) -> T {
        struct Restore(Language);
        impl Drop for Restore {
            fn drop(&mut self) {
                CURRENT.with(|current| current.set(self.0));
            }
        }
        let _restore = Restore(CURRENT.with(|current| current.replace(self)));
        judge()
    }

    /// Whether `word` (lowercase) is a stop word or filler in this language.
    pub(super) fn is_stop(self, word: &str) -> bool {
        static SETS: [OnceLock<FastSet<&'static str>>; Language::ALL.len()] =
            [const { OnceLock::new() }; Language::ALL.len()];
        SETS[self.index()]
            .get_or_init(|| {
                let mut set = self.nltk_stop_words().clone();
                set.extend(ANY_LANGUAGE_STOP.split_ascii_whitespace());
                if self == Language::English {
                    set.extend(ENGLISH_STOP.split_ascii_whitespace());
                }
                set
            })
            .contains(word)
    }

    /// `word` (lowercase) stemmed in this language; only needs to be the
    /// same on both sides.
    pub(super) fn stem(self, word: &str) -> String {
        if self == Language::English {
            return stem_english(word);
        }
        if word.chars().count() <= 3 || !word.chars().all(char::is_alphabetic) {
            return word.to_string();
        }
        Stemmer::create(self.algorithm()).stem(word).into_owned()
    }
}

/// The prose of `markdown`: its text without code blocks or code spans.
fn prose_of(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_code = false;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(text) if !in_code => out.push(text.into_string()),
            _ => {}
        }
    }
    out
}
