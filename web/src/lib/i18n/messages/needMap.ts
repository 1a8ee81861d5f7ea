// Messages of the need page's map (where the need is, how far, directions), in every locale; spread into the main catalogues.
import type { Translation } from './types.ts';

export const needMapEn = {
  'needMap.title': 'Where',
  'needMap.label': 'Map of where the need is',
  'needMap.approximate': 'The need is somewhere in this circle ({m} m around the point shown): the exact address goes to the volunteer who takes it.',
  'needMap.exact': 'The exact place, shown to you because you may see the private details.',
  'needMap.directions': 'Directions',
  'needMap.directionsArea': 'Directions to the area',
  'needMap.howFar': 'How far is it from me?',
  'needMap.locating': 'Finding your location…',
  'needMap.unavailable': 'Your location is not available.',
  'needMap.distance': '{km} km from you',
  'needMap.distanceArea': 'About {km} km from you',
} as const;

export const needMapHe: Translation<typeof needMapEn> = {
  'needMap.title': 'איפה',
  'needMap.label': 'מפה של מקום הבקשה',
  'needMap.approximate': 'הבקשה נמצאת אי שם בתוך העיגול הזה ({m} מ׳ סביב הנקודה המוצגת): הכתובת המדויקת נמסרת למתנדב שלוקח אותה.',
  'needMap.exact': 'המקום המדויק, מוצג לך כי מותר לך לראות את הפרטים האישיים.',
  'needMap.directions': 'הוראות הגעה',
  'needMap.directionsArea': 'הוראות הגעה לאזור',
  'needMap.howFar': 'כמה זה רחוק ממני?',
  'needMap.locating': 'מאתרים את מיקומך…',
  'needMap.unavailable': 'המיקום שלך אינו זמין.',
  'needMap.distance': '{km} ק״מ ממך',
  'needMap.distanceArea': 'כ־{km} ק״מ ממך',
};

export const needMapAr: Translation<typeof needMapEn> = {
  'needMap.title': 'أين',
  'needMap.label': 'خريطة مكان الطلب',
  'needMap.approximate': 'الطلب في مكان ما داخل هذه الدائرة ({m} م حول النقطة المعروضة): يُعطى العنوان الدقيق للمتطوع الذي يأخذه.',
  'needMap.exact': 'المكان الدقيق، يظهر لك لأنه يحق لك رؤية التفاصيل الخاصة.',
  'needMap.directions': 'الاتجاهات',
  'needMap.directionsArea': 'الاتجاهات إلى المنطقة',
  'needMap.howFar': 'كم يبعد عني؟',
  'needMap.locating': 'جارٍ تحديد موقعك…',
  'needMap.unavailable': 'موقعك غير متاح.',
  'needMap.distance': '{km} كم منك',
  'needMap.distanceArea': 'حوالي {km} كم منك',
};

export const needMapRu: Translation<typeof needMapEn> = {
  'needMap.title': 'Где',
  'needMap.label': 'Карта места, где нужна помощь',
  'needMap.approximate': 'Место где-то в этом круге ({m} м вокруг показанной точки): точный адрес получит волонтёр, который возьмёт задачу.',
  'needMap.exact': 'Точное место: вы его видите, потому что вам доступны личные данные.',
  'needMap.directions': 'Маршрут',
  'needMap.directionsArea': 'Маршрут до района',
  'needMap.howFar': 'Как далеко это от меня?',
  'needMap.locating': 'Определяем ваше местоположение…',
  'needMap.unavailable': 'Ваше местоположение недоступно.',
  'needMap.distance': '{km} км от вас',
  'needMap.distanceArea': 'Примерно {km} км от вас',
};
