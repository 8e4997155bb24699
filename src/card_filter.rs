/*!
Which cards a command works on, beyond their decks: text, tags, state,
leeches, marks and what is due. `prep cards`, `suspend`, `unsuspend`,
`forget` and `quiz` take the same filters and all decide through
[`CardFilter::admits`], so a filter means one thing everywhere.
*/

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::decks::catalog::{Catalog, Found};
use crate::decks::deck::Card;
use crate::schedule::{DayClock, Phase};
use crate::store::{Flags, StoredCard};

/// A card's state as a filter names it (`--state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StateFilter {
    /// Never reviewed (or forgotten).
    New,
    /// In learning or relearning steps.
    Learning,
    /// In review.
    Review,
    /// Skipped until the next day.
    Buried,
    /// Put aside until unsuspended.
    Suspended,
}

/// The filters of a command line; every one given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardFilter {
    /// Any of these tags (compared in lowercase); all cards when empty.
    pub tags: Vec<String>,
    /// Every one of these, lowercased, must occur in the question or the
    /// answer.
    pub words: Vec<String>,
    /// Any of these states; all when empty.
    pub states: Vec<StateFilter>,
    /// Only leeches.
    pub leech: bool,
    /// Only marked cards.
    pub marked: bool,
    /// Only cards a review session would show now as due.
    pub due: bool,
}

/// What the filter reads besides the card: the store's flags, the clock
/// and the leech threshold.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub flags: &'a Flags,
    pub now: DateTime<Utc>,
    pub clock: DayClock,
    pub config: &'a Config,
}

impl CardFilter {
    /// A filter from the command line's words: `search` is split on white
    /// space into words that must all occur; tags are compared in
    /// lowercase.
    pub fn new(
        tags: &[String],
        search: Option<&str>,
        states: &[StateFilter],
        leech: bool,
        marked: bool,
        due: bool,
    ) -> CardFilter {
        CardFilter {
            tags: tags.iter().map(|tag| tag.to_lowercase()).collect(),
            words: search
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_lowercase)
                .collect(),
            states: states.to_vec(),
            leech,
            marked,
            due,
        }
    }

    /// Whether the filter keeps every card.
    pub fn is_empty(&self) -> bool {
        *self == CardFilter::default()
    }

    /// Whether deciding needs the cards' answers (a text search does).
    pub fn needs_answers(&self) -> bool {
        !self.words.is_empty()
    }

    /// Whether the filter asks for suspended cards by name, which commands
    /// otherwise leave out of sessions.
    pub fn wants_suspended(&self) -> bool {
        self.states.contains(&StateFilter::Suspended)
    }

    /// The part of the filter the card's own text decides: its tags and
    /// the search words.
    pub fn admits_text(&self, card: &Card) -> bool {
        self.has_tag(card) && self.has_words(card)
    }

    fn has_tag(&self, card: &Card) -> bool {
        self.tags.is_empty()
            || card
                .tags
                .iter()
                .any(|tag| self.tags.iter().any(|wanted| tag.to_lowercase() == *wanted))
    }

    fn has_words(&self, card: &Card) -> bool {
        if self.words.is_empty() {
            return true;
        }
        let question = card.question.to_lowercase();
        let answer = card.answer.to_lowercase();
        self.words
            .iter()
            .all(|word| question.contains(word.as_str()) || answer.contains(word.as_str()))
    }

    /// Whether the filter keeps `card`, whose stored state is `stored`
    /// (none for a new card).
    pub fn admits(&self, card: &Card, stored: Option<&StoredCard>, context: &Context) -> bool {
        self.admits_text(card) && self.admits_state(&card.id, stored, context)
    }

    /// The part of the filter the card's state and flags decide.
    pub fn admits_state(&self, id: &str, stored: Option<&StoredCard>, context: &Context) -> bool {
        let buried = context.flags.buried_until(id, context.now).is_some();
        let suspended = context.flags.is_suspended(id);
        if self.marked && !context.flags.is_marked(id) {
            return false;
        }
        if self.leech && !stored.is_some_and(|stored| context.config.is_leech(stored.state.lapses))
        {
            return false;
        }
        if self.due
            && (buried
                || suspended
                || !stored.is_some_and(|stored| {
                    crate::schedule::is_due(&stored.state, context.now, context.clock)
                }))
        {
            return false;
        }
        if self.states.is_empty() {
            return true;
        }
        let phase = stored.map_or(Phase::New, |stored| stored.state.phase);
        self.states.iter().any(|state| match state {
            StateFilter::New => phase == Phase::New,
            StateFilter::Learning => matches!(phase, Phase::Learning | Phase::Relearning),
            StateFilter::Review => phase == Phase::Review,
            StateFilter::Buried => buried,
            StateFilter::Suspended => suspended,
        })
    }
}

/// The cards of `catalog` that `ids` name (ids or unique prefixes; every
/// card when there are none) and the filter keeps, in deck order. An id
/// that names no card is an error, as it is everywhere.
pub fn choose<'a>(
    catalog: &'a Catalog,
    ids: &[String],
    filter: &CardFilter,
    states: &HashMap<String, StoredCard>,
    context: &Context,
) -> anyhow::Result<Vec<Found<'a>>> {
    let keeps = |card: &Card| filter.admits(card, states.get(card.id.as_str()), context);
    if ids.is_empty() {
        return Ok(catalog
            .found_cards()
            .filter(|found| keeps(found.card))
            .collect());
    }
    let mut seen = HashSet::new();
    let mut chosen = Vec::new();
    for id in ids {
        let found = catalog.resolve(id)?;
        if seen.insert(found.card.id.as_str()) && keeps(found.card) {
            chosen.push(found);
        }
    }
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::CardState;
    use chrono::FixedOffset;
    use std::sync::Arc;

    fn card(question: &str, answer: &str, tags: &[&str]) -> Card {
        Card {
            id: "c1".into(),
            question: question.into(),
            answer: answer.into(),
            tags: tags.iter().map(|tag| tag.to_string()).collect(),
            source: None,
            reverse: None,
        }
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn stored(phase: Phase, due: &str, lapses: u32, buried: Option<&str>) -> StoredCard {
        // Burials are read from the flags; the stored one is the store's
        // own copy.
        StoredCard {
            deck: Arc::from("aws"),
            state: CardState {
                phase,
                step: 0,
                stability: 3.0,
                difficulty: 5.0,
                due: at(due),
                last_review: at("2026-11-20T10:00:00Z"),
                interval_days: 3,
                reps: 10,
                lapses,
            },
            buried_until: buried.map(at),
        }
    }

    fn check(filter: &CardFilter, card: &Card, stored: Option<&StoredCard>, flags: &Flags) -> bool {
        let config = Config::default();
        let context = Context {
            flags,
            now: at("2026-12-01T12:00:00Z"),
            clock: DayClock::new(FixedOffset::east_opt(0).unwrap(), 4),
            config: &config,
        };
        filter.admits(card, stored, &context)
    }

    #[test]
    fn every_search_word_must_occur_in_the_question_or_the_answer_in_any_case() {
        let dns = card("What does DNS do?", "Resolves *names* to addresses.", &[]);
        let flags = Flags::default();
        let search = |text: &str| CardFilter::new(&[], Some(text), &[], false, false, false);
        assert!(check(&search("dns"), &dns, None, &flags));
        assert!(check(&search("dns NAMES"), &dns, None, &flags));
        assert!(check(&search("  resolves   addr "), &dns, None, &flags));
        assert!(!check(&search("dns ports"), &dns, None, &flags));
        assert!(check(&search(""), &dns, None, &flags));
    }

    #[test]
    fn tags_are_any_of_in_any_case() {
        let tagged = card("q", "a", &["Networking", "aws"]);
        let flags = Flags::default();
        let tags = |tags: &[&str]| {
            let tags: Vec<String> = tags.iter().map(|tag| tag.to_string()).collect();
            CardFilter::new(&tags, None, &[], false, false, false)
        };
        assert!(check(&tags(&["networking"]), &tagged, None, &flags));
        assert!(check(&tags(&["gcp", "AWS"]), &tagged, None, &flags));
        assert!(!check(&tags(&["gcp"]), &tagged, None, &flags));
    }

    #[test]
    fn states_flags_leeches_and_due() {
        let c = card("q", "a", &[]);
        let mut flags = Flags::default();
        let by_state =
            |states: &[StateFilter]| CardFilter::new(&[], None, states, false, false, false);
        let review = stored(Phase::Review, "2026-12-01T10:00:00Z", 8, None);
        let learning = stored(Phase::Relearning, "2026-12-02T10:00:00Z", 0, None);
        let buried = stored(Phase::Review, "2026-12-01T10:00:00Z", 0, None);
        let mut buried_flags = Flags::default();
        buried_flags
            .buried
            .insert("c1".into(), at("2026-12-02T04:00:00Z"));
        assert!(check(&by_state(&[StateFilter::New]), &c, None, &flags));
        assert!(!check(
            &by_state(&[StateFilter::New]),
            &c,
            Some(&review),
            &flags
        ));
        assert!(check(
            &by_state(&[StateFilter::Review]),
            &c,
            Some(&review),
            &flags
        ));
        assert!(check(
            &by_state(&[StateFilter::Learning]),
            &c,
            Some(&learning),
            &flags
        ));
        assert!(check(
            &by_state(&[StateFilter::Buried]),
            &c,
            Some(&buried),
            &buried_flags
        ));
        assert!(check(
            &by_state(&[StateFilter::Buried]),
            &c,
            None,
            &buried_flags
        ));
        assert!(check(
            &by_state(&[StateFilter::New]),
            &c,
            None,
            &buried_flags
        ));
        assert!(!check(
            &by_state(&[StateFilter::Buried]),
            &c,
            Some(&review),
            &flags
        ));
        assert!(check(
            &by_state(&[StateFilter::New, StateFilter::Review]),
            &c,
            Some(&review),
            &flags
        ));

        let leech = CardFilter::new(&[], None, &[], true, false, false);
        assert!(check(&leech, &c, Some(&review), &flags));
        assert!(!check(&leech, &c, Some(&learning), &flags));
        assert!(!check(&leech, &c, None, &flags));

        let due = CardFilter::new(&[], None, &[], false, false, true);
        assert!(check(&due, &c, Some(&review), &flags));
        assert!(!check(&due, &c, Some(&learning), &flags));
        assert!(!check(&due, &c, Some(&buried), &buried_flags));
        assert!(!check(&due, &c, None, &flags));

        let marked = CardFilter::new(&[], None, &[], false, true, false);
        let suspended = by_state(&[StateFilter::Suspended]);
        assert!(!check(&marked, &c, None, &flags));
        assert!(!check(&suspended, &c, None, &flags));
        flags.marked.insert("c1".into());
        flags.suspended.insert(
            "c1".into(),
            crate::store::Suspension {
                since: at("2026-11-30T00:00:00Z"),
                reason: crate::store::SuspendReason::User,
            },
        );
        assert!(check(&marked, &c, None, &flags));
        assert!(check(&suspended, &c, None, &flags));
        // A suspended card is not due, whatever its date.
        assert!(!check(&due, &c, Some(&review), &flags));
    }
}
