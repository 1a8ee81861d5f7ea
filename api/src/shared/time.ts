// The time zone of the people using the board, shared by the API and the web app (the web
// imports it as @mutual-aid/api/shared/time.ts): shifts, days and periods are planned in Israel's wall clock.
export const ZONE = 'Asia/Jerusalem';
