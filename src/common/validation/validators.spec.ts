import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { HttpUrl, IsDay, IsMonth, IsTimestamp } from './validators';
import { IsOmittable, PatchOf } from './is-omittable';

class Sample {
  @IsOmittable()
  @IsTimestamp()
  at?: string;

  @IsOmittable()
  @IsMonth()
  month?: string;

  @IsOmittable()
  @IsDay()
  day?: string;

  @IsOmittable()
  @HttpUrl({ requireTld: false })
  url?: string;
}

class Patch extends PatchOf(Sample) {}

const errors = (body: object, type: new () => object = Sample) =>
  validateSync(plainToInstance(type, body)).map((e) => e.property);

describe('date validators', () => {
  it('accept years 2000 to 2100 and refuse the rest', () => {
    expect(errors({ at: '2026-05-12T15:00:00+08:00', month: '2100-12', day: '2000-01-01' })).toEqual([]);
    expect(errors({ at: '1999-12-31T23:59:59Z', month: '0000-01', day: '9999-12-31' })).toEqual(['at', 'month', 'day']);
    expect(errors({ month: '9999-12' })).toEqual(['month']);
    expect(errors({ day: '2026-02-30' })).toEqual(['day']);
  });
});

describe('HttpUrl', () => {
  it('lower-cases the scheme, which is what the CHECK accepts', () => {
    const sample = plainToInstance(Sample, { url: 'HTTPS://Relay.Example/Path' });
    expect(sample.url).toBe('https://Relay.Example/Path');
    expect(errors({ url: 'Http://relay.local/x' })).toEqual([]);
    expect(errors({ url: 'ftp://relay.local/x' })).toEqual(['url']);
    expect(errors({ url: 'https://relay.local/\u200bx' })).toEqual(['url']);
  });
});

describe('PatchOf', () => {
  it('lets a field be left out but refuses null', () => {
    expect(errors({}, Patch)).toEqual([]);
    expect(errors({ at: null, month: null, day: null, url: null }, Patch)).toEqual(['at', 'month', 'day', 'url']);
  });
});
