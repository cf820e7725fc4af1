/**
 * The demo shop `npm start` opens with: 茶与点心 (Tea & Snacks), a small tea-and-snacks
 * store. Ids are readable slugs so docs and tests can point at a product by name.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SpecDimension } from '@chatmall/shared';
import type { DataSource } from 'typeorm';
import { CategoryEntity } from '../category.entity';
import { ProductEntity } from '../product.entity';
import { SkuEntity, specKeyOf } from '../sku.entity';
import { seedShopSettings } from '../../shop/shop-settings.service';
import { logoSvg, productSvg, type Motif } from './placeholder-image';

/** The demo shop's own settings; the owner changes them later through the settings API. */
export const demoShopSettings = {
  name: '茶与点心',
  nameEn: 'Tea & Snacks',
  logo: '/media/demo/shop_logo.svg',
  servicePhone: '400-800-1234',
  // ¥10 shipping below ¥99, free from ¥99.
  shipping: { flatFee: 1000, freeOver: 9900 },
};

interface DemoCategory {
  slug: string;
  name: string;
  nameEn: string;
  color: string;
  motif: Motif;
}

/** A demo SKU: spec values, price in fen, stock, optional "was" price. */
type DemoSku = [specValues: string[], price: number, stock: number, originalPrice?: number];

interface DemoProduct {
  slug: string;
  category: string;
  name: string;
  nameEn: string;
  subtitle: string;
  description: string;
  specs: SpecDimension[];
  skus: DemoSku[];
}

const weight = (...values: string[]): SpecDimension => ({ name: '规格', nameEn: 'Weight', values });
const pack = (...values: string[]): SpecDimension => ({ name: '包装', nameEn: 'Pack', values });
const single: SpecDimension[] = [];

export const demoCategories: DemoCategory[] = [
  { slug: 'greentea', name: '绿茶', nameEn: 'Green Tea', color: '#5b8c3a', motif: 'leaf' },
  { slug: 'blacktea', name: '红茶', nameEn: 'Black Tea', color: '#9c3d2e', motif: 'cup' },
  { slug: 'oolong', name: '乌龙与白茶', nameEn: 'Oolong & White Tea', color: '#b07a2a', motif: 'leaf' },
  { slug: 'flower', name: '花草茶', nameEn: 'Flower & Herbal', color: '#c0567e', motif: 'flower' },
  { slug: 'nuts', name: '坚果零食', nameEn: 'Nuts & Snacks', color: '#8a6a3b', motif: 'nut' },
  { slug: 'pastry', name: '茶点糕饼', nameEn: 'Tea Pastries', color: '#d08b3c', motif: 'cake' },
];

export const demoProducts: DemoProduct[] = [
  // 绿茶 Green Tea
  {
    slug: 'longjing',
    category: 'greentea',
    name: '明前西湖龙井',
    nameEn: 'West Lake Longjing (Pre-Qingming)',
    subtitle: '豆香清鲜，一芽一叶',
    description: '杭州西湖产区明前采摘，扁平挺直，汤色嫩绿，豆香馥郁。80°C 水冲泡。',
    specs: [weight('50g', '100g', '250g')],
    skus: [
      [['50g'], 6800, 120],
      [['100g'], 12800, 80, 14800],
      [['250g'], 29800, 20],
    ],
  },
  {
    slug: 'biluochun',
    category: 'greentea',
    name: '洞庭碧螺春',
    nameEn: 'Dongting Biluochun',
    subtitle: '卷曲如螺，花果清香',
    description: '苏州洞庭山茶果间作，白毫显露，滋味鲜醇。',
    specs: [weight('50g', '100g')],
    skus: [
      [['50g'], 5800, 90],
      [['100g'], 10800, 60],
    ],
  },
  {
    slug: 'maofeng',
    category: 'greentea',
    name: '黄山毛峰',
    nameEn: 'Huangshan Maofeng',
    subtitle: '高山云雾，兰香清幽',
    description: '黄山高海拔茶园，芽头肥壮，汤色清澈。',
    specs: [weight('100g', '250g')],
    skus: [
      [['100g'], 7800, 70],
      [['250g'], 17800, 25],
    ],
  },
  {
    slug: 'anjibaicha',
    category: 'greentea',
    name: '安吉白茶',
    nameEn: 'Anji Bai Cha',
    subtitle: '氨基酸含量高，鲜爽回甘',
    description: '浙江安吉，叶色玉白，滋味鲜爽。',
    specs: single,
    skus: [[[], 9800, 50]],
  },
  {
    slug: 'greentea-sampler',
    category: 'greentea',
    name: '绿茶品鉴装',
    nameEn: 'Green Tea Sampler',
    subtitle: '四款名优绿茶各一泡',
    description: '龙井、碧螺春、毛峰、白茶，各 5g 独立小袋，适合办公室分享。',
    specs: [pack('4 泡', '12 泡')],
    skus: [
      [['4 泡'], 2900, 200],
      [['12 泡'], 7900, 100, 8700],
    ],
  },

  // 红茶 Black Tea
  {
    slug: 'jinjunmei',
    category: 'blacktea',
    name: '金骏眉',
    nameEn: 'Jin Jun Mei',
    subtitle: '蜜香花香，汤色金黄',
    description: '武夷山桐木关，全芽头制作，甜润持久。',
    specs: [weight('50g', '100g', '200g')],
    skus: [
      [['50g'], 8800, 60],
      [['100g'], 16800, 40],
      [['200g'], 31800, 10, 33600],
    ],
  },
  {
    slug: 'dianhong',
    category: 'blacktea',
    name: '云南滇红',
    nameEn: 'Yunnan Dian Hong',
    subtitle: '金毫显露，浓醇甜香',
    description: '凤庆大叶种，适合清饮，也适合加奶。',
    specs: [weight('100g', '250g')],
    skus: [
      [['100g'], 4800, 150],
      [['250g'], 10800, 60],
    ],
  },
  {
    slug: 'qimen',
    category: 'blacktea',
    name: '祁门红茶',
    nameEn: 'Keemun Black Tea',
    subtitle: '祁门香，世界三大高香红茶',
    description: '安徽祁门，条索紧细，香气似蜜糖果香。',
    specs: [weight('100g')],
    skus: [[['100g'], 5600, 80]],
  },
  {
    slug: 'lapsang',
    category: 'blacktea',
    name: '正山小种',
    nameEn: 'Lapsang Souchong',
    subtitle: '松烟桂圆香',
    description: '传统松木烟熏工艺，汤色红艳，滋味醇厚。',
    specs: [weight('100g', '250g')],
    skus: [
      [['100g'], 5200, 100],
      [['250g'], 11800, 40],
    ],
  },
  {
    slug: 'milk-tea-kit',
    category: 'blacktea',
    name: '手作奶茶材料包',
    nameEn: 'Milk Tea Kit',
    subtitle: '滇红茶底 + 黑糖，在家做奶茶',
    description: '每包可做 1 杯 500ml 奶茶，只需加牛奶。',
    specs: [pack('5 包', '10 包')],
    skus: [
      [['5 包'], 3500, 300],
      [['10 包'], 6500, 150],
    ],
  },

  // 乌龙与白茶
  {
    slug: 'tieguanyin',
    category: 'oolong',
    name: '安溪铁观音',
    nameEn: 'Anxi Tieguanyin',
    subtitle: '兰花香，七泡有余香',
    description: '清香型铁观音，颗粒紧结，音韵明显。',
    specs: [weight('125g', '250g')],
    skus: [
      [['125g'], 6800, 90],
      [['250g'], 12800, 40],
    ],
  },
  {
    slug: 'dahongpao',
    category: 'oolong',
    name: '武夷大红袍',
    nameEn: 'Wuyi Da Hong Pao',
    subtitle: '岩骨花香，焙火醇厚',
    description: '武夷山岩茶，中足火，耐泡回甘。',
    specs: [weight('100g', '250g')],
    skus: [
      [['100g'], 9800, 50],
      [['250g'], 22800, 15],
    ],
  },
  {
    slug: 'dancong',
    category: 'oolong',
    name: '凤凰单丛·蜜兰香',
    nameEn: 'Phoenix Dancong (Honey Orchid)',
    subtitle: '蜜韵兰香，高山单丛',
    description: '潮州凤凰山，香高持久。',
    specs: [weight('50g', '100g')],
    skus: [
      [['50g'], 5800, 70],
      [['100g'], 10800, 35],
    ],
  },
  {
    slug: 'baihaoyinzhen',
    category: 'oolong',
    name: '白毫银针',
    nameEn: 'Silver Needle White Tea',
    subtitle: '满披白毫，毫香蜜韵',
    description: '福鼎大白茶单芽制成，清甜鲜爽。',
    specs: [weight('50g', '100g')],
    skus: [
      [['50g'], 12800, 30],
      [['100g'], 23800, 12],
    ],
  },
  {
    slug: 'shoumei-cake',
    category: 'oolong',
    name: '五年寿眉饼',
    nameEn: '5-Year Aged Shou Mei Cake',
    subtitle: '枣香药香，可煮可泡',
    description: '2021 年福鼎寿眉压饼，350g 一饼。',
    specs: single,
    skus: [[[], 16800, 0]],
  },

  // 花草茶
  {
    slug: 'jasmine',
    category: 'flower',
    name: '茉莉花茶·银毫',
    nameEn: 'Jasmine Silver Tip',
    subtitle: '七窨一提，花香鲜灵',
    description: '广西横县茉莉与福建烘青七次窨制。',
    specs: [weight('100g', '250g')],
    skus: [
      [['100g'], 4500, 160],
      [['250g'], 9900, 70],
    ],
  },
  {
    slug: 'chrysanthemum',
    category: 'flower',
    name: '胎菊王',
    nameEn: 'Tai Ju Chrysanthemum Buds',
    subtitle: '清润解腻',
    description: '桐乡胎菊，花蕾饱满，汤色金黄。',
    specs: [weight('50g')],
    skus: [[['50g'], 2800, 220]],
  },
  {
    slug: 'rose-buds',
    category: 'flower',
    name: '平阴玫瑰花冠',
    nameEn: 'Pingyin Rose Buds',
    subtitle: '一朵一杯，花香浓郁',
    description: '山东平阴重瓣红玫瑰，低温烘干。',
    specs: [pack('20 朵', '50 朵')],
    skus: [
      [['20 朵'], 3200, 140],
      [['50 朵'], 6900, 60],
    ],
  },
  {
    slug: 'osmanthus-oolong',
    category: 'flower',
    name: '桂花乌龙三角包',
    nameEn: 'Osmanthus Oolong Tea Bags',
    subtitle: '冷泡热泡皆宜',
    description: '每袋 3g，独立三角袋，办公室必备。',
    specs: [pack('10 袋', '30 袋')],
    skus: [
      [['10 袋'], 2500, 400],
      [['30 袋'], 6600, 200, 7500],
    ],
  },

  // 坚果零食
  {
    slug: 'mixed-nuts',
    category: 'nuts',
    name: '每日坚果',
    nameEn: 'Daily Mixed Nuts',
    subtitle: '六种坚果果干，一天一包',
    description: '巴旦木、腰果、核桃、榛子、蔓越莓、蓝莓，25g 独立包装。',
    specs: [pack('7 包', '30 包')],
    skus: [
      [['7 包'], 3900, 500],
      [['30 包'], 14900, 120, 16900],
    ],
  },
  {
    slug: 'melon-seeds',
    category: 'nuts',
    name: '焦糖瓜子',
    nameEn: 'Caramel Sunflower Seeds',
    subtitle: '配茶追剧好搭档',
    description: '颗粒饱满，焦糖风味。',
    specs: [weight('250g', '500g')],
    skus: [
      [['250g'], 1290, 600],
      [['500g'], 2290, 300],
    ],
  },
  {
    slug: 'dried-mango',
    category: 'nuts',
    name: '芒果干',
    nameEn: 'Dried Mango',
    subtitle: '肉厚软糯，酸甜适口',
    description: '泰国芒果，低温烘干，无添加色素。',
    specs: [weight('100g', '200g')],
    skus: [
      [['100g'], 1590, 350],
      [['200g'], 2890, 180],
    ],
  },
  {
    slug: 'walnut-kernels',
    category: 'nuts',
    name: '原味核桃仁',
    nameEn: 'Plain Walnut Kernels',
    subtitle: '新疆薄皮核桃',
    description: '手工剥仁，罐装锁鲜。',
    specs: [weight('250g')],
    skus: [[['250g'], 3990, 90]],
  },

  // 茶点糕饼
  {
    slug: 'mung-bean-cake',
    category: 'pastry',
    name: '绿豆糕',
    nameEn: 'Mung Bean Cake',
    subtitle: '入口即化，清甜不腻',
    description: '传统手作，每盒 12 枚。',
    specs: [pack('6 枚', '12 枚')],
    skus: [
      [['6 枚'], 1980, 200],
      [['12 枚'], 3580, 120],
    ],
  },
  {
    slug: 'pineapple-cake',
    category: 'pastry',
    name: '凤梨酥',
    nameEn: 'Pineapple Cake',
    subtitle: '酥皮掉渣，果馅微酸',
    description: '土凤梨馅，黄油酥皮，独立包装。',
    specs: [pack('6 枚', '12 枚', '24 枚')],
    skus: [
      [['6 枚'], 3600, 150],
      [['12 枚'], 6800, 100],
      [['24 枚'], 12800, 40, 14400],
    ],
  },
  {
    slug: 'osmanthus-cake',
    category: 'pastry',
    name: '桂花糕',
    nameEn: 'Osmanthus Cake',
    subtitle: '金桂飘香，软糯香甜',
    description: '糯米与桂花蜜，冷藏风味更佳。',
    specs: single,
    skus: [[[], 2680, 80]],
  },
  {
    slug: 'egg-yolk-pastry',
    category: 'pastry',
    name: '蛋黄酥',
    nameEn: 'Egg Yolk Pastry',
    subtitle: '咸蛋黄 + 红豆沙 + 麻薯',
    description: '现烤发货，层层起酥。',
    specs: [pack('6 枚', '12 枚')],
    skus: [
      [['6 枚'], 3980, 0],
      [['12 枚'], 7280, 60],
    ],
  },
];

export interface SeedResult {
  created: boolean;
  categories: number;
  products: number;
  skus: number;
}

function writeMedia(mediaDir: string, rel: string, svg: string): string {
  const file = path.join(mediaDir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, svg);
  return `/media/${rel}`;
}

/** Draws every demo image into the media folder (idempotent; cheap). */
export function writeDemoImages(mediaDir: string): void {
  for (const c of demoCategories) writeMedia(mediaDir, `demo/cat_${c.slug}.svg`, productSvg({ ...c }));
  for (const p of demoProducts) {
    const c = demoCategories.find((x) => x.slug === p.category)!;
    writeMedia(
      mediaDir,
      `demo/prod_${p.slug.replace(/-/g, '')}.svg`,
      productSvg({
        name: p.name.slice(0, 8),
        nameEn: p.nameEn.replace(/\s*\(.*\)$/, '').slice(0, 26),
        color: c.color,
        motif: c.motif,
      }),
    );
    writeMedia(
      mediaDir,
      `demo/prod_${p.slug.replace(/-/g, '')}_2.svg`,
      productSvg({
        name: p.name.slice(0, 8),
        nameEn: p.subtitle.slice(0, 14),
        color: c.color,
        motif: c.motif,
        label: `${demoShopSettings.name} ${demoShopSettings.nameEn}`,
      }),
    );
  }
  writeMedia(
    mediaDir,
    'demo/shop_logo.svg',
    logoSvg({ mark: '茶', nameEn: demoShopSettings.nameEn, color: '#5b7a3a' }),
  );
}

export async function seedDemoShop(db: DataSource, mediaDir: string): Promise<SeedResult> {
  writeDemoImages(mediaDir);
  // Once: a settings row already there (the owner's own) is left as it is.
  await seedShopSettings(db, demoShopSettings);
  const existing = await db.getRepository(CategoryEntity).count();
  if (existing > 0) return { created: false, categories: 0, products: 0, skus: 0 };

  let skuCount = 0;
  await db.transaction(async (tx) => {
    await tx.getRepository(CategoryEntity).insert(
      demoCategories.map((c, i) => ({
        id: `cat_${c.slug}`,
        name: c.name,
        nameEn: c.nameEn,
        icon: `/media/demo/cat_${c.slug}.svg`,
        position: (i + 1) * 10,
      })),
    );
    for (const [i, p] of demoProducts.entries()) {
      const id = `prod_${p.slug.replace(/-/g, '')}`;
      await tx.getRepository(ProductEntity).insert({
        id,
        categoryId: `cat_${p.category}`,
        name: p.name,
        nameEn: p.nameEn,
        subtitle: p.subtitle,
        description: p.description,
        cover: `/media/demo/${id}.svg`,
        images: [`/media/demo/${id}.svg`, `/media/demo/${id}_2.svg`],
        specs: p.specs,
        published: true,
        position: (i + 1) * 10,
      });
      await tx.getRepository(SkuEntity).insert(
        p.skus.map(([specValues, price, stock, originalPrice], j) => ({
          id: `sku_${p.slug.replace(/-/g, '')}${j + 1}`,
          productId: id,
          specValues,
          specKey: specKeyOf(specValues),
          price,
          originalPrice: originalPrice ?? null,
          stock,
          image: null,
          position: j,
        })),
      );
      skuCount += p.skus.length;
    }
  });
  return { created: true, categories: demoCategories.length, products: demoProducts.length, skus: skuCount };
}
