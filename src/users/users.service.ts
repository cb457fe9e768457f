import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import { Repository } from 'typeorm';
import { User } from './entities/user.entity';

@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  findActive(id: string): Promise<User | null> {
    return this.users.findOneBy({ id, active: true });
  }

  /** The user when the password matches; null otherwise (same answer for unknown users). */
  async verifyPassword(username: string, password: string): Promise<User | null> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.username = :username AND u.active', { username: username.toLowerCase() })
      .getOne();
    if (!user) {
      // Spend the same time as a real check so usernames cannot be probed by timing.
      await argon2.hash(password);
      return null;
    }
    return (await argon2.verify(user.passwordHash, password)) ? user : null;
  }
}

export const hashPassword = (password: string) => argon2.hash(password);
