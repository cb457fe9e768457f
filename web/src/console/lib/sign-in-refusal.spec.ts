import { describe, expect, it } from '@jest/globals';
import { signInRefusal } from './sign-in-refusal';

describe('signInRefusal', () => {
  it('says a wrong password, a throttled one with its wait in minutes, and anything else in Chinese', () => {
    expect(signInRefusal(401)).toBe('用户名或密码错误。');
    expect(signInRefusal(429, 61)).toBe('登录失败次数过多，请 2 分钟后再试。');
    expect(signInRefusal(429, 5)).toBe('登录失败次数过多，请 1 分钟后再试。');
    expect(signInRefusal(429)).toBe('登录失败次数过多，请 15 分钟后再试。');
    expect(signInRefusal(503)).toBe('暂时无法登录，请稍后再试。');
  });
});
