import type { Clock } from '../clock';

/**
 * One value read from the database on demand and kept for `ttlMs`: settings that change
 * rarely but are read on every intake. The process that edits them calls `clear`, so it sees
 * the edit at once; other processes see it within `ttlMs`.
 */
export class ExpiringValue<T> {
  private cached?: { value: T; until: number };
  /** Bumped by `clear`, so a load that began before an edit cannot store what it read. */
  private generation = 0;

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  async get(load: () => Promise<T>): Promise<T> {
    const now = this.clock.now().getTime();
    if (this.cached && this.cached.until > now) return this.cached.value;
    const generation = this.generation;
    const value = await load();
    if (generation === this.generation) this.cached = { value, until: now + this.ttlMs };
    return value;
  }

  clear(): void {
    this.generation += 1;
    this.cached = undefined;
  }
}
