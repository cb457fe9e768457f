import type { SlaSnapshot } from './sla-clock';

const DAY = 86_400_000;

/** The default policy as a ticket copied it before counting existed (read as elapsed), for tests. */
export const ELAPSED_1_2_3: SlaSnapshot = {
  policyId: null,
  mode: 'working_days',
  budgetsMs: [DAY, 2 * DAY, 3 * DAY],
  warnRatio: 0.75,
  tier2Owner: 'deputy_leader',
  reminderMs: null,
};

/** The default policy as a ticket copies it now: legal counting. */
export const LEGAL_1_2_3: SlaSnapshot = { ...ELAPSED_1_2_3, counting: 'legal', budgetDays: [1, 2, 3] };
