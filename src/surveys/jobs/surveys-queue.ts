export const SURVEYS_QUEUE = 'surveys';

export const SurveyJob = {
  /** Do whatever is due on one survey: send it, remind, or record no response. */
  Due: 'due',
  /** Find surveys whose action passed unhandled or whose job is missing, and SMS still pending. */
  Sweep: 'sweep',
  /** One try of one survey SMS (a survey_sms row). */
  Sms: 'sms',
} as const;

export interface SurveyDueData {
  surveyId: string;
}

export interface SurveySmsData {
  smsId: string;
}

export type SurveyJobData = SurveyDueData | SurveySmsData;
