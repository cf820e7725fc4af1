/**
 * Categories in shelf order: drag a row by its handle to move it (the whole order is saved in
 * one call, `reorderCategories`), add, rename, delete. A category that still has products
 * cannot be deleted, and the page says so in words.
 */
import { ApiError, CategoryCreate, CategoryUpdate, ErrorCode, type Category } from '@chatmall/shared';
import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type DraggableAttributes,
  type DraggableSyntheticListeners,
  type DragEndEvent,
} from '@dnd-kit/core';
import { restrictToVerticalAxis } from './dnd-modifiers';
import {
  arrayMove,
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { DeleteOutlined, EditOutlined, HolderOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Image, Input, Modal, Popconfirm, Space, Table, Typography } from 'antd';
import {
  createContext,
  useContext,
  useEffect,
  useMemo,
  useState,
  type CSSProperties,
  type HTMLAttributes,
} from 'react';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { clearErrorsOnEdit, problemText, showServerErrors, showZodErrors } from '../../api/messages';
import { Bi, EmptyState, PageHeader, QueryView } from '../../components/states';
import { categoryNotEmptyText, staleShelfText } from './catalog-text';

export default function CategoriesPage() {
  const query = useApiQuery('listCategories', {});
  const [editing, setEditing] = useState<Category | 'new' | null>(null);
  return (
    <>
      <PageHeader
        zh="商品分类"
        en="Categories"
        extra={
          <Button type="primary" icon={<PlusOutlined />} className="new-category" onClick={() => setEditing('new')}>
            新建分类 New category
          </Button>
        }
      />
      <Card>
        <QueryView
          query={query}
          isEmpty={(d) => d.items.length === 0}
          empty={
            <EmptyState
              zh="还没有分类：先建一个，再把商品放进去"
              en="No categories yet: add one, then put products in it"
              action={
                <Button type="primary" onClick={() => setEditing('new')}>
                  新建分类 New category
                </Button>
              }
            />
          }
        >
          {(data) => <Shelf categories={data.items} onEdit={setEditing} />}
        </QueryView>
      </Card>
      <CategoryDialog editing={editing} onClose={() => setEditing(null)} />
    </>
  );
}

function Shelf({ categories, onEdit }: { categories: Category[]; onEdit: (c: Category) => void }) {
  const { message } = App.useApp();
  // Shown at once in the dropped order; the server's answer (or a reload on failure) follows.
  const [order, setOrder] = useState(categories);
  useEffect(() => setOrder(categories), [categories]);
  const reorder = useApiMutation('reorderCategories', { invalidates: ['listCategories'] });
  const remove = useApiMutation('deleteCategory', { invalidates: ['listCategories', 'adminListProducts'] });
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  async function onDragEnd({ active, over }: DragEndEvent) {
    if (!over || active.id === over.id) return;
    const from = order.findIndex((c) => c.id === active.id);
    const to = order.findIndex((c) => c.id === over.id);
    const next = arrayMove(order, from, to);
    setOrder(next);
    try {
      await reorder.mutateAsync({ body: { ids: next.map((c) => c.id) } });
      message.success('顺序已保存 · Order saved');
    } catch (err) {
      setOrder(categories);
      message.error(staleShelfText(err));
    }
  }

  return (
    <>
      <Typography.Paragraph type="secondary">
        拖动 <HolderOutlined /> 调整分类在店铺中的顺序，松手即保存 · Drag by the handle to reorder; it saves when you
        drop
      </Typography.Paragraph>
      <DndContext
        sensors={sensors}
        collisionDetection={closestCenter}
        modifiers={[restrictToVerticalAxis]}
        onDragEnd={(e) => void onDragEnd(e)}
      >
        <SortableContext items={order.map((c) => c.id)} strategy={verticalListSortingStrategy}>
          <Table<Category>
            className="categories-table"
            rowKey="id"
            size="middle"
            pagination={false}
            loading={reorder.isPending}
            components={{ body: { row: SortableRow } }}
            dataSource={order}
            columns={[
              { key: 'drag', width: 48, align: 'center', render: () => <DragHandle /> },
              {
                title: <Bi zh="图标" en="Icon" />,
                dataIndex: 'icon',
                width: 72,
                render: (icon: string) =>
                  icon ? (
                    <Image src={icon} width={36} height={36} preview={false} style={{ borderRadius: 4 }} />
                  ) : (
                    <div style={{ width: 36, height: 36, borderRadius: 4, background: '#f5f5f5' }} />
                  ),
              },
              {
                title: <Bi zh="名称" en="Name" />,
                dataIndex: 'name',
                render: (name: string) => <span className="category-name">{name}</span>,
              },
              { title: <Bi zh="英文名称" en="English name" />, dataIndex: 'nameEn' },
              {
                title: <Bi zh="操作" en="Actions" />,
                key: 'actions',
                width: 220,
                render: (_, c) => (
                  <Space>
                    <Button size="small" icon={<EditOutlined />} className="rename-category" onClick={() => onEdit(c)}>
                      重命名 Rename
                    </Button>
                    <Popconfirm
                      title={`删除“${c.name}”？ Delete it?`}
                      okText="删除 Delete"
                      cancelText="取消 Cancel"
                      okButtonProps={{ danger: true, className: 'confirm-delete-category' }}
                      onConfirm={async () => {
                        try {
                          await remove.mutateAsync({ params: { id: c.id } });
                          message.success(`已删除 · Deleted ${c.name}`);
                        } catch (err) {
                          message.error({ content: categoryNotEmptyText(err), className: 'category-delete-error' });
                        }
                      }}
                    >
                      <Button size="small" danger icon={<DeleteOutlined />} className="delete-category">
                        删除 Delete
                      </Button>
                    </Popconfirm>
                  </Space>
                ),
              },
            ]}
          />
        </SortableContext>
      </DndContext>
    </>
  );
}

/** The handle's drag listeners, handed from the row to the cell that shows the handle. */
const HandleContext = createContext<{
  ref?: (el: HTMLElement | null) => void;
  attributes?: DraggableAttributes;
  listeners?: DraggableSyntheticListeners;
}>({});

function DragHandle() {
  const { ref, attributes, listeners } = useContext(HandleContext);
  return (
    <Button
      type="text"
      size="small"
      ref={ref}
      className="drag-category"
      aria-label="拖动排序 Drag to reorder"
      icon={<HolderOutlined />}
      style={{ cursor: 'grab', touchAction: 'none' }}
      {...attributes}
      {...listeners}
    />
  );
}

function SortableRow(props: HTMLAttributes<HTMLTableRowElement> & { 'data-row-key': string }) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: props['data-row-key'],
  });
  const style: CSSProperties = {
    ...props.style,
    transform: CSS.Translate.toString(transform),
    transition,
    ...(isDragging ? { position: 'relative', zIndex: 9, background: '#f6ffed' } : {}),
  };
  const handle = useMemo(
    () => ({ ref: setActivatorNodeRef, attributes, listeners }),
    [setActivatorNodeRef, attributes, listeners],
  );
  return (
    <HandleContext.Provider value={handle}>
      <tr {...props} ref={setNodeRef} style={style} />
    </HandleContext.Provider>
  );
}

/** Add or rename: names checked with the contract's schema before sending. */
function CategoryDialog({ editing, onClose }: { editing: Category | 'new' | null; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string; nameEn: string }>();
  const [banner, setBanner] = useState<string | null>(null);
  const create = useApiMutation('createCategory', { invalidates: ['listCategories'] });
  const update = useApiMutation('updateCategory', { invalidates: ['listCategories'] });
  const current = editing === 'new' ? null : editing;

  async function submit() {
    setBanner(null);
    const v = form.getFieldsValue();
    const body = { name: v.name ?? '', nameEn: v.nameEn ?? '' };
    const checked = current ? CategoryUpdate.safeParse(body) : CategoryCreate.safeParse(body);
    if (!checked.success) {
      const rest = showZodErrors(form, checked.error);
      if (rest.length) setBanner(rest.join('；'));
      return;
    }
    try {
      if (current) await update.mutateAsync({ params: { id: current.id }, body });
      else await create.mutateAsync({ body });
      message.success(current ? '已重命名 · Renamed' : '已添加 · Added');
      onClose();
    } catch (err) {
      if (
        err instanceof ApiError &&
        err.code === ErrorCode.CONFLICT &&
        err.fields.some((f) => f.path === 'body.name')
      ) {
        form.setFields([{ name: 'name', errors: ['已有同名分类 · A category of that name already exists'] }]);
        return;
      }
      const rest = showServerErrors(form, err);
      if (rest === null) setBanner(problemText(err));
      else if (rest.length) setBanner(rest.join('；'));
    }
  }

  return (
    <Modal
      open={editing !== null}
      title={current ? `重命名“${current.name}” · Rename` : '新建分类 · New category'}
      okText={current ? '保存 Save' : '添加 Add'}
      cancelText="取消 Cancel"
      okButtonProps={{ className: 'save-category', loading: create.isPending || update.isPending }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
      afterOpenChange={(open) => open || setBanner(null)}
    >
      {banner && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={banner} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ name: current?.name ?? '', nameEn: current?.nameEn ?? '' }}
        onValuesChange={clearErrorsOnEdit(form)}
        onFinish={() => void submit()}
      >
        <Form.Item name="name" label={<Bi zh="名称" en="Name" />}>
          <Input className="field-category-name" maxLength={64} placeholder="绿茶" autoFocus />
        </Form.Item>
        <Form.Item name="nameEn" label={<Bi zh="英文名称" en="English name" />}>
          <Input className="field-category-name-en" maxLength={64} placeholder="Green Tea" />
        </Form.Item>
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}
