/**
 * Products, published or not, in shelf order: keyword, category and published filters (kept in
 * the URL), a page at a time. A row opens onto its SKUs for in-place price and stock changes
 * and the stock adjustment dialog. Owners and marketers also create, edit and publish; a clerk
 * sees the list and the stock actions only (what each may do is read from the contract).
 */
import { type AdminProductPage } from '@chatmall/shared';
import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Image, Input, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { mayCall } from '../../access';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { problemText } from '../../api/messages';
import { useSession } from '../../api/use-session';
import { CursorPager, useCursorPages } from '../../components/cursor-pages';
import { FilterTags } from '../../components/filter-tags';
import { Bi, EmptyState, PageHeader, QueryView } from '../../components/states';
import { priceRange } from './catalog-text';
import { ProductSkuTable } from './ProductSkuTable';
import { StockAdjustDialog, type StockTarget } from './StockAdjustDialog';

const PAGE_SIZE = 20;
type Published = 'all' | 'true' | 'false';
type Item = AdminProductPage['items'][number];

export default function ProductListPage() {
  const role = useSession()?.staff.role;
  const may = {
    create: mayCall(role, 'createProduct'),
    edit: mayCall(role, 'updateProduct'),
    publish: mayCall(role, 'publishProduct') && mayCall(role, 'unpublishProduct'),
    price: mayCall(role, 'setSkuPrice'),
    setStock: mayCall(role, 'setSkuStock'),
    adjustStock: mayCall(role, 'adjustSkuStock'),
  };
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const pages = useCursorPages();
  const q = params.get('q')?.trim() || undefined;
  const categoryId = params.get('categoryId') || undefined;
  const publishedParam = params.get('published');
  const published: Published = publishedParam === 'true' || publishedParam === 'false' ? publishedParam : 'all';
  const query = useApiQuery('adminListProducts', {
    query: {
      q,
      categoryId,
      published: published === 'all' ? undefined : published,
      cursor: pages.cursor,
      limit: PAGE_SIZE,
    },
  });
  const categories = useApiQuery('listCategories', {});
  const categoryName = new Map((categories.data?.items ?? []).map((c) => [c.id, c.name]));
  const [keyword, setKeyword] = useState(q ?? '');
  const [adjusting, setAdjusting] = useState<StockTarget | null>(null);
  const filtered = Boolean(q || categoryId || published !== 'all');

  /** One filter changed: back to the first page, the others kept. */
  function setFilter(name: 'q' | 'categoryId' | 'published', value: string | undefined) {
    pages.reset();
    setParams((p) => {
      const next = new URLSearchParams(p);
      next.delete('cursor');
      if (value) next.set(name, value);
      else next.delete(name);
      return next;
    });
  }

  return (
    <>
      <PageHeader
        zh="商品管理"
        en="Products"
        extra={
          may.create && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              className="new-product"
              onClick={() => navigate('/catalog/products/new')}
            >
              新建商品 New product
            </Button>
          )
        }
      />
      <Card>
        <Space wrap size={12} style={{ marginBottom: 16 }} className="product-filters">
          <Input.Search
            className="product-search"
            allowClear
            placeholder="搜索商品名称 Search by name"
            maxLength={50}
            style={{ width: 280 }}
            value={keyword}
            onChange={(e) => setKeyword(e.target.value)}
            onSearch={(v) => setFilter('q', v.trim() || undefined)}
          />
          <Select
            className="category-filter"
            allowClear
            placeholder="全部分类 All categories"
            style={{ width: 220 }}
            value={categoryId}
            loading={categories.isPending}
            options={(categories.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.name} ${c.nameEn}` }))}
            onChange={(v?: string) => setFilter('categoryId', v)}
          />
          <FilterTags<Published>
            className="published-filter"
            value={published}
            options={[
              { value: 'all', label: '全部 All' },
              { value: 'true', label: '已上架 On sale' },
              { value: 'false', label: '已下架 Off shelf' },
            ]}
            onChange={(v) => setFilter('published', v === 'all' ? undefined : v)}
          />
        </Space>
        <QueryView
          query={query}
          isEmpty={(d) => d.items.length === 0 && !pages.canGoBack}
          empty={
            filtered ? (
              <EmptyState
                zh="没有符合条件的商品"
                en="No product matches these filters"
                action={
                  <Button
                    className="clear-filters"
                    onClick={() => {
                      setKeyword('');
                      pages.reset();
                      setParams({});
                    }}
                  >
                    清除筛选 Clear filters
                  </Button>
                }
              />
            ) : (
              <EmptyState
                zh="还没有商品"
                en="No products yet: create the first one, then publish it"
                action={
                  may.create && (
                    <Button type="primary" onClick={() => navigate('/catalog/products/new')}>
                      新建商品 New product
                    </Button>
                  )
                }
              />
            )
          }
        >
          {(data) => (
            <>
              <Table<Item>
                className="products-table"
                rowKey="id"
                size="middle"
                pagination={false}
                dataSource={data.items}
                expandable={{
                  expandRowByClick: false,
                  expandedRowRender: (p) => (
                    <ProductSkuTable productId={p.id} may={may} onAdjust={(t) => setAdjusting(t)} />
                  ),
                }}
                columns={[
                  {
                    title: <Bi zh="商品" en="Product" />,
                    render: (_, p) => (
                      <Space>
                        {p.cover ? (
                          <Image
                            src={p.cover}
                            width={48}
                            height={48}
                            preview={false}
                            style={{ objectFit: 'cover', borderRadius: 4 }}
                          />
                        ) : (
                          <div style={{ width: 48, height: 48, borderRadius: 4, background: '#f5f5f5' }} />
                        )}
                        <span>
                          {may.edit ? (
                            <Link to={`/catalog/products/${p.id}`} className="product-link">
                              {p.name}
                            </Link>
                          ) : (
                            <span className="product-name">{p.name}</span>
                          )}
                          <br />
                          <Typography.Text type="secondary">{p.nameEn}</Typography.Text>
                        </span>
                      </Space>
                    ),
                  },
                  {
                    title: <Bi zh="分类" en="Category" />,
                    width: 120,
                    render: (_, p) => categoryName.get(p.categoryId) ?? '—',
                  },
                  {
                    title: <Bi zh="价格" en="Price" />,
                    width: 180,
                    align: 'right',
                    render: (_, p) => <span className="price-range">{priceRange(p.priceFrom, p.priceTo)}</span>,
                  },
                  {
                    title: <Bi zh="总库存" en="Stock" />,
                    dataIndex: 'stock',
                    width: 110,
                    align: 'right',
                    render: (stock: number) =>
                      stock === 0 ? <Tag color="red">0 缺货</Tag> : <span className="total-stock">{stock}</span>,
                  },
                  {
                    title: <Bi zh="上架" en="On sale" />,
                    dataIndex: 'published',
                    width: 120,
                    render: (_, p) =>
                      may.publish ? (
                        <PublishSwitch product={p} />
                      ) : (
                        <Tag color={p.published ? 'green' : 'default'}>
                          {p.published ? '已上架 On sale' : '已下架 Off shelf'}
                        </Tag>
                      ),
                  },
                  ...(may.edit
                    ? [
                        {
                          title: <Bi zh="操作" en="Actions" />,
                          width: 110,
                          render: (_: unknown, p: Item) => (
                            <Link to={`/catalog/products/${p.id}`} className="edit-product">
                              编辑 Edit
                            </Link>
                          ),
                        },
                      ]
                    : []),
                ]}
              />
              <CursorPager pages={pages} nextCursor={data.nextCursor} />
            </>
          )}
        </QueryView>
      </Card>
      <StockAdjustDialog target={adjusting} onClose={() => setAdjusting(null)} />
    </>
  );
}

function PublishSwitch({ product }: { product: Item }) {
  const { message } = App.useApp();
  const opts = { invalidates: ['adminListProducts' as const, 'adminGetProduct' as const] };
  const publish = useApiMutation('publishProduct', opts);
  const unpublish = useApiMutation('unpublishProduct', opts);
  const pending = publish.isPending || unpublish.isPending;
  return (
    <Switch
      className="publish-switch"
      checked={product.published}
      loading={pending}
      checkedChildren="上架"
      unCheckedChildren="下架"
      onChange={async (on) => {
        try {
          await (on ? publish : unpublish).mutateAsync({ params: { id: product.id } });
          message.success(on ? `已上架 · ${product.name} is on sale` : `已下架 · ${product.name} is off the shelf`);
        } catch (err) {
          message.error(problemText(err));
        }
      }}
    />
  );
}
