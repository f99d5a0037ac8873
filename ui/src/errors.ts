import { useI18n } from 'vue-i18n'
import type { Error as CoreError } from './bindings/Error'

type Translate = (key: string, params?: Record<string, unknown>) => string
type Has = (key: string) => boolean

function isCoreError(e: unknown): e is CoreError {
  return typeof e === 'object' && e !== null && 'kind' in e
}

/** The field a validation error is about, or null. */
export function errorField(e: unknown): string | null {
  return isCoreError(e) && e.kind === 'invalid' ? e.field : null
}

/** A core error as a sentence in the advisor's language. */
export function errorText(e: unknown, t: Translate, te: Has): string {
  if (!isCoreError(e)) return t('errors.unknown', { message: String(e) })
  switch (e.kind) {
    case 'invalid': {
      const key = `errors.${e.code}`
      const field = te(`field.${e.field}`) ? t(`field.${e.field}`) : e.field
      if (!te(key)) return t('errors.unknown', { message: `${field}: ${e.code}` })
      return t(key, { field, detail: e.detail ?? '' })
    }
    case 'not_found':
      return t('errors.not_found')
    case 'book':
      return t('errors.book', { message: e.message })
    case 'too_new':
      return t('errors.too_new')
    case 'busy':
      return t('errors.busy')
    case 'locked':
      return t('errors.locked')
    case 'wrong_passphrase':
      return t('errors.wrong_passphrase')
  }
}

/** A renderer of core errors that follows the language switch: keep the error, not its text. */
export function useErrorText() {
  const { t, te } = useI18n()
  return (e: unknown): string => (e === null || e === undefined || e === '' ? '' : errorText(e, t, te))
}

/** Whether `e` says the record of kind `what` (`client`, `salon` …) is not in the book. */
export function isMissing(e: unknown, what: string): boolean {
  return typeof e === 'object' && e !== null && 'kind' in e && e.kind === 'not_found' && 'what' in e && e.what === what
}
