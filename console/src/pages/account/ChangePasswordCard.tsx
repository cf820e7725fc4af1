/**
 * 修改密码 Change password: the signed-in member sets their own password. The current one must
 * match (wrong guesses count toward the sign-in lock, as at sign-in); the member's other devices
 * are signed out, this one stays.
 */
import { ChangeOwnPassword } from '@chatmall/shared';
import { Alert, App, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useApiMutation } from '../../api/hooks';
import { clearErrorsOnEdit } from '../../api/messages';
import { Bi } from '../../components/states';
import { serverOntoForm, staffProblemText, zodOntoForm } from '../staff/staff-text';

interface Fields {
  currentPassword: string;
  password: string;
  repeat: string;
}

export function ChangePasswordCard() {
  const { message } = App.useApp();
  const [form] = Form.useForm<Fields>();
  const [banner, setBanner] = useState<string | null>(null);
  const change = useApiMutation('changeOwnPassword');

  async function submit() {
    setBanner(null);
    const v = form.getFieldsValue();
    const checked = ChangeOwnPassword.safeParse({
      currentPassword: v.currentPassword ?? '',
      password: v.password ?? '',
    });
    if (!checked.success) {
      zodOntoForm(form, checked.error);
      return;
    }
    if ((v.repeat ?? '') !== checked.data.password) {
      form.setFields([{ name: 'repeat', errors: ['两次输入的新密码不一致 · the two new passwords differ'] }]);
      return;
    }
    try {
      const done = await change.mutateAsync({ body: checked.data });
      form.resetFields();
      message.success(
        done.signedOutElsewhere > 0
          ? `密码已修改，其他 ${done.signedOutElsewhere} 处登录已退出 · Password changed; signed out elsewhere`
          : '密码已修改 · Password changed',
      );
    } catch (err) {
      if (!serverOntoForm(form, err, ['currentPassword', 'password'])) setBanner(staffProblemText(err));
    }
  }

  return (
    <Card className="change-password" title={<Bi zh="修改密码" en="Change password" />} style={{ maxWidth: 720 }}>
      <Typography.Paragraph type="secondary">
        修改后，你在其他设备上的登录会退出，本机保持登录。
        <br />
        <span className="en">Your other signed-in devices are signed out; this one stays signed in.</span>
      </Typography.Paragraph>
      {banner && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={banner} />}
      <Form
        form={form}
        layout="vertical"
        style={{ maxWidth: 360 }}
        onValuesChange={clearErrorsOnEdit(form)}
        onFinish={() => void submit()}
      >
        <Form.Item name="currentPassword" label={<Bi zh="当前密码" en="Current password" />} required>
          <Input.Password id="current-password" autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="password" label={<Bi zh="新密码" en="New password" />} required>
          <Input.Password id="new-password" autoComplete="new-password" placeholder="至少 10 个字符 · 10+ characters" />
        </Form.Item>
        <Form.Item name="repeat" label={<Bi zh="再输一次新密码" en="New password again" />} required>
          <Input.Password id="repeat-password" autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" className="change-password-submit" loading={change.isPending}>
          修改密码 Change password
        </Button>
      </Form>
    </Card>
  );
}
