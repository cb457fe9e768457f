import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import type { Role } from '../src/users/entities/user.entity';
import { validCreditCode } from './support/fixtures';
import { seedWorld, type World, type WorldIds } from './reliability/support/world';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Validation mirrors the schema: every CHECK constraint, NOT NULL column and length limit of the
 * migrated database is listed below with the requests whose validation enforces it, or with why
 * no request writes it. A constraint added without an entry fails the first test; each probe
 * sends a value the constraint would refuse and must get a 400 with the table unchanged (never
 * the constraint's 500).
 */

interface Probe {
  method: 'post' | 'put' | 'patch';
  path: (ids: WorldIds, world: World) => string;
  body: (ids: WorldIds, world: World) => object;
  as: Role;
}

type Rule = { internal: string } | { probes: Probe[] };

const probe =
  (method: Probe['method'], as: Role, path: string | Probe['path'], base: Probe['body']) =>
  (overrides: object | ((body: Record<string, unknown>) => object)): Probe => ({
    method,
    as,
    path: typeof path === 'string' ? () => path : path,
    body: (ids, world) => {
      const body = base(ids, world) as Record<string, unknown>;
      return typeof overrides === 'function' ? overrides(body) : { ...body, ...overrides };
    },
  });

// The requests that write each table, with a valid body a probe spoils one field of.
const createWebhook = probe('post', 'admin', '/api/v1/webhooks', () => ({
  url: 'https://relay.example.gov.cn/x',
  events: ['ticket.created'],
  secret: 'relay-secret-0123456789',
}));
const patchWebhook = probe('patch', 'admin', (ids) => `/api/v1/webhooks/${ids.webhookId}`, () => ({}));
const createChannel = probe('post', 'manager', '/api/v1/robot-channels', () => ({
  name: '领导群',
  platform: 'dingtalk',
  webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=probe0123456789',
  secret: 'SECprobe0123456789',
}));
const patchChannel = probe('patch', 'manager', (ids) => `/api/v1/robot-channels/${ids.robotChannelId}`, () => ({}));
const createRule = probe('post', 'manager', '/api/v1/robot-rules', (ids) => ({ channelId: ids.robotChannelId, events: ['ticket.escalated'] }));
const patchRule = probe('patch', 'manager', (ids) => `/api/v1/robot-rules/${ids.robotRuleId}`, () => ({}));
const createPolicy = probe('post', 'manager', '/api/v1/sla-policies', () => ({ name: '供电类', category: 'power', mode: 'working_days', budgets: [1, 2, 3] }));
const patchPolicy = probe('patch', 'manager', (ids) => `/api/v1/sla-policies/${ids.slaPolicyId}`, () => ({}));
const createDepartment = probe('post', 'manager', '/api/v1/departments', () => ({ name: '水务局', categories: ['water'] }));
const patchDepartment = probe('patch', 'manager', (ids) => `/api/v1/departments/${ids.departmentId}`, () => ({}));
const createEnterprise = probe('post', 'manager', '/api/v1/enterprises', () => ({ name: '新企业', creditCode: validCreditCode(4242) }));
const patchEnterprise = probe('patch', 'manager', (ids) => `/api/v1/enterprises/${ids.enterpriseId}`, () => ({}));
const createPairing = probe('post', 'manager', '/api/v1/pairings', (ids, world) => ({
  leaderId: world.actors.principal_leader.id,
  enterpriseId: ids.unpairedEnterpriseId,
}));
const endPairing = probe('post', 'manager', (ids) => `/api/v1/pairings/${ids.sparePairingId}/end`, () => ({ endedOn: '2026-01-01' }));
const createTicket = probe('post', 'liaison_officer', '/api/v1/tickets', (ids) => ({
  enterpriseId: ids.enterpriseId,
  category: 'land',
  title: '道路',
  channel: 'online',
}));
const patchTicket = probe('patch', 'liaison_officer', (ids) => `/api/v1/tickets/${ids.ticketId}`, () => ({}));
const resolveTicket = probe('post', 'department_handler', (ids) => `/api/v1/tickets/${ids.ticketId}/resolve`, () => ({ resolution: '已办结' }));
const createEngagement = probe('post', 'liaison_officer', '/api/v1/engagements', (ids) => ({
  type: 'visit',
  occurredAt: '2026-05-12T15:00:00+08:00',
  enterpriseIds: [ids.enterpriseId],
}));
const createUser = probe('post', 'admin', '/api/v1/users', () => ({
  username: 'newcomer',
  displayName: '新人',
  password: 'a-long-password-1',
  role: 'liaison_officer',
}));
const patchUser = probe('patch', 'admin', (ids) => `/api/v1/users/${ids.spareUserId}`, () => ({}));
const replaceYear = probe('put', 'manager', '/api/v1/calendar/2026', () => ({ days: [{ date: '2026-10-01', kind: 'holiday' }] }));
const day = (fields: object) => replaceYear({ days: [{ date: '2026-10-01', kind: 'holiday', ...fields }] });
const workingHours = probe('put', 'manager', '/api/v1/calendar/settings/working-hours', () => ({ start: '09:00', end: '17:30' }));
const answerLink = probe('post', 'liaison_officer', (_ids, world) => `/api/v1/surveys/${world.surveyToken}`, () => ({ answer: 'satisfied' }));
const answerPhone = probe('post', 'liaison_officer', (ids) => `/api/v1/tickets/${ids.surveyedTicketId}/survey-answer`, () => ({ answer: 'satisfied' }));

const SERVER_SET = 'set by the server, never from input';
const KEYS = 'a generated key or timestamp';

const RULES: Record<string, Rule> = {
  // CHECK constraints
  'calendar_days.calendar_days_check': { probes: [day({ date: '2026-10-08', kind: 'workday' }), day({ date: '2026-10-10', kind: 'holiday' })] },
  'calendar_days.calendar_days_kind_check': { probes: [day({ kind: 'festival' })] },
  'calendar_settings.calendar_settings_check': { probes: [workingHours({ start: '17:00', end: '09:00' })] },
  'calendar_settings.calendar_settings_id_check': { internal: 'a single settings row, id 1, written by the service' },
  'calendar_settings.calendar_settings_work_start_minute_check': { probes: [workingHours({ start: '25:00' }), workingHours({ start: '-1:00' })] },
  'calendar_settings.calendar_settings_work_end_minute_check': { probes: [workingHours({ end: '24:01' }), workingHours({ end: '00:00' })] },
  'engagements.engagements_type_check': { probes: [createEngagement({ type: 'party' })] },
  'pairings.pairings_check': { probes: [endPairing({ endedOn: '2000-01-01' })] },
  'sla_policies.sla_policies_budgets_check': {
    probes: [createPolicy({ budgets: [1, 2] }), createPolicy({ budgets: {} }), patchPolicy({ budgets: [1, 2, 3, 4] })],
  },
  'sla_policies.sla_policies_category_check': { probes: [createPolicy({ category: 'space' }), patchPolicy({ category: 'space' })] },
  'sla_policies.sla_policies_mode_check': { probes: [createPolicy({ mode: 'hours' }), patchPolicy({ mode: 'hours' })] },
  'sla_policies.sla_policies_tier2_owner_check': { probes: [createPolicy({ tier2Owner: 'boss' }), patchPolicy({ tier2Owner: 'boss' })] },
  'sla_policies.sla_policies_warn_ratio_check': { probes: [createPolicy({ warnRatio: 1 }), createPolicy({ warnRatio: 0 }), patchPolicy({ warnRatio: 1.5 })] },
  'sla_policies.sla_policies_counting_check': { probes: [createPolicy({ counting: 'lunar' }), patchPolicy({ counting: 'lunar' })] },
  'calendar_day_changes.calendar_day_changes_check': { internal: 'the change log records only days whose state changed' },
  'notifications.notifications_type_check': { internal: 'the event vocabulary: the server names every notice' },
  'enterprises.enterprises_contact_mobile_check': {
    probes: [createEnterprise({ contactMobile: '1380013800' }), createEnterprise({ contactMobile: '+8613800138000' }), patchEnterprise({ contactMobile: '23800138000' })],
  },
  'survey_sms.survey_sms_kind_check': { internal: SERVER_SET },
  'digest_runs.digest_runs_digests_check': { internal: 'counted by the digest run' },
  'survey_sms.survey_sms_link_version_check': { internal: 'copied from the survey' },
  'survey_sms.survey_sms_reminder_check': { internal: 'copied from the survey' },
  'survey_sms.survey_sms_provider_check': { internal: 'the configured SMS provider (validated env)' },
  'survey_sms.survey_sms_status_check': { internal: SERVER_SET },
  'survey_sms.survey_sms_attempts_check': { internal: SERVER_SET },
  'survey_sms.survey_sms_finished': { internal: 'status and finished_at are written together by the service' },
  'surveys.surveys_answer_check': { probes: [answerLink({ answer: 'meh' }), answerPhone({ answer: 'meh' })] },
  'surveys.surveys_answer_status': { internal: 'status and answer are written together by the service' },
  'surveys.surveys_channel_check': { internal: 'the route decides the channel (link or phone)' },
  'surveys.surveys_next_action_check': { internal: SERVER_SET },
  'surveys.surveys_next_action_pair': { internal: SERVER_SET },
  'surveys.surveys_reminders_sent_check': { internal: SERVER_SET },
  'surveys.surveys_resolved_tier_check': { internal: 'copied from the ticket at resolution' },
  'surveys.surveys_round_check': { internal: SERVER_SET },
  'surveys.surveys_status_check': { internal: SERVER_SET },
  'surveys.surveys_link_version_check': { internal: SERVER_SET },
  'tickets.tickets_category_check': { probes: [createTicket({ category: 'space' }), patchTicket({ category: 'space' })] },
  'tickets.tickets_channel_check': { probes: [createTicket({ channel: 'pigeon' })] },
  'tickets.tickets_next_event_check': { internal: 'the SLA clock' },
  'tickets.tickets_next_event_pair': { internal: 'the SLA clock' },
  'tickets.tickets_reopen_count_check': { internal: 'the survey loop' },
  'tickets.tickets_resolve_working_ms_check': { internal: 'computed at resolution' },
  'tickets.tickets_resolved_tier_check': { internal: 'the tier at resolution' },
  'tickets.tickets_starting_tier_check': { probes: [createTicket({ startingTier: 4 }), createTicket({ startingTier: 0 })] },
  'tickets.tickets_status_check': { internal: 'the lifecycle table' },
  'tickets.tickets_tier_check': { internal: 'the SLA clock' },
  'tickets.tickets_earlier_max_tier_check': { internal: 'the survey loop, when it reopens a round' },
  'tickets.tickets_overdue_working_ms_check': { internal: 'computed at resolution' },
  'users.users_mobile_check': {
    probes: [createUser({ mobile: '1380000000' }), createUser({ mobile: '23800000000' }), patchUser({ mobile: '+8613800000000' })],
  },
  'robot_channels.robot_channels_name_check': { probes: [createChannel({ name: '' }), createChannel({ name: '群'.repeat(101) }), patchChannel({ name: '' })] },
  'robot_channels.robot_channels_platform_check': { probes: [createChannel({ platform: 'teams' })] },
  'robot_channels.robot_channels_webhook_url_check': {
    probes: [
      createChannel({ webhookUrl: 'ftp://oapi.dingtalk.com/robot/send?access_token=x' }),
      createChannel({ webhookUrl: `https://oapi.dingtalk.com/robot/send?access_token=${'x'.repeat(480)}` }),
      patchChannel({ webhookUrl: 'oapi.dingtalk.com/robot/send?access_token=x' }),
    ],
  },
  'robot_channels.robot_channels_secret_check': { probes: [createChannel({ secret: 'SEC1234' }), patchChannel({ secret: 'S'.repeat(201) })] },
  'robot_channels.robot_channels_secret_platform_check': {
    probes: [
      createChannel({ secret: undefined }),
      createChannel({ platform: 'wecom', webhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=probe0123456789' }),
      patchChannel({ secret: null }),
    ],
  },
  'robot_rules.robot_rules_events_check': { probes: [createRule({ events: [] }), createRule({ events: ['ticket.exploded'] }), patchRule({ events: [] })] },
  'robot_rules.robot_rules_description_check': { probes: [createRule({ description: 'x'.repeat(501) }), patchRule({ description: 'x'.repeat(501) })] },
  'robot_deliveries.robot_deliveries_attempts_check': { internal: SERVER_SET },
  'robot_deliveries.robot_deliveries_parts_sent_check': { internal: SERVER_SET },
  'robot_deliveries.robot_deliveries_check': { internal: SERVER_SET },
  'robot_deliveries.robot_deliveries_event_check': { internal: 'events are named by the code' },
  'robot_deliveries.robot_deliveries_status_check': { internal: SERVER_SET },
  'robot_deliveries.robot_deliveries_ticket_event_check': { internal: SERVER_SET },
  'users.users_check': {
    probes: [createUser({ role: 'department_handler' }), patchUser({ role: 'department_handler' })],
  },
  'users.users_role_check': { probes: [createUser({ role: 'king' }), patchUser({ role: 'king' })] },
  'users.users_token_version_check': { internal: 'bumped by a password change or disabling' },
  'event_outbox.event_outbox_attempts_check': { internal: SERVER_SET },
  'event_outbox.event_outbox_event_check': { internal: 'events are named by the code' },
  'webhook_deliveries.webhook_deliveries_attempts_check': { internal: SERVER_SET },
  'webhook_deliveries.webhook_deliveries_check': { internal: SERVER_SET },
  'webhook_deliveries.webhook_deliveries_event_check': { internal: 'events are named by the code' },
  'webhook_deliveries.webhook_deliveries_status_check': { internal: SERVER_SET },
  'webhooks.webhooks_events_check': {
    probes: [createWebhook({ events: [] }), createWebhook({ events: ['ticket.exploded'] }), patchWebhook({ events: [] })],
  },
  'webhooks.webhooks_secret_check': { probes: [createWebhook({ secret: 'short' }), patchWebhook({ secret: 'x'.repeat(15) })] },
  'webhooks.webhooks_url_check': {
    probes: [createWebhook({ url: 'ftp://relay.example/x' }), createWebhook({ url: 'relay.example/x' }), patchWebhook({ url: 'gopher://relay.example/' })],
  },

  // NOT NULL columns
  'calendar_days.date NOT NULL': { probes: [day({ date: null })] },
  'calendar_days.kind NOT NULL': { probes: [day({ kind: null })] },
  'calendar_days.updated_at NOT NULL': { internal: KEYS },
  'calendar_days.manual NOT NULL': { internal: 'set by the day edits, cleared by whole-year replacement' },
  'calendar_day_changes.id NOT NULL': { internal: KEYS },
  'calendar_day_changes.date NOT NULL': { internal: 'the day edited' },
  'calendar_day_changes.created_at NOT NULL': { internal: KEYS },
  'calendar_settings.id NOT NULL': { internal: KEYS },
  'calendar_settings.work_start_minute NOT NULL': { probes: [workingHours({ start: null })] },
  'calendar_settings.work_end_minute NOT NULL': { probes: [workingHours({ end: null })] },
  'calendar_years.year NOT NULL': { internal: 'the path parameter, validated as a year 2000-2100' },
  'calendar_years.source NOT NULL': { internal: SERVER_SET },
  'calendar_years.updated_at NOT NULL': { internal: KEYS },
  'departments.id NOT NULL': { internal: KEYS },
  'departments.name NOT NULL': { probes: [createDepartment({ name: null }), patchDepartment({ name: null })] },
  'departments.categories NOT NULL': { probes: [createDepartment({ categories: null }), patchDepartment({ categories: null })] },
  'departments.created_at NOT NULL': { internal: KEYS },
  'departments.updated_at NOT NULL': { internal: KEYS },
  'engagement_enterprises.engagement_id NOT NULL': { internal: KEYS },
  'engagement_enterprises.enterprise_id NOT NULL': { probes: [createEngagement({ enterpriseIds: null }), createEngagement({ enterpriseIds: [null] })] },
  'engagement_enterprises.occurred_at NOT NULL': { probes: [createEngagement({ occurredAt: null })] },
  'engagements.id NOT NULL': { internal: KEYS },
  'engagements.type NOT NULL': { probes: [createEngagement({ type: null })] },
  'engagements.occurred_at NOT NULL': { probes: [createEngagement({ occurredAt: null })] },
  'engagements.official_ids NOT NULL': { probes: [createEngagement({ officialIds: null })] },
  'engagements.created_by NOT NULL': { internal: 'the caller' },
  'engagements.created_at NOT NULL': { internal: KEYS },
  'enterprises.id NOT NULL': { internal: KEYS },
  'enterprises.name NOT NULL': { probes: [createEnterprise({ name: null }), patchEnterprise({ name: null })] },
  'enterprises.credit_code NOT NULL': { probes: [createEnterprise({ creditCode: null }), patchEnterprise({ creditCode: null })] },
  'enterprises.is_key NOT NULL': { probes: [createEnterprise({ isKey: null }), patchEnterprise({ isKey: null })] },
  'enterprises.contacts NOT NULL': { probes: [createEnterprise({ contacts: null }), patchEnterprise({ contacts: null })] },
  'enterprises.created_at NOT NULL': { internal: KEYS },
  'enterprises.updated_at NOT NULL': { internal: KEYS },
  'idempotency_keys.user_id NOT NULL': { internal: 'the caller' },
  'idempotency_keys.key NOT NULL': { internal: 'the Idempotency-Key header, checked by the interceptor' },
  'idempotency_keys.route NOT NULL': { internal: SERVER_SET },
  'idempotency_keys.request_hash NOT NULL': { internal: SERVER_SET },
  'idempotency_keys.created_at NOT NULL': { internal: KEYS },
  'migrations.id NOT NULL': { internal: 'TypeORM' },
  'migrations.timestamp NOT NULL': { internal: 'TypeORM' },
  'migrations.name NOT NULL': { internal: 'TypeORM' },
  'notifications.id NOT NULL': { internal: KEYS },
  'notifications.user_id NOT NULL': { internal: SERVER_SET },
  'notifications.type NOT NULL': { internal: SERVER_SET },
  'notifications.title NOT NULL': { internal: SERVER_SET },
  'notifications.body NOT NULL': { internal: SERVER_SET },
  'notifications.data NOT NULL': { internal: SERVER_SET },
  'notifications.created_at NOT NULL': { internal: KEYS },
  'pairings.id NOT NULL': { internal: KEYS },
  'pairings.leader_id NOT NULL': { probes: [createPairing({ leaderId: null })] },
  'pairings.enterprise_id NOT NULL': { probes: [createPairing({ enterpriseId: null })] },
  'pairings.started_on NOT NULL': { probes: [createPairing({ startedOn: null })] },
  'pairings.created_by NOT NULL': { internal: 'the caller' },
  'pairings.created_at NOT NULL': { internal: KEYS },
  'sla_policies.id NOT NULL': { internal: KEYS },
  'sla_policies.name NOT NULL': { probes: [createPolicy({ name: null }), patchPolicy({ name: null })] },
  'sla_policies.mode NOT NULL': { probes: [createPolicy({ mode: null }), patchPolicy({ mode: null })] },
  'sla_policies.budgets NOT NULL': { probes: [createPolicy({ budgets: null }), patchPolicy({ budgets: null })] },
  'sla_policies.warn_ratio NOT NULL': { probes: [createPolicy({ warnRatio: null }), patchPolicy({ warnRatio: null })] },
  'sla_policies.tier2_owner NOT NULL': { probes: [createPolicy({ tier2Owner: null }), patchPolicy({ tier2Owner: null })] },
  'sla_policies.counting NOT NULL': { probes: [createPolicy({ counting: null }), patchPolicy({ counting: null })] },
  'sla_policies.created_at NOT NULL': { internal: KEYS },
  'sla_policies.updated_at NOT NULL': { internal: KEYS },
  'survey_sms.id NOT NULL': { internal: KEYS },
  'survey_sms.survey_id NOT NULL': { internal: 'the survey whose link it carries' },
  'survey_sms.kind NOT NULL': { internal: SERVER_SET },
  'digest_runs.day NOT NULL': { internal: KEYS },
  'digest_runs.ran_at NOT NULL': { internal: SERVER_SET },
  'digest_runs.digests NOT NULL': { internal: SERVER_SET },
  'survey_sms.link_version NOT NULL': { internal: 'copied from the survey' },
  'survey_sms.reminder NOT NULL': { internal: 'copied from the survey' },
  'survey_sms.status NOT NULL': { internal: SERVER_SET },
  'survey_sms.attempts NOT NULL': { internal: SERVER_SET },
  'survey_sms.created_at NOT NULL': { internal: KEYS },
  'surveys.id NOT NULL': { internal: KEYS },
  'surveys.ticket_id NOT NULL': { internal: 'the resolved ticket' },
  'surveys.round NOT NULL': { internal: SERVER_SET },
  'surveys.status NOT NULL': { internal: SERVER_SET },
  'surveys.resolution NOT NULL': { probes: [resolveTicket({ resolution: null })] },
  'surveys.resolved_at NOT NULL': { internal: SERVER_SET },
  'surveys.reminders_sent NOT NULL': { internal: SERVER_SET },
  'surveys.created_at NOT NULL': { internal: KEYS },
  'surveys.updated_at NOT NULL': { internal: KEYS },
  'surveys.link_version NOT NULL': { internal: SERVER_SET },
  'ticket_events.id NOT NULL': { internal: KEYS },
  'ticket_events.ticket_id NOT NULL': { internal: SERVER_SET },
  'ticket_events.type NOT NULL': { internal: SERVER_SET },
  'ticket_events.created_at NOT NULL': { internal: KEYS },
  'ticket_number_counters.year NOT NULL': { internal: SERVER_SET },
  'ticket_number_counters.last_value NOT NULL': { internal: SERVER_SET },
  'tickets.id NOT NULL': { internal: KEYS },
  'tickets.number NOT NULL': { internal: SERVER_SET },
  'tickets.enterprise_id NOT NULL': { probes: [createTicket({ enterpriseId: null })] },
  'tickets.channel NOT NULL': { probes: [createTicket({ channel: null })] },
  'tickets.category NOT NULL': { probes: [createTicket({ category: null }), patchTicket({ category: null })] },
  'tickets.title NOT NULL': { probes: [createTicket({ title: null }), patchTicket({ title: null })] },
  'tickets.description NOT NULL': { probes: [createTicket({ description: null }), patchTicket({ description: null })] },
  'tickets.attachments NOT NULL': { probes: [createTicket({ attachments: null }), patchTicket({ attachments: null })] },
  'tickets.starting_tier NOT NULL': { probes: [createTicket({ startingTier: null })] },
  'tickets.tier NOT NULL': { internal: 'the SLA clock (from startingTier)' },
  'tickets.status NOT NULL': { internal: 'the lifecycle table' },
  'tickets.created_by NOT NULL': { internal: 'the caller' },
  'tickets.version NOT NULL': { internal: SERVER_SET },
  'tickets.created_at NOT NULL': { internal: KEYS },
  'tickets.updated_at NOT NULL': { internal: KEYS },
  'tickets.warned_tier NOT NULL': { internal: 'the SLA clock' },
  'tickets.clock_version NOT NULL': { internal: 'the SLA clock' },
  'tickets.resolution_attachments NOT NULL': { probes: [resolveTicket({ attachments: null })] },
  'tickets.reopen_count NOT NULL': { internal: 'the survey loop' },
  'tickets.earlier_max_tier NOT NULL': { internal: 'the survey loop, when it reopens a round' },
  'tickets.earlier_overdue NOT NULL': { internal: 'the survey loop, when it reopens a round' },
  'tickets.overdue_working_ms NOT NULL': { internal: 'computed at resolution' },
  'tickets.holder_ids NOT NULL': { internal: 'kept by a trigger when the owner changes' },
  'users.id NOT NULL': { internal: KEYS },
  'users.token_version NOT NULL': { internal: 'bumped by a password change or disabling' },
  'users.username NOT NULL': { probes: [createUser({ username: null })] },
  'users.display_name NOT NULL': { probes: [createUser({ displayName: null }), patchUser({ displayName: null })] },
  'users.password_hash NOT NULL': { probes: [createUser({ password: null }), patchUser({ password: null })] },
  'users.role NOT NULL': { probes: [createUser({ role: null }), patchUser({ role: null })] },
  'users.active NOT NULL': { probes: [patchUser({ active: null })] },
  'users.created_at NOT NULL': { internal: KEYS },
  'users.updated_at NOT NULL': { internal: KEYS },
  'robot_channels.id NOT NULL': { internal: KEYS },
  'robot_channels.name NOT NULL': { probes: [createChannel({ name: null }), patchChannel({ name: null })] },
  'robot_channels.platform NOT NULL': { probes: [createChannel({ platform: null })] },
  'robot_channels.webhook_url NOT NULL': { probes: [createChannel({ webhookUrl: null }), patchChannel({ webhookUrl: null })] },
  'robot_channels.active NOT NULL': { probes: [patchChannel({ active: null })] },
  'robot_channels.created_at NOT NULL': { internal: KEYS },
  'robot_channels.updated_at NOT NULL': { internal: KEYS },
  'robot_rules.id NOT NULL': { internal: KEYS },
  'robot_rules.channel_id NOT NULL': { probes: [createRule({ channelId: null })] },
  'robot_rules.events NOT NULL': { probes: [createRule({ events: null }), patchRule({ events: null })] },
  'robot_rules.mention_owners NOT NULL': { probes: [createRule({ mentionOwners: null }), patchRule({ mentionOwners: null })] },
  'robot_rules.active NOT NULL': { probes: [patchRule({ active: null })] },
  'robot_rules.created_at NOT NULL': { internal: KEYS },
  'robot_rules.updated_at NOT NULL': { internal: KEYS },
  'robot_deliveries.id NOT NULL': { internal: KEYS },
  'robot_deliveries.channel_id NOT NULL': { internal: SERVER_SET },
  'robot_deliveries.event_id NOT NULL': { internal: SERVER_SET },
  'robot_deliveries.payload NOT NULL': { internal: SERVER_SET },
  'robot_deliveries.mention_owners NOT NULL': { internal: SERVER_SET },
  'robot_deliveries.status NOT NULL': { internal: SERVER_SET },
  'robot_deliveries.attempts NOT NULL': { internal: SERVER_SET },
  'robot_deliveries.parts_sent NOT NULL': { internal: SERVER_SET },
  'robot_deliveries.not_before NOT NULL': { internal: 'the quiet hours, computed when the event is recorded' },
  'robot_deliveries.created_at NOT NULL': { internal: KEYS },
  'event_outbox.id NOT NULL': { internal: KEYS },
  'event_outbox.event NOT NULL': { internal: SERVER_SET },
  'event_outbox.payload NOT NULL': { internal: SERVER_SET },
  'event_outbox.pending NOT NULL': { internal: SERVER_SET },
  'event_outbox.attempts NOT NULL': { internal: SERVER_SET },
  'event_outbox.created_at NOT NULL': { internal: KEYS },
  'webhook_deliveries.id NOT NULL': { internal: KEYS },
  'webhook_deliveries.webhook_id NOT NULL': { internal: SERVER_SET },
  'webhook_deliveries.event NOT NULL': { internal: SERVER_SET },
  'webhook_deliveries.payload NOT NULL': { internal: SERVER_SET },
  'webhook_deliveries.status NOT NULL': { internal: SERVER_SET },
  'webhook_deliveries.attempts NOT NULL': { internal: SERVER_SET },
  'webhook_deliveries.created_at NOT NULL': { internal: KEYS },
  'webhooks.id NOT NULL': { internal: KEYS },
  'webhooks.url NOT NULL': { probes: [createWebhook({ url: null }), patchWebhook({ url: null })] },
  'webhooks.events NOT NULL': { probes: [createWebhook({ events: null }), patchWebhook({ events: null })] },
  'webhooks.secret NOT NULL': { probes: [createWebhook({ secret: null }), patchWebhook({ secret: null })] },
  'webhooks.active NOT NULL': { probes: [patchWebhook({ active: null })] },
  'webhooks.created_at NOT NULL': { internal: KEYS },
  'webhooks.updated_at NOT NULL': { internal: KEYS },

  // Length limits
  'enterprises.credit_code LENGTH 18': {
    probes: [createEnterprise({ creditCode: `${validCreditCode(4243)}0` }), patchEnterprise({ creditCode: validCreditCode(4244).slice(0, 17) })],
  },
};

describe('validation mirrors the schema', () => {
  let t: TestApp;
  let world: World;
  let db: DataSource;

  beforeAll(async () => {
    t = await startTestApp();
    world = await seedWorld(t);
    db = t.app.get(DataSource);
  });

  afterAll(async () => {
    await t?.close();
  });

  /** Every CHECK constraint, NOT NULL column and length limit of the migrated schema. */
  const schemaConstraints = async (): Promise<string[]> => {
    const rows = (await db.query(`
      SELECT conrelid::regclass::text || '.' || conname AS key FROM pg_constraint
       WHERE contype = 'c' AND connamespace = 'public'::regnamespace
      UNION ALL
      SELECT table_name || '.' || column_name || ' NOT NULL' FROM information_schema.columns
       WHERE table_schema = 'public' AND is_nullable = 'NO'
      UNION ALL
      SELECT table_name || '.' || column_name || ' LENGTH ' || character_maximum_length FROM information_schema.columns
       WHERE table_schema = 'public' AND character_maximum_length IS NOT NULL`)) as { key: string }[];
    return rows.map((r) => r.key).sort();
  };

  it('maps every constraint of the schema, and nothing else', async () => {
    const inSchema = await schemaConstraints();
    expect(inSchema.filter((key) => !(key in RULES))).toEqual([]);
    expect(Object.keys(RULES).filter((key) => !inSchema.includes(key))).toEqual([]);
  });

  /** A digest of every row of a table: equal before and after means nothing was written. */
  const digest = async (table: string): Promise<string> =>
    ((await db.query(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS d FROM ${table} t`)) as { d: string }[])[0].d;

  const probed = Object.entries(RULES).flatMap(([key, rule]) => ('probes' in rule ? rule.probes.map((p, i) => [key, i, p] as const) : []));

  it.each(probed)('%s: probe %i is a 400 and writes nothing', async (key, _i, p) => {
    const table = key.split('.')[0];
    const before = await digest(table);
    const path = p.path(world.ids, world);
    const body = p.body(world.ids, world);
    const res = await t.http[p.method](path).set('Authorization', world.actors[p.as].auth).send(body);
    expect({ status: res.status, code: res.body.code, body }).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await digest(table)).toBe(before);
  });

  it('accepts an upper-case URL scheme and stores it as the CHECK wants', async () => {
    const admin = world.actors.admin.auth;
    const created = await t.http
      .post('/api/v1/webhooks')
      .set('Authorization', admin)
      .send({ url: 'HTTPS://Relay.Example.gov.cn/X', events: ['ticket.created'], secret: 'relay-secret-0123456789' })
      .expect(201);
    expect(created.body.url).toBe('https://Relay.Example.gov.cn/X');
    const patched = await t.http.patch(`/api/v1/webhooks/${created.body.id}`).set('Authorization', admin).send({ url: 'Http://relay.example/y' }).expect(200);
    expect(patched.body.url).toBe('http://relay.example/y');
  });

  it('refuses out-of-range dates and oversize durations (the 500s of the outside probe)', async () => {
    const { admin, manager } = world.actors;
    const get = (path: string) => t.http.get(path).set('Authorization', admin.auth);
    for (const path of [
      '/api/v1/stats/pairing?month=0000-01',
      '/api/v1/stats/pairing?month=9999-12',
      '/api/v1/stats/summary?from=0001-01-01',
      '/api/v1/stats/breakdown?groupBy=month&to=9999-12-31T00:00:00Z',
      '/api/v1/tickets?createdFrom=1970-01-01',
      '/api/v1/tickets/export?resolvedTo=2101-01-01',
      '/api/v1/engagements?to=0999-01-01',
      '/api/v1/pairings?at=9999-01-01',
      '/api/v1/calendar/1999',
    ]) {
      const res = await get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
    }
    const before = await digest('sla_policies');
    for (const body of [
      { name: '演练', category: 'gas', mode: 'duration', budgets: ['PT1S', 'PT2S', 'P14285000W'] },
      { name: '演练', category: 'gas', mode: 'duration', budgets: ['PT1S', 'PT2S', 'P367D'] },
      { name: '演练', category: 'gas', mode: 'working_days', budgets: [1, 2, 366] },
      { name: '演练', category: 'gas', mode: 'working_days', budgets: [1, 2, 3], reminderInterval: 'P9999W' },
    ]) {
      await t.http.post('/api/v1/sla-policies').set('Authorization', manager.auth).send(body).expect(400);
    }
    await t.http
      .patch(`/api/v1/sla-policies/${world.ids.slaPolicyId}`)
      .set('Authorization', manager.auth)
      .send({ mode: 'duration', budgets: ['PT1S', 'PT2S', 'P14285000W'] })
      .expect(400);
    expect(await digest('sla_policies')).toBe(before);
  });
});
