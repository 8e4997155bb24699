/*!
Fitting FSRS parameters to a user's own reviews, with the `fsrs` crate's
optimiser, the way Anki does it: each review made on a later day than the
card's previous one is a prediction FSRS can be scored on (did the card
survive the wait?), given the reviews before it. The fitted parameters are
kept only if they predict this history better (lower log loss) than the
ones in use.
*/

use std::collections::HashMap;

use anyhow::{Result, anyhow};
use fsrs::{ComputeParametersInput, FSRS, FSRSItem, FSRSReview, ModelEvaluation};

use super::{Phase, Transition};

/// The fewest scored reviews the optimiser fits on; below this the crate
/// returns its defaults unchanged.
pub const MIN_SCORED_REVIEWS: usize = 8;

/// A card's reviews in order, as FSRS sees them.
#[derive(Debug, Default, Clone)]
pub struct Histories {
    by_card: HashMap<String, Vec<FSRSReview>>,
    order: Vec<String>,
    reviews: usize,
    /// Cards whose history does not start with their first review (a
    /// schedule taken from another tool without its reviews): FSRS cannot
    /// be scored on them, as Anki leaves out cards without a learning
    /// start.
    incomplete: std::collections::HashSet<String>,
}

impl Histories {
    /// Adds one review of card `card_id`; reviews of a card must come in
    /// the order made.
    pub fn push(&mut self, card_id: &str, transition: &Transition) {
        if self.incomplete.contains(card_id) {
            return;
        }
        if transition.phase_before != Phase::New && !self.by_card.contains_key(card_id) {
            self.incomplete.insert(card_id.to_string());
            return;
        }
        let history = self.by_card.entry(card_id.to_string()).or_insert_with(|| {
            self.order.push(card_id.to_string());
            Vec::new()
        });
        history.push(FSRSReview {
            rating: transition.grade.rating(),
            // The first review has no elapsed time, whatever the log says.
            delta_t: if history.is_empty() {
                0
            } else {
                transition.elapsed_days
            },
        });
        self.reviews += 1;
    }

    pub fn reviews(&self) -> usize {
        self.reviews
    }

    pub fn cards(&self) -> usize {
        self.order.len()
    }

    /// One item per scored review: the card's reviews up to and including
    /// it, with the card's number for the optimiser's grouping.
    pub fn items(&self) -> (Vec<FSRSItem>, Vec<i64>) {
        let mut items = Vec::new();
        let mut card_ids = Vec::new();
        for (number, card) in self.order.iter().enumerate() {
            let history = &self.by_card[card];
            for end in 1..history.len() {
                if history[end].delta_t > 0 {
                    items.push(FSRSItem {
                        reviews: history[..=end].to_vec(),
                    });
                    card_ids.push(number as i64);
                }
            }
        }
        (items, card_ids)
    }
}

/// What fitting found.
#[derive(Debug, Clone)]
pub enum Fit {
    /// Too few scored reviews to fit anything.
    TooLittle { scored: usize },
    Fitted {
        scored: usize,
        before: ModelEvaluation,
        after: ModelEvaluation,
        parameters: Vec<f32>,
    },
}

impl Fit {
    /// Whether the fitted parameters predict the history better.
    pub fn improves(&self) -> bool {
        match self {
            Fit::TooLittle { .. } => false,
            Fit::Fitted { before, after, .. } => after.log_loss < before.log_loss,
        }
    }
}

/// Fits parameters to `histories` and scores them against `current`.
pub fn fit(histories: &Histories, current: &[f32], relearning_steps: usize) -> Result<Fit> {
    let (items, card_ids) = histories.items();
    let scored = items.len();
    if scored < MIN_SCORED_REVIEWS {
        return Ok(Fit::TooLittle { scored });
    }
    let evaluate = |parameters: &[f32]| -> Result<ModelEvaluation> {
        FSRS::new(parameters)
            .and_then(|fsrs| fsrs.evaluate(items.clone(), |_| true))
            .map_err(|err| anyhow!("FSRS cannot score the review history: {err}"))
    };
    let before = evaluate(current)?;
    let parameters = fsrs::compute_parameters(ComputeParametersInput {
        train_set: items.clone(),
        card_ids: Some(card_ids),
        progress: None,
        enable_short_term: true,
        num_relearning_steps: Some(relearning_steps),
        training_config: None,
    })
    .map_err(|err| anyhow!("the FSRS optimiser failed on this history: {err}"))?;
    let after = evaluate(&parameters)?;
    Ok(Fit::Fitted {
        scored,
        before,
        after,
        parameters,
    })
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::schedule::{CardState, Grade};

    fn review(phase_before: Phase, elapsed_days: u32) -> Transition {
        let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        Transition {
            grade: Grade::Good,
            phase_before,
            elapsed_days,
            state: CardState {
                phase: Phase::Review,
                step: 0,
                stability: 1.0,
                difficulty: 5.0,
                due: at,
                last_review: at,
                interval_days: 1,
                reps: 1,
                lapses: 0,
            },
        }
    }

    #[test]
    fn a_card_whose_history_starts_mid_way_is_not_scored() {
        let mut histories = Histories::default();
        histories.push("from-start", &review(Phase::New, 0));
        histories.push("from-start", &review(Phase::Review, 3));
        // A schedule taken without its reviews: its first review here was
        // not the card's first.
        histories.push("seeded", &review(Phase::Review, 0));
        histories.push("seeded", &review(Phase::Review, 10));
        assert_eq!((histories.cards(), histories.reviews()), (1, 2));
        let (items, cards) = histories.items();
        assert_eq!(items.len(), 1);
        assert_eq!(cards, vec![0]);
    }
}
