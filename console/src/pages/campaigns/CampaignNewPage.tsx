/** 新建推送 New campaign: the composer; saving makes a draft and opens it to preview, test and schedule. */
import { Button, Card, Form } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { problemText } from '../../api/messages';
import { PageHeader, QueryView } from '../../components/states';
import {
  CampaignComposer,
  checkComposer,
  initialValues,
  serverOntoComposer,
  type ComposerValues,
} from './CampaignComposer';

export default function CampaignNewPage() {
  const navigate = useNavigate();
  const [form] = Form.useForm<ComposerValues>();
  const [banner, setBanner] = useState<string | null>(null);
  const create = useApiMutation('createCampaign', { invalidates: ['listCampaigns'] });
  // The audience picker offers the saved segments: the composer waits for them.
  const segments = useApiQuery('listSegments', {});

  async function save() {
    setBanner(null);
    const { input, rest } = checkComposer(form);
    if (!input) {
      if (rest.length) setBanner(rest.join('；'));
      return;
    }
    try {
      const c = await create.mutateAsync({ body: input });
      navigate(`/campaigns/${c.id}`);
    } catch (err) {
      const rest2 = serverOntoComposer(form, err);
      setBanner(rest2 === null ? problemText(err) : rest2.join('；') || null);
    }
  }

  return (
    <>
      <PageHeader
        zh="新建推送"
        en="New campaign"
        extra={
          <Button type="primary" className="save-campaign" loading={create.isPending} onClick={() => void save()}>
            保存草稿 Save draft
          </Button>
        }
      />
      <Card style={{ maxWidth: 900 }}>
        <QueryView query={segments}>
          {() => <CampaignComposer form={form} banner={banner} initial={initialValues()} />}
        </QueryView>
      </Card>
    </>
  );
}
