// "Plan a gift" from a birthday or festival item on Today: the client page it leads to opens
// the planner with the person and occasion filled in. Kept here rather than in the address, so
// going back never opens the planner a second time.
import type { Occasion } from './bindings/Occasion'

type Request = { clientId: number; familyId: number | null; occasion: Occasion }
let pending: Request | null = null

/** Ask the client page of `clientId` to open the gift planner. */
export function requestGiftPlan(r: Request) {
  pending = r
}

/** The request for `clientId`, if one waits (taken: it is answered once). */
export function takeGiftPlan(clientId: number): Request | null {
  const r = pending?.clientId === clientId ? pending : null
  pending = null
  return r
}
