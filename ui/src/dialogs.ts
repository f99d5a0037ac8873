// How many dialogs are open: the window's shortcuts stand aside while one is.
import { ref } from 'vue'

/** Dialogs open right now. */
export const openDialogs = ref(0)
/** A dialog appeared. */
export const dialogOpened = () => openDialogs.value++
/** A dialog went away. */
export const dialogClosed = () => openDialogs.value--
