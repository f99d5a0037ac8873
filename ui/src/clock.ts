// The advisor's today and now, as the core sees them (the shell decides the time zone and a test
// may pin the day); the UI never reads the machine's clock for a date that is stored or compared.
import { ref } from 'vue'
import { api } from './api'

/** Today, `YYYY-MM-DD`, once the shell has answered. */
export const today = ref('')

/** Ask the shell for today again (a page that compares dates calls this when it loads). */
export async function refreshClock(): Promise<string> {
  try {
    today.value = (await api.clock()).today
  } catch {
    // Keep the last answer: a date badge is not worth an error on screen.
  }
  return today.value
}

/** A date `days` after today as `YYYY-MM-DD`: the default due date of a follow-up. */
export function todayPlus(days: number): string {
  if (!today.value) return ''
  const [y, m, d] = today.value.split('-').map(Number)
  const t = new Date(Date.UTC(y, m - 1, d + days))
  return t.toISOString().slice(0, 10)
}
