import { localDate, localMidnight, type WorkCalendar } from '../calendar/working-time';

/**
 * The morning digest (晨报), decided here as pure functions of loaded facts and a clock: whether
 * a digest is due, and what goes in whose. The service only loads, claims the day and writes.
 */

/** 08:30 Asia/Shanghai. */
export const DIGEST_MINUTE_OF_DAY = 8 * 60 + 30;
/** When no digest ran before: what "since the last digest" means for escalations. */
export const FIRST_DIGEST_LOOKBACK_MS = 86_400_000;

/**
 * The local date whose digest is due at `now`: today, once it is 08:30 on a working day of the
 * stored calendar (a make-up Saturday counts, a holiday does not); otherwise null. A worker that
 * was down at 08:30 still sends the day's digest later that day; the claim on the day makes it once.
 */
export function digestDayAt(now: Date, calendar: WorkCalendar): string | null {
  const today = localDate(now);
  if (!calendar.isWorkingDay(today)) return null;
  return now.getTime() >= localMidnight(today) + DIGEST_MINUTE_OF_DAY * 60_000 ? today : null;
}

/** An open demand as the digest sees it. */
export interface DigestTicket {
  id: string;
  number: string;
  title: string;
  enterpriseName: string;
  departmentId: string | null;
  tier: number;
  /** The current tier's deadline. */
  dueAt: Date | null;
  /** Highest tier whose warning went out. */
  warnedTier: number;
  overdueAt: Date | null;
  /** The last escalation. */
  escalatedAt: Date | null;
  /** Who holds it now (ticket_owners). */
  ownerIds: string[];
  pairedLeaderId: string | null;
}

export interface DigestRecipient {
  kind: 'leader' | 'department';
  id: string;
  name: string;
  /** Whose inboxes it goes to: the leader, or the department's handlers. */
  userIds: string[];
  /** The same people, named and @-mentioned by mobile (where they have one) in the robot groups. */
  people: { name: string; mobile: string | null }[];
}

export interface DigestItem {
  ticketId: string;
  number: string;
  title: string;
  enterpriseName: string;
  tier: number;
  dueAt: string | null;
}

export interface Digest {
  day: string;
  recipient: DigestRecipient;
  dueToday: DigestItem[];
  warned: DigestItem[];
  overdue: DigestItem[];
  escalated: DigestItem[];
}

const item = (t: DigestTicket): DigestItem => ({
  ticketId: t.id,
  number: t.number,
  title: t.title,
  enterpriseName: t.enterpriseName,
  tier: t.tier,
  dueAt: t.dueAt?.toISOString() ?? null,
});

/**
 * Each recipient's digest for `day`, leaving out those with nothing in it.
 * - A leader's demands: those they hold now, and those of enterprises paired with them.
 * - A department's demands: those routed to it, whoever holds them now.
 * In each: due today (the current deadline falls on `day`, not yet overdue), warned (the
 * current tier's warning went out, not yet overdue), overdue, and escalated since the last
 * digest (for a leader, only escalations that put the demand in their hands).
 */
export function composeDigests(day: string, since: Date, tickets: DigestTicket[], recipients: DigestRecipient[]): Digest[] {
  const digests: Digest[] = [];
  for (const recipient of recipients) {
    const mine =
      recipient.kind === 'leader'
        ? tickets.filter((t) => t.ownerIds.includes(recipient.id) || t.pairedLeaderId === recipient.id)
        : tickets.filter((t) => t.departmentId === recipient.id);
    const byNumber = (list: DigestTicket[]) => list.sort((a, b) => (a.number < b.number ? -1 : 1)).map(item);
    const digest: Digest = {
      day,
      recipient,
      dueToday: byNumber(mine.filter((t) => !t.overdueAt && t.dueAt && localDate(t.dueAt) === day)),
      warned: byNumber(mine.filter((t) => !t.overdueAt && t.warnedTier >= t.tier)),
      overdue: byNumber(mine.filter((t) => t.overdueAt)),
      escalated: byNumber(
        mine.filter((t) => t.escalatedAt && t.escalatedAt > since && (recipient.kind === 'department' || t.ownerIds.includes(recipient.id))),
      ),
    };
    if (digest.dueToday.length + digest.warned.length + digest.overdue.length + digest.escalated.length > 0) digests.push(digest);
  }
  return digests;
}

const SECTIONS = [
  ['dueToday', '今日到期'],
  ['warned', '即将超时'],
  ['overdue', '已超期'],
  ['escalated', '新升级'],
] as const;

/** `17:00` or `10-12 17:00`, Shanghai time, for a deadline in a line of the digest. */
function shortTime(iso: string, day: string): string {
  const local = new Date(Date.parse(iso) + 8 * 3_600_000).toISOString();
  return local.slice(0, 10) === day ? local.slice(11, 16) : `${local.slice(5, 10)} ${local.slice(11, 16)}`;
}

/** `今日到期 1 · 即将超时 0 · 已超期 1 · 新升级 1`. */
export const digestCounts = (digest: Digest): string => SECTIONS.map(([key, label]) => `${label} ${digest[key].length}`).join(' · ');

/**
 * One line per demand, section by section, in Chinese; `text` is applied to what users wrote
 * (enterprise names, titles), so a robot message can neutralise it.
 */
export function digestLines(digest: Digest, text: (written: string) => string = (written) => written): string[] {
  const lines: string[] = [];
  for (const [key, label] of SECTIONS) {
    if (digest[key].length === 0) continue;
    lines.push(`【${label}】`);
    for (const i of digest[key]) {
      lines.push(`${i.number} ${text(i.enterpriseName)}：${text(i.title)}（第${i.tier}级${i.dueAt ? `，截止 ${shortTime(i.dueAt, digest.day)}` : ''}）`);
    }
  }
  return lines;
}

/** The inbox notice: a counted title and one line per demand, section by section, in Chinese. */
export function renderDigest(digest: Digest): { title: string; body: string } {
  return { title: `晨报 ${digest.day} ${digest.recipient.name}：${digestCounts(digest)}`, body: digestLines(digest).join('\n') };
}
