// Date texts of log lines. Each is rebuilt at most once per second (per cache), so formatting a
// line costs a string concatenation, not a Date.
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const p2 = (n: number): string => (n < 10 ? '0' + n : String(n));
const p3 = (n: number): string => (n < 10 ? '00' + n : n < 100 ? '0' + n : String(n));

/** "+0100" or "+01:00" for the local offset at that date */
function offset(d: Date, colon: boolean): string {
  const m = -d.getTimezoneOffset();
  const a = Math.abs(m);
  return (m < 0 ? '-' : '+') + p2(Math.floor(a / 60)) + (colon ? ':' : '') + p2(a % 60);
}

/** the text for a whole second, cached until the second changes */
function perSecond(build: (d: Date) => string): (ms: number) => string {
  let sec = -1;
  let text = '';
  return (ms) => {
    const s = Math.floor(ms / 1000);
    if (s !== sec) {
      sec = s;
      text = build(new Date(s * 1000));
    }
    return text;
  };
}

const localSecond = perSecond(
  (d) =>
    `${p2(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()}:${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`,
);
const gmtSecond = perSecond(
  (d) =>
    `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`,
);
const localZoned = perSecond((d) => `${localSecond(d.getTime())} ${offset(d, false)}`);
const isoSecond = perSecond(
  (d) =>
    `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`,
);
const isoZone = perSecond((d) => offset(d, true));
const isoUtcSecond = perSecond((d) => d.toISOString().slice(0, 19));

/** %t, %tr: local time with milliseconds, "06/Feb/2009:12:14:14.655" */
export function logDate(ms: number): string {
  return localSecond(ms) + '.' + p3(ms % 1000);
}

/** %T, %trg: "06/Feb/2009:11:14:14 +0000" */
export function gmtDate(ms: number): string {
  return gmtSecond(ms);
}

/** %Tl, %trl: "06/Feb/2009:12:14:14 +0100" */
export function localDate(ms: number): string {
  return localZoned(ms);
}

/** RFC 5424 / ISO 8601 local time with milliseconds and offset, "2009-02-06T12:14:14.655+01:00" */
export function isoLocal(ms: number): string {
  return isoSecond(ms) + '.' + p3(ms % 1000) + isoZone(ms);
}

/** ISO 8601 UTC with milliseconds, for JSON lines: "2009-02-06T11:14:14.655Z" */
export function isoUtc(ms: number): string {
  return isoUtcSecond(ms) + '.' + p3(ms % 1000) + 'Z';
}

/** RFC 3164 timestamp: "Feb  6 12:14:14" (day padded with a space) */
export const rfc3164Date = perSecond((d) => {
  const day = d.getDate();
  return `${MONTHS[d.getMonth()]} ${day < 10 ? ' ' + day : day} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
});
