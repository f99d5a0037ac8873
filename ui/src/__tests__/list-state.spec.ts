import { describe, expect, it } from 'vitest'
import { clientQuery, filtered, listQuery, readListState } from '../listState'

describe('the list keeps its place in the route', () => {
  it('round-trips filters, order and page', () => {
    const state = { tier: 'mass', stage: null, segment: 'retiree', risk: 'C3', grade: 'D', starred: true, sort: 'last_contact', desc: true, page: 3 } as const
    expect(readListState(listQuery({ ...state }) as never)).toEqual(state)
    const byGrade = readListState({ grade: 'B', sort: 'grade' })
    expect(clientQuery(byGrade)).toMatchObject({ grade: 'B', sort: 'grade', descending: false })
    expect(filtered(byGrade)).toBe(true)
  })

  it('leaves defaults out of the URL and reads junk as defaults', () => {
    expect(listQuery(readListState({}))).toEqual({})
    const s = readListState({ tier: 'gold', grade: 'F', sort: 'age', page: '-4', starred: 'yes' })
    expect(s).toEqual(readListState({}))
    expect(filtered(s)).toBe(false)
  })

  it('turns a page into an offset', () => {
    const q = clientQuery({ ...readListState({}), page: 2 })
    expect(q.offset).toBe(50)
    expect(q.limit).toBe(50)
  })
})
