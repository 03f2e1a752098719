/**
 * `npm run bench:pii`: what masking costs per comment, and that the cost grows linearly with the
 * comment's length. Each figure is a ratio against a baseline measured in the same run, in
 * interleaved rounds: NFKC normalisation of the same text (the least any masking on NFKC text
 * must do). Also measured, for comparison: the regular-expression masking this replaced (its
 * email pattern is quadratic on long non-Latin text) and libphonenumber-js's phone finder.
 */
import { findPhoneNumbersInText } from 'libphonenumber-js'
import { maskPii } from '../worker/src/pii.ts'
import { seededRandom as random } from '../worker/test/seeded-random.ts'
import { machine } from './machine.ts'

/** The masking before issue 15, kept here only as the "before" of this benchmark. */
function regexMaskPii(text: string): string {
  const email = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu
  const residentId = /(?<![\dA-Za-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])/g
  const digitRun = /(?<![\w+])(?:\+|00)?\(?\d[\d ().-]{5,}\d(?![\w])/g
  return text.replace(email, '[email]').replace(residentId, '[id]').replace(digitRun, (run) => (run.replace(/\D/g, '').length >= 10 ? '[phone]' : run))
}


const HANZI = '快递太慢了包装破损客服态度很好质量不错价格有点贵下次还会再来退货流程麻烦物流'
const WORDS = ['the', 'parcel', 'arrived', 'late', 'support', 'was', 'great', 'price', 'too', 'high', 'would', 'buy', 'again']
const SPRINKLES = ['13800138000', 'zhang.san@qq.com', '2026-11-20-123456', '１３８００１３８０００', 'QQ 12345678', '+44 20 7946 0958', '129.00']

/** Texts of one shape at a given length. */
const SHAPES: Record<string, (length: number, next: () => number) => string> = {
  'zh comment': (length, next) => build(length, next, () => HANZI[Math.floor(next() * HANZI.length)]!, '，'),
  'en comment': (length, next) => build(length, next, () => `${WORDS[Math.floor(next() * WORDS.length)]!} `, '. '),
  'hanzi, no @': (length) => '好'.repeat(length),
  'latin, one @ at the end': (length) => `${'a'.repeat(length - 1)}@`,
  'a@a@a@…': (length) => 'a@'.repeat(length / 2),
  '1-1-1-…': (length) => '1-'.repeat(length / 2),
  'full-width digits': (length) => '１２３４５６７８９０ '.repeat(length / 11),
}

function build(length: number, next: () => number, piece: () => string, pause: string): string {
  let text = ''
  while (text.length < length) {
    const roll = next()
    text += roll < 0.03 ? ` ${SPRINKLES[Math.floor(next() * SPRINKLES.length)]!} ` : roll < 0.08 ? pause : piece()
  }
  return text.slice(0, length)
}

/** Microseconds per call of `fn` on `text`, over a round of at least `ms`. */
function timeOf(fn: (text: string) => unknown, text: string, ms: number): number {
  let calls = 1
  for (;;) {
    const start = performance.now()
    for (let index = 0; index < calls; index++) fn(text)
    const elapsed = performance.now() - start
    if (elapsed >= ms) return (elapsed * 1000) / calls
    calls *= 2
  }
}

/** The fastest of interleaved rounds: on a shared machine, the round least disturbed by others. */
function measure(fns: Record<string, (text: string) => unknown>, text: string, rounds = 7, ms = 20): Record<string, number> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(fns).map((name) => [name, []]))
  for (const fn of Object.values(fns)) fn(text)
  for (let round = 0; round < rounds; round++) for (const [name, fn] of Object.entries(fns)) samples[name]!.push(timeOf(fn, text, ms))
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, Math.min(...values)]))
}

const LENGTHS = [250, 1000, 4000, 16000]
const nfkc = (text: string) => text.normalize('NFKC')
const format = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2))

console.log(`Machine: ${machine()}\n`)
console.log('maskPii against NFKC of the same text (µs per call, fastest of 7 interleaved rounds); growth = ratio at 16,000 chars ÷ ratio at 250\n')
console.log('| text | ' + LENGTHS.map((length) => `${length} chars: µs (× NFKC)`).join(' | ') + ' | growth |')
console.log('|---|' + LENGTHS.map(() => '---|').join('') + '---|')
for (const [shape, make] of Object.entries(SHAPES)) {
  const cells: string[] = []
  const ratios: number[] = []
  for (const length of LENGTHS) {
    const text = make(length, random(length))
    const times = measure({ maskPii, nfkc }, text)
    const ratio = times.maskPii! / times.nfkc!
    ratios.push(ratio)
    cells.push(`${format(times.maskPii!)} (${format(ratio)}×)`)
  }
  console.log(`| ${shape} | ${cells.join(' | ')} | ${(ratios.at(-1)! / ratios[0]!).toFixed(2)} |`)
}

console.log('\nThe same against what came before and libphonenumber-js (µs per call, fastest of 7 interleaved rounds)\n')
console.log('| text | NFKC | maskPii | regex masking (before) | libphonenumber-js findPhoneNumbersInText |')
console.log('|---|---|---|---|---|')
for (const [shape, length] of [['zh comment', 200], ['zh comment', 2000], ['hanzi, no @', 2000], ['en comment', 2000]] as const) {
  const text = SHAPES[shape]!(length, random(length))
  const times = measure({ nfkc, maskPii, regexMaskPii, libphonenumber: (value: string) => findPhoneNumbersInText(value, 'CN') }, text)
  console.log(`| ${shape}, ${length} chars | ${format(times.nfkc!)} | ${format(times.maskPii!)} | ${format(times.regexMaskPii!)} | ${format(times.libphonenumber!)} |`)
}
