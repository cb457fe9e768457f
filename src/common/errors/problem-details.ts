import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'creditCode' })
  field: string;

  @ApiProperty({ example: 'creditCode has a wrong check digit' })
  message: string;
}

/** RFC 9457 problem details: the body of every error response. */
export class ProblemDetailsDto {
  @ApiProperty({ example: 'urn:demand-desk:error:validation_failed' })
  type: string;

  @ApiProperty({ example: 'The request is not valid' })
  title: string;

  @ApiProperty({ example: 400 })
  status: number;

  @ApiPropertyOptional({ example: 'creditCode has a wrong check digit' })
  detail?: string;

  @ApiProperty({ example: 'validation_failed', description: 'Stable machine-readable error code' })
  code: string;

  @ApiPropertyOptional({ example: '/api/v1/enterprises' })
  instance?: string;

  @ApiPropertyOptional({ example: '4f1c2a9e-2f43-4a5c-9f0e-0c0d7f7f1f10' })
  requestId?: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], maxItems: 50, description: 'The invalid fields: the first 50 when there are more' })
  errors?: FieldErrorDto[];

  @ApiPropertyOptional({ example: true, description: 'Present (true) when `errors` lists only the first of `errorCount` errors' })
  errorsTruncated?: boolean;

  @ApiPropertyOptional({ example: 1200, description: 'How many errors there were in all; present when `errors` is truncated' })
  errorCount?: number;
}

/**
 * Most field errors one answer lists: a body with thousands of bad array items would
 * otherwise be answered with megabytes of them.
 */
export const MAX_LISTED_ERRORS = 50;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const problemType = (code: string) => `urn:demand-desk:error:${code}`;

/**
 * Documents an error status a route can answer beyond the ones every route can (see
 * src/docs/openapi.ts): the document gives it the problem schema of that status.
 */
export const ApiProblem = (status: number, description: string) => ApiResponse({ status, description });
