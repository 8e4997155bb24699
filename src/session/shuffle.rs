//! Random orders: new cards in random order (`new_order: random`, `--order
//! random`) and shuffled cram sessions, drawn with `rand` from a seed.
//!
//! What comes next must be the same on every machine for the same inputs
//! (a test replays a session under `PREP_NOW`), so the generator is
//! ChaCha8 from `rand_chacha`, whose output that crate promises to keep
//! for a given seed, and never `rand`'s `StdRng` or thread generator,
//! whose streams may change between versions. Known outputs are pinned
//! below; a change of either crate that moves them fails the test.

use rand::{Rng as _, SeedableRng as _, seq::SliceRandom as _};
use rand_chacha::ChaCha8Rng;

/// The place of card `id` among the day's new cards: a number drawn for
/// the card from the day's seed. Each card keeps its place all day, so a
/// session started again picks up the same order, whichever cards were
/// introduced in between; the next day is shuffled afresh.
pub fn place_of_new_card(day: i64, id: &str) -> u64 {
    let seed = (day as u64) ^ crate::stable_hash::hash(id.as_bytes());
    ChaCha8Rng::seed_from_u64(seed).random()
}

/// `items` shuffled with the generator seeded by `seed`.
pub fn shuffle<T>(items: &mut [T], seed: u64) {
    items.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_are_pinned() {
        let mut items: Vec<u32> = (0..10).collect();
        shuffle(&mut items, 20_794);
        assert_eq!(items, PINNED_SHUFFLE);
        assert_eq!(place_of_new_card(20_794, "k8s-pod"), PINNED_PLACE);
        // Another day, another place.
        assert_ne!(place_of_new_card(20_795, "k8s-pod"), PINNED_PLACE);
    }

    const PINNED_SHUFFLE: [u32; 10] = [9, 7, 4, 0, 8, 3, 5, 1, 2, 6];
    const PINNED_PLACE: u64 = 17_609_362_093_726_139_352;
}
