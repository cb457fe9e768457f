import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/current-user';
import { Authenticated, Roles } from '../auth/roles.decorator';
import { ApiProblem } from '../common/errors/problem-details';
import { ListDeliveriesQueryDto } from '../notifications/dto/webhook.dto';
import {
  CreateRobotChannelDto,
  CreateRobotRuleDto,
  RobotChannelDto,
  RobotDeliveryPageDto,
  RobotRuleDto,
  UpdateRobotChannelDto,
  UpdateRobotRuleDto,
} from './dto/robot.dto';
import { RobotsService } from './robots.service';

@ApiTags('robots')
@Authenticated()
@Roles('admin', 'manager')
@Controller('robot-channels')
export class RobotChannelsController {
  constructor(private readonly robots: RobotsService) {}

  @Post()
  @ApiOperation({
    summary: 'Add a group robot (WeCom, DingTalk or Feishu)',
    description:
      "Admins and managers. The webhook URL must be the platform's official one; DingTalk and Feishu need the signing secret, " +
      'WeCom takes none. URL key and secret are write-only: answers show the URL masked and `hasSecret`.',
  })
  @ApiCreatedResponse({ type: RobotChannelDto })
  create(@Body() body: CreateRobotChannelDto, @CurrentUser() user: AuthUser): Promise<RobotChannelDto> {
    return this.robots.createChannel(body, user.id);
  }

  @Get()
  @ApiOperation({ summary: 'All robot channels (keys masked, secrets never returned)', description: 'Admins and managers.' })
  @ApiOkResponse({ type: [RobotChannelDto] })
  list(): Promise<RobotChannelDto[]> {
    return this.robots.listChannels();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One robot channel', description: 'Admins and managers.' })
  @ApiOkResponse({ type: RobotChannelDto })
  @ApiProblem(404, 'Not found')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<RobotChannelDto> {
    return this.robots.getChannel(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename, change the URL or secret, or pause (`active: false`) a channel', description: 'Admins and managers. The platform cannot change.' })
  @ApiOkResponse({ type: RobotChannelDto })
  @ApiProblem(404, 'Not found')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateRobotChannelDto): Promise<RobotChannelDto> {
    return this.robots.updateChannel(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a channel and its rules; deliveries stay in the database', description: 'Admins and managers. Answers 204.' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblem(404, 'Not found')
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.robots.removeChannel(id);
  }

  @Get(':id/deliveries')
  @ApiOperation({
    summary: "A channel's deliveries, newest first",
    description: "Admins and managers: status, attempts, the platform's last error code and message, and the quiet-hours release time.",
  })
  @ApiOkResponse({ type: RobotDeliveryPageDto })
  @ApiProblem(404, 'Not found')
  deliveries(@Param('id', ParseUUIDPipe) id: string, @Query() query: ListDeliveriesQueryDto): Promise<RobotDeliveryPageDto> {
    return this.robots.listDeliveries(id, query);
  }
}

@ApiTags('robots')
@Authenticated()
@Roles('admin', 'manager')
@Controller('robot-rules')
export class RobotRulesController {
  constructor(private readonly robots: RobotsService) {}

  @Post()
  @ApiOperation({
    summary: 'Route events to a robot channel',
    description:
      "Admins and managers. Every ticket's events, or one department's (`departmentId`); `mentionOwners` @-mentions who holds " +
      'the ticket when it is sent. Escalations, overdue and overdue reminders go at once; other notices wait for 08:30 of the next working day outside 08:30-20:00 of working days.',
  })
  @ApiCreatedResponse({ type: RobotRuleDto })
  @ApiProblem(400, 'Invalid, or an unknown channel or department')
  create(@Body() body: CreateRobotRuleDto, @CurrentUser() user: AuthUser): Promise<RobotRuleDto> {
    return this.robots.createRule(body, user.id);
  }

  @Get()
  @ApiOperation({ summary: 'All routing rules', description: 'Admins and managers.' })
  @ApiOkResponse({ type: [RobotRuleDto] })
  list(): Promise<RobotRuleDto[]> {
    return this.robots.listRules();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One routing rule', description: 'Admins and managers.' })
  @ApiOkResponse({ type: RobotRuleDto })
  @ApiProblem(404, 'Not found')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<RobotRuleDto> {
    return this.robots.getRule(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change a rule's events, department, mentions or description, or pause it", description: 'Admins and managers. The channel cannot change.' })
  @ApiOkResponse({ type: RobotRuleDto })
  @ApiProblem(404, 'Not found')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateRobotRuleDto): Promise<RobotRuleDto> {
    return this.robots.updateRule(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a routing rule', description: 'Admins and managers. Answers 204.' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblem(404, 'Not found')
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.robots.removeRule(id);
  }
}
