//! What a person decides about a card, apart from its schedule: suspend
//! (put aside until unsuspended), mark (to come back to) and forget (back
//! to new, its reviews kept as history). These tables are small next to the
//! card table, so readers take them whole.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::cache::causal_time;
use super::rows::instant;
use super::{Store, explained};
use crate::journal::event::{Change, Event, SuspendReason};
use crate::journal::fold::Suspension;

/// The flags of every card that has one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flags {
    pub suspended: HashMap<String, Suspension>,
    pub marked: HashSet<String>,
    /// Skipped cards, new or reviewed, and when their skip ends (which
    /// may have passed).
    pub buried: HashMap<String, DateTime<Utc>>,
}

impl Flags {
    pub fn is_suspended(&self, id: &str) -> bool {
        !self.suspended.is_empty() && self.suspended.contains_key(id)
    }

    pub fn is_marked(&self, id: &str) -> bool {
        !self.marked.is_empty() && self.marked.contains(id)
    }

    /// When the card's skip ends, if it is skipped at `now`.
    pub fn buried_until(&self, id: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if self.buried.is_empty() {
            return None;
        }
        self.buried.get(id).copied().filter(|until| *until > now)
    }
}

impl Store {
    /// Every suspended, marked and skipped card.
    pub fn flags(&self) -> anyhow::Result<Flags> {
        explained(&self.path, || {
            let mut flags = Flags::default();
            let mut statement = self
                .conn
                .prepare_cached("SELECT card_id, since, reason FROM suspended")?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let id: String = row.get(0)?;
                let since = instant(row.get(1)?).unwrap_or(DateTime::UNIX_EPOCH);
                let reason: String = row.get(2)?;
                let reason = SuspendReason::from_code(&reason);
                flags.suspended.insert(id, Suspension { since, reason });
            }
            let mut statement = self.conn.prepare_cached("SELECT card_id FROM marked")?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                flags.marked.insert(row.get(0)?);
            }
            let mut statement = self
                .conn
                .prepare_cached("SELECT card_id, until FROM buried")?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                if let Some(until) = instant(row.get(1)?) {
                    flags.buried.insert(row.get(0)?, until);
                }
            }
            Ok(flags)
        })
    }

    /// Suspends the cards not suspended yet; returns how many were.
    pub fn suspend(
        &mut self,
        ids: &[&str],
        at: DateTime<Utc>,
        reason: SuspendReason,
    ) -> anyhow::Result<usize> {
        self.change_where(
            ids,
            at,
            "SELECT NOT EXISTS (SELECT 1 FROM suspended WHERE card_id = ?1)",
            || Change::Suspend { reason },
        )
    }

    /// Ends the suspension of the cards that have one; returns how many
    /// had.
    pub fn unsuspend(&mut self, ids: &[&str], at: DateTime<Utc>) -> anyhow::Result<usize> {
        self.change_where(
            ids,
            at,
            "SELECT EXISTS (SELECT 1 FROM suspended WHERE card_id = ?1)",
            || Change::Unsuspend,
        )
    }

    /// Marks a card, or unmarks a marked one; returns whether it is marked
    /// now.
    pub fn toggle_mark(&mut self, id: &str, at: DateTime<Utc>) -> anyhow::Result<bool> {
        let path = self.path.clone();
        let mut marked = false;
        explained(&path, || {
            self.change(|tx, next| {
                let was: bool = tx
                    .prepare_cached("SELECT EXISTS (SELECT 1 FROM marked WHERE card_id = ?1)")?
                    .query_row([id], |row| row.get(0))?;
                marked = !was;
                Ok(vec![Event {
                    id: next.take(),
                    at: causal_time(tx, id, at)?,
                    card: id.to_string(),
                    change: if was { Change::Unmark } else { Change::Mark },
                }])
            })?;
            Ok(())
        })?;
        Ok(marked)
    }

    /// Puts cards back to new (Anki's "Forget"): their states and skips go,
    /// their reviews stay in the log as history but no longer count for
    /// their state (`prep check`, repairs, fitting parameters and plans
    /// start after them). Returns how many had been reviewed.
    pub fn forget(&mut self, ids: &[&str], at: DateTime<Utc>) -> anyhow::Result<usize> {
        let path = self.path.clone();
        let mut reviewed = 0;
        explained(&path, || {
            self.change(|tx, next| {
                let mut events = Vec::new();
                let mut has_state =
                    tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM card WHERE id = ?1)")?;
                for id in ids {
                    if has_state.query_row([id], |row| row.get::<_, bool>(0))? {
                        reviewed += 1;
                    }
                    events.push(Event {
                        id: next.take(),
                        at: causal_time(tx, id, at)?,
                        card: id.to_string(),
                        change: Change::Forget,
                    });
                }
                Ok(events)
            })?;
            Ok(())
        })?;
        Ok(reviewed)
    }

    /// Records `change` for each of `ids` that `applies` (a query of one
    /// card id answering true or false) holds for; returns how many.
    fn change_where(
        &mut self,
        ids: &[&str],
        at: DateTime<Utc>,
        applies: &str,
        change: impl Fn() -> Change,
    ) -> anyhow::Result<usize> {
        let path = self.path.clone();
        let mut count = 0;
        explained(&path, || {
            self.change(|tx, next| {
                let mut events = Vec::new();
                let mut applies = tx.prepare_cached(applies)?;
                let mut seen = HashSet::new();
                for id in ids {
                    if seen.insert(*id) && applies.query_row([id], |row| row.get::<_, bool>(0))? {
                        events.push(Event {
                            id: next.take(),
                            at: causal_time(tx, id, at)?,
                            card: id.to_string(),
                            change: change(),
                        });
                    }
                }
                count = events.len();
                Ok(events)
            })?;
            Ok(())
        })?;
        Ok(count)
    }

    /// For each forgotten card, the last review that no longer counts for
    /// its state.
    pub fn forgotten(&self) -> anyhow::Result<HashMap<String, i64>> {
        explained(&self.path, || {
            let forgotten = self
                .conn
                .prepare_cached("SELECT card_id, last_review_id FROM forgotten")?
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(forgotten)
        })
    }
}
