// The window's places: each screen is a route (hash history), so back/forward work and a relaunch
// opens the view the advisor left.
import { createRouter, createWebHashHistory, type RouteLocationNormalized } from 'vue-router'
import ClientList from './components/ClientList.vue'
import ClientPage from './components/ClientPage.vue'
import SearchResults from './components/SearchResults.vue'
import SalonView from './views/SalonView.vue'
import SalonsView from './views/SalonsView.vue'
import AtRiskView from './views/AtRiskView.vue'
import SettingsView from './views/SettingsView.vue'
import TodayView from './views/TodayView.vue'

const LAST_ROUTE = 'rapport.lastRoute'
const SCROLLS = 'rapport.scrolls'

/** The places a relaunch may return to: never a search, whose query may name a client. */
function resumable(to: RouteLocationNormalized): boolean {
  return ['today', 'clients', 'client', 'salons', 'salon', 'at-risk', 'overview', 'settings'].includes(String(to.name))
}

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/today' },
    { path: '/today', name: 'today', component: TodayView },
    { path: '/salons', name: 'salons', component: SalonsView },
    { path: '/salons/:id(\\d+)', name: 'salon', component: SalonView, props: (r) => ({ id: Number(r.params.id) }) },
    { path: '/clients', name: 'clients', component: ClientList },
    { path: '/clients/:id(\\d+)', name: 'client', component: ClientPage, props: (r) => ({ id: Number(r.params.id) }) },
    { path: '/search', name: 'search', component: SearchResults, props: (r) => ({ query: String(r.query.q ?? '') }) },
    { path: '/at-risk', name: 'at-risk', component: AtRiskView },
    // The charts library is large: it loads when the overview is first opened.
    { path: '/overview', name: 'overview', component: () => import('./views/OverviewView.vue') },
    { path: '/settings', name: 'settings', component: SettingsView },
    { path: '/:rest(.*)*', redirect: '/today' },
  ],
})

// Places are remembered per book file: ids and filters of one book mean nothing in another.
let book = ''
let scrolls: Record<string, number> = {}
const stored = (k: string) => `${k}:${book}`

/** The book the window has open; until it is known nothing is remembered. */
export function setBook(path: string) {
  book = path
  try {
    scrolls = JSON.parse(globalThis.localStorage?.getItem(stored(SCROLLS)) ?? '{}')
  } catch {
    scrolls = {}
  }
}

/** The view the advisor last had open in this book, if any. */
export function lastPlace(): string | null {
  return book ? (globalThis.localStorage?.getItem(stored(LAST_ROUTE)) ?? null) : null
}

router.afterEach((to) => {
  if (book && resumable(to)) globalThis.localStorage?.setItem(stored(LAST_ROUTE), to.fullPath)
})

// Scroll positions of the content pane by view, kept across relaunches (paths hold no client
// data: filters, a page number, an id). The window scrolls one pane, not the document, so the
// router's own scrollBehavior cannot do this.

/** Remember where the pane was scrolled in a view. */
export function rememberScroll(path: string, top: number) {
  if (!book) return
  delete scrolls[path]
  scrolls[path] = top
  const keys = Object.keys(scrolls)
  for (const k of keys.slice(0, Math.max(0, keys.length - 30))) delete scrolls[k]
  globalThis.localStorage?.setItem(stored(SCROLLS), JSON.stringify(scrolls))
}

/** Where the pane was scrolled in a view, or 0. */
export function recallScroll(path: string): number {
  return scrolls[path] ?? 0
}
