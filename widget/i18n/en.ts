/** English texts; every other language file has the same keys. Wording stays neutral: it never suggests an answer. */
export const en = {
  npsLow: 'Not at all likely',
  npsHigh: 'Extremely likely',
  csatLow: 'Very dissatisfied',
  csatHigh: 'Very satisfied',
  cesLow: 'Very difficult',
  cesHigh: 'Very easy',
  optional: 'Optional',
  send: 'Send',
  close: 'Close survey',
  pickScore: 'Please choose a score first.',
  thanks: 'Thank you for your feedback!',
}

/** The keys a language file must provide. */
export type Messages = typeof en
