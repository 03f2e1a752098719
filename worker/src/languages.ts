import type { Language, Locale, WidgetTexts } from '../../sdk/protocol.ts'

/** The texts of a survey link's pages (`/s/{token}`) in one language: each problem's title and detail. */
export interface LinkTexts {
  invalid: [title: string, detail: string]
  expired: [title: string, detail: string]
  unknown: [title: string, detail: string]
  /** The person was asked within the site's cap (on any device or link): thanked, not asked again. */
  asked: [title: string, detail: string]
  noscript: string
  /** Shown in the card's place when the visitor closes it: the link still works. */
  closed: string
}

interface LanguageTable {
  dir: Language['dir']
  widget: WidgetTexts
  link: LinkTexts
}

/**
 * Every language the card and the link pages speak, served with the site config so the widget
 * ships none: adding one is an entry here and its tag in `Locale`. Wording stays neutral: it
 * never suggests an answer. A survey's own `texts` override the card's texts per language.
 */
export const languages = {
  en: {
    dir: 'ltr',
    widget: {
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
      yourScore: 'Your score',
      change: 'Change',
      neutralFollowUp: 'What would have made it better?',
    },
    link: {
      invalid: ['This survey link is not valid', 'The link may have been cut or changed. Please use the link from your message as it is.'],
      expired: ['This survey link has expired', 'Thank you for wanting to answer. This survey is closed now.'],
      unknown: ['This survey link no longer exists', 'The survey may have been withdrawn.'],
      asked: ['Thank you, we asked you recently', 'You gave us your feedback a short while ago, so we will not ask again so soon.'],
      noscript: 'This page needs JavaScript to record your answer.',
      closed: 'You can close this page. The link keeps working until it expires if you want to answer or change your answer.',
    },
  },
  'zh-CN': {
    dir: 'ltr',
    widget: {
      npsLow: '完全不可能',
      npsHigh: '非常可能',
      csatLow: '非常不满意',
      csatHigh: '非常满意',
      cesLow: '非常困难',
      cesHigh: '非常容易',
      optional: '选填',
      send: '提交',
      close: '关闭问卷',
      pickScore: '请先选择一个分数。',
      thanks: '感谢您的反馈！',
      yourScore: '您的评分',
      change: '修改',
      neutralFollowUp: '怎样做会更好？',
    },
    link: {
      invalid: ['此问卷链接无效', '链接可能被截断或修改，请使用消息中的完整链接。'],
      expired: ['此问卷链接已过期', '感谢您愿意作答，此问卷已经结束。'],
      unknown: ['此问卷链接已不存在', '问卷可能已被撤回。'],
      asked: ['谢谢，我们最近已经问过您了', '您不久前刚给过我们反馈，我们不会这么快再次打扰您。'],
      noscript: '此页面需要启用 JavaScript 才能记录您的回答。',
      closed: '您可以关闭此页面。链接在过期前仍然有效，您可以随时作答或修改回答。',
    },
  },
  'zh-TW': {
    dir: 'ltr',
    widget: {
      npsLow: '完全不可能',
      npsHigh: '非常可能',
      csatLow: '非常不滿意',
      csatHigh: '非常滿意',
      cesLow: '非常困難',
      cesHigh: '非常容易',
      optional: '選填',
      send: '送出',
      close: '關閉問卷',
      pickScore: '請先選擇一個分數。',
      thanks: '感謝您的回饋！',
      yourScore: '您的評分',
      change: '修改',
      neutralFollowUp: '怎麼做會更好？',
    },
    link: {
      invalid: ['此問卷連結無效', '連結可能被截斷或修改，請使用訊息中的完整連結。'],
      expired: ['此問卷連結已過期', '感謝您願意作答，此問卷已經結束。'],
      unknown: ['此問卷連結已不存在', '問卷可能已被撤回。'],
      asked: ['謝謝，我們最近已經問過您了', '您不久前才給過我們回饋，我們不會這麼快再次打擾您。'],
      noscript: '此頁面需要啟用 JavaScript 才能記錄您的回答。',
      closed: '您可以關閉此頁面。連結在過期前仍然有效，您可以隨時作答或修改回答。',
    },
  },
  ja: {
    dir: 'ltr',
    widget: {
      npsLow: '全く可能性がない',
      npsHigh: '非常に可能性が高い',
      csatLow: '非常に不満',
      csatHigh: '非常に満足',
      cesLow: '非常に難しい',
      cesHigh: '非常に簡単',
      optional: '任意',
      send: '送信',
      close: 'アンケートを閉じる',
      pickScore: '先にスコアを選んでください。',
      thanks: 'ご意見ありがとうございました。',
      yourScore: 'あなたのスコア',
      change: '変更',
      neutralFollowUp: 'どうすればもっと良くなりましたか？',
    },
    link: {
      invalid: ['このアンケートのリンクは無効です', 'リンクが途中で切れているか、変更されている可能性があります。メッセージ内のリンクをそのままお使いください。'],
      expired: ['このアンケートのリンクは期限切れです', 'ご回答いただこうとしてくださり、ありがとうございます。このアンケートは終了しました。'],
      unknown: ['このアンケートのリンクは存在しません', 'アンケートが取り下げられた可能性があります。'],
      asked: ['ありがとうございます。最近ご回答をお願いしたばかりです', '少し前にご意見をいただいたため、すぐにまたお尋ねすることはありません。'],
      noscript: '回答を記録するには JavaScript を有効にしてください。',
      closed: 'このページは閉じてかまいません。リンクは有効期限まで使えるので、後から回答したり回答を変更したりできます。',
    },
  },
  ko: {
    dir: 'ltr',
    widget: {
      npsLow: '전혀 가능성 없음',
      npsHigh: '매우 가능성 높음',
      csatLow: '매우 불만족',
      csatHigh: '매우 만족',
      cesLow: '매우 어려움',
      cesHigh: '매우 쉬움',
      optional: '선택 사항',
      send: '보내기',
      close: '설문 닫기',
      pickScore: '먼저 점수를 선택해 주세요.',
      thanks: '의견을 보내 주셔서 감사합니다!',
      yourScore: '내 점수',
      change: '변경',
      neutralFollowUp: '어떻게 하면 더 좋았을까요?',
    },
    link: {
      invalid: ['유효하지 않은 설문 링크입니다', '링크가 잘렸거나 변경되었을 수 있습니다. 메시지에 있는 링크를 그대로 사용해 주세요.'],
      expired: ['만료된 설문 링크입니다', '응답해 주시려고 해서 감사합니다. 이 설문은 종료되었습니다.'],
      unknown: ['더 이상 존재하지 않는 설문 링크입니다', '설문이 철회되었을 수 있습니다.'],
      asked: ['감사합니다. 최근에 이미 여쭈어보았습니다', '얼마 전에 의견을 주셨기 때문에 곧바로 다시 여쭈어보지 않습니다.'],
      noscript: '응답을 기록하려면 JavaScript가 필요합니다.',
      closed: '이 페이지를 닫으셔도 됩니다. 링크는 만료될 때까지 유효하므로 나중에 응답하거나 응답을 변경할 수 있습니다.',
    },
  },
  es: {
    dir: 'ltr',
    widget: {
      npsLow: 'Nada probable',
      npsHigh: 'Muy probable',
      csatLow: 'Muy insatisfecho',
      csatHigh: 'Muy satisfecho',
      cesLow: 'Muy difícil',
      cesHigh: 'Muy fácil',
      optional: 'Opcional',
      send: 'Enviar',
      close: 'Cerrar la encuesta',
      pickScore: 'Elige primero una puntuación.',
      thanks: '¡Gracias por tu opinión!',
      yourScore: 'Tu puntuación',
      change: 'Cambiar',
      neutralFollowUp: '¿Qué lo habría mejorado?',
    },
    link: {
      invalid: ['Este enlace de encuesta no es válido', 'Puede que el enlace esté cortado o modificado. Usa el enlace del mensaje tal como está.'],
      expired: ['Este enlace de encuesta ha caducado', 'Gracias por querer responder. Esta encuesta ya está cerrada.'],
      unknown: ['Este enlace de encuesta ya no existe', 'Es posible que la encuesta se haya retirado.'],
      asked: ['Gracias, te preguntamos hace poco', 'Nos diste tu opinión hace poco, así que no volveremos a preguntarte tan pronto.'],
      noscript: 'Esta página necesita JavaScript para guardar tu respuesta.',
      closed: 'Puedes cerrar esta página. El enlace sigue funcionando hasta que caduque, por si quieres responder o cambiar tu respuesta.',
    },
  },
  fr: {
    dir: 'ltr',
    widget: {
      npsLow: 'Pas du tout probable',
      npsHigh: 'Extrêmement probable',
      csatLow: 'Très insatisfait',
      csatHigh: 'Très satisfait',
      cesLow: 'Très difficile',
      cesHigh: 'Très facile',
      optional: 'Facultatif',
      send: 'Envoyer',
      close: 'Fermer le questionnaire',
      pickScore: 'Veuillez d’abord choisir une note.',
      thanks: 'Merci pour votre avis\u202f!',
      yourScore: 'Votre note',
      change: 'Modifier',
      neutralFollowUp: 'Qu’est-ce qui aurait pu être mieux\u202f?',
    },
    link: {
      invalid: ['Ce lien de questionnaire n’est pas valide', 'Le lien a peut-être été coupé ou modifié. Utilisez le lien de votre message tel quel.'],
      expired: ['Ce lien de questionnaire a expiré', 'Merci d’avoir voulu répondre. Ce questionnaire est maintenant clos.'],
      unknown: ['Ce lien de questionnaire n’existe plus', 'Le questionnaire a peut-être été retiré.'],
      asked: ['Merci, nous vous avons interrogé récemment', 'Vous nous avez donné votre avis il y a peu, nous ne vous le redemanderons pas si vite.'],
      noscript: 'Cette page a besoin de JavaScript pour enregistrer votre réponse.',
      closed: 'Vous pouvez fermer cette page. Le lien reste valable jusqu’à son expiration si vous voulez répondre ou modifier votre réponse.',
    },
  },
  de: {
    dir: 'ltr',
    widget: {
      npsLow: 'Äußerst unwahrscheinlich',
      npsHigh: 'Äußerst wahrscheinlich',
      csatLow: 'Sehr unzufrieden',
      csatHigh: 'Sehr zufrieden',
      cesLow: 'Sehr schwierig',
      cesHigh: 'Sehr einfach',
      optional: 'Optional',
      send: 'Senden',
      close: 'Umfrage schließen',
      pickScore: 'Bitte wählen Sie zuerst eine Bewertung.',
      thanks: 'Vielen Dank für Ihr Feedback!',
      yourScore: 'Ihre Bewertung',
      change: 'Ändern',
      neutralFollowUp: 'Was hätte es besser gemacht?',
    },
    link: {
      invalid: ['Dieser Umfragelink ist ungültig', 'Der Link wurde vielleicht gekürzt oder verändert. Bitte verwenden Sie den Link aus Ihrer Nachricht unverändert.'],
      expired: ['Dieser Umfragelink ist abgelaufen', 'Danke, dass Sie antworten wollten. Diese Umfrage ist inzwischen beendet.'],
      unknown: ['Diesen Umfragelink gibt es nicht mehr', 'Die Umfrage wurde möglicherweise zurückgezogen.'],
      asked: ['Danke, wir haben Sie erst kürzlich gefragt', 'Sie haben uns vor Kurzem Feedback gegeben, daher fragen wir so bald nicht erneut.'],
      noscript: 'Diese Seite braucht JavaScript, um Ihre Antwort zu speichern.',
      closed: 'Sie können diese Seite schließen. Der Link funktioniert bis zu seinem Ablauf, falls Sie antworten oder Ihre Antwort ändern möchten.',
    },
  },
  ar: {
    dir: 'rtl',
    widget: {
      npsLow: 'غير محتمل على الإطلاق',
      npsHigh: 'محتمل للغاية',
      csatLow: 'غير راضٍ جدًا',
      csatHigh: 'راضٍ جدًا',
      cesLow: 'صعب جدًا',
      cesHigh: 'سهل جدًا',
      optional: 'اختياري',
      send: 'إرسال',
      close: 'إغلاق الاستبيان',
      pickScore: 'يُرجى اختيار درجة أولًا.',
      thanks: 'شكرًا لك على ملاحظاتك!',
      yourScore: 'درجتك',
      change: 'تغيير',
      neutralFollowUp: 'ما الذي كان سيجعل التجربة أفضل؟',
    },
    link: {
      invalid: ['رابط الاستبيان هذا غير صالح', 'ربما قُطع الرابط أو عُدِّل. يُرجى استخدام الرابط الوارد في رسالتك كما هو.'],
      expired: ['انتهت صلاحية رابط الاستبيان هذا', 'شكرًا لرغبتك في الإجابة. لقد أُغلق هذا الاستبيان.'],
      unknown: ['رابط الاستبيان هذا لم يعد موجودًا', 'ربما سُحب الاستبيان.'],
      asked: ['شكرًا لك، لقد سألناك مؤخرًا', 'شاركتنا ملاحظاتك قبل مدة قصيرة، لذا لن نسألك مجددًا بهذه السرعة.'],
      noscript: 'تحتاج هذه الصفحة إلى JavaScript لتسجيل إجابتك.',
      closed: 'يمكنك إغلاق هذه الصفحة. يبقى الرابط صالحًا حتى انتهاء مدته إن أردت الإجابة أو تغيير إجابتك.',
    },
  },
} satisfies Record<Locale, LanguageTable>

/** Every language tag the worker has texts for, in table order (English first). */
export const LOCALES = Object.keys(languages) as Locale[]

/**
 * The nearest language the worker has to a BCP 47 tag: Chinese by its script, as ICU's likely
 * subtags give it (`zh-HK`, `zh-Hant` → `zh-TW`; `zh`, `zh-SG` → `zh-CN`), any other by its
 * language (`fr-CA` → `fr`, `en-GB` → `en`), and English for anything else or a malformed tag.
 */
export function nearestLocale(tag: string | null | undefined): Locale {
  let parsed: Intl.Locale
  try {
    parsed = new Intl.Locale((tag ?? '').trim().replace(/_/g, '-')).maximize()
  } catch {
    return 'en'
  }
  if (parsed.language === 'zh') return parsed.script === 'Hant' ? 'zh-TW' : 'zh-CN'
  return LOCALES.find((locale) => locale === parsed.language) ?? 'en'
}

/**
 * The language to answer an `Accept-Language` header in: the first of its tags, by weight, that
 * the worker has (a reader of Portuguese and Spanish gets Spanish, not English).
 */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale {
  const tags = (header ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';')
      const weight = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find((q) => q !== undefined)
      return { tag: tag.trim(), weight: weight === undefined ? 1 : Number(weight), index }
    })
    .filter(({ tag, weight }) => tag && tag !== '*' && weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
  for (const { tag } of tags) {
    const locale = nearestLocale(tag)
    if (locale !== 'en' || tag.toLowerCase().startsWith('en')) return locale
  }
  return 'en'
}

/** A language as the config and link pages serve it. */
export function language(locale: Locale): Language {
  const { dir, widget } = languages[locale]
  return { locale, dir, texts: widget }
}

/** The link pages' texts in a language. */
export const linkTexts = (locale: Locale): LinkTexts => languages[locale].link
