import { createHash, createHmac } from 'node:crypto';

/**
 * Alibaba Cloud's V3 request signature (ACS3-HMAC-SHA256), as documented at
 * https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature :
 * a canonical request (method, path, sorted RFC 3986 query, the `host`, `content-type` and
 * `x-acs-*` headers, the body's SHA-256), hashed and signed with HMAC-SHA256 of the secret.
 */
export const ACS3 = 'ACS3-HMAC-SHA256';

export interface Acs3Request {
  method: string;
  /** `/` for RPC-style APIs such as SendSms. */
  path: string;
  query: Record<string, string>;
  /** Every header to sign except x-acs-content-sha256 (computed here); names in any case. */
  headers: Record<string, string>;
  body: string;
}

export interface Acs3Credentials {
  accessKeyId: string;
  accessKeySecret: string;
}

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** RFC 3986: only A-Z a-z 0-9 - _ . ~ stay as they are (encodeURIComponent also leaves !'()*). */
export function percentEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function canonicalQuery(query: Record<string, string>): string {
  return Object.keys(query)
    .sort()
    .map((name) => `${percentEncode(name)}=${percentEncode(query[name])}`)
    .join('&');
}

/** The headers that are signed: host, content-type and x-acs-*, lower-cased names, trimmed values. */
function signedHeaderEntries(headers: Record<string, string>): [string, string][] {
  return Object.entries(headers)
    .map(([name, value]) => [name.toLowerCase(), value.trim()] as [string, string])
    .filter(([name]) => name === 'host' || name === 'content-type' || name.startsWith('x-acs-'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function acs3CanonicalRequest(request: Acs3Request): { canonical: string; signedHeaders: string; contentSha256: string } {
  const contentSha256 = sha256Hex(request.body);
  const entries = signedHeaderEntries({ ...request.headers, 'x-acs-content-sha256': contentSha256 });
  const signedHeaders = entries.map(([name]) => name).join(';');
  const canonical = [
    request.method.toUpperCase(),
    request.path,
    canonicalQuery(request.query),
    entries.map(([name, value]) => `${name}:${value}\n`).join(''),
    signedHeaders,
    contentSha256,
  ].join('\n');
  return { canonical, signedHeaders, contentSha256 };
}

/** The `Authorization` header and the `x-acs-content-sha256` value of a request. */
export function acs3Sign(request: Acs3Request, credentials: Acs3Credentials): { authorization: string; contentSha256: string; signature: string } {
  const { canonical, signedHeaders, contentSha256 } = acs3CanonicalRequest(request);
  const stringToSign = `${ACS3}\n${sha256Hex(canonical)}`;
  const signature = createHmac('sha256', credentials.accessKeySecret).update(stringToSign, 'utf8').digest('hex');
  return {
    authorization: `${ACS3} Credential=${credentials.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`,
    contentSha256,
    signature,
  };
}

export { sha256Hex };
