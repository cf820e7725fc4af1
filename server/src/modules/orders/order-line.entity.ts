import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One SKU on an order, with name and price frozen as they were at checkout. */
@Entity('order_lines')
@Index('idx_order_lines_order', ['orderId'])
export class OrderLineEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'order_id', type: 'varchar', length: 40 })
  orderId!: string;

  @Column({ name: 'sku_id', type: 'varchar', length: 40 })
  skuId!: string;

  @Column({ name: 'product_id', type: 'varchar', length: 40 })
  productId!: string;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ name: 'spec_values', type: 'simple-json' })
  specValues!: string[];

  @Column({ type: 'varchar', length: 255 })
  image!: string;

  @Column({ name: 'unit_price', type: 'int' })
  unitPrice!: number;

  @Column({ type: 'int' })
  quantity!: number;

  @Column({ name: 'line_total', type: 'int' })
  lineTotal!: number;

  /**
   * This line's share of the order's discounts (member discount and coupon), in fen, as the
   * checkout pricing spread them: a refund of the line returns lineTotal − discount at most.
   */
  @Column({ type: 'int', default: 0 })
  discount!: number;
}
