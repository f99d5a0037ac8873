// One line of news for the advisor ("已保存"), shown in the sidebar's status area where it never
// covers what they are working on.
import { ref } from 'vue'

/** The message on show, or ''. */
export const toast = ref('')
let timer: ReturnType<typeof setTimeout> | undefined

/** Show a short message for a few seconds. */
export function say(message: string) {
  toast.value = message
  clearTimeout(timer)
  timer = setTimeout(() => (toast.value = ''), 5000)
}
