import { describe, expect, it } from '@jest/globals';
import { acs3CanonicalRequest, acs3Sign, canonicalQuery, percentEncode, sha256Hex } from './acs3-signature';

/**
 * The worked example of Alibaba Cloud's V3 signature documentation,
 * https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature
 * (RunInstances on ecs.cn-shanghai, AccessKey "YourAccessKeyId"/"YourAccessKeySecret"): each
 * intermediate value and the final header are the strings the page prints.
 */
const example = {
  method: 'POST',
  path: '/',
  query: { RegionId: 'cn-shanghai', ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd' },
  headers: {
    host: 'ecs.cn-shanghai.aliyuncs.com',
    'x-acs-action': 'RunInstances',
    'x-acs-date': '2023-10-26T10:22:32Z',
    'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
    'x-acs-version': '2014-05-26',
  },
  body: '',
};

describe('ACS3-HMAC-SHA256 (Alibaba Cloud V3 signature)', () => {
  it('builds the documented canonical request', () => {
    const { canonical, signedHeaders, contentSha256 } = acs3CanonicalRequest(example);
    expect(contentSha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(signedHeaders).toBe('host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version');
    expect(canonical).toBe(
      [
        'POST',
        '/',
        'ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai',
        'host:ecs.cn-shanghai.aliyuncs.com',
        'x-acs-action:RunInstances',
        'x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'x-acs-date:2023-10-26T10:22:32Z',
        'x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d',
        'x-acs-version:2014-05-26',
        '',
        'host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version',
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      ].join('\n'),
    );
    expect(sha256Hex(canonical)).toBe('7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259');
  });

  it('gives the documented signature and Authorization header', () => {
    const signed = acs3Sign(example, { accessKeyId: 'YourAccessKeyId', accessKeySecret: 'YourAccessKeySecret' });
    expect(signed.signature).toBe('06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0');
    expect(signed.authorization).toBe(
      'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
    );
  });

  it('encodes query values by RFC 3986 (space %20, * %2A, ~ kept, UTF-8 bytes)', () => {
    expect(percentEncode("a b*c~d!'()")).toBe('a%20b%2Ac~d%21%27%28%29');
    expect(canonicalQuery({ SignName: '经开区', B: '{"a":1}' })).toBe('B=%7B%22a%22%3A1%7D&SignName=%E7%BB%8F%E5%BC%80%E5%8C%BA');
  });

  it('signs header names in any case as lower case, and changes with any signed part', () => {
    const upper = acs3Sign({ ...example, headers: { Host: example.headers.host, ...Object.fromEntries(Object.entries(example.headers).slice(1)) } }, { accessKeyId: 'k', accessKeySecret: 's' });
    const lower = acs3Sign(example, { accessKeyId: 'k', accessKeySecret: 's' });
    expect(upper.signature).toBe(lower.signature);
    expect(acs3Sign({ ...example, query: { ...example.query, RegionId: 'cn-hangzhou' } }, { accessKeyId: 'k', accessKeySecret: 's' }).signature).not.toBe(lower.signature);
  });
});
