import { describe, expect, it } from '@jest/globals';
import type { components } from '../../../../clients/api';
import { notificationText } from './notification-text';

type Notification = components['schemas']['NotificationDto'];
const notice = (type: string, body: string, data: Record<string, unknown> = {}) => ({ type, body, data }) as Notification;

describe('notificationText', () => {
  it('says SLA notices in Chinese from their data, with the ticket title', () => {
    expect(notificationText(notice('ticket.warned', 'Tier 1 deadline 2026-11-30T03:32:09.107Z: 天然气管道开口接驳', { tier: 1, dueAt: '2026-11-30T03:32:09.107Z' }))).toBe(
      '一级时限 11/30 11:32 将到，请尽快办理：天然气管道开口接驳',
    );
    expect(
      notificationText(notice('ticket.escalated', 'Tier 1 deadline passed; now with deputy leader until 2026-11-30T03:29:13.132Z: 厂区雨水排放改造', { fromTier: 1, toTier: 2 })),
    ).toBe('一级时限已过，已升至二级（分管领导）：厂区雨水排放改造');
    expect(notificationText(notice('ticket.overdue', 'Past its last deadline (2026-11-30T03:29:15.132Z): 厂区雨水排放改造', { tier: 3 }))).toBe('已超过最后办理时限：厂区雨水排放改造');
  });

  it('shows other bodies as they are', () => {
    expect(notificationText(notice('ticket.returned', '不属于本部门职责'))).toBe('不属于本部门职责');
    expect(notificationText(notice('ticket.warned', 'odd body', {}))).toBe('odd body');
  });
});
