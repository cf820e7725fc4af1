/**
 * Add a staff member: username, name, role and a first password (typed, or a strong one
 * generated here to hand over). Checked with the contract's `CreateStaffRequest` before
 * sending; the server's 400 fields and a taken username (409) land on their inputs.
 */
import { CreateStaffRequest, type StaffRole } from '@chatmall/shared';
import { Alert, App, Button, Form, Input, Modal, Radio, Space } from 'antd';
import { useState } from 'react';
import { roleLabel } from '../../access';
import { useApiMutation } from '../../api/hooks';
import { clearErrorsOnEdit } from '../../api/messages';
import { Bi } from '../../components/states';
import { serverOntoForm, staffProblemText, strongPassword, zodOntoForm } from './staff-text';

interface Values {
  username: string;
  displayName: string;
  role: StaffRole;
  password: string;
}
const FIELDS = ['username', 'displayName', 'role', 'password'] as const;

export function AddStaffDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [banner, setBanner] = useState<string | null>(null);
  const create = useApiMutation('createStaff', { invalidates: ['listStaff'] });

  function close() {
    form.resetFields();
    setBanner(null);
    onClose();
  }

  async function submit() {
    setBanner(null);
    const v = form.getFieldsValue();
    const checked = CreateStaffRequest.safeParse({
      username: (v.username ?? '').trim(),
      displayName: v.displayName ?? '',
      role: v.role,
      password: v.password ?? '',
    });
    if (!checked.success) {
      zodOntoForm(form, checked.error);
      return;
    }
    try {
      const added = await create.mutateAsync({ body: checked.data });
      message.success(`已添加 ${added.displayName} · Staff member added`);
      close();
    } catch (err) {
      if (!serverOntoForm(form, err, FIELDS)) setBanner(staffProblemText(err));
    }
  }

  return (
    <Modal
      open={open}
      title={<Bi zh="添加员工" en="Add staff" />}
      okText="添加 Add"
      cancelText="取消 Cancel"
      okButtonProps={{ className: 'add-staff-submit', loading: create.isPending }}
      onOk={() => void submit()}
      onCancel={close}
      destroyOnHidden
      width={560}
    >
      {banner && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={banner} />}
      <Form
        form={form}
        layout="vertical"
        className="add-staff-form"
        initialValues={{ role: 'clerk' }}
        onValuesChange={clearErrorsOnEdit(form)}
        onFinish={() => void submit()}
      >
        <Form.Item name="username" label={<Bi zh="用户名" en="Username" />} extra="登录时使用 · used to sign in">
          <Input id="staff-username" autoComplete="off" placeholder="xiaowang" />
        </Form.Item>
        <Form.Item name="displayName" label={<Bi zh="姓名" en="Name" />}>
          <Input id="staff-display-name" placeholder="小王" maxLength={64} />
        </Form.Item>
        <Form.Item name="role" label={<Bi zh="角色" en="Role" />}>
          <Radio.Group>
            {(['clerk', 'marketer', 'owner'] as const).map((r) => (
              <Radio.Button key={r} value={r}>
                {roleLabel[r]}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item label={<Bi zh="初始密码" en="First password" />} required>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name="password" noStyle>
              <Input id="staff-password" autoComplete="new-password" placeholder="至少 10 个字符 · 10+ characters" />
            </Form.Item>
            <Button
              onClick={() => {
                form.setFieldValue('password', strongPassword());
                form.setFields([{ name: 'password', errors: [] }]);
              }}
            >
              生成 Generate
            </Button>
          </Space.Compact>
        </Form.Item>
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}
