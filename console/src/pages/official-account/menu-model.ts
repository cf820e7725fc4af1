/**
 * The menu editor's working copy: each top-level button is a group of sub-buttons or a leaf
 * (click, view, mini-program), with every type's fields kept while the merchant switches
 * types, and its conversion to and from the contract's `MenuInput`.
 */
import type { MenuInput, MenuLeaf } from '@chatmall/shared';

export type LeafType = MenuLeaf['type'];
export interface EditLeaf {
  name: string;
  type: LeafType;
  key: string;
  url: string;
  pagePath: string;
}
export interface EditButton extends Omit<EditLeaf, 'type'> {
  type: LeafType | 'group';
  subButtons: EditLeaf[];
}
/** [top] or [top, sub]. */
export type Selection = [number] | [number, number];

export const leafTypeLabel: Record<LeafType, string> = {
  click: '发送消息 Click (key)',
  view: '跳转网页 Open a web page',
  miniprogram: '打开小程序 Open the mini-program',
};

export const MAX_TOP = 3;
export const MAX_SUB = 5;

export function blankLeaf(name = '子菜单'): EditLeaf {
  return { name, type: 'click', key: '', url: '', pagePath: 'pages/index/index' };
}
export function blankButton(name = '菜单'): EditButton {
  return { ...blankLeaf(name), type: 'click', subButtons: [] };
}

function toLeaf(l: EditLeaf): MenuLeaf {
  switch (l.type) {
    case 'click':
      return { type: 'click', name: l.name, key: l.key };
    case 'view':
      return { type: 'view', name: l.name, url: l.url };
    case 'miniprogram':
      return { type: 'miniprogram', name: l.name, url: l.url, pagePath: l.pagePath };
  }
}

export function toInput(buttons: EditButton[]): MenuInput {
  return {
    buttons: buttons.map((b) =>
      b.type === 'group' ? { name: b.name, subButtons: b.subButtons.map(toLeaf) } : toLeaf({ ...b, type: b.type }),
    ),
  };
}

function fromLeaf(l: MenuLeaf): EditLeaf {
  return {
    name: l.name,
    type: l.type,
    key: l.type === 'click' ? l.key : '',
    url: l.type === 'view' || l.type === 'miniprogram' ? l.url : '',
    pagePath: l.type === 'miniprogram' ? l.pagePath : 'pages/index/index',
  };
}

export function fromInput(menu: MenuInput | null): EditButton[] {
  if (!menu) return [];
  return menu.buttons.map((b) =>
    'subButtons' in b
      ? { ...blankLeaf(b.name), type: 'group', subButtons: b.subButtons.map(fromLeaf) }
      : { ...fromLeaf(b), subButtons: [] },
  );
}

/** A problem's path (`buttons.1.subButtons.2.url`, from zod or the server) → the button it names and the field. */
export function problemAt(path: (string | number)[]): { at: Selection | null; field: string } {
  const p = path.map(String);
  const i = p.indexOf('buttons');
  if (i < 0 || p[i + 1] === undefined) return { at: null, field: p[p.length - 1] ?? '' };
  const top = Number(p[i + 1]);
  if (p[i + 2] === 'subButtons' && p[i + 3] !== undefined)
    return { at: [top, Number(p[i + 3])], field: p[i + 4] ?? '' };
  return { at: [top], field: p[i + 2] ?? '' };
}

export function sameSelection(a: Selection | null, b: Selection | null): boolean {
  return !!a && !!b && a.length === b.length && a[0] === b[0] && a[1] === b[1];
}

export function selectionLabel(s: Selection): string {
  return s.length === 1 ? `菜单 ${s[0] + 1}` : `菜单 ${s[0] + 1} › 子菜单 ${s[1] + 1}`;
}
