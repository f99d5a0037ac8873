// What the window's frame lends the screens inside it.
import type { InjectionKey, Ref } from 'vue'

/** The scrolling content pane (screens restore their scroll position in it). */
export const PANE: InjectionKey<Ref<HTMLElement | null>> = Symbol('pane')
/** Open the new-client form (the empty list offers it). */
export const NEW_CLIENT: InjectionKey<() => void> = Symbol('new-client')
