import { type components, createApiClient } from '../../../clients/api';

export type PublicSurvey = components['schemas']['PublicSurveyDto'];
export type SurveyAnswerBody = components['schemas']['SurveyAnswerDto'];
export type SurveyAnswer = SurveyAnswerBody['answer'];

/**
 * What one request to the survey link came to. `transient` (no network, a dropped connection,
 * a rate limit or an overloaded server) is worth asking again; the others are final.
 */
export type Outcome =
  | { kind: 'survey'; survey: PublicSurvey }
  | { kind: 'used' | 'expired' | 'unknown' | 'rejected' | 'transient' };

const SURVEY_PATH = '/api/v1/surveys/{token}';

interface Reply {
  data?: PublicSurvey;
  error?: { code?: string };
  response: Response;
}

async function outcomeOf(request: () => Promise<Reply>): Promise<Outcome> {
  let reply: Reply;
  try {
    reply = await request();
  } catch {
    // fetch rejects only when no answer came: offline, or the connection dropped.
    return { kind: 'transient' };
  }
  if (reply.data) return { kind: 'survey', survey: reply.data };
  const { status } = reply.response;
  if (status === 410) return { kind: reply.error?.code === 'survey_token_used' ? 'used' : 'expired' };
  if (status === 404) return { kind: 'unknown' };
  if (status === 429 || status >= 500) return { kind: 'transient' };
  return { kind: 'rejected' };
}

/** The public survey routes, through the client generated from the OpenAPI document. */
export function surveyApi(origin: string) {
  const client = createApiClient(origin);
  return {
    view: (token: string) => outcomeOf(() => client.GET(SURVEY_PATH, { params: { path: { token } } })),
    answer: (token: string, body: SurveyAnswerBody) => outcomeOf(() => client.POST(SURVEY_PATH, { params: { path: { token } }, body })),
  };
}

export type SurveyApi = ReturnType<typeof surveyApi>;
