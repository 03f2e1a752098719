import type { Messages } from './en.ts'

export const ja: Messages = {
  npsLow: 'まったく思わない',
  npsHigh: '非常にそう思う',
  csatLow: 'とても不満',
  csatHigh: 'とても満足',
  send: '送信',
  close: 'アンケートを閉じる',
  pickScore: '先にスコアを選んでください。',
  thanks: 'ご意見ありがとうございました！',
}
