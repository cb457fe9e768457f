import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { api, type Problem } from '../api/client';
import { currentToken, safeNext, setToken } from '../api/session';
import { signInRefusal } from '../lib/sign-in-refusal';

interface Credentials {
  username: string;
  password: string;
}

export function SignInPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));

  if (currentToken()) return <Navigate to={next} replace />;

  async function signIn(values: Credentials) {
    setBusy(true);
    setError(null);
    try {
      const { data, error: problem, response } = await api.POST('/api/v1/auth/login', { body: values });
      if (!data) {
        setError(signInRefusal(response.status, (problem as Problem | undefined)?.retryAfterSeconds));
        return;
      }
      queryClient.clear();
      setToken(data.accessToken);
      navigate(next, { replace: true });
    } catch {
      setError('网络连接失败，请检查网络后重试。');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="signin">
      <main className="signin-box">
        <header className="signin-head">
          <h1>企业诉求服务平台</h1>
          <p>经开区“1-2-3”诉求办理工作台</p>
        </header>
        <Card>
          {params.get('expired') && !error && <Alert className="signin-alert" type="info" showIcon title="登录已失效，请重新登录。" />}
          {error && <Alert className="signin-alert" type="error" showIcon title={error} role="alert" />}
          <Form<Credentials> layout="vertical" requiredMark={false} onFinish={signIn} size="large">
            <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]}>
              <Input autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              登录
            </Button>
          </Form>
        </Card>
        <Typography.Paragraph type="secondary" className="signin-foot">
          企业回访请打开短信或消息中的回访链接，无需登录。
        </Typography.Paragraph>
      </main>
    </div>
  );
}
