//! The petition clocks against the county's calendar, with a clock that the
//! test moves day by day: a period ending inside 国庆 ends after it, a
//! make-up Saturday is a working day, and the 5-working-day objection window
//! skips the holiday.

use time::macros::datetime;

use super::petition::{Category, Event, Lifecycle, Status};
use crate::clock::{Clock, ManualClock};
use crate::error::CoreError;
use crate::inspection::workdays::Calendar;
use crate::settings::{Settings, HOLIDAYS, WORKDAYS};
use crate::usecases::rounds::plan::today;

const DAY_MS: i64 = 86_400_000;

/// 国庆 2026 as test data (not the official notice): 1–7 October off,
/// Sunday 27 September and Saturday 10 October worked — read through the
/// settings, as the use cases read it.
fn county_calendar() -> Calendar {
    let mut stored = std::collections::BTreeMap::new();
    stored.insert(
        HOLIDAYS.to_owned(),
        "2026-10-01 国庆节\n2026-10-02\n2026-10-03\n2026-10-04\n2026-10-05\n2026-10-06\n2026-10-07"
            .to_owned(),
    );
    stored.insert(
        WORKDAYS.to_owned(),
        "2026-09-27 调休\n2026-10-10 调休".to_owned(),
    );
    Settings::from_stored(stored).calendar()
}

/// A clock at 09:00 Beijing time on 20 September 2026.
fn clock() -> ManualClock {
    ManualClock::new(datetime!(2026-09-20 09:00 +8).unix_timestamp() * 1000)
}

fn step(l: &mut Lifecycle, e: Event, c: &dyn Clock, cal: &Calendar) -> Result<(), CoreError> {
    l.apply(e, &today(c), "信访办", cal)
}

#[test]
fn a_deadline_crossing_guoqing_lands_after_the_holiday() {
    let cal = county_calendar();
    let c = clock();
    let l = Lifecycle::new(Category::Appeal, &today(&c));
    assert_eq!(today(&c), "2026-09-20");
    // 15 days end on Monday 5 October, inside the holiday: the first
    // working day after it is Thursday 8 October.
    assert_eq!(l.due(&cal).map(|d| d.date).as_deref(), Some("2026-10-08"));
    assert_eq!(
        l.due(&Calendar::weekends_only()).map(|d| d.date).as_deref(),
        Some("2026-10-05"),
        "without the county's holidays"
    );
}

#[test]
fn a_make_up_saturday_counts_as_a_working_day() {
    let cal = county_calendar();
    let c = clock();
    let mut l = Lifecycle::new(Category::Suggestion, &today(&c));
    c.advance_ms(5 * DAY_MS); // Friday 25 September
    step(&mut l, Event::Forward("县住建局".into()), &c, &cal).unwrap();
    // Acceptance within 15 days ends on Saturday 10 October, a make-up
    // working day, so it stays there; a plain Saturday would move.
    assert_eq!(l.due(&cal).map(|d| d.date).as_deref(), Some("2026-10-10"));
    assert_eq!(
        l.due(&Calendar::weekends_only()).map(|d| d.date).as_deref(),
        Some("2026-10-12")
    );

    // Forwarded on Thursday 8 October: the five working days are 9, 10
    // (the make-up Saturday), 12, 13 and 14 October.
    let mut late = Lifecycle::new(Category::Suggestion, "2026-10-08");
    let at = ManualClock::new(datetime!(2026-10-08 09:00 +8).unix_timestamp() * 1000);
    step(&mut late, Event::Forward("县民政局".into()), &at, &cal).unwrap();
    let mut in_time = late.clone();
    at.advance_ms(6 * DAY_MS); // Wednesday 14 October
    step(
        &mut in_time,
        Event::Object("不属本部门职责".into()),
        &at,
        &cal,
    )
    .unwrap();
    assert_eq!(in_time.status, Status::Registered);
    at.advance_ms(DAY_MS); // Thursday 15 October
    match step(&mut late, Event::Object("不属本部门职责".into()), &at, &cal) {
        Err(CoreError::Invalid(v)) => {
            assert!(v[0].message.contains("2026-10-14"), "{}", v[0].message)
        }
        other => panic!("{other:?}"),
    }
    let mut weekends = Lifecycle::new(Category::Suggestion, "2026-10-08");
    weekends
        .apply(
            Event::Forward("县民政局".into()),
            "2026-10-08",
            "信访办",
            &Calendar::weekends_only(),
        )
        .unwrap();
    assert!(
        weekends
            .apply(
                Event::Object("不属本部门职责".into()),
                "2026-10-15",
                "信访办",
                &Calendar::weekends_only(),
            )
            .is_ok(),
        "without the make-up Saturday the window runs a day longer"
    );
}

#[test]
fn the_objection_window_skips_the_holiday() {
    let cal = county_calendar();
    let c = clock();
    let mut l = Lifecycle::new(Category::Appeal, &today(&c));
    c.advance_ms(5 * DAY_MS); // Friday 25 September
    step(&mut l, Event::Forward("青石镇人民政府".into()), &c, &cal).unwrap();
    // Working days: 27 September (make-up Sunday), 28, 29, 30 September,
    // then 8 October after the holiday.
    c.advance_ms(13 * DAY_MS); // Thursday 8 October
    assert_eq!(today(&c), "2026-10-08");
    let mut refused = l.clone();
    step(&mut l, Event::Object("不属本级管辖".into()), &c, &cal).unwrap();
    assert!(
        step(
            &mut refused,
            Event::Object("不属本级管辖".into()),
            &c,
            &Calendar::weekends_only()
        )
        .is_err(),
        "counted in weekdays only, the window closed on 2 October"
    );
}
