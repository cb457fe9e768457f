import { describe, expect, it } from '@jest/globals';
import { QueryFailedError } from 'typeorm';
import { isDependencyUnavailable } from './dependency-unavailable';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDependencyUnavailable', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a session cut by a shutdown', new QueryFailedError('SELECT 1', [], withCode('terminating connection', '57P01'))],
    ['a server starting up', withCode('the database system is starting up', '57P03')],
    ['a connection failure class 08 error', withCode('connection failure', '08006')],
    ['a dropped connection, said in words', new Error('Connection terminated unexpectedly')],
    ['a cause chain', new Error('intake failed', { cause: withCode('connect ECONNREFUSED', 'ECONNREFUSED') })],
  ])('is true for %s', (_, error) => {
    expect(isDependencyUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT', [], withCode('duplicate key', '23505'))],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['something not an error', { code: 'ECONNREFUSED' }],
  ])('is false for %s', (_, error) => {
    expect(isDependencyUnavailable(error)).toBe(false);
  });
});
