export const SLA_QUEUE = 'sla';

export const SlaJob = {
  /** Handle whatever is due on one ticket. */
  Due: 'due',
  /** Find tickets whose event passed unhandled or whose job is missing. */
  Sweep: 'sweep',
} as const;

export interface DueJobData {
  ticketId: string;
}
