/**
 * 接口凭证检查 Credential check: the owner asks the server to try every configured WeChat
 * credential (official account and mini-program AppSecrets, the Pay merchant key and serial,
 * the APIv3 key, the platform certificate / public key) against WeChat, and reads one line
 * each: OK, or what is wrong in words. Secrets never leave the server.
 */
import { credentialLabel, formatChinaTime, type CredentialCheckItem } from '@chatmall/shared';
import { CheckCircleFilled, CloseCircleFilled, MinusCircleFilled } from '@ant-design/icons';
import { Alert, Button, Card, List, Space, Tag, Typography } from 'antd';
import { useApiMutation } from '../../api/hooks';
import { Bi, ErrorState, PageHeader } from '../../components/states';

const statusView: Record<CredentialCheckItem['status'], { icon: JSX.Element; tag: JSX.Element }> = {
  ok: {
    icon: <CheckCircleFilled style={{ color: '#07c160', fontSize: 20 }} />,
    tag: <Tag color="success">正常 OK</Tag>,
  },
  error: {
    icon: <CloseCircleFilled style={{ color: '#ff4d4f', fontSize: 20 }} />,
    tag: <Tag color="error">错误 Wrong</Tag>,
  },
  skipped: {
    icon: <MinusCircleFilled style={{ color: '#bfbfbf', fontSize: 20 }} />,
    tag: <Tag>未检查 Not checked</Tag>,
  },
};

export default function CredentialsPage() {
  const check = useApiMutation('checkCredentials');
  const result = check.data;
  const failed = result?.items.filter((i) => i.status === 'error').length ?? 0;

  return (
    <>
      <PageHeader
        zh="接口凭证检查"
        en="Credential check"
        extra={
          <Button
            type="primary"
            className="run-credential-check"
            loading={check.isPending}
            onClick={() => check.mutate({})}
          >
            {result ? '重新检查 Check again' : '开始检查 Run the check'}
          </Button>
        }
      />
      <Card>
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          用服务器上配置的凭证向微信请求一次：公众号与小程序的 AppSecret、微信支付商户私钥与证书序列号、APIv3
          密钥、平台证书或微信支付公钥。结果只显示是否正确，不显示任何密钥。
          <br />
          Tries the credentials configured on the server against WeChat once each. Only whether each is right is shown,
          never a secret.
        </Typography.Paragraph>
        {check.isError ? (
          <ErrorState error={check.error} retry={() => check.mutate({})} />
        ) : !result ? (
          <Alert
            type="info"
            showIcon
            message={<Bi zh="尚未检查" en="Not checked yet" />}
            description="点击「开始检查」· Press “Run the check”"
          />
        ) : (
          <Space direction="vertical" style={{ width: '100%' }} size={16}>
            <Alert
              className="credential-summary"
              type={failed ? 'error' : 'success'}
              showIcon
              message={
                failed ? (
                  <Bi zh={`${failed} 项凭证有误`} en={`${failed} credential${failed === 1 ? ' is' : 's are'} wrong`} />
                ) : (
                  <Bi zh="全部凭证正常" en="Every credential works" />
                )
              }
              description={`检查时间 Checked at ${formatChinaTime(result.checkedAt, 'second')}`}
            />
            <List
              className="credential-results"
              bordered
              dataSource={result.items}
              renderItem={(item) => (
                <List.Item
                  className={`credential-${item.name} credential-${item.status}`}
                  extra={statusView[item.status].tag}
                >
                  <List.Item.Meta
                    avatar={statusView[item.status].icon}
                    title={
                      <Space size={8} wrap>
                        <Bi zh={credentialLabel[item.name].zh} en={credentialLabel[item.name].en} />
                        <Typography.Text type="secondary" code>
                          {item.subject}
                        </Typography.Text>
                      </Space>
                    }
                    description={
                      <>
                        <div
                          className="credential-zh"
                          style={{ color: item.status === 'error' ? '#cf1322' : undefined }}
                        >
                          {item.zh}
                        </div>
                        <div className="credential-en" style={{ fontSize: 12 }}>
                          {item.en}
                        </div>
                      </>
                    }
                  />
                </List.Item>
              )}
            />
          </Space>
        )}
      </Card>
    </>
  );
}
