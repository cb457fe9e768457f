import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Local stand-ins for the three platforms' group-robot webhooks. Each checks a request as its
 * platform documents it (credential, signature and timestamp freshness, body shape, UTF-8 and
 * size limits, 20 or 100 messages a minute per robot) and answers with the platform's
 * documented codes. The signatures are computed here from the documents' formulas, not with
 * the app's code, so a wrong signature in the app cannot pass.
 */
export type FakePlatform = 'wecom' | 'dingtalk' | 'feishu';

export interface FakeRequest {
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  raw: Buffer;
  /** The code answered: 0 when the message was accepted. */
  code: number;
}

const HOUR_MS = 3_600_000;

const ANSWERS: Record<FakePlatform, (code: number, message: string) => Record<string, unknown>> = {
  wecom: (code, message) => ({ errcode: code, errmsg: message }),
  dingtalk: (code, message) => ({ errcode: code, errmsg: message }),
  feishu: (code, message) => ({ code, msg: message, data: {} }),
};

const utf8Clean = (raw: Buffer) => !raw.toString('utf8').includes('\uFFFD');
const bytes = (text: unknown) => (typeof text === 'string' ? Buffer.byteLength(text, 'utf8') : Infinity);
const isStrings = (value: unknown) => Array.isArray(value) && value.every((v) => typeof v === 'string');

export class FakeRobot {
  readonly requests: FakeRequest[] = [];
  private readonly forced: number[] = [];
  private readonly minute: number[] = [];
  private readonly server: Server;
  private base = '';

  constructor(
    readonly platform: FakePlatform,
    /** WeCom key, DingTalk access token or Feishu hook id. */
    readonly credential = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6',
    readonly secret = platform === 'wecom' ? null : 'SEC0123456789abcdef0123456789abcdef',
  ) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const [code, message] = this.judge(req, raw);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(ANSWERS[platform](code, message)));
      });
    });
  }

  /** The webhook URL to configure, as the platform would show it (on a loopback host). */
  get webhookUrl(): string {
    if (this.platform === 'wecom') return `${this.base}/cgi-bin/webhook/send?key=${this.credential}`;
    if (this.platform === 'dingtalk') return `${this.base}/robot/send?access_token=${this.credential}`;
    return `${this.base}/open-apis/bot/v2/hook/${this.credential}`;
  }

  /** Answer the next requests with these codes (after checking them), e.g. DingTalk's 130101. */
  force(...codes: number[]): void {
    this.forced.push(...codes);
  }

  accepted(): FakeRequest[] {
    return this.requests.filter((r) => r.code === 0);
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private judge(req: IncomingMessage, raw: Buffer): [number, string] {
    const url = new URL(req.url ?? '/', this.base);
    let body: Record<string, unknown> = {};
    const record = (code: number, message: string): [number, string] => {
      this.requests.push({ path: url.pathname, query: url.searchParams, body, raw, code });
      return [code, message];
    };
    if (req.method !== 'POST' || !String(req.headers['content-type']).startsWith('application/json')) return record(this.badRequest(), 'not a JSON POST');
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return record(this.badRequest(), 'invalid JSON');
    }
    if (!utf8Clean(raw)) return record(this.badRequest(), 'invalid UTF-8');
    const refusal = this.platform === 'wecom' ? this.wecom(url, body) : this.platform === 'dingtalk' ? this.dingtalk(url, body) : this.feishu(url, body, raw);
    if (refusal) return record(...refusal);
    const now = Date.now();
    while (this.minute.length > 0 && this.minute[0] <= now - 60_000) this.minute.shift();
    if (this.minute.length >= (this.platform === 'feishu' ? 100 : 20)) return record(this.rateLimited(), 'send too fast');
    const forced = this.forced.shift();
    if (forced !== undefined) return record(forced, 'forced by the test');
    this.minute.push(now);
    return record(0, 'ok');
  }

  private badRequest(): number {
    return this.platform === 'feishu' ? 9499 : this.platform === 'wecom' ? 40058 : 400;
  }

  private rateLimited(): number {
    return { wecom: 45009, dingtalk: 130101, feishu: 11232 }[this.platform];
  }

  /** developer.work.weixin.qq.com/document/path/91770 */
  private wecom(url: URL, body: Record<string, unknown>): [number, string] | null {
    if (url.pathname !== '/cgi-bin/webhook/send' || url.searchParams.get('key') !== this.credential) return [93000, 'invalid webhook url'];
    if (body.msgtype === 'markdown') {
      const markdown = body.markdown as { content?: unknown } | undefined;
      if (bytes(markdown?.content) > 4096) return [40058, 'markdown.content exceed max length 4096'];
      return null;
    }
    if (body.msgtype === 'text') {
      const text = body.text as { content?: unknown; mentioned_mobile_list?: unknown } | undefined;
      if (bytes(text?.content) > 2048) return [40058, 'text.content exceed max length 2048'];
      if (text?.mentioned_mobile_list !== undefined && !isStrings(text.mentioned_mobile_list)) return [40058, 'invalid mentioned_mobile_list'];
      return null;
    }
    return [40008, 'invalid message type'];
  }

  /** open.dingtalk.com/document/robots/custom-robot-access */
  private dingtalk(url: URL, body: Record<string, unknown>): [number, string] | null {
    if (url.pathname !== '/robot/send' || url.searchParams.get('access_token') !== this.credential) return [300001, 'token is not exist'];
    const timestamp = Number(url.searchParams.get('timestamp'));
    const expected = createHmac('sha256', this.secret!).update(`${timestamp}\n${this.secret}`).digest('base64');
    if (!(Math.abs(Date.now() - timestamp) < HOUR_MS) || url.searchParams.get('sign') !== expected) return [310000, 'sign not match'];
    const markdown = body.markdown as { title?: unknown; text?: unknown } | undefined;
    const at = body.at as { atMobiles?: unknown } | undefined;
    if (body.msgtype !== 'markdown' || typeof markdown?.title !== 'string' || typeof markdown.text !== 'string') return [400, 'invalid markdown'];
    if (bytes(markdown.text) > 20_000) return [460101, 'message too long'];
    if (at?.atMobiles !== undefined && !isStrings(at.atMobiles)) return [400, 'invalid atMobiles'];
    return null;
  }

  /** open.feishu.cn/document/client-docs/bot-v3/add-custom-bot */
  private feishu(url: URL, body: Record<string, unknown>, raw: Buffer): [number, string] | null {
    if (url.pathname !== `/open-apis/bot/v2/hook/${this.credential}`) return [19001, 'param invalid: incoming webhook access token invalid'];
    if (raw.length > 20 * 1024) return [9499, 'Bad Request'];
    const timestamp = Number(body.timestamp);
    const expected = createHmac('sha256', `${timestamp}\n${this.secret}`).update('').digest('base64');
    if (!(Math.abs(Date.now() / 1000 - timestamp) < 3600) || body.sign !== expected) {
      return [19021, 'sign match fail or timestamp is not within one hour from current time'];
    }
    const card = body.card as { header?: unknown; elements?: unknown } | undefined;
    if (body.msg_type !== 'interactive' || typeof card !== 'object' || !Array.isArray(card?.elements)) return [9499, 'Bad Request'];
    return null;
  }
}
