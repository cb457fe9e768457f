import { DomainError } from '../common/errors/domain-error';

/** The strong ETag of a ticket version, as sent in `ETag` and expected back in `If-Match`. */
export const etag = (version: number) => `"${version}"`;

const IF_MATCH = /^\s*"(\d{1,9})"\s*$/;

/**
 * The version a write expects to replace, from `If-Match: "<version>"` or the body's `version`.
 * Neither is a 428: a blind write could silently undo someone else's change.
 */
export function expectedVersion(ifMatch: string | undefined, bodyVersion: number | undefined): number {
  if (ifMatch === undefined) {
    if (bodyVersion === undefined) {
      throw new DomainError('precondition_required', 'Send If-Match: "<version>" (the ETag you read) or version in the body');
    }
    return bodyVersion;
  }
  const match = IF_MATCH.exec(ifMatch);
  if (!match) {
    const message = 'If-Match must be the ETag you read, like "3"';
    throw new DomainError('validation_failed', message, { errors: [{ field: 'If-Match', message }] });
  }
  const version = Number(match[1]);
  if (bodyVersion !== undefined && bodyVersion !== version) {
    const message = `version ${bodyVersion} disagrees with If-Match ${ifMatch}`;
    throw new DomainError('validation_failed', message, { errors: [{ field: 'version', message }] });
  }
  return version;
}

export function versionConflict(currentVersion: number): DomainError {
  return new DomainError(
    'version_conflict',
    `The ticket is at version ${currentVersion}; reload it and apply your change again`,
    { currentVersion },
  );
}
