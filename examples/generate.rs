//! Builds a realistic collection for measuring prep at scale: decks of
//! markdown Q&A cards and a review history made by simulating a learner
//! through the real scheduler, spread over the year before 2026-01-05.
//!
//! ```sh
//! cargo run --release --example generate -- HOME CARDS [REVIEWS_PER_CARD]
//! echo q | PREP_HOME=HOME PREP_NOW=2026-01-05T09:00:00Z target/release/prep quiz
//! ```
//!
//! Cards are spread over 20 decks (`deck-00.yaml` ...). One card in ten
//! stays new; each other card starts on a pseudo-random moment of the year
//! before 2026-01-05 and is reviewed a few hours after each due time, until
//! it has `REVIEWS_PER_CARD` reviews (10 by default) or its next review
//! would fall after 2026-01-05, so cards started late in the year have
//! fewer. Grades are Good 85%, Again 8%, Hard 5%, Easy 2% from a fixed
//! sequence: the same arguments build the same files.

use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::{TimeZone, Utc};

use prep::config::Config;
use prep::deck::{Card, Deck};
use prep::schedule::{DayClock, Grade, Scheduler};
use prep::store::{NewReview, Store};

const DECKS: usize = 20;

/// splitmix64: a small deterministic sequence, good enough for grades.
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

    fn grade(&mut self) -> Grade {
        match self.below(100) {
            0..85 => Grade::Good,
            85..93 => Grade::Again,
            93..98 => Grade::Hard,
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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: generate HOME CARDS [REVIEWS_PER_CARD]";
    let home = PathBuf::from(args.next().ok_or(usage)?);
    let cards: usize = args.next().ok_or(usage)?.parse()?;
    let per_card: usize = args.next().map_or(Ok(10), |text| text.parse())?;
    let end = Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).unwrap();
    let year = chrono::Duration::days(365);
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
        if n % 10 == 9 {
            continue;
        }
        let start = sequence.below(year.num_seconds() as u64) as i64;
        let mut now = end - year + chrono::Duration::seconds(start);
        let mut state = None;
        for _ in 0..per_card {
            if now > end {
                break;
            }
            let transition = schedulers[deck].answer(&id, state.as_ref(), sequence.grade(), now)?;
            reviews.push(NewReview {
                card_id: id.clone(),
                deck: format!("deck-{deck:02}"),
                answer_ms: 2_000 + sequence.below(20_000) as u32,
                transition,
            });
            state = Some(transition.state);
            let late = sequence.below(4 * 3600) as i64;
            now = transition.state.due + chrono::Duration::seconds(late);
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
