import { createI18n } from 'vue-i18n'
import zh from './locales/zh-CN'
import en from './locales/en'

export type Locale = 'zh-CN' | 'en'
export const LOCALE_KEY = 'rapport.locale'

/** The advisor's language: zh-CN unless they switched to English before. */
export function savedLocale(): Locale {
  return globalThis.localStorage?.getItem(LOCALE_KEY) === 'en' ? 'en' : 'zh-CN'
}

export const i18n = createI18n({
  legacy: false,
  locale: savedLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zh, en },
})

/** Switch the advisor's language and remember it. */
export function setLocale(l: Locale) {
  i18n.global.locale.value = l
  globalThis.localStorage?.setItem(LOCALE_KEY, l)
}
