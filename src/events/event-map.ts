import type { SurveyAnswer, SurveyChannel } from '../surveys/entities/survey.entity';
import type { TicketStatus, Tier } from '../tickets/ticket-status';

/**
 * The one vocabulary of domain events, past tense: a bus event's name, an inbox notification's
 * `type` and a webhook's event are always one of these (README, "Event bus", says when each
 * fires). The migrations' CHECK constraints list the same values.
 *
 * Only types are imported from the floors above: the map describes their facts, it runs none
 * of their code.
 */
export const EVENT_NAMES = [
  'ticket.created',
  'ticket.routed',
  'ticket.started',
  'ticket.paused',
  'ticket.resumed',
  'ticket.returned',
  'ticket.extended',
  'ticket.resolved',
  'ticket.reopened',
  'ticket.closed',
  'ticket.warned',
  'ticket.escalated',
  'ticket.overdue',
  'ticket.reminded',
  'survey.sent',
  'survey.reminded',
  'survey.answered',
  'survey.no_response',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export interface TicketRef {
  ticketId: string;
  number: string;
}

/** A lifecycle action taken on a ticket, by a person or by the survey loop. */
export interface TransitionPayload extends TicketRef {
  status: TicketStatus;
  note: string | null;
}

/** An SLA timer's facts, shared by its four events. */
export interface DeadlinePayload extends TicketRef {
  title: string;
  category: string;
}

export type EscalationOwner = 'department' | 'deputy_leader' | 'paired_leader' | 'principal_leaders' | 'managers';

export interface TicketCreatedPayload extends TicketRef {
  title: string;
  category: string;
  channel: string;
  enterpriseId: string;
  engagementId: string | null;
  departmentId: string | null;
  status: TicketStatus;
  tier: Tier;
  createdBy: string;
  createdAt: string;
  pairedLeaderId: string | null;
}

export interface SurveyLinkPayload extends TicketRef {
  title: string;
  round: number;
  /** How many reminders had been sent: 0 on the first sending. */
  reminder: number;
  linkVersion: number;
  link: string;
  expiresAt: string | undefined;
  enterprise: { id: string; name: string; contacts: unknown[] };
}

/** The payload type of every event: adding a name to EVENT_NAMES without one does not compile. */
export interface EventPayloads {
  'ticket.created': TicketCreatedPayload;
  'ticket.routed': TransitionPayload;
  'ticket.started': TransitionPayload;
  'ticket.paused': TransitionPayload;
  'ticket.resumed': TransitionPayload;
  'ticket.returned': TransitionPayload;
  'ticket.extended': TransitionPayload;
  'ticket.resolved': TransitionPayload;
  'ticket.reopened': TransitionPayload;
  'ticket.closed': TransitionPayload;
  'ticket.warned': DeadlinePayload & { tier: Tier; dueAt: string };
  'ticket.escalated': DeadlinePayload & {
    fromTier: Tier;
    toTier: Tier;
    owner: EscalationOwner;
    assigneeId: string | null;
    previousOwners: string[];
  };
  'ticket.overdue': DeadlinePayload & { tier: Tier };
  'ticket.reminded': DeadlinePayload & { overdueAt: string };
  'survey.sent': SurveyLinkPayload;
  'survey.reminded': SurveyLinkPayload;
  'survey.answered': TicketRef & { round: number; answer: SurveyAnswer; comment: string | null; channel: SurveyChannel };
  'survey.no_response': TicketRef & { round: number };
}

// Both directions: every name has a payload type, and every payload type a name.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const EVERY_EVENT_HAS_A_PAYLOAD: Exact<EventName, keyof EventPayloads> = true;

export type TransitionEvent = {
  [N in EventName]: EventPayloads[N] extends TransitionPayload ? (TransitionPayload extends EventPayloads[N] ? N : never) : never;
}[EventName];

/** One event as emitted: its name, its typed payload. */
export type DomainEvent<N extends EventName = EventName> = { [K in N]: { name: K; payload: EventPayloads[K] } }[N];

/** Whom the inbox tells, when the producer decides so (who-hears); not part of the payload. */
export interface Notice {
  recipients: string[];
  title: string;
  body: string;
  data?: Record<string, unknown>;
}
