/**
 * Access tokens (`/cgi-bin/token`, `/cgi-bin/stable_token`) and the fault knobs.
 */
import type Koa from 'koa';
import type Router from 'koa-router';
import { escapeHtml } from '../html';
import type { Surface, SandboxContext } from '../surface';
import { answerSimulation, defaultFaults, platformFor, readBody, WechatFault } from './platform';

export function platformSurface(ctx: SandboxContext): Surface {
  const p = platformFor(ctx);
  return {
    name: 'platform',
    mount(router: Router) {
      router.get(
        '/cgi-bin/token',
        p.route('/cgi-bin/token', (c: Koa.Context) => {
          if (c.query.grant_type !== 'client_credential') throw new WechatFault(40002);
          p.checkCredentials(c.query.appid, c.query.secret);
          const t = p.issueClassic(String(c.query.appid));
          return { access_token: t.token, expires_in: Math.round((t.expiresAt - Date.now()) / 1000) };
        }),
      );
      router.post(
        '/cgi-bin/stable_token',
        p.route('/cgi-bin/stable_token', async (c: Koa.Context) => {
          const body = await readBody(c);
          if (body.grant_type !== 'client_credential') throw new WechatFault(40002);
          p.checkCredentials(body.appid, body.secret);
          const t = p.issueStable(String(body.appid), body.force_refresh === true);
          return { access_token: t.token, expires_in: Math.round((t.expiresAt - Date.now()) / 1000) };
        }),
      );
      router.get('/sandbox/platform/stats', (c: Koa.Context) => {
        c.body = { tokensIssued: p.store.state.issued, faults: p.faults };
      });
      router.post('/sandbox/platform/tokens/expire', async (c: Koa.Context) => {
        const body = await readBody(c);
        answerSimulation(c, { expired: p.expireTokens(String(body.appid ?? p.apps.oa.appId)) });
      });
      router.post('/sandbox/platform/faults', async (c: Koa.Context) => {
        const body = await readBody(c);
        p.store.update((s) => {
          if (body.reset) s.faults = defaultFaults();
          if (body.latencyMs !== undefined) s.faults.latencyMs = Number(body.latencyMs) || 0;
          if (body.templateDailyQuota !== undefined) s.faults.templateDailyQuota = Number(body.templateDailyQuota);
          if (body.tokenDailyQuota !== undefined) s.faults.tokenDailyQuota = Number(body.tokenDailyQuota);
          if (body.duplicatePushes !== undefined)
            s.faults.duplicatePushes = [true, 'true', 'on'].includes(body.duplicatePushes as never);
          if (body.path && body.errcode) {
            s.faults.errors[String(body.path)] = { errcode: Number(body.errcode), times: Number(body.times ?? 1) };
          }
        });
        answerSimulation(c, { faults: p.faults });
      });
    },
    console() {
      const f = p.faults;
      return {
        title: '平台：令牌与故障 Platform: tokens and faults',
        id: 'platform',
        html: `<p>公众号 Official account <code>${escapeHtml(p.apps.oa.appId)}</code> (${escapeHtml(p.apps.oa.originalId)}) · 小程序 mini-program <code>${escapeHtml(p.apps.mp.appId)}</code> · 已发令牌 tokens issued <code>${escapeHtml(JSON.stringify(p.store.state.issued))}</code></p>
<form method="post" action="/sandbox/platform/tokens/expire"><input name="appid" value="${escapeHtml(p.apps.oa.appId)}"><button>令牌立即过期 Expire tokens now</button></form>
<form method="post" action="/sandbox/platform/faults"><input type="hidden" name="duplicatePushes" value="false">
<label>延迟 Latency <input name="latencyMs" size="5" value="${f.latencyMs}"> ms</label>
<label>模板消息日配额 Template quota/day <input name="templateDailyQuota" size="6" value="${f.templateDailyQuota}"></label>
<label><input type="checkbox" name="duplicatePushes" value="true" ${f.duplicatePushes ? 'checked' : ''}> 重复推送 Duplicate pushes</label>
<label>注入错误码 Inject errcode <input name="errcode" size="6" placeholder="45009"></label> <label>接口 on <input name="path" placeholder="/cgi-bin/message/template/send" size="28"></label> <label>× <input name="times" size="3" value="1"></label>
<button>应用 Apply</button></form>
<form method="post" action="/sandbox/platform/faults"><input type="hidden" name="reset" value="1"><button class="plain">重置故障 Reset faults</button></form>`,
      };
    },
    close() {
      p.store.flush();
    },
  };
}
