import { describe, expect, it } from '@jest/globals';
import { classifyAnswer } from './robot-answer';
import { maskedRobotUrl, robotUrlRefusal } from './robot-target';

const strict = { allowPrivate: false, allowLoopback: false };
const tests = { allowPrivate: false, allowLoopback: true };

describe('robotUrlRefusal', () => {
  it("takes each platform's official webhook", () => {
    expect(robotUrlRefusal('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa', strict)).toBeNull();
    expect(robotUrlRefusal('dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=XXXXXX', strict)).toBeNull();
    expect(robotUrlRefusal('feishu', 'https://open.feishu.cn/open-apis/bot/v2/hook/5e3d587e-d78e-4a07-bd07-265f269f86fd', strict)).toBeNull();
  });

  it('refuses other hosts, http, ports, user info, wrong paths and missing credentials', () => {
    for (const [platform, url] of [
      ['dingtalk', 'http://oapi.dingtalk.com/robot/send?access_token=x'],
      ['dingtalk', 'https://oapi.dingtalk.com:8443/robot/send?access_token=x'],
      ['dingtalk', 'https://oapi.dingtalk.com.evil.example/robot/send?access_token=x'],
      ['dingtalk', 'https://user:pw@oapi.dingtalk.com/robot/send?access_token=x'],
      ['dingtalk', 'https://oapi.dingtalk.com/robot/send'],
      ['dingtalk', 'https://oapi.dingtalk.com/robot/other?access_token=x'],
      ['wecom', 'https://oapi.dingtalk.com/robot/send?access_token=x'],
      ['wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send'],
      ['feishu', 'https://open.feishu.cn/open-apis/bot/v2/hook/'],
      ['feishu', 'https://open.larksuite.com/open-apis/bot/v2/hook/abc'],
      ['feishu', 'not a url'],
    ] as const) {
      expect(robotUrlRefusal(platform, url, strict)).not.toBeNull();
    }
  });

  it('takes a loopback test host only where the webhook policy allows loopback', () => {
    const fake = 'http://127.0.0.1:4567/robot/send?access_token=x';
    expect(robotUrlRefusal('dingtalk', fake, strict)).not.toBeNull();
    expect(robotUrlRefusal('dingtalk', fake, tests)).toBeNull();
    expect(robotUrlRefusal('dingtalk', 'http://localhost:4567/robot/send?access_token=x', tests)).toBeNull();
    expect(robotUrlRefusal('dingtalk', 'http://10.0.0.5/robot/send?access_token=x', tests)).not.toBeNull();
    expect(robotUrlRefusal('dingtalk', 'http://169.254.169.254/robot/send?access_token=x', tests)).not.toBeNull();
  });
});

describe('maskedRobotUrl', () => {
  it('keeps the first and last four characters of the credential, nothing else of the query', () => {
    expect(maskedRobotUrl('dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=5a3ecf88f2b3eb50db30ecfc00f53033&timestamp=1&sign=x')).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=5a3e****3033',
    );
    expect(maskedRobotUrl('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa')).toBe(
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a****5aaa',
    );
    expect(maskedRobotUrl('feishu', 'https://open.feishu.cn/open-apis/bot/v2/hook/5e3d587e-d78e-4a07-bd07-265f269f86fd')).toBe(
      'https://open.feishu.cn/open-apis/bot/v2/hook/5e3d****86fd',
    );
    expect(maskedRobotUrl('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=short')).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****');
  });
});

describe('classifyAnswer', () => {
  it('code 0 on HTTP 200 is success', () => {
    expect(classifyAnswer('wecom', 200, '{"errcode":0,"errmsg":"ok"}')).toEqual({ ok: true, retryable: false, code: 0, error: null });
    expect(classifyAnswer('feishu', 200, '{"code":0,"msg":"success","data":{}}').ok).toBe(true);
  });

  it('a documented throttling code is retried, a configuration error is not', () => {
    expect(classifyAnswer('dingtalk', 200, '{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}')).toEqual({
      ok: false,
      retryable: true,
      code: 130101,
      error: 'send too fast, exceed 20 times per minute',
    });
    expect(classifyAnswer('wecom', 200, '{"errcode":45009,"errmsg":"api freq out of limit"}').retryable).toBe(true);
    expect(classifyAnswer('feishu', 200, '{"code":11232,"msg":"frequency limited"}').retryable).toBe(true);
    expect(classifyAnswer('feishu', 429, '{"code":99991400,"msg":"request trigger frequency limit"}').retryable).toBe(true);
    expect(classifyAnswer('dingtalk', 200, '{"errcode":310000,"errmsg":"sign not match"}')).toMatchObject({ ok: false, retryable: false, code: 310000 });
    expect(classifyAnswer('feishu', 200, '{"code":19021,"msg":"sign match fail"}')).toMatchObject({ ok: false, retryable: false, code: 19021 });
    expect(classifyAnswer('feishu', 200, '{"code":9499,"msg":"Bad Request"}').retryable).toBe(false);
  });

  it('without a code, the HTTP status decides; a 2xx without one is retried', () => {
    expect(classifyAnswer('wecom', 502, '<html>bad gateway</html>')).toMatchObject({ ok: false, retryable: true, code: 502 });
    expect(classifyAnswer('wecom', 404, 'not found')).toMatchObject({ ok: false, retryable: false, code: 404 });
    expect(classifyAnswer('dingtalk', 200, 'ok')).toMatchObject({ ok: false, retryable: true, code: 200 });
  });
});
