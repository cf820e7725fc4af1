/**
 * The custom menu: a draft the console edits (3 buttons × 5 sub-buttons of click, view and
 * mini-program types), published through `menu/create` and read back with `menu/get`, so the
 * console shows what WeChat really holds. Settings rows `menu:draft` and `menu:published`.
 */
import type { MenuInput, MenuLeaf } from '@chatmall/shared';
import { ConflictError, ValidationError } from '../../kernel/errors';
import type { MenuButton, OfficialAccountApi } from '../../wechat/api/official-account';
import type { AutoReplyService } from './auto-reply.service';

/** The menu WeChat held when last read (null: none), and when that was. */
interface Published {
  menu: MenuInput | null;
  at: string;
}

/** WeChat's refusals of a menu, in the editor's words (field at fault where there is one). */
const menuErrors: Record<number, string> = {
  40016: '一级菜单最多 3 个 At most 3 top-level buttons',
  40017: '菜单类型无效 Invalid button type',
  40018: '一级菜单名过长 A top-level name is too long',
  40019: '菜单 key 无效或过长 A button key is missing or too long',
  40023: '子菜单最多 5 个 At most 5 sub-buttons',
  40025: '子菜单名过长 A sub-button name is too long',
  40027: '子菜单链接无效 A sub-button URL is invalid',
  40055: '菜单链接无效 A button URL is invalid',
  45064: '小程序未关联公众号 The mini program is not linked to the official account',
};

function leafToWechat(l: MenuLeaf, miniProgramAppId: string): MenuButton {
  switch (l.type) {
    case 'click':
      return { type: 'click', name: l.name, key: l.key };
    case 'view':
      return { type: 'view', name: l.name, url: l.url };
    case 'miniprogram':
      return { type: 'miniprogram', name: l.name, url: l.url, appid: miniProgramAppId, pagepath: l.pagePath };
  }
}

export function menuToWechat(menu: MenuInput, miniProgramAppId: string): MenuButton[] {
  return menu.buttons.map((b) =>
    'subButtons' in b
      ? { name: b.name, sub_button: b.subButtons.map((s) => leafToWechat(s, miniProgramAppId)) }
      : leafToWechat(b, miniProgramAppId),
  );
}

function leafFromWechat(b: MenuButton): MenuLeaf {
  if (b.type === 'view') return { type: 'view', name: b.name, url: b.url ?? '' };
  if (b.type === 'miniprogram')
    return { type: 'miniprogram', name: b.name, url: b.url ?? '', pagePath: b.pagepath ?? '' };
  return { type: 'click', name: b.name, key: b.key ?? '' };
}

export function menuFromWechat(buttons: MenuButton[]): MenuInput {
  return {
    buttons: buttons.map((b) =>
      b.sub_button && b.sub_button.length
        ? { name: b.name, subButtons: b.sub_button.map(leafFromWechat) }
        : leafFromWechat(b),
    ),
  };
}

export class MenuService {
  constructor(
    private readonly settings: Pick<AutoReplyService, 'setting' | 'put'>,
    private readonly deps: { oa: () => OfficialAccountApi; miniProgramAppId: string },
  ) {}

  async get() {
    const draft = await this.settings.setting<MenuInput>('menu:draft');
    const published = await this.settings.setting<Published>('menu:published');
    return { draft, published: published?.menu ?? null, publishedAt: published?.menu ? published.at : null };
  }

  async saveDraft(menu: MenuInput) {
    await this.settings.put('menu:draft', menu);
    return this.get();
  }

  /** Publishes the draft, then reads WeChat's menu back as the published one. */
  async publish() {
    const draft = await this.settings.setting<MenuInput>('menu:draft');
    if (!draft) throw new ConflictError('没有菜单草稿 Save a menu draft first');
    const created = await this.deps.oa().createMenu(menuToWechat(draft, this.deps.miniProgramAppId));
    if (!created.ok) {
      const code = created.error.errcode;
      if (code !== null && menuErrors[code])
        throw new ValidationError([{ path: 'buttons', message: `${menuErrors[code]} (${code})` }]);
      throw new ConflictError(`微信拒绝了菜单 WeChat refused the menu (${code ?? created.error.kind})`);
    }
    await this.readBack();
    return this.get();
  }

  /** What WeChat holds now (46003: no menu). */
  async readBack() {
    const got = await this.deps.oa().getMenu();
    if (!got.ok && got.error.errcode !== 46003)
      throw new ConflictError(`读取菜单失败 Reading the menu failed (${got.error.errcode ?? got.error.kind})`);
    const menu = got.ok ? menuFromWechat(got.value.menu.button) : null;
    await this.settings.put('menu:published', { menu, at: new Date().toISOString() } satisfies Published);
    return this.get();
  }

  async unpublish() {
    const done = await this.deps.oa().deleteMenu();
    if (!done.ok)
      throw new ConflictError(`删除菜单失败 Deleting the menu failed (${done.error.errcode ?? done.error.kind})`);
    await this.settings.put('menu:published', { menu: null, at: new Date().toISOString() } satisfies Published);
    return this.get();
  }
}
