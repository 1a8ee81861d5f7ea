// Numbers as people type them: Arabic-Indic (٠١٢…) and Eastern Arabic-Indic (۰۱۲…, Persian and
// Urdu keyboards) digits, the Arabic decimal (٫) and thousands (٬) separators. The web reads every
// typed number through this before parsing it.

const ZERO = { arabicIndic: 0x0660, easternArabicIndic: 0x06f0 };

/** The text with every digit written as 0–9, '٫' as '.', and '٬' dropped. Other characters stay. */
export function asciiDigits(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code >= ZERO.arabicIndic && code <= ZERO.arabicIndic + 9) out += String(code - ZERO.arabicIndic);
    else if (code >= ZERO.easternArabicIndic && code <= ZERO.easternArabicIndic + 9) out += String(code - ZERO.easternArabicIndic);
    else if (ch === '\u066b') out += '.';
    else if (ch !== '\u066c') out += ch;
  }
  return out;
}
