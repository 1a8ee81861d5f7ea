// Messages for retries and restarts (a server shutting down, a request already running under its
// idempotency key), in every locale; spread into the main catalogues.
import type { Translation } from './types.ts';

export const reliabilityEn = {
  'error.SHUTTING_DOWN': 'The server is restarting. Your action is kept and sent again in a moment.',
  'error.IDEMPOTENCY_IN_PROGRESS': 'This action is still being processed. It is sent again in a moment.',
  'error.IDEMPOTENCY_KEY_REUSED': 'This action could not be sent again as it was. Please try it once more.',
};

export const reliabilityHe: Translation<typeof reliabilityEn> = {
  'error.SHUTTING_DOWN': 'השרת מופעל מחדש. הפעולה שלך נשמרה ותישלח שוב בעוד רגע.',
  'error.IDEMPOTENCY_IN_PROGRESS': 'הפעולה הזו עדיין בטיפול. היא תישלח שוב בעוד רגע.',
  'error.IDEMPOTENCY_KEY_REUSED': 'לא ניתן היה לשלוח שוב את הפעולה כפי שהייתה. נסו פעם נוספת.',
};

export const reliabilityAr: Translation<typeof reliabilityEn> = {
  'error.SHUTTING_DOWN': 'يُعاد تشغيل الخادم. تم حفظ إجرائك وسيُرسل مرة أخرى بعد لحظات.',
  'error.IDEMPOTENCY_IN_PROGRESS': 'لا يزال هذا الإجراء قيد المعالجة. سيُرسل مرة أخرى بعد لحظات.',
  'error.IDEMPOTENCY_KEY_REUSED': 'تعذّر إرسال هذا الإجراء مرة أخرى كما كان. يرجى المحاولة مرة أخرى.',
};

export const reliabilityRu: Translation<typeof reliabilityEn> = {
  'error.SHUTTING_DOWN': 'Сервер перезапускается. Ваше действие сохранено и будет отправлено снова через минуту.',
  'error.IDEMPOTENCY_IN_PROGRESS': 'Это действие ещё обрабатывается. Оно будет отправлено снова через минуту.',
  'error.IDEMPOTENCY_KEY_REUSED': 'Это действие не удалось отправить повторно в прежнем виде. Попробуйте ещё раз.',
};
