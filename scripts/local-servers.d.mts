// Types for local-servers.mjs, which the reliability tests import.
import type { SpawnSyncOptions } from 'node:child_process';

type Log = (message: string) => void;

export const isRoot: boolean;
export function answers(host: string, port: number, timeoutMs?: number): Promise<boolean>;
export function waitFor(name: string, host: string, port: number, options?: { seconds?: number; up?: boolean }): Promise<void>;
export function run(command: string, args: string[], options?: SpawnSyncOptions): boolean;
export function has(command: string): boolean;
export function postgresBinDir(): string | undefined;
export function initPostgresCluster(bin: string, dataDir: string, user: string, log?: Log): void;
export function startPostgresCluster(bin: string, dataDir: string, port: number, log?: Log): void;
export function stopPostgresCluster(bin: string, dataDir: string, mode?: 'fast' | 'immediate' | 'smart'): boolean;
export function startRedisServer(dataDir: string, port: number, log?: Log): Promise<void>;
export function stopRedisServer(dataDir: string, signal?: NodeJS.Signals): boolean;
