/**
 * Create or edit a product: names, texts, category, images, and the spec × SKU matrix. The
 * request is built from the form and checked with the contract's own schema before sending
 * (`product-form.ts`); the server's 400 fields land on the same inputs. Once saved, the page
 * publishes or unpublishes it.
 */
import { ApiError, ErrorCode, type AdminProduct } from '@chatmall/shared';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { apiKey, useApiMutation, useApiQuery } from '../../api/hooks';
import { fieldText, problemText } from '../../api/messages';
import { useEditorSave } from '../../components/editor-save';
import { Bi, PageHeader, QueryView } from '../../components/states';
import { ImageListField } from './ImageListField';
import {
  createBody,
  editorField,
  formValuesOf,
  updateBody,
  type Problem,
  type ProductFormValues,
} from './product-form';
import { combinationCount, emptyRow, fillAll, MAX_SKUS, newSpecKey, rebuildRows, type SpecDraft } from './sku-matrix';
import { SkuMatrixTable } from './SkuMatrixTable';
import { SpecEditor } from './SpecEditor';

export default function ProductEditPage() {
  const { id } = useParams();
  const creating = id === undefined || id === 'new';
  const query = useApiQuery('adminGetProduct', { params: { id: id ?? '' } }, { enabled: !creating });
  // The form offers the shop's categories: until they arrive (or if they cannot), the page says
  // so instead of a form whose category list looks empty.
  const categories = useApiQuery('listCategories', {});
  return (
    <QueryView query={categories}>
      {() =>
        creating ? (
          <ProductEditor key="new" />
        ) : (
          <QueryView query={query}>{(product) => <ProductEditor key={product.updatedAt} saved={product} />}</QueryView>
        )
      }
    </QueryView>
  );
}

const blank: ProductFormValues = {
  categoryId: undefined,
  name: '',
  nameEn: '',
  subtitle: '',
  description: '',
  images: [],
  specs: [],
  skus: [emptyRow([])],
};

/** Labels for problems that belong to no single input (shown in the banner). */
const listLabels: Record<string, string> = {
  skus: '规格明细 SKUs',
  specs: '规格 Specs',
  form: '',
};

function ProductEditor({ saved }: { saved?: AdminProduct }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  // Untyped: the matrix's field paths (`skus.3.price`) are built at run time.
  const [form] = Form.useForm();
  const [initial] = useState<ProductFormValues>(() =>
    saved ? formValuesOf(saved, () => newSpecKey()) : { ...blank, skus: [emptyRow([])] },
  );
  const specsRef = useRef<SpecDraft[]>(initial.specs);
  const [dirty, setDirty] = useState(false);
  const [banner, setBanner] = useState<string[]>([]);
  const specs = (Form.useWatch('specs', { form, preserve: true }) as SpecDraft[] | undefined) ?? initial.specs;
  const skus =
    (Form.useWatch('skus', { form, preserve: true }) as ProductFormValues['skus'] | undefined) ?? initial.skus;
  const categories = useApiQuery('listCategories', {});
  const invalidates = ['adminListProducts' as const, 'adminGetProduct' as const];
  const create = useApiMutation('createProduct', { invalidates });
  const update = useApiMutation('updateProduct', { invalidates });
  const publish = useApiMutation('publishProduct', { invalidates });
  const unpublish = useApiMutation('unpublishProduct', { invalidates });

  /** Errors on the matrix rows are by index: once the rows change they would sit on others. */
  function clearMatrixErrors() {
    form.setFields(
      form
        .getFieldsError()
        .filter((f) => f.errors.length && (f.name[0] === 'skus' || f.name[0] === 'specs'))
        .map((f) => ({ name: f.name, errors: [] })),
    );
  }

  /** New specs: the rows follow (kept, added, removed); refused past the SKU limit. */
  function applySpecs(next: SpecDraft[]): boolean {
    if (combinationCount(next) > MAX_SKUS) {
      message.warning(`规格组合最多 ${MAX_SKUS} 个 · at most ${MAX_SKUS} SKUs`);
      form.setFieldValue('specs', specsRef.current);
      return false;
    }
    const rows = rebuildRows(specsRef.current, form.getFieldValue('skus') ?? [], next);
    form.setFieldsValue({ specs: next, skus: rows });
    specsRef.current = next;
    clearMatrixErrors();
    setDirty(true);
    return true;
  }

  function onValuesChange(changed: Partial<ProductFormValues>) {
    setDirty(true);
    clearEdited(changed);
    if ('specs' in changed) applySpecs(form.getFieldValue('specs') as SpecDraft[]);
  }

  /** Editing a field clears its message (list items included). */
  function clearEdited(changed: unknown) {
    const paths: (string | number)[][] = [];
    const walk = (value: unknown, at: (string | number)[]) => {
      if (Array.isArray(value)) value.forEach((v, i) => v !== undefined && walk(v, [...at, i]));
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...at, k]);
      else paths.push(at);
    };
    walk(changed, []);
    // A spec's values arrive as a list: the field is the list itself.
    const fields = paths.map((p) => (p[0] === 'specs' && p[2] === 'values' ? p.slice(0, 3) : p));
    form.setFields(fields.map((name) => ({ name, errors: [] })));
  }

  function showProblems(problems: Problem[]) {
    const known = new Set(form.getFieldsError().map((f) => f.name.join('.')));
    const rest: string[] = [];
    const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
    for (const p of problems) {
      const key = p.path.join('.');
      if (!known.has(key)) {
        const label = listLabels[String(p.path[0])] ?? key;
        rest.push(`${label ? `${label}: ` : ''}${fieldText(p.message)}`);
        continue;
      }
      const entry = byField.get(key) ?? { name: p.path, errors: [] };
      entry.errors.push(fieldText(p.message));
      byField.set(key, entry);
    }
    form.setFields([...byField.values()]);
    setBanner(rest);
    const first = [...byField.values()][0];
    if (first) form.scrollToField(first.name, { block: 'center' });
  }

  const saveBody = useEditorSave<AdminProduct>({
    editing: Boolean(saved),
    cacheKey: (id) => apiKey('adminGetProduct', { params: { id } }),
    createdText: '已创建，可以上架了 · Created: publish it when ready',
    pathOf: (id) => `/catalog/products/${id}`,
    fieldProblems: (err) =>
      err instanceof ApiError && err.code === ErrorCode.VALIDATION_FAILED && err.fields.length
        ? err.fields.map((f) => ({
            path: editorField(
              f.path
                .replace(/^body\.?/, '')
                .split('.')
                .filter(Boolean)
                .map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
            ),
            message: f.message,
          }))
        : undefined,
    showProblems,
    setDirty,
  });

  async function save() {
    setBanner([]);
    const values = form.getFieldsValue(true) as ProductFormValues;
    if (saved)
      await saveBody(updateBody(values, saved), (body) => update.mutateAsync({ params: { id: saved.id }, body }));
    else await saveBody(createBody(values), (body) => create.mutateAsync({ body }));
  }

  async function setPublished(on: boolean) {
    if (!saved) return;
    try {
      const out = await (on ? publish : unpublish).mutateAsync({ params: { id: saved.id } });
      queryClient.setQueryData(apiKey('adminGetProduct', { params: { id: out.id } }), out);
      message.success(on ? '已上架，买家可以看到了 · On sale' : '已下架 · Off the shelf');
    } catch (err) {
      message.error(problemText(err));
    }
  }

  const saving = create.isPending || update.isPending;
  const publishing = publish.isPending || unpublish.isPending;
  const title = saved ? { zh: '编辑商品', en: 'Edit product' } : { zh: '新建商品', en: 'New product' };

  return (
    <>
      <PageHeader
        zh={title.zh}
        en={title.en}
        extra={
          <Space>
            <Link to="/catalog/products">
              <Button icon={<ArrowLeftOutlined />}>返回列表 Back</Button>
            </Link>
            {saved && (
              <Tag className="product-status" color={saved.published ? 'green' : 'default'}>
                {saved.published ? '已上架 On sale' : '未上架 Not on sale'}
              </Tag>
            )}
            {saved &&
              (saved.published ? (
                <Button className="unpublish-product" loading={publishing} onClick={() => void setPublished(false)}>
                  下架 Unpublish
                </Button>
              ) : (
                <Tooltip title={dirty ? '请先保存修改 · Save your changes first' : undefined}>
                  <Button
                    className="publish-product"
                    disabled={dirty}
                    loading={publishing}
                    onClick={() => void setPublished(true)}
                  >
                    上架 Publish
                  </Button>
                </Tooltip>
              ))}
            <Button type="primary" className="save-product" loading={saving} onClick={() => void save()}>
              {saved ? '保存 Save' : '创建商品 Create'}
            </Button>
          </Space>
        }
      />
      {banner.length > 0 && (
        <Alert
          type="error"
          showIcon
          className="product-form-banner"
          style={{ marginBottom: 16 }}
          message={banner.join('；')}
        />
      )}
      <Form
        form={form}
        layout="vertical"
        className="product-form"
        initialValues={initial}
        onValuesChange={onValuesChange}
        onFinish={() => void save()}
      >
        <Card title={<Bi zh="基本信息" en="Basics" />} style={{ marginBottom: 16 }}>
          <Space align="start" wrap size={24}>
            <Form.Item name="name" label={<Bi zh="商品名称 *" en="Name" />} style={{ width: 360 }}>
              <Input className="field-name" maxLength={120} placeholder="明前西湖龙井" />
            </Form.Item>
            <Form.Item name="nameEn" label={<Bi zh="英文名称 *" en="English name" />} style={{ width: 360 }}>
              <Input className="field-name-en" maxLength={120} placeholder="West Lake Longjing" />
            </Form.Item>
            <Form.Item name="categoryId" label={<Bi zh="分类 *" en="Category" />} style={{ width: 240 }}>
              <Select
                className="field-category"
                placeholder="选择分类 Choose"
                loading={categories.isPending}
                options={(categories.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.name} ${c.nameEn}` }))}
                notFoundContent={
                  <Link to="/catalog/categories">还没有分类，先去新建 · No categories yet: add one</Link>
                }
              />
            </Form.Item>
          </Space>
          <Form.Item name="subtitle" label={<Bi zh="副标题" en="Subtitle" />} style={{ maxWidth: 744 }}>
            <Input className="field-subtitle" maxLength={255} placeholder="一句话卖点 · one line that sells it" />
          </Form.Item>
          <Form.Item name="description" label={<Bi zh="商品描述" en="Description" />} style={{ maxWidth: 744 }}>
            <Input.TextArea className="field-description" rows={4} maxLength={5000} showCount />
          </Form.Item>
        </Card>

        <Card title={<Bi zh="商品图片" en="Images" />} style={{ marginBottom: 16 }}>
          <Form.Item name="images" style={{ marginBottom: 0 }}>
            <ImageListField
              onUploadError={(text) => form.setFields([{ name: 'images', errors: text ? [text] : [] }])}
            />
          </Form.Item>
        </Card>

        <Card
          title={<Bi zh="规格与库存" en="Specs and SKUs" />}
          extra={
            <Typography.Text type="secondary" className="sku-count">
              共 {skus.length} 个规格组合 · {skus.length} SKU{skus.length === 1 ? '' : 's'}
            </Typography.Text>
          }
        >
          <SpecEditor
            specs={specs}
            onAdd={() => applySpecs([...specsRef.current, { key: newSpecKey(), name: '', nameEn: '', values: [] }])}
            onRemove={(d) => applySpecs(specsRef.current.filter((_, i) => i !== d))}
          />
          <div style={{ marginTop: 16 }}>
            <SkuMatrixTable
              specs={specs}
              rows={skus}
              editing={Boolean(saved)}
              onFill={(field, value) => {
                form.setFieldValue('skus', fillAll(form.getFieldValue('skus') ?? [], field, value));
                clearMatrixErrors();
                setDirty(true);
              }}
            />
          </div>
        </Card>
      </Form>
    </>
  );
}
