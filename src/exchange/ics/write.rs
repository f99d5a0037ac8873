//! Reminders as iCalendar text. The `icalendar` crate writes each event: it escapes TEXT
//! (`\`, `,`, `;`, newlines) and folds lines at 75 octets without cutting a Chinese character.
//! Three things it does not do right are done here: the VTIMEZONE block (its time zone support
//! only writes `X-WR-TIMEZONE`); keeping the clock out of the file (it stamps any component
//! without a DTSTAMP, alarms included, with the time of writing); and folding so that no folded
//! line ends in a space. It means to fold before a space, but looks for the space by counting
//! characters where it counts bytes, so in Chinese text a line can end in one, and readers that
//! trim line ends when they unfold (the `ical` crate does) lose it: `提前 7 天` came back as
//! `提前 7天`. Lines are unfolded and folded again here, still at 75 octets and between
//! characters, with any space carried over to the next line.

use super::reminders::{Reminder, State, When};
use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc,
};
use chrono_tz::{OffsetName, Tz};
use icalendar::{
    Alarm, Calendar, CalendarDateTime, Component, EventLike, EventStatus, Property, Trigger,
};

/// The DTSTAMP of a reminder the book records no change for: fixed, so that an unchanged book
/// exports the same file byte for byte.
const UNCHANGED: &str = "20000101T000000Z";

/// What every UID ends with: the reminders are Rapport's.
pub const UID_DOMAIN: &str = "rapport";

/// How long before a timed reminder (a salon) its alarm goes off.
const TIMED_ALARM_MINUTES: i64 = 30;

/// How times are written: local times against our VTIMEZONE where the zone keeps one offset,
/// UTC where it changes (summer time), since a VTIMEZONE with rules of its own is not worth
/// the risk of getting one transition wrong.
enum Clock {
    /// One offset all year: `TZID=` times and a VTIMEZONE with that offset.
    Fixed {
        zone: Tz,
        offset_seconds: i32,
        abbreviation: String,
    },
    /// Summer time: UTC times.
    Utc(Tz),
}

impl Clock {
    fn of(zone: Tz, from: NaiveDate, to: NaiveDate) -> Clock {
        // Offsets in winter and summer of every year the window touches (and the ones beside).
        let mut seen = Vec::new();
        for year in from.year() - 1..=to.year() + 1 {
            for month in [1, 7] {
                let Some(day) = NaiveDate::from_ymd_opt(year, month, 1) else {
                    continue;
                };
                let offset = zone.offset_from_utc_datetime(&day.and_time(NaiveTime::MIN));
                seen.push((
                    offset.fix().local_minus_utc(),
                    offset.abbreviation().unwrap_or("").to_string(),
                ));
            }
        }
        seen.dedup();
        match seen.as_slice() {
            [(offset_seconds, abbreviation)] => Clock::Fixed {
                zone,
                offset_seconds: *offset_seconds,
                abbreviation: abbreviation.clone(),
            },
            _ => Clock::Utc(zone),
        }
    }

    fn zone(&self) -> Tz {
        match self {
            Clock::Fixed { zone, .. } | Clock::Utc(zone) => *zone,
        }
    }

    /// A local time as the file writes it.
    fn at(&self, local: NaiveDateTime) -> CalendarDateTime {
        match self {
            Clock::Fixed { zone, .. } => CalendarDateTime::WithTimezone {
                date_time: local,
                tzid: zone.name().to_string(),
            },
            Clock::Utc(zone) => CalendarDateTime::Utc(utc(*zone, local)),
        }
    }

    /// The VTIMEZONE block, or nothing for UTC times.
    fn vtimezone(&self) -> String {
        let Clock::Fixed {
            zone,
            offset_seconds,
            abbreviation,
        } = self
        else {
            return String::new();
        };
        let sign = if *offset_seconds < 0 { '-' } else { '+' };
        let minutes = offset_seconds.abs() / 60;
        let offset = format!("{sign}{:02}{:02}", minutes / 60, minutes % 60);
        let mut lines = vec![
            "BEGIN:VTIMEZONE".to_string(),
            format!("TZID:{}", zone.name()),
            "BEGIN:STANDARD".to_string(),
            "DTSTART:19700101T000000".to_string(),
            format!("TZOFFSETFROM:{offset}"),
            format!("TZOFFSETTO:{offset}"),
        ];
        if !abbreviation.is_empty() {
            lines.push(format!("TZNAME:{abbreviation}"));
        }
        lines.extend(["END:STANDARD".to_string(), "END:VTIMEZONE".to_string()]);
        lines.iter().map(|l| format!("{l}\r\n")).collect()
    }
}

/// A local time in `zone` as UTC; a time skipped by a summer-time change is read an hour later.
fn utc(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    zone.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
        })
        .map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
}

/// Text as iCalendar TEXT can carry it: line ends become `\n` (escaped by the writer), other
/// control characters, which TEXT does not allow, are left out.
pub(crate) fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

/// The whole calendar: the reminders of the window from `from` to `to`, times in `zone`, the
/// alarms of day reminders at `morning` on their day.
pub fn calendar_text(
    reminders: &[Reminder],
    zone: Tz,
    from: NaiveDate,
    to: NaiveDate,
    morning: NaiveTime,
) -> String {
    text_of(reminders, zone, from, to, morning, true)
}

/// One reminder as a CalDAV calendar object: the same event and time zone as in a file, without
/// the file's METHOD and calendar name, which RFC 4791 keeps out of a stored resource.
pub fn resource_text(r: &Reminder, zone: Tz, day: NaiveDate, morning: NaiveTime) -> String {
    text_of(std::slice::from_ref(r), zone, day, day, morning, false)
}

fn text_of(
    reminders: &[Reminder],
    zone: Tz,
    from: NaiveDate,
    to: NaiveDate,
    morning: NaiveTime,
    file: bool,
) -> String {
    let clock = Clock::of(zone, from, to);
    let mut head = Calendar::empty();
    head.append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", "-//Rapport//Rapport//ZH"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"));
    if file {
        head.append_property(Property::new("METHOD", "PUBLISH"))
            .append_property(Property::new("X-WR-CALNAME", "客户簿提醒"))
            .timezone(zone.name());
    }
    let head = head.to_string();
    let head = head.trim_end_matches("END:VCALENDAR\r\n");
    let mut out = String::from(head);
    out.push_str(&clock.vtimezone());
    for r in reminders {
        let text = without_alarm_stamps(&event(r, &clock, morning).to_string());
        for line in text.replace("\r\n ", "").split_terminator("\r\n") {
            fold(line, &mut out);
        }
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

/// The UID of a reminder: its stable key, and where it comes from.
pub fn uid(key: &str) -> String {
    format!("{key}@{UID_DOMAIN}")
}

fn event(r: &Reminder, clock: &Clock, morning: NaiveTime) -> icalendar::Event {
    let uid = uid(&r.key);
    let stamp = r.changed.map(|t| utc(clock.zone(), t));
    let mut e = icalendar::Event::new();
    e.uid(&uid);
    match stamp {
        Some(t) => e.timestamp(t),
        None => e.add_property("DTSTAMP", UNCHANGED),
    };
    let summary = match r.state {
        State::Open => clean(&r.summary),
        State::Done => format!("【已完成】{}", clean(&r.summary)),
        State::Cancelled => format!("【已取消】{}", clean(&r.summary)),
    };
    e.summary(&summary)
        .description(&clean(&r.description))
        .add_property("CATEGORIES", r.kind.category())
        .add_property("CLASS", "PRIVATE");
    if let Some(place) = &r.location {
        e.location(&clean(place));
    }
    // A changed state must win over the copy a calendar already holds.
    match r.state {
        State::Open => e.sequence(0).status(EventStatus::Confirmed),
        State::Done | State::Cancelled => e.sequence(1).status(EventStatus::Cancelled),
    };
    let trigger = match r.when {
        When::Day(day) => {
            e.starts(day).ends(day + Duration::days(1));
            // A reminder does not make the advisor busy all day.
            e.add_property("TRANSP", "TRANSPARENT");
            let since_midnight = morning - NaiveTime::MIN;
            duration_text(since_midnight)
        }
        When::Timed { start, end } => {
            e.starts(clock.at(start)).ends(clock.at(end));
            e.add_property("TRANSP", "OPAQUE");
            duration_text(-Duration::minutes(TIMED_ALARM_MINUTES))
        }
    };
    // Nothing to remind of once it is over: a calendar that updates the event drops the alarm.
    if r.state == State::Open {
        let mut alarm = Alarm::display(&summary, Trigger::after_start(Duration::zero()));
        alarm
            .add_property("TRIGGER", trigger)
            .add_property("UID", uid.replace('@', "/alarm@"));
        // The crate stamps an alarm with the clock unless it has a DTSTAMP; the one given here
        // is taken out again (VALARM has none) by `without_alarm_stamps`.
        alarm.add_property("DTSTAMP", UNCHANGED);
        e.alarm(alarm);
    }
    e.done()
}

/// `PT9H`, `-PT30M`: a duration as iCalendar writes it, to the minute.
fn duration_text(d: Duration) -> String {
    let sign = if d < Duration::zero() { "-" } else { "" };
    let minutes = d.num_minutes().abs();
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => format!("{sign}PT{m}M"),
        (h, 0) => format!("{sign}PT{h}H"),
        (h, m) => format!("{sign}PT{h}H{m}M"),
    }
}

/// Longest line, in octets, before the line break.
const LINE_OCTETS: usize = 75;

/// One content line, folded: at most 75 octets a line, never inside a character, and a line
/// never ends in a space or tab (unless it is nothing but those).
fn fold(line: &str, out: &mut String) {
    let mut rest = line;
    // The first line has 75 octets; the next ones start with the folding space.
    let mut room = LINE_OCTETS;
    while rest.len() > room {
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let kept = rest[..cut].trim_end_matches([' ', '\t']).len();
        if kept > 0 {
            cut = kept;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        room = LINE_OCTETS - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// The event's text without the DTSTAMP lines inside its VALARM.
fn without_alarm_stamps(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_alarm = false;
    for line in text.split_inclusive("\r\n") {
        match line.trim_end() {
            "BEGIN:VALARM" => in_alarm = true,
            "END:VALARM" => in_alarm = false,
            l if in_alarm && l.starts_with("DTSTAMP:") => continue,
            _ => {}
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_lines_keep_to_75_octets_and_never_end_in_a_space() {
        let line = format!(
            "SUMMARY:{}",
            "沙龙邀约电话：宋磊「养老社区参观」（提前 7 天）".repeat(4)
        );
        let mut out = String::new();
        fold(&line, &mut out);
        for l in out.split_terminator("\r\n") {
            assert!(l.len() <= 75, "{l}");
            assert!(!l.ends_with(' '), "{l:?}");
        }
        assert_eq!(out.trim_end().replace("\r\n ", ""), line);
    }

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(duration_text(Duration::hours(9)), "PT9H");
        assert_eq!(duration_text(Duration::minutes(8 * 60 + 30)), "PT8H30M");
        assert_eq!(duration_text(-Duration::minutes(30)), "-PT30M");
        assert_eq!(duration_text(Duration::zero()), "PT0M");
    }

    #[test]
    fn beijing_keeps_one_offset_and_new_york_does_not() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let shanghai = Clock::of(chrono_tz::Asia::Shanghai, d(2026, 12, 1), d(2027, 1, 29));
        let block = shanghai.vtimezone();
        assert!(block.contains("TZID:Asia/Shanghai\r\n"), "{block}");
        assert!(block.contains("TZOFFSETTO:+0800\r\n"), "{block}");
        assert!(block.contains("TZNAME:CST\r\n"), "{block}");
        let ny = Clock::of(chrono_tz::America::New_York, d(2026, 12, 1), d(2027, 1, 29));
        assert!(ny.vtimezone().is_empty());
        let at = d(2026, 7, 1).and_hms_opt(14, 0, 0).unwrap();
        assert_eq!(
            ny.at(at),
            CalendarDateTime::Utc(d(2026, 7, 1).and_hms_opt(18, 0, 0).unwrap().and_utc())
        );
        let kolkata = Clock::of(chrono_tz::Asia::Kolkata, d(2026, 12, 1), d(2027, 1, 29));
        assert!(kolkata.vtimezone().contains("TZOFFSETFROM:+0530\r\n"));
    }

    #[test]
    fn control_characters_are_left_out_and_line_ends_become_newlines() {
        assert_eq!(clean("a\r\nb\rc\u{7}d\te"), "a\nb\ncd\te");
    }
}
