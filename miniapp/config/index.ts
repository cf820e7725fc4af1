import fs from 'node:fs';
import path from 'node:path';
import { loadConfigLayers } from '@chatmall/config';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import { BuildConfigError, resolveApiBase, resolveAppId } from './build-env';

const platform = process.env.TARO_ENV ?? 'weapp';

/**
 * What the build learns from its environment (./build-env.ts): where the storefront finds the
 * API — CHATMALL_API_BASE; H5 is served by the API itself, so same origin ('') by default; a
 * mini-program needs an absolute URL, https:// in a release build — and the appid that
 * dist/weapp/project.config.json carries (WECHAT_MP_APPID, read through the one configuration
 * loader like every other setting). A value that cannot work stops the build with one line
 * naming the variable.
 */
function buildEnv(): { apiBase: string } {
  const { values } = loadConfigLayers(process.env);
  try {
    const apiBase = resolveApiBase({
      platform,
      // The environment, else the root .env (an empty value in the environment is kept: it is refused).
      value: process.env.CHATMALL_API_BASE ?? values.CHATMALL_API_BASE,
      // `taro build` without --watch sets NODE_ENV=production unless the caller chose one.
      production: process.env.NODE_ENV === 'production',
      devDefault: values.PUBLIC_BASE_URL,
    });
    if (platform !== 'h5') {
      const committed = (
        JSON.parse(fs.readFileSync(path.join(__dirname, '../project.config.json'), 'utf8')) as {
          appid: string;
        }
      ).appid;
      // Taro writes dist/<platform>/project.config.json from the committed file, with the appid
      // taken from TARO_APP_ID when set; the committed file keeps its placeholder.
      process.env.TARO_APP_ID = resolveAppId(values.WECHAT_MP_APPID, committed);
    }
    return { apiBase };
  } catch (err) {
    if (!(err instanceof BuildConfigError)) throw err;
    console.error(`chatmall: ${err.message}`);
    process.exit(1);
  }
}

const { apiBase } = buildEnv();

/**
 * Taro only runs Babel over `src/` and Taro's own packages; `@chatmall/shared` ships TypeScript
 * source, so both builds must be told to compile it (DESIGN.md, "Versions and traps").
 * npm links the workspace and webpack resolves the link to its real path; the second entry
 * covers a build that keeps the linked path (resolve.symlinks off).
 */
const sharedDir = path.resolve(__dirname, '../../shared');
const compileShared = { include: [sharedDir, (file: string) => /[\\/]@chatmall[\\/]shared[\\/]/.test(file)] };

const config: UserConfigExport<'webpack5'> = {
  projectName: 'chatmall',
  designWidth: 750,
  deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
  sourceRoot: 'src',
  outputRoot: `dist/${platform}`,
  defineConstants: {
    API_BASE_URL: JSON.stringify(apiBase),
  },
  framework: 'react',
  // Prebundling (esbuild over dependencies) is a dev-only speed-up that has broken builds
  // of linked workspace packages; plain webpack is fast enough for this app.
  compiler: { type: 'webpack5', prebundle: { enable: false } },
  cache: { enable: false },
  mini: {
    compile: compileShared,
    postcss: {
      pxtransform: { enable: true, config: {} },
      cssModules: { enable: false },
    },
  },
  h5: {
    compile: compileShared,
    publicPath: '/',
    staticDirectory: 'static',
    // Hash routing: dist/h5 works from any static server without rewrite rules.
    router: { mode: 'hash' },
    output: {
      filename: 'js/[name].[contenthash:8].js',
      chunkFilename: 'js/[name].[contenthash:8].js',
    },
    miniCssExtractPluginOption: {
      ignoreOrder: true,
      filename: 'css/[name].[contenthash:8].css',
      chunkFilename: 'css/[name].[contenthash:8].css',
    },
    postcss: {
      autoprefixer: { enable: true, config: {} },
      cssModules: { enable: false },
    },
    webpackChain(chain) {
      // Taro splits only initial chunks on H5, so every lazily loaded page would carry its own
      // copy of zod and the component library; split async chunks too and pages share one copy.
      chain.optimization.merge({ splitChunks: { chunks: 'all' } });
    },
  },
};

export default defineConfig<'webpack5'>(config);
