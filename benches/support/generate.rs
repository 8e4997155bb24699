//! The collection generator shared by `examples/generate.rs` and the
//! `collection` benchmark: markdown Q&A documents in the conventions the
//! importer knows, imported with the real importer, and a review history
//! simulated through the real scheduler. See `examples/generate.rs` for
//! what it makes.

use std::fmt::Write as _;
use std::path::Path;

use chrono::{DateTime, TimeZone, Utc};

use prep::Settings;
use prep::config::Config;
use prep::decks::deck::Deck;
use prep::schedule::{CardState, DayClock, Grade, Phase, Scheduler, Transition};
use prep::store::{NewReview, Store};

pub const DECKS: usize = 20;
/// How far back the learner started, by default: FSRS spaces reviews so
/// far apart that about 20 months give 10 reviews per card.
pub const DAYS: i64 = 600;

/// splitmix64: a small deterministic sequence, good enough for grades.
#[derive(Clone)]
struct Sequence(u64);

impl Sequence {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }

    /// A learner's grade when the chance of recalling is `recall`: Again
    /// when forgotten; when recalled, Hard 8%, Good 88%, Easy 4%.
    fn grade(&mut self, recall: f32) -> Grade {
        let draw = self.below(1_000_000) as f32 / 1_000_000.0;
        if draw >= recall {
            return Grade::Again;
        }
        match self.below(100) {
            0..8 => Grade::Hard,
            8..96 => Grade::Good,
            _ => Grade::Easy,
        }
    }
}

/// The conventions a document can be written in, one per document.
const CONVENTIONS: usize = 6;

/// The question of card `n`, different for every `n`.
fn question(n: usize) -> String {
    const SUBJECTS: [&str; 8] = [
        "a load balancer",
        "an S3 bucket policy",
        "a Kubernetes readiness probe",
        "a database index",
        "a TLS handshake",
        "a message queue",
        "a CI pipeline",
        "a DNS record",
    ];
    const ASKS: [&str; 4] = [
        "What does {s} number {n} do",
        "When would you use {s} number {n}",
        "How do you troubleshoot {s} number {n}",
        "Why does {s} number {n} matter",
    ];
    ASKS[n % ASKS.len()]
        .replace("{s}", SUBJECTS[(n / ASKS.len()) % SUBJECTS.len()])
        .replace("{n}", &n.to_string())
        + "?"
}

/// The answer of card `n`: a paragraph, and by turns a list, a code
/// block or a table, as people's notes have them.
fn answer(n: usize) -> String {
    let mut text = format!(
        "It routes the work of item {n} to where it is handled best, keeps a record of what \
         happened, and fails over when a part stops answering."
    );
    match n % 4 {
        0 => {
            text.push_str("\n\n");
            for part in 1..=3 {
                let _ = writeln!(
                    text,
                    "- **Point {part}**: an explanation of point {part} with `option_{n}` and a few more words."
                );
            }
        }
        1 => {
            let _ = write!(
                text,
                "\n\n```bash\naws s3 ls s3://bucket-{n} --recursive | head\n```\n"
            );
        }
        2 => {
            let _ = write!(
                text,
                "\n\n| setting | default |\n|---|---|\n| timeout_{n} | 30 s |\n| retries | 3 |\n"
            );
        }
        _ => text.push('\n'),
    }
    text
}

/// Cards `cards` written in `convention`.
fn write_cards(text: &mut String, convention: usize, cards: std::ops::Range<usize>) {
    for (number, n) in cards.enumerate() {
        let (question, answer) = (question(n), answer(n));
        let number = number + 1;
        let _ = match convention {
            0 => writeln!(text, "## {number}. {question}\n\n{answer}"),
            1 => writeln!(text, "{number}) {question}\nAnswer: {answer}"),
            2 => writeln!(text, "Q: {question}\nA: {answer}"),
            3 => writeln!(text, "**{question}**\n\n{answer}"),
            4 => writeln!(
                text,
                "<details>\n<summary>{question}</summary>\n\n{answer}\n</details>\n"
            ),
            _ => {
                if number % 50 == 1 {
                    let _ = writeln!(text, "## Topic {}\n", n / 50);
                }
                writeln!(text, "### {question}\n\n{answer}")
            }
        };
    }
}

/// A notes document holding cards `cards`, in `convention`.
fn document(title: &str, convention: usize, cards: std::ops::Range<usize>) -> String {
    let mut text = format!("# {title}\n\nQuestions collected while preparing.\n\n");
    write_cards(&mut text, convention, cards);
    text
}

/// One document of about `megabytes`, its sections in every convention by
/// turns.
pub fn large_document(megabytes: usize) -> String {
    let mut text = String::from("# Everything\n\nA long collection of interview questions.\n\n");
    let mut n = 0;
    let mut section = 0;
    while text.len() < megabytes * 1_000_000 {
        let _ = writeln!(text, "# Part {section}\n");
        write_cards(&mut text, section % CONVENTIONS, n..n + 200);
        n += 200;
        section += 1;
    }
    text
}

/// The reviews of one card from `start` until `end`, each a few hours
/// after the card was due.
fn history(
    scheduler: &Scheduler,
    id: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    sequence: &mut Sequence,
) -> Result<Vec<Transition>, Box<dyn std::error::Error>> {
    let mut now = start;
    let mut state = None;
    let mut transitions = Vec::new();
    while now <= end {
        // In review, the learner recalls as FSRS predicts; in the short
        // learning steps, nine times in ten.
        let recall = match &state {
            Some(
                state @ CardState {
                    phase: Phase::Review,
                    ..
                },
            ) => scheduler.retrievability(state, now),
            _ => 0.9,
        };
        let transition = scheduler.answer(id, state.as_ref(), sequence.grade(recall), now)?;
        transitions.push(transition);
        state = Some(transition.state);
        let late = sequence.below(4 * 3600) as i64;
        now = transition.state.due + chrono::Duration::seconds(late);
    }
    Ok(transitions)
}

/// How the reviews go into the store.
// The benchmark uses only the default.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writing {
    /// In one pass, into the empty store ([`Store::load_history`]).
    Bulk,
    /// Through [`Store::append`], 50,000 at a time in time order, as
    /// imported history is: for comparing the two.
    Append,
}

/// What [`collection`] made.
pub struct Generated {
    pub cards: usize,
    pub reviews: usize,
    /// How long each step took: importing the notes, simulating the
    /// learner, writing the reviews into the store.
    pub steps: [(&'static str, std::time::Duration); 3],
}

/// Builds a collection of `cards` cards with `days` days of reviews in
/// `home`, which should be empty.
pub fn collection(
    home: &Path,
    cards: usize,
    days: i64,
) -> Result<Generated, Box<dyn std::error::Error>> {
    collection_written(home, cards, days, Writing::Bulk)
}

/// [`collection`], with the reviews written into the store as `writing`
/// says. The store is attached to the home's log, as every command's is,
/// so the log holds the reviews too, and the home is as if its learner
/// had graded them with prep.
pub fn collection_written(
    home: &Path,
    cards: usize,
    days: i64,
    writing: Writing,
) -> Result<Generated, Box<dyn std::error::Error>> {
    let end = Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).unwrap();
    let period = chrono::Duration::days(days);
    let clock = DayClock::new(chrono::FixedOffset::east_opt(0).unwrap(), 4);
    let config = Config::default();
    let names: Vec<String> = (0..DECKS).map(|deck| format!("deck-{deck:02}")).collect();
    let schedulers = names
        .iter()
        .map(|name| Scheduler::for_deck(&config, name, clock))
        .collect::<Result<Vec<_>, _>>()?;

    // The notes, each deck's cards a contiguous run of numbers.
    let notes = home.join("notes");
    std::fs::create_dir_all(&notes)?;
    let mut files = Vec::new();
    for (index, name) in names.iter().enumerate() {
        let cards = index * cards / DECKS..(index + 1) * cards / DECKS;
        let file = notes.join(format!("{name}.md"));
        let title = format!("Interview notes {index}");
        std::fs::write(&file, document(&title, index % CONVENTIONS, cards))?;
        files.push(file);
    }
    let settings = Settings::new(home, end.fixed_offset());
    let import = prep::commands::import::Options {
        files,
        deck: None,
        dry_run: false,
        json: false,
        prune: false,
        with_progress: false,
        conflicts: prep::import::Resolve::Report,
        settle_only: Vec::new(),
        reading: prep::import::Reading::default(),
        explain: false,
    };
    let started = std::time::Instant::now();
    prep::commands::import::run(&settings, &import, &mut std::io::sink())?;
    let imported_in = started.elapsed();

    let mut sequence = Sequence(cards as u64);
    let mut reviews: Vec<NewReview> = Vec::new();
    let mut imported = 0;
    for (index, name) in names.iter().enumerate() {
        let deck = Deck::load(&home.join(format!("decks/{name}.yaml")))?;
        let expected = (index + 1) * cards / DECKS - index * cards / DECKS;
        if deck.cards.len() != expected {
            return Err(format!(
                "the importer found {} of the {expected} questions of notes/{name}.md",
                deck.cards.len()
            )
            .into());
        }
        imported += deck.cards.len();
        for card in &deck.cards {
            if sequence.below(10) == 0 {
                continue;
            }
            let start = end - period
                + chrono::Duration::seconds(sequence.below(period.num_seconds() as u64) as i64);
            for transition in history(&schedulers[index], &card.id, start, end, &mut sequence)? {
                reviews.push(NewReview {
                    card_id: card.id.clone(),
                    deck: name.clone(),
                    answer_ms: 2_000 + sequence.below(20_000) as u32,
                    transition,
                });
            }
        }
    }
    reviews.sort_by_key(|review| review.transition.state.last_review);
    let simulated_in = started.elapsed() - imported_in;
    let mut store: Store = prep::sync::open_store(&settings)?;
    match writing {
        Writing::Bulk => {
            store.load_history(&reviews)?;
        }
        Writing::Append => {
            for chunk in reviews.chunks(50_000) {
                store.append(chunk)?;
            }
        }
    }
    Ok(Generated {
        cards: imported,
        reviews: reviews.len(),
        steps: [
            ("import", imported_in),
            ("learner", simulated_in),
            ("store", started.elapsed() - imported_in - simulated_in),
        ],
    })
}
