import { Alert, Button } from 'antd';
import type { Change } from '../lib/ticket-diff';

/** A stale version: what the other user changed, and a reload; the action is never re-sent. */
export function ConflictNotice({ changes, onReload }: { changes: Change[]; onReload: () => void }) {
  return (
    <Alert
      type="warning"
      showIcon
      role="alert"
      className="conflict"
      data-testid="conflict"
      title="此工单已被他人更新"
      description={
        <>
          <p>您的操作未提交。请重新加载，查看最新情况后再操作。</p>
          {changes.length > 0 && (
            <ul className="conflict-changes">
              {changes.map((c) => (
                <li key={c.field}>
                  {c.field}：<del>{c.before}</del> → <strong>{c.after}</strong>
                </li>
              ))}
            </ul>
          )}
        </>
      }
      action={
        <Button type="primary" onClick={onReload}>
          重新加载
        </Button>
      }
    />
  );
}
