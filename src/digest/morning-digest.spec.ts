import { describe, expect, it } from '@jest/globals';
import { calendar2026, shanghai } from '../calendar/calendar-2026.fixture';
import { composeDigests, type DigestRecipient, type DigestTicket, digestDayAt, renderDigest } from './morning-digest';

const calendar = calendar2026();

describe('digestDayAt: is a digest due now, and for which day', () => {
  it('is due from 08:30 of an ordinary working day, not before', () => {
    expect(digestDayAt(shanghai('2026-11-30T08:29:59'), calendar)).toBeNull();
    expect(digestDayAt(shanghai('2026-11-30T08:30:00'), calendar)).toBe('2026-11-30');
    expect(digestDayAt(shanghai('2026-11-30T16:00:00'), calendar)).toBe('2026-11-30');
  });

  it('takes the local date, not the UTC one (08:30 in Shanghai is 00:30 UTC)', () => {
    expect(digestDayAt(new Date('2026-11-30T00:30:00Z'), calendar)).toBe('2026-11-30');
    expect(digestDayAt(new Date('2026-11-29T23:59:00Z'), calendar)).toBeNull();
  });

  it('skips weekends and holidays, even a holiday on a weekday', () => {
    expect(digestDayAt(shanghai('2026-11-28T09:00:00'), calendar)).toBeNull(); // Saturday
    expect(digestDayAt(shanghai('2026-10-01T09:00:00'), calendar)).toBeNull(); // National Day, Thursday
    expect(digestDayAt(shanghai('2026-10-07T09:00:00'), calendar)).toBeNull(); // last day of the holiday, Wednesday
  });

  it('runs on a make-up Saturday (调休) and the weekday after a holiday', () => {
    expect(digestDayAt(shanghai('2026-10-10T08:30:00'), calendar)).toBe('2026-10-10');
    expect(digestDayAt(shanghai('2026-01-04T09:00:00'), calendar)).toBe('2026-01-04'); // make-up Sunday
    expect(digestDayAt(shanghai('2026-10-08T08:45:00'), calendar)).toBe('2026-10-08');
  });
});

const DAY = '2026-10-12';
const SINCE = shanghai('2026-10-10T08:30:00');
const deputy: DigestRecipient = { kind: 'leader', id: 'deputy', name: '李副县长', userIds: ['deputy'], people: [{ name: '李副县长', mobile: null }] };
const paired: DigestRecipient = { kind: 'leader', id: 'paired', name: '王副县长', userIds: ['paired'], people: [{ name: '王副县长', mobile: null }] };
const water: DigestRecipient = { kind: 'department', id: 'water', name: '水务局', userIds: ['h1', 'h2'], people: [] };
const idle: DigestRecipient = { kind: 'department', id: 'idle', name: '统计局', userIds: ['h3'], people: [] };

const ticket = (number: string, fields: Partial<DigestTicket>): DigestTicket => ({
  id: `t-${number}`,
  number,
  title: `需求${number}`,
  enterpriseName: '示范企业',
  departmentId: 'water',
  tier: 1,
  dueAt: shanghai('2026-10-20T17:00:00'),
  warnedTier: 0,
  overdueAt: null,
  escalatedAt: null,
  ownerIds: ['h1', 'h2'],
  pairedLeaderId: null,
  ...fields,
});

const tickets = [
  ticket('2026-000001', { dueAt: shanghai('2026-10-12T17:00:00') }), // due today, department's
  ticket('2026-000002', { warnedTier: 1, dueAt: shanghai('2026-10-13T09:00:00') }), // warned
  ticket('2026-000003', { tier: 2, ownerIds: ['deputy'], escalatedAt: shanghai('2026-10-11T10:00:00'), dueAt: shanghai('2026-10-15T17:00:00') }), // escalated to the deputy since
  ticket('2026-000004', { tier: 3, overdueAt: shanghai('2026-10-09T17:00:00'), dueAt: shanghai('2026-10-09T17:00:00'), ownerIds: ['principal'], pairedLeaderId: 'paired' }), // overdue
  ticket('2026-000005', { tier: 2, ownerIds: ['deputy'], escalatedAt: shanghai('2026-10-09T10:00:00') }), // escalated before the last digest
  ticket('2026-000006', { tier: 3, ownerIds: ['principal'], escalatedAt: shanghai('2026-10-11T09:00:00'), pairedLeaderId: 'paired', warnedTier: 3, dueAt: shanghai('2026-10-12T18:00:00') }),
];

describe('composeDigests: what goes in whose digest', () => {
  const digests = composeDigests(DAY, SINCE, tickets, [deputy, paired, water, idle]);
  const of = (id: string) => digests.find((d) => d.recipient.id === id)!;
  const numbers = (list: { number: string }[]) => list.map((i) => i.number);

  it('gives a department everything routed to it, with escalations away from it since the last digest', () => {
    const d = of('water');
    expect(numbers(d.dueToday)).toEqual(['2026-000001', '2026-000006']);
    expect(numbers(d.warned)).toEqual(['2026-000002', '2026-000006']);
    expect(numbers(d.overdue)).toEqual(['2026-000004']);
    expect(numbers(d.escalated)).toEqual(['2026-000003', '2026-000006']);
  });

  it('gives a leader what they hold, and only the escalations that put it in their hands since the last digest', () => {
    const d = of('deputy');
    expect([d.dueToday, d.warned, d.overdue].map(numbers)).toEqual([[], [], []]);
    expect(numbers(d.escalated)).toEqual(['2026-000003']);
  });

  it("gives a paired leader their enterprises' demands, though others hold them", () => {
    const d = of('paired');
    expect(numbers(d.overdue)).toEqual(['2026-000004']);
    expect(numbers(d.dueToday)).toEqual(['2026-000006']);
    expect(numbers(d.escalated)).toEqual([]);
  });

  it('leaves out a recipient with nothing to report', () => {
    expect(digests.map((d) => d.recipient.id)).toEqual(['deputy', 'paired', 'water']);
  });

  it('renders a counted Chinese title and one line per demand', () => {
    const { title, body } = renderDigest(of('paired'));
    expect(title).toBe('晨报 2026-10-12 王副县长：今日到期 1 · 即将超时 1 · 已超期 1 · 新升级 0');
    expect(body.split('\n')).toEqual([
      '【今日到期】',
      '2026-000006 示范企业：需求2026-000006（第3级，截止 18:00）',
      '【即将超时】',
      '2026-000006 示范企业：需求2026-000006（第3级，截止 18:00）',
      '【已超期】',
      '2026-000004 示范企业：需求2026-000004（第3级，截止 10-09 17:00）',
    ]);
  });
});
