/**
 * The member code drawn as runs of dark and light modules, so the page draws it with plain
 * views in both builds (no canvas, no image files): the QR code from `qrcode`'s encoder
 * core (pure JS, no renderer), the barcode as Code 128 set C (24 digits → 12 symbols).
 */
// The encoder core alone: the package's entry pulls in Node's fs and a PNG writer.
import { create } from 'qrcode/lib/core/qrcode';

/** One row: widths in modules, alternating dark and light, starting dark (a leading 0 if it starts light). */
export type Runs = number[];

function runsOf(modules: boolean[]): Runs {
  const runs: Runs = [];
  let dark = true;
  let n = 0;
  for (const m of modules) {
    if (m === dark) n++;
    else {
      runs.push(n);
      dark = !dark;
      n = 1;
    }
  }
  runs.push(n);
  return runs;
}

/** The QR code's rows (a square of `size` modules). */
export function qrRows(text: string): { size: number; rows: Runs[] } {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const rows: Runs[] = [];
  for (let y = 0; y < modules.size; y++) {
    const row: boolean[] = [];
    for (let x = 0; x < modules.size; x++) row.push(modules.data[y * modules.size + x] === 1);
    rows.push(runsOf(row));
  }
  return { size: modules.size, rows };
}

// ISO/IEC 15417 symbol widths (bar, space, bar, space, bar, space), by symbol value.
// prettier-ignore
const CODE128 = [
  '212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212', '221213',
  '221312', '231212', '112232', '122132', '122231', '113222', '123122', '123221', '223211', '221132',
  '221231', '213212', '223112', '312131', '311222', '321122', '321221', '312212', '322112', '322211',
  '212123', '212321', '232121', '111323', '131123', '131321', '112313', '132113', '132311', '211313',
  '231113', '231311', '112133', '112331', '132131', '113123', '113321', '133121', '313121', '211331',
  '231131', '213113', '213311', '213131', '311123', '311321', '331121', '312113', '312311', '332111',
  '314111', '221411', '431111', '111224', '111422', '121124', '121421', '141122', '141221', '112214',
  '112412', '122114', '122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111',
  '111242', '121142', '121241', '114212', '124112', '124211', '411212', '421112', '421211', '212141',
  '214121', '412121', '111143', '111341', '131141', '114113', '114311', '411113', '411311', '113141',
  '114131', '311141', '411131', '211412', '211214', '211232',
];
const START_C = 105;
const STOP = '2331112';

/** An even number of digits as Code 128 set C: start, digit pairs, check symbol, stop (bar widths). */
export function barcodeRuns(digits: string): Runs {
  if (!/^(\d\d)+$/.test(digits)) throw new Error('set C takes pairs of digits');
  const values = [START_C];
  for (let i = 0; i < digits.length; i += 2) values.push(Number(digits.slice(i, i + 2)));
  const check = values.reduce((sum, v, i) => sum + v * Math.max(i, 1), 0) % 103;
  const widths = [...values, check].map((v) => CODE128[v]).join('') + STOP;
  return [...widths].map(Number);
}
