//! 沙龙邀约: the 7-3-1 invitation call rounds (issue 8, in progress).
