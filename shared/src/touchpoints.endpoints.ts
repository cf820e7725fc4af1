/**
 * Touchpoints (console: owner and marketer), their printable files, their welcome, and the
 * storefront's 门店 Stores page (public: stores nearest first from a point).
 */
import { z } from 'zod';
import { access } from './auth';
import { endpoint } from './endpoint';
import { Welcome, WelcomeInput } from './followers';
import {
  NearbyStores,
  NearbyStoresQuery,
  Touchpoint,
  TouchpointInput,
  TouchpointKind,
  TouchpointList,
  TouchpointStats,
  TouchpointStatsQuery,
  TouchpointWithStats,
} from './touchpoints';

const marketing = access.staff('owner', 'marketer');
const Id = z.object({ id: z.string().min(1).max(40) });
const file = (contentType: string, extension: string) => ({ contentType, extension });

export const touchpointsEndpoints = {
  listTouchpoints: endpoint({
    method: 'GET',
    path: '/api/admin/touchpoints',
    summary: 'Touchpoints with their scans, new followers, first orders and GMV',
    access: marketing,
    query: z.object({ kind: TouchpointKind.optional() }),
    response: TouchpointList,
  }),
  createTouchpoint: endpoint({
    method: 'POST',
    path: '/api/admin/touchpoints',
    summary: 'Creates a store, table, counter or flyer with its scene QR (permanent, or temporary ≤ 30 days)',
    access: marketing,
    body: TouchpointInput,
    response: Touchpoint,
  }),
  getTouchpoint: endpoint({
    method: 'GET',
    path: '/api/admin/touchpoints/:id',
    summary: 'One touchpoint with its totals',
    access: marketing,
    params: Id,
    response: TouchpointWithStats,
  }),
  touchpointStats: endpoint({
    method: 'GET',
    path: '/api/admin/touchpoints/:id/stats',
    summary: 'Totals and a daily series (China-time days, zeros included) for the chart',
    access: marketing,
    params: Id,
    query: TouchpointStatsQuery,
    response: TouchpointStats,
  }),
  touchpointQrPng: endpoint({
    method: 'GET',
    path: '/api/admin/touchpoints/:id/qr.png',
    summary: 'The scene QR as a print-resolution PNG',
    access: marketing,
    params: Id,
    response: z.string(),
    download: file('image/png', 'png'),
  }),
  touchpointPdf: endpoint({
    method: 'GET',
    path: '/api/admin/touchpoints/:id/card.pdf',
    summary: 'An A6 card: the shop’s name, the scene QR and the touchpoint’s name',
    access: marketing,
    params: Id,
    response: z.string(),
    download: file('application/pdf', 'pdf'),
  }),
  touchpointWxacode: endpoint({
    method: 'GET',
    path: '/api/admin/touchpoints/:id/wxacode.png',
    summary: 'The mini-program code with the touchpoint’s scene (getwxacodeunlimit)',
    access: marketing,
    params: Id,
    query: z.object({
      page: z
        .string()
        .max(200)
        .regex(/^[^/?][^?]*$/)
        .optional(),
    }),
    response: z.string(),
    download: file('image/png', 'png'),
  }),
  getTouchpointWelcome: endpoint({
    method: 'GET',
    path: '/api/admin/touchpoints/:id/welcome',
    summary: 'The touchpoint’s own welcome (null: the shop’s welcome is sent)',
    access: marketing,
    params: Id,
    response: Welcome.nullable(),
  }),
  setTouchpointWelcome: endpoint({
    method: 'PUT',
    path: '/api/admin/touchpoints/:id/welcome',
    summary: 'The welcome for followers from this touchpoint, optionally with a coupon',
    access: marketing,
    params: Id,
    body: WelcomeInput,
    response: Welcome,
  }),
  nearbyStores: endpoint({
    method: 'GET',
    path: '/api/stores',
    summary: 'Stores nearest first from a point (the buyer’s location, or a fixed one when refused)',
    query: NearbyStoresQuery,
    response: NearbyStores,
  }),
} as const;
