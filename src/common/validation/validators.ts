import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  buildMessage,
  IsArray,
  IsISO8601,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  MinLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { IsOmittable } from './is-omittable';

/** NUL and unpaired surrogates: Postgres refuses them in text or jsonb, which would be a 500. */
const UNSTORABLE = /\0|\p{Surrogate}/u;

/**
 * The path (`contacts.0.name`) of every string in `value` Postgres could not store, in
 * document order. Iterative: no nesting depth can overflow the stack.
 */
export function unstorableFields(value: unknown, path: string): string[] {
  const found: string[] = [];
  const stack: [unknown, string][] = [[value, path]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [item, at] = next;
    if (typeof item === 'string') {
      if (UNSTORABLE.test(item)) found.push(at);
    } else if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item);
      for (let i = entries.length - 1; i >= 0; i--) stack.push([entries[i][1], at ? `${at}.${entries[i][0]}` : entries[i][0]]);
    }
  }
  return found;
}

/**
 * A string of `min` to `max` characters. What Postgres cannot store (NUL, lone surrogates) is
 * refused for every string, this one included, by the validation pipe (`unstorableFields`).
 */
export const Text = (max: number, min = 0) => applyDecorators(IsString(), MinLength(min), MaxLength(max));

/**
 * The years any date, month or year the API takes may fall in. Year 0 or 9999 is a typo, and
 * a month or deadline derived from it may not be a date JavaScript or Postgres can hold (a 500).
 */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;
const YEAR_RANGE = `between ${MIN_YEAR} and ${MAX_YEAR}`;

/** True when the text starts with a four-digit year inside MIN_YEAR..MAX_YEAR. */
export const inYearRange = (value: unknown): boolean => {
  const year = typeof value === 'string' ? Number(value.slice(0, 4)) : NaN;
  return year >= MIN_YEAR && year <= MAX_YEAR;
};

const InYearRange = () =>
  ValidateBy({
    name: 'inYearRange',
    validator: {
      validate: inYearRange,
      defaultMessage: buildMessage((each) => `${each}$property must fall in a year ${YEAR_RANGE}`),
    },
  });

/**
 * A date or date-time like `2026-05-12` or `2026-05-12T15:00:00+08:00`: the ISO 8601 forms
 * both JavaScript and Postgres read (week dates, signed years or a +16:00 offset would be a 500),
 * in a year between MIN_YEAR and MAX_YEAR.
 */
export const IsTimestamp = () =>
  applyDecorators(
    Matches(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-](0\d|1[0-4]):[0-5]\d)?)?$/, {
      message: '$property must be a date or date-time like 2026-05-12T15:00:00+08:00',
    }),
    IsISO8601({ strict: true }),
    InYearRange(),
  );

/** A month written YYYY-MM, in a year between MIN_YEAR and MAX_YEAR. */
export const IsMonth = () =>
  applyDecorators(Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: '$property must be YYYY-MM' }), InYearRange());

/** A calendar day written YYYY-MM-DD that exists (no 2026-02-30), in a year between MIN_YEAR and MAX_YEAR. */
export function isDay(value: unknown): value is string {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (!match || !inYearRange(value)) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export const IsDay = () =>
  ValidateBy({
    name: 'isDay',
    validator: {
      validate: isDay,
      defaultMessage: buildMessage((each) => `${each}$property must be a date written YYYY-MM-DD in a year ${YEAR_RANGE}`),
    },
  });

/** Mainland China mobile numbers: what the users.mobile and enterprises.contact_mobile CHECKs allow. */
export const MAINLAND_MOBILE = /^1[3-9][0-9]{9}$/;
export const MainlandMobile = () =>
  Matches(MAINLAND_MOBILE, { message: '$property must be a mainland mobile number: 11 digits starting 13-19, like 13800138000' });

/** IsUrl lets invisible characters (zero-width, bidi controls) through; a URL on the wire is ASCII. */
export const AsciiUrl = () => Matches(/^[\x21-\x7e]+$/, { message: '$property must be ASCII: percent-encode other characters' });

/**
 * An http(s) URL, its scheme stored in lower case: schemes are case-insensitive (RFC 3986), so
 * `HTTPS://` is valid input, while the database CHECKs (`url ~ '^https?://'`) are case-sensitive.
 */
export const HttpUrl = (options: { requireTld: boolean }) =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.replace(/^https?:/i, (scheme) => scheme.toLowerCase()) : value,
    ),
    IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: options.requireTld }, { message: '$property must be an http(s) URL' }),
    AsciiUrl(),
  );

/** An optional, documented date-time bound of a list filter. */
export const TimestampFilter = (description: string, example: string) =>
  applyDecorators(ApiPropertyOptional({ example, description }), IsOptional(), IsTimestamp());

/**
 * At most `max` items. class-validator validates every item even past ArrayMaxSize, so a list
 * refused anyway is cut to one item over before validation: its errors name the size and the
 * first items, and cost no more than a list of the largest valid size (not 1,000 of them).
 */
export const ArrayMax = (max: number) =>
  applyDecorators(
    ArrayMaxSize(max),
    Transform(({ value }: { value: unknown }) => (Array.isArray(value) && value.length > max + 1 ? value.slice(0, max + 1) : value)),
  );

/** A list of at most `max` objects, each validated as the class `type` returns. */
export const ListOf = (type: () => new () => object, max: number) =>
  applyDecorators(IsArray(), ArrayMax(max), ValidateNested({ each: true }), Type(type));

/** An optional `ListOf`. */
export const NestedList = (type: () => new () => object, max: number) => applyDecorators(IsOmittable(), ListOf(type, max));
