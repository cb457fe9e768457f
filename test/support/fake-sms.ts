import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { acs3Sign, canonicalQuery, sha256Hex } from '../../src/sms/acs3-signature';
import { tc3Date, tc3Sign } from '../../src/sms/tc3-signature';

/**
 * Local stand-ins for the SMS platforms. Each checks a request the way its platform documents
 * it (method, path, headers, body shape, and the signature recomputed here from what arrived
 * with the shared secret), refuses a bad one with the platform's own error, and otherwise
 * answers with what the test scripted for the number (success by default).
 */
export interface FakeSms {
  url: string;
  /** Every request that passed the checks, by mobile (11 digits). */
  received: { mobile: string; params: Record<string, unknown> }[];
  /** Requests refused for their shape or signature (a test expects none). */
  refused: string[];
  /** The next answers for a number, used in order; afterwards success. */
  script(mobile: string, answers: unknown[]): void;
  close(): Promise<void>;
}

const read = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

async function serve(handle: (req: IncomingMessage, body: string, fake: FakeSms) => { status: number; body: unknown }): Promise<FakeSms> {
  const scripts = new Map<string, unknown[]>();
  const fake: FakeSms = {
    url: '',
    received: [],
    refused: [],
    script: (mobile, answers) => scripts.set(mobile, [...(scripts.get(mobile) ?? []), ...answers]),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    void read(req).then((body) => {
      const answer = handle(req, body, fake);
      res.writeHead(answer.status, { 'content-type': 'application/json;charset=utf-8' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  (fake as FakeSms & { next: (mobile: string) => unknown }).next = (mobile) => scripts.get(mobile)?.shift();
  return fake;
}

const nextAnswer = (fake: FakeSms, mobile: string): unknown => (fake as FakeSms & { next: (mobile: string) => unknown }).next(mobile);

export const ALIYUN = { accessKeyId: 'LTAI5tTestKeyId', accessKeySecret: 'test-secret-aliyun-0123456789', signName: '襄垣经开区', templateCode: 'SMS_465820001' };

/** An Alibaba Cloud error body as SendSms returns it (HTTP 200 for business errors). */
export const aliyunError = (code: string, message: string) => ({ Code: code, Message: message, RequestId: 'F655A8D5-B967-440B-8683-DAD6FF8DE990' });

/** Alibaba Cloud SMS SendSms, called the V3 way (ACS3-HMAC-SHA256, parameters in the query). */
export function fakeAliyunSms(): Promise<FakeSms> {
  return serve((req, body, fake) => {
    const refuse = (status: number, code: string, message: string) => {
      fake.refused.push(`${code}: ${message}`);
      return { status, body: aliyunError(code, message) };
    };
    const url = new URL(req.url!, 'http://fake');
    const rawQuery = (req.url!.split('?')[1] ?? '');
    const query = Object.fromEntries(url.searchParams);
    if (req.method !== 'POST' || url.pathname !== '/') return refuse(404, 'InvalidAction.NotFound', `${req.method} ${url.pathname}`);
    if (req.headers['x-acs-action'] !== 'SendSms' || req.headers['x-acs-version'] !== '2017-05-25') return refuse(400, 'InvalidAction.NotFound', 'action or version');
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(String(req.headers['x-acs-date']))) return refuse(400, 'InvalidTimeStamp.Format', String(req.headers['x-acs-date']));
    if (!req.headers['x-acs-signature-nonce']) return refuse(400, 'MissingSignatureNonce', 'x-acs-signature-nonce');
    if (req.headers['x-acs-content-sha256'] !== sha256Hex(body)) return refuse(400, 'InvalidContentSha256', 'x-acs-content-sha256');
    if (rawQuery !== canonicalQuery(query)) return refuse(400, 'SignatureDoesNotMatch', `query not in canonical form: ${rawQuery}`);
    const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(String(req.headers.authorization));
    if (!auth || auth[1] !== ALIYUN.accessKeyId) return refuse(400, 'InvalidAccessKeyId.NotFound', String(req.headers.authorization));
    const signedNames = auth[2].split(';');
    for (const required of ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version']) {
      if (!signedNames.includes(required)) return refuse(400, 'SignatureDoesNotMatch', `${required} not signed`);
    }
    const headers = Object.fromEntries(signedNames.filter((n) => n !== 'x-acs-content-sha256').map((n) => [n, String(req.headers[n] ?? '')]));
    const expected = acs3Sign({ method: req.method, path: '/', query, headers, body }, ALIYUN);
    if (expected.signature !== auth[3]) return refuse(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
    if (query.SignName !== ALIYUN.signName || query.TemplateCode !== ALIYUN.templateCode || !query.PhoneNumbers) return refuse(200, 'isv.INVALID_PARAMETERS', 'sign, template or number');
    let params: Record<string, unknown>;
    try {
      params = JSON.parse(query.TemplateParam) as Record<string, unknown>;
    } catch {
      return refuse(200, 'isv.INVALID_JSON_PARAM', 'TemplateParam');
    }
    if (Object.values(params).some((v) => typeof v !== 'string' || v === '')) return refuse(200, 'isv.INVALID_JSON_PARAM', 'JSON参数不合法，只接受字符串值');
    fake.received.push({ mobile: query.PhoneNumbers, params });
    return { status: 200, body: nextAnswer(fake, query.PhoneNumbers) ?? { Code: 'OK', Message: 'OK', BizId: `9006197469364984${fake.received.length}^0`, RequestId: 'A1B2' } };
  });
}

export const TENCENT = { secretId: 'AKIDTestSecretId0123456789', secretKey: 'test-secret-tencent-0123456789', sdkAppId: '1400006666', signName: '襄垣经开区', templateId: '1110', region: 'ap-guangzhou' };

/** A Tencent Cloud request-level error body (API 3.0). */
export const tencentError = (code: string, message: string) => ({ Response: { Error: { Code: code, Message: message }, RequestId: 'ed93f3cb-f35e-473f-b9f3-0d451b8b79c6' } });
/** A Tencent Cloud per-number outcome in SendStatusSet. */
export const tencentStatus = (mobile: string, code: string, message: string) => ({
  Response: {
    SendStatusSet: [{ SerialNo: code === 'Ok' ? '5000:1045710669157053657849499619' : '', PhoneNumber: `+86${mobile}`, Fee: code === 'Ok' ? 1 : 0, SessionContext: '', Code: code, Message: message, IsoCode: 'CN' }],
    RequestId: 'a0aabda6-cf91-4f3e-a81f-9198114a2279',
  },
});

/** Tencent Cloud SMS SendSms 2021-01-11 (API 3.0, TC3-HMAC-SHA256). */
export function fakeTencentSms(): Promise<FakeSms> {
  return serve((req, body, fake) => {
    const refuse = (code: string, message: string) => {
      fake.refused.push(`${code}: ${message}`);
      return { status: 200, body: tencentError(code, message) };
    };
    if (req.method !== 'POST' || req.url !== '/') return refuse('InvalidAction', `${req.method} ${req.url}`);
    const contentType = String(req.headers['content-type']);
    if (contentType !== 'application/json; charset=utf-8') return refuse('InvalidParameter', `content-type ${contentType}`);
    if (req.headers['x-tc-action'] !== 'SendSms' || req.headers['x-tc-version'] !== '2021-01-11') return refuse('InvalidAction', 'action or version');
    if (req.headers['x-tc-region'] !== TENCENT.region) return refuse('InvalidParameter', 'X-TC-Region');
    const timestamp = Number(req.headers['x-tc-timestamp']);
    if (!Number.isInteger(timestamp) || Math.abs(timestamp * 1000 - Date.now()) > 300_000) return refuse('AuthFailure.SignatureExpire', 'timestamp');
    const auth = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d\d-\d\d)\/sms\/tc3_request, SignedHeaders=content-type;host, Signature=([0-9a-f]{64})$/.exec(String(req.headers.authorization));
    if (!auth || auth[1] !== TENCENT.secretId) return refuse('AuthFailure.SecretIdNotFound', String(req.headers.authorization));
    if (auth[2] !== tc3Date(timestamp)) return refuse('AuthFailure.SignatureFailure', 'credential date is not the UTC date of the timestamp');
    const expected = tc3Sign({ host: String(req.headers.host), contentType, body, service: 'sms', timestamp }, TENCENT);
    if (expected.signature !== auth[3]) return refuse('AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.');
    const request = JSON.parse(body) as { PhoneNumberSet?: string[]; SmsSdkAppId?: string; SignName?: string; TemplateId?: string; TemplateParamSet?: unknown[] };
    if (request.SmsSdkAppId !== TENCENT.sdkAppId) return refuse('FailedOperation.SmsSdkAppIdVerifyFail', 'SmsSdkAppId');
    if (request.SignName !== TENCENT.signName) return refuse('FailedOperation.SignatureIncorrectOrUnapproved', 'SignName');
    if (request.TemplateId !== TENCENT.templateId) return refuse('FailedOperation.TemplateIncorrectOrUnapproved', 'TemplateId');
    const [number] = request.PhoneNumberSet ?? [];
    if (request.PhoneNumberSet?.length !== 1 || !/^\+861\d{10}$/.test(number)) return refuse('InvalidParameterValue.IncorrectPhoneNumber', String(request.PhoneNumberSet));
    if (!Array.isArray(request.TemplateParamSet) || request.TemplateParamSet.some((v) => typeof v !== 'string')) return refuse('InvalidParameterValue.TemplateParameterFormatError', 'TemplateParamSet');
    const mobile = number.slice(3);
    fake.received.push({ mobile, params: { TemplateParamSet: request.TemplateParamSet } });
    return { status: 200, body: nextAnswer(fake, mobile) ?? tencentStatus(mobile, 'Ok', 'send success') };
  });
}
