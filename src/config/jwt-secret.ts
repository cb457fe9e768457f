import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The JWT_SECRET values this repository ships as examples (`.env.example`, `docker-compose.yml`).
 * Kept here too, so a deployment without those files (the Docker image has neither) still
 * refuses them: anyone who has read the repository can sign an admin's token with them.
 */
export const SHIPPED_EXAMPLE_SECRETS: readonly string[] = [
  'dev-only-secret-change-me-0123456789abcdef',
  'compose-only-secret-change-me-0123456789',
];

/** A secret with fewer distinct characters than this is a pattern, not a random string. */
export const MIN_DISTINCT_CHARACTERS = 10;

/**
 * JWT_SECRET values found in the example files under `root`, by where they were found:
 * `JWT_SECRET=value` lines of `.env.example`, and `JWT_SECRET: value` or the default of
 * `${JWT_SECRET:-value}` in `docker-compose.yml`.
 */
export function exampleSecretsIn(root: string): Map<string, string> {
  const found = new Map<string, string>();
  const scan = (file: string, pattern: RegExp) => {
    const path = join(root, file);
    if (!existsSync(path)) return;
    for (const match of readFileSync(path, 'utf8').matchAll(pattern)) {
      const value = unquote(match[1].trim());
      const fallback = /^\$\{JWT_SECRET:?-(.*)\}$/.exec(value);
      const secret = fallback ? unquote(fallback[1]) : value;
      if (secret && !secret.startsWith('${')) found.set(secret, file);
    }
  };
  scan('.env.example', /^\s*(?:export\s+)?JWT_SECRET\s*=(.*)$/gm);
  scan('docker-compose.yml', /^\s*-?\s*JWT_SECRET\s*[:=]\s*(.*)$/gm);
  return found;
}

const unquote = (value: string) => value.replace(/^(['"])(.*)\1$/, '$2');

/**
 * Why `secret` must not sign tokens in production, or undefined when it may. Length is checked
 * for every environment by the env validation; this adds what only production refuses, so
 * development and tests keep working with the example.
 */
export function productionSecretProblem(secret: string, root: string): string | undefined {
  const reason = weakness(secret, root);
  return reason && `JWT_SECRET ${reason}; set a random one of 32+ characters (openssl rand -base64 48)`;
}

function weakness(secret: string, root: string): string | undefined {
  const fromFile = exampleSecretsIn(root).get(secret);
  if (fromFile) return `is the example value from ${fromFile}`;
  if (SHIPPED_EXAMPLE_SECRETS.includes(secret)) return 'is an example value shipped with Demand Desk';
  if (/change-?me/i.test(secret)) return 'still says "change me"';
  if (new Set(secret).size < MIN_DISTINCT_CHARACTERS) return `has fewer than ${MIN_DISTINCT_CHARACTERS} distinct characters`;
  return undefined;
}
