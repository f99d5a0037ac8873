import { describe, expect, it } from 'vitest'
import { i18n } from '../i18n'
import { errorField, errorText } from '../errors'

const g = i18n.global
const t = (k: string, p?: Record<string, unknown>) => g.t(k, p ?? {})
const te = (k: string) => g.te(k)

describe('core errors in the advisor language', () => {
  it('says which field and what is wrong, in Chinese by default', () => {
    g.locale.value = 'zh-CN'
    const e = { kind: 'invalid', field: 'birthday', code: 'date_impossible', detail: null }
    expect(errorText(e, t, te)).toBe('生日这一天不存在，请检查年、月、日')
    expect(errorField(e)).toBe('birthday')
    expect(errorText({ kind: 'invalid', field: 'name', code: 'required', detail: null }, t, te)).toBe('姓名不能为空')
  })

  it('switches to English', () => {
    g.locale.value = 'en'
    const e = { kind: 'invalid', field: 'phone', code: 'phone_invalid', detail: null }
    expect(errorText(e, t, te)).toBe('Mobile may only hold digits, spaces, + and -, with 5–20 digits')
    g.locale.value = 'zh-CN'
  })

  it('never shows a raw code without saying something failed', () => {
    const e = { kind: 'invalid', field: 'mystery', code: 'brand_new_rule', detail: null }
    expect(errorText(e, t, te)).toContain('操作失败')
    expect(errorText('boom', t, te)).toBe('操作失败：boom')
    expect(errorText({ kind: 'too_new', found: 9, known: 1 }, t, te)).toContain('更新版本')
    expect(errorField('boom')).toBeNull()
  })
})
