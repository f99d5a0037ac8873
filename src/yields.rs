//! 对比分析法: effective annualised yield comparison of two products (issue 8, in progress).
