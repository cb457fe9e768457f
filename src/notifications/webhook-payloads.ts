import { SURVEY_ANSWERS } from '../surveys/entities/survey.entity';
import { TICKET_STATUSES } from '../tickets/ticket-status';
import type { WebhookEvent } from './webhook-events';

/**
 * The payload of each webhook event, as JSON Schema (OpenAPI 3.1): what the document's
 * `webhooks` section promises receivers. Fields are the ones the README's event table lists;
 * receivers should ignore fields they do not know, since new ones may be added.
 */
type FieldSchema = Record<string, unknown>;

const uuid: FieldSchema = { type: 'string', format: 'uuid' };
const nullableUuid: FieldSchema = { type: ['string', 'null'], format: 'uuid' };
const text: FieldSchema = { type: 'string' };
const nullableText: FieldSchema = { type: ['string', 'null'] };
const time: FieldSchema = { type: 'string', format: 'date-time' };
const tier: FieldSchema = { type: 'integer', minimum: 1, maximum: 3 };
const status: FieldSchema = { type: 'string', enum: [...TICKET_STATUSES] };

const ticket = { ticketId: uuid, number: text };
const transition = { ...ticket, status, note: nullableText };
const deadline = { ...ticket, title: text, category: text };
const survey = {
  ...ticket,
  title: text,
  round: { type: 'integer', minimum: 1 },
  reminder: { type: 'integer', minimum: 0, description: 'How many reminders had been sent: 0 on the first sending' },
  linkVersion: { type: 'integer' },
  link: { type: 'string', format: 'uri' },
  expiresAt: time,
  enterprise: {
    type: 'object',
    properties: { id: uuid, name: text, contacts: { type: 'array', items: { type: 'object' } } },
  },
};

export const WEBHOOK_PAYLOADS: Record<WebhookEvent, { summary: string; fields: Record<string, FieldSchema> }> = {
  'ticket.created': {
    summary: 'A demand was filed (POST /tickets, or each demand of POST /engagements)',
    fields: {
      ...ticket,
      title: text,
      category: text,
      channel: text,
      enterpriseId: uuid,
      engagementId: nullableUuid,
      departmentId: nullableUuid,
      status,
      tier,
      createdBy: uuid,
      createdAt: time,
      pairedLeaderId: nullableUuid,
    },
  },
  'ticket.routed': { summary: 'A demand was routed to a department', fields: transition },
  'ticket.started': { summary: 'Its owner started work', fields: transition },
  'ticket.paused': { summary: 'Paused, waiting on the enterprise', fields: transition },
  'ticket.resumed': { summary: 'Resumed after a pause', fields: transition },
  'ticket.returned': { summary: 'Handed back as misrouted', fields: transition },
  'ticket.extended': { summary: "The current tier's deadline was extended", fields: transition },
  'ticket.resolved': { summary: 'Resolved; the follow-up survey begins', fields: transition },
  'ticket.reopened': { summary: 'The survey was answered unsatisfied', fields: transition },
  'ticket.closed': { summary: 'The survey was answered satisfied, or had no response', fields: transition },
  'ticket.warned': { summary: "A tier's warning point passed", fields: { ...deadline, tier, dueAt: time } },
  'ticket.escalated': {
    summary: "A tier's deadline passed: the demand moved up a tier",
    fields: {
      ...deadline,
      fromTier: tier,
      toTier: tier,
      owner: { type: 'string', enum: ['department', 'deputy_leader', 'paired_leader', 'principal_leaders', 'managers'] },
      assigneeId: nullableUuid,
      previousOwners: { type: 'array', items: uuid },
    },
  },
  'ticket.overdue': { summary: 'The last deadline passed', fields: { ...deadline, tier } },
  'ticket.reminded': { summary: 'A reminder while the demand is overdue', fields: { ...deadline, overdueAt: time } },
  'survey.sent': { summary: 'A follow-up survey went out, or its link was sent again', fields: survey },
  'survey.reminded': { summary: 'A reminder of an unanswered survey', fields: survey },
  'survey.answered': {
    summary: 'A survey was answered, by link or by phone',
    fields: {
      ...ticket,
      round: { type: 'integer', minimum: 1 },
      answer: { type: 'string', enum: [...SURVEY_ANSWERS] },
      comment: nullableText,
      channel: { type: 'string', enum: ['link', 'phone'] },
    },
  },
  'survey.no_response': {
    summary: 'The survey window passed unanswered',
    fields: { ...ticket, round: { type: 'integer', minimum: 1 } },
  },
};
