// A first guess at a need from the text of an SMS, for the coordinator to check: a title, the kind of help
// and how urgent it sounds. Keywords in the four languages of the app; the coordinator always decides.
import type { NeedCategory, Urgency } from '#lib/domain.ts';

const CATEGORY_WORDS: [NeedCategory, string[]][] = [
  ['MEDICINE', ['insulin', 'medicine', 'medication', 'pill', 'pharmacy', 'prescription', 'inhaler', 'תרופ', 'אינסולין', 'מרשם', 'בית מרקחת', 'دواء', 'أدوية', 'ادوية', 'انسولين', 'إنسولين', 'صيدلية', 'лекарств', 'инсулин', 'аптек', 'таблет', 'рецепт']],
  ['FOOD', ['food', 'groceries', 'grocery', 'meal', 'bread', 'milk', 'hungry', 'אוכל', 'מזון', 'קניות', 'ארוח', 'לחם', 'طعام', 'أكل', 'اكل', 'وجبة', 'بقالة', 'خبز', 'еда', 'продукт', 'питани', 'хлеб']],
  ['TRANSPORT', ['ride', 'drive', 'lift', 'taxi', 'hospital', 'clinic', 'appointment', 'הסעה', 'טרמפ', 'נסיעה', 'בית חולים', 'توصيل', 'نقل', 'مواصلات', 'مستشفى', 'подвез', 'транспорт', 'довез', 'поездк', 'больниц']],
  ['ELDERLY_SUPPORT', ['elderly', 'old man', 'old woman', 'grandmother', 'grandfather', 'קשיש', 'סבתא', 'סבא', 'مسن', 'مسنة', 'пожил', 'бабушк', 'дедушк']],
  ['CHILDCARE', ['babysit', 'childcare', 'kids', 'children', 'ילדים', 'שמרטף', 'בייביסיטר', 'أطفال', 'اطفال', 'дети', 'детей', 'няня']],
  ['HOSTING', ['shelter', 'place to stay', 'accommodation', 'sleep', 'evacuat', 'אירוח', 'לינה', 'מקום לישון', 'מפונים', 'مأوى', 'سكن', 'إيواء', 'ночлег', 'жиль', 'эвакуир']],
  ['MENTAL_HEALTH', ['anxiety', 'lonely', 'trauma', 'panic', 'someone to talk', 'חרדה', 'בדידות', 'טראומה', 'قلق', 'نفسي', 'صدمة', 'тревог', 'одиноч', 'психолог']],
  ['EQUIPMENT', ['generator', 'blanket', 'heater', 'equipment', 'wheelchair', 'ציוד', 'גנרטור', 'שמיכ', 'כיסא גלגלים', 'معدات', 'بطانية', 'بطانيات', 'مولد', 'оборудован', 'одеял', 'генератор', 'коляск']],
  ['AGRICULTURE', ['harvest', 'farm', 'picking', 'greenhouse', 'חקלא', 'קטיף', 'חממה', 'زراعة', 'حصاد', 'قطف', 'урожа', 'ферм', 'теплиц']],
  ['FUNERAL_SHIVA', ['funeral', 'shiva', 'הלוויה', 'שבעה', 'ניחום', 'جنازة', 'عزاء', 'похорон']],
  ['JOBS', ['job', 'employment', 'עבודה', 'תעסוקה', 'وظيفة', 'عمل', 'работ', 'трудоустро']],
];

const CRITICAL_WORDS = ['emergency', 'life-threatening', 'life threatening', 'חירום', 'מסכן חיים', 'طوارئ', 'خطر على الحياة', 'экстренн', 'угрожа'];
const URGENT_WORDS = ['urgent', 'asap', 'immediately', 'right away', 'today', 'דחוף', 'מיד', 'היום', 'عاجل', 'فورا', 'فوراً', 'اليوم', 'срочно', 'немедленно', 'сегодня'];

export type SmsGuess = { title: string; category: NeedCategory | ''; urgency: Urgency };

const has = (text: string, word: string) => text.includes(word);

export function guessFromSms(body: string): SmsGuess {
  const text = body.toLowerCase();
  let category: NeedCategory | '' = '';
  let best = 0;
  for (const [c, words] of CATEGORY_WORDS) {
    const hits = words.filter((w) => has(text, w)).length;
    if (hits > best) {
      best = hits;
      category = c;
    }
  }
  const urgency: Urgency = CRITICAL_WORDS.some((w) => has(text, w)) ? 'CRITICAL' : URGENT_WORDS.some((w) => has(text, w)) ? 'HIGH' : 'NORMAL';
  return { title: titleOf(body), category, urgency };
}

/** The first sentence, at most 80 characters, cut at a word. */
export function titleOf(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  const sentence = flat.split(/(?<=[.!?؟])\s|[\n,،;]/u)[0]?.trim() ?? flat;
  if (sentence.length <= 80) return sentence.replace(/[.!?؟]+$/u, '');
  const cut = sentence.slice(0, 79);
  const space = cut.lastIndexOf(' ');
  return `${space > 40 ? cut.slice(0, space) : cut}…`;
}
