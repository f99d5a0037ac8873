//! 7-3-1 邀约 scenarios rebuilt on pinned dates.

use chrono::{NaiveDate, NaiveDateTime};
use rapport::rules::invitations::*;
use rapport::rules::workdays::WorkCalendar;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}
fn at(day: NaiveDate, h: u32) -> NaiveDateTime {
    day.and_hms_opt(h, 0, 0).unwrap()
}
fn inv(id: &str, added: NaiveDate) -> Invitee {
    Invitee {
        id: id.into(),
        added_on: added,
    }
}
fn rec(id: &str, on: NaiveDate, response: Response) -> CallRecord {
    CallRecord {
        call_id: id.into(),
        done_on: on,
        response,
    }
}
fn event(start: NaiveDate, capacity: Option<u32>) -> Event {
    Event {
        id: "E1".into(),
        start: at(start, 14),
        capacity,
    }
}
fn ids(calls: &[&PlannedCall]) -> Vec<String> {
    calls.iter().map(|c| c.id.clone()).collect()
}
fn call<'a>(p: &'a Plan, id: &str) -> &'a PlannedCall {
    p.calls.iter().find(|c| c.id == id).unwrap()
}

// Event Friday 2025-06-20: rounds Fri 06-13, Tue 06-17, Thu 06-19.
fn invitees() -> Vec<Invitee> {
    vec![
        inv("a", d(2025, 6, 1)),
        inv("b", d(2025, 6, 1)),
        inv("c", d(2025, 6, 15)),
        inv("d", d(2025, 6, 19)),
    ]
}

#[test]
fn rounds_late_invitees_and_stable_ids() {
    let cal = WorkCalendar::new();
    let s = InviteSettings::default();
    let ev = event(d(2025, 6, 20), None);
    let p = plan(&ev, &invitees(), &[], at(d(2025, 6, 13), 9), &s, &cal).unwrap();
    assert_eq!(ids(&p.due_on(d(2025, 6, 13))), ["E1/a/r7", "E1/b/r7"]);
    assert_eq!(call(&p, "E1/a/r3").due, d(2025, 6, 17));
    assert_eq!(call(&p, "E1/a/r1").due, d(2025, 6, 19));
    // c was added on 06-15: only rounds 3 and 1; d on 06-19: only round 1.
    assert_eq!(
        call(&p, "E1/c/r7").state,
        CallState::Skipped {
            reason: SkipReason::AddedLater
        }
    );
    assert_eq!(call(&p, "E1/c/r3").state, CallState::Pending);
    assert_eq!(
        call(&p, "E1/d/r3").state,
        CallState::Skipped {
            reason: SkipReason::AddedLater
        }
    );
    assert_eq!(call(&p, "E1/d/r1").state, CallState::Pending);
    // Recomputing at another moment gives the same ids.
    let again = plan(&ev, &invitees(), &[], at(d(2025, 6, 18), 9), &s, &cal).unwrap();
    let a: Vec<_> = p.calls.iter().map(|c| &c.id).collect();
    let b: Vec<_> = again.calls.iter().map(|c| &c.id).collect();
    assert_eq!(a, b);
    assert_eq!(call_id("E1", "a", Round::Three), "E1/a/r3");
}

#[test]
fn declined_stops_confirmed_gets_a_reminder() {
    let cal = WorkCalendar::new();
    let s = InviteSettings::default();
    let ev = event(d(2025, 6, 20), None);
    let records = [
        rec("E1/a/r7", d(2025, 6, 13), Response::Declined),
        rec("E1/b/r7", d(2025, 6, 13), Response::Confirmed),
    ];
    let p = plan(&ev, &invitees(), &records, at(d(2025, 6, 17), 9), &s, &cal).unwrap();
    assert_eq!(ids(&p.due_on(d(2025, 6, 17))), ["E1/c/r3"]);
    assert_eq!(
        call(&p, "E1/a/r3").state,
        CallState::Skipped {
            reason: SkipReason::Declined
        }
    );
    assert_eq!(
        call(&p, "E1/a/r1").state,
        CallState::Skipped {
            reason: SkipReason::Declined
        }
    );
    assert_eq!(
        call(&p, "E1/b/r3").state,
        CallState::Skipped {
            reason: SkipReason::Confirmed
        }
    );
    let b1 = call(&p, "E1/b/r1");
    assert_eq!(
        (b1.kind, b1.state),
        (CallKind::Reminder, CallState::Pending)
    );
    assert_eq!(p.confirmed, 1);
    let p = plan(&ev, &invitees(), &records, at(d(2025, 6, 19), 9), &s, &cal).unwrap();
    let due: Vec<_> = p
        .due_on(d(2025, 6, 19))
        .iter()
        .map(|c| (c.id.clone(), c.kind))
        .collect();
    assert_eq!(
        due,
        [
            ("E1/b/r1".into(), CallKind::Reminder),
            ("E1/c/r1".into(), CallKind::Invite),
            ("E1/d/r1".into(), CallKind::Invite)
        ]
    );
}

#[test]
fn missed_rounds_give_way_to_the_next_and_event_start_ends_all() {
    let cal = WorkCalendar::new();
    let s = InviteSettings::default();
    let ev = event(d(2025, 6, 20), None);
    // Nobody called on 06-13; on 06-15 the round-7 calls are overdue but still worth making.
    let p = plan(&ev, &invitees(), &[], at(d(2025, 6, 15), 9), &s, &cal).unwrap();
    assert_eq!(ids(&p.due_on(d(2025, 6, 15))), ["E1/a/r7", "E1/b/r7"]);
    // On 06-18 round 3 is due: round 7 is missed, round 3 overdue.
    let p = plan(&ev, &invitees(), &[], at(d(2025, 6, 18), 9), &s, &cal).unwrap();
    assert_eq!(call(&p, "E1/a/r7").state, CallState::Missed);
    assert_eq!(
        ids(&p.due_on(d(2025, 6, 18))),
        ["E1/a/r3", "E1/b/r3", "E1/c/r3"]
    );
    let p = plan(&ev, &invitees(), &[], at(d(2025, 6, 20), 15), &s, &cal).unwrap();
    assert!(p.due_on(d(2025, 6, 20)).is_empty());
}

#[test]
fn moving_the_event_moves_future_rounds_and_keeps_done_calls() {
    let cal = WorkCalendar::new();
    let s = InviteSettings::default();
    let records = [
        rec("E1/a/r7", d(2025, 6, 13), Response::Tentative),
        rec("E1/b/r7", d(2025, 6, 13), Response::Confirmed),
    ];
    let moved = event(d(2025, 6, 27), None);
    let p = plan(
        &moved,
        &invitees(),
        &records,
        at(d(2025, 6, 17), 9),
        &s,
        &cal,
    )
    .unwrap();
    let a7 = call(&p, "E1/a/r7");
    assert_eq!(
        a7.state,
        CallState::Done {
            on: d(2025, 6, 13),
            response: Response::Tentative
        }
    );
    assert_eq!(call(&p, "E1/a/r3").due, d(2025, 6, 24));
    assert_eq!(call(&p, "E1/b/r1").due, d(2025, 6, 26));
    assert_eq!(call(&p, "E1/b/r1").kind, CallKind::Reminder);
    // c, added 06-15, now gets round 7 too (06-20 is after it joined).
    assert_eq!(call(&p, "E1/c/r7").state, CallState::Pending);
    assert!(p.due_on(d(2025, 6, 17)).is_empty());
}

#[test]
fn capacity_warnings_and_no_round_left() {
    let cal = WorkCalendar::new();
    let s = InviteSettings::default();
    let mut people = invitees();
    people.push(inv("e", d(2025, 6, 20)));
    let records = [
        rec("E1/a/r7", d(2025, 6, 13), Response::Confirmed),
        rec("E1/b/r7", d(2025, 6, 13), Response::Confirmed),
    ];
    let p = plan(
        &event(d(2025, 6, 20), Some(1)),
        &people,
        &records,
        at(d(2025, 6, 14), 9),
        &s,
        &cal,
    )
    .unwrap();
    assert!(p.warnings.contains(&InviteWarning::OverCapacity {
        confirmed: 2,
        capacity: 1
    }));
    assert!(p.warnings.contains(&InviteWarning::NoRoundLeft {
        invitee_id: "e".into()
    }));
    let p = plan(
        &event(d(2025, 6, 20), Some(2)),
        &people,
        &records,
        at(d(2025, 6, 14), 9),
        &s,
        &cal,
    )
    .unwrap();
    assert!(p
        .warnings
        .iter()
        .any(|w| matches!(w, InviteWarning::Full { capacity: 2, .. })));
    let stray = [rec("E1/zz/r7", d(2025, 6, 13), Response::Confirmed)];
    let p = plan(
        &event(d(2025, 6, 20), None),
        &people,
        &stray,
        at(d(2025, 6, 14), 9),
        &s,
        &cal,
    )
    .unwrap();
    assert!(p.warnings.contains(&InviteWarning::UnknownRecord {
        call_id: "E1/zz/r7".into()
    }));
    let dup = [inv("a", d(2025, 6, 1)), inv("a", d(2025, 6, 2))];
    assert!(plan(
        &event(d(2025, 6, 20), None),
        &dup,
        &[],
        at(d(2025, 6, 14), 9),
        &s,
        &cal
    )
    .is_err());
}

#[test]
fn shifting_calls_off_non_working_days() {
    let cal = WorkCalendar::new();
    let shift = InviteSettings {
        avoid_non_working_days: true,
    };
    let people = [inv("a", d(2025, 6, 1))];
    // Monday 2025-06-23: round 1 falls on Sunday 06-22, moves to Friday 06-20 = round 3's day.
    let ev = event(d(2025, 6, 23), None);
    let p = plan(
        &ev,
        &people,
        &[],
        at(d(2025, 6, 10), 9),
        &InviteSettings::default(),
        &cal,
    )
    .unwrap();
    assert_eq!(call(&p, "E1/a/r1").due, d(2025, 6, 22));
    let p = plan(&ev, &people, &[], at(d(2025, 6, 10), 9), &shift, &cal).unwrap();
    assert_eq!(call(&p, "E1/a/r7").due, d(2025, 6, 16));
    assert_eq!(call(&p, "E1/a/r3").due, d(2025, 6, 20));
    assert_eq!(
        call(&p, "E1/a/r1").state,
        CallState::Skipped {
            reason: SkipReason::SameDayAsEarlierRound
        }
    );
    // Thursday 2025-10-09 after 国庆 (10-01..08 off): every round lands on Tue 09-30.
    let ev = event(d(2025, 10, 9), None);
    let p = plan(&ev, &people, &[], at(d(2025, 9, 1), 9), &shift, &cal).unwrap();
    assert_eq!(call(&p, "E1/a/r7").due, d(2025, 9, 30));
    assert_eq!(call(&p, "E1/a/r7").state, CallState::Pending);
    assert!(matches!(
        call(&p, "E1/a/r3").state,
        CallState::Skipped { .. }
    ));
}

#[test]
fn a_round_skipped_because_a_later_one_was_made_is_missed_not_pending() {
    let cal = WorkCalendar::new();
    let s = InviteSettings::default();
    let ev = event(d(2025, 6, 20), None);
    // The 7-day call was never recorded, but the advisor reached "a" in the 3-day round.
    let made = [rec("E1/a/r3", d(2025, 6, 17), Response::Tentative)];
    let p = plan(&ev, &invitees(), &made, at(d(2025, 6, 17), 18), &s, &cal).unwrap();
    assert_eq!(call(&p, "E1/a/r7").state, CallState::Missed);
    assert!(!ids(&p.due_on(d(2025, 6, 17))).contains(&"E1/a/r7".to_string()));
    // "b" was reached by nobody: its 7-day call is missed too, its 3-day call still due today.
    assert_eq!(call(&p, "E1/b/r7").state, CallState::Missed);
    assert!(ids(&p.due_on(d(2025, 6, 17))).contains(&"E1/b/r3".to_string()));
}

#[test]
fn a_guest_added_during_national_day_keeps_the_rounds_ahead() {
    // 国庆 2025: 10-01..10-08 off. Salon Thursday 10-09, guest added Friday 10-03: round 7
    // (10-02) was before they joined; rounds 3 (10-06) and 1 (10-08) are holidays.
    let cal = WorkCalendar::new();
    let ev = event(d(2025, 10, 9), None);
    let people = [inv("late", d(2025, 10, 3))];
    let now = at(d(2025, 10, 3), 10);
    let rounds = |p: &Plan| -> Vec<(NaiveDate, CallState)> {
        p.calls.iter().map(|c| (c.due, c.state)).collect()
    };
    let expected = vec![
        (
            d(2025, 10, 2),
            CallState::Skipped {
                reason: SkipReason::AddedLater,
            },
        ),
        (d(2025, 10, 6), CallState::Pending),
        (d(2025, 10, 8), CallState::Pending),
    ];

    let off = plan(&ev, &people, &[], now, &InviteSettings::default(), &cal).unwrap();
    assert_eq!(rounds(&off), expected);
    assert!(off.warnings.is_empty(), "{:?}", off.warnings);

    // With the setting on, no working day is left between 10-03 and the salon: the calls
    // stay on their days (they used to move to 09-30, before the guest joined, and vanish).
    let avoid = InviteSettings {
        avoid_non_working_days: true,
    };
    let on = plan(&ev, &people, &[], now, &avoid, &cal).unwrap();
    assert_eq!(rounds(&on), expected);
    assert_eq!(
        on.warnings,
        [
            InviteWarning::NonWorkingDay {
                call_id: "E1/late/r3".into(),
                due: d(2025, 10, 6)
            },
            InviteWarning::NonWorkingDay {
                call_id: "E1/late/r1".into(),
                due: d(2025, 10, 8)
            },
        ]
    );
    assert_eq!(ids(&on.due_on(d(2025, 10, 6))), ["E1/late/r3"]);

    // Added on Tuesday 09-30, the last working day before the holiday: one call that day
    // covers every round, as for a guest on the list all along.
    let early = [inv("early", d(2025, 9, 30))];
    let p = plan(&ev, &early, &[], at(d(2025, 9, 30), 9), &avoid, &cal).unwrap();
    assert_eq!(call(&p, "E1/early/r7").due, d(2025, 9, 30));
    assert_eq!(call(&p, "E1/early/r7").state, CallState::Pending);
    for r in ["E1/early/r3", "E1/early/r1"] {
        assert_eq!(
            call(&p, r).state,
            CallState::Skipped {
                reason: SkipReason::SameDayAsEarlierRound
            }
        );
    }
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn a_make_up_working_sunday_keeps_its_call() {
    // Sunday 2025-09-28 was a working day (调休 for 国庆). Salon Monday 09-29: round 1 falls
    // on that Sunday and stays there; it is not moved to Friday 09-26 (round 3's day) and
    // dropped.
    let cal = WorkCalendar::new();
    let avoid = InviteSettings {
        avoid_non_working_days: true,
    };
    let ev = event(d(2025, 9, 29), None);
    let people = [inv("a", d(2025, 9, 1))];
    let p = plan(&ev, &people, &[], at(d(2025, 9, 20), 9), &avoid, &cal).unwrap();
    let dues: Vec<_> = p.calls.iter().map(|c| (c.id.as_str(), c.due)).collect();
    assert_eq!(
        dues,
        [
            ("E1/a/r7", d(2025, 9, 22)),
            ("E1/a/r3", d(2025, 9, 26)),
            ("E1/a/r1", d(2025, 9, 28)),
        ]
    );
    assert!(p.calls.iter().all(|c| c.state == CallState::Pending));
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}
