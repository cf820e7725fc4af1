import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';

const platform = process.env.TARO_ENV ?? 'weapp';

/**
 * Where the storefront finds the API. H5 is served by the API server itself, so same origin
 * ('') is right; a mini-program has no origin and needs an absolute URL.
 */
const apiBase = process.env.CHATMALL_API_BASE ?? (platform === 'h5' ? '' : 'http://127.0.0.1:3000');

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
