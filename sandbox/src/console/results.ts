/**
 * What a console action did, kept for the page that follows it. A form on the console posts,
 * the sandbox records the answer here and redirects (303) to `/?as=<openid>&r=<id>#result`,
 * so the page shows the login code, the group-share payload, the push and the reply instead
 * of a silent reload, and a browser refresh does not post the action twice. In memory only:
 * a result is for the person who just pressed the button.
 */
import { randomBytes } from 'node:crypto';

export interface ConsoleResult {
  id: string;
  at: string;
  /** What the action was, in Chinese with English beside. */
  label: { zh: string; en: string };
  method: string;
  path: string;
  /** The HTTP status an API caller of the same route gets. */
  status: number;
  /** The simulated user the action was for (the console keeps driving them). */
  openid?: string;
  /** The JSON an API caller of the same route gets. */
  body: unknown;
  /** Shown on the console only, never sent to API callers (e.g. a group share in plaintext). */
  detail?: unknown;
}

/** Route → label; the first match wins. Routes that are not listed show their path. */
const labels: [RegExp, string, string][] = [
  [/^\/sandbox\/oa\/users\/[^/]+\/follow$/, '关注 / 扫码', 'Follow / scan'],
  [/^\/sandbox\/oa\/users\/[^/]+\/unfollow$/, '取消关注', 'Unfollow'],
  [/^\/sandbox\/oa\/users\/[^/]+\/text$/, '发消息', 'Send a text'],
  [/^\/sandbox\/oa\/users\/[^/]+\/click$/, '点菜单 (按 key)', 'Menu click (by key)'],
  [/^\/sandbox\/oa\/users\/[^/]+\/menu$/, '点菜单', 'Tap a menu button'],
  [/^\/sandbox\/oa\/qrcodes$/, '生成带参数二维码', 'Create a scene QR code'],
  [/^\/sandbox\/oa\/mode$/, '推送模式', 'Push mode'],
  [/^\/sandbox\/mp\/users\/[^/]+\/login$/, '小程序登录 (wx.login)', 'Mini-program login (wx.login)'],
  [/^\/sandbox\/mp\/users\/[^/]+\/group-share$/, '打开群分享', 'Open a group share'],
  [/^\/sandbox\/mp\/users\/[^/]+\/share$/, '分享卡片到聊天', 'Share a card into a chat'],
  [/^\/sandbox\/mp\/users\/[^/]+\/open$/, '打开聊天里的卡片', 'Open a card from a chat'],
  [
    /^\/sandbox\/mp\/users\/[^/]+\/group-enter-info$/,
    '读群信息 (getGroupEnterInfo)',
    'Read the group (getGroupEnterInfo)',
  ],
  [/^\/sandbox\/mp\/groups$/, '建群', 'Create a group'],
  [/^\/sandbox\/mp\/groups\/[^/]+\/members$/, '加入群', 'Add to a group'],
  [/^\/sandbox\/mp\/groups\/[^/]+\/members\/[^/]+\/remove$/, '移出群', 'Remove from a group'],
  [/^\/sandbox\/mp\/users\/[^/]+\/subscribe-consent$/, '允许订阅消息', 'Allow a subscribe message'],
  [/^\/sandbox\/cards\/create$/, '创建会员卡', 'Create a member card'],
  [/^\/sandbox\/cards\/users\/[^/]+\/get$/, '领取会员卡', 'Take the member card'],
  [/^\/sandbox\/cards\/users\/[^/]+\/use$/, '到店出示会员卡', 'Show the card at the counter'],
  [/^\/sandbox\/platform\/tokens\/expire$/, '令牌立即过期', 'Expire tokens now'],
  [/^\/sandbox\/platform\/faults$/, '故障开关', 'Fault knobs'],
  [/^\/sandbox\/pay\/settings$/, '微信支付设置', 'WeChat Pay settings'],
  [/^\/sandbox\/pay\/rotate-certificate$/, '轮换平台证书', 'Rotate the platform certificate'],
];

export function labelOf(path: string): { zh: string; en: string } {
  const hit = labels.find(([re]) => re.test(path));
  return hit ? { zh: hit[1], en: hit[2] } : { zh: '操作', en: path };
}

const KEEP = 30;

export class ConsoleResults {
  private readonly recent: ConsoleResult[] = [];

  record(r: Omit<ConsoleResult, 'id' | 'at' | 'label'>): ConsoleResult {
    const result: ConsoleResult = {
      ...r,
      id: randomBytes(6).toString('hex'),
      at: new Date().toISOString(),
      label: labelOf(r.path),
    };
    this.recent.unshift(result);
    this.recent.length = Math.min(this.recent.length, KEEP);
    return result;
  }

  get(id: string | undefined): ConsoleResult | undefined {
    return id ? this.recent.find((r) => r.id === id) : undefined;
  }
}
