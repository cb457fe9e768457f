import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RateLimits } from '../src/common/rate-limit/fixed-window';
import { type Actor, actor, createDepartment, createEnterprise, surveyTokenOf } from './support/fixtures';
import { ALIYUN, aliyunError, type FakeSms, fakeAliyunSms, fakeTencentSms, TENCENT, tencentError, tencentStatus } from './support/fake-sms';
import { sleep, until } from './support/polling';
import { startTestApp, type TestApp } from './support/test-app';

/** Surveys stay open for the whole file; transient SMS failures retry quickly. */
const BASE_ENV = { SURVEY_REMINDERS: 'PT1H', SURVEY_WINDOW: 'PT2H', PUBLIC_BASE_URL: 'https://desk.example.test/', SMS_BACKOFF_MS: '50' };

interface SmsRow {
  kind: string;
  reminder: number;
  status: string;
  provider: string | null;
  mobile: string | null;
  code: string | null;
  message: string | null;
  attempts: number;
  finishedAt: string | null;
}

/** One app with a given SMS configuration, and the demand flow that sends survey links. */
function world() {
  const w = {} as { t: TestApp; manager: Actor; liaison: Actor; handler: Actor };
  const setUp = async (env: Record<string, string> = {}) => {
    try {
      w.t = await startTestApp({ env: { ...BASE_ENV, ...env } });
    } finally {
      // process.env outlives the app: the next file must not inherit an SMS provider.
      for (const key of Object.keys(env)) delete process.env[key];
    }
    w.manager = await actor(w.t, 'manager', 'manager');
    w.liaison = await actor(w.t, 'liaison', 'liaison_officer');
    const land = await createDepartment(w.t, '自然资源局', ['land']);
    w.handler = await actor(w.t, 'handler', 'department_handler', land.id);
  };
  /** Files and resolves a demand of a new enterprise; returns the ticket and the survey link from the inbox. */
  const surveyed = async (contactMobile: string | null, park: string | null = '襄垣经开区') => {
    const enterprise = await createEnterprise(w.t, { contactMobile, park });
    const { t, liaison, handler } = w;
    const ticket = (await t.http.post('/api/v1/tickets').set('Authorization', liaison.auth).send({ enterpriseId: enterprise.id, category: 'land', title: '厂区道路', channel: 'online' }).expect(201)).body as { id: string; number: string };
    await t.http.post(`/api/v1/tickets/${ticket.id}/resolve`).set('Authorization', handler.auth).send({ resolution: '已修复' }).expect(200);
    const link = await until('the survey link in the inbox', async () => {
      const items = (await t.http.get('/api/v1/notifications?limit=100').set('Authorization', liaison.auth).expect(200)).body.items as { type: string; ticketId: string; data: { link?: string } }[];
      return items.find((n) => n.ticketId === ticket.id && n.type === 'survey.sent')?.data.link;
    });
    return { ticket, link };
  };
  const smsOf = async (ticketId: string): Promise<SmsRow[]> =>
    ((await w.t.http.get(`/api/v1/tickets/${ticketId}/surveys`).set('Authorization', w.liaison.auth).expect(200)).body as { sms: SmsRow[] }[])[0].sms;
  /** The survey's messages once none is pending. */
  const settled = (ticketId: string, count = 1) =>
    until('the SMS outcome on the survey', async () => {
      const rows = await smsOf(ticketId);
      return rows.length === count && rows.every((r) => r.status !== 'pending') && rows;
    });
  return { w, setUp, surveyed, settled };
}

describe('survey links by SMS through Alibaba Cloud', () => {
  let fake: FakeSms;
  const { w, setUp, surveyed, settled } = world();

  beforeAll(async () => {
    fake = await fakeAliyunSms();
    await setUp({
      SMS_PROVIDER: 'aliyun',
      ALIYUN_SMS_ACCESS_KEY_ID: ALIYUN.accessKeyId,
      ALIYUN_SMS_ACCESS_KEY_SECRET: ALIYUN.accessKeySecret,
      ALIYUN_SMS_SIGN_NAME: ALIYUN.signName,
      ALIYUN_SMS_TEMPLATE_CODE: ALIYUN.templateCode,
      ALIYUN_SMS_ENDPOINT: fake.url,
    });
  });

  afterAll(async () => {
    await w.t?.close();
    await fake?.close();
  });

  it('sends the link with the zone and demand number, signed as documented, and records it sent', async () => {
    const { ticket, link } = await surveyed('13900000001');
    const [row] = await settled(ticket.id);
    expect(row).toMatchObject({ kind: 'sent', reminder: 0, status: 'sent', provider: 'aliyun', mobile: '139****0001', code: null, attempts: 1 });
    expect(fake.refused).toEqual([]);
    expect(fake.received).toEqual([{ mobile: '13900000001', params: { zone: '襄垣经开区', number: ticket.number, link } }]);
    expect(link).toMatch(/^https:\/\/desk\.example\.test\/s\//);
    await w.t.http.get(`/api/v1/surveys/${surveyTokenOf(link)}`).expect(200);
  });

  it('records a refused number with the platform code and message, and does not retry it', async () => {
    fake.script('13900000002', [aliyunError('isv.MOBILE_NUMBER_ILLEGAL', '非法手机号')]);
    const { ticket } = await surveyed('13900000002');
    const [row] = await settled(ticket.id);
    expect(row).toMatchObject({ status: 'failed', code: 'isv.MOBILE_NUMBER_ILLEGAL', message: '非法手机号', attempts: 1 });
  });

  it('retries the platform\'s own transient error with backoff and sends once', async () => {
    fake.script('13900000003', [aliyunError('isp.SYSTEM_ERROR', 'System error'), aliyunError('Throttling.User', 'Request was denied due to user flow control.')]);
    const { ticket } = await surveyed('13900000003', null);
    const [row] = await settled(ticket.id);
    expect(row).toMatchObject({ status: 'sent', attempts: 3, code: null });
    expect(fake.received.filter((r) => r.mobile === '13900000003').map((r) => r.params.zone)).toEqual(['本园区', '本园区', '本园区']);
  });

  it('holds the per-number limit: a second message within the minute is skipped, not sent', async () => {
    const { ticket: first } = await surveyed('13900000004');
    expect((await settled(first.id))[0].status).toBe('sent');
    const { ticket: second } = await surveyed('13900000004');
    const [row] = await settled(second.id);
    expect(row).toMatchObject({ status: 'skipped', code: 'rate_limited', attempts: 0 });
    expect(row.message).toMatch(/Too many messages to this number; retry in \d+ seconds/);
    expect(fake.received.filter((r) => r.mobile === '13900000004')).toHaveLength(1);
  });

  it('skips an enterprise without a contact mobile: the link stays in the inbox', async () => {
    const before = fake.received.length;
    const { ticket } = await surveyed(null);
    expect(await settled(ticket.id)).toMatchObject([{ status: 'skipped', code: 'no_mobile', provider: 'aliyun', mobile: null, attempts: 0 }]);
    await sleep(200);
    expect(fake.received).toHaveLength(before);
  });

  it('holds the limit for a link sent again within the minute, and sends the new link once the minute has passed', async () => {
    const { ticket, link: first } = await surveyed('13900000005');
    await settled(ticket.id);
    const resend = async () => (await w.t.http.post(`/api/v1/tickets/${ticket.id}/survey/link`).set('Authorization', w.liaison.auth).expect(200)).body.link as string;
    await resend();
    expect((await settled(ticket.id, 2)).map((r) => [r.kind, r.status, r.code])).toEqual([
      ['sent', 'sent', null],
      ['resent', 'skipped', 'rate_limited'],
    ]);
    // The minute's window ends (the hour's and the day's still count one message each).
    await w.t.app.get(RateLimits).window({ name: 'sms-minute', limit: 1, windowSeconds: 60 }).clear('13900000005');
    const third = await resend();
    expect((await settled(ticket.id, 3))[2]).toMatchObject({ kind: 'resent', status: 'sent' });
    expect(fake.received.filter((r) => r.mobile === '13900000005').map((r) => r.params.link)).toEqual([first, third]);
  });

  it('takes the contact mobile through the API, validated', async () => {
    const enterprise = await createEnterprise(w.t);
    const patch = (body: object) => w.t.http.patch(`/api/v1/enterprises/${enterprise.id}`).set('Authorization', w.manager.auth).send(body);
    expect((await patch({ contactMobile: '1390000000' }).expect(400)).body.code).toBe('validation_failed');
    expect((await patch({ contactMobile: '23900000000' }).expect(400)).body.code).toBe('validation_failed');
    expect((await patch({ contactMobile: ' 13900000009 ' }).expect(200)).body.contactMobile).toBe('13900000009');
    expect((await patch({ contactMobile: null }).expect(200)).body.contactMobile).toBeNull();
  });
});

describe('survey links by SMS through Tencent Cloud', () => {
  let fake: FakeSms;
  const { w, setUp, surveyed, settled } = world();

  beforeAll(async () => {
    fake = await fakeTencentSms();
    await setUp({
      SMS_PROVIDER: 'tencent',
      TENCENT_SMS_SECRET_ID: TENCENT.secretId,
      TENCENT_SMS_SECRET_KEY: TENCENT.secretKey,
      TENCENT_SMS_SDK_APP_ID: TENCENT.sdkAppId,
      TENCENT_SMS_SIGN_NAME: TENCENT.signName,
      TENCENT_SMS_TEMPLATE_ID: TENCENT.templateId,
      TENCENT_SMS_ENDPOINT: fake.url,
    });
  });

  afterAll(async () => {
    await w.t?.close();
    await fake?.close();
  });

  it('sends the link as the template\'s three positional parameters, signed as documented', async () => {
    const { ticket, link } = await surveyed('13700000001');
    expect(await settled(ticket.id)).toMatchObject([{ status: 'sent', provider: 'tencent', mobile: '137****0001', attempts: 1 }]);
    expect(fake.refused).toEqual([]);
    expect(fake.received).toEqual([{ mobile: '13700000001', params: { TemplateParamSet: ['襄垣经开区', ticket.number, link] } }]);
  });

  it('records per-number failures (FailedOperation.*, LimitExceeded.*) as final, with code and message', async () => {
    fake.script('13700000002', [tencentStatus('13700000002', 'FailedOperation.PhoneNumberInBlacklist', 'phone number in blacklist')]);
    fake.script('13700000003', [tencentStatus('13700000003', 'LimitExceeded.PhoneNumberDailyLimit', 'the number of SMS messages sent from a single mobile number every day exceeds the upper limit')]);
    const { ticket: blacklisted } = await surveyed('13700000002');
    const { ticket: limited } = await surveyed('13700000003');
    expect(await settled(blacklisted.id)).toMatchObject([{ status: 'failed', code: 'FailedOperation.PhoneNumberInBlacklist', message: 'phone number in blacklist', attempts: 1 }]);
    expect(await settled(limited.id)).toMatchObject([{ status: 'failed', code: 'LimitExceeded.PhoneNumberDailyLimit', attempts: 1 }]);
  });

  it('retries a request-level transient error (RequestLimitExceeded) and records the final outcome', async () => {
    fake.script('13700000004', [tencentError('RequestLimitExceeded', '请求的次数超过了频率限制。')]);
    const { ticket } = await surveyed('13700000004');
    expect(await settled(ticket.id)).toMatchObject([{ status: 'sent', attempts: 2 }]);
  });

  it('gives up after the last try of a persistent transient error, recording it failed', async () => {
    fake.script('13700000005', Array.from({ length: 5 }, () => tencentError('InternalError.Timeout', '请求下发短信超时。')));
    const { ticket } = await surveyed('13700000005');
    expect(await until('the last try', async () => (await settled(ticket.id))[0].attempts === 5 && settled(ticket.id), 40)).toMatchObject([
      { status: 'failed', code: 'InternalError.Timeout', attempts: 5 },
    ]);
  });
});

describe('survey links without SMS configured', () => {
  const { w, setUp, surveyed, settled } = world();

  beforeAll(() => setUp());
  afterAll(() => w.t?.close());

  it('sends nothing and records the link as kept in the inbox only', async () => {
    const { ticket, link } = await surveyed('13600000001');
    expect(link).toMatch(/\/s\//);
    expect(await settled(ticket.id)).toMatchObject([{ kind: 'sent', status: 'skipped', code: 'not_configured', provider: null, mobile: '136****0001', attempts: 0 }]);
  });
});
