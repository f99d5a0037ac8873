//! 12421 分级: client score and A–E grades, tier from AUM thresholds (issue 8, in progress).
