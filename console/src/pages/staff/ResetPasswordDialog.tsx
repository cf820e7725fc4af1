/**
 * The owner sets a member's new password (typed, or a strong one generated here to copy and
 * hand over in person). The member's sessions end at once and a sign-in lock is lifted; the
 * password is never shown again once the dialog closes.
 */
import { ResetStaffPassword, type StaffAccount } from '@chatmall/shared';
import { Alert, App, Button, Form, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { useApiMutation } from '../../api/hooks';
import { clearErrorsOnEdit } from '../../api/messages';
import { Bi } from '../../components/states';
import { serverOntoForm, staffProblemText, strongPassword, zodOntoForm } from './staff-text';

export function ResetPasswordDialog({ target, onClose }: { target: StaffAccount | null; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ password: string }>();
  const [banner, setBanner] = useState<string | null>(null);
  const reset = useApiMutation('resetStaffPassword', { invalidates: ['listStaff'] });

  function close() {
    form.resetFields();
    setBanner(null);
    onClose();
  }

  async function submit() {
    if (!target) return;
    setBanner(null);
    const checked = ResetStaffPassword.safeParse({ password: form.getFieldValue('password') ?? '' });
    if (!checked.success) {
      zodOntoForm(form, checked.error);
      return;
    }
    try {
      await reset.mutateAsync({ params: { id: target.id }, body: checked.data });
      message.success(`已重置 ${target.displayName} 的密码，请当面告知 · Password reset`);
      close();
    } catch (err) {
      if (!serverOntoForm(form, err, ['password'])) setBanner(staffProblemText(err));
    }
  }

  return (
    <Modal
      open={target !== null}
      title={<Bi zh="重置密码" en="Reset password" />}
      okText="重置 Reset"
      cancelText="取消 Cancel"
      okButtonProps={{ className: 'reset-password-submit', loading: reset.isPending }}
      onOk={() => void submit()}
      onCancel={close}
      destroyOnHidden
    >
      {target && (
        <Typography.Paragraph type="secondary">
          为 <b>{target.displayName}</b>（{target.username}
          ）设置新密码。对方所有已登录的设备会立即退出，需用新密码重新登录。
          <br />
          <span className="en">
            Their signed-in devices are signed out at once; they sign in again with the new password.
          </span>
        </Typography.Paragraph>
      )}
      {banner && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={banner} />}
      <Form form={form} layout="vertical" onValuesChange={clearErrorsOnEdit(form)} onFinish={() => void submit()}>
        <Form.Item label={<Bi zh="新密码" en="New password" />} required>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name="password" noStyle>
              <Input id="reset-password" autoComplete="new-password" placeholder="至少 10 个字符 · 10+ characters" />
            </Form.Item>
            <Button
              onClick={() => {
                form.setFieldValue('password', strongPassword());
                form.setFields([{ name: 'password', errors: [] }]);
              }}
            >
              生成 Generate
            </Button>
            <Button
              onClick={() => {
                const value = form.getFieldValue('password') as string | undefined;
                if (!value) return;
                navigator.clipboard?.writeText(value).then(
                  () => message.success('已复制 · Copied'),
                  () => message.warning('无法复制，请手动抄写 · Copy it by hand'),
                );
              }}
            >
              复制 Copy
            </Button>
          </Space.Compact>
        </Form.Item>
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}
