//! 礼品: checks on a planned gift (repeats, personal and common taboos) (issue 8, in progress).
