import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { guardedLookup, TargetRefusedError, type TargetPolicy, urlRefusal } from './webhook-target';

const REQUEST_TIMEOUT_MS = 10_000;
/** Enough for any platform's JSON answer; a larger answer is cut, never buffered whole. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface GuardedAnswer {
  statusCode: number;
  /** The start of the answer body, UTF-8. */
  body: string;
}

/**
 * POSTs to URLs API users chose (webhooks, robot channels) under the target policy: the URL's
 * literal address is checked first, and every connection's address comes from the guarded
 * lookup, so the address connected to is the one checked. Redirects are not followed.
 */
export class GuardedHttp {
  private readonly agents: { http: HttpAgent; https: HttpsAgent };

  constructor(private readonly policy: TargetPolicy) {
    const lookup = guardedLookup(policy);
    this.agents = { http: new HttpAgent({ lookup }), https: new HttpsAgent({ lookup }) };
  }

  /** Rejects on a refused target, a network failure or a timeout; resolves with any HTTP answer. */
  post(url: string, headers: Record<string, string>, body: string): Promise<GuardedAnswer> {
    const refusal = urlRefusal(url, this.policy);
    if (refusal) return Promise.reject(new TargetRefusedError(refusal));
    const secure = url.startsWith('https:');
    return new Promise((resolve, reject) => {
      const req = (secure ? httpsRequest : httpRequest)(url, {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: secure ? this.agents.https : this.agents.http,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}
