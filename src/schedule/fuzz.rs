//! Interval fuzz, as Anki applies it: a review interval moves by a few
//! percent (more for short intervals, less for long ones) so that cards
//! learned together drift apart instead of coming due in clumps forever;
//! learning steps get a little extra delay for the same reason.
//!
//! The random factor is drawn from the card id and its review count by the
//! [stable hash](crate::stable_hash), so a card's next interval is the same
//! whether it is previewed (the quiz shows each button's interval) or
//! answered, on every machine that replays the same reviews, and tests
//! reproduce.

/// Anki's fuzz ranges: below 2.5 days there is no fuzz; each range adds
/// `factor` times the part of the interval inside it to a base of one day.
const FUZZ_RANGES: [(f32, f32, f32); 3] =
    [(2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, f32::MAX, 0.05)];

/// A factor in [0, 1) that stands for one review of one card.
pub fn factor(card_id: &str, reps: u32) -> f32 {
    let mut bytes = Vec::with_capacity(card_id.len() + 5);
    bytes.extend_from_slice(card_id.as_bytes());
    // A separator no id holds, so ("a1", 2) and ("a", 12) cannot meet.
    bytes.push(0);
    bytes.extend_from_slice(&reps.to_le_bytes());
    crate::stable_hash::unit_interval(&bytes)
}

fn delta(interval: f32) -> f32 {
    if interval < 2.5 {
        return 0.0;
    }
    FUZZ_RANGES
        .iter()
        .fold(1.0, |delta, &(start, end, factor)| {
            delta + factor * (interval.min(end) - start).max(0.0)
        })
}

/// The whole-day range an interval may be fuzzed into, kept within
/// `minimum..=maximum` (Anki's `constrained_fuzz_bounds`).
pub fn bounds(interval: f32, minimum: u32, maximum: u32) -> (u32, u32) {
    let minimum = minimum.min(maximum);
    let interval = interval.clamp(minimum as f32, maximum as f32);
    let delta = delta(interval);
    let mut lower = ((interval - delta).round() as u32).clamp(minimum, maximum);
    let upper = ((interval + delta).round() as u32).clamp(minimum, maximum);
    let mut upper = upper.max(lower);
    if upper == lower && upper > 2 && upper < maximum {
        upper = lower + 1;
    }
    lower = lower.min(upper);
    (lower, upper)
}

/// A review interval in whole days: fuzzed when `factor` is given, else
/// rounded; always within `minimum..=maximum` (Anki's `with_review_fuzz`,
/// with a minimum of at least one day as Anki's callers give it).
pub fn review_interval(interval: f32, minimum: u32, maximum: u32, factor: Option<f32>) -> u32 {
    let maximum = maximum.max(1);
    let minimum = minimum.clamp(1, maximum);
    let interval = if interval.is_finite() {
        interval
    } else {
        maximum as f32
    };
    match factor {
        Some(factor) => {
            let (lower, upper) = bounds(interval, minimum, maximum);
            let span = (1 + upper - lower) as f32;
            // Anki adds in floats and floors the sum; `min` only guards a
            // factor of 1.0, which the hash never draws.
            ((lower as f32 + factor * span).floor() as u32).min(upper)
        }
        None => (interval.round().max(0.0) as u32).clamp(minimum, maximum),
    }
}

/// The least a review card's passing interval may be, given the interval
/// it was last scheduled for (Anki's `minimum_review_fuzz_interval`): a
/// day more when FSRS's interval grew past it, the same when FSRS's
/// interval did not grow but the previous one is still within its fuzz
/// range (fuzz must not shorten it), and no floor when the interval
/// shrank further than fuzz reaches (parameters or retention changed).
pub fn previous_interval_floor(interval: f32, previous: u32, maximum: u32) -> u32 {
    let rounded = if interval.is_finite() {
        interval.round().max(0.0) as u32
    } else {
        maximum
    };
    let (_, upper) = bounds(interval, 1, maximum);
    if rounded > previous {
        previous + 1
    } else if previous <= upper {
        previous
    } else {
        0
    }
}

/// A learning step delay in seconds, with up to a quarter (at most five
/// minutes) added when `factor` is given.
pub fn learning_delay(seconds: u32, factor: Option<f32>) -> u32 {
    match factor {
        Some(factor) => {
            let extra = ((seconds as f32) * 0.25).min(300.0).floor() as u32;
            seconds + (factor * extra as f32).floor() as u32
        }
        None => seconds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_follow_ankis_ranges() {
        // Below 2.5 days nothing moves.
        assert_eq!(bounds(2.0, 1, 36500), (2, 2));
        // 10 days: delta = 1 + 0.15 * 4.5 + 0.1 * 3 = 1.975.
        assert_eq!(bounds(10.0, 1, 36500), (8, 12));
        // 100 days: delta = 1 + 0.675 + 1.3 + 0.05 * 80 = 6.975.
        assert_eq!(bounds(100.0, 1, 36500), (93, 107));
        // The maximum is never passed.
        assert_eq!(bounds(36500.0, 1, 36500).1, 36500);
        // An interval that rounds to a single day above 2 gets a second choice.
        assert_eq!(bounds(3.0, 3, 36500), (3, 4));
    }

    #[test]
    fn fuzzed_intervals_stay_in_bounds_and_spread() {
        let mut seen = std::collections::BTreeSet::new();
        for reps in 0..200 {
            let f = factor("a1b2c3", reps);
            assert!((0.0..1.0).contains(&f));
            let days = review_interval(30.0, 1, 36500, Some(f));
            let (lower, upper) = bounds(30.0, 1, 36500);
            assert!((lower..=upper).contains(&days), "{days}");
            seen.insert(days);
        }
        assert!(seen.len() > 3, "fuzz should spread intervals: {seen:?}");
    }

    /// The factor decides stored due dates: these are its values for ever.
    #[test]
    fn the_factor_is_pinned() {
        assert_eq!(factor("card", 3), 0.977_758_2);
        assert_eq!(factor("a1b2c3", 0), 0.343_380_15);
        assert_eq!(factor("286a7febcdbc", 7), 0.307_530_28);
        assert_ne!(factor("card", 3), factor("card", 4));
    }

    /// Anki's own cases for `with_review_fuzz` (rslib
    /// scheduler/states/fuzz.rs), factors 0.0, 0.5 and 0.99.
    #[test]
    fn review_intervals_fuzz_as_anki_does() {
        let cases: [(f32, u32, u32, [u32; 3]); 13] = [
            (2.5, 1, 1000, [2, 3, 4]),
            (7.0, 1, 1000, [5, 7, 9]),
            (17.0, 1, 1000, [14, 17, 20]),
            (37.0, 1, 1000, [33, 37, 41]),
            (2.0, 2, 1000, [2, 2, 2]),
            (2.0, 3, 1000, [3, 4, 4]),
            (2.0, 3, 3, [3, 3, 3]),
            (6.9, 3, 1000, [5, 7, 9]),
            (19.9, 3, 1000, [17, 20, 23]),
            (20.1, 3, 1000, [17, 20, 23]),
            (100.0, 101, 1000, [101, 105, 108]),
            (100.0, 1, 99, [92, 96, 99]),
            (100.0, 97, 103, [97, 100, 103]),
        ];
        for (interval, minimum, maximum, want) in cases {
            let got = [0.0, 0.5, 0.99]
                .map(|factor| review_interval(interval, minimum, maximum, Some(factor)));
            assert_eq!(got, want, "{interval} in {minimum}..={maximum}");
        }
        assert_eq!(review_interval(1.5, 1, 100, None), 2);
        assert_eq!(review_interval(0.1, 1, 100, None), 1);
        assert_eq!(review_interval(101.0, 1, 100, None), 100);
    }

    /// Anki's cases for `minimum_review_fuzz_interval`.
    #[test]
    fn the_previous_interval_floor_is_ankis() {
        // FSRS's interval did not grow, the previous one is in its range.
        assert_eq!(previous_interval_floor(2.726_948_3, 4, 36500), 4);
        // It shrank beyond its fuzz range: no floor.
        assert_eq!(previous_interval_floor(2.726_948_3, 5, 36500), 0);
        // It grew: a day more than before.
        assert_eq!(previous_interval_floor(4.591_988, 4, 36500), 5);
    }

    #[test]
    fn learning_delays_gain_at_most_a_quarter_or_five_minutes() {
        assert_eq!(learning_delay(600, None), 600);
        assert!((600..750).contains(&learning_delay(600, Some(0.99))));
        assert!((3600..3900).contains(&learning_delay(3600, Some(0.99))));
    }
}
