import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, ProblemDetailsDto } from '../common/errors/problem-details';

export const DOCS_PATH = 'docs';

const GENERIC_ERRORS: Record<string, string> = {
  '400': 'Invalid input (each invalid field is listed in `errors`)',
  '401': 'Missing, invalid or expired access token',
  '429': 'Too many requests',
  '500': 'A bug: reported with a request id',
};

/** Every operation answers errors as problem details; say so once instead of on every route. */
function addProblemResponses(document: OpenAPIObject): void {
  const problem = { content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } } };
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem)) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      const isPublic = !operation.security || operation.security.length === 0;
      for (const [status, description] of Object.entries(GENERIC_ERRORS)) {
        if (status === '401' && isPublic) continue;
        operation.responses[status] ??= { description, ...problem };
      }
      for (const response of Object.values(operation.responses) as { content?: Record<string, unknown> }[]) {
        // Error responses declared on a route with `type: ProblemDetailsDto` are served as problem+json.
        const json = response.content?.['application/json'] as { schema?: { $ref?: string } } | undefined;
        if (json?.schema?.$ref === getSchemaPath(ProblemDetailsDto)) {
          response.content = { [PROBLEM_CONTENT_TYPE]: json };
        }
      }
    }
  }
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Demand Desk API')
    .setDescription(
      'Enterprise-demand ticketing for economic development zones: visits and meetings, demands, ' +
        'the 1-2-3 escalation rule, follow-up surveys and statistics. Errors are RFC 9457 problem details.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemDetailsDto] });
  addProblemResponses(document);
  return document;
}

export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
  });
}
