// Messages of the address search (type-ahead geocoding on intake), in every locale; spread into the main catalogues.
import type { Translation } from './types.ts';

export const geocodingEn = {
  'geocode.hint': 'Type a street and locality, then choose a place: the pin moves there.',
  'geocode.suggestions': 'Places for this address',
  'geocode.searching': 'Looking for places…',
  'geocode.none': 'No place found: check the spelling, add the locality, or set the pin on the map.',
  'geocode.failed': 'The address search is not available: set the pin on the map.',
  'geocode.count': { one: '{count} place found. Use the arrow keys to choose.', other: '{count} places found. Use the arrow keys to choose.' },
  'geocode.chosen': 'Pin set at {label} ({precision}).',
  'geocode.precision.ADDRESS': 'exact address',
  'geocode.precision.STREET': 'street',
  'geocode.precision.LOCALITY': 'locality centre',
  'geocode.precision.COMMUNITY': 'community centre',
  'geocode.offline': 'offline list',
} as const;

export const geocodingHe: Translation<typeof geocodingEn> = {
  'geocode.hint': 'הקלידו רחוב ויישוב ובחרו מקום: הסיכה תזוז אליו.',
  'geocode.suggestions': 'מקומות לכתובת הזו',
  'geocode.searching': 'מחפשים מקומות…',
  'geocode.none': 'לא נמצא מקום: בדקו את האיות, הוסיפו את היישוב, או סמנו את הסיכה במפה.',
  'geocode.failed': 'חיפוש הכתובות אינו זמין: סמנו את הסיכה במפה.',
  'geocode.count': { one: 'נמצא מקום אחד. בחרו בעזרת החצים.', two: 'נמצאו {count} מקומות. בחרו בעזרת החצים.', other: 'נמצאו {count} מקומות. בחרו בעזרת החצים.' },
  'geocode.chosen': 'הסיכה סומנה ב{label} ({precision}).',
  'geocode.precision.ADDRESS': 'כתובת מדויקת',
  'geocode.precision.STREET': 'רחוב',
  'geocode.precision.LOCALITY': 'מרכז היישוב',
  'geocode.precision.COMMUNITY': 'מרכז הקהילה',
  'geocode.offline': 'רשימה לא מקוונת',
};

export const geocodingAr: Translation<typeof geocodingEn> = {
  'geocode.hint': 'اكتبوا الشارع والبلدة ثم اختاروا مكانًا: ينتقل الدبوس إليه.',
  'geocode.suggestions': 'أماكن لهذا العنوان',
  'geocode.searching': 'جارٍ البحث عن أماكن…',
  'geocode.none': 'لم يُعثر على مكان: تحققوا من الكتابة، أو أضيفوا البلدة، أو ضعوا الدبوس على الخريطة.',
  'geocode.failed': 'البحث عن العناوين غير متاح: ضعوا الدبوس على الخريطة.',
  'geocode.count': {
    zero: 'لم يُعثر على أي مكان.',
    one: 'عُثر على مكان واحد. استخدموا الأسهم للاختيار.',
    two: 'عُثر على مكانين. استخدموا الأسهم للاختيار.',
    few: 'عُثر على {count} أماكن. استخدموا الأسهم للاختيار.',
    many: 'عُثر على {count} مكانًا. استخدموا الأسهم للاختيار.',
    other: 'عُثر على {count} مكان. استخدموا الأسهم للاختيار.',
  },
  'geocode.chosen': 'وُضع الدبوس في {label} ({precision}).',
  'geocode.precision.ADDRESS': 'عنوان دقيق',
  'geocode.precision.STREET': 'شارع',
  'geocode.precision.LOCALITY': 'مركز البلدة',
  'geocode.precision.COMMUNITY': 'مركز المجتمع',
  'geocode.offline': 'قائمة دون اتصال',
};

export const geocodingRu: Translation<typeof geocodingEn> = {
  'geocode.hint': 'Введите улицу и населённый пункт и выберите место: метка переместится туда.',
  'geocode.suggestions': 'Места по этому адресу',
  'geocode.searching': 'Ищем места…',
  'geocode.none': 'Место не найдено: проверьте написание, добавьте населённый пункт или поставьте метку на карте.',
  'geocode.failed': 'Поиск адресов недоступен: поставьте метку на карте.',
  'geocode.count': {
    one: 'Найдено {count} место. Выберите стрелками.',
    few: 'Найдено {count} места. Выберите стрелками.',
    many: 'Найдено {count} мест. Выберите стрелками.',
    other: 'Найдено {count} места. Выберите стрелками.',
  },
  'geocode.chosen': 'Метка поставлена: {label} ({precision}).',
  'geocode.precision.ADDRESS': 'точный адрес',
  'geocode.precision.STREET': 'улица',
  'geocode.precision.LOCALITY': 'центр населённого пункта',
  'geocode.precision.COMMUNITY': 'центр сообщества',
  'geocode.offline': 'офлайн-список',
};
