// Wall-clock time in Israel, where shifts are planned: "every Thursday 18:00" stays 18:00
// across the change to and from daylight saving time.
import { ZONE } from '../shared/time.ts';

export { ZONE };

const formatterFor = (timeZone: string) => new Intl.DateTimeFormat('en-US', {
  timeZone,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const partsFormatter = formatterFor(ZONE);

/** The zone's wall clock at `instant`, as a Date whose UTC fields read that wall clock. */
export function toWallClock(instant: Date, timeZone = ZONE): Date {
  const formatter = timeZone === ZONE ? partsFormatter : formatterFor(timeZone);
  const p = Object.fromEntries(formatter.formatToParts(instant).map((x) => [x.type, x.value]));
  return new Date(Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!, instant.getUTCMilliseconds()));
}

/** The instant at which the zone's wall clock reads `wall` (UTC fields). */
export function fromWallClock(wall: Date, timeZone = ZONE): Date {
  // Two passes settle the offset, including across a DST change.
  let guess = new Date(wall.getTime() - (toWallClock(wall, timeZone).getTime() - wall.getTime()));
  guess = new Date(wall.getTime() - (toWallClock(guess, timeZone).getTime() - guess.getTime()));
  return guess;
}
