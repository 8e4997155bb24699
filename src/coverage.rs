//! Placeholder until the coverage module lands.
use crate::schedule::Grade;
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointKind {
    Heading,
    Term,
    Code,
    ListHead,
    Salient,
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPoint {
    pub text: String,
    pub kind: PointKind,
}
#[derive(Debug, Clone, PartialEq)]
pub struct PointResult {
    pub point: KeyPoint,
    pub covered: bool,
}
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub points: Vec<PointResult>,
    pub covered: usize,
    pub total: usize,
    pub suggested: Option<Grade>,
}
pub fn assess(_answer: &str, _typed: &str) -> Assessment {
    Assessment {
        points: Vec::new(),
        covered: 0,
        total: 0,
        suggested: None,
    }
}
