import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/current-user';
import { Authenticated, Roles } from '../auth/roles.decorator';
import { ApiProblem } from '../common/errors/problem-details';
import {
  CreateEnterpriseDto,
  EnterpriseDto,
  EnterpriseListQueryDto,
  EnterprisePageDto,
  UpdateEnterpriseDto,
} from './dto/enterprise.dto';
import { EnterprisesService } from './enterprises.service';

@ApiTags('enterprises')
@Authenticated()
@Controller('enterprises')
export class EnterprisesController {
  constructor(private readonly enterprises: EnterprisesService) {}

  @Get()
  @ApiOperation({ summary: 'Search (name or credit code) and filter enterprises, by name, a page at a time', description: 'Any signed-in user. Follow `nextCursor` for the next page.' })
  @ApiOkResponse({ type: EnterprisePageDto })
  list(@Query() query: EnterpriseListQueryDto): Promise<EnterprisePageDto> {
    return this.enterprises.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One enterprise', description: 'Any signed-in user.' })
  @ApiOkResponse({ type: EnterpriseDto })
  @ApiProblem(404, 'No such enterprise')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<EnterpriseDto> {
    return this.enterprises.get(id);
  }

  @Post()
  @Roles('liaison_officer', 'manager', 'admin')
  @ApiOperation({ summary: 'Register an enterprise; the credit code is checked and must be new', description: 'The unified social credit code is checked (check digit) and must be new (409 duplicate). A liaison officer may name only themselves as liaison.' })
  @ApiCreatedResponse({ type: EnterpriseDto })
  @ApiProblem(400, 'Invalid field, e.g. a wrong credit code check digit')
  @ApiProblem(409, 'An enterprise with this credit code exists (duplicate)')
  @ApiProblem(403, 'A liaison officer naming another liaison officer')
  create(@CurrentUser() user: AuthUser, @Body() body: CreateEnterpriseDto): Promise<EnterpriseDto> {
    return this.enterprises.create(user, body);
  }

  @Patch(':id')
  @Roles('liaison_officer', 'manager', 'admin')
  @ApiOperation({ summary: 'Change some fields of an enterprise: managers any, a liaison officer those they follow', description: 'Only the fields sent change; null clears a nullable field. Managers may edit any enterprise, a liaison officer those they follow.' })
  @ApiOkResponse({ type: EnterpriseDto })
  @ApiProblem(400, 'Invalid field')
  @ApiProblem(404, 'No such enterprise')
  @ApiProblem(409, 'Another enterprise has this credit code (duplicate)')
  @ApiProblem(403, 'A liaison officer editing an enterprise they do not follow, or changing its liaisonOfficerId')
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateEnterpriseDto,
  ): Promise<EnterpriseDto> {
    return this.enterprises.update(user, id, body);
  }
}
