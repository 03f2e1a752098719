import { hmacSha256 } from './crypto.ts'

/**
 * Masking what identifies a person in free text before it is stored: email addresses, phone
 * numbers (international, national, mainland China mobiles and landlines), Chinese resident and
 * Taiwan ID numbers, QQ numbers and WeChat ids (after the word that names them), and long digit
 * runs such as card or account numbers. Dates, prices, scores, IP-like and date-coded order
 * numbers (`2026-11-20-123456`) and numbers an order word announces stay as they are.
 *
 * Detection runs on the NFKC form of each character (what a Chinese IME types as full-width
 * `１３８` or `＠` reads as `138` and `@`; Unicode dashes read as `-`; zero-width characters are
 * ignored), while the stored text keeps the visitor's own characters outside the masked spans.
 *
 * Linear in the text's length: every character is read by one scanner a constant number of times
 * (see the notes at each scanner), and no regular expression runs over more than a few characters.
 * `npm run bench:pii` measures it against NFKC alone (scripts/bench-pii.ts).
 */

type PiiKind = 'email' | 'phone' | 'id' | 'number' | 'qq' | 'wechat'

const LABELS: Record<PiiKind, string> = { email: '[email]', phone: '[phone]', id: '[id]', number: '[number]', qq: '[qq]', wechat: '[wechat]' }

/** A span of the folded text to mask. */
interface Span {
  start: number
  end: number
  kind: PiiKind
}

/** The text as detection sees it, and for each of its code units the span of the original it came from. */
interface Folded {
  text: string
  /** Original start and end of the character each folded unit came from; null when folding changed nothing. */
  from: Int32Array | null
  to: Int32Array | null
}

const ASCII_ONLY = /^[\x00-\x7f]*$/
/** Dashes people type between digit groups: NFKC keeps most of them apart from `-`. */
const DASHES = new Set([0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2043, 0x2212, 0x30fc, 0xfe58, 0xfe63, 0xff0d, 0xff70])

/** Invisible characters that can be slipped between digits: soft hyphen, zero-width, joiners, bidi controls, BOM. */
const isIgnored = (code: number): boolean =>
  code === 0xad || code === 0x180e || (code >= 0x200b && code <= 0x200f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2060 && code <= 0x2069) || code === 0xfeff

/**
 * What detection reads for a non-ASCII character (one UTF-16 unit, or a surrogate pair as
 * `pair`): one code unit, or the units of a longer string, that NFKC makes of it, with dashes as
 * `-` and invisible characters as nothing (''). The common cases (CJK ideographs, Hangul,
 * full-width ASCII) skip the call to `normalize`.
 */
function foldCharacter(code: number, pair: string | null): number | string {
  if (pair === null) {
    if ((code >= 0x4e00 && code <= 0x9fff) || (code >= 0xac00 && code <= 0xd7a3)) return code // NFKC leaves them as they are
    if (code >= 0xff01 && code <= 0xff5e) return code === 0xff0d ? 45 : code - 0xfee0 // full-width ASCII: what NFKC makes of it
    if (DASHES.has(code)) return 45
    if (isIgnored(code)) return ''
  }
  const normal = (pair ?? String.fromCharCode(code)).normalize('NFKC')
  if (normal.length === 1) return DASHES.has(normal.charCodeAt(0)) ? 45 : normal.charCodeAt(0)
  return normal
}

/** The most code units NFKC makes of one character (U+FDFA). */
const LONGEST_FOLD = 18

function fold(text: string): Folded {
  if (ASCII_ONLY.test(text)) return { text, from: null, to: null }
  let units = new Uint16Array(text.length + LONGEST_FOLD)
  let from = new Int32Array(units.length)
  let to = new Int32Array(units.length)
  let size = 0
  for (let index = 0; index < text.length; ) {
    if (size + LONGEST_FOLD > units.length) {
      // NFKC made more of the text than there was: grow.
      const grown = units.length * 2
      const [moreUnits, moreFrom, moreTo] = [new Uint16Array(grown), new Int32Array(grown), new Int32Array(grown)]
      moreUnits.set(units), moreFrom.set(from), moreTo.set(to)
      ;[units, from, to] = [moreUnits, moreFrom, moreTo]
    }
    const code = text.charCodeAt(index)
    const paired = code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00
    const end = index + (paired ? 2 : 1)
    const folded = code < 0x80 ? code : foldCharacter(code, paired ? text.slice(index, end) : null)
    if (typeof folded === 'number') {
      units[size] = folded
      from[size] = index
      to[size++] = end
    } else {
      for (let unit = 0; unit < folded.length; unit++) {
        units[size] = folded.charCodeAt(unit)
        from[size] = index
        to[size++] = end
      }
    }
    index = end
  }
  const chunks: string[] = []
  for (let chunk = 0; chunk < size; chunk += 4096) chunks.push(String.fromCharCode.apply(null, units.subarray(chunk, Math.min(size, chunk + 4096)) as unknown as number[]))
  return { text: chunks.join(''), from, to }
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57
const isLetter = (code: number): boolean => (code | 32) >= 97 && (code | 32) <= 122
const isAlnum = (code: number): boolean => isDigit(code) || isLetter(code)
const LATIN_OR_MARK = /^[\p{Script=Latin}\p{M}]$/u
/** What may stand in an email's local part: ASCII letters, digits and `._%+-`, and accented Latin letters. */
const isLocalPart = (text: string, index: number): boolean => {
  const code = text.charCodeAt(index)
  if (code < 0x80) return isAlnum(code) || code === 46 || code === 95 || code === 37 || code === 43 || code === 45
  return LATIN_OR_MARK.test(text[index]!)
}
const isDomainCharacter = (code: number): boolean => isAlnum(code) || code === 45

/**
 * Email addresses. Each `@` is grown leftwards over local-part characters (never past the
 * previous `@` or the previous address, so no character is read twice that way) and rightwards
 * over dot-separated labels ending in a top-level domain of letters.
 */
function findEmails(text: string): Span[] {
  const spans: Span[] = []
  let floor = 0
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at
    while (start > floor && isLocalPart(text, start - 1)) start--
    while (start < at && text.charCodeAt(start) === 46) start++
    if (start === at) {
      floor = at + 1
      continue
    }
    let index = at + 1
    let end = -1
    let dots = 0
    for (;;) {
      const label = index
      let letters = true
      for (; index < text.length && isDomainCharacter(text.charCodeAt(index)); index++) if (!isLetter(text.charCodeAt(index))) letters = false
      if (index === label) break
      if (dots > 0 && letters && index - label >= 2) end = index
      if (text.charCodeAt(index) !== 46 || !isDomainCharacter(text.charCodeAt(index + 1))) break
      index++
      dots++
    }
    if (end === -1) {
      floor = at + 1
      continue
    }
    spans.push({ start, end, kind: 'email' })
    floor = end
    at = end - 1
  }
  return spans
}

/**
 * Words just before a number or a word that say what it is, read from at most 16 characters
 * back, so the cost is constant per number. ASCII keywords must start a word (`border` is no `order`).
 */
const QQ_CONTEXT = /(?:(?<![a-z])qq|扣扣|企鹅|企鵝)(?:号码|號碼|号|號)?[\s:=是為为]*$/
const WECHAT_CONTEXT = /(?:(?<![a-z])(?:wechat|weixin|vx|wx)|微信|v信|威信)(号|號|\s*id)?\s*([:=]|是)?\s*$/
const PHONE_CONTEXT = /(?:(?<![a-z])(?:tel|phone|call|mobile|cell|fax|whatsapp)|电话|電話|手机|手機|座机|座機|固话|固話|致电|致電|联系|聯繫|聯絡)(?:号码|號碼|号|號|\s*no\.?|\s*number|\s*me(?: at| on)?)?[\s:=.是為为]*$/
const ORDER_CONTEXT = /(?:(?<![a-z])(?:order|tracking|invoice|ticket|ref)|订单|訂單|单号|單號|运单|運單|工单|工單)(?:号码|號碼|号|號|\s*no\.?|\s*number|\s*id)?[\s:=#.是為为]*$|#$/
/** Words a number may be glued to, or hyphened to, and still be read as a number (`tel-138…`, `QQ12345678`). */
const KEYWORDS = new Set(['qq', 'tel', 'phone', 'mobile', 'cell', 'call', 'fax', 'whatsapp', 'wx', 'vx'])
type Context = 'qq' | 'wechat' | 'phone' | 'order' | null

const windowBefore = (text: string, start: number): string => text.slice(Math.max(0, start - 16), start).toLowerCase()

function contextBefore(text: string, start: number): Context {
  const window = windowBefore(text, start)
  if (QQ_CONTEXT.test(window)) return 'qq'
  if (WECHAT_CONTEXT.test(window)) return 'wechat'
  if (ORDER_CONTEXT.test(window)) return 'order'
  if (PHONE_CONTEXT.test(window)) return 'phone'
  return null
}

/** A digit group of a number and the separator that came before it ('' for the first). */
interface Group {
  start: number
  end: number
  separator: string
}

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate()
const isDate = (year: number, month: number, day: number): boolean => month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month)

/** `YYYY-MM-DD` or `DD/MM/YYYY` (with `-`, `/` or `.`) in the first three groups. */
function startsWithDate(text: string, groups: Group[]): boolean {
  if (groups.length < 3) return false
  const [a, b, c] = groups.map((group) => text.slice(group.start, group.end)) as [string, string, string]
  const separator = groups[1]!.separator
  if (!/^[-/.]$/.test(separator) || groups[2]!.separator !== separator) return false
  if (a.length === 4 && b.length <= 2 && c.length <= 2) return isDate(Number(a), Number(b), Number(c))
  if (a.length <= 2 && b.length <= 2 && c.length === 4) return isDate(Number(c), Number(b), Number(a)) || isDate(Number(c), Number(a), Number(b))
  return false
}

/** A Chinese resident ID: 6-digit area, birth date, 3 digits and a check character (18), or the old 15-digit form. */
function isResidentId(digits: string): boolean {
  if (!/^[1-8]/.test(digits)) return false
  if (digits.length === 18) {
    return /^\d{17}[\dX]$/.test(digits) && isDate(Number(digits.slice(6, 10)), Number(digits.slice(10, 12)), Number(digits.slice(12, 14))) && /^(?:19|20)/.test(digits.slice(6, 8))
  }
  return digits.length === 15 && /^\d{15}$/.test(digits) && isDate(1900 + Number(digits.slice(6, 8)), Number(digits.slice(8, 10)), Number(digits.slice(10, 12)))
}

/** What a number (its digit groups, as written) is, or null when it stays. */
function classify(text: string, groups: Group[], international: boolean, context: Context): PiiKind | null {
  const digits = groups.map((group) => text.slice(group.start, group.end)).join('').toUpperCase()
  const separators = groups.slice(1).map((group) => group.separator)
  if (startsWithDate(text, groups)) return null
  if (isResidentId(digits)) return 'id'
  if (digits.endsWith('X')) return digits.length === 18 ? 'id' : null
  const length = digits.length
  if (context === 'order') return null
  if (context === 'qq' && separators.length === 0 && length >= 5 && length <= 11 && digits[0] !== '0') return 'qq'
  if (international) return length >= 7 && length <= 15 ? 'phone' : length > 15 ? 'number' : null
  if (digits.startsWith('00') && length >= 10 && length <= 17) return 'phone'
  // Two groups joined by a dot are a decimal; four short ones an IP address or a version.
  if (separators.length > 0 && separators.every((separator) => separator === '.')) {
    if (groups.length === 2 || (groups.length === 4 && groups.every((group) => group.end - group.start <= 3))) return null
  }
  if (/^(?:86)?1[3-9]\d{9}$/.test(digits)) return 'phone'
  // A compact date-coded reference (20261120…) is an order or serial number, not a phone.
  if (length >= 12 && length <= 20 && separators.length === 0 && /^20\d{2}/.test(digits) && isDate(Number(digits.slice(0, 4)), Number(digits.slice(4, 6)), Number(digits.slice(6, 8)))) return null
  // A national number with its trunk 0: 9 to 13 digits as people write them, 10 to 12 run together.
  if (digits[0] === '0' && (separators.length > 0 ? length >= 9 && length <= 13 : length >= 10 && length <= 12)) return 'phone'
  if (length === 10 || length === 11) return 'phone'
  if (context === 'phone' && length >= 7 && length <= 9) return 'phone'
  return length >= 12 ? 'number' : null
}

/** Separators a phone number is written with between digit groups. */
const isSeparator = (code: number): boolean => code === 32 || code === 45 || code === 46 || code === 47 || code === 40 || code === 41

/**
 * Reads a number from `start` (a digit, or `+` or `(` before one) up to `limit`: digit groups
 * joined by short separators (` `, `-`, `.`, `/`, parentheses). Returns where it ends and its
 * groups, or null when there is none. Reads each character once.
 */
function readNumber(text: string, start: number, limit: number): { end: number; groups: Group[]; international: boolean; opened: boolean } | null {
  let index = start
  let opened = false
  if (text.charCodeAt(index) === 40) {
    opened = true
    index++
  }
  const international = text.charCodeAt(index) === 43
  if (international) index++
  const groups: Group[] = []
  let separator = ''
  let digits = 0
  while (index < limit && isDigit(text.charCodeAt(index))) {
    const groupStart = index
    while (index < limit && isDigit(text.charCodeAt(index))) index++
    digits += index - groupStart
    // The check character of a resident ID.
    if (digits === 17 && (text[index] === 'X' || text[index] === 'x') && !isAlnum(text.charCodeAt(index + 1))) index++
    groups.push({ start: groupStart, end: index, separator })
    const separatorStart = index
    while (index < limit && index - separatorStart < 3 && isSeparator(text.charCodeAt(index))) index++
    separator = text.slice(separatorStart, index)
    if (!isDigit(text.charCodeAt(index)) || index >= limit || !/^(?:[ .\-/]|\)[ .-]?|[ .-]?\(|\) ?\()$/.test(separator)) {
      index = separatorStart
      break
    }
    if (separator.includes('(')) opened = true
  }
  if (groups.length === 0) return null
  let end = groups.at(-1)!.end
  if (opened && text.charCodeAt(end) === 41) end++
  return { end, groups, international, opened }
}

/**
 * Splits a number's groups where one written number ends and the next begins, at a space: past
 * 15 digits after a `+` (E.164's longest), next to a group of ten digits or more in a national
 * number (two numbers side by side, unless the first is a `00` country code), after a date, and around a
 * lone digit ("1 2 3 4"), unless it leads the number as a trunk or area digit (`1 800…`,
 * `8 (912)…`, `(2) 2123…`) or a phone word came before.
 */
function splitNumbers(text: string, groups: Group[], international: boolean, phoneWord: boolean): Group[][] {
  const numbers: Group[][] = []
  let current: Group[] = []
  let digits = 0
  const length = (group: Group) => group.end - group.start
  for (const group of groups) {
    const last = current.at(-1)
    if (last && group.separator.includes(' ')) {
      const isInternational = international && numbers.length === 0
      const countryCode = current.length === 1 && /^00\d{1,3}$/.test(text.slice(last.start, last.end))
      const full = isInternational ? digits + length(group) > 15 : !countryCode && (length(last) >= 10 || length(group) >= 10)
      const afterDate = current.length === 3 && startsWithDate(text, current)
      const loneDigit = !isInternational && length(group) === 1
      const leadDigit = current.length === 1 && length(last) === 1 && (/[18]/.test(text[last.start]!) || group.separator.startsWith(')') || phoneWord)
      const loneLead = !isInternational && current.length === 1 && length(last) === 1 && !leadDigit
      if (full || afterDate || loneDigit || loneLead) {
        numbers.push(current)
        current = []
        digits = 0
      }
    }
    current.push({ ...group, separator: current.length ? group.separator : '' })
    digits += length(group)
  }
  numbers.push(current)
  return numbers
}

/**
 * Numbers and ASCII words, left to right, outside the email spans. A word swallows the digits
 * glued to it (`SO123`, `A-1001`: codes, not numbers), except after QQ, WeChat or phone words
 * (`QQ12345678`, `tel13800138000`); a number glued to a letter after it is a code too.
 */
function findNumbers(text: string, emails: Span[]): Span[] {
  const spans: Span[] = []
  const namesWechat = NAMES_WECHAT.test(text)
  let next = 0
  let index = 0
  while (index < text.length) {
    const email = emails[next]
    if (email && index >= email.start) {
      index = email.end
      next++
      continue
    }
    const limit = email ? email.start : text.length
    const code = text.charCodeAt(index)
    if (isLetter(code)) {
      const start = index
      while (index < limit && (isAlnum(text.charCodeAt(index)) || text.charCodeAt(index) === 95)) index++
      // A code joined by hyphens (A-1001, SKU-2026-11) stays whole; `tel-138…` is a keyword and a number.
      while (index < limit && text.charCodeAt(index) === 45 && isAlnum(text.charCodeAt(index + 1)) && !KEYWORDS.has(text.slice(start, index).toLowerCase())) {
        index++
        while (index < limit && (isAlnum(text.charCodeAt(index)) || text.charCodeAt(index) === 95)) index++
      }
      const span = maskedWord(text, start, index, namesWechat)
      if (span) spans.push(span)
      continue
    }
    const opensNumber = isDigit(code) || ((code === 43 || code === 40) && isDigit(text.charCodeAt(index + 1))) || (code === 40 && text.charCodeAt(index + 1) === 43)
    if (!opensNumber) {
      index++
      continue
    }
    const read = readNumber(text, index, limit)
    if (!read) {
      index++
      continue
    }
    const start = index
    index = read.end
    if (isLetter(text.charCodeAt(read.end))) {
      // Glued to a word after it: part of a code. Let the word reader take the rest.
      while (index < limit && isAlnum(text.charCodeAt(index))) index++
      continue
    }
    for (const groups of splitNumbers(text, read.groups, read.international, contextBefore(text, start) === 'phone')) {
      const first = groups[0]!
      const numberStart = first.start === read.groups[0]!.start ? start : text.charCodeAt(first.start - 1) === 40 ? first.start - 1 : first.start
      const context = contextBefore(text, numberStart)
      const kind = classify(text, groups, read.international && first.start === read.groups[0]!.start, context)
      if (!kind) continue
      let end = groups.at(-1)!.end
      // A closing parenthesis that belongs to the number (its opening one is in the span).
      if (text.charCodeAt(end) === 41 && text.slice(numberStart, end).includes('(')) end++
      let spanStart = numberStart
      if (text.charCodeAt(spanStart) === 40 && !text.slice(spanStart, end).includes(')')) spanStart++
      spans.push({ start: spanStart, end, kind })
    }
  }
  return spans
}

const WECHAT_ID = /^[a-z][a-z0-9_-]{5,19}$/i
const TAIWAN_ID = /^[A-Z][12]\d{8}$/i
const KEYWORD_DIGITS = /^([a-z]+)(\d{5,15})$/i
/** Any word that names WeChat: without one in the text, no word needs its context read. */
const NAMES_WECHAT = /微信|wechat|weixin|vx|wx|v信|威信/i

/**
 * A word that is itself personal: a Taiwan ID, a WeChat id (`wxid_…`, or after a WeChat word:
 * any id after "微信号：", one with a digit, `_` or `-` after a bare "微信", so "微信 payment"
 * stays), or a QQ or phone number glued to its keyword. Most words are let go after a look at
 * their length and last character.
 */
function maskedWord(text: string, start: number, end: number, namesWechat: boolean): Span | null {
  const length = end - start
  const endsInDigit = isDigit(text.charCodeAt(end - 1))
  if (length === 10 && endsInDigit && TAIWAN_ID.test(text.slice(start, end))) return { start, end, kind: 'id' }
  if (length >= 9 && text.slice(start, start + 5).toLowerCase() === 'wxid_') return { start, end, kind: 'wechat' }
  if (endsInDigit) {
    const glued = KEYWORD_DIGITS.exec(text.slice(start, end))
    const keyword = glued?.[1]!.toLowerCase()
    if (keyword && KEYWORDS.has(keyword)) {
      const digitsStart = start + keyword.length
      const context: Context = keyword === 'qq' ? 'qq' : keyword === 'wx' || keyword === 'vx' ? 'wechat' : 'phone'
      const kind = classify(text, [{ start: digitsStart, end, separator: '' }], false, context)
      return kind ? { start: digitsStart, end, kind } : null
    }
  }
  if (!namesWechat || length < 6 || length > 20) return null
  const word = text.slice(start, end)
  if (!WECHAT_ID.test(word)) return null
  const wechat = WECHAT_CONTEXT.exec(windowBefore(text, start))
  if (wechat && (wechat[1] || wechat[2] || /[\d_-]/.test(word))) return { start, end, kind: 'wechat' }
  return null
}

/** The spans of `text` to mask, in order, in the original's code units. */
function findPii(text: string): { start: number; end: number; kind: PiiKind }[] {
  const folded = fold(text)
  const emails = findEmails(folded.text)
  const numbers = findNumbers(folded.text, emails)
  const spans = [...emails, ...numbers].sort((a, b) => a.start - b.start)
  const { from, to } = folded
  return from && to ? spans.map((span) => ({ start: from[span.start]!, end: to[span.end - 1]!, kind: span.kind })) : spans
}

/** `text` with every email, phone number, id number and long digit run replaced by a label such as `[phone]`. */
export function maskPii(text: string): string {
  const spans = findPii(text)
  if (spans.length === 0) return text
  let masked = ''
  let at = 0
  for (const span of spans) {
    masked += text.slice(at, span.start) + LABELS[span.kind]
    at = span.end
  }
  return masked + text.slice(at)
}

/**
 * A user id as stored while masking is on. An id with nothing personal in it stays as it is; one
 * that holds an email or a phone number is masked and tagged with ten letters of an HMAC under
 * the site's own key (`[email]~kpdmfoaebc`), so one person keeps one id (for high-risk alerts,
 * the feed, erasure by the address the person gives) while the address itself is never stored.
 * Letters only, so masking the result again changes nothing.
 */
export async function maskUserId(siteKey: string, user: string): Promise<string> {
  const masked = maskPii(user)
  if (masked === user) return user
  const canonical = fold(user).text.replace(/\s+/g, '').toLowerCase()
  const mac = await hmacSha256(siteKey, `user:${canonical}`)
  const tag = Array.from(mac.slice(0, 10), (byte) => String.fromCharCode(97 + (byte % 16))).join('')
  return `${masked}~${tag}`
}

/**
 * A user id as the site stores it everywhere (answers, links, fatigue): masked while the site masks
 * personal data. The site is typed by shape: pii.ts stays free of worker types (Node-side benchmarks import it).
 */
export function storedUserId(site: { settings: { maskPii: boolean }; pseudonymKey: string }, user: string): Promise<string> {
  return site.settings.maskPii ? maskUserId(site.pseudonymKey, user) : Promise.resolve(user)
}
