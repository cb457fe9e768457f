import { Injectable, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '../common/clock';
import type { EnvironmentVariables } from '../config/env.validation';
import { AliyunSmsProvider } from './aliyun-sms.provider';
import type { SmsProvider } from './sms-provider';
import { TencentSmsProvider } from './tencent-sms.provider';

/** The configured SMS platform, or none: then nothing is sent and links stay in the inboxes. */
@Injectable()
export class SmsGateway {
  readonly provider: SmsProvider | null;

  constructor(config: ConfigService<EnvironmentVariables, true>, clock: Clock) {
    const get = <K extends keyof EnvironmentVariables>(key: K) => config.get(key, { infer: true }) as EnvironmentVariables[K];
    switch (get('SMS_PROVIDER')) {
      case 'aliyun':
        this.provider = new AliyunSmsProvider(
          {
            accessKeyId: get('ALIYUN_SMS_ACCESS_KEY_ID')!,
            accessKeySecret: get('ALIYUN_SMS_ACCESS_KEY_SECRET')!,
            signName: get('ALIYUN_SMS_SIGN_NAME')!,
            templateCode: get('ALIYUN_SMS_TEMPLATE_CODE')!,
            endpoint: get('ALIYUN_SMS_ENDPOINT'),
          },
          clock,
        );
        break;
      case 'tencent':
        this.provider = new TencentSmsProvider(
          {
            secretId: get('TENCENT_SMS_SECRET_ID')!,
            secretKey: get('TENCENT_SMS_SECRET_KEY')!,
            sdkAppId: get('TENCENT_SMS_SDK_APP_ID')!,
            signName: get('TENCENT_SMS_SIGN_NAME')!,
            templateId: get('TENCENT_SMS_TEMPLATE_ID')!,
            region: get('TENCENT_SMS_REGION'),
            endpoint: get('TENCENT_SMS_ENDPOINT'),
          },
          clock,
        );
        break;
      default:
        this.provider = null;
    }
  }
}

@Module({ providers: [SmsGateway], exports: [SmsGateway] })
export class SmsModule {}
