// The closed vocabularies, in display order; labels come from the locale files.
import type { Channel } from './bindings/Channel'
import type { Grade } from './bindings/Grade'
import type { Relation } from './bindings/Relation'
import type { Risk } from './bindings/Risk'
import type { Segment } from './bindings/Segment'
import type { Stage } from './bindings/Stage'
import type { Tier } from './bindings/Tier'

export const TIERS: Tier[] = ['private', 'vip', 'high', 'mass']
export const STAGES: Stage[] = ['prospect', 'new', 'stable', 'mature', 'at_risk', 'lost']
export const SEGMENTS: Segment[] = ['entrepreneur', 'homemaker', 'retiree', 'professional']
export const RISKS: Risk[] = ['C1', 'C2', 'C3', 'C4', 'C5']
export const GRADES: Grade[] = ['A', 'B', 'C', 'D', 'E']
export const CHANNELS: Channel[] = ['phone', 'visit', 'wechat', 'sms', 'email', 'salon']
export const RELATIONS: Relation[] = ['spouse', 'child', 'parent', 'sibling', 'other']
