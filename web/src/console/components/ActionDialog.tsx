import { Button, DatePicker, Form, Input, Modal, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import type { ActionInput } from '../api/ticket-actions';
import { useDepartments } from '../api/queries';
import { ACTION_LABELS, type TicketAction } from '../lib/labels';

interface Values extends Omit<ActionInput, 'newDeadline'> {
  newDeadline?: Dayjs;
}

const REASON_LABEL: Partial<Record<TicketAction, string>> = { pause: '暂停原因（如待企业补充材料）', return: '退回原因', extend: '延期理由' };

/** The form of one action: a reason, what was done, a new deadline or a department. */
export function ActionDialog({
  action,
  busy,
  onSubmit,
  onCancel,
}: {
  action: TicketAction;
  busy: boolean;
  onSubmit: (input: ActionInput) => void;
  onCancel: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const departments = useDepartments();
  const reasonLabel = REASON_LABEL[action];

  const submit = (values: Values) => onSubmit({ ...values, newDeadline: values.newDeadline?.toISOString() });

  return (
    <Modal open title={ACTION_LABELS[action]} onCancel={onCancel} footer={null} destroyOnHidden width={520}>
      <Form<Values> form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        {reasonLabel && (
          <Form.Item label={reasonLabel} name="reason" rules={[{ required: true, whitespace: true, message: `请填写${reasonLabel.replace(/（.*）/, '')}` }]}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        )}
        {action === 'extend' && (
          <Form.Item label="新的办理时限" name="newDeadline" rules={[{ required: true, message: '请选择新的办理时限' }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" className="full-width" />
          </Form.Item>
        )}
        {action === 'resolve' && (
          <>
            <Form.Item label="办理情况（做了什么、结果如何）" name="resolution" rules={[{ required: true, whitespace: true, message: '请填写办理情况' }]}>
              <Input.TextArea rows={4} maxLength={4000} />
            </Form.Item>
            <Form.List name="attachments">
              {(fields, { add, remove }) => (
                <Form.Item label="附件链接">
                  {fields.map((field) => (
                    <Space.Compact key={field.key} className="attachment-row">
                      <Form.Item name={[field.name, 'name']} noStyle rules={[{ required: true, message: '请填写名称' }]}>
                        <Input placeholder="名称" aria-label="附件名称" />
                      </Form.Item>
                      <Form.Item name={[field.name, 'url']} noStyle rules={[{ required: true, type: 'url', message: '请填写有效链接' }]}>
                        <Input placeholder="https://" aria-label="附件链接" />
                      </Form.Item>
                      <Button onClick={() => remove(field.name)}>删除</Button>
                    </Space.Compact>
                  ))}
                  <Button type="dashed" onClick={() => add({ name: '', url: '' })} block>
                    添加附件链接
                  </Button>
                </Form.Item>
              )}
            </Form.List>
          </>
        )}
        {action === 'route' && (
          <Form.Item label="承办部门" name="departmentId" rules={[{ required: true, message: '请选择承办部门' }]}>
            <Select options={departments.data?.map((d) => ({ value: d.id, label: d.name }))} loading={departments.isPending} />
          </Form.Item>
        )}
        {(action === 'start' || action === 'resume' || action === 'route') && (
          <Form.Item label="备注（可选）" name="note">
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        )}
        <div className="dialog-buttons">
          <Button onClick={onCancel}>取消</Button>
          <Button type="primary" htmlType="submit" loading={busy}>
            确认{ACTION_LABELS[action]}
          </Button>
        </div>
      </Form>
    </Modal>
  );
}
