//! Checking and repairing the store (`prep check`): SQLite's integrity
//! check, the cards whose stored state is not the one their last review
//! produced, rebuilding those states from the log, and the backup taken
//! before a repair.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use rusqlite::{Connection, TransactionBehavior};

use super::rows::prefixed;
use super::schema::STATE_COLUMNS;
use super::{Store, explained};

/// A condition on a `review` row: whether it still counts for its card's
/// state, that is, comes after the card was last forgotten.
pub(super) const COUNTS_FOR_STATE: &str = "review.id > coalesce(
    (SELECT last_review_id FROM forgotten WHERE forgotten.card_id = review.card_id), 0)";

impl Store {
    /// SQLite's own `integrity_check`: empty when the file is sound.
    pub fn integrity_problems(&self) -> anyhow::Result<Vec<String>> {
        explained(&self.path, || {
            let lines = self
                .conn
                .prepare("PRAGMA integrity_check")?
                .query_map([], |row| row.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(lines.into_iter().filter(|line| line != "ok").collect())
        })
    }

    /// Cards whose stored state is not the state their last review
    /// produced (or that have a state but no reviews, or reviews but no
    /// state), by id. Reviews before a card was forgotten do not count.
    pub fn disagreements(&self) -> anyhow::Result<Vec<String>> {
        let sql = format!(
            "SELECT c.id FROM card c LEFT JOIN review r
               ON r.id = (SELECT max(id) FROM review WHERE card_id = c.id AND {counts})
             WHERE r.id IS NULL OR c.deck IS NOT r.deck
                OR ({columns}) IS NOT ({r_columns}) OR c.last_review IS NOT r.reviewed_at
             UNION
             SELECT DISTINCT card_id FROM review
             WHERE card_id NOT IN (SELECT id FROM card) AND {counts}
             ORDER BY 1",
            counts = COUNTS_FOR_STATE,
            columns = prefixed("c", STATE_COLUMNS),
            r_columns = prefixed("r", STATE_COLUMNS),
        );
        explained(&self.path, || {
            let ids = self
                .conn
                .prepare(&sql)?
                .query_map([], |row| row.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(ids)
        })
    }

    /// Rebuilds every card's state from its last review, in one
    /// transaction. Returns the number of cards with a state afterwards.
    pub fn rebuild_states(&mut self) -> anyhow::Result<u64> {
        explained(&self.path, || {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute("DELETE FROM card", [])?;
            let count = tx.execute(
                &format!(
                    "INSERT INTO card (id, deck, {STATE_COLUMNS}, last_review)
                     SELECT card_id, deck, {STATE_COLUMNS}, reviewed_at FROM review
                     WHERE id IN (SELECT max(id) FROM review WHERE {COUNTS_FOR_STATE} GROUP BY card_id)"
                ),
                [],
            )?;
            tx.commit()?;
            Ok(count as u64)
        })
    }

    /// Writes a consistent copy of the database to `target` with SQLite's
    /// backup API (safe while other processes use the database).
    pub fn backup_to(&self, target: &Path) -> anyhow::Result<()> {
        // Written under another name and renamed when whole, so that a
        // backup killed half way never stands under a backup's name.
        let mut partial = target.as_os_str().to_owned();
        partial.push(".partial");
        let partial = std::path::PathBuf::from(partial);
        let written = (|| -> anyhow::Result<()> {
            let mut copy = Connection::open(&partial)
                .with_context(|| format!("cannot create the backup {}", partial.display()))?;
            {
                let backup = rusqlite::backup::Backup::new(&self.conn, &mut copy)
                    .with_context(|| format!("cannot back up {}", self.path.display()))?;
                backup
                    .run_to_completion(1024, Duration::from_millis(10), None)
                    .with_context(|| format!("cannot write the backup {}", partial.display()))?;
            }
            copy.close()
                .map_err(|(_, err)| err)
                .with_context(|| format!("cannot write the backup {}", partial.display()))?;
            std::fs::File::open(&partial)
                .and_then(|file| file.sync_all())
                .with_context(|| format!("cannot write the backup {}", partial.display()))?;
            std::fs::rename(&partial, target)
                .with_context(|| format!("cannot write the backup {}", target.display()))
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        written
    }

    /// The repair of `prep check --repair`, once the store has caught up
    /// with the logs: this device's changes its log lacks written back,
    /// every card folded again from the logs, and every state rebuilt
    /// from its last review. `disagreeing` are the cards found with a
    /// state their history does not give; they are counted as refolded.
    pub fn repair(&mut self, disagreeing: &[String]) -> anyhow::Result<Repaired> {
        let relogged = self.relog()?;
        let mut refolded = self.refold_all(false)?;
        refolded.extend(disagreeing.iter().cloned());
        refolded.sort();
        refolded.dedup();
        let rebuilt = self.rebuild_states()?;
        Ok(Repaired {
            relogged,
            refolded,
            rebuilt,
        })
    }
}

/// What [`Store::repair`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repaired {
    /// Changes written back to this device's log.
    pub relogged: usize,
    /// Cards folded again from the logs.
    pub refolded: Vec<String>,
    /// Cards with a state afterwards.
    pub rebuilt: u64,
}
