/*!
The journal: review state as the devices' logs define it. Each home is a
device with an id of its own (the host name and six random hex digits,
made once, kept in the store). Every change it makes to review state
(grades, undos, skips, suspends, marks, forgets) is appended to its own
log in the sync folder (`$PREP_HOME/sync/`, or `sync_dir` in
config.yaml), one JSON object a line ([`event`]), and synced to disk
before the store commits it. A log is a series of segments,
`DEVICE/AA/BB/NNNNNN.jsonl`, of which only the last grows ([`log`]), so
that a sync commits and sends what is new, not the whole history. One
writer per log, so no file-sync tool and no git merge can make a
conflict inside one. A device logs what it schedules with ([`setup`])
before the change it makes with it.

A card's state is the fold of its changes ([`fold`]), in review-time
order, so that devices holding the same lines hold the same states
whatever order they arrived in. The store ([`crate::store`]) caches the
fold: whenever prep opens it for a command, the lines of any log it has
not applied are folded in, and a crash between the append and the
commit leaves a line the store has not applied, which the next start
applies. [`crate::sync`] moves the logs between machines (over git).

This module uses neither of them: both stand on it.
*/

pub mod event;
pub mod fold;
pub mod log;
pub mod setup;
