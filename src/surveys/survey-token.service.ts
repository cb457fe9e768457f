import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { DomainError } from '../common/errors/domain-error';
import { publicBaseUrl } from '../config/app.config';
import type { EnvironmentVariables } from '../config/env.validation';
import type { Survey } from './entities/survey.entity';

const PURPOSE = 'survey';

/** Where the web app shows a survey link to the enterprise (web/s/); the API stays at /api/v1/surveys/{token}. */
export const SURVEY_PAGE_PATH = '/s';

interface SurveyClaims {
  purpose: string;
  sid: string;
  round: number;
  /** The link version; absent for the first link, so links signed before versions existed re-sign alike. */
  v?: number;
  iat: number;
  exp: number;
}

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * The signed link an enterprise contact answers through. Its claims are fixed by the survey
 * (id, round, link version, sent and expiry instants), so a reminder re-signs the very same
 * link, and a link sent again on demand (a new version) is a new one: only the current link's
 * sha256 is stored, so the previous one no longer matches. The `purpose` claim keeps it from passing as an access token (and back).
 */
@Injectable()
export class SurveyTokens {
  private readonly baseUrl: string;

  constructor(
    private readonly jwt: JwtService,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.baseUrl = publicBaseUrl(config);
  }

  /** The link of a sent survey (needs `sentAt` and `expiresAt`). */
  link(survey: Pick<Survey, 'id' | 'round' | 'linkVersion' | 'sentAt' | 'expiresAt'>): { token: string; url: string } {
    const claims: SurveyClaims = {
      purpose: PURPOSE,
      sid: survey.id,
      round: survey.round,
      ...(survey.linkVersion > 0 ? { v: survey.linkVersion } : {}),
      iat: Math.floor(survey.sentAt!.getTime() / 1000),
      exp: Math.ceil(survey.expiresAt!.getTime() / 1000),
    };
    const token = this.jwt.sign(claims);
    return { token, url: `${this.baseUrl}${SURVEY_PAGE_PATH}/${token}` };
  }

  /**
   * The hash to look the survey up by, when the token is one of ours and meant for a survey;
   * otherwise a 404. Expiry is left to the caller, against the stored window and the clock.
   */
  verify(token: string): string {
    let claims: Partial<SurveyClaims>;
    try {
      claims = this.jwt.verify<SurveyClaims>(token, { ignoreExpiration: true });
    } catch {
      throw notFound();
    }
    if (claims.purpose !== PURPOSE || typeof claims.sid !== 'string') throw notFound();
    return tokenHash(token);
  }
}

export const notFound = () => new DomainError('not_found', 'No such survey');
