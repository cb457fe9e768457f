import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/current-user';
import { Authenticated, Roles } from '../auth/roles.decorator';
import { ApiProblem } from '../common/errors/problem-details';
import { Public } from '../common/http/public.decorator';
import { PublicSurveyDto, SurveyAnswerDto, SurveyDto, SurveyLinkDto } from './dto/survey.dto';
import { SurveyRateLimitGuard } from './survey-rate-limit.guard';
import { SurveysService } from './surveys.service';

const TOKEN = { name: 'token', description: 'The signed token of the survey link sent to the enterprise' };
const NOT_FOUND = 'Not a survey link of ours (forged, garbled or another kind of token)';

/** The enterprise contact's side: no login, the signed link is the credential; rate-limited per link and address. */
@ApiTags('surveys')
@Public()
@UseGuards(SurveyRateLimitGuard)
@ApiProblem(429, 'Too many requests for this link or from this address (Retry-After)')
@Controller('surveys/:token')
export class PublicSurveysController {
  constructor(private readonly surveys: SurveysService) {}

  @Get()
  @ApiOperation({ summary: 'What the survey page shows: ticket number, title, resolution, who resolved it and when, enterprise and zone, whether answered', description: 'Public: the token in the link is the credential. A forged or garbled token is a 404, an expired one a 410. Rate limited per client (429).' })
  @ApiParam(TOKEN)
  @ApiOkResponse({ type: PublicSurveyDto })
  @ApiProblem(404, NOT_FOUND)
  @ApiProblem(410, 'The window to answer has passed (survey_token_expired)')
  view(@Param('token') token: string): Promise<PublicSurveyDto> {
    return this.surveys.view(token);
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Answer the survey (once): satisfied or basically satisfied closes the demand, unsatisfied reopens it', description: 'Public: the token in the link is the credential; it can answer once (410 afterwards). Rate limited per client (429).' })
  @ApiParam(TOKEN)
  @ApiOkResponse({ type: PublicSurveyDto })
  @ApiProblem(404, NOT_FOUND)
  @ApiProblem(410, 'Already answered (survey_token_used) or expired (survey_token_expired)')
  answer(@Param('token') token: string, @Body() body: SurveyAnswerDto): Promise<PublicSurveyDto> {
    return this.surveys.answerByLink(token, body);
  }
}

@ApiTags('surveys')
@Authenticated()
@Controller('tickets/:id')
export class SurveyAnswersController {
  constructor(private readonly surveys: SurveysService) {}

  @Get('surveys')
  @ApiOperation({ summary: "The ticket's follow-up survey rounds: resolution, answer or no response, reminders", description: 'Whoever may see the ticket.' })
  @ApiOkResponse({ type: [SurveyDto] })
  @ApiProblem(404, 'No such ticket, or not one you may see')
  rounds(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<SurveyDto[]> {
    return this.surveys.rounds(user, id);
  }

  @Post('survey-answer')
  @HttpCode(200)
  @Roles('liaison_officer', 'manager', 'admin')
  @ApiOperation({ summary: "Record the enterprise's answer from a follow-up call (回访电话), once; marked channel phone", description: 'Liaison officers, managers and admins, for an enterprise that answered by phone. 409 when no survey is waiting; 410 when the link was answered meanwhile.' })
  @ApiOkResponse({ type: SurveyDto })
  @ApiProblem(404, 'No such ticket, or not one you may see')
  @ApiProblem(409, 'No survey of this ticket is waiting for an answer')
  @ApiProblem(410, 'The survey was answered meanwhile (survey_token_used)')
  answer(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: SurveyAnswerDto): Promise<SurveyDto> {
    return this.surveys.answerByPhone(user, id, body);
  }

  @Post('survey/link')
  @HttpCode(200)
  @Roles('liaison_officer', 'deputy_leader', 'principal_leader', 'manager', 'admin')
  @ApiOperation({
    summary: "Send the open survey's link again: a new link, to the same inboxes and relay webhook (survey.sent), and in this answer",
    description: 'For the officer who logged the demand, its paired leader and managers. The previous link stops working; the window to answer does not move.',
  })
  @ApiOkResponse({ type: SurveyLinkDto })
  @ApiProblem(404, 'No such ticket, or you do not relay its survey')
  @ApiProblem(409, 'No survey of this ticket is open for answers')
  resendLink(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<SurveyLinkDto> {
    return this.surveys.resendLink(user, id);
  }
}
