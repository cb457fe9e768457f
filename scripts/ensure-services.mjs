#!/usr/bin/env node
// Makes sure Postgres and Redis answer at DATABASE_URL and REDIS_URL, then makes sure
// the database exists. Order of attempts when nothing answers:
//   1. a Docker engine: `docker compose up -d --wait postgres redis`;
//   2. local servers from the system's binaries (installed with apt-get when missing and
//      we are root): a Postgres cluster in .data/ and a redis-server, on the URLs' ports;
//   3. otherwise stop with one message saying what is missing.
// `--stop` stops the local servers this script started (not Docker, not system services).
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';

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
const isRoot = process.getuid?.() === 0;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

const log = (message) => console.log(`[services] ${message}`);

function fail(message) {
  console.error(`\n[services] ${message}\n`);
  process.exit(1);
}

function answers(host, port, timeoutMs = 1000) {
  return new Promise((resolveAnswer) => {
    const socket = net.connect({ host: host.replace(/^\[|\]$/g, ''), port });
    const done = (ok) => {
      socket.destroy();
      resolveAnswer(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitFor(name, host, port, seconds = 30) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await answers(host, port)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  fail(`${name} did not start answering on ${host}:${port} within ${seconds}s.`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  return result.status === 0;
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
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

function postgresBinDir() {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(base, versions[0], 'bin');
  }
  if (has('pg_ctl') && has('initdb')) {
    return execFileSync('sh', ['-c', 'dirname "$(command -v pg_ctl)"']).toString().trim();
  }
  return undefined;
}

// Postgres refuses to run as root: as root, run its tools as the `postgres` user.
function asPostgresUser(command, args) {
  if (!isRoot) return [command, args];
  if (!has('runuser')) fail('Running as root, but runuser is missing to start Postgres as the postgres user.');
  return ['runuser', ['-u', 'postgres', '--', command, ...args]];
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
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      mkdirSync(dataDir, { recursive: true });
      if (isRoot) chownToPostgres(dataDir);
      log(`initialising a Postgres cluster in ${dataDir}`);
      const [cmd, args] = asPostgresUser(join(bin, 'initdb'), [
        '-D', dataDir, '-U', pgUser, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8',
      ]);
      if (!run(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] })) fail(`initdb failed in ${dataDir}.`);
    }
    log(`starting Postgres on 127.0.0.1:${pgPort} (data in ${dataDir})`);
    const [cmd, args] = asPostgresUser(join(bin, 'pg_ctl'), [
      '-D', dataDir, '-l', join(dataDir, 'server.log'), '-w', '-t', '60',
      '-o', `-p ${pgPort} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`, 'start',
    ]);
    // A port in the ephemeral range can be held for a moment by an outgoing connection: retry.
    for (let attempt = 1; !run(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] }); attempt++) {
      if (attempt === 3) fail(`Postgres did not start; see ${join(dataDir, 'server.log')}.`);
      log('Postgres did not start; trying again in 2 s');
      spawnSync('sleep', ['2']);
    }
  });
}

function chownToPostgres(dir) {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
  chownSync(dir, uid, gid);
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
  const dataDir = join(ROOT, '.data', `redis-${redisPort}`);
  mkdirSync(dataDir, { recursive: true });
  log(`starting redis-server on 127.0.0.1:${redisPort}`);
  const ok = run('redis-server', [
    '--daemonize', 'yes', '--bind', '127.0.0.1', '--port', String(redisPort),
    '--save', '', '--appendonly', 'no', '--dir', dataDir,
    '--pidfile', join(dataDir, 'redis.pid'), '--logfile', join(dataDir, 'redis.log'),
  ]);
  if (!ok) fail(`redis-server did not start; see ${join(dataDir, 'redis.log')}.`);
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
  for (const base of [join(ROOT, '.data'), '/var/tmp/demand-desk']) {
    const dataDir = join(base, `postgres-${pgPort}`);
    if (existsSync(join(dataDir, 'postmaster.pid'))) {
      const bin = postgresBinDir();
      if (bin) {
        const [cmd, args] = asPostgresUser(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
        run(cmd, args);
      }
    }
  }
  const pidFile = join(ROOT, '.data', `redis-${redisPort}`, 'redis.pid');
  if (existsSync(pidFile)) {
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
      log(`stopped redis-server on port ${redisPort}`);
    } catch {
      // Already gone.
    }
  }
}

async function main() {
  if (process.argv.includes('--stop')) return stopLocal();

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
