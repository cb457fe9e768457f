import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, Roles } from '../auth/roles.decorator';
import { ApiProblem } from '../common/errors/problem-details';
import { CreateSlaPolicyDto, SlaPolicyDto, UpdateSlaPolicyDto } from './dto/sla-policy.dto';
import { SlaPoliciesService } from './sla-policies.service';

@ApiTags('sla')
@Authenticated()
@Controller('sla-policies')
export class SlaPoliciesController {
  constructor(private readonly policies: SlaPoliciesService) {}

  @Get()
  @ApiOperation({ summary: 'SLA policies: the default and one per category at most', description: 'Any signed-in user.' })
  @ApiOkResponse({ type: [SlaPolicyDto] })
  list(): Promise<SlaPolicyDto[]> {
    return this.policies.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One escalation policy', description: 'Any signed-in user.' })
  @ApiOkResponse({ type: SlaPolicyDto })
  @ApiProblem(404, 'No such policy')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<SlaPolicyDto> {
    return this.policies.get(id);
  }

  @Post()
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Create a policy for a category (tier budgets in working days or ISO 8601 durations)', description: 'Managers and admins. One policy per category (409 when it has one).' })
  @ApiCreatedResponse({ type: SlaPolicyDto })
  @ApiProblem(409, 'The category has a policy already')
  create(@Body() body: CreateSlaPolicyDto): Promise<SlaPolicyDto> {
    return this.policies.create(body);
  }

  @Patch(':id')
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Edit a policy: new tickets use it, running clocks keep theirs', description: 'Managers and admins. Only the fields sent change; tickets already running keep the policy they started with.' })
  @ApiOkResponse({ type: SlaPolicyDto })
  @ApiProblem(404, 'Not found')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateSlaPolicyDto): Promise<SlaPolicyDto> {
    return this.policies.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Delete a category policy (its category falls back to the default)', description: 'Managers and admins. The default policy cannot be deleted (409). Answers 204.' })
  @ApiNoContentResponse()
  @ApiProblem(404, 'Not found')
  @ApiProblem(409, 'The default policy cannot be deleted')
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.policies.remove(id);
  }
}
