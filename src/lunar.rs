//! 农历: lunar calendar conversion 1901–2100 (issue 8, in progress).
