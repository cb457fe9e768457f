#!/usr/bin/env node
// Makes sure Postgres and Redis answer at DATABASE_URL and REDIS_URL, then makes sure
// the database exists. Order of attempts when nothing answers:
//   1. a Docker engine: `docker compose up -d --wait postgres redis`;
//   2. local servers from the system's binaries (installed with apt-get when missing and
//      we are root): a Postgres cluster in .data/ and a redis-server, on the URLs' ports;
//   3. otherwise stop with one message saying what is missing.
// `--stop` stops the local servers this script started (not Docker, not system services).
// `--browser` also makes sure the browser tests' Chromium and CJK fonts are installed (apt-get,
// as root, only when missing).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import {
  answers,
  has,
  initPostgresCluster,
  isRoot,
  postgresBinDir,
  run,
  startPostgresCluster,
  startRedisServer,
  stopPostgresCluster,
  stopRedisServer,
  waitFor,
} from './local-servers.mjs';

const ROOT = resolve(import.meta.dirname, '..');
// `--init-env` (used by `npm run up`) gives a first run a working .env from the example.
if (process.argv.includes('--init-env') && !existsSync(join(ROOT, '.env'))) {
  copyFileSync(join(ROOT, '.env.example'), join(ROOT, '.env'));
  console.log('[services] created .env from .env.example');
}
if (existsSync(join(ROOT, '.env'))) process.loadEnvFile(join(ROOT, '.env'));

const DATABASE_URL = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/demand_desk');
const REDIS_URL = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const pgPort = Number(DATABASE_URL.port || 5432);
const redisPort = Number(REDIS_URL.port || 6379);
const pgUser = decodeURIComponent(DATABASE_URL.username || 'postgres');
const dbName = decodeURIComponent(DATABASE_URL.pathname.slice(1)) || 'demand_desk';
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

const log = (message) => console.log(`[services] ${message}`);

function fail(message) {
  console.error(`\n[services] ${message}\n`);
  process.exit(1);
}

function dockerEngineAnswers() {
  if (!has('docker')) return false;
  return spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 15_000 }).status === 0;
}

let aptUpdated = false;
const POLICY_RC = '/usr/sbin/policy-rc.d';
const NO_MAIN_CLUSTER = '/etc/postgresql-common/createcluster.d/demand-desk-no-main.conf';

/**
 * Installs a Debian package without letting its maintainer scripts start a service or create
 * the default Postgres cluster: we start our own on the configured port, with trust auth.
 */
function aptInstall(pkg) {
  if (!isRoot || !has('apt-get')) return false;
  log(`installing Debian package ${pkg}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) aptUpdated = run('apt-get', ['update', '-qq'], { env });
  const ownPolicy = !existsSync(POLICY_RC);
  if (ownPolicy) writeFileSync(POLICY_RC, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  mkdirSync(dirname(NO_MAIN_CLUSTER), { recursive: true });
  writeFileSync(NO_MAIN_CLUSTER, 'create_main_cluster = false\n');
  try {
    return run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', '-o', 'Dpkg::Options::=--force-confold', pkg], { env });
  } finally {
    if (ownPolicy) rmSync(POLICY_RC, { force: true });
  }
}

function localDataDir(name) {
  const inRepo = join(ROOT, '.data', name);
  if (!isRoot) return inRepo;
  // The postgres user must be able to reach the folder; a clone under /root is not reachable.
  const reachable = spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', ROOT], { stdio: 'ignore' });
  return reachable.status === 0 ? inRepo : join('/var/tmp/demand-desk', name);
}

function startLocalPostgres() {
  let bin = postgresBinDir();
  if (!bin && aptInstall('postgresql')) bin = postgresBinDir();
  if (!bin) {
    fail(
      `Postgres does not answer on ${DATABASE_URL.host} and cannot be started here: no Docker engine, ` +
        'no PostgreSQL binaries, and apt-get is not available as root.\n' +
        '  Provide one of: a running Postgres (set DATABASE_URL), a Docker engine (docker compose), ' +
        'or install PostgreSQL (apt-get install postgresql).',
    );
  }
  // Installing the Debian package may itself have started a cluster on this port.
  return answersNow('postgres').then((up) => {
    if (up) return;
    const dataDir = localDataDir(`postgres-${pgPort}`);
    initPostgresCluster(bin, dataDir, pgUser, log);
    startPostgresCluster(bin, dataDir, pgPort, log);
  });
}

async function startLocalRedis() {
  if (!has('redis-server')) aptInstall('redis-server');
  if (!has('redis-server')) {
    fail(
      `Redis does not answer on ${REDIS_URL.host} and cannot be started here: no Docker engine, ` +
        'no redis-server binary, and apt-get is not available as root.\n' +
        '  Provide one of: a running Redis (set REDIS_URL), a Docker engine (docker compose), ' +
        'or install Redis (apt-get install redis-server).',
    );
  }
  if (await answersNow('redis')) return;
  await startRedisServer(join(ROOT, '.data', `redis-${redisPort}`), redisPort, log);
}

function answersNow(which) {
  return which === 'postgres'
    ? answers(DATABASE_URL.hostname, pgPort)
    : answers(REDIS_URL.hostname, redisPort);
}

async function ensureDatabase() {
  const admin = new URL(DATABASE_URL.toString());
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (found.rowCount === 0) {
      log(`creating database ${dbName}`);
      await client.query(`CREATE DATABASE "${dbName.replace(/"/g, '""')}"`);
    }
  } finally {
    await client.end();
  }
}

function stopLocal() {
  const bin = postgresBinDir();
  for (const base of [join(ROOT, '.data'), '/var/tmp/demand-desk']) {
    if (bin && stopPostgresCluster(bin, join(base, `postgres-${pgPort}`))) log(`stopped Postgres on port ${pgPort}`);
  }
  if (stopRedisServer(join(ROOT, '.data', `redis-${redisPort}`))) log(`stopped redis-server on port ${redisPort}`);
}

/**
 * Debian's Chromium for the browser tests (Playwright's own download cannot be reached from
 * every machine), and Noto CJK, without which Chinese renders as boxes. CHROMIUM_PATH names
 * another Chromium, for machines without Debian's.
 */
function ensureBrowser() {
  const installed = (pkg) => {
    const query = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
    return query.status === 0 && query.stdout.includes('install ok installed');
  };
  const wanted = [
    { pkg: 'chromium', present: () => (process.env.CHROMIUM_PATH ? existsSync(process.env.CHROMIUM_PATH) : installed('chromium')) },
    { pkg: 'fonts-noto-cjk', present: () => installed('fonts-noto-cjk') },
  ];
  for (const { pkg, present } of wanted) {
    if (present()) continue;
    if (!aptInstall(pkg) || !present()) {
      fail(`${pkg} is missing and cannot be installed here (apt-get as root): install Chromium and a CJK font (Debian: apt-get install chromium fonts-noto-cjk), or set CHROMIUM_PATH.`);
    }
  }
  log('Chromium and CJK fonts are installed');
}

async function main() {
  if (process.argv.includes('--stop')) return stopLocal();
  if (process.argv.includes('--browser')) ensureBrowser();

  const pgUp = await answersNow('postgres');
  const redisUp = await answersNow('redis');
  if (!pgUp || !redisUp) {
    const missing = [!pgUp && `Postgres (${DATABASE_URL.host})`, !redisUp && `Redis (${REDIS_URL.host})`].filter(Boolean);
    log(`not answering: ${missing.join(', ')}`);
    const local = LOCAL_HOSTS.has(DATABASE_URL.hostname) && LOCAL_HOSTS.has(REDIS_URL.hostname);
    if (!local) fail(`Nothing answers at a non-local address (${missing.join(', ')}); start it there or fix the URL.`);

    if (dockerEngineAnswers() && existsSync(join(ROOT, 'docker-compose.yml'))) {
      log('starting postgres and redis with docker compose');
      const env = { ...process.env, POSTGRES_PORT: String(pgPort), REDIS_PORT: String(redisPort), POSTGRES_USER: pgUser };
      const services = [!pgUp && 'postgres', !redisUp && 'redis'].filter(Boolean);
      if (!run('docker', ['compose', 'up', '-d', '--wait', ...services], { cwd: ROOT, env })) {
        fail('docker compose could not start the services; see its output above.');
      }
    } else {
      if (!pgUp) await startLocalPostgres();
      if (!redisUp) await startLocalRedis();
    }
    await waitFor('Postgres', DATABASE_URL.hostname, pgPort);
    await waitFor('Redis', REDIS_URL.hostname, redisPort);
  }
  await ensureDatabase();
  log(`Postgres ${DATABASE_URL.host} and Redis ${REDIS_URL.host} are ready`);
}

main().catch((error) => fail(error instanceof Error ? error.message : String(error)));
