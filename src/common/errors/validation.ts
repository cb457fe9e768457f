import { type ArgumentMetadata, type ValidationError, ValidationPipe } from '@nestjs/common';
import { unstorableFields } from '../validation/validators';
import { type FieldError, invalidFields } from './domain-error';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Refuses NUL and unpaired surrogates in any string of a body, query or path before the
 * DTO rules run, so a field validated only as a string cannot carry them into Postgres (a 500).
 */
class StorableValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const fields = unstorableFields(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
      if (fields.length > 0) {
        throw invalidFields(fields.map((field) => ({ field, message: `${field} must not contain NUL characters or unpaired surrogates` })));
      }
    }
    return super.transform(value, metadata);
  }
}

/** Rejects unknown properties and reports every invalid field in `errors`. */
export function createValidationPipe(): ValidationPipe {
  return new StorableValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => invalidFields(flatten(errors)),
  });
}
