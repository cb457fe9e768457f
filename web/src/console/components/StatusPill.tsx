import type { Ticket } from '../api/client';
import { labelOf, STATUS_LABELS } from '../lib/labels';

/** The ticket's status in Chinese, as a quiet pill (the tier tag carries the colour). */
export function StatusPill({ status }: { status: Ticket['status'] }) {
  return <span className="status-pill">{labelOf(STATUS_LABELS, status)}</span>;
}
