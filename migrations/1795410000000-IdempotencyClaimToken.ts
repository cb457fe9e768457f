import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each claim of an Idempotency-Key carries a token of its own, so a claim whose commit Postgres
 * acknowledged to nobody (it went away in between) can be released later by exactly that claim,
 * without touching a claim a retry made since. Keys claimed before have none.
 */
export class IdempotencyClaimToken1795410000000 implements MigrationInterface {
  name = 'IdempotencyClaimToken1795410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_keys ADD COLUMN claim_token uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_keys DROP COLUMN claim_token`);
  }
}
