import { describe, expect, it } from '@jest/globals';
import { sha256Hex } from './acs3-signature';
import { tc3CanonicalRequest, tc3Date, tc3Sign, tc3StringToSign } from './tc3-signature';

/**
 * The worked example of Tencent Cloud's "Signature v3" page (the SMS product's copy:
 * https://www.tencentcloud.com/document/product/382/40467; CVM's: https://cloud.tencent.com/document/product/215/36792):
 * DescribeInstances on cvm.tencentcloudapi.com at 1551113065 with SecretKey
 * "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE". Every value asserted is printed on that page.
 */
const example = {
  host: 'cvm.tencentcloudapi.com',
  contentType: 'application/json; charset=utf-8',
  body: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
  service: 'cvm',
  timestamp: 1551113065,
};

describe('TC3-HMAC-SHA256 (Tencent Cloud API 3.0 signature)', () => {
  it('hashes the documented payload and canonical request', () => {
    expect(sha256Hex(example.body)).toBe('35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064');
    expect(tc3CanonicalRequest(example)).toBe(
      'POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
    );
    expect(tc3StringToSign(example)).toBe(
      'TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
    );
  });

  it('gives the documented signature and Authorization header', () => {
    const signed = tc3Sign(example, { secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE', secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE' });
    expect(signed.signature).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
    expect(signed.authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    );
  });

  it('dates the scope in UTC: 00:44 in Beijing on the 26th is still the 25th', () => {
    expect(tc3Date(1551113065)).toBe('2019-02-25');
  });
});
