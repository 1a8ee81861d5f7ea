// What the demo says, as the people of the seed documents would write it: requests taken by a
// hotline in Hebrew (most), Arabic, Russian and English, each with the urgency it would get;
// names and addresses as they are written in the town or kibbutz; and the Communities2Gether
// pairings (25 war-hit communities, each with a community abroad for three years).
import type { CommunityKind, NeedCategory, Urgency } from '../generated/prisma/enums.ts';

export type Language = 'he' | 'ar' | 'ru' | 'en';

export type CommunitySeed = {
  slug: string;
  name: string;
  kind: CommunityKind;
  /** The city, or the regional council a kibbutz belongs to. */
  area: string;
  lat: number;
  lng: number;
  country?: string;
  /** How its addresses are written: the locality's Hebrew name. */
  placeHe?: string;
  /** Who calls its hotline, by language (weights); Hebrew alone when unset. */
  languages?: Partial<Record<Language, number>>;
};

const RU = { he: 6, ru: 3, en: 1 };
const MIXED_AR = { he: 5, ar: 4, en: 1 };
const CITY = { he: 7, ru: 1, ar: 1, en: 1 };
const KIBBUTZ = { he: 9, en: 1 };

export const COMMUNITIES: CommunitySeed[] = [
  { slug: 'jerusalem-ops', name: 'Jerusalem Operations Centre', kind: 'OPERATIONS_CENTER', area: 'Jerusalem', lat: 31.7767, lng: 35.2345, placeHe: 'ירושלים', languages: CITY },
  { slug: 'jerusalem-students', name: 'Hebrew University Student Community', kind: 'STUDENT', area: 'Jerusalem', lat: 31.7944, lng: 35.2422, placeHe: 'ירושלים', languages: CITY },
  { slug: 'katamon', name: 'Katamon Neighbourhood Community', kind: 'NEIGHBORHOOD', area: 'Jerusalem', lat: 31.7606, lng: 35.2108, placeHe: 'ירושלים', languages: { he: 8, en: 2 } },
  { slug: 'tel-aviv-ops', name: 'Tel Aviv Operations Centre', kind: 'OPERATIONS_CENTER', area: 'Tel Aviv-Yafo', lat: 32.0809, lng: 34.7806, placeHe: 'תל אביב-יפו', languages: CITY },
  { slug: 'jaffa', name: 'Jaffa Neighbourhood Community', kind: 'NEIGHBORHOOD', area: 'Tel Aviv-Yafo', lat: 32.0504, lng: 34.7522, placeHe: 'יפו', languages: MIXED_AR },
  { slug: 'tau-students', name: 'Tel Aviv University Student Community', kind: 'STUDENT', area: 'Tel Aviv-Yafo', lat: 32.1133, lng: 34.8044, placeHe: 'תל אביב-יפו', languages: CITY },
  { slug: 'haifa-ops', name: 'Haifa Operations Centre', kind: 'OPERATIONS_CENTER', area: 'Haifa', lat: 32.8156, lng: 34.9892, placeHe: 'חיפה', languages: { he: 5, ar: 2, ru: 2, en: 1 } },
  { slug: 'hadar', name: 'Hadar HaCarmel Community', kind: 'NEIGHBORHOOD', area: 'Haifa', lat: 32.8092, lng: 34.9997, placeHe: 'חיפה', languages: { he: 4, ar: 3, ru: 3 } },
  { slug: 'beer-sheva-ops', name: "Be'er Sheva Operations Centre", kind: 'OPERATIONS_CENTER', area: "Be'er Sheva", lat: 31.2518, lng: 34.7913, placeHe: 'באר שבע', languages: { he: 6, ru: 2, ar: 2 } },
  { slug: 'bgu-students', name: 'Ben-Gurion University Student Community', kind: 'STUDENT', area: "Be'er Sheva", lat: 31.2622, lng: 34.8013, placeHe: 'באר שבע', languages: CITY },
  { slug: 'sderot', name: 'Sderot', kind: 'TOWN', area: 'Sderot', lat: 31.525, lng: 34.5969, placeHe: 'שדרות', languages: RU },
  { slug: 'ashkelon', name: 'Ashkelon', kind: 'TOWN', area: 'Ashkelon', lat: 31.6688, lng: 34.5743, placeHe: 'אשקלון', languages: RU },
  { slug: 'ashdod', name: 'Ashdod Neighbourhood Network', kind: 'NEIGHBORHOOD', area: 'Ashdod', lat: 31.8014, lng: 34.6435, placeHe: 'אשדוד', languages: RU },
  { slug: 'netivot', name: 'Netivot', kind: 'TOWN', area: 'Netivot', lat: 31.4231, lng: 34.5886, placeHe: 'נתיבות' },
  { slug: 'ofakim', name: 'Ofakim', kind: 'TOWN', area: 'Ofakim', lat: 31.3141, lng: 34.6203, placeHe: 'אופקים', languages: { he: 8, ru: 2 } },
  { slug: 'kiryat-shmona', name: 'Kiryat Shmona', kind: 'TOWN', area: 'Kiryat Shmona', lat: 33.2073, lng: 35.5702, placeHe: 'קריית שמונה', languages: RU },
  { slug: 'nahariya', name: 'Nahariya', kind: 'TOWN', area: 'Nahariya', lat: 33.0059, lng: 35.0941, placeHe: 'נהריה', languages: RU },
  { slug: 'safed', name: 'Safed', kind: 'TOWN', area: 'Safed', lat: 32.9646, lng: 35.496, placeHe: 'צפת', languages: { he: 8, en: 2 } },
  { slug: 'tiberias', name: 'Tiberias', kind: 'TOWN', area: 'Tiberias', lat: 32.7922, lng: 35.5312, placeHe: 'טבריה', languages: { he: 7, ru: 2, ar: 1 } },
  { slug: 'eilat-hosting', name: 'Eilat Hosting Network', kind: 'NEIGHBORHOOD', area: 'Eilat', lat: 29.5577, lng: 34.9519, placeHe: 'אילת', languages: CITY },
  // The Gaza border: kibbutzim of the Eshkol and Sha'ar HaNegev regional councils, and of Hof Ashkelon and Sdot Negev.
  { slug: 'beeri', name: "Kibbutz Be'eri", kind: 'KIBBUTZ', area: 'Eshkol Regional Council', lat: 31.4247, lng: 34.4917, placeHe: 'קיבוץ בארי', languages: KIBBUTZ },
  { slug: 'nir-oz', name: 'Kibbutz Nir Oz', kind: 'KIBBUTZ', area: 'Eshkol Regional Council', lat: 31.3103, lng: 34.4003, placeHe: 'קיבוץ ניר עוז', languages: KIBBUTZ },
  { slug: 'kfar-aza', name: 'Kibbutz Kfar Aza', kind: 'KIBBUTZ', area: "Sha'ar HaNegev Regional Council", lat: 31.4833, lng: 34.5333, placeHe: 'קיבוץ כפר עזה', languages: KIBBUTZ },
  { slug: 'nahal-oz', name: 'Kibbutz Nahal Oz', kind: 'KIBBUTZ', area: "Sha'ar HaNegev Regional Council", lat: 31.4733, lng: 34.4975, placeHe: 'קיבוץ נחל עוז', languages: KIBBUTZ },
  { slug: 'kissufim', name: 'Kibbutz Kissufim', kind: 'KIBBUTZ', area: 'Eshkol Regional Council', lat: 31.3747, lng: 34.3983, placeHe: 'קיבוץ כיסופים', languages: KIBBUTZ },
  { slug: 'ein-hashlosha', name: 'Kibbutz Ein HaShlosha', kind: 'KIBBUTZ', area: 'Eshkol Regional Council', lat: 31.3547, lng: 34.3978, placeHe: 'קיבוץ עין השלושה', languages: KIBBUTZ },
  { slug: 'nirim', name: 'Kibbutz Nirim', kind: 'KIBBUTZ', area: 'Eshkol Regional Council', lat: 31.3361, lng: 34.395, placeHe: 'קיבוץ נירים', languages: KIBBUTZ },
  { slug: 'nir-yitzhak', name: 'Kibbutz Nir Yitzhak', kind: 'KIBBUTZ', area: 'Eshkol Regional Council', lat: 31.2378, lng: 34.3575, placeHe: 'קיבוץ ניר יצחק', languages: KIBBUTZ },
  { slug: 'holit', name: 'Kibbutz Holit', kind: 'KIBBUTZ', area: 'Eshkol Regional Council', lat: 31.2264, lng: 34.3167, placeHe: 'קיבוץ חולית', languages: KIBBUTZ },
  { slug: 'sufa', name: 'Kibbutz Sufa', kind: 'KIBBUTZ', area: 'Eshkol Regional Council', lat: 31.2358, lng: 34.3403, placeHe: 'קיבוץ סופה', languages: KIBBUTZ },
  { slug: 'kerem-shalom', name: 'Kibbutz Kerem Shalom', kind: 'KIBBUTZ', area: 'Eshkol Regional Council', lat: 31.2289, lng: 34.2836, placeHe: 'קיבוץ כרם שלום', languages: KIBBUTZ },
  { slug: 'reim', name: "Kibbutz Re'im", kind: 'KIBBUTZ', area: 'Eshkol Regional Council', lat: 31.3867, lng: 34.4592, placeHe: 'קיבוץ רעים', languages: KIBBUTZ },
  { slug: 'mefalsim', name: 'Kibbutz Mefalsim', kind: 'KIBBUTZ', area: "Sha'ar HaNegev Regional Council", lat: 31.5033, lng: 34.5603, placeHe: 'קיבוץ מפלסים', languages: KIBBUTZ },
  { slug: 'saad', name: "Kibbutz Sa'ad", kind: 'KIBBUTZ', area: "Sha'ar HaNegev Regional Council", lat: 31.4703, lng: 34.5353, placeHe: 'קיבוץ סעד', languages: KIBBUTZ },
  { slug: 'erez', name: 'Kibbutz Erez', kind: 'KIBBUTZ', area: "Sha'ar HaNegev Regional Council", lat: 31.5589, lng: 34.565, placeHe: 'קיבוץ ארז', languages: KIBBUTZ },
  { slug: 'yad-mordechai', name: 'Kibbutz Yad Mordechai', kind: 'KIBBUTZ', area: 'Hof Ashkelon Regional Council', lat: 31.5864, lng: 34.5564, placeHe: 'קיבוץ יד מרדכי', languages: KIBBUTZ },
  { slug: 'zikim', name: 'Kibbutz Zikim', kind: 'KIBBUTZ', area: 'Hof Ashkelon Regional Council', lat: 31.6081, lng: 34.5225, placeHe: 'קיבוץ זיקים', languages: KIBBUTZ },
  { slug: 'alumim', name: 'Kibbutz Alumim', kind: 'KIBBUTZ', area: 'Sdot Negev Regional Council', lat: 31.4517, lng: 34.5153, placeHe: 'קיבוץ עלומים', languages: KIBBUTZ },
  // The northern border.
  { slug: 'metula', name: 'Metula', kind: 'TOWN', area: 'Metula', lat: 33.2783, lng: 35.5786, placeHe: 'מטולה', languages: { he: 9, en: 1 } },
  { slug: 'shlomi', name: 'Shlomi', kind: 'TOWN', area: 'Shlomi', lat: 33.0756, lng: 35.1447, placeHe: 'שלומי', languages: { he: 8, ru: 2 } },
  { slug: 'manara', name: 'Kibbutz Manara', kind: 'KIBBUTZ', area: 'Upper Galilee Regional Council', lat: 33.2014, lng: 35.5414, placeHe: 'קיבוץ מנרה', languages: KIBBUTZ },
  // Jewish communities abroad.
  ...(
    [
      ['toronto', 'Toronto', 'CA', 43.6532, -79.3832],
      ['london', 'London', 'GB', 51.5072, -0.1276],
      ['new-york', 'New York', 'US', 40.7128, -74.006],
      ['melbourne', 'Melbourne', 'AU', -37.8136, 144.9631],
      ['buenos-aires', 'Buenos Aires', 'AR', -34.6037, -58.3816],
      ['paris', 'Paris', 'FR', 48.8566, 2.3522],
      ['chicago', 'Chicago', 'US', 41.8781, -87.6298],
      ['los-angeles', 'Los Angeles', 'US', 34.0522, -118.2437],
      ['boston', 'Boston', 'US', 42.3601, -71.0589],
      ['philadelphia', 'Philadelphia', 'US', 39.9526, -75.1652],
      ['cleveland', 'Cleveland', 'US', 41.4993, -81.6944],
      ['detroit', 'Detroit', 'US', 42.3314, -83.0458],
      ['atlanta', 'Atlanta', 'US', 33.749, -84.388],
      ['miami', 'Miami', 'US', 25.7617, -80.1918],
      ['baltimore', 'Baltimore', 'US', 39.2904, -76.6122],
      ['montreal', 'Montreal', 'CA', 45.5019, -73.5674],
      ['winnipeg', 'Winnipeg', 'CA', 49.8951, -97.1384],
      ['johannesburg', 'Johannesburg', 'ZA', -26.2041, 28.0473],
      ['sydney', 'Sydney', 'AU', -33.8688, 151.2093],
      ['manchester', 'Manchester', 'GB', 53.4808, -2.2426],
      ['berlin', 'Berlin', 'DE', 52.52, 13.405],
      ['zurich', 'Zurich', 'CH', 47.3769, 8.5417],
      ['antwerp', 'Antwerp', 'BE', 51.2194, 4.4025],
      ['mexico-city', 'Mexico City', 'MX', 19.4326, -99.1332],
      ['sao-paulo', 'São Paulo', 'BR', -23.5558, -46.6396],
    ] as const
  ).map(([slug, city, country, lat, lng]): CommunitySeed => ({ slug, name: `${city} Partner Community`, kind: 'PARTNER_ABROAD', area: city, country, lat, lng })),
];

/**
 * Other names of the communities' places, as callers say them: the offline geocoder finds each
 * community by them. A kibbutz's Hebrew name with and without "kibbutz"; towns in Hebrew, Arabic
 * and Russian; neighbourhoods by their local names.
 */
export const ALIASES: Record<string, string[]> = {
  katamon: ['קטמון'],
  jaffa: ['יפו', 'يافا', 'Яффо'],
  hadar: ['הדר הכרמל', 'הדר', 'الهدار'],
  sderot: ['שדרות', 'سديروت', 'Сдерот'],
  ashkelon: ['אשקלון', 'عسقلان', 'Ашкелон'],
  netivot: ['נתיבות', 'نتيفوت', 'Нетивот'],
  ofakim: ['אופקים', 'أوفاكيم', 'Офаким'],
  'kiryat-shmona': ['קריית שמונה', 'كريات شمونة', 'Кирьят-Шмона'],
  nahariya: ['נהריה', 'نهاريا', 'Нагария'],
  safed: ['צפת', 'صفد', 'Цфат'],
  tiberias: ['טבריה', 'طبريا', 'Тверия'],
  metula: ['מטולה', 'المطلة', 'Метула'],
  shlomi: ['שלומי', 'Шломи'],
  ...Object.fromEntries(
    [
      ['beeri', 'בארי'], ['nir-oz', 'ניר עוז'], ['kfar-aza', 'כפר עזה'], ['nahal-oz', 'נחל עוז'], ['kissufim', 'כיסופים'], ['ein-hashlosha', 'עין השלושה'],
      ['nirim', 'נירים'], ['nir-yitzhak', 'ניר יצחק'], ['holit', 'חולית'], ['sufa', 'סופה'], ['kerem-shalom', 'כרם שלום'], ['reim', 'רעים'], ['mefalsim', 'מפלסים'],
      ['saad', 'סעד'], ['erez', 'ארז'], ['yad-mordechai', 'יד מרדכי'], ['zikim', 'זיקים'], ['alumim', 'עלומים'], ['manara', 'מנרה'],
    ].map(([slug, he]) => [slug, [`קיבוץ ${he}`, he]]),
  ),
};

/** The 25 Communities2Gether pairings: a war-hit community in Israel and its partner abroad. */
export const PAIRINGS: [israeli: string, abroad: string][] = [
  ['beeri', 'toronto'],
  ['nir-oz', 'london'],
  ['kfar-aza', 'new-york'],
  ['nahal-oz', 'melbourne'],
  ['sderot', 'buenos-aires'],
  ['kiryat-shmona', 'paris'],
  ['kissufim', 'chicago'],
  ['ein-hashlosha', 'los-angeles'],
  ['nirim', 'boston'],
  ['nir-yitzhak', 'philadelphia'],
  ['holit', 'cleveland'],
  ['sufa', 'detroit'],
  ['kerem-shalom', 'atlanta'],
  ['reim', 'miami'],
  ['mefalsim', 'baltimore'],
  ['saad', 'montreal'],
  ['erez', 'winnipeg'],
  ['yad-mordechai', 'johannesburg'],
  ['zikim', 'sydney'],
  ['alumim', 'manchester'],
  ['ofakim', 'berlin'],
  ['netivot', 'zurich'],
  ['metula', 'antwerp'],
  ['shlomi', 'mexico-city'],
  ['manara', 'sao-paulo'],
];

export type NeedText = { lang: Language; title: string; description: string; urgency: Urgency; remote?: boolean };

const he = (title: string, description: string, urgency: Urgency): NeedText => ({ lang: 'he', title, description, urgency });
const ar = (title: string, description: string, urgency: Urgency): NeedText => ({ lang: 'ar', title, description, urgency });
const ru = (title: string, description: string, urgency: Urgency): NeedText => ({ lang: 'ru', title, description, urgency });
const en = (title: string, description: string, urgency: Urgency): NeedText => ({ lang: 'en', title, description, urgency });

/** Requests as a hotline operator would write them down, each with the urgency it would get. */
export const NEED_TEXTS: Record<NeedCategory, NeedText[]> = {
  FOOD: [
    he('קניות שבועיות למשפחה מפונה', 'משפחה עם ארבעה ילדים שפונתה מהבית. חסרים מוצרי יסוד: חלב, לחם, ביצים, ירקות. אפשר להשאיר ליד הדלת.', 'NORMAL'),
    he('ארוחות חמות לזוג קשישים', 'זוג בני 80 לבד בבית, האישה אחרי ניתוח. צריך ארוחה חמה בצהריים לשבוע הקרוב.', 'HIGH'),
    he('סל מזון לשבת', 'הבעל במילואים כבר חודשיים, שלושה ילדים קטנים בבית. סל לשבת: חלות, עוף, ירקות ופירות.', 'NORMAL'),
    he('תמ"ל וחיתולים לתינוקת', 'תינוקת בת ארבעה חודשים, נגמר התמ"ל (שלב 1) והחיתולים במידה 2. האמא לבד עם עוד שני ילדים.', 'HIGH'),
    he('קניות בסופר לקשישה שלא יוצאת מהבית', 'רשימה קצרה, היא משלמת במזומן. עדיף בבוקר, לפני 11.', 'NORMAL'),
    ar('طرد غذائي لعائلة نازحة', 'عائلة من خمسة أفراد نزحت من الشمال. يحتاجون أرز وزيت وعدس ومعلبات وحليب للأطفال.', 'NORMAL'),
    ru('Продукты для пожилой пары', 'Пенсионеры, из дома не выходят из-за обстрелов. Нужны хлеб, молоко, крупы, овощи. Говорят только по-русски.', 'NORMAL'),
    en('Groceries for a family of five', 'Father on reserve duty, mother at home with three kids. Basic groceries for the week; she will send the list by text.', 'NORMAL'),
  ],
  MEDICINE: [
    he('איסוף תרופות מבית המרקחת', 'המרשם מוכן בבית המרקחת במרכז המסחרי. המשפחה בבידוד בממ"ד ולא יכולה לצאת.', 'HIGH'),
    he('אינסולין נגמר', 'חולה סוכרת בן 72, נשארה לו מנה אחת. המרשם בקופת החולים, צריך לאסוף ולהביא עוד היום.', 'CRITICAL'),
    he('תרופות קבועות ללחץ דם', 'קשיש שלא נוהג, צריך לאסוף את התרופות הקבועות מהקופה ולהביא הביתה.', 'HIGH'),
    he('משאף לילד אסתמטי', 'המשאף של הילד נגמר והוא משתעל מהבוקר. בית המרקחת פתוח עד 20:00.', 'CRITICAL'),
    ar('توصيل أدوية لمريض مزمن', 'رجل مسن يحتاج أدويته الشهرية من الصيدلية. الوصفة جاهزة باسمه في صندوق المرضى.', 'HIGH'),
    ru('Забрать лекарства из аптеки', 'Рецепт готов в больничной кассе, нужно забрать и привезти. Бабушка одна дома, сама не дойдёт.', 'HIGH'),
    en('Pick up a prescription', 'Ready at the pharmacy on the main street; the family is sheltering at home with a newborn.', 'HIGH'),
  ],
  TRANSPORT: [
    he('הסעה לתור בבית החולים', 'תור לאונקולוגיה ביום ראשון ב-9:00, צריך הסעה הלוך וחזור. הטיפול לוקח כשעתיים.', 'HIGH'),
    he('הסעה למלון המפונים', 'משפחה עם שני ילדים ושלוש מזוודות צריכה להגיע למלון בים המלח.', 'NORMAL'),
    he('הסעת ילדים לבית הספר', 'שלושה ילדים, בית ספר זמני במרחק רבע שעה. כל בוקר השבוע ב-7:30.', 'NORMAL'),
    he('הובלת רהיטים שנתרמו', 'מקרר, מיטה וארון שנתרמו למשפחה מפונה. צריך רכב גדול ושני אנשים להרים.', 'LOW'),
    ar('نقل إلى موعد في المستشفى', 'امرأة مسنة لديها جلسات غسيل كلى ثلاث مرات في الأسبوع وتحتاج من يوصلها.', 'HIGH'),
    ru('Отвезти на обследование', 'Плановое обследование в четверг в 10:00, нужна машина туда и обратно.', 'NORMAL'),
    en('Ride to dialysis', 'Tuesday 8:00 at the hospital; a folding wheelchair fits in a regular car.', 'HIGH'),
  ],
  CHILDCARE: [
    he('בייביסיטר למשפחת מילואימניק', 'האבא במילואים, האמא עובדת במשמרות. שני ילדים (4 ו-7), מ-16:00 עד 20:00.', 'HIGH'),
    he('פעילות אחר הצהריים לילדים', 'שלושה ילדים בבית כבר שבועיים בלי מסגרת. מישהו למשחק ויצירה פעמיים בשבוע.', 'NORMAL'),
    he('עזרה בשיעורי בית בחשבון', 'ילד בכיתה ה\' שעבר בית ספר בגלל הפינוי, צריך תגבור בחשבון ובאנגלית.', 'NORMAL'),
    ar('مجالسة أطفال لعائلة جندي احتياط', 'طفلان صغيران، الأم تعمل حتى المساء. من الساعة 15:00 حتى 19:00.', 'HIGH'),
    ru('Посидеть с детьми', 'Папа на резервистской службе, маме нужно к врачу. Двое детей, 3 и 6 лет, часа на три.', 'NORMAL'),
    en("Babysitting for a reservist's family", 'Two kids, 5 and 8. Tuesday and Thursday evenings until bedtime.', 'HIGH'),
  ],
  HOSTING: [
    he('אירוח משפחה מפונה לשבועיים', 'זוג עם שלושה ילדים וכלב, פונו מהבית. מחפשים דירה או יחידת דיור עד סוף החודש.', 'HIGH'),
    he('חדר לאמא ותינוק', 'אמא עם תינוק בן חודשיים, צריכה חדר שקט קרוב לבית החולים לשבוע.', 'HIGH'),
    ar('استضافة عائلة نازحة', 'عائلة من ستة أفراد تبحث عن مكان إقامة مؤقت لمدة أسبوعين.', 'HIGH'),
    ru('Жильё для эвакуированной пары', 'Пожилая пара с севера, нужна комната на первом этаже на месяц.', 'HIGH'),
    en('Short stay for an evacuated couple', 'Couple in their sixties, no pets, need a room for about ten days.', 'NORMAL'),
  ],
  MENTAL_HEALTH: [
    he('שיחה טלפונית פעמיים בשבוע', 'אלמן בן 78, לבד מאז 7 באוקטובר. חצי שעה בטלפון פעמיים בשבוע, בערב.', 'NORMAL'),
    he('ליווי לקבוצת תמיכה', 'אישה אחרי התקף חרדה צריכה ליווי לקבוצת התמיכה במתנ"ס ביום רביעי.', 'HIGH'),
    ar('مكالمات دعم لامرأة وحيدة', 'امرأة تعيش وحدها وتعاني من القلق منذ بداية الحرب. مكالمة قصيرة كل يومين.', 'NORMAL'),
    ru('Поддержка по телефону', 'Пожилой мужчина живёт один, очень тревожится во время сирен. Звонить по вечерам.', 'NORMAL'),
    en('Check-in calls for a lonely widower', 'A daily call around six in the evening; he likes to talk about football.', 'NORMAL'),
  ],
  EQUIPMENT: [
    he('שמיכות ותנור חימום', 'משפחה שעברה לקרוואן, חסרות שמיכות חורף ותנור חימום.', 'NORMAL'),
    he('מחשב נייד ללמידה מרחוק', 'תלמידת תיכון בלי מחשב, הלימודים בזום. גם מחשב משומש יעזור.', 'NORMAL'),
    he('הליכון בהשאלה', 'קשישה אחרי נפילה, צריכה הליכון לחודש-חודשיים.', 'NORMAL'),
    he('מזרנים וכלי מטבח', 'משפחות שחזרו הביתה צריכות מזרנים, סירים וכלי מטבח בסיסיים.', 'NORMAL'),
    ar('بطانيات ومدفأة', 'عائلة بلا تدفئة في الشتاء، تحتاج بطانيات ومدفأة كهربائية.', 'NORMAL'),
    ru('Ноутбук для учёбы', 'Школьнику нужен ноутбук для дистанционных уроков, подойдёт и подержанный.', 'LOW'),
    en('Generator for the dairy barn', 'Power cuts keep stopping the milking; a 10 kW generator on loan would save the herd.', 'HIGH'),
  ],
  ELDERLY_SUPPORT: [
    he('ביקור שבועי אצל ניצולת שואה', 'בת 91, גרה לבד. שעה של שיחה ועזרה קטנה בבית, פעם בשבוע.', 'NORMAL'),
    he('עזרה עם שיחות וידאו', 'קשיש רוצה לראות את הנכדים בווידאו, צריך עזרה עם הטלפון החדש.', 'LOW'),
    he('קניות לשכן קשיש', 'שכן בן 85 לא יכול לסחוב. רשימת קניות קצרה פעם בשבוע.', 'NORMAL'),
    ar('زيارة لمسن يعيش وحده', 'رجل في الثمانين يعيش وحده، يحتاج زيارة أسبوعية ومساعدة في التسوق.', 'NORMAL'),
    ru('Навестить пожилую женщину', 'Бабушке 88 лет, живёт одна. Навещать раз в неделю и помочь с покупками.', 'NORMAL'),
    en('Weekly visit to a Holocaust survivor', 'She speaks Hebrew and Yiddish; an hour of company and help with small chores.', 'NORMAL'),
  ],
  AGRICULTURE: [
    he('קטיף אבוקדו במטע', 'חסרות ידיים בקטיף, עבודה מ-6:00 עד 12:00. להביא כובע ומים, הסעה מהשער.', 'NORMAL'),
    he('עבודה בחממות העגבניות', 'העובדים עזבו והעגבניות נרקבות על השיחים. יומיים של עבודה בחממה.', 'HIGH'),
    he('האכלת תרנגולות בבקרים', 'הלול צריך עזרה בהאכלה ובאיסוף ביצים, כל בוקר ב-6:00.', 'NORMAL'),
    ru('Помощь на сборе урожая', 'Нужны руки на сборе клубники, с шести утра. Транспорт от ворот.', 'NORMAL'),
    en('Harvest help in the orchard', 'Half a day picking citrus; gloves provided, transport from the gate.', 'NORMAL'),
  ],
  JOBS: [
    he('קורות חיים למפונה', 'מפונה מהצפון, עבד 20 שנה במפעל, מחפש עבודה באזור החדש.', 'LOW'),
    he('הכנה לראיון עבודה', 'אישה מפונה, ראיון בעוד שבוע. צריך אימון של שעה-שעתיים.', 'LOW'),
    ar('مساعدة في كتابة سيرة ذاتية', 'شاب نازح يبحث عن عمل ويحتاج مساعدة في كتابة سيرته بالعبرية.', 'LOW'),
    ru('Резюме на иврите', 'Репатриантка, бухгалтер, ищет работу после эвакуации.', 'LOW'),
    en('Interview practice for an evacuee', 'English-speaking evacuee preparing for a job interview next week.', 'LOW'),
  ],
  FUNERAL_SHIVA: [
    he('ארוחות לבית השבעה', 'משפחה שכולה, השבעה בבית. צריך ארוחות ערב לכשלושים איש.', 'HIGH'),
    he('הסעת המשפחה להלוויה', 'ההלוויה מחר ב-11:00 בבית העלמין הצבאי. צריך שני רכבים.', 'CRITICAL'),
    he('סידור כיסאות לבית האבלים', 'צריך להביא ולסדר ארבעים כיסאות ושלושה שולחנות.', 'HIGH'),
    ru('Обеды для дома, где сидят шиву', 'Семья погибшего, шива дома. Нужны обеды на неделю.', 'HIGH'),
    en('Meals for a shiva house', 'Family of a fallen soldier sitting shiva; dinners for about thirty people.', 'HIGH'),
  ],
  OTHER: [
    he('תיקון חלון שנשבר מהדף', 'חלון בסלון נשבר מהדף של יירוט. צריך זגג, או לפחות לאטום בניילון עד שיגיע.', 'HIGH'),
    he('עזרה בטפסים לביטוח לאומי', 'משפחה מפונה צריכה עזרה במילוי הטפסים לביטוח לאומי ולמס רכוש.', 'NORMAL'),
    he('ניקיון דירה שנפגעה', 'דירה שנפגעה מרסיס, צריך עזרה בפינוי שברים וניקיון.', 'NORMAL'),
    ar('ترجمة وثائق للتأمين الوطني', 'عائلة تحتاج مساعدة في تعبئة نماذج التأمين الوطني بالعبرية.', 'NORMAL'),
    ru('Помощь с документами', 'Нужно помочь заполнить бланки для Битуах Леуми, говорим только по-русски.', 'NORMAL'),
    en('Board up a broken window', 'The blast of an interception broke the living room window.', 'HIGH'),
  ],
};

/** How often each category comes in to a hotline (weights). */
export const CATEGORY_WEIGHTS: Record<NeedCategory, number> = {
  FOOD: 6,
  MEDICINE: 4,
  TRANSPORT: 4,
  CHILDCARE: 3,
  HOSTING: 2,
  MENTAL_HEALTH: 2,
  EQUIPMENT: 3,
  ELDERLY_SUPPORT: 3,
  AGRICULTURE: 2,
  JOBS: 1,
  FUNERAL_SHIVA: 1,
  OTHER: 2,
};

/** Requesters' names, as the operator types them. */
export const NAMES: Record<Language, string[]> = {
  he: ['נעמה פרץ', 'יוסי אזולאי', 'רחל ביטון', 'משה דהן', 'אסתר כהן', 'דוד לוי', 'שרה מזרחי', 'אברהם חדד', 'מרים אוחיון', 'יעקב אלון', 'חנה שטרן', 'אליהו עמר', 'תמר גבאי', 'שלמה אדרי'],
  ar: ['محمد خوري', 'فاطمة حداد', 'أحمد عودة', 'مريم سليمان', 'يوسف ناصر', 'ليلى عيسى'],
  ru: ['Ольга Иванова', 'Дмитрий Коган', 'Галина Шапиро', 'Михаил Фридман', 'Светлана Левина', 'Борис Кац'],
  en: ['Sarah Goldberg', 'David Rosen', 'Rachel Adler', 'Michael Stern', 'Emily Katz'],
};

/** Streets found in most Israeli towns. */
export const STREETS_HE = ['הרצל', 'בן גוריון', "ז'בוטינסקי", 'רוטשילד', 'ויצמן', 'ביאליק', 'הפלמ"ח', 'העצמאות', 'רבין', 'מנחם בגין', 'סוקולוב', 'הנשיאים'];

/** Kibbutz neighbourhoods, where houses have numbers and streets have none. */
const KIBBUTZ_QUARTERS = ['שכונת הוותיקים', 'שכונת הצעירים', 'השכונה החדשה', 'שכונת הגפן'];

/** An address as it is written in the community: a street and number in a town, a house number in a kibbutz. */
export function addressIn(c: CommunitySeed, n: number, pick: <T>(xs: readonly T[]) => T): string {
  const place = c.placeHe ?? c.area;
  if (c.kind === 'KIBBUTZ') return n % 3 === 0 ? `${place}, ${pick(KIBBUTZ_QUARTERS)}, בית ${n}` : `${place}, בית ${n}`;
  const apartment = n % 4 === 0 ? `, דירה ${(n % 12) + 1}` : '';
  return `${pick(STREETS_HE)} ${n}${apartment}, ${place}`;
}

export type GoalSeed = { title: string; domain: 'HOUSING' | 'EDUCATION' | 'INFRASTRUCTURE' | 'SOCIAL_FABRIC' | 'ECONOMY' | 'HEALTH' | 'AGRICULTURE'; serves: NeedCategory[]; milestones: string[] };

/** Road-map goals a joint team sets, each with milestones in the order they happen and the immediate needs that serve it. */
export const GOALS: GoalSeed[] = [
  { title: 'Rebuild the damaged homes', domain: 'HOUSING', serves: ['OTHER', 'EQUIPMENT'], milestones: ['Damage survey with the families', 'Architect and contractor chosen', 'Works begin', 'Families move back in'] },
  { title: 'Reopen the kindergarten and the after-school club', domain: 'EDUCATION', serves: ['CHILDCARE'], milestones: ['Staff recruited', 'Building made safe', 'Opening day', 'Second year planned with parents'] },
  { title: 'Repair the water and power networks', domain: 'INFRASTRUCTURE', serves: ['EQUIPMENT'], milestones: ['Engineering survey', 'Funding approved', 'Works begin', 'Networks handed over'] },
  { title: 'Community gatherings and a memorial garden', domain: 'SOCIAL_FABRIC', serves: ['ELDERLY_SUPPORT', 'FUNERAL_SHIVA'], milestones: ['Families consulted', 'Garden designed', 'Planting day', 'Dedication ceremony'] },
  { title: 'Restart the orchards and the dairy', domain: 'AGRICULTURE', serves: ['AGRICULTURE'], milestones: ['Fields cleared', 'Irrigation repaired', 'First harvest', 'Dairy back to full milking'] },
  { title: 'Resilience centre: counselling for families', domain: 'HEALTH', serves: ['MENTAL_HEALTH'], milestones: ['Therapists hired', 'Rooms fitted', 'Centre opens', 'First year reviewed'] },
  { title: 'Jobs and small businesses back on their feet', domain: 'ECONOMY', serves: ['JOBS'], milestones: ['Business owners surveyed', 'Grants fund opened', 'First grants paid', 'Shops reopened'] },
];

/** The joint team: two representatives of each side and two of the Jewish Agency, with the names each side's are drawn from. */
export const TEAM = {
  ISRAEL: { roles: ['Community lead', 'Resilience coordinator'], names: NAMES.he },
  ABROAD: { roles: ['Partnership chair', 'Federation liaison'], names: NAMES.en },
  COORDINATOR: { roles: ['Jewish Agency partnership manager', 'Jewish Agency regional coordinator'], names: ['Tamar Katz', 'Eitan Biton', 'Yael Shapiro', 'Omer Dahan', 'Maya Friedman'] },
} as const;
