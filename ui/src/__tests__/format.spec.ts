import { describe, expect, it } from 'vitest'
import { birthdayText, dateTimeText, lunarDayText } from '../format'

describe('dates the way Chinese users read them', () => {
  it('writes lunar days as 初一 … 三十', () => {
    expect([1, 10, 11, 15, 20, 21, 29, 30].map(lunarDayText)).toEqual(['初一', '初十', '十一', '十五', '二十', '廿一', '廿九', '三十'])
  })

  it('shows lunar birthdays with month names and leap months', () => {
    expect(birthdayText({ calendar: 'lunar', date: '1956-08-15', leap: false }, 'zh-CN')).toBe('农历1956年八月十五')
    expect(birthdayText({ calendar: 'lunar', date: '2023-02-15', leap: true }, 'zh-CN')).toBe('农历2023年闰二月十五')
    expect(birthdayText({ calendar: 'lunar', date: '1950-12-08', leap: false }, 'zh-CN')).toBe('农历1950年腊月初八')
    expect(birthdayText({ calendar: 'lunar', date: '1956-08-15', leap: false }, 'en')).toBe('Lunar 1956, month 8, day 15')
  })

  it('shows solar dates as 年月日 in Chinese and ISO in English', () => {
    expect(birthdayText({ calendar: 'solar', date: '1980-05-02', leap: false }, 'zh-CN')).toBe('1980年5月2日')
    expect(dateTimeText('2026-11-30 09:05', 'zh-CN')).toBe('2026年11月30日 09:05')
    expect(dateTimeText('2026-11-30 09:05', 'en')).toBe('2026-11-30 09:05')
    expect(dateTimeText(null, 'en')).toBe('')
  })

})

import { daysBetween, dueState } from '../format'

describe('due dates against the advisor’s today', () => {
  it('counts whole days across months and leap days', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2)
    expect(daysBetween('2026-12-01', '2026-11-01')).toBe(-30)
  })
  it('says overdue, today or ahead', () => {
    expect(dueState('2026-10-31', '2026-11-30')).toEqual({ kind: 'overdue', days: 30 })
    expect(dueState('2026-11-30', '2026-11-30')).toEqual({ kind: 'today' })
    expect(dueState('2026-12-30', '2026-11-30')).toEqual({ kind: 'ahead', days: 30 })
  })
})

import { today, todayPlus } from '../clock'

describe('default due dates count from the advisor’s today, across month ends', () => {
  it('adds days to the core’s today', () => {
    today.value = '2024-02-28'
    expect(todayPlus(1)).toBe('2024-02-29')
    today.value = '2026-12-30'
    expect(todayPlus(7)).toBe('2027-01-06')
    today.value = ''
    expect(todayPlus(7)).toBe('')
  })
})
