import { migrate, quoteIdent, testDatabaseNames, withAdminClient } from './databases';

/** Migrates a fresh template database once per run; each e2e file clones it. */
export default async function globalSetup(): Promise<void> {
  const { template, perFilePrefix, urlFor } = testDatabaseNames();
  await withAdminClient(async (client) => {
    const stale = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname = $1 OR starts_with(datname, $2)',
      [template, perFilePrefix],
    );
    for (const { datname } of stale.rows) {
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
    }
    await client.query(`CREATE DATABASE ${quoteIdent(template)}`);
  });
  migrate(urlFor(template));
}
