//! What interview plans ([`crate::plan`]) change in a session: the line it
//! starts with, and the order of `--cram --order hardest`. (The plan's new
//! cards and early reviews are part of filling the queue, in `mod.rs`.)

use std::collections::HashMap;

use anyhow::Result;
use chrono::{DateTime, Utc};

use super::{Entry, Session};
use crate::plan::{DeckPlan, Stage};

/// What a planned deck's session holds, for the line a quiz starts with.
#[derive(Debug, Clone, Copy)]
pub struct PlannedWork<'a> {
    pub plan: &'a DeckPlan,
    /// New cards this session will introduce from the deck.
    pub new: usize,
    /// Early reviews this session holds from the deck.
    pub early: usize,
}

impl Session {
    /// Sorts cram entries by predicted recall, lowest first: at the
    /// interview for a deck whose plan is not over, now for the others.
    pub(super) fn hardest_first(
        &mut self,
        entries: &mut [Entry],
        now: DateTime<Utc>,
    ) -> Result<()> {
        let plans =
            crate::plan::deck_plans(&self.catalog, self.mode.store(), &mut self.schedulers, now)?;
        let clock = self.schedulers.clock();
        let mut recall = HashMap::with_capacity(entries.len());
        for entry in entries.iter() {
            let Some(state) = entry.state else { continue };
            let deck = self.deck_of(&entry.card_id)?;
            let at = plans
                .iter()
                .find(|plan| plan.deck == deck && plan.stage == Stage::Ahead)
                .map_or(now, |plan| {
                    clock.start(crate::schedule::day::day_of_date(plan.date))
                });
            let scheduler = self.schedulers.for_deck(&deck)?;
            recall.insert(entry.card_id.clone(), scheduler.retrievability(&state, at));
        }
        // A stable sort: equal recall (all the new cards) keeps deck order.
        entries.sort_by(|a, b| {
            let of = |entry: &Entry| recall.get(&entry.card_id).copied().unwrap_or(0.0);
            of(a).total_cmp(&of(b))
        });
        Ok(())
    }

    /// The planned decks of this session with what it holds of each.
    pub fn planned_work(&self) -> Vec<PlannedWork<'_>> {
        self.plans
            .iter()
            .map(|plan| {
                let mut work = PlannedWork {
                    plan,
                    new: 0,
                    early: 0,
                };
                for entry in self.current.iter().chain(self.queue.entries()) {
                    if self
                        .catalog
                        .get(&entry.card_id)
                        .is_some_and(|found| found.deck == plan.deck)
                    {
                        if entry.early {
                            work.early += 1;
                        } else if entry.state.is_none() {
                            work.new += 1;
                        }
                    }
                }
                work
            })
            .collect()
    }
}
