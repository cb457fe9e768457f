import { type ValidationArguments, type ValidationOptions, ValidateBy } from 'class-validator';

/** GB 32100-2015 characters: digits and capitals without I, O, Z, S, V. Index = value. */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = new RegExp(`^[${CHARSET}]{18}$`);

/** The 18th character for the first 17 of a unified social credit code (统一社会信用代码). */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17 || !SHAPE.test(`${first17}0`)) {
    throw new RangeError(`Not the first 17 characters of a credit code: ${first17}`);
  }
  const sum = [...first17].reduce((total, char, i) => total + CHARSET.indexOf(char) * WEIGHTS[i], 0);
  return CHARSET[(31 - (sum % 31)) % 31];
}

export function isWellFormedCreditCode(code: string): boolean {
  return SHAPE.test(code);
}

export function isValidCreditCode(code: string): boolean {
  return isWellFormedCreditCode(code) && creditCodeCheckChar(code.slice(0, 17)) === code[17];
}

/** Validates an (already uppercased) credit code, telling a bad shape from a wrong check digit. */
export function IsCreditCode(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCreditCode',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isValidCreditCode(value),
        defaultMessage: ({ property, value }: ValidationArguments) =>
          typeof value === 'string' && isWellFormedCreditCode(value)
            ? `${property} has a wrong check digit`
            : `${property} must be 18 characters of 0-9 and A-Y without I, O, S, V, Z`,
      },
    },
    options,
  );
}
