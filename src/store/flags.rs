//! What a person decides about a card, apart from its schedule: suspend
//! (put aside until unsuspended), mark (to come back to) and forget (back
//! to new, its reviews kept as history). These tables are small next to the
//! card table, so readers take them whole.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rusqlite::{TransactionBehavior, params};

use super::rows::instant;
use super::{Store, explained};

/// Why a card is suspended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuspendReason {
    /// `prep suspend` or `!` in the reviewer.
    User,
    /// It lapsed `leech_threshold` times and `leech_action` is `suspend`.
    Leech,
}

impl SuspendReason {
    fn code(self) -> &'static str {
        match self {
            SuspendReason::User => "user",
            SuspendReason::Leech => "leech",
        }
    }

    fn from_code(code: &str) -> SuspendReason {
        match code {
            "leech" => SuspendReason::Leech,
            _ => SuspendReason::User,
        }
    }
}

/// A suspended card: since when and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suspension {
    pub since: DateTime<Utc>,
    pub reason: SuspendReason,
}

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
        explained(&self.path, || {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut changed = 0;
            {
                let mut insert = tx.prepare_cached(
                    "INSERT OR IGNORE INTO suspended (card_id, since, reason) VALUES (?1, ?2, ?3)",
                )?;
                for id in ids {
                    changed += insert.execute(params![id, at.timestamp_millis(), reason.code()])?;
                }
            }
            tx.commit()?;
            Ok(changed)
        })
    }

    /// Ends the suspension of the cards that have one; returns how many
    /// had.
    pub fn unsuspend(&mut self, ids: &[&str]) -> anyhow::Result<usize> {
        explained(&self.path, || {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut changed = 0;
            {
                let mut delete = tx.prepare_cached("DELETE FROM suspended WHERE card_id = ?1")?;
                for id in ids {
                    changed += delete.execute([id])?;
                }
            }
            tx.commit()?;
            Ok(changed)
        })
    }

    /// Marks a card, or unmarks a marked one; returns whether it is marked
    /// now.
    pub fn toggle_mark(&mut self, id: &str, at: DateTime<Utc>) -> anyhow::Result<bool> {
        explained(&self.path, || {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let removed = tx.execute("DELETE FROM marked WHERE card_id = ?1", [id])?;
            if removed == 0 {
                tx.execute(
                    "INSERT INTO marked (card_id, since) VALUES (?1, ?2)",
                    params![id, at.timestamp_millis()],
                )?;
            }
            tx.commit()?;
            Ok(removed == 0)
        })
    }

    /// Puts cards back to new (Anki's "Forget"): their states and skips go,
    /// their reviews stay in the log as history but no longer count for
    /// their state (`prep check`, repairs, fitting parameters and plans
    /// start after them). Returns how many had been reviewed.
    pub fn forget(&mut self, ids: &[&str], at: DateTime<Utc>) -> anyhow::Result<usize> {
        explained(&self.path, || {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut changed = 0;
            {
                let mut last =
                    tx.prepare_cached("SELECT max(id) FROM review WHERE card_id = ?1")?;
                let mut remember = tx.prepare_cached(
                    "INSERT OR REPLACE INTO forgotten (card_id, at, last_review_id) VALUES (?1, ?2, ?3)",
                )?;
                let mut delete_card = tx.prepare_cached("DELETE FROM card WHERE id = ?1")?;
                let mut unbury = tx.prepare_cached("DELETE FROM buried WHERE card_id = ?1")?;
                for id in ids {
                    let last_review: Option<i64> = last.query_row([id], |row| row.get(0))?;
                    if let Some(last_review) = last_review {
                        remember.execute(params![id, at.timestamp_millis(), last_review])?;
                    }
                    changed += delete_card.execute([id])?;
                    unbury.execute([id])?;
                }
            }
            tx.commit()?;
            Ok(changed)
        })
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
