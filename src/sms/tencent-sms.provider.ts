import { callJson, isOutcome, type SmsMessage, type SmsOutcome, SmsProvider } from './sms-provider';
import { tc3Sign } from './tc3-signature';

export interface TencentSmsConfig {
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  signName: string;
  templateId: string;
  region: string;
  /** https://sms.tencentcloudapi.com; a local fake server in tests. */
  endpoint: string;
}

const CONTENT_TYPE = 'application/json; charset=utf-8';
/** The platform's own faults and its API rate limit: retried. FailedOperation.*, InvalidParameterValue.*, LimitExceeded.PhoneNumber* are final. */
const TRANSIENT = /^(InternalError(\..*)?|RequestLimitExceeded(\..*)?|ResourceUnavailable(\..*)?)$/;

interface SendStatus {
  SerialNo?: string;
  Code?: string;
  Message?: string;
}
interface TencentAnswer {
  Response?: { Error?: { Code?: string; Message?: string }; SendStatusSet?: SendStatus[] };
}

/**
 * Tencent Cloud SMS SendSms (API 3.0, version 2021-01-11,
 * https://cloud.tencent.com/document/api/382/55981), signed TC3-HMAC-SHA256. The template's
 * variables are positional: {1} the zone, {2} the demand number, {3} the link. A request-level
 * error is in Response.Error; a per-number one in SendStatusSet[].Code (anything but "Ok").
 */
export class TencentSmsProvider extends SmsProvider<TencentSmsConfig> {
  readonly name = 'tencent' as const;

  async send(message: SmsMessage): Promise<SmsOutcome> {
    const url = new URL(this.config.endpoint);
    const body = JSON.stringify({
      PhoneNumberSet: [`+86${message.mobile}`],
      SmsSdkAppId: this.config.sdkAppId,
      SignName: this.config.signName,
      TemplateId: this.config.templateId,
      TemplateParamSet: [message.zone, message.number, message.link],
    });
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    const { authorization } = tc3Sign({ host: url.host, contentType: CONTENT_TYPE, body, service: 'sms', timestamp }, this.config);
    const answer = await callJson(new URL('/', url).toString(), {
      headers: {
        authorization,
        'content-type': CONTENT_TYPE,
        'x-tc-action': 'SendSms',
        'x-tc-version': '2021-01-11',
        'x-tc-timestamp': String(timestamp),
        'x-tc-region': this.config.region,
      },
      body,
    });
    if (isOutcome(answer)) return answer;
    const response = (answer.json as TencentAnswer).Response;
    const error = response?.Error;
    if (error?.Code) return { status: 'failed', code: error.Code, message: error.Message ?? '', transient: TRANSIENT.test(error.Code) };
    const status = response?.SendStatusSet?.[0];
    if (answer.status === 200 && status?.Code === 'Ok') return { status: 'sent', providerId: status.SerialNo ?? null };
    const code = status?.Code ?? `http_${answer.status}`;
    return { status: 'failed', code, message: status?.Message ?? '', transient: TRANSIENT.test(code) || answer.status >= 500 };
  }
}
