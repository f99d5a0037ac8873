import type { Birthday } from './bindings/Birthday'
import type { NextBirthday } from './bindings/NextBirthday'
import type { Locale } from './i18n'

const DIGITS = '〇一二三四五六七八九'
const MONTHS = ['正', '二', '三', '四', '五', '六', '七', '八', '九', '十', '冬', '腊']

/** A lunar day number the way it is written: 初一 … 初十, 十一 … 二十, 廿一 … 三十. */
export function lunarDayText(day: number): string {
  if (day === 10) return '初十'
  if (day === 20) return '二十'
  if (day === 30) return '三十'
  const tens = ['初', '十', '廿'][Math.floor(day / 10)]
  return tens + DIGITS[day % 10]
}

/** A stored `YYYY-MM-DD HH:MM` shown the way the advisor reads dates. */
export function dateTimeText(at: string | null | undefined, locale: Locale): string {
  if (!at) return ''
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?/.exec(at)
  if (!m) return at
  const [, y, mo, d, h, mi] = m
  if (locale === 'zh-CN') {
    const date = `${y}年${Number(mo)}月${Number(d)}日`
    return h ? `${date} ${h}:${mi}` : date
  }
  return h ? `${y}-${mo}-${d} ${h}:${mi}` : `${y}-${mo}-${d}`
}

/** A birthday as written: 1980年5月2日, or 农历1956年闰八月十五. */
export function birthdayText(b: Birthday | null | undefined, locale: Locale): string {
  if (!b) return ''
  if (b.calendar === 'solar') return dateTimeText(b.date, locale)
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(b.date)
  if (!m) return b.date
  const [year, month, day] = [m[1], Number(m[2]), Number(m[3])]
  if (locale === 'zh-CN') {
    return `农历${year}年${b.leap ? '闰' : ''}${MONTHS[month - 1]}月${lunarDayText(day)}`
  }
  return `Lunar ${year}, ${b.leap ? 'leap ' : ''}month ${month}, day ${day}`
}

type Translate = (key: string, params?: Record<string, unknown>) => string

/** 下次生日 2027年9月15日（71 岁，还有 289 天）, or 今天 71 岁生日. The dates come from the core. */
export function nextBirthdayText(next: NextBirthday, locale: Locale, t: Translate): string {
  if (next.days_until === 0) return t('client.birthdayToday', { turns: next.turns })
  return t('client.nextBirthday', { date: dateTimeText(next.date, locale), turns: next.turns, days: next.days_until })
}

/** Whole days from `from` to `to`, both `YYYY-MM-DD` (the advisor's dates from the core). */
export function daysBetween(from: string, to: string): number {
  const ms = (s: string) => {
    const [y, m, d] = s.slice(0, 10).split('-').map(Number)
    return Date.UTC(y, m - 1, d)
  }
  return Math.round((ms(to) - ms(from)) / 86_400_000)
}

/** How a due date stands against today: overdue by n days, due today, or ahead. */
export function dueState(due: string, today: string): { kind: 'overdue'; days: number } | { kind: 'today' } | { kind: 'ahead'; days: number } {
  const days = daysBetween(today, due)
  if (days < 0) return { kind: 'overdue', days: -days }
  if (days === 0) return { kind: 'today' }
  return { kind: 'ahead', days }
}
