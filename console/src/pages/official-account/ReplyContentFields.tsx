/**
 * The fields of one reply (a keyword rule's, the welcome's, the default reply's): text, an
 * image (a permanent material's media_id), news articles (up to 8) or a mini-program card.
 * Nested under `name` in the surrounding form, so the server's field errors (`reply.text`)
 * land on these inputs.
 */
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Radio } from 'antd';
import { Bi } from '../../components/states';
import { replyTypeLabel, type ReplyType } from './oa-text';

const TYPES = Object.keys(replyTypeLabel) as ReplyType[];

export function ReplyContentFields({ name, className }: { name: string[]; className?: string }) {
  const form = Form.useFormInstance();
  const type = Form.useWatch([...name, 'type'], form) as ReplyType | undefined;
  return (
    <div className={className}>
      <Form.Item name={[...name, 'type']} label={<Bi zh="回复类型" en="Reply type" />} initialValue="text">
        <Radio.Group
          className="reply-type"
          optionType="button"
          options={TYPES.map((t) => ({ value: t, label: replyTypeLabel[t] }))}
        />
      </Form.Item>
      {(type ?? 'text') === 'text' && (
        <Form.Item name={[...name, 'text']} label={<Bi zh="回复内容" en="Text" />}>
          <Input.TextArea className="reply-text" rows={4} maxLength={2000} showCount placeholder="您好，欢迎光临！" />
        </Form.Item>
      )}
      {type === 'image' && (
        <Form.Item
          name={[...name, 'mediaId']}
          label={<Bi zh="图片素材 media_id" en="Image (permanent material)" />}
          extra="在公众号后台「素材库」上传图片后复制 media_id · the media_id of an uploaded image"
        >
          <Input className="reply-media-id" />
        </Form.Item>
      )}
      {type === 'news' && (
        <Form.List name={[...name, 'articles']}>
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <Card
                  key={f.key}
                  size="small"
                  style={{ marginBottom: 8 }}
                  title={`图文 ${i + 1} Article ${i + 1}`}
                  extra={
                    fields.length > 1 && (
                      <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} />
                    )
                  }
                >
                  <Form.Item name={[f.name, 'title']} label={<Bi zh="标题" en="Title" />}>
                    <Input className="news-title" maxLength={64} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'description']} label={<Bi zh="摘要" en="Summary" />}>
                    <Input maxLength={120} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'url']} label={<Bi zh="链接" en="Link" />}>
                    <Input className="news-url" placeholder="https://" />
                  </Form.Item>
                  <Form.Item name={[f.name, 'picUrl']} label={<Bi zh="封面图片地址" en="Cover image URL" />}>
                    <Input placeholder="https://" />
                  </Form.Item>
                </Card>
              ))}
              {fields.length < 8 && (
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ title: '', description: '', url: '' })}
                  style={{ marginBottom: 16 }}
                >
                  添加图文 Add an article
                </Button>
              )}
            </>
          )}
        </Form.List>
      )}
      {type === 'miniprogram' && (
        <>
          <Form.Item name={[...name, 'title']} label={<Bi zh="卡片标题" en="Card title" />}>
            <Input className="card-title" maxLength={64} />
          </Form.Item>
          <Form.Item name={[...name, 'pagePath']} label={<Bi zh="小程序页面" en="Page path" />}>
            <Input className="card-page" placeholder="pages/index/index" />
          </Form.Item>
          <Form.Item
            name={[...name, 'thumbMediaId']}
            label={<Bi zh="封面 media_id" en="Thumbnail media_id" />}
            extra="卡片以客服消息发出 · sent as a customer-service message (passive replies cannot carry a card)"
          >
            <Input className="card-thumb" />
          </Form.Item>
        </>
      )}
    </div>
  );
}
