// The client list's place (filters, order, page) as a route query, so opening a client and
// coming back, back/forward, and a relaunch all land on the same view.
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import type { ClientQuery } from './bindings/ClientQuery'
import type { SortKey } from './bindings/SortKey'
import { GRADES, RISKS, SEGMENTS, STAGES, TIERS } from './vocab'

/** Rows a page of the list shows. */
export const PAGE_SIZE = 50

/** What the advisor chose in the list. */
export interface ListState {
  tier: ClientQuery['tier']
  stage: ClientQuery['stage']
  segment: ClientQuery['segment']
  risk: ClientQuery['risk']
  grade: ClientQuery['grade']
  starred: boolean
  sort: SortKey
  desc: boolean
  page: number
}

const SORTS: SortKey[] = ['name', 'last_contact', 'updated', 'grade']

function one(v: LocationQuery[string]): string | null {
  const s = Array.isArray(v) ? v[0] : v
  return typeof s === 'string' ? s : null
}

function pick<T extends string>(v: LocationQuery[string], allowed: readonly T[]): T | null {
  const s = one(v)
  return s !== null && (allowed as readonly string[]).includes(s) ? (s as T) : null
}

/** Read the list's place from the route; anything unknown falls back to the default. */
export function readListState(q: LocationQuery): ListState {
  const page = Number.parseInt(one(q.page) ?? '1', 10)
  return {
    tier: pick(q.tier, TIERS),
    stage: pick(q.stage, STAGES),
    segment: pick(q.segment, SEGMENTS),
    risk: pick(q.risk, RISKS),
    grade: pick(q.grade, GRADES),
    starred: one(q.starred) === '1',
    sort: pick(q.sort, SORTS) ?? 'name',
    desc: one(q.desc) === '1',
    page: Number.isFinite(page) && page > 0 ? page : 1,
  }
}

/** The route query for a place in the list; defaults are left out so URLs stay short. */
export function listQuery(s: ListState): LocationQueryRaw {
  const q: LocationQueryRaw = {}
  if (s.tier) q.tier = s.tier
  if (s.stage) q.stage = s.stage
  if (s.segment) q.segment = s.segment
  if (s.risk) q.risk = s.risk
  if (s.grade) q.grade = s.grade
  if (s.starred) q.starred = '1'
  if (s.sort !== 'name') q.sort = s.sort
  if (s.desc) q.desc = '1'
  if (s.page > 1) q.page = String(s.page)
  return q
}

/** The core's query for a place in the list. */
export function clientQuery(s: ListState): ClientQuery {
  return {
    tier: s.tier, stage: s.stage, segment: s.segment, risk: s.risk, grade: s.grade, starred_only: s.starred,
    sort: s.sort, descending: s.desc, offset: (s.page - 1) * PAGE_SIZE, limit: PAGE_SIZE,
  }
}

/** Whether any filter narrows the list (an empty result then means "no match", not "no clients"). */
export function filtered(s: ListState): boolean {
  return Boolean(s.tier || s.stage || s.segment || s.risk || s.grade || s.starred)
}
