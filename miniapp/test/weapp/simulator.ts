/**
 * Boots the built weapp bundle (miniapp/dist/weapp) the way WeChat's client would, in Node:
 * WeChat's own WXML compiler (wcc, shipped in miniprogram-simulate's miniprogram-compiler)
 * turns every .wxml into the render functions the page templates use, and WeChat's component
 * framework (exparser, through miniprogram-simulate's j-component) renders them into jsdom.
 * app.js, the pages and Taro's runtime run unchanged: App()/Page()/Component() are WeChat's
 * constructors here, and the few wx.* calls that leave the phone are answered for real —
 * wx.request by the API (only for the request domain the bundle was built for, as WeChat's
 * allow-list does) and wx.login by the sandbox.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- WeChat's kit must load after the DOM globals exist, and in order */
import fs from 'node:fs';
import path from 'node:path';
import { JSDOM } from 'jsdom';

type Callbacks<R> = {
  success?: (r: R) => void;
  fail?: (e: { errMsg: string }) => void;
  complete?: (r: unknown) => void;
};
type AnyFn = (...args: any[]) => any;

export interface SimulatorOptions {
  /** The built bundle (miniapp/dist/weapp). */
  root: string;
  /** The request domain the bundle was built with (CHATMALL_API_BASE), normalised. */
  requestOrigin: string;
  /** Where that domain's requests are answered in the test (the real API, on loopback). */
  apiUrl: string;
  /** The sandbox that plays WeChat (wx.login codes). */
  sandboxUrl: string;
  /** The simulated WeChat user. */
  openid: string;
}

export interface OpenPage {
  path: string;
  /** The page's root element in jsdom. */
  element: HTMLElement;
  text(): string;
  waitForText(text: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Runs the page's onShow again (as when the buyer comes back to it). */
  show(): void;
  close(): void;
}

let globalsReady = false;

const headersOf = (h: Headers) => {
  const out: Record<string, string> = {};
  h.forEach((v, k) => (out[k] = v));
  return out;
};

/** jsdom as the "render layer"; miniprogram-simulate registers the built-in components and `wx`. */
function installGlobals(): void {
  if (globalsReady) return;
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', { pretendToBeVisual: true });
  const g = globalThis as Record<string, unknown>;
  g.window = dom.window;
  for (const k of [
    'document',
    'navigator',
    'Node',
    'Element',
    'HTMLElement',
    'Event',
    'CustomEvent',
    'MutationObserver',
    'getComputedStyle',
    'requestAnimationFrame',
    'cancelAnimationFrame',
  ])
    if (!(k in g) || k === 'document' || k === 'navigator')
      g[k] = (dom.window as unknown as Record<string, unknown>)[k];
  // Loaded after the globals: it injects Touch, the built-in components and `wx`.
  require('miniprogram-simulate');
  globalsReady = true;
}

/** The wcc-compiled templates of every .wxml in the bundle (`$gwx`), compiled in one run. */
export function compileWxml(root: string): (file: string) => unknown {
  const compiler = require('miniprogram-compiler') as { wxmlToJs(root: string, o: object): string };
  return new Function(compiler.wxmlToJs(root, { maxBuffer: 64 * 1024 * 1024 }))() as (file: string) => unknown;
}

export class WeappSimulator {
  /** Every URL the bundle passed to wx.request, as it passed it. */
  readonly requests: { method: string; url: string }[] = [];
  /** wx.login calls answered. */
  logins = 0;
  /** Pages the bundle asked to open (navigateTo, switchTab, …). */
  readonly navigations: string[] = [];
  readonly storage = new Map<string, unknown>();
  /**
   * How the mini-program was last entered (wx.getEnterOptionsSync / getLaunchOptionsSync): set
   * it to a sandbox launch (`POST /sandbox/mp/users/:openid/open`) to open a page from a chat.
   */
  enter: { path: string; query: Record<string, string>; scene: number; shareTicket?: string } = {
    path: 'pages/home/index',
    query: {},
    scene: 1001,
  };
  private gwx!: (file: string) => unknown;
  private readonly modules = new Map<string, { exports: unknown }>();
  private appOptions: Record<string, AnyFn> | undefined;
  private lastPage: Record<string, unknown> | undefined;
  private lastComponent: Record<string, unknown> | undefined;
  private readonly pages: Record<string, unknown>[] = [];
  private readonly registered = new Map<string, string>();
  private jComponent!: { register(def: object): string; create(id: string, props?: object): any };

  constructor(private readonly opts: SimulatorOptions) {}

  /** Compiles the WXML, installs WeChat's globals and runs app.js (onLaunch, onShow). */
  boot(): void {
    installGlobals();
    this.jComponent = require('j-component');
    this.gwx = compileWxml(this.opts.root);
    const g = globalThis as Record<string, unknown>;
    g.App = (o: Record<string, AnyFn>) => void (this.appOptions = o);
    g.getApp = () => this.appOptions;
    g.Page = (o: Record<string, unknown>) => void (this.lastPage = o);
    g.Component = (o: Record<string, unknown>) => void (this.lastComponent = o);
    g.getCurrentPages = () => this.pages;
    g.requirePlugin = () => ({});
    Object.assign(g.wx as object, this.wxApi());
    this.load('app.js');
    if (!this.appOptions) throw new Error('app.js did not call App()');
    const launch = { path: 'pages/home/index', query: {}, scene: 1001 };
    this.appOptions.onLaunch?.call(this.appOptions, launch);
    this.appOptions.onShow?.call(this.appOptions, launch);
  }

  /** Opens a page as WeChat does: registers it, attaches it, then onLoad(query), onShow, onReady. */
  open(pagePath: string, query: Record<string, string> = {}): OpenPage {
    const id = this.registerPage(pagePath);
    const comp = this.jComponent.create(id);
    const parent = document.createElement('div');
    document.body.appendChild(parent);
    comp.attach(parent);
    const inst = comp.instance as Record<string, AnyFn | unknown>;
    Object.assign(inst, { route: pagePath, __route__: pagePath, options: query });
    this.pages.push(inst);
    (inst.onLoad as AnyFn).call(inst, query);
    (inst.onShow as AnyFn | undefined)?.call(inst);
    (inst.onReady as AnyFn | undefined)?.call(inst);
    const element = parent;
    const text = () => element.textContent ?? '';
    return {
      path: pagePath,
      element,
      text,
      show: () => (inst.onShow as AnyFn | undefined)?.call(inst),
      async waitForText(wanted, timeoutMs = 10_000) {
        const deadline = Date.now() + timeoutMs;
        const hit = () => (typeof wanted === 'string' ? text().includes(wanted) : wanted.test(text()));
        while (!hit() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        if (!hit()) throw new Error(`${pagePath} never showed ${String(wanted)}; it shows: ${text().slice(0, 400)}`);
        return text();
      },
      close: () => {
        (inst.onUnload as AnyFn | undefined)?.call(inst);
        comp.detach();
        parent.remove();
        this.pages.splice(this.pages.indexOf(inst), 1);
      },
    };
  }

  /** CommonJS as the mini-program runs it: paths relative to the requiring file, inside the bundle. */
  private load(file: string): unknown {
    const abs = path.resolve(this.opts.root, file.endsWith('.js') ? file : `${file}.js`);
    if (!abs.startsWith(path.resolve(this.opts.root) + path.sep))
      throw new Error(`require outside the bundle: ${file}`);
    const cached = this.modules.get(abs);
    if (cached) return cached.exports;
    const module = { exports: {} as unknown };
    this.modules.set(abs, module);
    const run = new Function('require', 'module', 'exports', fs.readFileSync(abs, 'utf8'));
    run(
      (p: string) => this.load(path.relative(this.opts.root, path.resolve(path.dirname(abs), p))),
      module,
      module.exports,
    );
    return module.exports;
  }

  /** Registers a component (Component()) or page (Page()) and, first, what it uses. */
  private register(file: string, kind: 'page' | 'component'): string {
    const known = this.registered.get(file);
    if (known) return known;
    const json = JSON.parse(fs.readFileSync(path.join(this.opts.root, `${file}.json`), 'utf8')) as {
      usingComponents?: Record<string, string>;
    };
    const id = `${kind}:${file}`;
    this.registered.set(file, id); // before the children: components may use themselves (comp → comp)
    const using: Record<string, string> = {};
    for (const [tag, rel] of Object.entries(json.usingComponents ?? {})) {
      const target = rel.startsWith('/') ? rel.slice(1) : path.posix.join(path.posix.dirname(file), rel);
      using[tag] = this.register(path.posix.normalize(target), 'component');
    }
    this.lastPage = this.lastComponent = undefined;
    this.load(`${file}.js`);
    const template = this.gwx(`${file}.wxml`);
    if (kind === 'page') {
      const o = this.lastPage as Record<string, unknown> | undefined;
      if (!o) throw new Error(`${file}.js did not call Page()`);
      // A page is a component whose options are its methods and lifetimes (as in WeChat).
      const methods: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(o)) if (typeof v === 'function') methods[k] = v;
      this.jComponent.register({
        id,
        path: `/${file}`,
        tagName: 'page',
        template,
        usingComponents: using,
        data: o.data ?? {},
        methods,
      });
    } else {
      const o = this.lastComponent as Record<string, unknown> | undefined;
      if (!o) throw new Error(`${file}.js did not call Component()`);
      this.jComponent.register({
        ...o,
        id,
        path: `/${file}`,
        tagName: path.posix.basename(file),
        template,
        usingComponents: using,
      });
    }
    return id;
  }

  private registerPage(file: string): string {
    return this.register(file, 'page');
  }

  /** The wx.* calls that leave the phone, answered for real; the rest kept in memory. */
  private wxApi(): Record<string, AnyFn> {
    const ok = <R>(cb: Callbacks<R>, r: R) => {
      cb.success?.(r);
      cb.complete?.(r);
    };
    const fail = <R>(cb: Callbacks<R>, errMsg: string) => {
      cb.fail?.({ errMsg });
      cb.complete?.({ errMsg });
    };
    const { requestOrigin, apiUrl, sandboxUrl, openid } = this.opts;
    const nav = (name: string) => (o: Callbacks<unknown> & { url: string }) => {
      this.navigations.push(`${name} ${o.url}`);
      ok(o, { errMsg: `${name}:ok` });
    };
    /** wx.getGroupEnterInfo / wx.getShareInfo: the sandbox answers for this launch (fail with its errcode). */
    const groupInfo =
      (apiName: 'getGroupEnterInfo' | 'getShareInfo') =>
      (o: Callbacks<{ iv: string; encryptedData: string; errMsg: string }> & { shareTicket?: string }) => {
        const shareTicket = apiName === 'getShareInfo' ? o.shareTicket : this.enter.shareTicket;
        fetch(`${sandboxUrl}/sandbox/mp/users/${encodeURIComponent(openid)}/group-enter-info`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ api: apiName, shareTicket }),
        })
          .then(async (res) => {
            const b = (await res.json()) as { iv?: string; encryptedData?: string; errcode?: number };
            if (res.status === 200 && b.iv && b.encryptedData)
              ok(o, { iv: b.iv, encryptedData: b.encryptedData, errMsg: `${apiName}:ok` });
            else {
              const r = { errMsg: `${apiName}:fail ${b.errcode ?? res.status}`, errno: b.errcode };
              o.fail?.(r as never);
              o.complete?.(r as never);
            }
          })
          .catch((err: Error) => fail(o, `${apiName}:fail ${err.message}`));
      };
    return {
      getEnterOptionsSync: () => ({ ...this.enter }),
      getLaunchOptionsSync: () => ({ ...this.enter }),
      canIUse: (name: string) => ['getGroupEnterInfo', 'getShareInfo', 'getEnterOptionsSync'].includes(name),
      getGroupEnterInfo: groupInfo('getGroupEnterInfo'),
      getShareInfo: groupInfo('getShareInfo'),
      showShareMenu: (o: Callbacks<unknown> = {}) => ok(o, { errMsg: 'showShareMenu:ok' }),
      request: (
        o: Callbacks<unknown> & {
          url: string;
          method?: string;
          data?: unknown;
          header?: Record<string, string>;
          dataType?: string;
        },
      ) => {
        const method = (o.method ?? 'GET').toUpperCase();
        this.requests.push({ method, url: o.url });
        // WeChat's request-domain allow-list: only the domain the bundle was built for.
        if (!o.url.startsWith(`${requestOrigin}/`)) {
          setTimeout(() => fail(o, `request:fail url not in domain list: ${o.url}`));
          return { abort() {} };
        }
        let url = apiUrl + o.url.slice(requestOrigin.length);
        let body: string | undefined;
        if (method === 'GET' && o.data && typeof o.data === 'object') {
          const q = new URLSearchParams(o.data as Record<string, string>).toString();
          if (q) url += (url.includes('?') ? '&' : '?') + q;
        } else if (o.data !== undefined) body = typeof o.data === 'string' ? o.data : JSON.stringify(o.data);
        fetch(url, { method, headers: o.header, body })
          .then(async (res) => {
            const raw = await res.text();
            let data: unknown = raw;
            if (o.dataType !== 'text')
              try {
                data = JSON.parse(raw);
              } catch {
                // keep text, as WeChat does
              }
            ok(o, { statusCode: res.status, data, header: headersOf(res.headers), errMsg: 'request:ok' });
          })
          .catch((err: Error) => fail(o, `request:fail ${err.message}`));
        return { abort() {} };
      },
      login: (o: Callbacks<{ code: string; errMsg: string }>) => {
        fetch(`${sandboxUrl}/sandbox/mp/users/${encodeURIComponent(openid)}/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
          .then(async (res) => {
            const { code } = (await res.json()) as { code: string };
            this.logins++;
            ok(o, { code, errMsg: 'login:ok' });
          })
          .catch((err: Error) => fail(o, `login:fail ${err.message}`));
      },
      getStorageSync: (k: string) => (this.storage.has(k) ? this.storage.get(k) : ''),
      setStorageSync: (k: string, v: unknown) => void this.storage.set(k, v),
      removeStorageSync: (k: string) => void this.storage.delete(k),
      getStorage: (o: Callbacks<unknown> & { key: string }) =>
        this.storage.has(o.key)
          ? ok(o, { data: this.storage.get(o.key), errMsg: 'getStorage:ok' })
          : fail(o, 'getStorage:fail data not found'),
      setStorage: (o: Callbacks<unknown> & { key: string; data: unknown }) => {
        this.storage.set(o.key, o.data);
        ok(o, { errMsg: 'setStorage:ok' });
      },
      navigateTo: nav('navigateTo'),
      redirectTo: nav('redirectTo'),
      switchTab: nav('switchTab'),
      reLaunch: nav('reLaunch'),
      navigateBack: (o: Callbacks<unknown> = {}) => {
        this.navigations.push('navigateBack');
        ok(o, { errMsg: 'navigateBack:ok' });
      },
      showToast: (o: Callbacks<unknown> = {}) => ok(o, { errMsg: 'showToast:ok' }),
      showLoading: (o: Callbacks<unknown> = {}) => ok(o, { errMsg: 'showLoading:ok' }),
      hideLoading: (o: Callbacks<unknown> = {}) => ok(o, { errMsg: 'hideLoading:ok' }),
      setNavigationBarTitle: (o: Callbacks<unknown> = {}) => ok(o, { errMsg: 'setNavigationBarTitle:ok' }),
      stopPullDownRefresh: (o: Callbacks<unknown> = {}) => ok(o, { errMsg: 'stopPullDownRefresh:ok' }),
      setTabBarBadge: (o: Callbacks<unknown> = {}) => ok(o, { errMsg: 'setTabBarBadge:ok' }),
      removeTabBarBadge: (o: Callbacks<unknown> = {}) => ok(o, { errMsg: 'removeTabBarBadge:ok' }),
      pageScrollTo: (o: Callbacks<unknown> = {}) => ok(o, { errMsg: 'pageScrollTo:ok' }),
    };
  }
}
