import { randomBytes } from 'node:crypto';
import { acs3Sign, canonicalQuery } from './acs3-signature';
import { callJson, isOutcome, type SmsMessage, type SmsOutcome, SmsProvider } from './sms-provider';

export interface AliyunSmsConfig {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templateCode: string;
  /** https://dysmsapi.aliyuncs.com; a local fake server in tests. */
  endpoint: string;
}

/**
 * The platform's own faults and throttles: retried. Everything else (isv.MOBILE_NUMBER_ILLEGAL,
 * isv.SMS_TEMPLATE_ILLEGAL, isv.BUSINESS_LIMIT_CONTROL, isv.AMOUNT_NOT_ENOUGH, …) would fail again.
 */
const TRANSIENT = /^(isp\.SYSTEM_ERROR|isp\.GATEWAY_ERROR|Throttling(\..*)?|ServiceUnavailable|InternalError)$/;

/**
 * Alibaba Cloud SMS SendSms (dysmsapi 2017-05-25,
 * https://help.aliyun.com/zh/sms/developer-reference/api-dysmsapi-2017-05-25-sendsms), an
 * RPC-style API called the V3 way: parameters in the query, empty body, ACS3-HMAC-SHA256.
 * The template's variables are `${zone}`, `${number}` and `${link}`.
 */
export class AliyunSmsProvider extends SmsProvider<AliyunSmsConfig> {
  readonly name = 'aliyun' as const;

  async send(message: SmsMessage): Promise<SmsOutcome> {
    const url = new URL(this.config.endpoint);
    const query = {
      PhoneNumbers: message.mobile,
      SignName: this.config.signName,
      TemplateCode: this.config.templateCode,
      TemplateParam: JSON.stringify({ zone: message.zone, number: message.number, link: message.link }),
    };
    const headers: Record<string, string> = {
      host: url.host,
      'x-acs-action': 'SendSms',
      'x-acs-version': '2017-05-25',
      // Second precision, as the documentation's examples: 2023-10-26T10:22:32Z.
      'x-acs-date': this.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      'x-acs-signature-nonce': randomBytes(16).toString('hex'),
    };
    const signed = acs3Sign({ method: 'POST', path: '/', query, headers, body: '' }, this.config);
    // The query exactly as signed (RFC 3986; URLSearchParams would write a space as '+').
    const answer = await callJson(`${url.origin}/?${canonicalQuery(query)}`, {
      headers: { ...headers, 'x-acs-content-sha256': signed.contentSha256, authorization: signed.authorization },
      body: '',
    });
    if (isOutcome(answer)) return answer;
    const body = answer.json as { Code?: string; Message?: string; BizId?: string };
    if (answer.status === 200 && body.Code === 'OK') return { status: 'sent', providerId: body.BizId ?? null };
    const code = body.Code ?? `http_${answer.status}`;
    return { status: 'failed', code, message: body.Message ?? '', transient: TRANSIENT.test(code) || answer.status >= 500 };
  }
}
