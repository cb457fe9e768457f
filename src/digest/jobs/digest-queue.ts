export const DIGEST_QUEUE = 'digest';

export const DigestJob = {
  /** Send the day's morning digest if it is due and no worker sent it yet. */
  Run: 'run',
} as const;
