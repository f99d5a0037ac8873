//! 联系频率: who is due for contact by tier cadence (issue 8, in progress).
