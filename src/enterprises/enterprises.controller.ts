import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
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
  create(@Body() body: CreateEnterpriseDto): Promise<EnterpriseDto> {
    return this.enterprises.create(body);
  }

  @Patch(':id')
  @Roles('liaison_officer', 'manager', 'admin')
  @ApiOperation({ summary: 'Change some fields of an enterprise' })
  @ApiOkResponse({ type: EnterpriseDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'Invalid field' })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'No such enterprise' })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'Another enterprise has this credit code (duplicate)' })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateEnterpriseDto): Promise<EnterpriseDto> {
    return this.enterprises.update(id, body);
  }
}
