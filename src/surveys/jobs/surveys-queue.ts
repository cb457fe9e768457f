export const SURVEYS_QUEUE = 'surveys';

export const SurveyJob = {
  /** Do whatever is due on one survey: send it, remind, or record no response. */
  Due: 'due',
  /** Find surveys whose action passed unhandled or whose job is missing. */
  Sweep: 'sweep',
} as const;

export interface SurveyDueData {
  surveyId: string;
}
