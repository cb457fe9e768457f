import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, Roles } from '../auth/roles.decorator';
import { ApiProblem } from '../common/errors/problem-details';
import { DepartmentsService } from './departments.service';
import { CreateDepartmentDto, DepartmentDto, UpdateDepartmentDto } from './dto/department.dto';

@ApiTags('departments')
@Authenticated()
@Controller('departments')
export class DepartmentsController {
  constructor(private readonly departments: DepartmentsService) {}

  @Get()
  @ApiOperation({ summary: 'All departments with their deputy leader and default categories', description: 'Any signed-in user: the departments demands can be routed to.' })
  @ApiOkResponse({ type: [DepartmentDto] })
  list(): Promise<DepartmentDto[]> {
    return this.departments.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One department', description: 'Any signed-in user.' })
  @ApiOkResponse({ type: DepartmentDto })
  @ApiProblem(404, 'No such department')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<DepartmentDto> {
    return this.departments.get(id);
  }

  @Post()
  @Roles('admin', 'manager')
  @ApiOperation({ summary: 'Create a department; a category may be routed to one department only', description: 'Admins and managers. Each category is routed to one department at most: claiming one another department holds is a 409, as is a taken name.' })
  @ApiCreatedResponse({ type: DepartmentDto })
  @ApiProblem(409, 'Conflict with the current state')
  create(@Body() body: CreateDepartmentDto): Promise<DepartmentDto> {
    return this.departments.create(body);
  }

  @Patch(':id')
  @Roles('admin', 'manager')
  @ApiOperation({ summary: 'Rename a department, change its deputy leader or its default categories', description: 'Admins and managers. Only the fields sent change; claiming a category another department holds is a 409.' })
  @ApiOkResponse({ type: DepartmentDto })
  @ApiProblem(404, 'No such department')
  @ApiProblem(409, 'Conflict with the current state')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateDepartmentDto): Promise<DepartmentDto> {
    return this.departments.update(id, body);
  }
}
