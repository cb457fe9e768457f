import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, Roles } from '../auth/roles.decorator';
import { ApiProblem } from '../common/errors/problem-details';
import { CreateUserDto, ListUsersQuery, UpdateUserDto, UserDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Authenticated()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'Staff directory, optionally by role (to pick officials, leaders, handlers)', description: 'Any signed-in user may read the directory, to pick officials, leaders and handlers in other forms. Password hashes are never returned.' })
  @ApiOkResponse({ type: [UserDto] })
  list(@Query() query: ListUsersQuery): Promise<UserDto[]> {
    return this.users.list(query.role);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a user account', description: 'Admins only. A department handler needs a departmentId; a taken username is a 409 duplicate.' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiProblem(409, 'Username taken')
  create(@Body() body: CreateUserDto): Promise<UserDto> {
    return this.users.create(body);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Change role, department, password, or disable an account', description: 'Admins only. Only the fields sent change; a disabled account loses access at once, whatever tokens it holds.' })
  @ApiOkResponse({ type: UserDto })
  @ApiProblem(404, 'Not found')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateUserDto): Promise<UserDto> {
    return this.users.update(id, body);
  }
}
