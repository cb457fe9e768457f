import { describe, expect, it } from '@jest/globals';
import type { Repository } from 'typeorm';
import type { IdempotencyKey } from './idempotency-key.entity';
import { IdempotencyService } from './idempotency.service';

/**
 * A key table in memory whose connection can be "lost" right after a statement commits: the
 * claim is written, but the caller hears only that Postgres went away.
 */
class FlakyKeys {
  rows = new Map<string, { claimToken: string; responseStatus: number | null }>();
  loseNextAnswer = false;
  down = false;

  query = async (sql: string, params: unknown[]): Promise<unknown[]> => {
    if (this.down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const id = `${String(params[0])}|${String(params[1])}`;
    let result: unknown[] = [];
    if (sql.startsWith('INSERT')) {
      if (!this.rows.has(id)) {
        this.rows.set(id, { claimToken: String(params[5]), responseStatus: null });
        result = [{ key: params[1] }];
      }
    } else if (sql.startsWith('DELETE')) {
      const row = this.rows.get(id);
      if (row && row.claimToken === params[2] && row.responseStatus === null) this.rows.delete(id);
    }
    if (this.loseNextAnswer) {
      this.loseNextAnswer = false;
      this.down = true;
      throw new Error('Connection terminated unexpectedly');
    }
    return result;
  };

  findOneBy = async ({ userId, key }: { userId: string; key: string }) => {
    const row = this.rows.get(`${userId}|${key}`);
    return row ? { route: 'POST /t', requestHash: 'h', responseStatus: row.responseStatus, responseBody: null } : null;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const request = { userId: 'u', key: 'k', route: 'POST /t', requestHash: 'h' };

describe('IdempotencyService: a claim whose answer Postgres lost', () => {
  it('is released once Postgres is back, so the retry runs instead of meeting "in progress" for a day', async () => {
    const keys = new FlakyKeys();
    const service = new IdempotencyService(keys as unknown as Repository<IdempotencyKey>);
    keys.loseNextAnswer = true;
    await expect(service.claim(request)).rejects.toThrow(/Connection terminated/);
    // Committed though nobody heard: while Postgres is away and until the release, the key is held.
    expect(keys.rows.size).toBe(1);
    keys.down = false;
    await sleep(700);
    expect(keys.rows.size).toBe(0);
    await expect(service.claim(request)).resolves.toBeNull();
    service.onApplicationShutdown();
  });

  it('never releases a claim another request made since', async () => {
    const keys = new FlakyKeys();
    const service = new IdempotencyService(keys as unknown as Repository<IdempotencyKey>);
    keys.loseNextAnswer = true;
    await expect(service.claim(request)).rejects.toThrow(/Connection terminated/);
    // The lost claim was released by hand and a retry claimed the key before the background release ran.
    keys.rows.clear();
    keys.down = false;
    await expect(service.claim(request)).resolves.toBeNull();
    await sleep(700);
    expect(keys.rows.size).toBe(1);
    await expect(service.claim(request)).rejects.toThrow(/still running/);
    service.onApplicationShutdown();
  });
});
