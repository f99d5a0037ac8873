// The one door from the UI to the shell: every command, typed with the Rust structs' bindings.
import { invoke } from '@tauri-apps/api/core'
import type { Agenda } from './bindings/Agenda'
import type { Birthday } from './bindings/Birthday'
import type { CallResponse } from './bindings/CallResponse'
import type { ClientDay } from './bindings/ClientDay'
import type { Mark } from './bindings/Mark'
import type { Salon } from './bindings/Salon'
import type { SalonInput } from './bindings/SalonInput'
import type { SalonPage } from './bindings/SalonPage'
import type { SalonRow } from './bindings/SalonRow'
import type { Suggestion } from './bindings/Suggestion'
import type { BookStatus } from './bindings/BookStatus'
import type { Clock } from './bindings/Clock'
import type { ClientRow } from './bindings/ClientRow'
import type { Client } from './bindings/Client'
import type { ClientInput } from './bindings/ClientInput'
import type { ClientPage } from './bindings/ClientPage'
import type { ClientProfile } from './bindings/ClientProfile'
import type { ClientQuery } from './bindings/ClientQuery'
import type { Contact } from './bindings/Contact'
import type { ContactInput } from './bindings/ContactInput'
import type { FamilyInput } from './bindings/FamilyInput'
import type { FamilyMember } from './bindings/FamilyMember'
import type { FollowUp } from './bindings/FollowUp'
import type { FollowUpInput } from './bindings/FollowUpInput'
import type { SearchHit } from './bindings/SearchHit'
import type { Settings } from './bindings/Settings'
import type { Backups } from './bindings/Backups'
import type { Gift } from './bindings/Gift'
import type { ExportSpec } from './bindings/ExportSpec'
import type { IcsExport } from './bindings/IcsExport'
import type { CalendarSync } from './bindings/CalendarSync'
import type { ClientMoney } from './bindings/ClientMoney'
import type { Holding } from './bindings/Holding'
import type { HoldingInput } from './bindings/HoldingInput'
import type { HoldingStatus } from './bindings/HoldingStatus'
import type { ComparisonInput } from './bindings/ComparisonInput'
import type { YieldComparison } from './bindings/YieldComparison'
import type { AtRisk } from './bindings/AtRisk'
import type { Drill } from './bindings/Drill'
import type { MaturingHolding } from './bindings/MaturingHolding'
import type { Overview } from './bindings/Overview'
import type { WeekContact } from './bindings/WeekContact'
import type { Grades } from './bindings/Grades'
import type { MoneySettings } from './bindings/MoneySettings'
import type { AccountSet } from './bindings/AccountSet'
import type { SyncReport } from './bindings/SyncReport'
import type { Exported } from './bindings/Exported'
import type { ImportOptions } from './bindings/ImportOptions'
import type { ImportReport } from './bindings/ImportReport'
import type { GiftInput } from './bindings/GiftInput'
import type { GiftPlan } from './bindings/GiftPlan'
import type { PlanInput } from './bindings/PlanInput'
import type { Preference } from './bindings/Preference'
import type { PreferenceInput } from './bindings/PreferenceInput'
import type { Referral } from './bindings/Referral'
import type { Booked } from './bindings/Booked'
import type { PointsKind } from './bindings/PointsKind'
import type { Survey } from './bindings/Survey'
import type { SurveyInput } from './bindings/SurveyInput'

export const api = {
  bookStatus: () => invoke<BookStatus>('book_status'),
  createBook: (passphrase: string | null = null, repeat: string | null = null) => invoke<BookStatus>('create_book', { passphrase, repeat }),
  unlockBook: (passphrase: string, remember: boolean) => invoke<BookStatus>('unlock_book', { passphrase, remember }),
  forgetPassphrase: () => invoke<BookStatus>('forget_passphrase'),
  lockBook: () => invoke<BookStatus>('lock_book'),
  stillHere: () => invoke<null>('still_here'),
  setPassphrase: (current: string | null, passphrase: string, repeat: string) => invoke<BookStatus>('set_passphrase', { current, passphrase, repeat }),
  setAutoLock: (minutes: number) => invoke<Settings>('set_auto_lock', { minutes }),
  openDemoBook: () => invoke<BookStatus>('open_demo_book'),
  openOwnBook: () => invoke<BookStatus>('open_own_book'),
  listClients: (query: ClientQuery) => invoke<ClientPage>('list_clients', { query }),
  clientProfile: (id: number) => invoke<ClientProfile>('client_profile', { id }),
  createClient: (input: ClientInput) => invoke<Client>('create_client', { input }),
  updateClient: (id: number, input: ClientInput) => invoke<Client>('update_client', { id, input }),
  deleteClient: (id: number) => invoke<null>('delete_client', { id }),
  setStarred: (id: number, starred: boolean) => invoke<null>('set_starred', { id, starred }),
  addFamily: (clientId: number, input: FamilyInput) => invoke<FamilyMember>('add_family', { clientId, input }),
  updateFamily: (id: number, input: FamilyInput) => invoke<FamilyMember>('update_family', { id, input }),
  deleteFamily: (id: number) => invoke<null>('delete_family', { id }),
  addContact: (clientId: number, input: ContactInput) => invoke<Contact>('add_contact', { clientId, input }),
  updateContact: (id: number, input: ContactInput) => invoke<Contact>('update_contact', { id, input }),
  deleteContact: (id: number) => invoke<null>('delete_contact', { id }),
  addFollowUp: (clientId: number, contactId: number | null, input: FollowUpInput) =>
    invoke<FollowUp>('add_follow_up', { clientId, contactId, input }),
  setFollowUpDone: (id: number, done: boolean) => invoke<FollowUp>('set_follow_up_done', { id, done }),
  deleteFollowUp: (id: number) => invoke<null>('delete_follow_up', { id }),
  search: (query: string, limit = 50) => invoke<SearchHit[]>('search', { query, limit }),
  findDuplicates: (phone: string | null, idNumber: string | null, exceptId: number | null) =>
    invoke<ClientRow[]>('find_duplicates', { phone, idNumber, exceptId }),
  readDate: (text: string) => invoke<string>('read_date', { text }),
  readBirthday: (birthday: Birthday) => invoke<Birthday>('read_birthday', { birthday }),
  saveDraft: (key: string, clientId: number | null, body: string) => invoke<null>('save_draft', { key, clientId, body }),
  loadDraft: (key: string) => invoke<string | null>('load_draft', { key }),
  discardDraft: (key: string) => invoke<null>('discard_draft', { key }),
  clock: () => invoke<Clock>('clock'),
  agenda: (from: string | null, days: number, perKind = 50) => invoke<Agenda>('agenda', { from, days, perKind }),
  markItem: (itemId: string, mark: Mark, note: string | null = null) => invoke<null>('mark_item', { itemId, mark, note }),
  unmarkItem: (itemId: string) => invoke<null>('unmark_item', { itemId }),
  clientDay: (clientId: number) => invoke<ClientDay>('client_day', { clientId }),
  listSalons: () => invoke<SalonRow[]>('list_salons'),
  salonPage: (id: number) => invoke<SalonPage>('salon_page', { id }),
  createSalon: (input: SalonInput) => invoke<Salon>('create_salon', { input }),
  updateSalon: (id: number, input: SalonInput) => invoke<Salon>('update_salon', { id, input }),
  cancelSalon: (id: number, cancelled: boolean) => invoke<Salon>('cancel_salon', { id, cancelled }),
  inviteClients: (salonId: number, clientIds: number[]) => invoke<number>('invite_clients', { salonId, clientIds }),
  uninviteClient: (salonId: number, clientId: number) => invoke<null>('uninvite_client', { salonId, clientId }),
  recordCall: (callId: string, response: CallResponse, note: string | null = null) => invoke<null>('record_call', { callId, response, note }),
  recordAttendance: (salonId: number, clientId: number, came: boolean, guests: number) =>
    invoke<null>('record_attendance', { salonId, clientId, came, guests }),
  salonSuggestions: (salonId: number) => invoke<Suggestion[]>('salon_suggestions', { salonId }),
  settings: () => invoke<Settings>('settings'),
  setTimeZone: (zone: string) => invoke<Clock>('set_time_zone', { zone }),
  setMorningNotice: (at: string | null) => invoke<Settings>('set_morning_notice', { at }),
  listBackups: () => invoke<Backups>('list_backups'),
  backupNow: () => invoke<Backups>('backup_now'),
  suggestedExportPath: (name: string, extension: 'xlsx' | 'ics' = 'xlsx') => invoke<string>('suggested_export_path', { name, extension }),
  exportCalendar: (path: string, days: number) => invoke<IcsExport>('export_calendar', { path, days }),
  clientMoney: (clientId: number) => invoke<ClientMoney>('client_money', { clientId }),
  addHolding: (clientId: number, input: HoldingInput) => invoke<Holding>('add_holding', { clientId, input }),
  setHoldingValue: (holdingId: number, on: string, amount: string) => invoke<Holding>('set_holding_value', { holdingId, on, amount }),
  closeHolding: (holdingId: number, status: HoldingStatus, on: string) => invoke<Holding>('close_holding', { holdingId, status, on }),
  renewHolding: (holdingId: number, input: HoldingInput) => invoke<Holding>('renew_holding', { holdingId, input }),
  deleteHolding: (holdingId: number) => invoke<null>('delete_holding', { holdingId }),
  comparisonFromHolding: (holdingId: number) => invoke<ComparisonInput>('comparison_from_holding', { holdingId }),
  compareYields: (input: ComparisonInput) => invoke<YieldComparison>('compare_yields', { input }),
  saveComparison: (clientId: number, input: ComparisonInput) => invoke<Contact>('save_comparison', { clientId, input }),
  moneySettings: () => invoke<MoneySettings>('money_settings'),
  setMoneySettings: (settings: MoneySettings) => invoke<MoneySettings>('set_money_settings', { settings }),
  atRisk: () => invoke<AtRisk[]>('at_risk'),
  bookOverview: () => invoke<Overview>('book_overview'),
  maturingIn: (month: string) => invoke<Drill<MaturingHolding>>('maturing_in', { month }),
  contactsInWeek: (week: string) => invoke<Drill<WeekContact>>('contacts_in_week', { week }),
  bookGrades: (recalculate: boolean) => invoke<Grades | null>('book_grades', { recalculate }),
  startWinBack: (clientId: number) => invoke<FollowUp[]>('start_win_back', { clientId }),
  markLost: (clientId: number, reason: string) => invoke<null>('mark_lost', { clientId, reason }),
  calendarSync: () => invoke<CalendarSync>('calendar_sync'),
  setCalendarAccount: (url: string, user: string, password: string | null) => invoke<AccountSet>('set_calendar_account', { url, user, password }),
  forgetCalendarAccount: () => invoke<CalendarSync>('forget_calendar_account'),
  syncCalendar: (password: string | null) => invoke<SyncReport>('sync_calendar', { password }),
  chooseSavePath: (suggested: string) => invoke<string | null>('choose_save_path', { suggested }),
  chooseOpenPath: () => invoke<string | null>('choose_open_path'),
  exportList: (spec: ExportSpec, path: string) => invoke<Exported>('export_list', { spec, path }),
  importableFields: () => invoke<string[]>('importable_fields'),
  importFile: (path: string, options: ImportOptions) => invoke<ImportReport>('import_file', { path, options }),
  planGift: (clientId: number, input: PlanInput) => invoke<GiftPlan>('plan_gift', { clientId, input }),
  logGift: (clientId: number, input: GiftInput) => invoke<Gift>('log_gift', { clientId, input }),
  deleteGift: (id: number) => invoke<null>('delete_gift', { id }),
  addPreference: (clientId: number, input: PreferenceInput) => invoke<Preference>('add_preference', { clientId, input }),
  deletePreference: (id: number) => invoke<null>('delete_preference', { id }),
  addReferral: (referrerId: number, referredId: number, on: string, reward: string | null) => invoke<Referral>('add_referral', { referrerId, referredId, on, reward }),
  deleteReferral: (id: number) => invoke<null>('delete_referral', { id }),
  bookPoints: (clientId: number, kind: PointsKind, points: number, reason: string, on: string | null) => invoke<Booked>('book_points', { clientId, kind, points, reason, on }),
  addSurvey: (clientId: number, input: SurveyInput) => invoke<Survey>('add_survey', { clientId, input }),
  deleteSurvey: (id: number) => invoke<null>('delete_survey', { id }),
  restoreBackup: (path: string, passphrase: string | null = null) => invoke<Backups>('restore_backup', { path, passphrase }),
}
