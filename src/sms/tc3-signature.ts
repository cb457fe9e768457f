import { createHmac } from 'node:crypto';
import { sha256Hex } from './acs3-signature';

/**
 * Tencent Cloud API 3.0's request signature (TC3-HMAC-SHA256), as documented at
 * https://www.tencentcloud.com/document/product/382/40467 (SMS, "Signature v3"; the same text
 * for every product, e.g. https://cloud.tencent.com/document/product/215/36792): a canonical
 * request over `content-type` and `host`, a string to sign with the timestamp and the
 * `date/service/tc3_request` scope, and a key derived from the secret, the UTC date and the service.
 */
export const TC3 = 'TC3-HMAC-SHA256';

export interface Tc3Request {
  host: string;
  contentType: string;
  body: string;
  service: string;
  /** Unix seconds: the X-TC-Timestamp header. */
  timestamp: number;
}

export interface Tc3Credentials {
  secretId: string;
  secretKey: string;
}

const hmac = (key: string | Buffer, text: string): Buffer => createHmac('sha256', key).update(text, 'utf8').digest();

/** The UTC date of the timestamp (never the local one: a request signed at 00:44 in Beijing is the day before). */
export const tc3Date = (timestamp: number): string => new Date(timestamp * 1000).toISOString().slice(0, 10);

export function tc3CanonicalRequest(request: Tc3Request): string {
  return ['POST', '/', '', `content-type:${request.contentType}\nhost:${request.host}\n`, 'content-type;host', sha256Hex(request.body)].join('\n');
}

export function tc3StringToSign(request: Tc3Request): string {
  return [TC3, String(request.timestamp), `${tc3Date(request.timestamp)}/${request.service}/tc3_request`, sha256Hex(tc3CanonicalRequest(request))].join('\n');
}

export function tc3Sign(request: Tc3Request, credentials: Tc3Credentials): { authorization: string; signature: string } {
  const date = tc3Date(request.timestamp);
  const signing = hmac(hmac(hmac(`TC3${credentials.secretKey}`, date), request.service), 'tc3_request');
  const signature = hmac(signing, tc3StringToSign(request)).toString('hex');
  return {
    authorization: `${TC3} Credential=${credentials.secretId}/${date}/${request.service}/tc3_request, SignedHeaders=content-type;host, Signature=${signature}`,
    signature,
  };
}
