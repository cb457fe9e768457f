import { describe, expect, it } from '@jest/globals';
import type { components } from '../../../../clients/api';
import { ticketChanges } from './ticket-diff';

type Ticket = components['schemas']['TicketDto'];

const held = {
  status: 'assigned',
  tier: 1,
  departmentName: '自然资源和规划局',
  owner: { tier: 1, kind: 'department', departmentId: 'd1', users: [{ id: 'u1', displayName: '赵科长' }] },
  tier1DueAt: '2026-11-30T09:00:00.000Z',
  tier2DueAt: '2026-12-01T09:00:00.000Z',
  tier3DueAt: '2026-12-02T09:00:00.000Z',
  resolution: null,
  title: '用地审批',
  description: '',
} as unknown as Ticket;

describe('ticketChanges', () => {
  it('lists each changed field with the held and the current value in Chinese', () => {
    const fresh = { ...held, status: 'resolved', resolution: '已完成', version: 3 } as Ticket;
    expect(ticketChanges(held, fresh)).toEqual([
      { field: '状态', before: '已交办', after: '已办结' },
      { field: '办结情况', before: '—', after: '已完成' },
    ]);
  });

  it('names a new tier, owner and deadline after an escalation', () => {
    const fresh = {
      ...held,
      tier: 2,
      owner: { ...held.owner, users: [{ id: 'u2', displayName: '张副主任' }] },
      tier2DueAt: '2026-12-01T10:00:00.000Z',
    } as Ticket;
    expect(ticketChanges(held, fresh).map((c) => [c.field, c.after])).toEqual([
      ['层级', '二级'],
      ['当前责任人', '张副主任'],
      ['二级时限', '12/01 18:00'],
    ]);
  });

  it('is empty when nothing shown changed', () => {
    expect(ticketChanges(held, { ...held, version: 9 } as Ticket)).toEqual([]);
  });
});
