import { JobProcessor } from '../../common/lifecycle/job-processor.decorator';
import { type JobHandlers, QUEUES, QueueWorker } from '../../common/lifecycle/queues';
import { SurveyScheduler } from '../survey-scheduler.service';
import { SurveySmsService } from '../survey-sms.service';
import { SurveysService } from '../surveys.service';

/** Thin: each job names a survey, an SMS, or a sweep; the services re-read Postgres and decide. */
@JobProcessor(QUEUES.surveys.name, { concurrency: 16 })
export class SurveysProcessor extends QueueWorker<'surveys'> {
  readonly queue = 'surveys';
  readonly handlers: JobHandlers<'surveys'> = {
    due: ({ surveyId }) => this.surveys.processDue(surveyId),
    sms: ({ smsId }, job) => this.sms.deliver(smsId, job.attemptsMade + 1 >= (job.opts.attempts ?? 1)),
    sweep: async () => (await this.scheduler.sweep()) + (await this.sms.sweep()),
  };

  constructor(
    private readonly surveys: SurveysService,
    private readonly scheduler: SurveyScheduler,
    private readonly sms: SurveySmsService,
  ) {
    super();
  }
}
