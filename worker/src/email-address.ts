/**
 * Where an `email` webhook sends: `mailto:` and one address (RFC 6068), nothing else. One
 * address per webhook, because a message is sent once per envelope recipient: a webhook per
 * person (or a list address) keeps "exactly once" true for each of them.
 */

// A dot-atom local part and a domain of LDH labels: what every mail system accepts, with no
// quoting, comments or IP literals that could smuggle a second recipient or a header.
const ADDRESS = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/

/** The address of a `mailto:` webhook URL, or null when the URL is not one plain address. */
export function mailtoAddress(url: string): string | null {
  if (!url.toLowerCase().startsWith('mailto:')) return null
  const address = url.slice('mailto:'.length)
  return address.length <= 254 && ADDRESS.test(address) ? address : null
}

/** Why a URL cannot be an `email` webhook's, or null. */
export function mailtoProblem(url: string): string | null {
  if (mailtoAddress(url) !== null) return null
  return 'must be mailto: and one email address, such as mailto:ops@shop.example (no name, no second address, no ?subject= or other fields)'
}

/** A plain address for the sender (`EMAIL_FROM`), or null. */
export const plainAddress = (value: string): string | null => (value.length <= 254 && ADDRESS.test(value) ? value : null)
