import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JobProcessor } from '../../common/lifecycle/job-processor.decorator';
import { SurveyScheduler } from '../survey-scheduler.service';
import { SurveysService } from '../surveys.service';
import { type SurveyDueData, SURVEYS_QUEUE, SurveyJob } from './surveys-queue';

/** Thin: each job names a survey (or a sweep); the services re-read Postgres and decide. */
@JobProcessor(SURVEYS_QUEUE, { concurrency: 16 })
export class SurveysProcessor extends WorkerHost {
  constructor(
    private readonly surveys: SurveysService,
    private readonly scheduler: SurveyScheduler,
  ) {
    super();
  }

  async process(job: Job<SurveyDueData>): Promise<number> {
    switch (job.name) {
      case SurveyJob.Due:
        return this.surveys.processDue(job.data.surveyId);
      case SurveyJob.Sweep:
        return this.scheduler.sweep();
      default:
        throw new Error(`Unknown survey job ${job.name}`);
    }
  }
}
