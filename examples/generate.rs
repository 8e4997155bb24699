//! Builds a realistic collection for measuring prep at scale: decks of
//! markdown Q&A cards and a review history made by simulating a learner
//! through the real scheduler, ending on 2026-01-05.
//!
//! ```sh
//! cargo run --release --example generate -- HOME CARDS [DAYS]
//! echo q | PREP_HOME=HOME PREP_NOW=2026-01-05T09:00:00Z target/release/prep quiz
//! ```
//!
//! Cards are spread over 20 decks (`deck-00.yaml` ...). One card in ten
//! (chosen pseudo-randomly) stays new. Each other card is first seen at a
//! pseudo-random moment of the `DAYS` days (600 by default) before
//! 2026-01-05 and then reviewed a few hours after each due time until that
//! day. The learner recalls a card in review with the probability FSRS
//! predicts for that moment (a card in learning steps nine times in ten);
//! a recalled card is graded Hard 8%, Good 88%, Easy 4%. So the true
//! retention comes out near the desired 90%, and 600 days give about 10
//! reviews per card (1,046,684 reviews at 100,000 cards). Everything comes
//! from a fixed sequence: the same arguments build the same files.

use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::{DateTime, TimeZone, Utc};

use prep::config::Config;
use prep::deck::{Card, Deck};
use prep::schedule::{CardState, DayClock, Grade, Phase, Scheduler, Transition};
use prep::store::{NewReview, Store};

const DECKS: usize = 20;
/// How far back the learner started, by default: FSRS spaces reviews so
/// far apart that about 20 months give 10 reviews per card.
const DAYS: i64 = 600;

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

fn answer(n: usize) -> String {
    let mut text = format!("Card {n} is answered in three parts:\n\n");
    for part in 1..=3 {
        let _ = writeln!(
            text,
            "{part}. **Point {part}**: an explanation of point {part} with `code_{n}` and a few more words."
        );
    }
    text.push_str("\n```bash\naws s3 ls s3://bucket\n```");
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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: generate HOME CARDS [DAYS]";
    let home = PathBuf::from(args.next().ok_or(usage)?);
    let cards: usize = args.next().ok_or(usage)?.parse()?;
    let days: i64 = args.next().map_or(Ok(DAYS), |text| text.parse())?;
    let end = Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).unwrap();
    let period = chrono::Duration::days(days);
    let clock = DayClock::new(chrono::FixedOffset::east_opt(0).unwrap(), 4);
    let config = Config::default();
    let schedulers = (0..DECKS)
        .map(|deck| Scheduler::for_deck(&config, &format!("deck-{deck:02}"), clock))
        .collect::<Result<Vec<_>, _>>()?;

    std::fs::create_dir_all(home.join("decks"))?;
    let mut decks: Vec<Deck> = (0..DECKS).map(|_| Deck::default()).collect();
    let mut sequence = Sequence(cards as u64);
    let mut reviews: Vec<NewReview> = Vec::new();
    for n in 0..cards {
        let deck = n % DECKS;
        let id = format!("g{n:07}");
        decks[deck].cards.push(Card {
            id: id.clone(),
            question: format!("What is generated question number {n}?"),
            answer: answer(n),
            tags: vec![format!("topic-{}", n % 7)],
            source: None,
        });
        if sequence.below(10) == 0 {
            continue;
        }
        let start = end - period
            + chrono::Duration::seconds(sequence.below(period.num_seconds() as u64) as i64);
        for transition in history(&schedulers[deck], &id, start, end, &mut sequence)? {
            reviews.push(NewReview {
                card_id: id.clone(),
                deck: format!("deck-{deck:02}"),
                answer_ms: 2_000 + sequence.below(20_000) as u32,
                transition,
            });
        }
    }
    for (index, deck) in decks.iter().enumerate() {
        deck.save(&home.join(format!("decks/deck-{index:02}.yaml")))?;
    }
    reviews.sort_by_key(|review| review.transition.state.last_review);
    let mut store = Store::open(&home)?;
    for chunk in reviews.chunks(50_000) {
        store.append(chunk)?;
    }
    eprintln!(
        "{cards} cards in {DECKS} decks, {} reviews, in {}",
        reviews.len(),
        home.display()
    );
    Ok(())
}
