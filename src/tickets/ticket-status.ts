import type { EngagementType } from '../engagements/engagement-types';

export const TICKET_STATUSES = [
  'new',
  'assigned',
  'in_progress',
  'paused',
  'returned',
  'resolved',
  'reopened',
  'closed',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Statuses in which the demand is still someone's work. */
export const OPEN_STATUSES: readonly TicketStatus[] = ['new', 'assigned', 'in_progress', 'paused', 'returned', 'reopened'];

/** Where a demand came in: an engagement of that type, or directly online. */
export type TicketChannel = EngagementType;

export const TIERS = [1, 2, 3] as const;
export type Tier = (typeof TIERS)[number];
