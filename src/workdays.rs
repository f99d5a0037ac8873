//! 工作日: weekends, statutory holidays and make-up working days (issue 8, in progress).
