/**
 * A MIME message (RFC 5322, 2045, 2046, 2047) with a plain-text and an HTML part, readable in any
 * language: every body is UTF-8 in base64, and a header with anything but printable ASCII is
 * written as RFC 2047 encoded words, each under 75 characters and holding whole characters only.
 * About sixty lines, so no library: what it must get right is tested against postal-mime, an
 * independent parser (worker/src/email-mime.test.ts).
 */
export interface MimeParts {
  from: { address: string; name: string }
  to: string
  subject: string
  text: string
  html: string
  /** The Message-ID's left part, the same on every attempt of one message. */
  id: string
  date: number
  /** BCP 47 language of the content (Content-Language). */
  lang: string
}

const encoder = new TextEncoder()

/** Base64 of the UTF-8 of `text`, in chunks: a spread of a whole body's bytes could exceed the call-argument limit. */
function base64Of(text: string): string {
  const bytes = encoder.encode(text)
  let binary = ''
  for (let start = 0; start < bytes.length; start += 0x8000) binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000))
  return btoa(binary)
}

/**
 * Bytes of UTF-8 one encoded word holds: 36 make 48 of base64, so a word is 60 characters and
 * the first one still fits a 78-character line after its header's name (`Subject: `).
 */
const WORD_BYTES = 36

/** `text` as it may stand in a header: itself when plain ASCII, else encoded words folded onto lines of their own. */
export function encodeWords(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text) && !text.includes('=?')) return text
  const words: string[] = []
  let chunk = ''
  for (const char of text) {
    if (encoder.encode(chunk + char).length > WORD_BYTES) {
      words.push(chunk)
      chunk = ''
    }
    chunk += char
  }
  if (chunk) words.push(chunk)
  return words.map((word) => `=?UTF-8?B?${base64Of(word)}?=`).join('\r\n ')
}

/** A display name: a quoted string when plain ASCII, else encoded words. */
const displayName = (name: string): string => (/^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/["\\]/g, '\\$&')}"` : encodeWords(name))

/** Headers never carry a line break a caller let through: each one would start a header of its own. */
const oneLine = (text: string): string => text.replace(/[\r\n]+/g, ' ').trim()

/** A body part: base64 in lines of 76 characters (RFC 2045). */
const bodyPart = (type: string, content: string): string =>
  [`Content-Type: ${type}; charset=utf-8`, 'Content-Transfer-Encoding: base64', '', base64Of(content).replace(/.{1,76}/g, '$&\r\n').trimEnd()].join('\r\n')

/** RFC 5322 date: `Mon, 02 Mar 2026 08:00:00 +0000`. */
const mailDate = (at: number): string => new Date(at).toUTCString().replace(/GMT$/, '+0000')

export function buildMime(parts: MimeParts): string {
  const domain = parts.from.address.split('@')[1] ?? 'hearken.invalid'
  const boundary = `hearken-${parts.id.replace(/[^A-Za-z0-9]/g, '')}`
  return [
    `From: ${displayName(oneLine(parts.from.name))} <${parts.from.address}>`,
    `To: <${parts.to}>`,
    `Subject: ${encodeWords(oneLine(parts.subject))}`,
    `Date: ${mailDate(parts.date)}`,
    `Message-ID: <${parts.id}@${domain}>`,
    // RFC 3834: an automated message, so out-of-office robots do not answer it.
    'Auto-Submitted: auto-generated',
    `Content-Language: ${parts.lang}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    bodyPart('text/plain', parts.text),
    `--${boundary}`,
    bodyPart('text/html', parts.html),
    `--${boundary}--`,
    '',
  ].join('\r\n')
}
