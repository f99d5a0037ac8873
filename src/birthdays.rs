//! 生日: next concrete birthday dates, solar and lunar, and ages (issue 8, in progress).
