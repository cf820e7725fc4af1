/**
 * 菜单 Menu: the custom menu's editor (3 buttons, each a group of up to 5 sub-buttons or a
 * click / view / mini-program button) beside a phone showing it as followers will; save the
 * draft, publish it (menu/create) and see what WeChat holds, read back with menu/get. The
 * contract's `MenuInput` checks it first (names in bytes as WeChat counts them); problems
 * from it or the server are listed by button and the button turns red in the phone.
 */
import { ApiError, ErrorCode, formatChinaTime, MenuInput } from '@chatmall/shared';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  Popconfirm,
  Radio,
  Row,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useApiMutation, useApiQuery, type Res } from '../../api/hooks';
import { fieldText, problemText } from '../../api/messages';
import { Bi, PageHeader, QueryView } from '../../components/states';
import {
  blankButton,
  blankLeaf,
  fromInput,
  leafTypeLabel,
  MAX_SUB,
  MAX_TOP,
  problemAt,
  sameSelection,
  selectionLabel,
  toInput,
  type EditButton,
  type EditLeaf,
  type LeafType,
  type Selection,
} from './menu-model';
import { MenuBar, PhoneFrame } from './PhoneFrame';

const fieldLabel: Record<string, string> = {
  name: '名称',
  key: '事件 key',
  url: '链接',
  pagePath: '小程序页面',
  subButtons: '子菜单',
};

interface Problem {
  at: Selection | null;
  field: string;
  message: string;
}

export default function MenuPage() {
  const menu = useApiQuery('getMenu', {});
  return <QueryView query={menu}>{(m) => <MenuEditor menu={m} />}</QueryView>;
}

function MenuEditor({ menu }: { menu: Res<'getMenu'> }) {
  const { message } = App.useApp();
  const [buttons, setButtons] = useState<EditButton[]>(() => {
    const b = fromInput(menu.draft ?? menu.published);
    return b.length ? b : [blankButton('进店逛逛')];
  });
  const [sel, setSel] = useState<Selection | null>([0]);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [banner, setBanner] = useState<string | null>(null);
  const save = useApiMutation('saveMenuDraft', { invalidates: ['getMenu'] });
  const publish = useApiMutation('publishMenu', { invalidates: ['getMenu'] });
  const readBack = useApiMutation('readBackMenu', { invalidates: ['getMenu'] });
  const unpublish = useApiMutation('unpublishMenu', { invalidates: ['getMenu'] });

  const input = useMemo(() => toInput(buttons), [buttons]);
  const dirty = JSON.stringify(input) !== JSON.stringify(menu.draft);
  const unpublished = JSON.stringify(menu.draft) !== JSON.stringify(menu.published);

  function change(next: EditButton[]) {
    setButtons(next);
    setProblems([]);
    setBanner(null);
  }

  function showProblems(list: Problem[]) {
    setProblems(list);
    const first = list.find((p) => p.at);
    if (first?.at) setSel(first.at);
  }

  /** Checks and saves the draft; true when saved. */
  async function saveDraft(quiet = false): Promise<boolean> {
    setBanner(null);
    const checked = MenuInput.safeParse(input);
    if (!checked.success) {
      showProblems(
        checked.error.issues.map((i) => ({
          ...problemAt(i.path.filter((s): s is string | number => typeof s !== 'symbol')),
          message: fieldText(i.message),
        })),
      );
      return false;
    }
    try {
      await save.mutateAsync({ body: checked.data });
      if (!quiet) message.success('草稿已保存 · Draft saved');
      return true;
    } catch (err) {
      onError(err);
      return false;
    }
  }

  function onError(err: unknown) {
    if (err instanceof ApiError && err.code === ErrorCode.VALIDATION_FAILED && err.fields.length) {
      showProblems(
        err.fields.map((f) => ({
          ...problemAt(
            f.path
              .replace(/^body\.?/, '')
              .split('.')
              .filter(Boolean),
          ),
          message: fieldText(f.message),
        })),
      );
      return;
    }
    setBanner(err instanceof ApiError && err.code === ErrorCode.CONFLICT ? err.message : problemText(err));
  }

  async function doPublish() {
    if (dirty && !(await saveDraft(true))) return;
    try {
      await publish.mutateAsync({});
      message.success('菜单已发布，粉丝重新进入公众号后可见 · Published');
    } catch (err) {
      onError(err);
    }
  }

  const bad = (s: Selection) => problems.some((p) => sameSelection(p.at, s));
  const selected = sel && buttons[sel[0]] ? sel : null;

  return (
    <>
      <PageHeader
        zh="菜单"
        en="Menu"
        extra={
          <Space>
            <Button
              className="read-back-menu"
              loading={readBack.isPending}
              onClick={() =>
                readBack.mutateAsync({}).then(() => message.success('已读取线上菜单 · Read back'), onError)
              }
            >
              读取线上菜单 Read back
            </Button>
            <Button className="save-menu" loading={save.isPending} onClick={() => void saveDraft()}>
              保存草稿 Save draft
            </Button>
            <Popconfirm
              title="发布到公众号？"
              description="粉丝会看到新菜单 · Followers will see this menu"
              okText="发布 Publish"
              cancelText="取消 Cancel"
              okButtonProps={{ className: 'confirm-publish-menu' }}
              onConfirm={() => doPublish()}
            >
              <Button type="primary" className="publish-menu" loading={publish.isPending}>
                发布 Publish
              </Button>
            </Popconfirm>
          </Space>
        }
      />
      {banner && <Alert className="menu-banner" type="error" showIcon style={{ marginBottom: 16 }} message={banner} />}
      {problems.length > 0 && (
        <Alert
          className="menu-problems"
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message="请检查菜单 · Please check the menu"
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {problems.map((p, i) => (
                <li key={i}>
                  {p.at ? `${selectionLabel(p.at)}${fieldLabel[p.field] ? ` · ${fieldLabel[p.field]}` : ''}：` : ''}
                  {p.message}
                </li>
              ))}
            </ul>
          }
        />
      )}
      <Row gutter={16}>
        <Col span={8}>
          <Card title={<Bi zh="预览" en="Preview" />} extra={dirty ? <Tag color="orange">未保存 Unsaved</Tag> : null}>
            <PhoneFrame
              title="公众号 Official account"
              className="menu-phone"
              bottom={
                <MenuBar
                  buttons={buttons.map((b, i) => ({
                    name: b.name,
                    subButtons: b.type === 'group' ? b.subButtons.map((s) => s.name) : [],
                    selected: selected?.[0] === i,
                    selectedSub: selected?.[0] === i && selected.length === 2 ? selected[1] : null,
                    bad: bad([i]),
                    badSubs: b.subButtons.map((_, j) => j).filter((j) => bad([i, j])),
                  }))}
                  onPick={(i, j) => setSel(j === undefined ? [i] : [i, j])}
                  extra={
                    buttons.length < MAX_TOP && (
                      <div
                        className="add-top-button"
                        onClick={() => {
                          change([...buttons, blankButton()]);
                          setSel([buttons.length]);
                        }}
                        style={{
                          width: 48,
                          display: 'flex',
                          alignItems: 'center',
                          justifyContent: 'center',
                          cursor: 'pointer',
                          color: '#07c160',
                          borderLeft: '1px solid #e5e5e5',
                          fontSize: 20,
                        }}
                        title="添加菜单 Add a button"
                      >
                        +
                      </div>
                    )
                  }
                />
              }
            />
          </Card>
        </Col>
        <Col span={16}>
          <Card
            title={
              selected ? (
                <Bi zh={selectionLabel(selected)} en={selected.length === 1 ? 'Button' : 'Sub-button'} />
              ) : (
                <Bi zh="菜单项" en="Button" />
              )
            }
            className="menu-item-editor"
          >
            {selected ? (
              <ButtonEditor
                key={selected.join('.')}
                buttons={buttons}
                sel={selected}
                problems={problems.filter((p) => sameSelection(p.at, selected))}
                onChange={change}
                onSelect={setSel}
              />
            ) : (
              <Empty description="在左侧手机里选择一个菜单 · Choose a button in the phone" />
            )}
          </Card>
          <Card
            title={<Bi zh="线上菜单" en="Published (read back from WeChat)" />}
            className="menu-published"
            style={{ marginTop: 16 }}
          >
            {menu.published ? (
              <>
                <Space style={{ marginBottom: 8 }} wrap>
                  <Tag color="success">已发布 Published</Tag>
                  {menu.publishedAt && (
                    <Typography.Text type="secondary">
                      读取于 Read {formatChinaTime(menu.publishedAt, 'second')}
                    </Typography.Text>
                  )}
                  {unpublished && <Tag color="orange">草稿有未发布的修改 The draft has unpublished changes</Tag>}
                  <Popconfirm
                    title="从公众号删除菜单？"
                    description="草稿保留 · The draft stays"
                    okText="删除 Remove"
                    cancelText="取消 Cancel"
                    okButtonProps={{ danger: true }}
                    onConfirm={() =>
                      unpublish.mutateAsync({}).then(() => message.success('已删除线上菜单 · Removed'), onError)
                    }
                  >
                    <Button size="small" danger type="link">
                      删除线上菜单 Remove from WeChat
                    </Button>
                  </Popconfirm>
                </Space>
                <PublishedTree menu={menu.published} />
              </>
            ) : (
              <Typography.Text type="secondary" className="menu-not-published">
                公众号上还没有菜单 · No menu on the account yet
              </Typography.Text>
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}

function PublishedTree({ menu }: { menu: MenuInput }) {
  const leaf = (l: { type: LeafType; name: string } & Record<string, unknown>) => (
    <>
      {l.name} <Tag bordered={false}>{leafTypeLabel[l.type]}</Tag>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {String(l.key ?? l.pagePath ?? l.url ?? '')}
      </Typography.Text>
    </>
  );
  return (
    <ul className="published-tree" style={{ margin: 0, paddingLeft: 18 }}>
      {menu.buttons.map((b, i) => (
        <li key={i} className="published-button">
          {'subButtons' in b ? (
            <>
              <Typography.Text strong>{b.name}</Typography.Text>
              <ul style={{ paddingLeft: 18 }}>
                {b.subButtons.map((s, j) => (
                  <li key={j}>{leaf(s as never)}</li>
                ))}
              </ul>
            </>
          ) : (
            leaf(b as never)
          )}
        </li>
      ))}
    </ul>
  );
}

function ButtonEditor({
  buttons,
  sel,
  problems,
  onChange,
  onSelect,
}: {
  buttons: EditButton[];
  sel: Selection;
  problems: Problem[];
  onChange: (b: EditButton[]) => void;
  onSelect: (s: Selection | null) => void;
}) {
  const top = buttons[sel[0]];
  const isSub = sel.length === 2;
  const item: EditLeaf | EditButton = isSub ? top.subButtons[sel[1]] : top;
  const err = (field: string) =>
    problems.filter((p) => p.field === field || (field === 'name' && p.field === '')).map((p) => p.message);

  function set(patch: Partial<EditButton>) {
    const next = buttons.map((b, i) => {
      if (i !== sel[0]) return b;
      if (sel.length === 1) return { ...b, ...patch };
      return {
        ...b,
        subButtons: b.subButtons.map((s, j) => (j === sel[1] ? { ...s, ...(patch as Partial<EditLeaf>) } : s)),
      };
    });
    onChange(next);
  }

  function remove() {
    if (sel.length === 1) {
      onChange(buttons.filter((_, i) => i !== sel[0]));
      onSelect(buttons.length > 1 ? [0] : null);
    } else {
      const subs = top.subButtons.filter((_, j) => j !== sel[1]);
      onChange(
        buttons.map((b, i) => (i === sel[0] ? { ...b, subButtons: subs, type: subs.length ? 'group' : 'click' } : b)),
      );
      onSelect(subs.length ? [sel[0], Math.max(0, sel[1] - 1)] : [sel[0]]);
    }
  }

  function addSub() {
    const subs = [...top.subButtons, blankLeaf()];
    onChange(buttons.map((b, i) => (i === sel[0] ? { ...b, type: 'group', subButtons: subs } : b)));
    onSelect([sel[0], subs.length - 1]);
  }

  const status = (field: string) => (err(field).length ? 'error' : undefined);
  const help = (field: string) => (err(field).length ? err(field).join('；') : undefined);
  const limit = isSub
    ? '最多 60 字节（约 20 个汉字）· at most 60 bytes'
    : '最多 16 字节（约 5 个汉字）· at most 16 bytes';

  return (
    <Form layout="vertical" className="button-form">
      <Form.Item label={<Bi zh="名称" en="Name" />} validateStatus={status('name')} help={help('name') ?? limit}>
        <Input className="button-name" value={item.name} onChange={(e) => set({ name: e.target.value })} />
      </Form.Item>
      <Form.Item label={<Bi zh="类型" en="Type" />}>
        <Radio.Group
          className="button-type"
          value={item.type}
          onChange={(e) => {
            const type = e.target.value as EditButton['type'];
            if (type === 'group' && !top.subButtons.length) {
              onChange(buttons.map((b, i) => (i === sel[0] ? { ...b, type, subButtons: [blankLeaf()] } : b)));
            } else set({ type });
          }}
          options={[
            ...(isSub ? [] : [{ value: 'group', label: '子菜单 Sub-menu' }]),
            ...(Object.keys(leafTypeLabel) as LeafType[]).map((t) => ({ value: t, label: leafTypeLabel[t] })),
          ]}
        />
      </Form.Item>
      {item.type === 'click' && (
        <Form.Item
          label={<Bi zh="事件 key" en="Key" />}
          validateStatus={status('key')}
          help={help('key') ?? '粉丝点击时推送 CLICK 事件，可用关键词规则回复 · pushed as a CLICK event'}
        >
          <Input
            className="button-key"
            value={item.key}
            onChange={(e) => set({ key: e.target.value })}
            placeholder="NEW_ARRIVALS"
          />
        </Form.Item>
      )}
      {(item.type === 'view' || item.type === 'miniprogram') && (
        <Form.Item
          label={
            <Bi
              zh={item.type === 'view' ? '网页链接' : '备用网页链接'}
              en={item.type === 'view' ? 'URL' : 'Fallback URL (old clients)'}
            />
          }
          validateStatus={status('url')}
          help={help('url')}
        >
          <Input
            className="button-url"
            value={item.url}
            onChange={(e) => set({ url: e.target.value })}
            placeholder="https://"
          />
        </Form.Item>
      )}
      {item.type === 'miniprogram' && (
        <Form.Item
          label={<Bi zh="小程序页面" en="Page path" />}
          validateStatus={status('pagePath')}
          help={help('pagePath')}
        >
          <Input
            className="button-page"
            value={item.pagePath}
            onChange={(e) => set({ pagePath: e.target.value })}
            placeholder="pages/index/index"
          />
        </Form.Item>
      )}
      {item.type === 'group' && (
        <Form.Item
          label={<Bi zh="子菜单" en="Sub-buttons" />}
          validateStatus={status('subButtons')}
          help={help('subButtons')}
        >
          <Space wrap>
            {top.subButtons.map((s, j) => (
              <Button key={j} size="small" className={`pick-sub pick-sub-${j}`} onClick={() => onSelect([sel[0], j])}>
                {s.name || '（未命名）'}
              </Button>
            ))}
          </Space>
        </Form.Item>
      )}
      <Space>
        {!isSub && item.type === 'group' && top.subButtons.length < MAX_SUB && (
          <Button icon={<PlusOutlined />} className="add-sub-button" onClick={addSub}>
            添加子菜单 Add a sub-button
          </Button>
        )}
        {isSub && top.subButtons.length < MAX_SUB && (
          <Button icon={<PlusOutlined />} className="add-sub-button" onClick={addSub}>
            再加一个子菜单 Another sub-button
          </Button>
        )}
        <Button danger icon={<DeleteOutlined />} className="delete-button" onClick={remove}>
          删除 Delete
        </Button>
      </Space>
    </Form>
  );
}
