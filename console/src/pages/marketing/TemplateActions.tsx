/**
 * What a marketer does to a saved coupon template: publish (start issuing), stop issuing (what
 * buyers hold stays usable), each after a confirmation; and give one coupon to a buyer (a
 * make-good), idempotent on a key made when the dialog opens.
 */
import {
  ApiError,
  ErrorCode,
  StaffIssueCouponRequest,
  type CouponTemplate,
  type CouponTemplateStatus,
} from '@chatmall/shared';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Typography } from 'antd';
import { useState } from 'react';
import { apiKey, useApiMutation } from '../../api/hooks';
import { problemText, showServerErrors, showZodErrors } from '../../api/messages';
import { Bi } from '../../components/states';

export const statusColor: Record<CouponTemplateStatus, string> = {
  DRAFT: 'default',
  PUBLISHED: 'green',
  STOPPED: 'orange',
};

const invalidates = ['adminListCouponTemplates' as const, 'adminGetCouponTemplate' as const];

function useMove(what: 'publishCouponTemplate' | 'stopCouponTemplate') {
  const queryClient = useQueryClient();
  return useApiMutation(what, {
    invalidates,
    onSuccess: (out) => queryClient.setQueryData(apiKey('adminGetCouponTemplate', { params: { id: out.id } }), out),
  });
}

export function PublishButton({
  template,
  disabled,
  size,
}: {
  template: CouponTemplate;
  disabled?: boolean;
  size?: 'small';
}) {
  const { message } = App.useApp();
  const publish = useMove('publishCouponTemplate');
  return (
    <Popconfirm
      title={`发布「${template.title}」？ Publish?`}
      description={
        template.claimable
          ? '发布后买家可在领券中心领取 · Buyers can claim it in the claim centre'
          : '发布后可发放给买家 · It can then be given out'
      }
      okText="发布 Publish"
      cancelText="取消 Cancel"
      disabled={disabled}
      onConfirm={async () => {
        try {
          await publish.mutateAsync({ params: { id: template.id } });
          message.success(`已发布 · ${template.title} is issuing`);
        } catch (err) {
          message.error(problemText(err));
        }
      }}
    >
      <Button
        className="publish-coupon"
        size={size}
        type="primary"
        ghost
        disabled={disabled}
        loading={publish.isPending}
      >
        {template.status === 'STOPPED' ? '重新发布 Publish again' : '发布 Publish'}
      </Button>
    </Popconfirm>
  );
}

export function StopButton({ template, size }: { template: CouponTemplate; size?: 'small' }) {
  const { message } = App.useApp();
  const stop = useMove('stopCouponTemplate');
  return (
    <Popconfirm
      title={`停发「${template.title}」？ Stop issuing?`}
      description="已领的券仍可使用 · Coupons buyers hold stay usable"
      okText="停发 Stop"
      okButtonProps={{ danger: true }}
      cancelText="取消 Cancel"
      onConfirm={async () => {
        try {
          await stop.mutateAsync({ params: { id: template.id } });
          message.success(`已停发 · ${template.title} stopped`);
        } catch (err) {
          message.error(problemText(err));
        }
      }}
    >
      <Button className="stop-coupon" size={size} danger loading={stop.isPending}>
        停发 Stop
      </Button>
    </Popconfirm>
  );
}

function requestKey(): string {
  return `issue-${crypto.randomUUID()}`;
}

/** 发给买家: one coupon of a published template to a buyer by their id. */
export function IssueDialog({ template, onClose }: { template: CouponTemplate | null; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ buyerId: string }>();
  const [key, setKey] = useState(requestKey);
  const [banner, setBanner] = useState<string | null>(null);
  const issue = useApiMutation('staffIssueCoupon', { invalidates });

  function close() {
    form.resetFields();
    setBanner(null);
    setKey(requestKey());
    onClose();
  }

  async function submit() {
    if (!template) return;
    setBanner(null);
    const body = { buyerId: (form.getFieldValue('buyerId') ?? '').trim(), requestKey: key };
    const checked = StaffIssueCouponRequest.safeParse(body);
    if (!checked.success) {
      const rest = showZodErrors(form, checked.error);
      if (rest.length) setBanner(rest.join('；'));
      return;
    }
    try {
      await issue.mutateAsync({ params: { id: template.id }, body: checked.data });
      message.success(`已发给买家 · Sent to ${body.buyerId}`);
      close();
    } catch (err) {
      const rest = showServerErrors(form, err);
      if (rest) {
        if (rest.length) setBanner(rest.join('；'));
      } else if (err instanceof ApiError && err.code === ErrorCode.CONFLICT) {
        form.setFields([{ name: 'buyerId', errors: [`不能发放 · ${err.message}`] }]);
      } else setBanner(problemText(err));
    }
  }

  return (
    <Modal
      open={template !== null}
      title={<Bi zh="发给买家" en="Give to a buyer" />}
      okText="发放 Give"
      cancelText="取消 Cancel"
      confirmLoading={issue.isPending}
      onOk={() => void submit()}
      onCancel={close}
      destroyOnHidden
    >
      {template && (
        <Typography.Paragraph>
          {template.title} · {template.benefitText}
          <br />
          <Typography.Text type="secondary">
            计入发放总量和每人限领；重复点击只发一张 · Counts against stock and the per-buyer limit; a repeated click
            gives one
          </Typography.Text>
        </Typography.Paragraph>
      )}
      {banner && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={banner} />}
      <Form form={form} layout="vertical" className="issue-form" onFinish={() => void submit()}>
        <Form.Item
          name="buyerId"
          label={<Bi zh="买家编号" en="Buyer ID" />}
          extra="以 buyer_ 开头 · starts with buyer_"
        >
          <Input className="field-buyer-id" placeholder="buyer_…" maxLength={40} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
