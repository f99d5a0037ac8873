//! 节日: traditional and solar festivals of a year, and who each greeting suits (issue 8, in progress).
