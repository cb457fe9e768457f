import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblem } from '../common/errors/problem-details';
import { Public } from '../common/http/public.decorator';
import { AuthService } from './auth.service';
import { type AuthUser, CurrentUser } from './current-user';
import { ChangePasswordDto, LoginDto, MeDto, TokenDto } from './dto/login.dto';
import { Authenticated } from './roles.decorator';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange username and password for an access token', description: 'Public. Repeated failures for one IP and username are throttled (429 with Retry-After). The token is a JWT to send as `Authorization: Bearer <token>`.' })
  @ApiOkResponse({ type: TokenDto })
  @ApiProblem(401, 'Wrong username or password')
  @ApiProblem(429, 'Too many failed attempts; retry later')
  login(@Body() body: LoginDto, @Ip() ip: string): Promise<TokenDto> {
    return this.auth.login(body.username, body.password, ip);
  }

  @Authenticated()
  @Get('me')
  @ApiOperation({ summary: 'The signed-in user', description: 'The account behind the access token: id, username, display name, role and department.' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentUser() user: AuthUser): Promise<MeDto> {
    return this.auth.me(user.id);
  }

  @Authenticated()
  @Post('me/password')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Change your own password',
    description: 'Every token of yours stops working, the one sent included; the answer is a new token.',
  })
  @ApiOkResponse({ type: TokenDto })
  @ApiProblem(422, 'The current password is wrong')
  @ApiProblem(429, 'Too many failed attempts; retry later')
  changePassword(@CurrentUser() user: AuthUser, @Body() body: ChangePasswordDto, @Ip() ip: string): Promise<TokenDto> {
    return this.auth.changePassword(user, body.currentPassword, body.newPassword, ip);
  }
}
