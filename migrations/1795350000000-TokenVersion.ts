import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Access tokens carry the user's token version (`ver`); a password change or disabling the
 * account increments it, so every token issued before stops working. Tokens issued before this
 * migration have no `ver` and are refused: everyone signs in once more.
 */
export class TokenVersion1795350000000 implements MigrationInterface {
  name = 'TokenVersion1795350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0 CHECK (token_version >= 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN token_version`);
  }
}
