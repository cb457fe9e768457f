/** The Chinese message for a refused sign-in, by the answer's status (and a 429's wait). */
export function signInRefusal(status: number, retryAfterSeconds?: number): string {
  if (status === 401) return '用户名或密码错误。';
  if (status === 429) {
    const minutes = Math.max(1, Math.ceil((retryAfterSeconds ?? 900) / 60));
    return `登录失败次数过多，请 ${minutes} 分钟后再试。`;
  }
  if (status === 400) return '请填写用户名和密码。';
  return '暂时无法登录，请稍后再试。';
}
