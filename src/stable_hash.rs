//! The one hash of stored and replayed values: card ids, the fingerprints
//! of an import record, and the interval fuzz's random factor. Each must
//! come out the same on every machine and with every build of prep, for
//! ever (another machine replaying the same reviews must reach the same
//! states), so it is XXH3-64, a specified algorithm, and never the
//! standard library's hasher or a random generator whose stream its crate
//! may change between versions. Tests pin known outputs.

use xxhash_rust::xxh3::xxh3_64;

/// XXH3-64 of `bytes`.
pub fn hash(bytes: &[u8]) -> u64 {
    xxh3_64(bytes)
}

/// A number in [0, 1) drawn from `bytes`: the top 24 bits of their hash,
/// which an `f32` holds exactly.
pub fn unit_interval(bytes: &[u8]) -> f32 {
    (hash(bytes) >> 40) as f32 / (1u64 << 24) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_are_pinned() {
        assert_eq!(hash(b""), 0x2d06_8005_38d3_94c2);
        assert_eq!(hash(b"What is a pod?"), 0x678d_fb77_eb5f_fc0a);
        assert_eq!(unit_interval(b""), 0x2d_0680 as f32 / 16_777_216.0);
        for n in 0..1000u32 {
            let x = unit_interval(&n.to_le_bytes());
            assert!((0.0..1.0).contains(&x));
        }
    }
}
