/**
 * 消息 Inbox: followers who wrote, latest first (unanswered marked), and one follower's
 * conversation with a reply box. A reply is a customer-service message, which WeChat allows
 * for 48 hours after the follower's last message or event: past that the box says so in words
 * and the server's refusal (409, with the reason) is shown as it comes.
 */
import { ApiError, formatChinaTime, InboxReplyInput, type InboxMessage } from '@chatmall/shared';
import { SendOutlined } from '@ant-design/icons';
import { Alert, App, Badge, Button, Card, Col, Empty, Input, List, Row, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { fieldText, problemText } from '../../api/messages';
import { Bi, EmptyState, PageHeader, QueryView } from '../../components/states';

export default function InboxPage() {
  const [params, setParams] = useSearchParams();
  const threads = useApiQuery('inboxThreads', { query: { limit: 100 } }, { refetchInterval: 5000 });
  const openid = params.get('openid') ?? threads.data?.items[0]?.openid ?? null;
  return (
    <>
      <PageHeader zh="消息" en="Inbox" />
      <QueryView
        query={threads}
        isEmpty={(d) => d.items.length === 0}
        empty={
          <Card>
            <EmptyState
              zh="还没有粉丝发来消息；粉丝在公众号里发的消息会出现在这里"
              en="No messages yet: what followers write to the account shows here"
            />
          </Card>
        }
      >
        {(d) => (
          <Row gutter={16}>
            <Col span={8}>
              <Card title={<Bi zh="会话" en="Conversations" />} styles={{ body: { padding: 0 } }}>
                <List
                  className="inbox-threads"
                  dataSource={d.items}
                  renderItem={(t) => (
                    <List.Item
                      className={`inbox-thread inbox-thread-${t.openid}${t.openid === openid ? ' is-open' : ''}`}
                      onClick={() => setParams({ openid: t.openid })}
                      style={{
                        cursor: 'pointer',
                        padding: '12px 16px',
                        background: t.openid === openid ? '#e6f4ff' : undefined,
                      }}
                    >
                      <List.Item.Meta
                        title={
                          <Space>
                            {t.unanswered && <Badge status="error" />}
                            <Typography.Text style={{ fontFamily: 'monospace', fontSize: 12 }}>
                              {t.openid}
                            </Typography.Text>
                            {!t.canReply && <Tag bordered={false}>超过 48 小时 · 48 h passed</Tag>}
                          </Space>
                        }
                        description={
                          <>
                            <Typography.Text ellipsis style={{ maxWidth: 260 }}>
                              {t.last.direction === 'out' ? '我：' : ''}
                              {t.last.content}
                            </Typography.Text>
                            <div style={{ fontSize: 12 }}>{formatChinaTime(t.last.at)}</div>
                          </>
                        }
                      />
                    </List.Item>
                  )}
                />
              </Card>
            </Col>
            <Col span={16}>
              {openid ? (
                <Conversation key={openid} openid={openid} />
              ) : (
                <Card>
                  <Empty description="选择一个会话 · Choose a conversation" />
                </Card>
              )}
            </Col>
          </Row>
        )}
      </QueryView>
    </>
  );
}

function Conversation({ openid }: { openid: string }) {
  const convo = useApiQuery(
    'inboxConversation',
    { params: { id: openid }, query: { limit: 50 } },
    { refetchInterval: 5000 },
  );
  return (
    <Card
      title={<Bi zh="对话" en="Conversation" />}
      className="inbox-conversation"
      extra={<Typography.Text code>{openid}</Typography.Text>}
    >
      <QueryView query={convo}>
        {(d) => (
          <>
            <div
              className="inbox-messages"
              style={{
                display: 'flex',
                flexDirection: 'column-reverse',
                gap: 8,
                maxHeight: 460,
                overflowY: 'auto',
                padding: 12,
                background: '#f5f5f5',
                borderRadius: 8,
                marginBottom: 16,
              }}
            >
              {d.messages.map((m) => (
                <Bubble key={m.id} m={m} />
              ))}
            </div>
            <ReplyBox
              openid={openid}
              canReply={d.follower?.canReply ?? false}
              lastAt={d.follower?.lastInteractionAt ?? null}
            />
          </>
        )}
      </QueryView>
    </Card>
  );
}

function Bubble({ m }: { m: InboxMessage }) {
  const mine = m.direction === 'out';
  return (
    <div
      className={`inbox-message inbox-message-${m.direction}`}
      style={{ alignSelf: mine ? 'flex-end' : 'flex-start', maxWidth: '75%' }}
    >
      <div
        style={{
          background: mine ? '#95ec69' : '#fff',
          padding: '8px 12px',
          borderRadius: 6,
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-word',
        }}
      >
        {m.msgType !== 'text' && <Tag bordered={false}>{m.msgType}</Tag>}
        {m.content}
      </div>
      <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)', textAlign: mine ? 'right' : 'left' }}>
        {formatChinaTime(m.at, 'second')}
        {mine && (m.staffId ? ' · 人工回复 staff' : ' · 自动回复 automatic')}
      </div>
    </div>
  );
}

function ReplyBox({ openid, canReply, lastAt }: { openid: string; canReply: boolean; lastAt: string | null }) {
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [refusal, setRefusal] = useState<string | null>(null);
  const reply = useApiMutation('replyToFollower', { invalidates: ['inboxConversation', 'inboxThreads'] });

  async function send() {
    setRefusal(null);
    const checked = InboxReplyInput.safeParse({ text });
    if (!checked.success) {
      setRefusal(fieldText(checked.error.issues[0].message));
      return;
    }
    try {
      await reply.mutateAsync({ params: { id: openid }, body: checked.data });
      setText('');
      message.success('已发送 · Sent');
    } catch (err) {
      // The server's refusal already says why in Chinese first (48 h, too many messages).
      setRefusal(err instanceof ApiError && err.status === 409 ? err.message : problemText(err));
    }
  }

  return (
    <div className="reply-box">
      {!canReply && (
        <Alert
          className="reply-window-closed"
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message="超过 48 小时未互动，微信不允许发送客服消息 · More than 48 hours since the follower last wrote: WeChat refuses customer-service messages"
          description={
            lastAt
              ? `最近互动 Last interaction: ${formatChinaTime(lastAt)}。粉丝再发消息后可以回复 · You can answer once they write again.`
              : undefined
          }
        />
      )}
      {refusal && (
        <Alert className="reply-refused" type="error" showIcon style={{ marginBottom: 12 }} message={refusal} />
      )}
      <Input.TextArea
        className="reply-text"
        rows={3}
        maxLength={2000}
        value={text}
        disabled={!canReply}
        placeholder={
          canReply ? '回复粉丝（客服消息）· Reply (customer-service message)' : '48 小时已过 · The 48 hours have passed'
        }
        onChange={(e) => {
          setText(e.target.value);
          setRefusal(null);
        }}
        onPressEnter={(e) => {
          if (!e.shiftKey) {
            e.preventDefault();
            void send();
          }
        }}
      />
      <div style={{ display: 'flex', justifyContent: 'flex-end', marginTop: 8 }}>
        <Button
          type="primary"
          icon={<SendOutlined />}
          className="send-reply"
          loading={reply.isPending}
          disabled={!canReply}
          onClick={() => void send()}
        >
          发送 Send
        </Button>
      </div>
    </div>
  );
}
