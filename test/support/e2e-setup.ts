import { jest } from '@jest/globals';

// Fail a stuck e2e test or hook instead of hanging the run.
jest.setTimeout(60_000);
