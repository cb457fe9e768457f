/**
 * The working time left to the current tier's deadline, as the queue shows it. `workingMs` is
 * the API's `workingMsLeft`: working milliseconds by the zone's calendar and office hours, so a
 * "天" here is one working day as the zone counts it: its office hours when set (09:00-17:30 is
 * 8.5 hours), otherwise the whole day (the default, 00:00-24:00).
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export function timeLeftText(workingMs: number, workingDayMs: number): string {
  const prefix = workingMs < 0 ? '已超期' : '剩余';
  const amount = Math.abs(workingMs);
  const days = Math.floor(amount / workingDayMs);
  const hours = Math.floor((amount - days * workingDayMs) / HOUR);
  if (days > 0) return `${prefix} ${days} 天${hours > 0 ? ` ${hours} 小时` : ''}`;
  if (hours > 0) return `${prefix} ${hours} 小时`;
  return `${prefix} ${Math.max(1, Math.floor(amount / MINUTE))} 分钟`;
}

/** The length of one working day from the office hours ("09:00", "17:30"; "24:00" ends the day); 8 hours until they are known. */
export function workingDayMs(hours: { start: string; end: string } | undefined): number {
  if (!hours) return 8 * HOUR;
  const minutes = (hhmm: string) => {
    const [h, m] = hhmm.split(':').map(Number);
    return h * 60 + (m || 0);
  };
  const length = (minutes(hours.end) - minutes(hours.start)) * MINUTE;
  return length > 0 ? length : 8 * HOUR;
}
