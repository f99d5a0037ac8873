import { describe, expect, it } from 'vitest'
import zh from '../locales/zh-CN'
import en from '../locales/en'

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]))
}

describe('locales', () => {
  it('every string the advisor sees exists in zh-CN and en', () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort())
  })

  it('no message is left empty', () => {
    for (const [name, messages] of [['zh', zh], ['en', en]] as const) {
      const empty = keys(messages).filter((k) => k.split('.').reduce((o: any, p) => o[p], messages) === '')
      expect(empty, name).toEqual([])
    }
  })

  it('zh-CN labels are Chinese', () => {
    expect(zh.tier.private).toBe('私行')
    expect(zh.stage.at_risk).toBe('流失风险')
    expect(zh.segment.retiree).toBe('富裕晚年')
  })
})
