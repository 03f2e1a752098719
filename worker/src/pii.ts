/**
 * Masks what identifies a person in free text before it is stored: email addresses,
 * phone numbers (international, national, and mainland China mobiles) and long digit
 * runs such as Chinese resident ID numbers or card numbers. Dates, prices and order
 * numbers stay as they are.
 */
const email = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu
// Resident ID: 6-digit area, birth date 19xx/20xx, 3 digits, check digit or X.
const residentId = /(?<![\dA-Za-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])/g
// A run of digits with optional + and separators; kept or masked by what its digits look like.
const digitRun = /(?<![\w+])(?:\+|00)?\(?\d[\d ().-]{5,}\d(?![\w])/g
const date = /^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{4}$/

function maskDigits(run: string): string {
  if (date.test(run.trim())) return run
  const digits = run.replace(/\D/g, '')
  if (digits.length >= 16) return '[number]'
  if (/^1[3-9]\d{9}$/.test(digits) || /^(?:86|0086)1[3-9]\d{9}$/.test(digits)) return '[phone]'
  const international = run.startsWith('+') || run.startsWith('00')
  if (international && digits.length >= 8 && digits.length <= 15) return '[phone]'
  if (run.startsWith('0') && digits.length >= 9 && digits.length <= 12) return '[phone]'
  if (/[ ().-]/.test(run) && digits.length >= 10 && digits.length <= 15) return '[phone]'
  return digits.length >= 12 ? '[number]' : run
}

export function maskPii(text: string): string {
  return text.replace(email, '[email]').replace(residentId, '[id]').replace(digitRun, maskDigits)
}
