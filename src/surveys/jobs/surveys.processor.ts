import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JobProcessor } from '../../common/lifecycle/job-processor.decorator';
import { SurveyScheduler } from '../survey-scheduler.service';
import { SurveySmsService } from '../survey-sms.service';
import { SurveysService } from '../surveys.service';
import { type SurveyDueData, type SurveyJobData, SURVEYS_QUEUE, SurveyJob, type SurveySmsData } from './surveys-queue';

/** Thin: each job names a survey, an SMS, or a sweep; the services re-read Postgres and decide. */
@JobProcessor(SURVEYS_QUEUE, { concurrency: 16 })
export class SurveysProcessor extends WorkerHost {
  constructor(
    private readonly surveys: SurveysService,
    private readonly scheduler: SurveyScheduler,
    private readonly sms: SurveySmsService,
  ) {
    super();
  }

  async process(job: Job<SurveyJobData>): Promise<number> {
    switch (job.name) {
      case SurveyJob.Due:
        return this.surveys.processDue((job.data as SurveyDueData).surveyId);
      case SurveyJob.Sms:
        return this.sms.deliver((job.data as SurveySmsData).smsId, job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
      case SurveyJob.Sweep:
        return (await this.scheduler.sweep()) + (await this.sms.sweep());
      default:
        throw new Error(`Unknown survey job ${job.name}`);
    }
  }
}
