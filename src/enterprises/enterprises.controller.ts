import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/current-user';
import { Authenticated, Roles } from '../auth/roles.decorator';
import { ProblemDetailsDto } from '../common/errors/problem-details';
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
  @ApiOperation({ summary: 'Search (name or credit code) and filter enterprises, by name, a page at a time' })
  @ApiOkResponse({ type: EnterprisePageDto })
  list(@Query() query: EnterpriseListQueryDto): Promise<EnterprisePageDto> {
    return this.enterprises.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One enterprise' })
  @ApiOkResponse({ type: EnterpriseDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'No such enterprise' })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<EnterpriseDto> {
    return this.enterprises.get(id);
  }

  @Post()
  @Roles('liaison_officer', 'manager', 'admin')
  @ApiOperation({ summary: 'Register an enterprise; the credit code is checked and must be new' })
  @ApiCreatedResponse({ type: EnterpriseDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'Invalid field, e.g. a wrong credit code check digit' })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'An enterprise with this credit code exists (duplicate)' })
  @ApiForbiddenResponse({ type: ProblemDetailsDto, description: 'A liaison officer naming another liaison officer' })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateEnterpriseDto): Promise<EnterpriseDto> {
    return this.enterprises.create(user, body);
  }

  @Patch(':id')
  @Roles('liaison_officer', 'manager', 'admin')
  @ApiOperation({ summary: 'Change some fields of an enterprise: managers any, a liaison officer those they follow' })
  @ApiOkResponse({ type: EnterpriseDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'Invalid field' })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'No such enterprise' })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'Another enterprise has this credit code (duplicate)' })
  @ApiForbiddenResponse({
    type: ProblemDetailsDto,
    description: 'A liaison officer editing an enterprise they do not follow, or changing its liaisonOfficerId',
  })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateEnterpriseDto,
  ): Promise<EnterpriseDto> {
    return this.enterprises.update(user, id, body);
  }
}
