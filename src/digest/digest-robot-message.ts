import { derivedUuid } from '../common/idempotency/creation-ids';
import { inert, type RobotMessage } from '../robots/robot-message';
import { type Digest, type DigestRecipient, digestCounts, digestLines } from './morning-digest';

/**
 * A recipient's digest as a group robot message, and where it goes: a department's digest to
 * the channels its routing rules use (`RobotOutbox.channelsFor(departmentId)`), each leader's
 * to the channels of the rules for every ticket (`channelsFor(null)`, the leaders' groups).
 */
export const digestChannelScope = (recipient: DigestRecipient): string | null => (recipient.kind === 'leader' ? null : recipient.id);

/**
 * The delivery's message id: the same day, recipient and channel always give the same id, so
 * the outbox records a digest once per channel however often it is asked to.
 */
export const digestMessageId = (day: string, recipient: DigestRecipient, channelId: string): string =>
  derivedUuid(['digest.morning', day, recipient.kind, recipient.id, channelId]);

/**
 * In Chinese: the day and recipient as the heading, the section counts, one line per demand
 * (what users wrote made inert), who it is for, and a link to the console. The people it is
 * for (the leader; the department's handlers) are named, and @-mentioned by mobile where the
 * platform can (WeCom, DingTalk). Overdue demands colour it as a warning (the Feishu header).
 * Platform limits are the renderers' business: WeCom splits, DingTalk and Feishu cut.
 */
export function digestRobotMessage(digest: Digest, publicBaseUrl: string): RobotMessage {
  const { recipient } = digest;
  const names = recipient.people.map((p) => inert(p.name));
  return {
    title: `【晨报】${digest.day} ${inert(recipient.name)}`,
    lines: [digestCounts(digest), ...digestLines(digest, inert), ...(names.length > 0 ? [`请查阅：${names.join('、')}`] : [])],
    link: { label: '打开工作台', url: `${publicBaseUrl.replace(/\/+$/, '')}/` },
    mentions: { names, mobiles: recipient.people.flatMap((p) => (p.mobile ? [p.mobile] : [])) },
    severity: digest.overdue.length > 0 ? 'warning' : 'info',
  };
}
