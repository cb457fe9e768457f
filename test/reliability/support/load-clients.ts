import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { hashPassword } from '../../../src/users/users.service';
import { withDatabase } from '../../support/databases';
import { PASSWORD, validCreditCode } from '../../support/fixtures';
import { sleep } from '../../support/polling';

/** Routed to the seeded department; tickets in DRILL_CATEGORY run on second-long tiers. */
export const DRILL_CATEGORY = 'land';
export const PLAIN_CATEGORY = 'power';

export interface IntakeWorld {
  enterpriseId: string;
  liaisonUsernames: string[];
}

export interface DrillPolicy {
  /** Cumulative ISO 8601 durations from intake, one per tier. */
  budgets: [string, string, string];
}

/**
 * Straight into the database: a department owning both categories with its deputy leader, a
 * principal leader, an enterprise, `liaisons` liaison officers and the drill policy.
 */
export async function seedIntakeWorld(databaseUrl: string, liaisons: number, drill: DrillPolicy): Promise<IntakeWorld> {
  const passwordHash = await hashPassword(PASSWORD);
  return withDatabase(databaseUrl, async (db) => {
    const addUser = async (username: string, role: string) =>
      (
        await db.query<{ id: string }>(
          `INSERT INTO users (username, display_name, role, password_hash) VALUES ($1, $1, $2, $3) RETURNING id`,
          [username, role, passwordHash],
        )
      ).rows[0].id;
    const deputyId = await addUser('rel_deputy', 'deputy_leader');
    await addUser('rel_principal', 'principal_leader');
    await db.query(`INSERT INTO departments (name, categories, deputy_leader_id) VALUES ('自然资源局', $1, $2)`, [
      [DRILL_CATEGORY, PLAIN_CATEGORY],
      deputyId,
    ]);
    const {
      rows: [enterprise],
    } = await db.query<{ id: string }>(`INSERT INTO enterprises (name, credit_code) VALUES ('压测企业', $1) RETURNING id`, [
      validCreditCode(977_000_001),
    ]);
    await db.query(
      `INSERT INTO sla_policies (name, category, mode, budgets, warn_ratio, tier2_owner, reminder_interval)
       VALUES ('drill', $1, 'duration', $2, 0.5, 'deputy_leader', 'PT1H')`,
      [DRILL_CATEGORY, JSON.stringify(drill.budgets)],
    );
    const liaisonUsernames = Array.from({ length: liaisons }, (_, i) => `rel_liaison_${i}`);
    for (const username of liaisonUsernames) await addUser(username, 'liaison_officer');
    return { enterpriseId: enterprise.id, liaisonUsernames };
  });
}

export interface Reply {
  /** The HTTP status, or 0 when the request got no answer (connection refused, reset…). */
  status: number;
  contentType?: string;
  body: Record<string, unknown> | undefined;
}

/** One keep-alive HTTP client for a whole crowd of simulated users. */
export class ApiClient {
  private readonly agent: http.Agent;

  constructor(
    private readonly baseUrl: string,
    maxSockets: number,
  ) {
    // Idle sockets are closed by this side well before the server's keep-alive timeout (65 s), as
    // a careful client does, so a request is never written on a socket the server is closing.
    this.agent = new http.Agent({ keepAlive: true, maxSockets, timeout: 30_000 });
  }

  request(method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolveReply) => {
      const req = http.request(
        `${this.baseUrl}${path}`,
        {
          method,
          agent: this.agent,
          timeout: 30_000,
          headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            let parsed: Record<string, unknown> | undefined;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = { unparsed: text };
            }
            resolveReply({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: parsed });
          });
          res.on('error', (error: NodeJS.ErrnoException) => resolveReply({ status: 0, body: { code: error.code ?? error.message } }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      // The error's code (ECONNRESET, timeout…) names the failure in the report's problems.
      req.on('error', (error: NodeJS.ErrnoException) => resolveReply({ status: 0, body: { code: error.code ?? error.message } }));
      req.end(payload);
    });
  }

  /** Logs every user in once (a few at a time: each login is an argon2 verification); their bearer headers. */
  async login(usernames: string[], parallel = 8): Promise<string[]> {
    const auths: string[] = new Array(usernames.length);
    let next = 0;
    const loginNext = async () => {
      for (let i = next++; i < usernames.length; i = next++) {
        const reply = await this.request('POST', '/api/v1/auth/login', { username: usernames[i], password: PASSWORD });
        if (reply.status !== 200) throw new Error(`login of ${usernames[i]} answered ${reply.status}`);
        auths[i] = `Bearer ${reply.body?.accessToken as string}`;
      }
    };
    await Promise.all(Array.from({ length: parallel }, loginNext));
    return auths;
  }

  fileTicket(auth: string, enterpriseId: string, category: string, idempotencyKey?: string): Promise<Reply> {
    return this.request(
      'POST',
      '/api/v1/tickets',
      { enterpriseId, category, title: '扩建用地', channel: 'online' },
      { authorization: auth, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
    );
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface IntakeOptions {
  client: ApiClient;
  /** One bearer header per simulated user; each user files one ticket at a time. */
  auths: string[];
  enterpriseId: string;
  category: string;
  /** Pause between one user's tickets. */
  thinkMs?: number;
  /**
   * Retry a ticket that got no answer, a 503 or a 409 (its first try still holds the
   * Idempotency-Key) with the same key for up to this long; 0 sends no key and never retries.
   */
  retryForMs?: number;
}

export interface IntakeReport {
  /** Every answer by status (`0`: no answer), retries included. */
  statuses: Record<number, number>;
  /** Every answer but a 201, by `<status> <problem code> <content type>`. */
  problems: Record<string, number>;
  /** The ticket id of every 201. */
  acknowledgedIds: string[];
  /** Tickets given up on: never acknowledged (they may or may not exist). */
  abandoned: number;
  /** For each ticket given up on, its last answer and how long it was tried. */
  abandonedLast: string[];
  requests: number;
  seconds: number;
}

const RETRYABLE = new Set([0, 409, 503]);

export interface Intake {
  /** Filled in as answers arrive. */
  report: IntakeReport;
  /**
   * Files no new tickets; each user finishes the ticket in hand, retrying it within its window
   * as a real client would (a ticket cut off by the stop is not one the service failed), then
   * returns the report.
   */
  stop(): Promise<IntakeReport>;
}

/** Simulated users filing tickets as fast as the API answers them, until stopped. */
export function startIntake(options: IntakeOptions): Intake {
  const { client, enterpriseId, category, thinkMs = 0, retryForMs = 0 } = options;
  const report: IntakeReport = { statuses: {}, problems: {}, acknowledgedIds: [], abandoned: 0, abandonedLast: [], requests: 0, seconds: 0 };
  let stopped = false;
  const started = Date.now();

  const fileOne = async (auth: string) => {
    const key = retryForMs > 0 ? randomUUID() : undefined;
    const giveUpAt = Date.now() + retryForMs;
    for (;;) {
      const reply = await client.fileTicket(auth, enterpriseId, category, key);
      report.requests += 1;
      report.statuses[reply.status] = (report.statuses[reply.status] ?? 0) + 1;
      if (reply.status !== 201) {
        const kind = `${reply.status} ${String(reply.body?.code ?? '(no code)')} ${reply.contentType}`;
        report.problems[kind] = (report.problems[kind] ?? 0) + 1;
      }
      if (reply.status === 201) return void report.acknowledgedIds.push(reply.body?.id as string);
      if (!RETRYABLE.has(reply.status) || Date.now() > giveUpAt) {
        report.abandoned += 1;
        report.abandonedLast.push(`${reply.status} ${String(reply.body?.code ?? '')} after ${retryForMs > 0 ? `${Date.now() - giveUpAt + retryForMs} ms` : 'one try'}`);
        return;
      }
      await sleep(250);
    }
  };
  const users = Promise.all(
    options.auths.map(async (auth) => {
      while (!stopped) {
        await fileOne(auth);
        if (thinkMs > 0) await sleep(thinkMs);
      }
    }),
  );
  return {
    report,
    async stop() {
      stopped = true;
      await users;
      report.seconds = (Date.now() - started) / 1000;
      return report;
    },
  };
}

/** Which of `ids` are ticket rows. */
export async function existingTicketIds(databaseUrl: string, ids: string[]): Promise<Set<string>> {
  return withDatabase(databaseUrl, async (db) => {
    const { rows } = await db.query<{ id: string }>('SELECT id FROM tickets WHERE id = ANY($1::uuid[])', [ids]);
    return new Set(rows.map((r) => r.id));
  });
}

export async function countTickets(databaseUrl: string, category: string): Promise<number> {
  return withDatabase(databaseUrl, async (db) => {
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM tickets WHERE category = $1', [category]);
    return rows[0].n;
  });
}

export function summary(name: string, report: IntakeReport): string {
  const rps = (report.requests / report.seconds).toFixed(1);
  const created = (report.acknowledgedIds.length / report.seconds).toFixed(1);
  return (
    `[${name}] ${report.requests} requests in ${report.seconds.toFixed(1)} s: ${rps} req/s, ${created} tickets/s; ` +
    `statuses ${JSON.stringify(report.statuses)}; problems ${JSON.stringify(report.problems)}; ` +
    `abandoned ${report.abandoned}${report.abandoned > 0 ? ` (${report.abandonedLast.join('; ')})` : ''}\n`
  );
}

/** Per ticket: how many times it went 1 → 2, 2 → 3, and overdue, from its timeline. */
export async function escalationTallies(databaseUrl: string, ids: string[]): Promise<Map<string, [number, number, number]>> {
  return withDatabase(databaseUrl, async (db) => {
    const { rows } = await db.query<{ id: string; to_tier2: number; to_tier3: number; overdue: number }>(
      `SELECT t.id,
         count(e.id) FILTER (WHERE e.type = 'escalated' AND e.before->>'tier' = '1')::int AS to_tier2,
         count(e.id) FILTER (WHERE e.type = 'escalated' AND e.before->>'tier' = '2')::int AS to_tier3,
         count(e.id) FILTER (WHERE e.type = 'overdue')::int AS overdue
       FROM tickets t LEFT JOIN ticket_events e ON e.ticket_id = t.id
       WHERE t.id = ANY($1::uuid[]) GROUP BY t.id`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, [r.to_tier2, r.to_tier3, r.overdue]]));
  });
}

/**
 * Waits until every one of `ids` (drill tickets, all past their tier-3 deadline by then) has
 * escalated twice and gone overdue, then keeps watching for `settleMs` so a late duplicate
 * shows up too; returns the final tallies.
 */
export async function tallyEveryEscalation(
  databaseUrl: string,
  ids: string[],
  { seconds, settleMs }: { seconds: number; settleMs: number },
): Promise<Map<string, [number, number, number]>> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const tallies = await escalationTallies(databaseUrl, ids);
    const done = ids.every((id) => tallies.get(id)?.every((n) => n >= 1));
    if (done || Date.now() > deadline) break;
    await sleep(500);
  }
  await sleep(settleMs);
  return escalationTallies(databaseUrl, ids);
}
